//! The Rust side of "Python gives the same numbers as the Rust API": this test computes a
//! few seeded results with the library crates directly and compares them with
//! `crates/python/tests/rust_reference.json`, which the Python test suite
//! (`crates/python/tests/test_against_rust.py`) compares with the same calls made through
//! the bindings. Both sides must match the file exactly. To rewrite the file after a
//! deliberate change of random-number use: `THERMOLEARN_BLESS=1 cargo test -p models
//! --test python_reference`.

use gillespie::{
    DirectMethod, KineticIsing, Reaction, ReactionNetwork, SpinFlipEngine, SpinStats, StopRule,
    Trajectory,
};
use langevin::{EulerMaruyama, ExactOu, LinearLangevin, Noise, run};
use serde_json::{Value, json};
use streams::stream_rng;

/// The 6-spin network of the reference: W[i][j] = 0.3 sin(i + 2j) off the diagonal.
fn couplings() -> Vec<f64> {
    let n = 6u32;
    (0..n * n)
        .map(|k| {
            let (i, j) = (k / n, k % n);
            if i == j { 0.0 } else { 0.3 * f64::from(i + 2 * j).sin() }
        })
        .collect()
}

/// Fields of input k: x_i = 0.2 cos(i + k).
fn fields(k: u32) -> Vec<f64> {
    (0..6u32).map(|i| 0.2 * f64::from(i + k).cos()).collect()
}

fn reference() -> Value {
    // Kinetic Ising: 3 inputs, 3000 jumps, transient 1.0, seed 11, input k on stream k.
    let model = KineticIsing::from_dense(1.0, &couplings()).unwrap();
    let ising: Vec<Value> = (0..3)
        .map(|k| {
            let mut engine = SpinFlipEngine::new();
            let mut stats = SpinStats::default();
            let stop = StopRule::jumps(3000).with_transient(1.0);
            let s = engine
                .run(
                    &model,
                    &fields(k),
                    &[1; 6],
                    stop,
                    &mut stream_rng(11, u64::from(k)),
                    &mut stats,
                )
                .unwrap();
            json!({
                "magnetization": stats.magnetization,
                "entropy": stats.entropy,
                "entropy_rate": stats.entropy_rate,
                "jumps": s.window_jumps,
                "window": s.window,
            })
        })
        .collect();
    // Birth–death by mass action: ∅ → A at 10, A → ∅ at 1 per A, 200 jumps, seed 3.
    let net = ReactionNetwork::new(
        1,
        vec![
            Reaction { rate: 10.0, reactants: vec![], products: vec![(0, 1)] },
            Reaction { rate: 1.0, reactants: vec![(0, 1)], products: vec![] },
        ],
    )
    .unwrap();
    let mut state = vec![0i64];
    let mut traj = Trajectory::default();
    DirectMethod::new()
        .run(&net, &mut state, StopRule::jumps(200), &mut stream_rng(3, 0), &mut traj)
        .unwrap();
    let (t_last, _, s_last) = traj.jumps.last().unwrap().clone();
    // A linear Langevin system: 300 steps of 0.01 from (1, −1), seed 7, both integrators.
    let a = faer::mat![[-1.0, 0.8], [-0.8, -1.0]];
    let sys = LinearLangevin::new(a, vec![0.1, 0.0], Noise::Additive(0.3)).unwrap();
    let mut exact = vec![1.0, -1.0];
    let mut ou = ExactOu::new(&sys, 0.01).unwrap();
    run(&mut ou, &sys, 0.0, &mut exact, 300, &mut stream_rng(7, 0), &mut ()).unwrap();
    let mut euler = vec![1.0, -1.0];
    let mut em = EulerMaruyama::new(&sys, 0.01).unwrap();
    run(&mut em, &sys, 0.0, &mut euler, 300, &mut stream_rng(7, 0), &mut ()).unwrap();
    // The random task, 4 × 3, seed 5.
    let task = datasets::RandomTask::new(4, 3, 5).unwrap();
    // SPSA on −Σ (θ_i − 1)², 50 steps, a = 0.1, c = 0.1, seed 9.
    let spsa = learn::Spsa::new(50, 0.1, 0.1);
    let result = spsa
        .maximize(
            &[0.0, 0.5, -0.5],
            |theta: &[f64], _seed: u64| -> Result<f64, learn::LearnError> {
                let mut s = 0.0;
                for t in theta {
                    s += (t - 1.0) * (t - 1.0);
                }
                Ok(-s)
            },
            &mut stream_rng(9, 0),
            |_| {},
        )
        .unwrap();
    json!({
        "kinetic_ising": ising,
        "mass_action": { "jumps": traj.jumps.len(), "t_last": t_last, "state_last": s_last },
        "langevin": { "exact": exact, "euler": euler },
        "random_task": { "x": task.x, "y": task.y },
        "spsa": { "theta": result.theta, "averaged": result.averaged },
    })
}

#[test]
fn the_python_reference_file_matches_the_rust_api() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../python/tests/rust_reference.json");
    let now = reference();
    if std::env::var_os("THERMOLEARN_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&now).unwrap();
        std::fs::write(&path, text + "\n").unwrap();
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (THERMOLEARN_BLESS=1 writes it)", path.display()));
    let saved: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved, now, "the Rust API no longer gives the numbers the Python tests expect");
}
