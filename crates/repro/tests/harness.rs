//! The reproduction harness: ids, presets, studies, output files, --check, determinism.

use repro::papers;
use repro::pipeline::checkpoint::SweepMode;
use repro::pipeline::output::figure_dir;
use repro::pipeline::{
    FigureRef, Preset, RunContext, RunOptions, all_figures, run_selection, select,
};

fn ids(figs: &[FigureRef<'_>]) -> Vec<String> {
    figs.iter().map(FigureRef::id).collect()
}

fn options(out: &std::path::Path, check: bool) -> RunOptions {
    RunOptions {
        preset: Some(Preset::Quick),
        seed: 1,
        progress: false,
        out: out.into(),
        check,
        sweep_mode: SweepMode::Whole,
    }
}

#[test]
fn malformed_ids_and_presets_get_one_line_errors_listing_the_valid_ones() {
    let papers = papers::all();
    let e = select(&papers, "bottleneck/fig9").unwrap_err().to_string();
    assert!(e.contains("valid ids") && e.contains("bottleneck/fig1b"), "{e}");
    assert!(!e.contains('\n'));
    let e = Preset::parse("fast").unwrap_err().to_string();
    assert_eq!(e, "unknown preset \"fast\"; valid presets: quick, paper");
    // A bare id is every paper's figure family: springs' fig1b study draws fig1b_spread.
    assert_eq!(
        ids(&select(&papers, "fig1b").unwrap()),
        ["bottleneck/fig1b", "springs/fig1b", "springs/fig1b_spread"]
    );
    assert_eq!(select(&papers, "fig2a").unwrap()[0].id(), "bottleneck/fig2a");
    let panels = ids(&select(&papers, "fig2").unwrap());
    assert_eq!(
        panels,
        ["bottleneck/fig2a", "bottleneck/fig2b", "bottleneck/fig2c", "goldt/fig2", "springs/fig2"]
    );
    let goldt = ids(&select(&papers, "goldt").unwrap());
    assert_eq!(goldt, ["goldt/fig2", "goldt/fig3", "goldt/fig3inset", "goldt/bound"]);
    // Fig. 5 is drawn by the fig4a study, so `fig4` selects it too; `fig5` alone is
    // only fig5.
    let fig4 = ids(&select(&papers, "fig4").unwrap());
    assert_eq!(
        fig4,
        [
            "bottleneck/fig4a",
            "bottleneck/fig4a_training",
            "bottleneck/fig4a_cost",
            "bottleneck/fig5",
            "bottleneck/fig4b",
            "bottleneck/fig4c",
            "bottleneck/fig4c_training",
            "bottleneck/fig4c_cost",
            "bottleneck/fig4d",
            "springs/fig4a",
            "springs/fig4b",
            "springs/fig4_batch",
            "springs/fig4_length",
        ]
    );
    let fig4a_study = [
        "bottleneck/fig4a",
        "bottleneck/fig4a_training",
        "bottleneck/fig4a_cost",
        "bottleneck/fig5",
    ];
    let mut fig5 = fig4a_study.to_vec();
    fig5.push("springs/fig5");
    assert_eq!(ids(&select(&papers, "fig5").unwrap()), fig5);
    assert!(select(&papers, "fig").is_err() && select(&papers, "fig2ab").is_err());
    assert_eq!(select(&papers, "all").unwrap().len(), all_figures(&papers).len());
}

#[test]
fn an_id_must_name_a_figure_a_paper_or_a_figure_family_exactly() {
    // Regression: "" and every prefix of "bound" used to select goldt/bound, and with the
    // default --out would overwrite its committed result.
    let papers = papers::all();
    for id in ["", "b", "bo", "bou", "boun", "f", "bottle", "goldt/", "/fig2", "fig2 "] {
        assert!(select(&papers, id).is_err(), "{id:?} selected something");
    }
    assert_eq!(ids(&select(&papers, "bound").unwrap()), ["goldt/bound"]);
    assert_eq!(ids(&select(&papers, "fig3inset").unwrap()), ["goldt/fig3inset"]);
}

#[test]
fn every_preset_of_every_study_validates() {
    let papers = papers::all();
    let mut studies = 0;
    for paper in &papers {
        for study in &paper.studies {
            for preset in Preset::ALL {
                let params = study
                    .params(preset)
                    .unwrap_or_else(|e| panic!("{}/{} {preset:?}: {e:#}", paper.name, study.name));
                assert!(
                    params.is_object(),
                    "{}/{}: params must be a JSON object",
                    paper.name,
                    study.name
                );
            }
            studies += 1;
        }
    }
    assert!(studies >= 13, "{studies} studies");
}

#[test]
fn a_figure_writes_csv_meta_and_svg_and_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let papers = papers::all();
    let fig = select(&papers, "bottleneck/fig1c").unwrap();
    let run = |check| run_selection(&fig, &options(dir.path(), check)).unwrap().remove(0).result;
    run(false).unwrap();
    let fdir = figure_dir(dir.path(), "bottleneck/fig1c");
    let csv = std::fs::read_to_string(fdir.join("data.csv")).unwrap();
    assert!(csv.starts_with("phi,x1,x2,p\n"));
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fdir.join("meta.json")).unwrap()).unwrap();
    for key in [
        "preset",
        "seed",
        "units",
        "git_revision",
        "wall_time_s",
        "study",
        "params",
        "choices",
        "columns",
    ] {
        assert!(meta.get(key).is_some(), "meta.json lacks {key}");
    }
    // The revision is the source tree's, not the output folder's (a temporary one here,
    // outside any repository), whenever the source is a git checkout.
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.git").exists();
    if checkout {
        assert_ne!(meta["git_revision"], "unknown");
    }
    let svg = std::fs::read_to_string(fdir.join("figure.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("p(y = 1 | x)"));
    // The same computation passes --check …
    assert!(run(true).unwrap().contains("matches"));
    // … and a committed value that drifted is named.
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    let fields: Vec<&str> = lines[5].split(',').collect();
    let bumped = fields[3].parse::<f64>().unwrap() + 1e-3;
    lines[5] = format!("{},{},{},{bumped}", fields[0], fields[1], fields[2]);
    std::fs::write(fdir.join("data.csv"), lines.join("\n") + "\n").unwrap();
    let e = format!("{:#}", run(true).unwrap_err());
    assert!(e.contains("drift") && e.contains("row 4, column p"), "{e}");
}

#[test]
fn check_without_committed_data_fails_before_computing() {
    let dir = tempfile::tempdir().unwrap();
    let papers = papers::all();
    // fig4a's paper preset takes an hour: --check must refuse at once, naming every
    // missing figure, instead of computing first.
    let figs = select(&papers, "fig4").unwrap();
    let start = std::time::Instant::now();
    let opts = RunOptions { preset: None, ..options(dir.path(), true) };
    let e = format!("{:#}", run_selection(&figs, &opts).unwrap_err());
    assert!(
        e.contains("nothing committed")
            && e.contains("bottleneck/fig4a")
            && e.contains("bottleneck/fig4d"),
        "{e}"
    );
    assert!(start.elapsed().as_secs() < 5);
    // A malformed meta.json is named.
    let fdir = figure_dir(dir.path(), "bottleneck/fig1d");
    std::fs::create_dir_all(&fdir).unwrap();
    std::fs::write(fdir.join("meta.json"), "{ not json").unwrap();
    let fig = select(&papers, "bottleneck/fig1d").unwrap();
    let e = format!("{:#}", run_selection(&fig, &opts).unwrap_err());
    assert!(e.contains("meta.json") && e.contains("not valid JSON"), "{e}");
}

#[test]
fn a_study_is_computed_once_for_all_its_panels_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let papers = papers::all();
    let figs: Vec<_> = select(&papers, "fig6")
        .unwrap()
        .into_iter()
        .filter(|f| f.paper.name == "bottleneck")
        .collect();
    let out = run_selection(&figs, &options(dir.path(), false)).unwrap();
    assert_eq!(out.len(), 2);
    let meta = |id: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(figure_dir(dir.path(), id).join("meta.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let (a, b) = (meta("bottleneck/fig6a"), meta("bottleneck/fig6b"));
    assert_eq!(a["study"]["id"], "bottleneck/fig6");
    assert_eq!(
        a["study"]["rendered_together"],
        serde_json::json!(["bottleneck/fig6a", "bottleneck/fig6b"])
    );
    // One computation: both panels record the same compute time, and each its wall time
    // as that plus its own rendering.
    assert_eq!(a["study"]["compute_s"], b["study"]["compute_s"]);
    let compute = a["study"]["compute_s"].as_f64().unwrap();
    assert!(a["wall_time_s"].as_f64().unwrap() >= compute);
    assert!(compute > 0.0);
}

#[test]
fn same_bytes_for_any_thread_count() {
    let papers = papers::all();
    for id in
        ["bottleneck/fig1c", "bottleneck/fig1d", "bottleneck/fig4d", "springs/fig5", "springs/fig2"]
    {
        let fig = select(&papers, id).unwrap()[0];
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let ctx = RunContext::quiet(Preset::Quick, 1, &fig.study_id());
            let out = pool.install(|| fig.study().run(&ctx, &[fig.figure])).unwrap();
            let (o, _) = &out.panels[0];
            (o.table.to_csv(), o.svg.clone())
        };
        assert_eq!(run(1), run(2), "{id}");
    }
}

#[test]
fn an_interrupted_sweep_resumes_to_the_uninterrupted_result() {
    use repro::pipeline::checkpoint::Checkpoint;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A seeded task: its result depends only on its index.
    let task = |i: usize| -> anyhow::Result<(usize, f64)> {
        let mut rng = streams::keyed_rng(5, "test/task", &[i as u64]);
        Ok((i, rand::Rng::next_u64(&mut rng) as f64 / u64::MAX as f64))
    };
    let fresh = tempfile::tempdir().unwrap();
    let whole =
        Checkpoint::new(fresh.path(), "paper/fig", "params", SweepMode::Whole, Default::default())
            .run(20, task)
            .unwrap();
    // Interrupted: task 13 fails (a Ctrl-C stand-in) after others have been saved.
    let dir = tempfile::tempdir().unwrap();
    let cp =
        Checkpoint::new(dir.path(), "paper/fig", "params", SweepMode::Whole, Default::default());
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

#[test]
fn concurrent_runs_into_one_folder_leave_one_consistent_set() {
    // Regression (hostile-input issue): concurrent fig4d runs with seeds 1 and 2 into one
    // folder failed or left data.csv of one seed beside meta.json of the other. With the
    // study lock they run one after the other; the final set is one run's, whole.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_path_buf();
    let runs: Vec<_> = (0..4u64)
        .map(|i| {
            let out = out.clone();
            std::thread::spawn(move || {
                let papers = papers::all();
                let figs = select(&papers, "bottleneck/fig4d").unwrap();
                let opts = RunOptions { seed: 1 + i % 2, ..options(&out, false) };
                let s = run_selection(&figs, &opts).unwrap();
                assert!(s.iter().all(|x| x.result.is_ok()));
            })
        })
        .collect();
    for r in runs {
        r.join().unwrap();
    }
    let fdir = figure_dir(&out, "bottleneck/fig4d");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fdir.join("meta.json")).unwrap()).unwrap();
    let seed = meta["seed"].as_u64().unwrap();
    let data = std::fs::read(fdir.join("data.csv")).unwrap();
    // The same seed alone gives the same data.csv.
    let alone = tempfile::tempdir().unwrap();
    let papers = papers::all();
    let figs = select(&papers, "bottleneck/fig4d").unwrap();
    run_selection(&figs, &RunOptions { seed, ..options(alone.path(), false) }).unwrap();
    let expected =
        std::fs::read(figure_dir(alone.path(), "bottleneck/fig4d").join("data.csv")).unwrap();
    assert!(data == expected, "data.csv is not the run of seed {seed} recorded in meta.json");
    // No temporary files or locks are left.
    let leftovers: Vec<_> = std::fs::read_dir(&fdir)
        .unwrap()
        .chain(std::fs::read_dir(out.join("bottleneck")).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_edited_or_foreign_checkpoint_file_is_recomputed_not_used() {
    // Regression (hostile-input issue): a valid but edited task file was used as is.
    use repro::pipeline::checkpoint::Checkpoint;
    let task = |i: usize| -> anyhow::Result<(usize, f64)> { Ok((i, i as f64 * 0.5)) };
    let dir = tempfile::tempdir().unwrap();
    let cp =
        Checkpoint::new(dir.path(), "paper/fig", "params", SweepMode::Whole, Default::default());
    let _ = cp.run(4, |i| if i == 3 { anyhow::bail!("stop") } else { task(i) });
    let file = cp.dir().join("task-00001.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"checksum\""), "{text}");
    // Edit the result of task 1 (0.5 → 9.5) and plant task 0's file as task 2's.
    std::fs::write(&file, text.replace("0.5", "9.5")).unwrap();
    std::fs::copy(cp.dir().join("task-00000.json"), cp.dir().join("task-00002.json")).unwrap();
    let out = cp.run(4, task).unwrap();
    assert_eq!(out, vec![(0, 0.0), (1, 0.5), (2, 1.0), (3, 1.5)]);
    // A checkpoint of other parameters is another folder.
    let other = Checkpoint::new(
        dir.path(),
        "paper/fig",
        "other params",
        SweepMode::Whole,
        Default::default(),
    );
    assert_ne!(other.dir(), cp.dir());
}

#[test]
fn check_at_another_preset_than_the_committed_one_says_so() {
    // Regression (hostile-input issue): --check --preset paper against quick data
    // computed first and then reported drift in every number.
    let dir = tempfile::tempdir().unwrap();
    let papers = papers::all();
    let figs = select(&papers, "bottleneck/fig1d").unwrap();
    run_selection(&figs, &options(dir.path(), false)).unwrap();
    let opts = RunOptions { preset: Some(Preset::Paper), ..options(dir.path(), true) };
    let e = format!("{:#}", run_selection(&figs, &opts).unwrap_err());
    assert!(
        e.contains("bottleneck/fig1d (committed: quick)") && e.contains("drop --preset"),
        "{e}"
    );
    // At the committed preset (explicit or not) the check runs.
    assert!(run_selection(&figs, &options(dir.path(), true)).unwrap()[0].result.is_ok());
}

#[test]
fn io_errors_name_the_path() {
    // Regression (hostile-input issue): errors came without a path ("No such file or
    // directory (os error 2)"). An --out that is a file (so nothing can be created under
    // it) must name the path that failed.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let papers = papers::all();
    let figs = select(&papers, "bottleneck/fig4d").unwrap();
    let e = match run_selection(&figs, &options(&blocker, false)) {
        Err(e) => format!("{e:#}"),
        Ok(s) => format!("{:#}", s[0].result.as_ref().unwrap_err()),
    };
    assert!(e.contains(&blocker.display().to_string()), "{e}");
}
