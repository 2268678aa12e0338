//! Entropies and mutual information of multivariate Gaussians, from covariance matrices.
//!
//! All log-determinants come from a Cholesky factorisation C = L Lᵀ (faer), ln det C =
//! 2 Σ ln L_ii, which fails cleanly with [`InfoError::NotPositiveDefinite`] instead of
//! returning the logarithm of a negative or zero determinant.

use faer::{Mat, MatRef, Side};

use crate::InfoError;

fn validate(c: MatRef<'_, f64>) -> Result<(), InfoError> {
    let (rows, cols) = (c.nrows(), c.ncols());
    if rows != cols {
        return Err(InfoError::NotSquare { rows, cols });
    }
    if rows == 0 {
        return Err(InfoError::Empty);
    }
    for i in 0..rows {
        for j in 0..cols {
            let value = c[(i, j)];
            if !value.is_finite() {
                return Err(InfoError::NonFiniteCovariance { row: i, col: j, value });
            }
        }
    }
    for i in 0..rows {
        for j in i + 1..cols {
            let (upper, lower) = (c[(i, j)], c[(j, i)]);
            // √|C_ii| √|C_jj|, not √(|C_ii C_jj|): the product overflows above ~1e154,
            // which switched the check off.
            let scale = (c[(i, i)].abs().sqrt() * c[(j, j)].abs().sqrt()).max(f64::MIN_POSITIVE);
            if (upper - lower).abs() > 1e-12 * scale {
                return Err(InfoError::NotSymmetric { row: i, col: j, upper, lower });
            }
        }
    }
    Ok(())
}

/// ln det C of a symmetric positive-definite matrix, by Cholesky.
///
/// # Errors
/// [`InfoError::NotSquare`], [`InfoError::Empty`], [`InfoError::NonFiniteCovariance`],
/// [`InfoError::NotSymmetric`] (relative tolerance 1e-12) or
/// [`InfoError::NotPositiveDefinite`] naming the failing pivot.
pub fn log_det_spd(c: MatRef<'_, f64>) -> Result<f64, InfoError> {
    validate(c)?;
    let llt = c.llt(Side::Lower).map_err(|e| match e {
        faer::linalg::solvers::LltError::NonPositivePivot { index } => {
            InfoError::NotPositiveDefinite { index, diagonal: c[(index, index)] }
        }
    })?;
    let l = llt.L();
    Ok(2.0 * (0..c.nrows()).map(|i| l[(i, i)].ln()).sum::<f64>())
}

/// Differential entropy of a d-dimensional Gaussian with covariance C, in nats:
/// H = ½ ln[(2πe)^d det C]. (Independent of the mean.)
///
/// ```
/// use faer::mat;
/// let h = infotheory::gaussian_entropy(mat![[4.0]].as_ref())?;
/// // ½ ln(2πe σ²) with σ = 2.
/// assert!((h - 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E * 4.0).ln()).abs() < 1e-14);
/// # Ok::<(), infotheory::InfoError>(())
/// ```
///
/// # Errors
/// The errors of [`log_det_spd`].
pub fn gaussian_entropy(c: MatRef<'_, f64>) -> Result<f64, InfoError> {
    let d = c.nrows() as f64;
    let two_pi_e = 2.0 * std::f64::consts::PI * std::f64::consts::E;
    Ok(0.5 * (d * two_pi_e.ln() + log_det_spd(c)?))
}

/// The covariance of the sub-vector with the given indices.
///
/// # Errors
/// [`InfoError::BadBlock`] for an empty block, an index out of range or a repeated index.
pub fn sub_covariance(c: MatRef<'_, f64>, indices: &[usize]) -> Result<Mat<f64>, InfoError> {
    let dim = c.nrows();
    let bad = indices.is_empty()
        || indices.iter().any(|&i| i >= dim)
        || (1..indices.len()).any(|k| indices[..k].contains(&indices[k]));
    if bad {
        return Err(InfoError::BadBlock { indices: indices.to_vec(), dim });
    }
    Ok(Mat::from_fn(indices.len(), indices.len(), |a, b| c[(indices[a], indices[b])]))
}

/// Mutual information between the Gaussian blocks X (indices `x`) and Y (indices `y`) of
/// a joint Gaussian with covariance C, in nats:
/// I(X; Y) = ½ [ln det C_X + ln det C_Y − ln det C_{XY}].
///
/// ```
/// use faer::mat;
/// let rho = 0.8;
/// let c = mat![[1.0, rho], [rho, 1.0]];
/// let i = infotheory::gaussian_mutual_information(c.as_ref(), &[0], &[1])?;
/// assert!((i + 0.5 * (1.0 - rho * rho).ln()).abs() < 1e-15);
/// # Ok::<(), infotheory::InfoError>(())
/// ```
///
/// # Errors
/// [`InfoError::BadBlock`] if X and Y overlap or an index is bad; the errors of
/// [`log_det_spd`] for the joint block.
pub fn gaussian_mutual_information(
    c: MatRef<'_, f64>,
    x: &[usize],
    y: &[usize],
) -> Result<f64, InfoError> {
    validate(c)?;
    let xy: Vec<usize> = x.iter().chain(y).copied().collect();
    let c_xy = sub_covariance(c, &xy)?;
    let c_x = sub_covariance(c, x)?;
    let c_y = sub_covariance(c, y)?;
    Ok(0.5
        * (log_det_spd(c_x.as_ref())? + log_det_spd(c_y.as_ref())? - log_det_spd(c_xy.as_ref())?))
}

/// Conditional mutual information I(X; Y | Z) of Gaussian blocks, in nats:
/// ½ [ln det C_XZ + ln det C_YZ − ln det C_Z − ln det C_XYZ].
///
/// # Errors
/// As [`gaussian_mutual_information`].
pub fn gaussian_conditional_mutual_information(
    c: MatRef<'_, f64>,
    x: &[usize],
    y: &[usize],
    z: &[usize],
) -> Result<f64, InfoError> {
    validate(c)?;
    let cat = |a: &[usize], b: &[usize]| a.iter().chain(b).copied().collect::<Vec<_>>();
    let ld =
        |idx: &[usize]| -> Result<f64, InfoError> { log_det_spd(sub_covariance(c, idx)?.as_ref()) };
    let xyz = cat(&cat(x, y), z);
    Ok(0.5 * (ld(&cat(x, z))? + ld(&cat(y, z))? - ld(z)? - ld(&xyz)?))
}
