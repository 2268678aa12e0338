//! The reproduction harness: ids, presets, output files, --check, determinism.

use repro::output::{check_against_committed, figure_dir};
use repro::{Preset, RunContext, registry, run_figure, select};

fn ctx() -> RunContext {
    RunContext { preset: Preset::Quick, seed: 1, progress: false, checkpoint_root: None }
}

#[test]
fn malformed_ids_and_presets_get_one_line_errors_listing_the_valid_ones() {
    let figs = registry();
    let e = select(&figs, "bottleneck/fig9").unwrap_err().to_string();
    assert!(e.contains("valid ids") && e.contains("bottleneck/fig1b"), "{e}");
    assert!(!e.contains('\n'));
    let e = Preset::parse("fast").unwrap_err().to_string();
    assert_eq!(e, "unknown preset \"fast\"; valid presets: quick, paper");
    assert_eq!(select(&figs, "fig1b").unwrap().len(), 1);
    assert_eq!(select(&figs, "fig2a").unwrap()[0].id, "bottleneck/fig2a");
    let panels: Vec<&str> = select(&figs, "fig2").unwrap().iter().map(|f| f.id).collect();
    assert_eq!(panels, ["bottleneck/fig2a", "bottleneck/fig2b", "bottleneck/fig2c", "goldt/fig2"]);
    let goldt: Vec<&str> = select(&figs, "goldt").unwrap().iter().map(|f| f.id).collect();
    assert_eq!(goldt, ["goldt/fig2", "goldt/fig3", "goldt/fig3inset", "goldt/bound"]);
    // Fig. 5 shows the systems trained for Fig. 4a, so `fig4` selects it too.
    let fig4: Vec<&str> = select(&figs, "fig4").unwrap().iter().map(|f| f.id).collect();
    assert_eq!(
        fig4,
        [
            "bottleneck/fig4a",
            "bottleneck/fig4b",
            "bottleneck/fig4c",
            "bottleneck/fig4d",
            "bottleneck/fig5"
        ]
    );
    assert!(select(&figs, "fig").is_err() && select(&figs, "fig2ab").is_err());
    assert_eq!(select(&figs, "all").unwrap().len(), figs.len());
    repro::bottleneck::validate_presets().unwrap();
    repro::bottleneck_linear::validate_presets().unwrap();
}

#[test]
fn a_figure_writes_csv_meta_and_svg_and_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let figs = registry();
    let fig = select(&figs, "bottleneck/fig1c").unwrap()[0];
    run_figure(fig, &ctx(), dir.path(), false).unwrap();
    let fdir = figure_dir(dir.path(), fig.id);
    let csv = std::fs::read_to_string(fdir.join("data.csv")).unwrap();
    assert!(csv.starts_with("phi,x1,x2,p\n"));
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fdir.join("meta.json")).unwrap()).unwrap();
    for key in
        ["preset", "seed", "units", "git_revision", "wall_time_s", "params", "choices", "columns"]
    {
        assert!(meta.get(key).is_some(), "meta.json lacks {key}");
    }
    let svg = std::fs::read_to_string(fdir.join("figure.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("p(y = 1 | x)"));
    // The same computation passes --check …
    assert!(run_figure(fig, &ctx(), dir.path(), true).unwrap().contains("matches"));
    // … and a committed value that drifted is named.
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    let fields: Vec<&str> = lines[5].split(',').collect();
    let bumped = fields[3].parse::<f64>().unwrap() + 1e-3;
    lines[5] = format!("{},{},{},{bumped}", fields[0], fields[1], fields[2]);
    std::fs::write(fdir.join("data.csv"), lines.join("\n") + "\n").unwrap();
    let e = format!("{:#}", run_figure(fig, &ctx(), dir.path(), true).unwrap_err());
    assert!(e.contains("drift") && e.contains("row 4, column p"), "{e}");
}

#[test]
fn check_without_committed_data_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let figs = registry();
    let fig = select(&figs, "bottleneck/fig1d").unwrap()[0];
    let out = (fig.run)(&ctx()).unwrap();
    let e = format!("{:#}", check_against_committed(dir.path(), fig.id, &out).unwrap_err());
    assert!(e.contains("no committed data"), "{e}");
}

#[test]
fn same_bytes_for_any_thread_count() {
    let figs = registry();
    for id in ["bottleneck/fig1c", "bottleneck/fig1d"] {
        let fig = select(&figs, id).unwrap()[0];
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let out = pool.install(|| (fig.run)(&ctx())).unwrap();
            (out.table.to_csv(), out.svg)
        };
        assert_eq!(run(1), run(2), "{id}");
    }
}

#[test]
fn an_interrupted_sweep_resumes_to_the_uninterrupted_result() {
    use repro::checkpoint::Checkpoint;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A seeded task: its result depends only on its index.
    let task = |i: usize| -> anyhow::Result<(usize, f64)> {
        let mut rng = stoch_core::stream_rng(5, i as u64);
        Ok((i, rand::Rng::next_u64(&mut rng) as f64 / u64::MAX as f64))
    };
    let fresh = tempfile::tempdir().unwrap();
    let whole = Checkpoint::new(fresh.path(), "paper/fig", "params").run(20, task).unwrap();
    // Interrupted: task 13 fails (a Ctrl-C stand-in) after others have been saved.
    let dir = tempfile::tempdir().unwrap();
    let cp = Checkpoint::new(dir.path(), "paper/fig", "params");
    let first = cp.run(20, |i| if i == 13 { anyhow::bail!("interrupted") } else { task(i) });
    assert!(first.is_err());
    // Rerun: only the missing tasks are computed, and the result is the same.
    let computed = AtomicUsize::new(0);
    let resumed = cp
        .run(20, |i| {
            computed.fetch_add(1, Ordering::Relaxed);
            task(i)
        })
        .unwrap();
    assert_eq!(resumed, whole);
    assert!(computed.load(Ordering::Relaxed) < 20, "finished tasks were recomputed");
    // A finished sweep leaves no checkpoint behind.
    assert!(!dir.path().join("paper/fig/.checkpoint").exists());
}
