//! Project automation, reached through the `cargo xtask` alias.
//!
//! `cargo xtask reproduce <figure> [options]` builds the `repro` binary in release mode
//! (showing cargo's progress: a first build compiles the workspace and takes a few
//! minutes) and runs it from the workspace root, so reproductions always run optimised
//! code and write under `results/` (a relative `--out DIR` is taken from the directory you
//! ran cargo in, as any command-line path would be). Every argument after `reproduce` goes to `repro`
//! unchanged; `cargo xtask reproduce --help` shows repro's own options, so the two can
//! never drift apart.
//!
//! `cargo xtask slurm <id>... --shards N [options]` runs the same figures on a Slurm
//! cluster as a job array of shards and a merge job ([`slurm`]).

mod slurm;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask reproduce <id>... [options]\n\
                     (cargo xtask reproduce --help lists the options)\n\
                     \x20      cargo xtask slurm <id>... --shards N [options] (see the README's \
                     \"Running on a cluster\")";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("reproduce") => reproduce(&args[1..]),
        Some("slurm") => {
            let root = workspace_root();
            match build_repro(&root) {
                Ok(binary) => slurm::run(&args[1..], &root, &binary),
                Err(code) => code,
            }
        }
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown task {other:?}; valid tasks: reproduce, slurm\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// `args` with the value of `--out DIR` / `--out=DIR` made absolute against `caller`
/// when it is relative.
fn absolute_out(args: &[String], caller: &std::path::Path) -> Vec<String> {
    let resolve = |v: &str| -> String {
        let p = std::path::Path::new(v);
        if p.is_absolute() { v.to_owned() } else { caller.join(p).display().to_string() }
    };
    let mut out = Vec::with_capacity(args.len());
    let mut next_is_out = false;
    for a in args {
        if next_is_out {
            out.push(resolve(a));
            next_is_out = false;
        } else if a == "--out" {
            out.push(a.clone());
            next_is_out = true;
        } else if let Some(v) = a.strip_prefix("--out=") {
            out.push(format!("--out={}", resolve(v)));
        } else {
            out.push(a.clone());
        }
    }
    out
}

fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1))
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Builds the release `repro` binary (cargo's own progress on stderr; one "Finished" line
/// when up to date) and returns its path.
fn build_repro(root: &Path) -> Result<PathBuf, ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let binary = root.join("target").join("release").join("repro");
    if !binary.exists() {
        eprintln!(
            "xtask: first build of the simulation code in release mode (a few minutes on two \
             cores; later runs reuse it)"
        );
    }
    let build = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--release", "--package", "repro", "--bin", "repro"])
        .status();
    match build {
        Ok(s) if s.success() => Ok(binary),
        Ok(s) => Err(exit_code(s)),
        Err(e) => {
            eprintln!("error: could not run cargo: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn reproduce(rest: &[String]) -> ExitCode {
    let root = workspace_root();
    let binary = match build_repro(&root) {
        Ok(b) => b,
        Err(code) => return code,
    };
    // repro runs from the workspace root (so the default --out is <root>/results), but a
    // relative --out the caller typed means their own directory: make it absolute.
    let caller = std::env::current_dir().unwrap_or_else(|_| root.clone());
    let rest = absolute_out(rest, &caller);
    match Command::new(&binary).current_dir(&root).arg("reproduce").args(&rest).status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => exit_code(s),
        Err(e) => {
            eprintln!("error: could not run {}: {e}", binary.display());
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::absolute_out;

    #[test]
    fn a_relative_out_is_the_callers_directory() {
        // Regression (hostile-input issue): `cd /tmp && cargo xtask reproduce fig1b --out
        // mine` wrote to <workspace>/mine, since repro runs from the workspace root.
        let caller = std::path::Path::new("/home/me/work");
        let args: Vec<String> =
            ["fig1b", "--out", "mine", "--out=../x", "--seed", "3", "--out", "/abs"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(
            absolute_out(&args, caller),
            [
                "fig1b",
                "--out",
                "/home/me/work/mine",
                "--out=/home/me/work/../x",
                "--seed",
                "3",
                "--out",
                "/abs"
            ]
        );
    }
}
