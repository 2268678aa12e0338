//! Exact stochastic simulation (`gillespie`): the kinetic Ising network for a batch of
//! inputs in parallel, and mass-action reaction networks.

use gillespie::{
    BatchLane, DirectMethod, KineticIsing, Reaction, ReactionNetwork, SpinBatchEngine, SpinStats,
    StopRule, Trajectory, stream_rng,
};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

use crate::IntoPy;
use crate::arrays::{from_flat, shape2, slice2, square};

/// Stop at `t_max` (time) or after `n_max` jumps, whichever comes first.
fn stop_rule(t_max: Option<f64>, n_max: Option<u64>) -> PyResult<StopRule> {
    Ok(match (t_max, n_max) {
        (Some(t), Some(j)) => StopRule::time_or_jumps(t, j),
        (Some(t), None) => StopRule::time(t),
        (None, Some(j)) => StopRule::jumps(j),
        (None, None) => return Err(PyValueError::new_err("give t_max, n_max or both")),
    })
}

/// The network from a dense NumPy W or a SciPy sparse matrix (anything with `tocoo()`
/// and a square `shape`); returns (n, network).
fn network(couplings: &Bound<'_, PyAny>, beta: f64) -> PyResult<(usize, KineticIsing)> {
    if couplings.hasattr("tocoo")? {
        let coo = couplings.call_method0("tocoo")?;
        let (r, c): (usize, usize) = coo.getattr("shape")?.extract()?;
        if r != c {
            return Err(PyValueError::new_err(format!(
                "couplings must be square, got shape ({r}, {c})"
            )));
        }
        let list = |name: &str| coo.getattr(name)?.call_method0("tolist");
        let rows: Vec<usize> = list("row")?.extract()?;
        let cols: Vec<usize> = list("col")?.extract()?;
        let vals: Vec<f64> = list("data")?.extract()?;
        // Stored zeros are dropped, as the dense path drops zero entries.
        let triplets: Vec<(usize, usize, f64)> = rows
            .into_iter()
            .zip(cols)
            .zip(vals)
            .filter(|&(_, w)| w != 0.0)
            .map(|((i, j), w)| (i, j, w))
            .collect();
        return Ok((r, KineticIsing::new(beta, r, &triplets).py()?));
    }
    let dense: PyReadonlyArray2<'_, f64> = couplings.extract()?;
    let n = square(&dense, "couplings")?;
    Ok((n, KineticIsing::from_dense(beta, &slice2(&dense)).py()?))
}

/// What one input's run measured.
struct IsingRun {
    magnetization: Vec<f64>,
    entropy: f64,
    entropy_rate: f64,
    jumps: u64,
    window: f64,
}

/// Inputs per lockstep batch: independent runs advanced together by
/// [`SpinBatchEngine`] so their work overlaps in the processor (46–56 against 60 ns per
/// jump on the benchmark network, `crates/gillespie/benchmarks/README.md`).
const LANES: usize = 4;

/// Inputs `first..first + count` of a batch, run in lockstep; input k is the Rust API's
/// run with stream `stream_rng(seed, k)` (each lane is bit-identical to a
/// [`gillespie::SpinFlipEngine`] run with that stream).
fn ising_chunk(
    model: &KineticIsing,
    fields: &[f64],
    initial: &[i8],
    stop: StopRule,
    seed: u64,
    first: usize,
    count: usize,
) -> Result<Vec<IsingRun>, gillespie::GillespieError> {
    let n = model.n_spins();
    let mut rngs: Vec<_> = (first..first + count).map(|k| stream_rng(seed, k as u64)).collect();
    let mut lanes: Vec<BatchLane<'_, _>> = rngs
        .iter_mut()
        .enumerate()
        .map(|(l, rng)| {
            let k = first + l;
            BatchLane { fields: &fields[k * n..(k + 1) * n], initial, stop, rng }
        })
        .collect();
    let mut stats = vec![SpinStats::default(); count];
    let summaries = SpinBatchEngine::new().run(model, &mut lanes, &mut stats);
    summaries
        .into_iter()
        .zip(stats)
        .map(|(s, st)| {
            s.map(|s| IsingRun {
                magnetization: st.magnetization,
                entropy: st.entropy,
                entropy_rate: st.entropy_rate,
                jumps: s.window_jumps,
                window: s.window,
            })
        })
        .collect()
}

/// kinetic_ising(couplings, fields, beta, *, t_max=None, n_max=None, transient=0.0,
/// initial=None, seed=0) -> dict
///
/// Glauber-type kinetic Ising network with flip rates w_i = exp(−β s_i h_i),
/// h = W s + x, run by the exact Gillespie algorithm for every row of `fields` (one
/// input x per row, shape (m, n)) in parallel, without the GIL. `couplings` is the
/// n × n W (W[i, j]: the field on i from j; asymmetric allowed), a dense float64 array
/// or a SciPy sparse matrix (duplicate entries are added up). Each run starts from
/// `initial` (n spins ±1, default all +1), stops at `t_max` (time) or `n_max` jumps,
/// whichever comes first, and averages after `transient`. Input k uses the stream
/// `streams::stream_rng(seed, k)`, so results do not depend on the thread count; inputs
/// run four at a time in lockstep (gillespie's SpinBatchEngine, bit-identical per input).
///
/// Returns a dict of arrays: `magnetization` (m, n) time-averaged ⟨s_i⟩; `entropy_rate`
/// (m,) in nats per unit time; `entropy` (m,) nats in the window; `jumps` (m,);
/// `window` (m,) its length.
#[pyfunction]
#[pyo3(signature = (couplings, fields, beta, *, t_max=None, n_max=None, transient=0.0, initial=None, seed=0))]
#[allow(clippy::too_many_arguments)]
fn kinetic_ising<'py>(
    py: Python<'py>,
    couplings: Bound<'py, PyAny>,
    fields: PyReadonlyArray2<'py, f64>,
    beta: f64,
    t_max: Option<f64>,
    n_max: Option<u64>,
    transient: f64,
    initial: Option<Vec<i8>>,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let (n, model) = network(&couplings, beta)?;
    let (m, nf) = shape2(&fields);
    if nf != n {
        return Err(PyValueError::new_err(format!(
            "fields must have one column per spin: shape ({m}, {nf}) for {n} spins"
        )));
    }
    let stop = stop_rule(t_max, n_max)?.with_transient(transient);
    let x = slice2(&fields);
    let initial = initial.unwrap_or_else(|| vec![1; n]);
    let runs: Vec<IsingRun> = py
        .detach(|| {
            let chunks: Vec<Vec<IsingRun>> = (0..m.div_ceil(LANES))
                .into_par_iter()
                .map(|c| {
                    let first = c * LANES;
                    ising_chunk(&model, &x, &initial, stop, seed, first, LANES.min(m - first))
                })
                .collect::<Result<_, _>>()?;
            Ok::<_, gillespie::GillespieError>(chunks.into_iter().flatten().collect())
        })
        .py()?;
    let d = PyDict::new(py);
    let mag: Vec<f64> = runs.iter().flat_map(|r| r.magnetization.iter().copied()).collect();
    d.set_item("magnetization", from_flat(py, mag, m, n))?;
    let col = |f: &dyn Fn(&IsingRun) -> f64| -> Bound<'py, PyArray1<f64>> {
        runs.iter().map(f).collect::<Vec<f64>>().into_pyarray(py)
    };
    d.set_item("entropy_rate", col(&|r| r.entropy_rate))?;
    d.set_item("entropy", col(&|r| r.entropy))?;
    d.set_item("window", col(&|r| r.window))?;
    d.set_item("jumps", runs.iter().map(|r| r.jumps).collect::<Vec<u64>>().into_pyarray(py))?;
    Ok(d)
}

/// mass_action(n_species, reactions, x0, *, t_max=None, n_max=None, seed=0)
/// -> (times, states)
///
/// Gillespie's direct method for a mass-action network. `reactions` is a list of
/// (rate, reactants, products), reactants and products lists of (species, count): the
/// propensity is k Π n_s (n_s − 1) ⋯ (n_s − ν_s + 1) (no 1/ν! factor, as rebop). Starts
/// from the counts `x0`; returns the jump times (m,) and the states after each jump
/// (m, n_species), the start included at t = 0. Stream `streams::stream_rng(seed, 0)`.
#[pyfunction]
#[pyo3(signature = (n_species, reactions, x0, *, t_max=None, n_max=None, seed=0))]
#[allow(clippy::type_complexity)]
fn mass_action<'py>(
    py: Python<'py>,
    n_species: usize,
    reactions: Vec<(f64, Vec<(usize, u32)>, Vec<(usize, u32)>)>,
    x0: Vec<i64>,
    t_max: Option<f64>,
    n_max: Option<u64>,
    seed: u64,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyArray2<i64>>)> {
    let stop = stop_rule(t_max, n_max)?;
    let reactions: Vec<Reaction> = reactions
        .into_iter()
        .map(|(rate, reactants, products)| Reaction { rate, reactants, products })
        .collect();
    let net = ReactionNetwork::new(n_species, reactions).py()?;
    let mut state = x0.clone();
    let traj = py
        .detach(|| {
            let mut rng = stream_rng(seed, 0);
            let mut traj = Trajectory::default();
            DirectMethod::new().run(&net, &mut state, stop, &mut rng, &mut traj).map(|_| traj)
        })
        .py()?;
    let mut times = vec![0.0];
    let mut flat = x0;
    for (t, _, s) in &traj.jumps {
        times.push(*t);
        flat.extend_from_slice(s);
    }
    let rows = times.len();
    let states = PyArray1::from_vec(py, flat).reshape([rows, n_species])?;
    Ok((times.into_pyarray(py), states))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(kinetic_ising, m)?)?;
    m.add_function(wrap_pyfunction!(mass_action, m)?)?;
    Ok(())
}
