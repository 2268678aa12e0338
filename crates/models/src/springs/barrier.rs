//! The reference code's "thermodynamic learning barrier" and what its work really is.
//!
//! The reference integrates W = ∫₀^{t_f} m a(x, v) · v dt (m the edge mass, a the
//! deterministic acceleration with friction) along each trajectory and reports
//! ΔF = k_B T ln ⟨e^{−W/k_BT}⟩ (the paper's Eq. 6, ΔF = F_i − F_f). The Hamiltonian
//! H = ½ vᵀ𝐌v + U(x) does not depend on time, so the thermodynamic work on the system is
//! zero and W is not a work. Itô's formula for ½ m|v|² gives, path by path,
//!
//! ```text
//! W = Δ(½ m|v|²) − (m/2) Tr(L Lᵀ) t_f − ∫ m v · L dW,
//! ```
//!
//! with L Lᵀ the velocity-noise covariance per unit time: (m/2) Tr(LLᵀ) = n γ k_B T for
//! the reference's noise (n velocities) and m γ k_B T Tr 𝐌⁻¹ for FDT noise. W is
//! therefore dominated by the noise of free thermal velocities: its mean is
//! −n γ k_B T t_f plus a kinetic-energy change, and its spread grows with √(γ t_f n).
//! [`work_mgf`] computes E\[e^{−W/k_BT} | z₀\] exactly (a Feynman–Kac Riccati equation),
//! which for strong enough friction diverges at a finite time t*; beyond it the
//! estimator k_B T ln(mean of B samples) grows without bound with the batch size B.

use faer::Mat;
use langevin::Moments;

use super::system::Springs;
use crate::ModelError;

/// E\[W\] for the continuous-time dynamics from the initial Gaussian moments (or any
/// initial law with these first two moments), energy units:
/// E\[W\] = ½ m (E|v(t_f)|² − E|v(0)|²) − (m/2) Tr(LLᵀ) t_f.
///
/// # Errors
/// The errors of the exact moment propagation; `InvalidParameter` for t_f < 0.
pub fn exact_mean_work(system: &Springs, t_f: f64, initial: &Moments) -> Result<f64, ModelError> {
    let n = system.n_nodes();
    let lin = system.to_linear()?;
    let end = lin.moments_after(t_f, initial)?;
    let v2 = |m: &Moments| (n..2 * n).map(|i| m.cov[(i, i)] + m.mean[i] * m.mean[i]).sum::<f64>();
    let m = system.edge_mass();
    Ok(0.5 * m * (v2(&end) - v2(initial)) - ito_rate(system) * t_f)
}

/// (m/2) Tr(L Lᵀ): the rate at which Itô's correction feeds ½ m|v|² (energy per time).
pub fn ito_rate(system: &Springs) -> f64 {
    let l = system.noise_factor();
    0.5 * system.edge_mass() * l.iter().map(|a| a * a).sum::<f64>()
}

/// E\[e^{−W/k_BT} | z₀\] = exp(−z₀ᵀ P z₀ − pᵀ z₀ − r) at t_f, z = (x, v).
#[derive(Debug, Clone)]
pub struct WorkMgf {
    /// P (2ν × 2ν, dimensionless per state²).
    pub quadratic: Mat<f64>,
    /// p.
    pub linear: Vec<f64>,
    /// r (dimensionless).
    pub constant: f64,
    /// The horizon t_f it was integrated to.
    pub t_f: f64,
}

impl WorkMgf {
    /// ln E\[e^{−W/k_BT} | z₀\].
    pub fn log_mean_given(&self, z0: &[f64]) -> f64 {
        let n = z0.len();
        let mut q = self.constant;
        for i in 0..n {
            q += self.linear[i] * z0[i];
            for j in 0..n {
                q += z0[i] * self.quadratic[(i, j)] * z0[j];
            }
        }
        -q
    }
}

/// The outcome of [`work_mgf`].
#[derive(Debug, Clone)]
pub enum WorkMgfOutcome {
    /// E\[e^{−W/k_BT}\] is finite up to t_f.
    Finite(WorkMgf),
    /// It diverges at t* ≤ t_f (for every initial state): the Riccati solution blew up.
    Divergent {
        /// The blow-up time t* (to within the integration step).
        blow_up_time: f64,
    },
}

/// Integrates the Feynman–Kac Riccati system of V(z) = β m a(z)·v = zᵀQz + qᵀz
/// (β = 1/k_BT) for u(t, z₀) = E\[exp(−∫₀ᵗ V dt) | z₀\] = exp(−z₀ᵀPz₀ − pᵀz₀ − r):
///
/// ```text
/// dP/dt = AᵀP + PA − 4 P D P + Q,   dp/dt = Aᵀp + 2 P b − 4 P D p + q,
/// dr/dt = bᵀp − pᵀDp + 2 Tr(D P),   P(0) = 0, p(0) = 0, r(0) = 0,
/// ```
///
/// with A, b, D = BBᵀ/2 of [`Springs::to_linear`], by classical RK4 with `steps` steps.
/// The exponential average is infinite once P loses positive-definiteness without bound;
/// this is detected when an entry of P exceeds 1e8 times its scale β m max(1, |G|, γ).
///
/// # Errors
/// `InvalidParameter` for T = 0 (β infinite), t_f < 0 or steps = 0.
pub fn work_mgf(system: &Springs, t_f: f64, steps: usize) -> Result<WorkMgfOutcome, ModelError> {
    let kbt = system.physics().thermal_energy();
    if !(kbt > 0.0) {
        return Err(ModelError::InvalidParameter {
            name: "k_B T",
            value: kbt,
            requirement: "must be > 0 for the exponential work average",
        });
    }
    if !(t_f >= 0.0 && t_f.is_finite()) || steps == 0 {
        return Err(ModelError::InvalidParameter {
            name: "t_f (with steps ≥ 1)",
            value: t_f,
            requirement: "must be finite and >= 0",
        });
    }
    let n = system.n_nodes();
    let dim = 2 * n;
    let lin = system.to_linear()?;
    let a = lin.drift_matrix().to_owned();
    let b = lin.offset().to_vec();
    let d = lin.diffusion().to_owned();
    let beta_m = system.edge_mass() / kbt;
    let g = system.acceleration_matrix();
    let h = system.acceleration_offset();
    let gamma = system.physics().friction;
    let mut qm = Mat::<f64>::zeros(dim, dim);
    for i in 0..n {
        for j in 0..n {
            // V contains −β m v_i G_ij x_j.
            qm[(n + i, j)] -= 0.5 * beta_m * g[i * n + j];
            qm[(j, n + i)] -= 0.5 * beta_m * g[i * n + j];
        }
        qm[(n + i, n + i)] -= beta_m * gamma;
    }
    let q: Vec<f64> = (0..dim).map(|i| if i < n { 0.0 } else { beta_m * h[i - n] }).collect();
    let scale = beta_m * g.iter().fold(1.0f64.max(gamma), |s, &v| s.max(v.abs()));
    let rhs = |p: &Mat<f64>, pv: &[f64]| -> (Mat<f64>, Vec<f64>, f64) {
        let pd = p * &d;
        let dp = a.transpose() * p + p * &a - &pd * p * faer::Scale(4.0) + &qm;
        let dpv: Vec<f64> = (0..dim)
            .map(|i| {
                let mut s = q[i];
                for j in 0..dim {
                    s += a[(j, i)] * pv[j] + 2.0 * p[(i, j)] * b[j] - 4.0 * pd[(i, j)] * pv[j];
                }
                s
            })
            .collect();
        let mut dr = 0.0;
        for i in 0..dim {
            dr += b[i] * pv[i] + 2.0 * pd[(i, i)];
            for j in 0..dim {
                dr -= pv[i] * d[(i, j)] * pv[j];
            }
        }
        (dp, dpv, dr)
    };
    let dt = t_f / steps as f64;
    let mut p = Mat::<f64>::zeros(dim, dim);
    let mut pv = vec![0.0; dim];
    let mut r = 0.0;
    let axpy = |p: &Mat<f64>, k: &Mat<f64>, s: f64| p + k * faer::Scale(s);
    let vaxpy = |p: &[f64], k: &[f64], s: f64| -> Vec<f64> {
        p.iter().zip(k).map(|(a, b)| a + s * b).collect()
    };
    for step in 0..steps {
        let (k1, l1, m1) = rhs(&p, &pv);
        let (k2, l2, m2) = rhs(&axpy(&p, &k1, 0.5 * dt), &vaxpy(&pv, &l1, 0.5 * dt));
        let (k3, l3, m3) = rhs(&axpy(&p, &k2, 0.5 * dt), &vaxpy(&pv, &l2, 0.5 * dt));
        let (k4, l4, m4) = rhs(&axpy(&p, &k3, dt), &vaxpy(&pv, &l3, dt));
        p = &p
            + (&k1 + &k2 * faer::Scale(2.0) + &k3 * faer::Scale(2.0) + &k4) * faer::Scale(dt / 6.0);
        for i in 0..dim {
            pv[i] += dt / 6.0 * (l1[i] + 2.0 * l2[i] + 2.0 * l3[i] + l4[i]);
        }
        r += dt / 6.0 * (m1 + 2.0 * m2 + 2.0 * m3 + m4);
        let blown =
            (0..dim).any(|i| (0..dim).any(|j| !(p[(i, j)].abs() <= 1e8 * scale))) || !r.is_finite();
        if blown {
            return Ok(WorkMgfOutcome::Divergent { blow_up_time: (step + 1) as f64 * dt });
        }
    }
    Ok(WorkMgfOutcome::Finite(WorkMgf { quadratic: p, linear: pv, constant: r, t_f }))
}
