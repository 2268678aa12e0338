//! Speed runs for the side-by-side comparisons in `benchmarks/` (prints one JSON line).
//!
//! ```text
//! cargo run --release -p gillespie --example gillespie_speed -- ising MODEL.json REPS
//! cargo run --release -p gillespie --example gillespie_speed -- ising_batch MODEL.json REPS [LANES]
//! cargo run --release -p gillespie --example gillespie_speed -- birth_death TMAX REPS
//! cargo run --release -p gillespie --example gillespie_speed -- vilar TMAX REPS
//! cargo run --release -p gillespie --example gillespie_speed -- ensemble TRAJ JUMPS
//! ```
//! `MODEL.json` holds {"w": [n·n row-major], "x": [n], "beta": b, "njumps": J}.

use std::time::Instant;

use gillespie::*;

#[path = "../benches/common.rs"]
mod common;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The network and run length of a `MODEL.json` written by `compare_ising.py`.
fn load_ising(path: &str) -> Result<(KineticIsing, Vec<f64>, u64), Box<dyn std::error::Error>> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let get = |k: &str| -> Vec<f64> {
        v[k].as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default()
    };
    let beta = v["beta"].as_f64().ok_or("beta")?;
    let model = KineticIsing::from_dense(beta, &get("w"))?;
    Ok((model, get("x"), v["njumps"].as_u64().ok_or("njumps")?))
}

/// Times the direct and sum-tree methods on a reaction network, whole runs to `tmax`.
fn time_network<M: Reversible + DependencyGraph>(
    what: &str,
    model: &M,
    init: M::State,
    suffix: &str,
    tmax: f64,
    reps: usize,
) -> Result<(), Box<dyn std::error::Error>>
where
    M::State: Clone,
{
    let mut direct = DirectMethod::new();
    let mut tree = SumTreeMethod::new();
    for engine in ["direct", "sum_tree"] {
        let mut ns = Vec::new();
        let mut events = Vec::new();
        for r in 0..reps {
            let mut rng = stream_rng(1000 + r as u64, 0);
            let mut state = init.clone();
            let t0 = Instant::now();
            let run = if engine == "direct" {
                direct.run(model, &mut state, StopRule::time(tmax), &mut rng, &mut ())?
            } else {
                tree.run(model, &mut state, StopRule::time(tmax), &mut rng, &mut ())?
            };
            ns.push(t0.elapsed().as_secs_f64() * 1e9 / run.jumps as f64);
            events.push(run.jumps as f64);
        }
        println!(
            "{{\"model\": \"{what}\", \"engine\": \"{engine}{suffix}\", \"ns_per_event_median\": {:.2}, \"min\": {:.2}, \"events_median\": {:.0}, \"reps\": {reps}}}",
            median(ns.clone()),
            ns.iter().cloned().fold(f64::INFINITY, f64::min),
            median(events)
        );
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: speed ising MODEL.json REPS | ising_batch MODEL.json REPS [LANES] | birth_death TMAX REPS | vilar TMAX REPS | ensemble TRAJ JUMPS";
    let what = args.first().ok_or(usage)?;
    match what.as_str() {
        "ising" => {
            let (model, x, njumps) = load_ising(args.get(1).ok_or(usage)?)?;
            let reps: usize = args.get(2).ok_or(usage)?.parse()?;
            for (name, m) in
                [("tabulated", model.clone()), ("fields_exp", model.clone().without_tables())]
            {
                let mut eng = SpinFlipEngine::new();
                let mut out = SpinStats::default();
                let mut rng = stream_rng(12345, 0);
                let mut ns = Vec::new();
                for _ in 0..reps {
                    let init = common::random_spins(m.n_spins(), &mut rng);
                    let t0 = Instant::now();
                    eng.run(&m, &x, &init, StopRule::jumps(njumps), &mut rng, &mut out)?;
                    ns.push(t0.elapsed().as_secs_f64() * 1e9 / njumps as f64);
                }
                println!(
                    "{{\"engine\": \"spin_flip_{name}\", \"ns_per_jump_median\": {:.2}, \"min\": {:.2}, \"reps\": {reps}, \"last_entropy\": {:.4}}}",
                    median(ns.clone()),
                    ns.iter().cloned().fold(f64::INFINITY, f64::min),
                    out.entropy
                );
            }
        }
        "ising_batch" => {
            // The same model, run L trajectories at a time in lockstep (SpinBatchEngine);
            // ns per jump of one trajectory = wall / (L · jumps).
            let (model, x, njumps) = load_ising(args.get(1).ok_or(usage)?)?;
            let reps: usize = args.get(2).ok_or(usage)?.parse()?;
            // An optional lane count times that batch size alone (for profiles).
            let sizes: Vec<usize> = match args.get(3) {
                Some(l) => vec![l.parse()?],
                None => vec![1, 2, 4, 8],
            };
            let mut eng = SpinBatchEngine::new();
            for lanes in sizes {
                let mut out = vec![SpinStats::default(); lanes];
                let mut rngs: Vec<_> = (0..lanes).map(|l| stream_rng(12345, l as u64)).collect();
                let mut ns = Vec::new();
                for _ in 0..reps {
                    let inits: Vec<Vec<i8>> =
                        rngs.iter_mut().map(|r| common::random_spins(model.n_spins(), r)).collect();
                    let mut batch: Vec<BatchLane<'_, _>> = rngs
                        .iter_mut()
                        .zip(&inits)
                        .map(|(rng, init)| BatchLane {
                            fields: &x,
                            initial: init,
                            stop: StopRule::jumps(njumps),
                            rng,
                        })
                        .collect();
                    let t0 = Instant::now();
                    for r in eng.run(&model, &mut batch, &mut out) {
                        r?;
                    }
                    ns.push(t0.elapsed().as_secs_f64() * 1e9 / (njumps as usize * lanes) as f64);
                }
                println!(
                    "{{\"engine\": \"spin_batch_{lanes}_lanes\", \"ns_per_jump_median\": {:.2}, \"min\": {:.2}, \"reps\": {reps}, \"last_entropy\": {:.4}}}",
                    median(ns.clone()),
                    ns.iter().cloned().fold(f64::INFINITY, f64::min),
                    out[0].entropy
                );
            }
        }
        "birth_death" | "vilar" => {
            let tmax: f64 = args.get(1).ok_or(usage)?.parse()?;
            let reps: usize = args.get(2).ok_or(usage)?.parse()?;
            if what == "vilar" {
                let model = vilar();
                let init = [1, 1, 0, 0, 0, 0, 0, 0, 0];
                time_network(what, &model, init.to_vec(), "", tmax, reps)?;
                time_network(what, &model.with_fixed_state::<9>()?, init, "_fixed", tmax, reps)?;
            } else {
                let model = birth_death(1e4, 1.0)?;
                time_network(what, &model, vec![10_000], "", tmax, reps)?;
                time_network(
                    what,
                    &model.with_fixed_state::<1>()?,
                    [10_000],
                    "_fixed",
                    tmax,
                    reps,
                )?;
            }
        }
        "ensemble" => {
            let traj: usize = args.get(1).ok_or(usage)?.parse()?;
            let jumps: u64 = args.get(2).ok_or(usage)?.parse()?;
            let (model, x) = common::baseline_ising(0);
            let mut walls = Vec::new();
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
                let t0 = Instant::now();
                let ep: Vec<f64> = pool.install(|| {
                    ensemble(traj, 5, SpinFlipEngine::new, |eng, _, rng| {
                        let init = common::random_spins(model.n_spins(), rng);
                        let mut out = SpinStats::default();
                        eng.run(&model, &x, &init, StopRule::jumps(jumps), rng, &mut out)
                            .map(|_| out.entropy)
                            .unwrap_or(f64::NAN)
                    })
                });
                walls.push((t0.elapsed().as_secs_f64(), ep.iter().sum::<f64>()));
            }
            println!(
                "{{\"ensemble\": {traj}, \"jumps_each\": {jumps}, \"wall_1_thread_s\": {:.3}, \"wall_2_threads_s\": {:.3}, \"speedup\": {:.3}, \"same_result\": {}}}",
                walls[0].0,
                walls[1].0,
                walls[0].0 / walls[1].0,
                walls[0].1.to_bits() == walls[1].1.to_bits()
            );
        }
        _ => return Err(usage.into()),
    }
    Ok(())
}
