//! Sweeps beyond one machine: `--shard I/N` then `--merge` writes what one machine writes,
//! byte for byte; a merge with a shard missing is the stated error; bad shard specs are
//! rejected; shards writing one store at once lose nothing; `--partial` draws the saved
//! tasks, labelled, under `<out>/partial/`, and leaves the store to resume. The study here is a toy sweep
//! through the real runner and checkpoint store (each task draws from its keyed stream),
//! so the tests take milliseconds; CI repeats the byte comparison with real sweeps under
//! a real Slurm (`.ci/slurm-test`).

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use rand::RngExt;
use repro::pipeline::checkpoint::{Checkpoint, Shard, ShardSaved, SweepMode, TasksMissing};
use repro::pipeline::plot::{self, PALETTE, Panel, Series};
use repro::pipeline::{
    Column, FigureOutput, Paper, Params, Preset, RunContext, RunOptions, Study, Table, Tolerance,
    panel, run_selection, select,
};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
struct ToyParams {
    tasks: usize,
}

impl Params for ToyParams {
    fn preset(preset: Preset) -> Self {
        Self {
            tasks: match preset {
                Preset::Quick => 23,
                Preset::Paper => 50,
            },
        }
    }
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Task i: the mean of 100 draws of its own stream.
fn toy_task(ctx: &RunContext, i: usize) -> Result<f64> {
    let mut rng = ctx.rng("toy/sweep", &[i as u64]);
    Ok((0..100).map(|_| rng.random::<f64>()).sum::<f64>() / 100.0)
}

/// The sweep's results, one per task.
struct ToyData(Vec<f64>);

fn toy_compute(p: &ToyParams, ctx: &RunContext) -> Result<ToyData> {
    Ok(ToyData(match ctx.checkpoint("toy") {
        // As the real sweeps do: a --partial run draws the saved tasks only.
        Some(c) if ctx.sweep_mode == SweepMode::Partial => {
            c.saved::<f64>(p.tasks)?.into_iter().flatten().collect()
        }
        Some(c) => c.run(p.tasks, |i| toy_task(ctx, i))?,
        None => (0..p.tasks).map(|i| toy_task(ctx, i)).collect::<Result<_>>()?,
    }))
}

fn toy_figure(p: &ToyParams, d: &ToyData, _: &RunContext) -> Result<FigureOutput> {
    let d = &d.0;
    let mut table = Table::new(vec![
        Column::new("task", "1", "task index"),
        Column::new("value", "1", "mean of 100 uniform draws"),
    ]);
    for (i, v) in d.iter().enumerate() {
        table.push(vec![(i as f64).into(), (*v).into()]);
    }
    let pts: Vec<(f64, f64)> = d.iter().enumerate().map(|(i, &v)| (i as f64, v)).collect();
    let svg = plot::side_by_side(
        "toy sweep",
        &[Panel {
            title: "per task".into(),
            x_label: "task".into(),
            y_label: "value".into(),
            series: vec![Series::line("tasks", pts, PALETTE[0])],
            log_x: false,
        }],
    )?;
    FigureOutput::new(table, p, svg, Tolerance { abs: 0.0, rel: 0.0 })
}

fn toy_paper() -> Vec<Paper> {
    vec![Paper {
        name: "toy",
        reference: "a toy sweep for the shard tests",
        units: "none",
        studies: vec![
            Study::new("sweep", toy_compute, vec![panel("sweep", "a toy sweep", toy_figure)])
                .sweeping(),
            Study::single(
                "plain",
                "a figure without a sweep",
                |p: &ToyParams, ctx: &RunContext| {
                    let d = ToyData((0..p.tasks).map(|i| toy_task(ctx, i)).collect::<Result<_>>()?);
                    toy_figure(p, &d, ctx)
                },
            ),
        ],
        not_reproduced: vec![],
    }]
}

fn options(out: &std::path::Path, sweep_mode: SweepMode) -> RunOptions {
    RunOptions {
        preset: Some(Preset::Quick),
        seed: 7,
        progress: false,
        out: out.into(),
        check: false,
        sweep_mode,
    }
}

fn shard(index: usize, count: usize) -> SweepMode {
    SweepMode::Shard(Shard { index, count })
}

fn files(dir: &std::path::Path) -> (Vec<u8>, Vec<u8>) {
    let d = dir.join("toy/sweep");
    (std::fs::read(d.join("data.csv")).unwrap(), std::fs::read(d.join("figure.svg")).unwrap())
}

#[test]
fn shards_then_merge_write_what_one_machine_writes() {
    let papers = toy_paper();
    let figs = select(&papers, "toy/sweep").unwrap();
    let whole = tempfile::tempdir().unwrap();
    for s in run_selection(&figs, &options(whole.path(), SweepMode::Whole)).unwrap() {
        s.result.unwrap();
    }
    let sharded = tempfile::tempdir().unwrap();
    for i in [2, 0, 1] {
        let summaries = run_selection(&figs, &options(sharded.path(), shard(i, 3))).unwrap();
        let line = summaries[0].result.as_ref().unwrap();
        assert!(line.contains(&format!("shard {i}/3")), "{line}");
        assert!(!sharded.path().join("toy/sweep/data.csv").exists(), "a shard wrote a figure");
    }
    for s in run_selection(&figs, &options(sharded.path(), SweepMode::Merge)).unwrap() {
        s.result.unwrap();
    }
    assert_eq!(files(whole.path()), files(sharded.path()));
    // The merge records the shard count and the summed task time; the store is gone.
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sharded.path().join("toy/sweep/meta.json")).unwrap())
            .unwrap();
    assert_eq!(meta["sweep"]["shards"], 3, "{}", meta["sweep"]);
    assert_eq!(meta["sweep"]["tasks"], 23);
    assert!(meta["sweep"]["task_time_s"].as_f64().unwrap() >= 0.0);
    assert!(!sharded.path().join("toy/sweep/.checkpoint").exists());
}

#[test]
fn a_merge_with_a_shard_missing_names_it_and_writes_nothing() {
    let papers = toy_paper();
    let figs = select(&papers, "toy/sweep").unwrap();
    let out = tempfile::tempdir().unwrap();
    for i in [0, 2, 3] {
        run_selection(&figs, &options(out.path(), shard(i, 4))).unwrap();
    }
    let summaries = run_selection(&figs, &options(out.path(), SweepMode::Merge)).unwrap();
    let err = summaries[0].result.as_ref().unwrap_err();
    let missing = err.downcast_ref::<TasksMissing>().expect("a TasksMissing error");
    // 23 tasks in 4 shards: shard 1 holds 1, 5, 9, 13, 17, 21.
    assert_eq!(missing.missing, 6, "{err:#}");
    let text = format!("{err:#}");
    assert!(text.contains("6 of 23 tasks are missing"), "{text}");
    assert!(text.contains("rerun shard(s) 1 of 4"), "{text}");
    assert!(!out.path().join("toy/sweep/data.csv").exists());
    // Rerunning the missing shard completes it; the plain run would too.
    run_selection(&figs, &options(out.path(), shard(1, 4))).unwrap();
    for s in run_selection(&figs, &options(out.path(), SweepMode::Merge)).unwrap() {
        s.result.unwrap();
    }
    assert!(out.path().join("toy/sweep/data.csv").exists());
}

#[test]
fn a_plain_run_finishes_a_partly_sharded_sweep_and_figures_without_a_sweep_are_skipped() {
    let papers = toy_paper();
    let figs = select(&papers, "toy").unwrap();
    let out = tempfile::tempdir().unwrap();
    let whole = tempfile::tempdir().unwrap();
    let summaries = run_selection(&figs, &options(out.path(), shard(0, 2))).unwrap();
    let plain = summaries.iter().find(|s| s.figure == "toy/plain").unwrap();
    assert!(plain.result.as_ref().unwrap().contains("skipped by --shard"), "{:?}", plain.result);
    assert!(!out.path().join("toy/plain").exists());
    // A merge with the sweep incomplete still writes the figure without a sweep.
    let summaries = run_selection(&figs, &options(out.path(), SweepMode::Merge)).unwrap();
    for s in &summaries {
        assert_eq!(s.result.is_ok(), s.figure == "toy/plain", "{}: {:?}", s.figure, s.result);
    }
    assert!(out.path().join("toy/plain/data.csv").exists());
    for s in run_selection(&figs, &options(out.path(), SweepMode::Whole)).unwrap() {
        s.result.unwrap();
    }
    for s in run_selection(&figs, &options(whole.path(), SweepMode::Whole)).unwrap() {
        s.result.unwrap();
    }
    assert_eq!(files(whole.path()), files(out.path()));
}

#[test]
fn a_partial_run_draws_the_saved_tasks_labelled_and_keeps_the_store() {
    let papers = toy_paper();
    let figs = select(&papers, "toy/sweep").unwrap();
    let out = tempfile::tempdir().unwrap();
    // Nothing saved yet: the stated error, nothing written.
    let summaries = run_selection(&figs, &options(out.path(), SweepMode::Partial)).unwrap();
    let err = format!("{:#}", summaries[0].result.as_ref().unwrap_err());
    assert!(err.contains("none of the 23 tasks is saved"), "{err}");
    assert!(!out.path().join("partial").exists());
    // Shard 0 of 2 saves tasks 0, 2, …, 22 (12 of 23).
    run_selection(&figs, &options(out.path(), shard(0, 2))).unwrap();
    for s in run_selection(&figs, &options(out.path(), SweepMode::Partial)).unwrap() {
        s.result.unwrap();
    }
    let dir = out.path().join("partial/toy/sweep");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
    assert_eq!(meta["sweep"]["tasks"], 12, "{}", meta["sweep"]);
    assert_eq!(meta["sweep"]["missing"], 11, "{}", meta["sweep"]);
    let notes = meta["notes"].to_string();
    assert!(notes.contains("PARTIAL: 12 of 23 sweep tasks (11 not computed yet)"), "{notes}");
    let svg = std::fs::read_to_string(dir.join("figure.svg")).unwrap();
    assert!(svg.contains("PARTIAL: 12 of 23 sweep tasks"));
    let rows = std::fs::read_to_string(dir.join("data.csv")).unwrap().lines().count();
    assert!(rows > 12 && rows < 23, "the 12 saved tasks and a header: {rows} lines");
    // No figure outside partial/, and the store is still there to resume from.
    assert!(!out.path().join("toy/sweep/data.csv").exists());
    assert!(out.path().join("toy/sweep/.checkpoint").exists());
    // The plain run then finishes the sweep as if never looked at.
    for s in run_selection(&figs, &options(out.path(), SweepMode::Whole)).unwrap() {
        s.result.unwrap();
    }
    let whole = tempfile::tempdir().unwrap();
    for s in run_selection(&figs, &options(whole.path(), SweepMode::Whole)).unwrap() {
        s.result.unwrap();
    }
    assert_eq!(files(whole.path()), files(out.path()));
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("toy/sweep/meta.json")).unwrap())
            .unwrap();
    assert!(meta["sweep"].get("missing").is_none(), "{}", meta["sweep"]);
}

#[test]
fn bad_shard_specs_are_one_line_errors() {
    for (spec, says) in [
        ("3/3", "I must be below N"),
        ("0/0", "N must be at least 1"),
        ("1", "expected I/N"),
        ("a/4", "is not a non-negative integer"),
        ("-1/4", "is not a non-negative integer"),
        ("1/4/2", "is not a non-negative integer"),
    ] {
        let err = spec.parse::<Shard>().unwrap_err().to_string();
        assert!(err.contains(says) && !err.contains('\n'), "{spec}: {err}");
    }
    assert_eq!("2/5".parse::<Shard>().unwrap(), Shard { index: 2, count: 5 });
    // --check with a shard is refused before anything runs.
    let papers = toy_paper();
    let figs = select(&papers, "toy/sweep").unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = RunOptions { check: true, ..options(out.path(), shard(0, 2)) };
    let err = run_selection(&figs, &opts).unwrap_err().to_string();
    assert!(err.contains("cannot be combined"), "{err}");
}

#[test]
fn shards_writing_one_store_at_once_lose_nothing() {
    // Eight shards on eight threads at once into one store, each task counted when it
    // is computed: every task is computed exactly once and the merge loads all of them.
    let dir = tempfile::tempdir().unwrap();
    let n = 64;
    let computed: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
    std::thread::scope(|scope| {
        for index in 0..8 {
            let (dir, computed) = (dir.path(), &computed);
            scope.spawn(move || {
                let cp = Checkpoint::new(
                    dir,
                    "toy/sweep",
                    "params",
                    SweepMode::Shard(Shard { index, count: 8 }),
                    Default::default(),
                );
                let err = cp
                    .run(n, |i| {
                        computed[i].fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        Ok(i * i)
                    })
                    .unwrap_err();
                assert!(err.downcast_ref::<ShardSaved>().is_some(), "{err:#}");
            });
        }
    });
    assert!(computed.iter().all(|c| c.load(Ordering::SeqCst) == 1));
    let merge =
        Checkpoint::new(dir.path(), "toy/sweep", "params", SweepMode::Merge, Default::default());
    let all: Vec<usize> =
        merge.run(n, |_| -> Result<usize> { panic!("a merge computed") }).unwrap();
    assert_eq!(all, (0..n).map(|i| i * i).collect::<Vec<_>>());
}
