//! `repro`: reproduce the papers' figures. Normally run through `cargo xtask reproduce`,
//! which builds this binary in release mode.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use repro::pipeline::all_figures;
use repro::pipeline::checkpoint::{Shard, SweepMode};
use repro::{FigureRef, Preset, RunOptions, run_selection, select};

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
        /// Figure ids: `paper/figN`, a paper's name, a bare `figN` (every paper's figN with
        /// its panels and the figures its study draws), or `all`.
        ids: Vec<String>,
        /// List the figures the ids name (every figure without ids), one line each.
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
        /// I/N: compute only the tasks ≡ I (mod N) of every checkpointed sweep among the
        /// ids, save them and write no figure (figures without a sweep are skipped). Run
        /// every I in 0..N (on any machines sharing --out), then --merge.
        #[arg(long, value_name = "I/N", conflicts_with_all = ["merge", "check"])]
        shard: Option<String>,
        /// Compute no sweep task: write the figures of sharded sweeps from their saved
        /// tasks, or fail naming the missing tasks and the shards to rerun (figures
        /// without a sweep are computed as usual).
        #[arg(long, conflicts_with = "check")]
        merge: bool,
        /// Compute no sweep task: write the figures of checkpointed sweeps from the tasks
        /// saved so far, under <out>/partial/ (never over a finished figure), each
        /// labelled with how many tasks it rests on; the store is kept, so the sweep
        /// resumes later. Figures without a sweep are computed as usual (and written under
        /// <out>/partial/ too).
        #[arg(long, conflicts_with_all = ["check", "merge", "shard"])]
        partial: bool,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
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
    let Command::Reproduce {
        ids,
        list,
        preset,
        seed,
        threads,
        out,
        check,
        quiet,
        shard,
        merge,
        partial,
    } = cli.command;
    let sweep_mode = match (shard, merge, partial) {
        (Some(s), _, _) => SweepMode::Shard(s.parse::<Shard>()?),
        (None, true, _) => SweepMode::Merge,
        (None, false, true) => SweepMode::Partial,
        (None, false, false) => SweepMode::Whole,
    };
    let papers = repro::papers::all();
    let mut chosen: Vec<FigureRef<'_>> = Vec::new();
    for id in &ids {
        for f in select(&papers, id)? {
            if !chosen.iter().any(|c| c.id() == f.id()) {
                chosen.push(f);
            }
        }
    }
    if list {
        let shown = if ids.is_empty() { all_figures(&papers) } else { chosen };
        for f in shown {
            println!("{:<22} {}", f.id(), f.spec().description);
        }
        if ids.is_empty() {
            for paper in &papers {
                for (name, reason) in &paper.not_reproduced {
                    println!("{:<22} not reproduced: {reason}", format!("{}/{name}", paper.name));
                }
            }
        }
        return Ok(());
    }
    if ids.is_empty() {
        let valid: Vec<String> = all_figures(&papers).iter().map(FigureRef::id).collect();
        bail!("name a figure to reproduce; valid ids: all, {} (or --list)", valid.join(", "));
    }
    let preset = preset.as_deref().map(Preset::parse).transpose()?;
    if let Some(t) = threads {
        if t == 0 {
            bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new().num_threads(t).build_global()?;
    }
    let opts = RunOptions { preset, seed, progress: !quiet, out, check, sweep_mode };
    let mut failures = 0;
    for s in run_selection(&chosen, &opts)? {
        match s.result {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("error: {}: {e:#}", s.figure);
                failures += 1;
            }
        }
    }
    if failures > 0 {
        bail!("{failures} figure(s) failed");
    }
    Ok(())
}
