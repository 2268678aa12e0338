//! The springs-and-sticks system: node heights x on a [`Grid`], springs of stiffness k
//! from every data point to ŷ, rods of mass m on the grid edges and a Langevin bath.
//!
//! Equations of motion (derived from the Lagrangian L = ½ vᵀ 𝐌 v − U, Eqs. 1–2 of the
//! paper; App. C's Eqs. 12–15 carry sign errors, see the module docs of
//! [`crate::springs`]):
//!
//! ```text
//! U(x) = (k/2) Σ_j (ŷ(u_j) − y_j)² = ½ xᵀ K x − cᵀ x + const,  K = k WᵀW,  c = k Wᵀ y,
//! dx = v dt,
//! dv = [𝐌⁻¹ (c − K x) − γ v] dt + noise,
//! ```
//!
//! with W the N × ν interpolation weights, γ the friction per unit mass (inverse time;
//! friction force −γ 𝐌 v) and the noise on velocities only, either
//! [`NoiseModel::Code`] (covariance (2 γ k_B T / m) I dt, the reference code) or
//! [`NoiseModel::Fdt`] (covariance 2 γ k_B T 𝐌⁻¹ dt, fluctuation–dissipation).

use faer::Mat;
use faer::linalg::solvers::DenseSolveCore;
use langevin::{LinearLangevin, Noise};

use super::grid::Grid;
use crate::ModelError;

/// Boltzmann's constant as the reference code sets it (CODATA 2014), J/K.
pub const BOLTZMANN_SI: f64 = 1.380_648_52e-23;

/// How the velocity noise is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoiseModel {
    /// Each velocity gets independent noise of variance 2γ k_B T / m per unit time, m the
    /// edge mass (the reference code). With a non-diagonal mass matrix this breaks the
    /// fluctuation–dissipation relation: the stationary state is not Gibbs and, for more
    /// than one stick, has Π_ss > 0.
    Code,
    /// Velocity noise of covariance 2γ k_B T 𝐌⁻¹ per unit time: the Gibbs state
    /// exp(−(½ vᵀ𝐌v + U)/k_B T) is stationary and Π_ss = 0.
    Fdt,
}

impl NoiseModel {
    /// "code" or "fdt".
    pub fn name(self) -> &'static str {
        match self {
            NoiseModel::Code => "code",
            NoiseModel::Fdt => "fdt",
        }
    }
}

/// What the paper's mass M is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MassConvention {
    /// Every edge has mass m = M / Π_b N_s,b (the reference code; total mass M in 1-D).
    Shared,
    /// Every edge (stick) has mass M (the paper's Eq. 2 and "M is the mass of a stick").
    PerStick,
}

/// The physical constants of a system (SI or reduced units; the caller chooses).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Physics {
    /// Spring stiffness k (energy / length²).
    pub stiffness: f64,
    /// Mass M (mass units), read through [`Physics::mass_convention`].
    pub mass: f64,
    /// What M is.
    pub mass_convention: MassConvention,
    /// Friction per unit mass γ (inverse time).
    pub friction: f64,
    /// Bath temperature T (kelvin with SI k_B, or energy units with k_B = 1).
    pub temperature: f64,
    /// Boltzmann's constant k_B (energy / temperature).
    pub boltzmann: f64,
    /// The velocity noise.
    pub noise: NoiseModel,
}

impl Physics {
    /// k_B T (energy units).
    pub fn thermal_energy(&self) -> f64 {
        self.boltzmann * self.temperature
    }

    fn validate(&self) -> Result<(), ModelError> {
        let positive = [("stiffness k", self.stiffness), ("mass M", self.mass)];
        for (name, v) in positive {
            if !(v > 0.0 && v.is_finite()) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be finite and > 0",
                });
            }
        }
        let non_negative = [
            ("friction γ", self.friction),
            ("temperature T", self.temperature),
            ("Boltzmann constant k_B", self.boltzmann),
        ];
        for (name, v) in non_negative {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be finite and >= 0",
                });
            }
        }
        Ok(())
    }
}

/// A springs-and-sticks system with one output: ν node heights, its data and physics.
#[derive(Debug, Clone)]
pub struct Springs {
    grid: Grid,
    physics: Physics,
    edge_mass: f64,
    /// 𝐌, row-major ν × ν.
    mass: Vec<f64>,
    /// 𝐌⁻¹, row-major.
    mass_inv: Vec<f64>,
    /// G = 𝐌⁻¹ K, row-major.
    g: Vec<f64>,
    /// h = 𝐌⁻¹ c.
    h: Vec<f64>,
    /// K = k WᵀW, row-major.
    k: Vec<f64>,
    /// c = k Wᵀ y.
    c: Vec<f64>,
    /// Σ_j y_j² k / 2: the constant of U.
    u0: f64,
    /// Number of data points N.
    n_points: usize,
    /// Lower-triangular factor L of the velocity-noise covariance per unit time
    /// (L Lᵀ = 2γ k_B T 𝐌⁻¹ for `Fdt`, (2γ k_B T/m) I for `Code`), row-major.
    noise_factor: Vec<f64>,
}

impl Springs {
    /// The system fitting `targets` at `inputs` (N points × d, row-major).
    ///
    /// # Errors
    /// `InvalidParameter` naming a non-finite or out-of-range constant, an empty data set
    /// or inputs of the wrong length; `Langevin` if the mass matrix is singular.
    pub fn new(
        grid: Grid,
        inputs: &[f64],
        targets: &[f64],
        physics: Physics,
    ) -> Result<Self, ModelError> {
        physics.validate()?;
        let edge_mass = match physics.mass_convention {
            MassConvention::Shared => physics.mass / grid.n_cells() as f64,
            MassConvention::PerStick => physics.mass,
        };
        let n = grid.n_nodes();
        let mass = grid.mass_matrix(edge_mass);
        let m = Mat::<f64>::from_fn(n, n, |i, j| mass[i * n + j]);
        let llt = m.llt(faer::Side::Lower).map_err(|_| ModelError::InvalidParameter {
            name: "mass matrix",
            value: edge_mass,
            requirement: "must be positive definite (every node on an edge)",
        })?;
        let inv = llt.inverse();
        let mass_inv: Vec<f64> = (0..n * n).map(|p| inv[(p / n, p % n)]).collect();
        let kbt = physics.thermal_energy();
        let noise_factor = match physics.noise {
            NoiseModel::Code => {
                let s = (2.0 * physics.friction * kbt / edge_mass).sqrt();
                (0..n * n).map(|p| if p / n == p % n { s } else { 0.0 }).collect()
            }
            NoiseModel::Fdt => {
                let scale = 2.0 * physics.friction * kbt;
                cholesky_or_zero(&(&inv * faer::Scale(scale)), scale)?
            }
        };
        let mut s = Self {
            grid,
            physics,
            edge_mass,
            mass,
            mass_inv,
            g: vec![0.0; n * n],
            h: vec![0.0; n],
            k: vec![0.0; n * n],
            c: vec![0.0; n],
            u0: 0.0,
            n_points: 0,
            noise_factor,
        };
        s.set_data(inputs, targets)?;
        Ok(s)
    }

    /// Replaces the data (a new minibatch): rebuilds K, c, G and h; the state is the
    /// caller's and carries over.
    ///
    /// # Errors
    /// `InvalidParameter` for an empty data set, mismatched lengths or a non-finite value.
    pub fn set_data(&mut self, inputs: &[f64], targets: &[f64]) -> Result<(), ModelError> {
        let d = self.grid.dim();
        if targets.is_empty() || inputs.len() != targets.len() * d {
            return Err(ModelError::InvalidParameter {
                name: "number of data points",
                value: targets.len() as f64,
                requirement: "must be ≥ 1, with d input values per target",
            });
        }
        let n = self.grid.n_nodes();
        let k = self.physics.stiffness;
        self.k.iter_mut().for_each(|v| *v = 0.0);
        self.c.iter_mut().for_each(|v| *v = 0.0);
        self.u0 = 0.0;
        let mut w = Vec::with_capacity(1 << d);
        for (u, &y) in inputs.chunks(d).zip(targets) {
            for &ub in u {
                crate::error::finite("input", ub)?;
            }
            crate::error::finite("target", y)?;
            self.grid.weights_into(u, &mut w);
            for &(a, wa) in &w {
                self.c[a] += k * wa * y;
                for &(b, wb) in &w {
                    self.k[a * n + b] += k * wa * wb;
                }
            }
            self.u0 += 0.5 * k * y * y;
        }
        self.n_points = targets.len();
        for i in 0..n {
            self.h[i] = (0..n).map(|j| self.mass_inv[i * n + j] * self.c[j]).sum();
            for j in 0..n {
                self.g[i * n + j] =
                    (0..n).map(|l| self.mass_inv[i * n + l] * self.k[l * n + j]).sum();
            }
        }
        Ok(())
    }

    /// The grid.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// The physical constants.
    pub fn physics(&self) -> &Physics {
        &self.physics
    }

    /// Number of node heights ν.
    pub fn n_nodes(&self) -> usize {
        self.grid.n_nodes()
    }

    /// Number of data points N.
    pub fn n_points(&self) -> usize {
        self.n_points
    }

    /// The mass m of one edge (mass units).
    pub fn edge_mass(&self) -> f64 {
        self.edge_mass
    }

    /// The mass matrix 𝐌 (row-major ν × ν).
    pub fn mass_matrix(&self) -> &[f64] {
        &self.mass
    }

    /// 𝐌⁻¹ (row-major).
    pub fn mass_inverse(&self) -> &[f64] {
        &self.mass_inv
    }

    /// The stiffness K = k WᵀW (row-major).
    pub fn stiffness_matrix(&self) -> &[f64] {
        &self.k
    }

    /// c = k Wᵀ y.
    pub fn spring_force(&self) -> &[f64] {
        &self.c
    }

    /// G = 𝐌⁻¹K (row-major): the acceleration is h − G x − γ v.
    pub fn acceleration_matrix(&self) -> &[f64] {
        &self.g
    }

    /// h = 𝐌⁻¹ c.
    pub fn acceleration_offset(&self) -> &[f64] {
        &self.h
    }

    /// L with L Lᵀ the velocity-noise covariance per unit time (row-major, lower).
    pub fn noise_factor(&self) -> &[f64] {
        &self.noise_factor
    }

    /// The potential energy U(x) = ½ xᵀKx − cᵀx + k Σ y²/2 (energy units).
    pub fn potential(&self, x: &[f64]) -> f64 {
        let n = self.n_nodes();
        let mut u = self.u0;
        for i in 0..n {
            let kx: f64 = (0..n).map(|j| self.k[i * n + j] * x[j]).sum();
            u += 0.5 * x[i] * kx - self.c[i] * x[i];
        }
        u
    }

    /// The loss 2U/(N k) = (1/N) Σ_j (ŷ(u_j) − y_j)², the mean squared error on the
    /// current data (the reference's loss).
    pub fn loss(&self, x: &[f64]) -> f64 {
        2.0 * self.potential(x) / (self.n_points as f64 * self.physics.stiffness)
    }

    /// The kinetic energy ½ vᵀ𝐌v (energy units).
    pub fn kinetic(&self, v: &[f64]) -> f64 {
        let n = self.n_nodes();
        (0..n).map(|i| 0.5 * v[i] * (0..n).map(|j| self.mass[i * n + j] * v[j]).sum::<f64>()).sum()
    }

    /// The deterministic acceleration a = h − G x − γ v written into `out`.
    #[inline]
    pub fn acceleration_into(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let n = x.len();
        let gamma = self.physics.friction;
        for i in 0..n {
            let row = &self.g[i * n..(i + 1) * n];
            let gx: f64 = row.iter().zip(x).map(|(g, x)| g * x).sum();
            out[i] = self.h[i] - gx - gamma * v[i];
        }
    }

    /// The minimiser of U, x* = K⁻¹c: the exact least-squares fit of the grid to the data.
    ///
    /// # Errors
    /// `InvalidParameter` when K is singular (a node no data point touches).
    pub fn least_squares(&self) -> Result<Vec<f64>, ModelError> {
        let n = self.n_nodes();
        let km = Mat::<f64>::from_fn(n, n, |i, j| self.k[i * n + j]);
        let llt = km.llt(faer::Side::Lower).map_err(|e| {
            let index = match e {
                faer::linalg::solvers::LltError::NonPositivePivot { index } => index,
            };
            ModelError::InvalidParameter {
                name: "stiffness matrix pivot (node index)",
                value: index as f64,
                requirement: "K = k WᵀW must be positive definite: every node needs data nearby",
            }
        })?;
        let inv = llt.inverse();
        Ok((0..n).map(|i| (0..n).map(|j| inv[(i, j)] * self.c[j]).sum()).collect())
    }

    /// The system as a linear Langevin model in z = (x, v) with the velocities odd:
    /// A = (0, I; −G, −γI), b = (0, h), B = (0; L) in block rows; for exact moments and the
    /// Landi–Tomé–de Oliveira entropy production (in units of k_B per unit time).
    ///
    /// # Errors
    /// The input errors of [`LinearLangevin::new`].
    pub fn to_linear(&self) -> Result<LinearLangevin, ModelError> {
        let n = self.n_nodes();
        let gamma = self.physics.friction;
        let a = Mat::<f64>::from_fn(2 * n, 2 * n, |i, j| match (i < n, j < n) {
            (true, true) => 0.0,
            (true, false) => f64::from(u8::from(j - n == i)),
            (false, true) => -self.g[(i - n) * n + j],
            (false, false) => {
                if i == j {
                    -gamma
                } else {
                    0.0
                }
            }
        });
        let b: Vec<f64> = (0..2 * n).map(|i| if i < n { 0.0 } else { self.h[i - n] }).collect();
        let noise = match self.physics.noise {
            NoiseModel::Code => Noise::Diagonal(
                (0..2 * n).map(|i| if i < n { 0.0 } else { self.noise_factor[0] }).collect(),
            ),
            NoiseModel::Fdt => Noise::General(Mat::<f64>::from_fn(2 * n, n, |i, j| {
                if i < n { 0.0 } else { self.noise_factor[(i - n) * n + j] }
            })),
        };
        Ok(LinearLangevin::new(a, b, noise)?
            .with_odd_coordinates((0..2 * n).map(|i| i >= n).collect())?)
    }
}

/// The Cholesky factor (row-major, lower) of s = `scale` · 𝐌⁻¹, zero when scale = 0
/// (T = 0 or γ = 0).
fn cholesky_or_zero(s: &Mat<f64>, scale: f64) -> Result<Vec<f64>, ModelError> {
    let n = s.nrows();
    if scale == 0.0 {
        return Ok(vec![0.0; n * n]);
    }
    let llt = s.llt(faer::Side::Lower).map_err(|_| ModelError::InvalidParameter {
        name: "velocity-noise scale 2γ k_B T",
        value: scale,
        requirement: "2γ k_B T 𝐌⁻¹ must be positive definite in f64 (no underflow)",
    })?;
    let l = llt.L();
    Ok((0..n * n).map(|p| if p % n <= p / n { l[(p / n, p % n)] } else { 0.0 }).collect())
}
