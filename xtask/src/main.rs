//! Project automation, reached through the `cargo xtask` alias.
//!
//! `cargo xtask reproduce <figure> [options]` builds the `repro` binary in release mode and
//! runs it from the workspace root, so reproductions always run optimised code and write
//! under `results/`. Every option after `reproduce` is passed through; see
//! `cargo xtask reproduce --help`.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask reproduce <id>... [--list] [--preset quick|paper] \
                     [--seed N] [--threads N] [--out DIR] [--check] [--quiet]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("reproduce") => reproduce(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown task {other:?}; valid tasks: reproduce\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn reproduce(rest: &[String]) -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["run", "--quiet", "--release", "--package", "repro", "--bin", "repro", "--"])
        .arg("reproduce")
        .args(rest)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: could not run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
