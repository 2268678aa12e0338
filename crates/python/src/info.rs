//! Information theory (`infotheory`), in nats: discrete entropies and mutual
//! information from probability tables, Gaussian entropy and mutual information from
//! covariance matrices.

use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::IntoPy;
use crate::arrays::{mat, shape2, slice1, slice2, square};

/// entropy(p) -> float
///
/// Shannon entropy H(p) = −Σ p ln p (nats) of a normalised distribution. Raises
/// InfoError for a negative, NaN or unnormalised p.
#[pyfunction]
fn entropy(py: Python<'_>, p: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    let p = slice1(&p);
    py.detach(|| infotheory::entropy(&p)).py()
}

/// kl_divergence(p, q) -> float
///
/// D(p‖q) = Σ p ln(p/q) (nats); +inf where q = 0 < p.
#[pyfunction]
fn kl_divergence(p: PyReadonlyArray1<'_, f64>, q: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    infotheory::kl_divergence(&slice1(&p), &slice1(&q)).py()
}

/// mutual_information(pxy) -> float
///
/// I(X; Y) = Σ p(x,y) ln[p(x,y) / (p(x) p(y))] (nats) of a joint table pxy[x, y]
/// (normalised, non-negative).
#[pyfunction]
fn mutual_information(pxy: PyReadonlyArray2<'_, f64>) -> PyResult<f64> {
    let (nx, ny) = shape2(&pxy);
    let joint = infotheory::JointDistribution::new(nx, ny, slice2(&pxy).into_owned()).py()?;
    Ok(joint.mutual_information())
}

/// gaussian_entropy(cov) -> float
///
/// Differential entropy ½ ln det(2πe C) (nats) of a Gaussian with covariance C. Raises
/// InfoError when C is not symmetric positive definite.
#[pyfunction]
fn gaussian_entropy(cov: PyReadonlyArray2<'_, f64>) -> PyResult<f64> {
    square(&cov, "the covariance")?;
    infotheory::gaussian_entropy(mat(&cov).as_ref()).py()
}

/// gaussian_mutual_information(cov, x, y) -> float
///
/// I(X; Y) = ½ [ln det C_X + ln det C_Y − ln det C_XY] (nats) between the coordinate
/// blocks x and y (lists of indices) of a Gaussian with covariance C.
#[pyfunction]
fn gaussian_mutual_information(
    cov: PyReadonlyArray2<'_, f64>,
    x: Vec<usize>,
    y: Vec<usize>,
) -> PyResult<f64> {
    square(&cov, "the covariance")?;
    infotheory::gaussian_mutual_information(mat(&cov).as_ref(), &x, &y).py()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(entropy, m)?)?;
    m.add_function(wrap_pyfunction!(kl_divergence, m)?)?;
    m.add_function(wrap_pyfunction!(mutual_information, m)?)?;
    m.add_function(wrap_pyfunction!(gaussian_entropy, m)?)?;
    m.add_function(wrap_pyfunction!(gaussian_mutual_information, m)?)?;
    Ok(())
}
