//! The random task of the bottleneck paper (Sec. III B, Fig. 4c): M patterns of
//! dimension N with iid standard normal entries and independent, equiprobable labels ±1.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use crate::DatasetError;

/// A random classification task.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomTask {
    /// Patterns, `m × n` row-major, x ~ N(0, 1).
    pub x: Vec<f64>,
    /// Labels ±1.
    pub y: Vec<f64>,
    /// Number of patterns M.
    pub m: usize,
    /// Dimension N.
    pub n: usize,
}

impl RandomTask {
    /// Draws the task from the PCG-64 stream `streams::stream_rng(seed, 0)`: all of
    /// x row by row, then the labels (see [`RandomTask::from_rng`]).
    ///
    /// # Errors
    /// [`DatasetError::Empty`] for M = 0 or N = 0.
    pub fn new(m: usize, n: usize, seed: u64) -> Result<Self, DatasetError> {
        Self::from_rng(m, n, &mut streams::stream_rng(seed, 0))
    }

    /// Draws the task from `rng`: all of x row by row (standard normals), then the labels
    /// (fair ±1), so a caller that keys its streams (`streams::keyed_rng`) decides which
    /// realisation this is.
    ///
    /// # Errors
    /// [`DatasetError::Empty`] for M = 0 or N = 0; [`DatasetError::InvalidArgument`] when
    /// M·N overflows.
    pub fn from_rng<R: rand::Rng + ?Sized>(
        m: usize,
        n: usize,
        rng: &mut R,
    ) -> Result<Self, DatasetError> {
        if m == 0 || n == 0 {
            return Err(DatasetError::Empty { what: "random task", rows: m, cols: n });
        }
        let Some(size) = m.checked_mul(n) else {
            return Err(DatasetError::InvalidArgument {
                name: "M × N",
                value: m as f64 * n as f64,
                requirement: "must fit in memory (M·N overflows usize)",
            });
        };
        let x = (0..size).map(|_| StandardNormal.sample(rng)).collect();
        let y = (0..m).map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 }).collect();
        Ok(Self { x, y, m, n })
    }

    /// Pattern μ.
    pub fn pattern(&self, mu: usize) -> &[f64] {
        &self.x[mu * self.n..(mu + 1) * self.n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_labels_and_errors() {
        let t = RandomTask::new(2000, 10, 3).unwrap();
        let mean = t.x.iter().sum::<f64>() / t.x.len() as f64;
        let var = t.x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / t.x.len() as f64;
        // 20 000 draws: SE of the mean 0.007, of the variance 0.01.
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.04, "{mean} {var}");
        let plus = t.y.iter().filter(|&&v| v == 1.0).count();
        assert!((plus as f64 - 1000.0).abs() < 4.0 * 22.4);
        assert!(t.y.iter().all(|&v| v == 1.0 || v == -1.0));
        assert_eq!(t.pattern(1).len(), 10);
        assert_eq!(RandomTask::new(5, 3, 9).unwrap(), RandomTask::new(5, 3, 9).unwrap());
        assert!(matches!(RandomTask::new(0, 3, 1), Err(DatasetError::Empty { .. })));
        // Regression (hostile-input issue): M·N used to overflow with a panic.
        assert!(matches!(
            RandomTask::new(usize::MAX, 2, 1),
            Err(DatasetError::InvalidArgument { name: "M × N", .. })
        ));
    }
}
