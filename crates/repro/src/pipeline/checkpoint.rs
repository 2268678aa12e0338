//! Resumable sweeps: each task's result is written to its own JSON file as soon as it is
//! done, and a rerun of the same sweep (same figure, preset, seed and parameters) loads
//! the finished tasks instead of recomputing them. Tasks are independent and seeded by
//! their index, so an interrupted-then-resumed sweep gives the same results as an
//! uninterrupted one. The directory is removed when the whole sweep has finished.
//!
//! The same store lets a sweep run beyond one machine ([`SweepMode`]):
//! - `--shard I/N` computes (or loads) only the tasks with index ≡ I (mod N), saves each
//!   atomically, and stops the study with [`ShardSaved`]: no figure is written. Any number
//!   of shards may write one store at once (each task file is written under a private
//!   temporary name and renamed into place), on one machine or many sharing a file system.
//! - `--merge` computes no task: with every task saved it returns them all and the figure
//!   is written exactly as by a single-machine run; otherwise it fails with
//!   [`TasksMissing`], naming how many are missing and which shards to rerun. (The runner
//!   computes the selected figures that have no sweep during the merge.)
//! - A plain run finishes a partly sharded sweep, computing only what is missing.
//! - `--partial` computes no task either: it returns the tasks saved so far
//!   ([`Checkpoint::saved`]), never removes the store, and the runner writes the figures
//!   under `<out>/partial/`, labelled with how many tasks they rest on
//!   ([`SweepTiming::missing`]), so a sweep too long for one session can be looked at
//!   (and its resumable state committed with figures) without ever overwriting a
//!   finished figure.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// One shard of a sweep: the tasks with index ≡ `index` (mod `count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// I, from 0.
    pub index: usize,
    /// N ≥ 1.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = anyhow::Error;

    /// Parses `I/N` with 0 ≤ I < N.
    fn from_str(s: &str) -> Result<Self> {
        let Some((i, n)) = s.split_once('/') else {
            bail!("--shard {s:?}: expected I/N (e.g. 0/4, for the first of four shards)");
        };
        let parse = |what: &str, v: &str| -> Result<usize> {
            v.trim().parse::<usize>().map_err(|_| {
                anyhow::anyhow!("--shard {s:?}: {what} {v:?} is not a non-negative integer")
            })
        };
        let (index, count) = (parse("I", i)?, parse("N", n)?);
        if count == 0 {
            bail!("--shard {s:?}: N must be at least 1");
        }
        if index >= count {
            bail!("--shard {s:?}: I must be below N (shards are numbered 0 to {})", count - 1);
        }
        Ok(Self { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// How a run treats its checkpointed sweeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SweepMode {
    /// Compute what is missing, return everything (the single-machine run).
    #[default]
    Whole,
    /// Compute this shard's tasks, save them and stop the study ([`ShardSaved`]).
    Shard(Shard),
    /// Compute nothing; every task must be saved ([`TasksMissing`] otherwise).
    Merge,
    /// Compute nothing; return the saved tasks only ([`Checkpoint::saved`]).
    Partial,
}

/// What a shard run did: the study stops here, on purpose, without writing a figure.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "shard {shard}: {computed} task(s) computed and {loaded} already saved of this shard's \
     {mine}; {present} of {total} tasks of the sweep are in {dir} (no figure written: run \
     --merge once every shard is done)"
)]
pub struct ShardSaved {
    /// The shard.
    pub shard: Shard,
    /// Tasks of this shard computed now.
    pub computed: usize,
    /// Tasks of this shard found saved.
    pub loaded: usize,
    /// Tasks in this shard.
    pub mine: usize,
    /// Tasks of the whole sweep now saved.
    pub present: usize,
    /// Tasks of the sweep.
    pub total: usize,
    /// The store.
    pub dir: String,
}

/// `--merge` found tasks missing.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "--merge: {missing} of {total} tasks are missing in {dir} (tasks {tasks}); {rerun}; nothing \
     was written"
)]
pub struct TasksMissing {
    /// How many are missing.
    pub missing: usize,
    /// Tasks of the sweep.
    pub total: usize,
    /// The missing task indices, abbreviated.
    pub tasks: String,
    /// Which shards to rerun (when the shard count is on record), or what to run.
    pub rerun: String,
    /// The store.
    pub dir: String,
}

/// What the sweeps of one study did, for meta.json: task count, the summed time of the
/// tasks (where they were computed, on whichever machine) and the shard count.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SweepTiming {
    /// Tasks over every checkpointed sweep of the study.
    pub tasks: usize,
    /// Their summed compute time, seconds (task files written before times were
    /// recorded are counted in `tasks_without_time`).
    pub task_time_s: f64,
    /// Tasks whose file has no time.
    pub tasks_without_time: usize,
    /// The shard count the store was filled with (`None`: one machine).
    pub shards: Option<usize>,
    /// In a `--partial` run: tasks of the sweeps not computed yet (the figures rest on
    /// `tasks` of `tasks + missing`). Absent from complete runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<usize>,
}

/// Shared between a run's context and its checkpoints.
pub type SweepLog = Arc<Mutex<SweepTiming>>;

/// Where a sweep keeps its finished tasks.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    dir: PathBuf,
    key: String,
    mode: SweepMode,
    log: SweepLog,
}

/// FNV-1a, 64 bits.
fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A task file: the result with what it belongs to.
#[derive(serde::Serialize, serde::Deserialize)]
struct TaskFile<T> {
    key: String,
    task: usize,
    checksum: String,
    /// Seconds the task took (absent in files from before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seconds: Option<f64>,
    result: T,
}

/// The shard count of a store, written by the shards (`shards.json`).
#[derive(serde::Serialize, serde::Deserialize)]
struct ShardsFile {
    count: usize,
}

/// Writes `text` to `path` atomically: a private temporary file, then a rename.
fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    // Private to this host, process and thread: shards on machines sharing the store
    // never write the same temporary file.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let tmp = path.with_file_name(format!(
        ".{name}.{}.{}.{:?}.tmp",
        host.trim(),
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("moving {} into place", tmp.display()))?;
    Ok(())
}

/// "3, 7, 11, … (12 in all)".
fn abbreviate(items: &[usize]) -> String {
    let shown: Vec<String> = items.iter().take(8).map(usize::to_string).collect();
    if items.len() > 8 {
        format!("{}, … ({} in all)", shown.join(", "), items.len())
    } else {
        shown.join(", ")
    }
}

impl Checkpoint {
    /// The checkpoint of a sweep under `root/<figure>/.checkpoint/<key>`, with `key` a
    /// hash of everything that determines the tasks (preset parameters, seed), run in
    /// `mode`; task counts and times are added to `log`.
    pub fn new(
        root: &Path,
        figure: &str,
        fingerprint: &str,
        mode: SweepMode,
        log: SweepLog,
    ) -> Self {
        let key = format!("{:016x}", fnv(fingerprint));
        Self { dir: root.join(figure).join(".checkpoint").join(&key), key, mode, log }
    }

    /// The saved result of task `i` and its time, if its file exists and matches this
    /// sweep and its checksum; a file that exists but does not match is reported.
    fn load<T: Serialize + DeserializeOwned>(&self, i: usize) -> Option<(T, Option<f64>)> {
        let path = self.path(i);
        let text = std::fs::read_to_string(&path).ok()?;
        let verdict = match serde_json::from_str::<TaskFile<T>>(&text) {
            Err(e) => Err(format!("unreadable ({e})")),
            Ok(f) if f.key != self.key || f.task != i => Err(format!(
                "belongs to sweep {} task {}, not {} task {i}",
                f.key, f.task, self.key
            )),
            Ok(f) => match serde_json::to_string(&f.result) {
                Ok(json) if format!("{:016x}", fnv(&json)) == f.checksum => {
                    Ok((f.result, f.seconds))
                }
                _ => Err("its checksum does not match its result (edited?)".into()),
            },
        };
        verdict
            .map_err(|why| {
                let then = if matches!(self.mode, SweepMode::Merge | SweepMode::Partial) {
                    ""
                } else {
                    ": recomputing that task"
                };
                tracing::warn!("checkpoint {} {why}{then}", path.display())
            })
            .ok()
    }

    /// How many of tasks 0..n are already saved (for progress bars of a resumed sweep).
    pub fn count_finished(&self, n: usize) -> usize {
        (0..n).filter(|&i| self.path(i).exists()).count()
    }

    /// The folder holding the task files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, task: usize) -> PathBuf {
        self.dir.join(format!("task-{task:05}.json"))
    }

    /// The shard count on record in the store, if shards filled it.
    fn recorded_shards(&self) -> Option<usize> {
        let text = std::fs::read_to_string(self.dir.join("shards.json")).ok()?;
        serde_json::from_str::<ShardsFile>(&text).ok().map(|f| f.count)
    }

    /// Loads task `i` or computes and saves it; returns it with its time.
    fn load_or_compute<T, F>(&self, i: usize, task: &F) -> Result<(T, Option<f64>, bool)>
    where
        T: Serialize + DeserializeOwned + Send,
        F: Fn(usize) -> Result<T> + Sync,
    {
        if let Some((done, seconds)) = self.load(i) {
            return Ok((done, seconds, false));
        }
        let start = Instant::now();
        let out = task(i)?;
        let seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        let json = serde_json::to_string(&out)?;
        let file = TaskFile {
            key: self.key.clone(),
            task: i,
            checksum: format!("{:016x}", fnv(&json)),
            seconds: Some(seconds),
            result: &out,
        };
        write_atomic(&self.path(i), &serde_json::to_string(&file)?)?;
        Ok((out, Some(seconds), true))
    }

    /// The saved results of tasks 0..n (`None` where a task is not saved yet), computing
    /// nothing and keeping the store, for a `--partial` run; the saved and missing counts
    /// go to the log.
    ///
    /// # Errors
    /// If not a single task is saved (there is nothing to draw).
    pub fn saved<T>(&self, n: usize) -> Result<Vec<Option<T>>>
    where
        T: Serialize + DeserializeOwned + Send,
    {
        let loaded: Vec<Option<(T, Option<f64>)>> =
            (0..n).into_par_iter().map(|i| self.load(i)).collect();
        let times: Vec<Option<f64>> = loaded.iter().flatten().map(|d| d.1).collect();
        if times.is_empty() {
            bail!(
                "--partial: none of the {n} tasks is saved in {} (run the sweep, or some \
                 shards of it, first)",
                self.dir.display()
            );
        }
        let missing = n - times.len();
        self.record(&times);
        {
            let mut log = self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            log.missing = Some(log.missing.unwrap_or(0) + missing);
        }
        Ok(loaded.into_iter().map(|d| d.map(|d| d.0)).collect())
    }

    fn record(&self, times: &[Option<f64>]) {
        let mut log = self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        log.tasks += times.len();
        let sum = log.task_time_s + times.iter().flatten().sum::<f64>();
        log.task_time_s = (sum * 1000.0).round() / 1000.0;
        log.tasks_without_time += times.iter().filter(|t| t.is_none()).count();
        if let Some(n) = self.recorded_shards() {
            log.shards = Some(n);
        }
    }

    fn finish(&self) {
        std::fs::remove_dir_all(&self.dir).ok();
        if let Some(parent) = self.dir.parent() {
            // Only succeeds when no other sweep of this figure is checkpointed there.
            std::fs::remove_dir(parent).ok();
        }
    }

    /// Runs `task(i)` for every i in 0..n in parallel, skipping the tasks whose result is
    /// already saved, saving each new result as it completes, and returns all results in
    /// task order; on success the checkpoint directory is removed. In shard and merge
    /// mode, see the module docs.
    ///
    /// # Errors
    /// The first task error (finished tasks stay saved), IO errors; [`ShardSaved`] at the
    /// end of every shard run; [`TasksMissing`] for a merge with tasks missing.
    pub fn run<T, F>(&self, n: usize, task: F) -> Result<Vec<T>>
    where
        T: Serialize + DeserializeOwned + Send,
        F: Fn(usize) -> Result<T> + Sync,
    {
        if matches!(self.mode, SweepMode::Whole | SweepMode::Shard(_)) {
            std::fs::create_dir_all(&self.dir)
                .with_context(|| format!("creating {}", self.dir.display()))?;
        }
        match self.mode {
            SweepMode::Whole => {
                let done: Vec<(T, Option<f64>, bool)> = (0..n)
                    .into_par_iter()
                    .map(|i| self.load_or_compute(i, &task))
                    .collect::<Result<_>>()?;
                self.record(&done.iter().map(|d| d.1).collect::<Vec<_>>());
                self.finish();
                Ok(done.into_iter().map(|d| d.0).collect())
            }
            SweepMode::Shard(shard) => {
                write_atomic(
                    &self.dir.join("shards.json"),
                    &serde_json::to_string(&ShardsFile { count: shard.count })?,
                )?;
                let mine: Vec<usize> = (shard.index..n).step_by(shard.count).collect();
                let fresh: Vec<bool> = mine
                    .par_iter()
                    .map(|&i| self.load_or_compute(i, &task).map(|d| d.2))
                    .collect::<Result<_>>()?;
                let computed = fresh.iter().filter(|&&f| f).count();
                Err(ShardSaved {
                    shard,
                    computed,
                    loaded: mine.len() - computed,
                    mine: mine.len(),
                    present: self.count_finished(n),
                    total: n,
                    dir: self.dir.display().to_string(),
                }
                .into())
            }
            SweepMode::Merge => {
                let loaded: Vec<Option<(T, Option<f64>)>> =
                    (0..n).into_par_iter().map(|i| self.load(i)).collect();
                let missing: Vec<usize> = (0..n).filter(|&i| loaded[i].is_none()).collect();
                if !missing.is_empty() {
                    let rerun = match self.recorded_shards() {
                        Some(count) => {
                            let mut shards: Vec<usize> =
                                missing.iter().map(|i| i % count).collect();
                            shards.dedup();
                            shards.sort_unstable();
                            shards.dedup();
                            format!(
                                "rerun shard(s) {} of {count} (--shard I/{count}), or run without \
                                 --merge to compute them here",
                                abbreviate(&shards)
                            )
                        }
                        None => "no shard has written this store: run the shards first, or \
                                 run without --merge"
                            .to_owned(),
                    };
                    return Err(TasksMissing {
                        missing: missing.len(),
                        total: n,
                        tasks: abbreviate(&missing),
                        rerun,
                        dir: self.dir.display().to_string(),
                    }
                    .into());
                }
                let done: Vec<(T, Option<f64>)> = loaded.into_iter().flatten().collect();
                self.record(&done.iter().map(|d| d.1).collect::<Vec<_>>());
                self.finish();
                Ok(done.into_iter().map(|d| d.0).collect())
            }
            // Nothing is computed, so there is no complete result to return.
            SweepMode::Partial => {
                bail!("a --partial run reads its sweep with Checkpoint::saved, not run")
            }
        }
    }
}
