//! Master equations (`stoch-core`): steady state, fluxes, Schnakenberg entropy production
//! with its per-edge terms, p(t), detailed balance. Rates are a NumPy matrix
//! `rates[i, j] = k(i → j)` (inverse time; the diagonal is ignored).

use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use stoch_core::{RateMatrix, SteadyStateSolver};

use crate::IntoPy;
use crate::arrays::{from_flat, slice1, square};

fn rate_matrix(rates: &PyReadonlyArray2<'_, f64>) -> PyResult<RateMatrix> {
    square(rates, "the rate matrix")?;
    let v = rates.as_array();
    let rows: Vec<Vec<f64>> = v.rows().into_iter().map(|r| r.to_vec()).collect();
    RateMatrix::from_rows(&rows).py()
}

fn steady(rm: &RateMatrix) -> PyResult<Vec<f64>> {
    let mut p = vec![0.0; rm.n_states()];
    SteadyStateSolver::new().solve(rm, &mut p).py()?;
    Ok(p)
}

/// steady_state(rates) -> p
///
/// The stationary distribution of the master equation ṗ_j = Σ_i p_i k(i→j) − p_j Σ_k
/// k(j→k). `rates[i, j]` is k(i→j) (inverse time). Raises StochError for a NaN or
/// negative rate or a reducible chain.
#[pyfunction]
fn steady_state<'py>(
    py: Python<'py>,
    rates: PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let rm = rate_matrix(&rates)?;
    let p = py.detach(|| steady(&rm))?;
    Ok(p.into_pyarray(py))
}

/// net_fluxes(rates, p) -> J
///
/// J[i, j] = p_i k(i→j) − p_j k(j→i), per unit time (antisymmetric).
#[pyfunction]
fn net_fluxes<'py>(
    py: Python<'py>,
    rates: PyReadonlyArray2<'py, f64>,
    p: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let rm = rate_matrix(&rates)?;
    let n = rm.n_states();
    let j = rm.net_fluxes(&slice1(&p)).py()?;
    Ok(from_flat(py, j, n, n))
}

/// entropy_production(rates, p=None) -> dict
///
/// Schnakenberg's entropy production rate σ = Σ_{i<j} J_ij ln[p_i k_ij / (p_j k_ji)]
/// (nats per unit time, k_B = 1) at p (default: the steady state), with every edge's
/// terms: keys `total`, `i`, `j`, `flux`, `affinity` (nats) and `rate` (J·affinity).
/// Raises StochError for a one-way transition (infinite entropy production).
#[pyfunction]
#[pyo3(signature = (rates, p=None))]
fn entropy_production<'py>(
    py: Python<'py>,
    rates: PyReadonlyArray2<'py, f64>,
    p: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let rm = rate_matrix(&rates)?;
    let p = match &p {
        Some(p) => slice1(p).into_owned(),
        None => py.detach(|| steady(&rm))?,
    };
    let ep = rm.schnakenberg(&p).py()?;
    let d = PyDict::new(py);
    d.set_item("total", ep.total)?;
    let col = |f: &dyn Fn(&stoch_core::EdgeEntropy) -> f64| -> Vec<f64> {
        ep.edges.iter().map(f).collect()
    };
    let idx = |f: &dyn Fn(&stoch_core::EdgeEntropy) -> usize| -> Vec<i64> {
        ep.edges.iter().map(|e| f(e) as i64).collect()
    };
    d.set_item("i", idx(&|e| e.i).into_pyarray(py))?;
    d.set_item("j", idx(&|e| e.j).into_pyarray(py))?;
    d.set_item("flux", col(&|e| e.flux).into_pyarray(py))?;
    d.set_item("affinity", col(&|e| e.affinity).into_pyarray(py))?;
    d.set_item("rate", col(&|e| e.rate).into_pyarray(py))?;
    d.set_item("p", p.into_pyarray(py))?;
    Ok(d)
}

/// evolve(rates, p0, t) -> p(t)
///
/// The solution p(t) = p0 e^{Gt} of the master equation at time t (the rates' time unit).
#[pyfunction]
fn evolve<'py>(
    py: Python<'py>,
    rates: PyReadonlyArray2<'py, f64>,
    p0: PyReadonlyArray1<'py, f64>,
    t: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let rm = rate_matrix(&rates)?;
    let p0 = slice1(&p0).into_owned();
    let p = py.detach(|| rm.evolve(&p0, t)).py()?;
    Ok(p.into_pyarray(py))
}

/// detailed_balance_violation(rates, p=None) -> float
///
/// max over edges of |p_i k_ij − p_j k_ji| / (p_i k_ij + p_j k_ji) at p (default: the
/// steady state); 0 exactly when detailed balance holds.
#[pyfunction]
#[pyo3(signature = (rates, p=None))]
fn detailed_balance_violation(
    py: Python<'_>,
    rates: PyReadonlyArray2<'_, f64>,
    p: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<f64> {
    let rm = rate_matrix(&rates)?;
    let p = match &p {
        Some(p) => slice1(p).into_owned(),
        None => py.detach(|| steady(&rm))?,
    };
    rm.detailed_balance_violation(&p).py()
}

/// is_detailed_balance(rates, rel_tol=1e-9) -> bool
///
/// Whether the steady state satisfies detailed balance: every edge's relative flux
/// imbalance (see detailed_balance_violation) at most rel_tol.
#[pyfunction]
#[pyo3(signature = (rates, rel_tol=1e-9))]
fn is_detailed_balance(rates: PyReadonlyArray2<'_, f64>, rel_tol: f64) -> PyResult<bool> {
    rate_matrix(&rates)?.is_detailed_balance(rel_tol).py()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(steady_state, m)?)?;
    m.add_function(wrap_pyfunction!(net_fluxes, m)?)?;
    m.add_function(wrap_pyfunction!(entropy_production, m)?)?;
    m.add_function(wrap_pyfunction!(evolve, m)?)?;
    m.add_function(wrap_pyfunction!(detailed_balance_violation, m)?)?;
    m.add_function(wrap_pyfunction!(is_detailed_balance, m)?)?;
    Ok(())
}
