//! `cargo xtask slurm <ids> --shards N [options]`: the selected figures' sweeps as a
//! Slurm job array of `repro reproduce … --shard $SLURM_ARRAY_TASK_ID/N`, and a merge job
//! that runs after it (`afterok`, `--kill-on-invalid-dep=yes`: a failed shard cancels
//! the merge instead of leaving it pending forever).
//!
//! The release binary is built once and copied into the job folder
//! `target/slurm/<time>-<ids>/`, with the two scripts and the logs, so a rebuild cannot
//! change it under running jobs. The checkpoint store under `--out` is what survives a
//! failure, a time-out or a preemption: the same command again redoes only the missing
//! tasks. Nothing here schedules: Slurm does.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

pub const USAGE: &str = "usage: cargo xtask slurm <id>... --shards N [--preset quick|paper] [--seed S] \
     [--out DIR] [--cpus-per-task C] [--time T] [--sbatch-arg ARG]... [--dry-run] [--wait]";

/// The parsed command line.
#[derive(Debug, Clone, PartialEq)]
pub struct SlurmArgs {
    pub ids: Vec<String>,
    pub shards: usize,
    pub preset: String,
    pub seed: u64,
    pub out: PathBuf,
    pub cpus_per_task: usize,
    pub time: String,
    pub sbatch_args: Vec<String>,
    pub dry_run: bool,
    pub wait: bool,
}

/// Parses the arguments after `slurm`; relative `--out` against `caller`.
pub fn parse(args: &[String], caller: &Path, root: &Path) -> Result<SlurmArgs, String> {
    let mut a = SlurmArgs {
        ids: Vec::new(),
        shards: 0,
        preset: "quick".into(),
        seed: 1,
        out: root.join("results"),
        cpus_per_task: 1,
        time: "24:00:00".into(),
        sbatch_args: Vec::new(),
        dry_run: false,
        wait: false,
    };
    let mut it = args.iter();
    let mut shards_given = false;
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{name} needs a value"))
        };
        let number = |name: &str, v: String| -> Result<usize, String> {
            v.parse::<usize>().map_err(|_| format!("{name} {v:?} is not a non-negative integer"))
        };
        match flag {
            "--shards" => {
                a.shards = number("--shards", value("--shards")?)?;
                shards_given = true;
            }
            "--preset" => a.preset = value("--preset")?,
            "--seed" => {
                let v = value("--seed")?;
                a.seed = v.parse().map_err(|_| format!("--seed {v:?} is not an integer"))?;
            }
            "--out" => {
                let v = PathBuf::from(value("--out")?);
                a.out = if v.is_absolute() { v } else { caller.join(v) };
            }
            "--cpus-per-task" => {
                a.cpus_per_task = number("--cpus-per-task", value("--cpus-per-task")?)?;
            }
            "--time" => a.time = value("--time")?,
            "--sbatch-arg" => a.sbatch_args.push(value("--sbatch-arg")?),
            "--dry-run" => a.dry_run = true,
            "--wait" => a.wait = true,
            f if f.starts_with('-') => return Err(format!("unknown option {f:?}\n{USAGE}")),
            id => a.ids.push(id.to_owned()),
        }
    }
    if a.ids.is_empty() {
        return Err(format!("name the figures to run\n{USAGE}"));
    }
    if !shards_given {
        return Err(format!("--shards N is required (the size of the job array)\n{USAGE}"));
    }
    if a.shards == 0 {
        return Err("--shards must be at least 1".into());
    }
    if a.cpus_per_task == 0 {
        return Err("--cpus-per-task must be at least 1".into());
    }
    if !matches!(a.preset.as_str(), "quick" | "paper") {
        return Err(format!("unknown preset {:?}; valid presets: quick, paper", a.preset));
    }
    if a.dry_run && a.wait {
        return Err("--dry-run writes the scripts without submitting: it cannot --wait".into());
    }
    Ok(a)
}

/// Single-quotes `s` for bash.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The repro command line shared by both jobs, without the mode flag.
fn repro_line(a: &SlurmArgs, job: &Path) -> String {
    let ids: Vec<String> = a.ids.iter().map(|i| quote(i)).collect();
    format!(
        "{} reproduce {} --preset {} --seed {} --out {} --quiet",
        quote(&job.join("repro").display().to_string()),
        ids.join(" "),
        a.preset,
        a.seed,
        quote(&a.out.display().to_string())
    )
}

fn header(a: &SlurmArgs, name: &str, log: &str, job: &Path) -> String {
    let mut s = format!(
        "#!/bin/bash\n\
         #SBATCH --job-name={name}\n\
         #SBATCH --cpus-per-task={}\n\
         #SBATCH --time={}\n\
         #SBATCH --output={}\n",
        a.cpus_per_task,
        a.time,
        job.join("logs").join(log).display()
    );
    for extra in &a.sbatch_args {
        s.push_str(&format!("#SBATCH {extra}\n"));
    }
    s
}

/// The job-array script: shard `$SLURM_ARRAY_TASK_ID` of N, its exit code in
/// `status/shard-<i>.rc`.
pub fn array_script(a: &SlurmArgs, job: &Path, root: &Path) -> String {
    format!(
        "{}#SBATCH --array=0-{}\n\
         # Shard $SLURM_ARRAY_TASK_ID of {n}: computes and saves only its tasks of every\n\
         # checkpointed sweep in the selection; writes no figure.\n\
         set -uo pipefail\n\
         cd {}\n\
         i=\"$SLURM_ARRAY_TASK_ID\"\n\
         {} --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" --shard \"$i/{n}\"\n\
         rc=$?\n\
         echo \"$rc\" > {}/\"shard-$i.rc\"\n\
         exit \"$rc\"\n",
        header(a, "thermolearn-shards", "shard-%a.log", job),
        a.shards - 1,
        quote(&root.display().to_string()),
        repro_line(a, job),
        quote(&job.join("status").display().to_string()),
        n = a.shards,
    )
}

/// The merge script: writes the figures once every shard is saved; its exit code in
/// `status/merge.rc`.
pub fn merge_script(a: &SlurmArgs, job: &Path, root: &Path) -> String {
    format!(
        "{}# Runs after every shard succeeded (submitted with --dependency=afterok:<array>\n\
         # --kill-on-invalid-dep=yes): computes no sweep task, writes the figures.\n\
         set -uo pipefail\n\
         cd {}\n\
         {} --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" --merge\n\
         rc=$?\n\
         echo \"$rc\" > {}/merge.rc\n\
         exit \"$rc\"\n",
        header(a, "thermolearn-merge", "merge.log", job),
        quote(&root.display().to_string()),
        repro_line(a, job),
        quote(&job.join("status").display().to_string()),
    )
}

/// A folder name for the job: the time and the ids.
fn job_name(ids: &[String]) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let ids: String = ids
        .join("+")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '+' || c == '_' { c } else { '-' })
        .take(60)
        .collect();
    format!("{secs}-{}-{ids}", std::process::id())
}

/// Runs `sbatch --parsable …`, returning the job id.
fn sbatch(args: &[&str]) -> Result<String, String> {
    let out = Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .output()
        .map_err(|e| format!("could not run sbatch ({e}): is Slurm installed here?"))?;
    if !out.status.success() {
        return Err(format!(
            "sbatch {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    // --parsable prints "id" or "id;cluster".
    let text = String::from_utf8_lossy(&out.stdout);
    let id = text.trim().split(';').next().unwrap_or("").to_owned();
    if id.is_empty() {
        return Err(format!("sbatch printed no job id: {text:?}"));
    }
    Ok(id)
}

/// Whether any of `jobs` is still queued or running (`squeue -h -j`). Jobs Slurm no
/// longer knows ("Invalid job id", after they finished and were purged) are not queued;
/// any other squeue failure (a busy or restarting controller) is retried for a minute.
fn queued(jobs: &str) -> Result<bool, String> {
    let mut last = String::new();
    for _ in 0..30 {
        let out = Command::new("squeue")
            .args(["-h", "-o", "%i", "-j", jobs])
            .output()
            .map_err(|e| format!("could not run squeue: {e}"))?;
        if out.status.success() {
            return Ok(!String::from_utf8_lossy(&out.stdout).trim().is_empty());
        }
        last = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        if last.contains("Invalid job id") {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    Err(format!("squeue kept failing for jobs {jobs}: {last}"))
}

pub fn run(args: &[String], root: &Path, binary: &Path) -> ExitCode {
    let caller = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let a = match parse(args, &caller, root) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match submit(&a, root, binary) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn submit(a: &SlurmArgs, root: &Path, binary: &Path) -> Result<ExitCode, String> {
    let job = root.join("target").join("slurm").join(job_name(&a.ids));
    for d in [job.join("logs"), job.join("status")] {
        std::fs::create_dir_all(&d).map_err(|e| format!("creating {}: {e}", d.display()))?;
    }
    std::fs::create_dir_all(&a.out).map_err(|e| format!("creating {}: {e}", a.out.display()))?;
    // The binary the jobs run: a copy, so that a rebuild cannot change it under them.
    std::fs::copy(binary, job.join("repro"))
        .map_err(|e| format!("copying {} into {}: {e}", binary.display(), job.display()))?;
    let array = job.join("array.sbatch");
    let merge = job.join("merge.sbatch");
    for (path, text) in
        [(&array, array_script(a, &job, root)), (&merge, merge_script(a, &job, root))]
    {
        std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    println!("job folder: {}", job.display());
    if a.dry_run {
        println!(
            "dry run: edit the scripts (account, partition, modules) and submit them with\n  \
             id=$(sbatch --parsable {})\n  \
             sbatch --dependency=afterok:${{id%%;*}} --kill-on-invalid-dep=yes {}",
            array.display(),
            merge.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let array_id = sbatch(&[&array.display().to_string()])?;
    let dependency = format!("--dependency=afterok:{array_id}");
    let merge_id =
        sbatch(&[&dependency, "--kill-on-invalid-dep=yes", &merge.display().to_string()])?;
    println!(
        "submitted: shards {array_id} (array 0-{}), merge {merge_id} (after all shards succeed)",
        a.shards - 1
    );
    println!(
        "follow: squeue -j {array_id},{merge_id}   logs: {}/logs/   cancel: scancel {array_id} {merge_id}",
        job.display()
    );
    println!(
        "after a failure, time-out or preemption, run the same command again: only missing tasks are redone"
    );
    if !a.wait {
        return Ok(ExitCode::SUCCESS);
    }
    // `sbatch --wait` reports tens of seconds late; poll the queue instead.
    let jobs = format!("{array_id},{merge_id}");
    while queued(&jobs)? {
        std::thread::sleep(Duration::from_secs(1));
    }
    let status = job.join("status");
    let read = |name: &str| std::fs::read_to_string(status.join(name)).ok();
    let failed: Vec<String> = (0..a.shards)
        .filter(|i| read(&format!("shard-{i}.rc")).is_none_or(|rc| rc.trim() != "0"))
        .map(|i| i.to_string())
        .collect();
    match read("merge.rc") {
        Some(rc) if rc.trim() == "0" => {
            println!("merged: the figures are under {}", a.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(rc) => Err(format!(
            "the merge job failed (exit {}): see {}",
            rc.trim(),
            job.join("logs/merge.log").display()
        )),
        None => Err(format!(
            "the merge did not run (shard(s) {} failed or were cancelled: see {}/logs/); run \
             the same command again to redo only the missing tasks",
            if failed.is_empty() { "?".to_owned() } else { failed.join(", ") },
            job.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_and_rejects() {
        let root = Path::new("/w");
        let caller = Path::new("/home/me");
        let a = parse(
            &args("fig4 --shards 8 --preset paper --out r --cpus-per-task=4 --sbatch-arg --account=x --wait"),
            caller,
            root,
        )
        .unwrap();
        assert_eq!(a.ids, ["fig4"]);
        assert_eq!((a.shards, a.cpus_per_task), (8, 4));
        assert_eq!(a.out, Path::new("/home/me/r"));
        assert_eq!(a.sbatch_args, ["--account=x"]);
        assert!(a.wait && !a.dry_run);
        for (bad, says) in [
            ("fig4", "--shards N is required"),
            ("fig4 --shards 0", "at least 1"),
            ("fig4 --shards x", "not a non-negative integer"),
            ("--shards 2", "name the figures"),
            ("fig4 --shards 2 --preset huge", "unknown preset"),
            ("fig4 --shards 2 --dry-run --wait", "cannot --wait"),
            ("fig4 --shards 2 --bogus", "unknown option"),
            ("fig4 --shards", "needs a value"),
        ] {
            let e = parse(&args(bad), caller, root).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn the_scripts_shard_by_array_index_and_merge_after() {
        let root = Path::new("/w");
        let a = parse(
            &args("bottleneck/fig4c --shards 4 --time 1:00:00 --sbatch-arg --partition=short"),
            root,
            root,
        )
        .unwrap();
        let job = Path::new("/w/target/slurm/j");
        let s = array_script(&a, job, root);
        assert!(s.starts_with("#!/bin/bash\n"), "{s}");
        for line in [
            "#SBATCH --array=0-3",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --time=1:00:00",
            "#SBATCH --partition=short",
            "#SBATCH --output=/w/target/slurm/j/logs/shard-%a.log",
            "'/w/target/slurm/j/repro' reproduce 'bottleneck/fig4c' --preset quick --seed 1 --out '/w/results' --quiet --threads \"${SLURM_CPUS_PER_TASK:-1}\" --shard \"$i/4\"",
        ] {
            assert!(s.lines().any(|l| l == line), "missing {line:?} in\n{s}");
        }
        let m = merge_script(&a, job, root);
        assert!(
            m.contains("--merge\n") && m.contains("logs/merge.log") && !m.contains("--array"),
            "{m}"
        );
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
