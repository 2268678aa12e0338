//! Data sets (`datasets`) and learning (`learn`): MNIST-1D bit for bit, the random task,
//! SPSA over a Python objective, the softmax readout.

use learn::{SoftmaxReadout, Spsa};
use numpy::{IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::IntoPy;
use crate::arrays::{from_flat, shape2, slice1, slice2};

/// mnist1d(num_samples=5000, seed=42, train_split=0.8) -> dict
///
/// MNIST-1D (Greydanus & Kobak) generated bit for bit as the reference `make_dataset`
/// with its default arguments (templates, padding 36–60, shear, correlated noise, final
/// length 40; the legacy MT19937 stream `seed`). Returns `x` (n_train, 40), `y`,
/// `x_test`, `y_test` (int64 labels 0–9) and `t` (the sample positions).
#[pyfunction]
#[pyo3(signature = (num_samples=5000, seed=42, train_split=0.8))]
fn mnist1d(
    py: Python<'_>,
    num_samples: usize,
    seed: u32,
    train_split: f64,
) -> PyResult<Bound<'_, PyDict>> {
    let args = datasets::Mnist1dArgs { num_samples, seed, train_split, ..Default::default() };
    let d = py.detach(|| datasets::make_dataset(&args)).py()?;
    let len = d.len;
    let out = PyDict::new(py);
    let (ntr, nte) = (d.y.len(), d.y_test.len());
    out.set_item("x", from_flat(py, d.x, ntr, len))?;
    out.set_item("y", d.y.into_pyarray(py))?;
    out.set_item("x_test", from_flat(py, d.x_test, nte, len))?;
    out.set_item("y_test", d.y_test.into_pyarray(py))?;
    out.set_item("t", d.t.into_pyarray(py))?;
    Ok(out)
}

/// The random task as NumPy arrays (x, y).
type Task<'py> = (Bound<'py, numpy::PyArray2<f64>>, Bound<'py, PyArray1<f64>>);

/// random_task(m, n, seed=0) -> (x, y)
///
/// The random task of Ingrosso & Panizon: x (m, n) standard normals row by row, then
/// labels y (m,) = ±1, from `streams::stream_rng(seed, 0)`.
#[pyfunction]
#[pyo3(signature = (m, n, seed=0))]
fn random_task(py: Python<'_>, m: usize, n: usize, seed: u64) -> PyResult<Task<'_>> {
    let t = datasets::RandomTask::new(m, n, seed).py()?;
    Ok((from_flat(py, t.x, m, n), t.y.into_pyarray(py)))
}

/// softmax_fit(x, labels, classes, lam=1e-4, tol=1e-6, max_iter=2000) -> dict
///
/// The exact L2-regularised softmax (multinomial logistic) readout by L-BFGS on
/// features x (m, d) and labels in 0..classes: minimises mean cross-entropy (nats) +
/// ½ λ |W|². Returns `weights` (classes, d), `intercepts`, `cross_entropy`,
/// `accuracy`, `iterations`. Raises LearnError for empty or non-finite data, labels out
/// of range, or no convergence.
#[pyfunction]
#[pyo3(signature = (x, labels, classes, lam=1e-4, tol=1e-6, max_iter=2000))]
fn softmax_fit<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    labels: Vec<usize>,
    classes: usize,
    lam: f64,
    tol: f64,
    max_iter: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let (m, d) = shape2(&x);
    if labels.len() != m {
        return Err(PyValueError::new_err(format!("{} labels for {m} rows of x", labels.len())));
    }
    let readout = SoftmaxReadout { classes, lambda: lam, tolerance: tol, max_iterations: max_iter };
    let xs = slice2(&x);
    let fit = py.detach(|| readout.fit(&xs, &labels, d, None)).py()?;
    let out = PyDict::new(py);
    out.set_item("weights", from_flat(py, fit.weights, classes, d))?;
    out.set_item("intercepts", fit.intercepts.into_pyarray(py))?;
    out.set_item("cross_entropy", fit.cross_entropy)?;
    out.set_item("accuracy", fit.accuracy)?;
    out.set_item("iterations", fit.iterations)?;
    Ok(out)
}

/// spsa_maximize(objective, theta0, iterations, a, c, *, seed=0, perturbations=1,
/// common_random_numbers=True) -> dict
///
/// Simultaneous-perturbation stochastic approximation (Spall) with the standard gains
/// a_k = a/(k + 1 + A)^0.602, c_k = c/(k + 1)^0.101, A = iterations/10: maximises
/// `objective(theta, noise_seed) -> float` from theta0. The ±1 perturbations and the
/// noise seeds come from `streams::stream_rng(seed, 0)`. Returns `theta` (the last
/// iterate), `averaged` (the Polyak–Ruppert average) and `trace` (the mean of y₊ and y₋
/// per step). An exception raised by the objective stops the run and propagates.
#[pyfunction]
#[pyo3(signature = (objective, theta0, iterations, a, c, *, seed=0, perturbations=1, common_random_numbers=true))]
#[allow(clippy::too_many_arguments)]
fn spsa_maximize<'py>(
    py: Python<'py>,
    objective: Bound<'py, PyAny>,
    theta0: PyReadonlyArray1<'py, f64>,
    iterations: usize,
    a: f64,
    c: f64,
    seed: u64,
    perturbations: usize,
    common_random_numbers: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let spsa = Spsa { perturbations, common_random_numbers, ..Spsa::new(iterations, a, c) };
    let theta0 = slice1(&theta0).into_owned();
    let mut rng = streams::stream_rng(seed, 0);
    let mut trace = Vec::with_capacity(iterations);
    /// The objective's failure: a Python exception, or the library's own error.
    enum Fail {
        Py(PyErr),
        Learn(learn::LearnError),
    }
    impl From<learn::LearnError> for Fail {
        fn from(e: learn::LearnError) -> Self {
            Fail::Learn(e)
        }
    }
    let result = spsa.maximize(
        &theta0,
        |theta: &[f64], noise_seed: u64| -> Result<f64, Fail> {
            let arr = PyArray1::from_slice(py, theta);
            arr.readwrite().make_nonwriteable();
            let v = objective.call1((arr, noise_seed)).map_err(Fail::Py)?;
            v.extract::<f64>().map_err(Fail::Py)
        },
        &mut rng,
        |s: &learn::SpsaStep<'_>| trace.push(0.5 * (s.y_plus + s.y_minus)),
    );
    let result = match result {
        Ok(r) => r,
        Err(Fail::Py(e)) => return Err(e),
        Err(Fail::Learn(e)) => return Err(e).py(),
    };
    let out = PyDict::new(py);
    out.set_item("theta", result.theta.into_pyarray(py))?;
    out.set_item("averaged", result.averaged.into_pyarray(py))?;
    out.set_item("trace", trace.into_pyarray(py))?;
    Ok(out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mnist1d, m)?)?;
    m.add_function(wrap_pyfunction!(random_task, m)?)?;
    m.add_function(wrap_pyfunction!(softmax_fit, m)?)?;
    m.add_function(wrap_pyfunction!(spsa_maximize, m)?)?;
    Ok(())
}
