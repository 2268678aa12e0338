//! Statistics of an ensemble: the mean with its standard deviation and standard error,
//! and an estimate with its error bar (for example from batch means).

/// A value with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// The estimate from all samples.
    pub value: f64,
    /// Its standard error (e.g. from batch means).
    pub se: f64,
}

/// Mean, sample standard deviation and standard error of the mean of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanSe {
    /// Mean x̄ = Σ x_i / n.
    pub mean: f64,
    /// Sample standard deviation s = √(Σ (x_i − x̄)² / (n − 1)).
    pub sd: f64,
    /// Standard error of the mean s/√n.
    pub se: f64,
}

/// [`MeanSe`] of `values`; `None` for fewer than two values (no spread to estimate).
/// Non-finite values propagate into the result (a NaN mean says a sample was NaN).
pub fn mean_se(values: &[f64]) -> Option<MeanSe> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    Some(MeanSe { mean, sd, se: sd / n.sqrt() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_se_of_a_known_sample() {
        let m = mean_se(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(m.mean, 2.5);
        assert!((m.sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert!((m.se - m.sd / 2.0).abs() < 1e-15);
        assert!(mean_se(&[1.0]).is_none());
        assert!(mean_se(&[1.0, f64::NAN]).unwrap().mean.is_nan());
    }
}
