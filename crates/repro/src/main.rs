//! `repro`: reproduce the papers' figures. Normally run through `cargo xtask reproduce`,
//! which builds this binary in release mode.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use repro::{Preset, RunContext, registry, run_figure, select};

#[derive(Parser)]
#[command(name = "repro", about = "Reproduce the figures of the thermolearn papers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute figures and write results/<paper>/<fig>/{data.csv, meta.json, figure.svg}.
    Reproduce {
        /// Figure ids: `paper/figN`, a bare `figN` (every paper's figN), or `all`.
        ids: Vec<String>,
        /// List every figure with a one-line description.
        #[arg(long)]
        list: bool,
        /// Size of the run: quick (the default) or paper. With --check, the default is the
        /// preset recorded in the committed meta.json.
        #[arg(long)]
        preset: Option<String>,
        /// Seed for stochastic figures.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Output root.
        #[arg(long, default_value = "results")]
        out: PathBuf,
        /// Recompute and compare with the committed data instead of writing.
        #[arg(long)]
        check: bool,
        /// Hide progress bars.
        #[arg(long)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let Command::Reproduce { ids, list, preset, seed, threads, out, check, quiet } = cli.command;
    let figures = registry();
    if list {
        for f in &figures {
            println!("{:<22} {}", f.id, f.description);
        }
        return Ok(());
    }
    if ids.is_empty() {
        let valid: Vec<&str> = figures.iter().map(|f| f.id).collect();
        bail!("name a figure to reproduce; valid ids: all, {} (or --list)", valid.join(", "));
    }
    let preset = preset.as_deref().map(Preset::parse).transpose()?;
    if let Some(t) = threads {
        if t == 0 {
            bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new().num_threads(t).build_global()?;
    }
    let mut chosen = Vec::new();
    for id in &ids {
        for f in select(&figures, id)? {
            if !chosen.iter().any(|c: &&repro::Figure| c.id == f.id) {
                chosen.push(f);
            }
        }
    }
    let mut failures = 0;
    for fig in chosen {
        let preset = match (preset, check) {
            (Some(p), _) => p,
            (None, true) => match repro::output::committed_preset(&out, fig.id) {
                Some(name) => Preset::parse(&name)?,
                None => bail!("--check: no committed {} under {}", fig.id, out.display()),
            },
            (None, false) => Preset::Quick,
        };
        if !check {
            let other = match preset {
                Preset::Quick => "paper",
                Preset::Paper => "quick",
            };
            eprintln!(
                "{}: preset '{}' (run with --preset {other} for the other size)",
                fig.id,
                preset.name()
            );
        }
        let ctx = RunContext {
            preset,
            seed,
            progress: !quiet,
            checkpoint_root: (!check).then(|| out.clone()),
        };
        match run_figure(fig, &ctx, &out, check) {
            Ok(summary) => println!("{summary}"),
            Err(e) => {
                eprintln!("error: {e:#}");
                failures += 1;
            }
        }
    }
    if failures > 0 {
        bail!("{failures} figure(s) failed");
    }
    Ok(())
}
