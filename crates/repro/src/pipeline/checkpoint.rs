//! Resumable sweeps: each task's result is written to its own JSON file as soon as it is
//! done, and a rerun of the same sweep (same figure, preset, seed and parameters) loads
//! the finished tasks instead of recomputing them. Tasks are independent and seeded by
//! their index, so an interrupted-then-resumed sweep gives the same results as an
//! uninterrupted one. The directory is removed when the whole sweep has finished.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Where a sweep keeps its finished tasks.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    dir: PathBuf,
    key: String,
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
    result: T,
}

impl Checkpoint {
    /// The checkpoint of a sweep under `root/.checkpoint/<figure>/<key>`, with `key` a
    /// hash of everything that determines the tasks (preset parameters, seed).
    pub fn new(root: &Path, figure: &str, fingerprint: &str) -> Self {
        let key = format!("{:016x}", fnv(fingerprint));
        Self { dir: root.join(figure).join(".checkpoint").join(&key), key }
    }

    /// The saved result of task `i`, if its file exists and matches this sweep and its
    /// checksum; a file that exists but does not match is reported.
    fn load<T: Serialize + DeserializeOwned>(&self, i: usize) -> Option<T> {
        let path = self.path(i);
        let text = std::fs::read_to_string(&path).ok()?;
        let verdict = match serde_json::from_str::<TaskFile<T>>(&text) {
            Err(e) => Err(format!("unreadable ({e})")),
            Ok(f) if f.key != self.key || f.task != i => Err(format!(
                "belongs to sweep {} task {}, not {} task {i}",
                f.key, f.task, self.key
            )),
            Ok(f) => match serde_json::to_string(&f.result) {
                Ok(json) if format!("{:016x}", fnv(&json)) == f.checksum => Ok(f.result),
                _ => Err("its checksum does not match its result (edited?)".into()),
            },
        };
        verdict
            .map_err(|why| {
                tracing::warn!("checkpoint {} {why}: recomputing that task", path.display())
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

    /// Runs `task(i)` for every i in 0..n in parallel, skipping the tasks whose result is
    /// already saved, saving each new result as it completes, and returns all results in
    /// task order. On success the checkpoint directory is removed.
    ///
    /// # Errors
    /// The first task error (finished tasks stay saved), or IO errors.
    pub fn run<T, F>(&self, n: usize, task: F) -> Result<Vec<T>>
    where
        T: Serialize + DeserializeOwned + Send,
        F: Fn(usize) -> Result<T> + Sync,
    {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let results: Vec<T> = (0..n)
            .into_par_iter()
            .map(|i| -> Result<T> {
                if let Some(done) = self.load(i) {
                    return Ok(done);
                }
                let out = task(i)?;
                let json = serde_json::to_string(&out)?;
                let file = TaskFile {
                    key: self.key.clone(),
                    task: i,
                    checksum: format!("{:016x}", fnv(&json)),
                    result: &out,
                };
                let path = self.path(i);
                let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
                std::fs::write(&tmp, serde_json::to_string(&file)?)
                    .with_context(|| format!("writing {}", tmp.display()))?;
                std::fs::rename(&tmp, &path)
                    .with_context(|| format!("moving {} into place", tmp.display()))?;
                Ok(out)
            })
            .collect::<Result<_>>()?;
        std::fs::remove_dir_all(&self.dir).ok();
        if let Some(parent) = self.dir.parent() {
            // Only succeeds when no other sweep of this figure is checkpointed there.
            std::fs::remove_dir(parent).ok();
        }
        Ok(results)
    }
}
