//! One run at a time per study and output folder: a lock file
//! `<out>/<paper>/.<study>.lock` holding the owner's process id, created exclusively.
//!
//! Two runs of the same study into the same `--out` used to break each other (the first
//! to finish removed the shared checkpoint folder, and concurrent writers left a
//! `data.csv` of one run beside the `meta.json` of another). Now the second run waits
//! for the first, saying so once, and then runs itself. A lock left by a process that no
//! longer exists (killed with SIGKILL) is taken over.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

/// A held study lock; released (the file removed) on drop.
#[derive(Debug)]
pub struct StudyLock {
    path: PathBuf,
}

/// Whether process `pid` is alive (Linux: /proc/<pid> exists; elsewhere assumed alive).
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

impl StudyLock {
    /// Takes the lock of `study` (`paper/study`) under `out`, waiting while another live
    /// process holds it.
    ///
    /// # Errors
    /// IO errors creating the folder or the lock file (the path is named).
    pub fn acquire(out: &Path, study: &str) -> Result<Self> {
        let (paper, name) = study.split_once('/').unwrap_or(("", study));
        let dir = out.join(paper);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!(".{name}.lock"));
        let mut said = false;
        loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    write!(f, "{}", std::process::id())
                        .with_context(|| format!("writing {}", path.display()))?;
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let owner = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    match owner {
                        Some(pid) if !alive(pid) => {
                            // Stale: its process is gone. Another waiter may remove it
                            // first; either way the next create_new decides.
                            std::fs::remove_file(&path).ok();
                            continue;
                        }
                        _ => {
                            if !said {
                                eprintln!(
                                    "{study}: waiting for {} (another run of this study into \
                                     the same folder{})",
                                    path.display(),
                                    owner.map(|p| format!(", process {p}")).unwrap_or_default()
                                );
                                said = true;
                            }
                            std::thread::sleep(Duration::from_millis(200));
                        }
                    }
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("creating lock {}", path.display()));
                }
            }
        }
    }
}

impl Drop for StudyLock {
    fn drop(&mut self) {
        std::fs::remove_file(&self.path).ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_and_a_stale_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = StudyLock::acquire(dir.path(), "paper/study").unwrap();
        let lock_path = dir.path().join("paper/.study.lock");
        assert!(lock_path.exists());
        let out = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let t = std::time::Instant::now();
            let _second = StudyLock::acquire(&out, "paper/study").unwrap();
            t.elapsed()
        });
        std::thread::sleep(Duration::from_millis(500));
        drop(first);
        let waited = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(400), "the second run waited {waited:?}");
        assert!(!lock_path.exists(), "released on drop");
        // A lock whose process is gone (pid far above any live one) is taken over.
        std::fs::write(&lock_path, "4000000000").unwrap();
        let t = std::time::Instant::now();
        let _third = StudyLock::acquire(dir.path(), "paper/study").unwrap();
        assert!(t.elapsed() < Duration::from_secs(2));
    }
}
