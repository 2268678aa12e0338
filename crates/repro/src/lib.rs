//! # repro
//!
//! One pipeline per reproduced figure: parameters (named presets), the computation, a tidy
//! CSV, a meta.json with every parameter and choice, and an SVG plot, written to
//! `results/<paper>/<fig>/`. `--check` recomputes and compares with what is committed.
//!
//! Only this crate and `xtask` touch files, print progress or parse command lines.

pub mod bottleneck;
pub mod bottleneck_front;
pub mod bottleneck_linear;
pub mod checkpoint;
pub mod goldt;
pub mod optimize;
pub mod output;
pub mod plot;

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

pub use output::{FigureOutput, Provenance};

/// Units convention written into every meta.json.
pub const UNITS: &str = "k_B = 1; entropies and mutual informations in nats; time in units of \
                         the inverse rate prefactor, so entropy production rates are in nats \
                         per unit time; couplings J and fields x in the same energy units, \
                         multiplied by the dimensionless inverse temperature beta";

/// Size of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Small grids and coarse quadrature: minutes on two cores, already shows every effect.
    Quick,
    /// The paper's sizes and converged numerics.
    Paper,
}

impl Preset {
    /// The preset's name as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Quick => "quick",
            Preset::Paper => "paper",
        }
    }

    /// Parses a preset name.
    ///
    /// # Errors
    /// A one-line error listing the valid names.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "quick" => Ok(Preset::Quick),
            "paper" => Ok(Preset::Paper),
            _ => bail!("unknown preset {s:?}; valid presets: quick, paper"),
        }
    }
}

/// What a figure pipeline is given.
#[derive(Debug, Clone)]
pub struct RunContext {
    /// Preset.
    pub preset: Preset,
    /// Seed for stochastic figures (recorded, unused by exact ones).
    pub seed: u64,
    /// Show progress bars.
    pub progress: bool,
    /// Where long sweeps keep finished tasks so that a rerun resumes (the output root);
    /// `None` disables checkpointing.
    pub checkpoint_root: Option<std::path::PathBuf>,
}

impl RunContext {
    /// A progress bar of `len` steps (hidden when progress is off or stderr is not a
    /// terminal).
    pub fn progress_bar(&self, len: u64, message: &str) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::new(len);
        pb.set_style(
            ProgressStyle::with_template(
                "{msg:>28} [{bar:32}] {pos}/{len} {elapsed_precise} ETA {eta}",
            )
            .expect("static template")
            .progress_chars("=> "),
        );
        pb.set_message(message.to_owned());
        pb
    }
}

/// A reproducible figure.
#[derive(Debug)]
pub struct Figure {
    /// `paper/figN`.
    pub id: &'static str,
    /// One line: what the figure shows.
    pub description: &'static str,
    /// Full reference of the paper.
    pub paper: &'static str,
    /// The pipeline.
    pub run: fn(&RunContext) -> Result<FigureOutput>,
    /// A bare figure name that also selects this figure: an appendix figure drawn from
    /// another figure's runs (the bottleneck paper's Fig. 5 shows the systems trained for
    /// Fig. 4a, so `fig4` selects it).
    pub part_of: Option<&'static str>,
}

/// Every figure, in the order `--list` shows them.
pub fn registry() -> Vec<Figure> {
    let mut all = bottleneck::figures();
    all.extend(bottleneck_front::figures());
    all.extend(bottleneck_linear::figures());
    all.extend(goldt::figures());
    all
}

/// The figures an id names: `paper/figN`, a paper's name (all its figures), a bare `figN`
/// (that figure of every paper, with all its panels: `fig2` names `fig2a`, `fig2b`,
/// `fig2c`, and the figures that are [`Figure::part_of`] it), or `all`.
///
/// # Errors
/// A one-line error listing the valid ids.
pub fn select<'a>(figures: &'a [Figure], id: &str) -> Result<Vec<&'a Figure>> {
    let chosen: Vec<&Figure> = if id == "all" {
        figures.iter().collect()
    } else if id.contains('/') {
        figures.iter().filter(|f| f.id == id).collect()
    } else if figures.iter().any(|f| f.id.split('/').next() == Some(id)) {
        // A paper's name: all of its figures.
        figures.iter().filter(|f| f.id.split('/').next() == Some(id)).collect()
    } else {
        let names = |f: &&Figure| {
            let name = f.id.rsplit('/').next().unwrap_or(f.id);
            // `fig2` names `fig2` and its panels `fig2a`, `fig2b`…, but not `fig20`.
            name.strip_prefix(id)
                .is_some_and(|rest| rest.is_empty() || rest.chars().all(|c| c.is_ascii_lowercase()))
        };
        figures.iter().filter(|f| names(f) || f.part_of == Some(id)).collect()
    };
    if chosen.is_empty() {
        let valid: Vec<&str> = figures.iter().map(|f| f.id).collect();
        bail!(
            "unknown figure {id:?}; valid ids: all, {} (or a paper's name, or a bare figN)",
            valid.join(", ")
        );
    }
    Ok(chosen)
}

/// `git describe --always --dirty` of the tree at `dir`, or "unknown".
pub fn git_revision(dir: &Path) -> String {
    std::process::Command::new("git")
        .args(["describe", "--always", "--dirty", "--abbrev=12"])
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs one figure and writes it under `out`, or compares it with what is there when
/// `check` is set. Returns a one-line summary.
///
/// # Errors
/// The pipeline's errors, IO errors, and drift found by `--check`.
pub fn run_figure(fig: &Figure, ctx: &RunContext, out: &Path, check: bool) -> Result<String> {
    let start = Instant::now();
    tracing::info!(figure = fig.id, preset = ctx.preset.name(), "computing");
    let output = (fig.run)(ctx).with_context(|| format!("computing {}", fig.id))?;
    let wall = start.elapsed().as_secs_f64();
    for note in &output.notes {
        tracing::warn!(figure = fig.id, "{note}");
    }
    if check {
        let report = output::check_against_committed(out, fig.id, &output)?;
        return Ok(format!(
            "{}: matches the committed data ({} numbers, max |Δ| = {:.1e}, {wall:.1} s)",
            fig.id, report.compared, report.max_abs_diff
        ));
    }
    let prov = Provenance {
        figure: fig.id.to_owned(),
        description: fig.description.to_owned(),
        paper: fig.paper.to_owned(),
        preset: ctx.preset.name().to_owned(),
        seed: ctx.seed,
        threads: rayon::current_num_threads(),
        git_revision: git_revision(out),
        wall_time_s: (wall * 1000.0).round() / 1000.0,
        units: UNITS,
    };
    let dir = output::write_figure(out, &prov, &output)?;
    Ok(format!("{}: wrote {} ({wall:.1} s)", fig.id, dir.display()))
}
