//! The reproduction framework. It knows no paper: presets, the run context with its keyed
//! random streams, figures and studies (one computation, several panels), the runner that
//! computes each selected study once, tidy output with `--check`, plots, checkpoints and
//! small statistics.
//!
//! A paper (under `crate::papers`) is a list of [`Study`]s. A study has typed params
//! ([`Params`]: one constructor per [`Preset`], and a validation), computes once and
//! renders one or more figures from that computation. The runner groups the selected
//! figures by study, computes each study once and records its wall time in every panel's
//! meta.json.

pub mod checkpoint;
pub mod lock;
pub mod output;
pub mod plot;
mod run;
pub mod stats;

use std::path::PathBuf;

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rand_pcg::Pcg64;
use serde::Serialize;

pub use output::{Cell, Column, FigureOutput, Provenance, Table, Tolerance};
pub use run::{RunOptions, Summary, run_selection};

/// Units convention written into every meta.json.
pub const UNITS: &str = "k_B = 1; entropies and mutual informations in nats; time in units of \
                         the inverse rate prefactor, so entropy production rates are in nats \
                         per unit time; couplings J and fields x in the same energy units, \
                         multiplied by the dimensionless inverse temperature beta";

/// Size of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Small grids and coarse quadrature: minutes on two cores, already shows every effect.
    Quick,
    /// The paper's sizes and converged numerics.
    Paper,
}

impl Preset {
    /// Every preset, in the order `--list` and the preset tests use.
    pub const ALL: [Preset; 2] = [Preset::Quick, Preset::Paper];

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

/// The parameters of a study: one value per preset, and a check that they can run.
pub trait Params: Serialize + Sized {
    /// The parameters of `preset`.
    fn preset(preset: Preset) -> Self;

    /// Rejects parameters that cannot run, naming the first bad field and its value.
    ///
    /// # Errors
    /// The first bad field.
    fn validate(&self) -> Result<()>;
}

/// What a study's computation is given.
#[derive(Debug, Clone)]
pub struct RunContext {
    /// Preset.
    pub preset: Preset,
    /// Run seed for stochastic studies (recorded, unused by exact ones).
    pub seed: u64,
    /// Show progress bars.
    pub progress: bool,
    /// Where long sweeps keep finished tasks so that a rerun resumes (the output root);
    /// `None` disables checkpointing.
    pub checkpoint_root: Option<PathBuf>,
    /// `paper/study`, the id of the study being computed (names its checkpoints).
    pub study: String,
    /// Whole sweeps, one shard of each, or a merge of saved shards.
    pub sweep_mode: checkpoint::SweepMode,
    /// What the study's checkpointed sweeps did (task count and time, shard count).
    pub sweep_log: checkpoint::SweepLog,
}

impl RunContext {
    /// A context for computing `study` outside the runner (tests, benchmarks): no
    /// progress bars, no checkpoints.
    pub fn quiet(preset: Preset, seed: u64, study: &str) -> Self {
        Self {
            preset,
            seed,
            progress: false,
            checkpoint_root: None,
            study: study.to_owned(),
            sweep_mode: checkpoint::SweepMode::Whole,
            sweep_log: checkpoint::SweepLog::default(),
        }
    }

    /// The random stream of the task that `label` and `index` name (see
    /// [`streams::keyed_rng`]): e.g. `ctx.rng("bottleneck/fig4c/train", &[r, s])`. The
    /// same key gives the same numbers for any thread count, shard or task order, and a
    /// sweep that grows keeps the streams it had.
    pub fn rng(&self, label: &str, index: &[u64]) -> Pcg64 {
        streams::keyed_rng(self.seed, label, index)
    }

    /// A progress bar of `len` steps (hidden when progress is off).
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

    /// The checkpoint store of a sweep of this study, keyed by `fingerprint` (everything
    /// that determines its tasks), or `None` when checkpointing is off.
    pub fn checkpoint(&self, fingerprint: &str) -> Option<checkpoint::Checkpoint> {
        let key = format!("{}|{fingerprint}|{}|{}", self.study, self.seed, self.preset.name());
        self.checkpoint_root.as_ref().map(|root| {
            checkpoint::Checkpoint::new(
                root,
                &self.study,
                &key,
                self.sweep_mode,
                self.sweep_log.clone(),
            )
        })
    }
}

/// One figure (a panel) that a study renders.
#[derive(Debug, Clone, Copy)]
pub struct FigureSpec {
    /// The name inside its paper: `fig2a`.
    pub name: &'static str,
    /// One line: what the figure shows.
    pub description: &'static str,
}

type ParamsFn = Box<dyn Fn(Preset) -> Result<serde_json::Value> + Send + Sync>;
type RunFn = Box<dyn Fn(&RunContext, &[usize]) -> Result<Rendered> + Send + Sync>;

/// A study's outputs for the panels that were asked for, with the time each part took.
pub struct Rendered {
    /// Seconds spent in the shared computation.
    pub compute_s: f64,
    /// Per requested panel (in the order asked): its output and its own render time.
    pub panels: Vec<(FigureOutput, f64)>,
}

/// A shared computation that renders one or more figures.
pub struct Study {
    /// The study's name inside its paper (the name of its first figure's family: `fig2`).
    pub name: &'static str,
    /// The figures it renders.
    pub figures: Vec<FigureSpec>,
    /// Whether its computation is a checkpointed sweep (the studies `--shard` and
    /// `--merge` act on; the others are skipped by them).
    pub sweeps: bool,
    params: ParamsFn,
    run: RunFn,
}

impl std::fmt::Debug for Study {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Study").field("name", &self.name).field("figures", &self.figures).finish()
    }
}

/// A figure of a study over params `P` and computed data `D`: its spec and how it is drawn.
pub struct Panel<P, D> {
    spec: FigureSpec,
    render: fn(&P, &D, &RunContext) -> Result<FigureOutput>,
}

/// A panel named `name` (`fig2a`), described by `description`, drawn by `render` from the
/// study's params and data.
pub fn panel<P, D>(
    name: &'static str,
    description: &'static str,
    render: fn(&P, &D, &RunContext) -> Result<FigureOutput>,
) -> Panel<P, D> {
    Panel { spec: FigureSpec { name, description }, render }
}

impl Study {
    /// A study whose params are `P`: `compute` runs once per run, and each selected panel
    /// is rendered from its result.
    pub fn new<P, D>(
        name: &'static str,
        compute: fn(&P, &RunContext) -> Result<D>,
        panels: Vec<Panel<P, D>>,
    ) -> Self
    where
        P: Params + 'static,
        D: 'static,
    {
        let figures = panels.iter().map(|p| p.spec).collect();
        let renders: Vec<_> = panels.into_iter().map(|p| p.render).collect();
        Self {
            name,
            figures,
            sweeps: false,
            params: Box::new(|preset| {
                let p = P::preset(preset);
                p.validate()?;
                Ok(serde_json::to_value(&p)?)
            }),
            run: Box::new(move |ctx, wanted| {
                let p = P::preset(ctx.preset);
                p.validate()?;
                let start = std::time::Instant::now();
                let data = compute(&p, ctx)?;
                let compute_s = start.elapsed().as_secs_f64();
                let mut panels = Vec::with_capacity(wanted.len());
                for &k in wanted {
                    let start = std::time::Instant::now();
                    let out = renders[k](&p, &data, ctx)?;
                    panels.push((out, start.elapsed().as_secs_f64()));
                }
                Ok(Rendered { compute_s, panels })
            }),
        }
    }

    /// A study of one figure, computed and drawn by `run`.
    pub fn single<P: Params + 'static>(
        name: &'static str,
        description: &'static str,
        run: fn(&P, &RunContext) -> Result<FigureOutput>,
    ) -> Self {
        Self::new(
            name,
            run,
            vec![panel(name, description, |_, out: &FigureOutput, _| Ok(out.clone()))],
        )
    }

    /// Marks the study as a checkpointed sweep (see [`Study::sweeps`]).
    #[must_use]
    pub fn sweeping(mut self) -> Self {
        self.sweeps = true;
        self
    }

    /// The validated params of `preset`, as written into meta.json.
    ///
    /// # Errors
    /// The params' validation error.
    pub fn params(&self, preset: Preset) -> Result<serde_json::Value> {
        (self.params)(preset)
    }

    /// Computes the study once and renders the panels at `wanted` (indices into
    /// [`Study::figures`]).
    ///
    /// # Errors
    /// The params' validation, the computation's or a panel's error.
    pub fn run(&self, ctx: &RunContext, wanted: &[usize]) -> Result<Rendered> {
        (self.run)(ctx, wanted)
    }
}

/// A paper: its reference and its studies.
#[derive(Debug)]
pub struct Paper {
    /// Short name, the first part of every figure id (`bottleneck`).
    pub name: &'static str,
    /// Full reference.
    pub reference: &'static str,
    /// The units of its figures, written into every meta.json ([`UNITS`] for the papers in
    /// reduced units).
    pub units: &'static str,
    /// Its studies, in the order `--list` shows their figures.
    pub studies: Vec<Study>,
    /// Figures of the paper that are not computations (schematics), as (name, reason):
    /// `--list` shows them as not reproduced.
    pub not_reproduced: Vec<(&'static str, &'static str)>,
}

/// A figure as the command line names it.
#[derive(Debug, Clone, Copy)]
pub struct FigureRef<'a> {
    /// The paper.
    pub paper: &'a Paper,
    /// Index of the study in the paper.
    pub study: usize,
    /// Index of the figure in the study.
    pub figure: usize,
}

impl<'a> FigureRef<'a> {
    /// The study.
    pub fn study(&self) -> &'a Study {
        &self.paper.studies[self.study]
    }

    /// The figure's spec.
    pub fn spec(&self) -> FigureSpec {
        self.study().figures[self.figure]
    }

    /// `paper/figN`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.paper.name, self.spec().name)
    }

    /// `paper/study`.
    pub fn study_id(&self) -> String {
        format!("{}/{}", self.paper.name, self.study().name)
    }
}

/// Every figure of `papers`, in `--list` order.
pub fn all_figures(papers: &[Paper]) -> Vec<FigureRef<'_>> {
    papers
        .iter()
        .flat_map(|paper| {
            paper.studies.iter().enumerate().flat_map(move |(s, study)| {
                (0..study.figures.len()).map(move |f| FigureRef { paper, study: s, figure: f })
            })
        })
        .collect()
}

/// The figures an id names, in `--list` order:
/// - `paper/figN`: that figure;
/// - a paper's name: all of its figures;
/// - a bare `figN`: that figure of every paper with its panels (`fig2` names `fig2a`,
///   `fig2b`, `fig2c`, not `fig20`), and every other figure its study renders (the
///   bottleneck paper's Fig. 5 is drawn from the systems trained for Fig. 4a, so `fig4`
///   names it);
/// - `all`: every figure.
///
/// # Errors
/// A one-line error listing the valid ids.
pub fn select<'a>(papers: &'a [Paper], id: &str) -> Result<Vec<FigureRef<'a>>> {
    let all = all_figures(papers);
    let chosen: Vec<FigureRef<'a>> = if id == "all" {
        all.clone()
    } else if id.contains('/') {
        all.iter().copied().filter(|f| f.id() == id).collect()
    } else if papers.iter().any(|p| p.name == id) {
        all.iter().copied().filter(|f| f.paper.name == id).collect()
    } else {
        // The id is the whole name, or a family `figN` (ending in a digit) of panels
        // `figNa`, `figNb`…: so `fig2` never names `fig20`, and `""` or `b` name nothing.
        let family = id.ends_with(|c: char| c.is_ascii_digit());
        let names = |f: &FigureRef<'_>| {
            let name = f.spec().name;
            name == id
                || (family
                    && name
                        .strip_prefix(id)
                        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_lowercase())))
        };
        let named: Vec<FigureRef<'a>> = all.iter().copied().filter(names).collect();
        all.iter().copied().filter(|f| named.iter().any(|n| n.study_id() == f.study_id())).collect()
    };
    if chosen.is_empty() {
        let valid: Vec<String> = all.iter().map(FigureRef::id).collect();
        bail!(
            "unknown figure {id:?}; valid ids: all, {} (or a paper's name, or a bare figN)",
            valid.join(", ")
        );
    }
    Ok(chosen)
}
