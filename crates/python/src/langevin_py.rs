//! Linear Langevin systems dz = (A z + b) dt + B dW (`langevin`): the stationary
//! covariance (Lyapunov), the entropy production three ways, and integrator runs.

use langevin::{
    EulerMaruyama, ExactOu, Integrator, LinearLangevin, Noise, SampleMoments, run, stream_rng,
};
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::IntoPy;
use crate::arrays::{from_flat, mat, slice1, square, to_numpy2};

/// The noise: a float σ (B = σ I) or a matrix B.
#[derive(FromPyObject)]
enum NoiseArg<'py> {
    Scalar(f64),
    Matrix(PyReadonlyArray2<'py, f64>),
}

fn system(
    a: &PyReadonlyArray2<'_, f64>,
    noise: NoiseArg<'_>,
    b: Option<PyReadonlyArray1<'_, f64>>,
    odd: Option<Vec<bool>>,
) -> PyResult<LinearLangevin> {
    let n = square(a, "the drift matrix A")?;
    let noise = match noise {
        NoiseArg::Scalar(s) => Noise::Additive(s),
        NoiseArg::Matrix(m) => Noise::General(mat(&m)),
    };
    let b = match &b {
        Some(b) => slice1(b).into_owned(),
        None => vec![0.0; n],
    };
    let sys = LinearLangevin::new(mat(a), b, noise).py()?;
    match odd {
        Some(odd) => sys.with_odd_coordinates(odd).py(),
        None => Ok(sys),
    }
}

/// stationary_covariance(a, noise, b=None) -> C
///
/// The stationary covariance C of dz = (A z + b) dt + B dW, solving A C + C Aᵀ + B Bᵀ = 0
/// (langevin's matrix-sign Lyapunov solver). `noise` is σ (B = σ I) or the matrix B.
/// Raises LangevinError naming the eigenvalue when A is not stable.
#[pyfunction]
#[pyo3(signature = (a, noise, b=None))]
fn stationary_covariance<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    noise: NoiseArg<'py>,
    b: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let sys = system(&a, noise, b, None)?;
    let c = py.detach(|| sys.stationary_covariance()).py()?;
    Ok(to_numpy2(py, c.as_ref()))
}

/// entropy_production(a, noise, odd=None, rel_tol=1e-10) -> dict
///
/// The stationary entropy production rate (nats per unit time) three ways: `covariance`
/// (from the Lyapunov solution), `spectral` (the frequency integral, to rel_tol) and
/// `production` (Landi–Tomé–de Oliveira Π at the stationary state, with its `flux` Φ
/// and `entropy_change` dS/dt = 0). `odd` marks coordinates odd under time reversal
/// (velocities); the spectral form is given only without odd coordinates.
#[pyfunction]
#[pyo3(signature = (a, noise, odd=None, rel_tol=1e-10))]
fn entropy_production<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    noise: NoiseArg<'py>,
    odd: Option<Vec<bool>>,
    rel_tol: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let has_odd = odd.as_ref().is_some_and(|o| o.iter().any(|&v| v));
    let sys = system(&a, noise, None, odd)?;
    let (cov, spectral, rates) = py
        .detach(|| -> Result<_, langevin::LangevinError> {
            let cov = sys.stationary_entropy_production()?;
            let spectral =
                if has_odd { None } else { Some(sys.spectral_entropy_production(rel_tol)?) };
            let rates = sys.entropy_rates(&sys.stationary_moments()?)?;
            Ok((cov, spectral, rates))
        })
        .py()?;
    let d = PyDict::new(py);
    d.set_item("covariance", cov)?;
    d.set_item("spectral", spectral)?;
    d.set_item("production", rates.production)?;
    d.set_item("flux", rates.flux)?;
    d.set_item("entropy_change", rates.entropy_change)?;
    Ok(d)
}

/// simulate(a, noise, x0, dt, steps, *, b=None, method="exact", every=1, seed=0,
/// record="trajectory")
///
/// Integrates dz = (A z + b) dt + B dW from x0 for `steps` steps of dt, with the exact
/// Ornstein–Uhlenbeck update (`method="exact"`) or Euler–Maruyama (`"euler"`), drawing
/// from `streams::stream_rng(seed, 0)`. `record="trajectory"` returns the states at
/// t = 0, every·dt, … as an array (rows, n); `record="moments"` returns a dict with the
/// sample `mean` and `covariance` over every step (start included) and `count`.
#[pyfunction]
#[pyo3(signature = (a, noise, x0, dt, steps, *, b=None, method="exact", every=1, seed=0, record="trajectory"))]
#[allow(clippy::too_many_arguments)]
fn simulate<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    noise: NoiseArg<'py>,
    x0: PyReadonlyArray1<'py, f64>,
    dt: f64,
    steps: usize,
    b: Option<PyReadonlyArray1<'py, f64>>,
    method: &str,
    every: usize,
    seed: u64,
    record: &str,
) -> PyResult<Bound<'py, PyAny>> {
    if every == 0 {
        return Err(PyValueError::new_err("every must be at least 1"));
    }
    let sys = system(&a, noise, b, None)?;
    let n = sys.dim();
    let mut x = slice1(&x0).into_owned();
    let moments = match record {
        "trajectory" => false,
        "moments" => true,
        other => {
            return Err(PyValueError::new_err(format!(
                "record must be \"trajectory\" or \"moments\", got {other:?}"
            )));
        }
    };
    fn go<I: Integrator<LinearLangevin>>(
        sys: &LinearLangevin,
        integ: &mut I,
        x: &mut [f64],
        steps: usize,
        seed: u64,
        every: usize,
        moments: bool,
    ) -> Result<(Vec<f64>, Option<SampleMoments>), langevin::LangevinError> {
        let mut rng = stream_rng(seed, 0);
        let mut traj = Vec::new();
        let mut sm = SampleMoments::new(x.len());
        let mut k = 0usize;
        if moments {
            run(integ, sys, 0.0, x, steps, &mut rng, &mut sm)?;
            Ok((traj, Some(sm)))
        } else {
            let mut obs = |_t: f64, z: &[f64]| {
                if k % every == 0 {
                    traj.extend_from_slice(z);
                }
                k += 1;
            };
            run(integ, sys, 0.0, x, steps, &mut rng, &mut obs)?;
            Ok((traj, None))
        }
    }
    let (traj, sm) = match method {
        "exact" => {
            let mut integ = ExactOu::new(&sys, dt).py()?;
            py.detach(|| go(&sys, &mut integ, &mut x, steps, seed, every, moments)).py()?
        }
        "euler" => {
            let mut integ = EulerMaruyama::new(&sys, dt).py()?;
            py.detach(|| go(&sys, &mut integ, &mut x, steps, seed, every, moments)).py()?
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "method must be \"exact\" or \"euler\", got {other:?}"
            )));
        }
    };
    match sm {
        Some(sm) => {
            let d = PyDict::new(py);
            d.set_item("mean", sm.mean().to_vec().into_pyarray(py))?;
            d.set_item("covariance", to_numpy2(py, sm.covariance().as_ref()))?;
            d.set_item("count", sm.count())?;
            Ok(d.into_any())
        }
        None => {
            let rows = traj.len() / n.max(1);
            Ok(from_flat(py, traj, rows, n).into_any())
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(stationary_covariance, m)?)?;
    // The Python package exposes this one as thermolearn.langevin.entropy_production.
    let ep = wrap_pyfunction!(entropy_production, m)?;
    m.add("linear_entropy_production", ep)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    Ok(())
}
