//! Project automation, reached through the `cargo xtask` alias.
//!
//! `cargo xtask reproduce <figure> [options]` builds the `repro` binary in release mode
//! (showing cargo's progress: a first build compiles the workspace and takes a few
//! minutes) and runs it from the workspace root, so reproductions always run optimised
//! code and write under `results/`. Every argument after `reproduce` goes to `repro`
//! unchanged; `cargo xtask reproduce --help` shows repro's own options, so the two can
//! never drift apart.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask reproduce <id>... [options]\n\
                     (cargo xtask reproduce --help lists the options)";

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

fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1))
}

fn reproduce(rest: &[String]) -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let binary = root.join("target").join("release").join("repro");
    if !binary.exists() {
        eprintln!(
            "xtask: first build of the simulation code in release mode (a few minutes on two \
             cores; later runs reuse it)"
        );
    }
    // Build with cargo's own progress on stderr (one "Finished" line when up to date).
    let build = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--release", "--package", "repro", "--bin", "repro"])
        .status();
    match build {
        Ok(s) if s.success() => {}
        Ok(s) => return exit_code(s),
        Err(e) => {
            eprintln!("error: could not run cargo: {e}");
            return ExitCode::FAILURE;
        }
    }
    match Command::new(&binary).current_dir(&root).arg("reproduce").args(rest).status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => exit_code(s),
        Err(e) => {
            eprintln!("error: could not run {}: {e}", binary.display());
            ExitCode::FAILURE
        }
    }
}
