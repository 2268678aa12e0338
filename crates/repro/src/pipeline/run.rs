//! The runner: the selected figures grouped by study (and preset), each study computed
//! once, each of its panels written or checked.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::checkpoint::{ShardSaved, SweepMode, TasksMissing};
use super::output::{self, Provenance};
use super::{FigureRef, Preset, RunContext};

/// How a selection is run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The preset for every figure; `None`: with `check`, the preset recorded in each
    /// figure's committed meta.json, otherwise quick.
    pub preset: Option<Preset>,
    /// Run seed.
    pub seed: u64,
    /// Show progress bars and the preset line.
    pub progress: bool,
    /// Output root (`results`).
    pub out: PathBuf,
    /// Recompute and compare with what is under `out` instead of writing.
    pub check: bool,
    /// Whole sweeps (the default), one shard of each, or a merge of saved shards
    /// (see [`super::checkpoint`]).
    pub sweep_mode: SweepMode,
}

/// The outcome of one figure.
#[derive(Debug)]
pub struct Summary {
    /// `paper/figN`.
    pub figure: String,
    /// One line for the user, or the error.
    pub result: Result<String>,
}

/// `git describe --always --dirty` of the source tree this binary was built from, or
/// "unknown" (no git, or not a checkout).
pub fn source_revision() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::process::Command::new("git")
        .args(["describe", "--always", "--dirty", "--abbrev=12"])
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs `figures`: each study once per preset, its panels written under `opts.out` (or
/// compared with what is there). With `check`, every figure's committed data must exist
/// before anything is computed.
///
/// # Errors
/// Only a selection that cannot start (no committed data or preset to check against);
/// the errors of single studies are in their panels' [`Summary`].
pub fn run_selection(figures: &[FigureRef<'_>], opts: &RunOptions) -> Result<Vec<Summary>> {
    if opts.check && opts.sweep_mode != SweepMode::Whole {
        bail!("--check recomputes whole figures: it cannot be combined with --shard or --merge");
    }
    // The preset of each figure, decided (and for --check, the committed data found)
    // before any computation starts.
    let mut missing = Vec::new();
    let mut other_preset = Vec::new();
    let mut planned: Vec<(FigureRef<'_>, Preset)> = Vec::new();
    for f in figures {
        let id = f.id();
        if let (Some(p), true) = (opts.preset, opts.check) {
            // --check --preset X against data committed at another preset would report
            // every number as drift: say what differs instead.
            if let Some(name) = output::committed_preset(&opts.out, &id)? {
                if name != p.name() {
                    other_preset.push(format!("{id} (committed: {name})"));
                    continue;
                }
            }
        }
        let preset = match (opts.preset, opts.check) {
            (Some(p), _) => p,
            (None, false) => Preset::Quick,
            (None, true) => match output::committed_preset(&opts.out, &id)? {
                Some(name) => Preset::parse(&name)
                    .with_context(|| format!("the committed meta.json of {id}"))?,
                None => {
                    missing.push(id);
                    continue;
                }
            },
        };
        if opts.check {
            let csv = output::figure_dir(&opts.out, &id).join("data.csv");
            if !csv.is_file() {
                missing.push(id);
                continue;
            }
        }
        planned.push((*f, preset));
    }
    if !other_preset.is_empty() {
        bail!(
            "--check --preset {}: the committed data of {} is another preset; drop --preset to \
             check against the committed one",
            opts.preset.map_or("", Preset::name),
            other_preset.join(", ")
        );
    }
    if !missing.is_empty() {
        bail!(
            "--check: nothing committed to compare with for {} under {}",
            missing.join(", "),
            opts.out.display()
        );
    }
    // Group by (study, preset), in the order of first appearance.
    let mut groups: Vec<(FigureRef<'_>, Preset, Vec<usize>)> = Vec::new();
    for (f, preset) in planned {
        match groups.iter_mut().find(|g| g.0.study_id() == f.study_id() && g.1 == preset) {
            Some(g) => {
                if !g.2.contains(&f.figure) {
                    g.2.push(f.figure);
                }
            }
            None => groups.push((f, preset, vec![f.figure])),
        }
    }
    let revision = source_revision();
    let mut summaries = Vec::new();
    for (first, preset, wanted) in groups {
        let study = first.study();
        let study_id = first.study_id();
        let ids: Vec<String> =
            wanted.iter().map(|&k| FigureRef { figure: k, ..first }.id()).collect();
        // A shard computes only sweeps; a merge writes every selected figure, computing
        // the ones without a sweep itself (so that a merge job leaves the same files as a
        // single-machine run of the same ids).
        if matches!(opts.sweep_mode, SweepMode::Shard(_)) && !study.sweeps {
            summaries.push(Summary {
                figure: ids.join(", "),
                result: Ok(format!(
                    "{}: skipped by --shard (no checkpointed sweep: the merge computes it)",
                    ids.join(", ")
                )),
            });
            continue;
        }
        if !opts.check {
            let other = match preset {
                Preset::Quick => "paper",
                Preset::Paper => "quick",
            };
            eprintln!(
                "{}: preset '{}' (run with --preset {other} for the other size)",
                ids.join(", "),
                preset.name()
            );
        }
        let ctx = RunContext {
            preset,
            seed: opts.seed,
            progress: opts.progress,
            checkpoint_root: (!opts.check).then(|| opts.out.clone()),
            study: study_id.clone(),
            sweep_mode: opts.sweep_mode,
            sweep_log: Default::default(),
        };
        // One run of a study per output folder at a time (see `lock`): held through the
        // computation (its checkpoint) and the writes (or the reads of --check). Shards
        // only add task files, atomically, so they run side by side without it (and the
        // lock's liveness test only knows this machine's processes).
        // A --partial run only reads task files (written atomically) and writes under
        // <out>/partial/, so it may look at a sweep while that sweep runs.
        let _lock = match opts.sweep_mode {
            SweepMode::Shard(_) | SweepMode::Partial => None,
            _ => Some(super::lock::StudyLock::acquire(&opts.out, &study_id)?),
        };
        tracing::info!(study = study_id.as_str(), preset = preset.name(), "computing");
        let rendered = match study.run(&ctx, &wanted) {
            Ok(_) if matches!(opts.sweep_mode, SweepMode::Shard(_)) => {
                // A sweep study that never reached its sweep (cannot happen for the
                // studies marked as sweeping, but never write a figure from a shard).
                summaries.push(Summary {
                    figure: study_id.clone(),
                    result: Err(anyhow::anyhow!(
                        "{study_id}: computed without reaching a checkpointed sweep; nothing written"
                    )),
                });
                continue;
            }
            Ok(r) => r,
            Err(e) if e.downcast_ref::<ShardSaved>().is_some() => {
                summaries.push(Summary {
                    figure: study_id.clone(),
                    result: Ok(format!("{study_id}: {e}")),
                });
                continue;
            }
            Err(e) if e.downcast_ref::<TasksMissing>().is_some() => {
                summaries.push(Summary {
                    figure: study_id.clone(),
                    result: Err(e.context(study_id.clone())),
                });
                continue;
            }
            Err(e) => {
                let e = e.context(format!("computing {study_id}"));
                let msg = format!("{e:#}");
                summaries.extend(ids.iter().map(|id| Summary {
                    figure: id.clone(),
                    result: Err(anyhow::anyhow!("{msg}")),
                }));
                continue;
            }
        };
        for ((out, render_s), (&k, id)) in rendered.panels.iter().zip(wanted.iter().zip(&ids)) {
            for note in &out.notes {
                tracing::warn!(figure = id.as_str(), "{note}");
            }
            let wall = rendered.compute_s + render_s;
            let result = if opts.check {
                output::check_against_committed(&opts.out, id, out).map(|report| {
                    format!(
                        "{id}: matches the committed data ({} numbers, max |Δ| = {:.1e}, {wall:.1} s)",
                        report.compared, report.max_abs_diff
                    )
                })
            } else {
                let spec = study.figures[k];
                let prov = Provenance {
                    figure: id.clone(),
                    description: spec.description.to_owned(),
                    paper: first.paper.reference.to_owned(),
                    preset: preset.name().to_owned(),
                    seed: opts.seed,
                    threads: rayon::current_num_threads(),
                    git_revision: revision.clone(),
                    wall_time_s: round_ms(wall),
                    study: output::StudyTiming {
                        id: study_id.clone(),
                        figures: study
                            .figures
                            .iter()
                            .map(|f| format!("{}/{}", first.paper.name, f.name))
                            .collect(),
                        rendered_together: ids.clone(),
                        compute_s: round_ms(rendered.compute_s),
                        render_s: round_ms(*render_s),
                    },
                    units: first.paper.units,
                    sweep: {
                        let log = ctx
                            .sweep_log
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .clone();
                        (log.tasks > 0).then_some(log)
                    },
                };
                if opts.sweep_mode == SweepMode::Partial {
                    let labelled = label_partial(out, prov.sweep.as_ref());
                    for note in labelled.notes.iter().skip(out.notes.len()) {
                        tracing::warn!(figure = id.as_str(), "{note}");
                    }
                    output::write_figure(&opts.out.join("partial"), &prov, &labelled)
                } else {
                    output::write_figure(&opts.out, &prov, out)
                }
                .map(|dir| format!("{id}: wrote {} ({wall:.1} s)", dir.display()))
            };
            summaries.push(Summary { figure: id.clone(), result });
        }
    }
    Ok(summaries)
}

/// A figure of a `--partial` run: a note and a line in the plot's bottom-left corner saying
/// how many of its sweep's tasks it rests on (figures without a sweep are left as they
/// are).
fn label_partial(
    out: &output::FigureOutput,
    sweep: Option<&super::checkpoint::SweepTiming>,
) -> output::FigureOutput {
    let mut out = out.clone();
    let Some(missing) = sweep.and_then(|s| s.missing.map(|m| (s.tasks, m))) else {
        return out;
    };
    let (saved, missing) = missing;
    if missing == 0 {
        out.notes.push(format!("--partial: all {saved} tasks of the sweep are saved"));
        return out;
    }
    let label =
        format!("PARTIAL: {saved} of {} sweep tasks ({missing} not computed yet)", saved + missing);
    out.notes.push(format!(
        "{label}; every number here rests on the saved tasks only, and settings without a \
         saved task are absent"
    ));
    // The label drawn last (on top), in the bottom-left corner of the plot.
    let height = out
        .svg
        .find("height=\"")
        .and_then(|i| out.svg[i + 8..].split('"').next())
        .and_then(|h| h.parse::<f64>().ok())
        .unwrap_or(20.0);
    if let Some(end) = out.svg.rfind("</svg>") {
        let text = format!(
            "<text x=\"8\" y=\"{:.0}\" font-family=\"sans-serif\" font-size=\"14\" \
             fill=\"#b00020\">{label}</text>\n",
            height - 6.0
        );
        out.svg.insert_str(end, &text);
    }
    out
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}
