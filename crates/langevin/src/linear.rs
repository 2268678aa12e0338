//! Linear Langevin systems dz = (A z + b) dt + B dW: exact moments, stationary state and
//! entropy production, three ways.
//!
//! Conventions: D = B Bᵀ/2 is the diffusion matrix, k_B = 1, entropies in nats,
//! entropy production rates in nats per unit time. Coordinates are even (positions) or
//! odd (velocities) under time reversal; the irreversible parts of the drift are
//! A^irr_ij = A_ij when i and j have the same parity (0 otherwise) and b^irr_i = b_i for
//! even i (0 otherwise).
//!
//! For a Gaussian state with mean μ and covariance Θ, Landi, Tomé & de Oliveira
//! (J. Phys. A 46, 395001, 2013) give the entropy production rate Π and the entropy
//! flux Φ to the environment, dS/dt = Π − Φ. In this crate's sign convention (drift
//! +A z, their paper writes −A z):
//!
//! ```text
//! Π = Tr(A^irrᵀ D⁺ A^irr Θ) + 2 Tr A^irr + Tr(D Θ⁻¹) + mᵀ D⁺ m,   m = A^irr μ + b^irr,
//! dS/dt = Tr A + Tr(D Θ⁻¹),                                        Φ = Π − dS/dt,
//! ```
//!
//! with D⁺ the inverse of D on the noisy coordinates (the irreversible drift must not
//! act on a noiseless coordinate, else Π is infinite: `DriftWithoutNoise`). At the
//! stationary state Π = Φ is the entropy production rate Σ. For an all-even system with
//! invertible D, Σ also equals the frequency integral (Ingrosso & Panizon, A9–A10)
//!
//! ```text
//! Σ = ∫ dω/2π  ½ Tr{C(ω) [C⁻¹(−ω) − C⁻¹(ω)]},   C(ω) = G(ω) 2D G(ω)†,  G = (iω − A)⁻¹.
//! ```
//!
//! For the two-unit system of the bottleneck appendix (A11), all of these give
//! Σ = 2 J_a² (A15).

use faer::Mat;
use faer::MatRef;
use faer::c64;
use faer::linalg::solvers::DenseSolveCore;

use crate::LangevinError;
use crate::lyapunov::{check_stable, solve_lyapunov};
use crate::matrix::{
    PaddedColumns, check_matrix, check_symmetric, check_vector, inverse, symmetrize, van_loan,
};
use crate::noise::Noise;

type Result<T> = std::result::Result<T, LangevinError>;

/// Largest relative Lyapunov residual accepted from the solver.
const LYAPUNOV_TOLERANCE: f64 = 1e-9;

/// A linear Langevin system dz = (A z + b) dt + B dW with time-reversal parities.
#[derive(Debug, Clone)]
pub struct LinearLangevin {
    a: Mat<f64>,
    /// A in the padded column layout of the allocation-free drift.
    a_columns: PaddedColumns,
    b: Vec<f64>,
    noise: Noise,
    diffusion: Mat<f64>,
    odd: Vec<bool>,
}

/// Mean and covariance of a Gaussian state.
#[derive(Debug, Clone)]
pub struct Moments {
    /// ⟨z⟩.
    pub mean: Vec<f64>,
    /// ⟨z zᵀ⟩ − ⟨z⟩⟨z⟩ᵀ.
    pub cov: Mat<f64>,
}

/// The entropy balance dS/dt = Π − Φ of a Gaussian state (nats per unit time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntropyRates {
    /// Π, the entropy production rate (≥ 0).
    pub production: f64,
    /// Φ, the entropy flux from the system to the environment (the medium entropy
    /// production rate, heat flow over temperature for thermal baths).
    pub flux: f64,
    /// dS/dt of the Shannon entropy of the state.
    pub entropy_change: f64,
}

impl LinearLangevin {
    /// The system dz = (A z + b) dt + B dW with every coordinate even under time
    /// reversal (an overdamped system). Errors name a non-finite or mis-sized input.
    pub fn new(a: Mat<f64>, b: Vec<f64>, noise: Noise) -> Result<Self> {
        let n = a.nrows();
        check_matrix("drift matrix", a.as_ref(), n, n)?;
        check_vector("drift offset b", &b, n)?;
        noise.validate(n)?;
        let diffusion = noise.diffusion(n);
        let a_columns = PaddedColumns::new(a.as_ref());
        Ok(Self { a, a_columns, b, noise, diffusion, odd: vec![false; n] })
    }

    /// Marks the coordinates that are odd under time reversal (velocities).
    pub fn with_odd_coordinates(mut self, odd: Vec<bool>) -> Result<Self> {
        if odd.len() != self.dim() {
            return Err(LangevinError::DimensionMismatch {
                what: "parity vector",
                expected: self.dim(),
                found: odd.len(),
            });
        }
        self.odd = odd;
        Ok(self)
    }

    /// The underdamped system m_i ẍ_i = −Σ_j K_ij x_j + f_i − m_i γ_i ẋ_i + √(2 m_i γ_i T) ξ_i,
    /// written in z = (x, v) with the velocities odd:
    /// A = [[0, I], [−M⁻¹K, −Γ]], b = (0, M⁻¹f), noise √(2 γ_i T / m_i) on v_i.
    /// Friction γ in inverse time, masses m > 0, temperature T ≥ 0 (energy units).
    pub fn underdamped(
        stiffness: MatRef<'_, f64>,
        force: &[f64],
        mass: &[f64],
        friction: &[f64],
        temperature: f64,
    ) -> Result<Self> {
        let n = stiffness.nrows();
        check_matrix("stiffness matrix", stiffness, n, n)?;
        check_vector("constant force", force, n)?;
        check_vector("masses", mass, n)?;
        check_vector("friction", friction, n)?;
        positive_all("mass", mass)?;
        if friction.iter().any(|&g| g < 0.0) || !(temperature >= 0.0) {
            let (name, value) = friction
                .iter()
                .find(|&&g| g < 0.0)
                .map_or(("temperature", temperature), |&g| ("friction", g));
            return Err(LangevinError::InvalidParameter { name, value, reason: "must be >= 0" });
        }
        let a = Mat::<f64>::from_fn(2 * n, 2 * n, |i, j| match (i < n, j < n) {
            (true, false) => f64::from(u8::from(j - n == i)),
            (false, true) => -stiffness[(i - n, j)] / mass[i - n],
            (false, false) => {
                if i == j {
                    -friction[i - n]
                } else {
                    0.0
                }
            }
            (true, true) => 0.0,
        });
        let b = (0..2 * n).map(|i| if i < n { 0.0 } else { force[i - n] / mass[i - n] }).collect();
        let sigma = (0..2 * n)
            .map(|i| {
                if i < n { 0.0 } else { (2.0 * friction[i - n] * temperature / mass[i - n]).sqrt() }
            })
            .collect();
        Self::new(a, b, Noise::Diagonal(sigma))?
            .with_odd_coordinates((0..2 * n).map(|i| i >= n).collect())
    }

    /// Number of coordinates n.
    pub fn dim(&self) -> usize {
        self.a.nrows()
    }

    /// The drift matrix A (inverse time).
    pub fn drift_matrix(&self) -> MatRef<'_, f64> {
        self.a.as_ref()
    }

    /// The constant drift b.
    pub fn offset(&self) -> &[f64] {
        &self.b
    }

    /// The noise B.
    pub fn noise(&self) -> &Noise {
        &self.noise
    }

    /// The diffusion matrix D = B Bᵀ / 2.
    pub fn diffusion(&self) -> MatRef<'_, f64> {
        self.diffusion.as_ref()
    }

    /// Which coordinates are odd under time reversal.
    pub fn odd_coordinates(&self) -> &[bool] {
        &self.odd
    }

    /// The drift F(z) = A z + b written into `out` (column-oriented, allocation-free).
    #[inline]
    pub fn drift_into(&self, z: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.b);
        self.a_columns.gemv::<false>(z, out);
    }

    /// The stationary mean μ = −A⁻¹ b. `Unstable` if A has an eigenvalue with Re ≥ 0.
    pub fn stationary_mean(&self) -> Result<Vec<f64>> {
        check_stable(self.a.as_ref())?;
        let inv = inverse("drift matrix", self.a.as_ref())?;
        Ok((0..self.dim())
            .map(|i| -(0..self.dim()).map(|j| inv[(i, j)] * self.b[j]).sum::<f64>())
            .collect())
    }

    /// The stationary covariance C, solving A C + C Aᵀ + 2D = 0 (see [`solve_lyapunov`]).
    pub fn stationary_covariance(&self) -> Result<Mat<f64>> {
        let q = &self.diffusion * faer::Scale(2.0);
        let sol = solve_lyapunov(self.a.as_ref(), q.as_ref())?;
        if !(sol.relative_residual <= LYAPUNOV_TOLERANCE) {
            return Err(LangevinError::NoConvergence {
                what: "Lyapunov sign iteration",
                iterations: sol.iterations,
                residual: sol.relative_residual,
            });
        }
        Ok(sol.x)
    }

    /// The stationary state (mean and covariance).
    pub fn stationary_moments(&self) -> Result<Moments> {
        Ok(Moments { mean: self.stationary_mean()?, cov: self.stationary_covariance()? })
    }

    /// Exact moments at time t from (μ₀, Θ₀) at time 0:
    /// μ(t) = e^{At} μ₀ + ∫₀ᵗ e^{As} b ds, Θ(t) = e^{At} Θ₀ e^{Aᵀt} + ∫₀ᵗ e^{As} 2D e^{Aᵀs} ds
    /// (Van Loan's block exponentials; no stability needed).
    ///
    /// Errors: `MomentsOverflow` when the moments do not fit in f64 (an unstable drift
    /// over a long time), naming max Re λ(A); the input errors of the initial state.
    pub fn moments_after(&self, t: f64, initial: &Moments) -> Result<Moments> {
        let n = self.dim();
        check_vector("initial mean", &initial.mean, n)?;
        check_matrix("initial covariance", initial.cov.as_ref(), n, n)?;
        if !(t >= 0.0 && t.is_finite()) {
            return Err(LangevinError::InvalidParameter {
                name: "t",
                value: t,
                reason: "must be finite and >= 0",
            });
        }
        let q = &self.diffusion * faer::Scale(2.0);
        let (e, c, sigma) = van_loan(self.a.as_ref(), &self.b, q.as_ref(), t);
        let mean: Vec<f64> = (0..n)
            .map(|i| c[i] + (0..n).map(|j| e[(i, j)] * initial.mean[j]).sum::<f64>())
            .collect();
        let mut cov = &e * &initial.cov * e.transpose() + sigma;
        symmetrize(&mut cov);
        let bad = mean.iter().map(|&v| ("mean", v)).chain(
            (0..n)
                .flat_map(|i| (0..n).map(move |j| (i, j)))
                .map(|(i, j)| ("covariance", cov[(i, j)])),
        );
        let bad = bad.clone().find(|(_, v)| !v.is_finite());
        if let Some((what, value)) = bad {
            // Name how fast the drift grows (an unstable drift is the usual cause).
            let max_re = self
                .a
                .eigenvalues()
                .map(|eig: Vec<faer::c64>| {
                    eig.iter().map(|l| l.re).fold(f64::NEG_INFINITY, f64::max)
                })
                .unwrap_or(f64::NAN);
            return Err(LangevinError::MomentsOverflow { t, what, value, max_re });
        }
        Ok(Moments { mean, cov })
    }

    /// Π, Φ and dS/dt of a Gaussian state (Landi–Tomé–de Oliveira; module docs).
    /// Errors: `NotPositiveDefinite` if Θ is singular (Π is then infinite),
    /// `DriftWithoutNoise` if the irreversible drift acts on a noiseless coordinate.
    pub fn entropy_rates(&self, state: &Moments) -> Result<EntropyRates> {
        let n = self.dim();
        check_vector("mean", &state.mean, n)?;
        check_matrix("covariance", state.cov.as_ref(), n, n)?;
        check_symmetric("covariance", state.cov.as_ref())?;
        let theta_inv = match state.cov.llt(faer::Side::Lower) {
            Ok(llt) => llt.inverse(),
            Err(faer::linalg::solvers::LltError::NonPositivePivot { index }) => {
                return Err(LangevinError::NotPositiveDefinite {
                    what: "covariance",
                    index,
                    pivot: state.cov[(index, index)],
                });
            }
        };
        let a_irr = Mat::<f64>::from_fn(n, n, |i, j| {
            if self.odd[i] == self.odd[j] { self.a[(i, j)] } else { 0.0 }
        });
        let b_irr: Vec<f64> = (0..n).map(|i| if self.odd[i] { 0.0 } else { self.b[i] }).collect();
        let d_pinv = self.diffusion_pseudo_inverse(&a_irr, &b_irr)?;
        let m: Vec<f64> = (0..n)
            .map(|i| b_irr[i] + (0..n).map(|j| a_irr[(i, j)] * state.mean[j]).sum::<f64>())
            .collect();
        let quad = a_irr.transpose() * &d_pinv * &a_irr * &state.cov;
        let d_theta = &self.diffusion * &theta_inv;
        let trace = |x: &Mat<f64>| (0..n).map(|i| x[(i, i)]).sum::<f64>();
        let mean_term: f64 =
            (0..n).map(|i| m[i] * (0..n).map(|j| d_pinv[(i, j)] * m[j]).sum::<f64>()).sum();
        let tr_a_irr: f64 = (0..n).map(|i| a_irr[(i, i)]).sum();
        let tr_a: f64 = (0..n).map(|i| self.a[(i, i)]).sum();
        let production = trace(&quad) + 2.0 * tr_a_irr + trace(&d_theta) + mean_term;
        let entropy_change = tr_a + trace(&d_theta);
        Ok(EntropyRates { production, flux: production - entropy_change, entropy_change })
    }

    /// D⁺: the inverse of D restricted to coordinates with D_ii > 0, after checking that
    /// the irreversible drift vanishes on the others.
    fn diffusion_pseudo_inverse(&self, a_irr: &Mat<f64>, b_irr: &[f64]) -> Result<Mat<f64>> {
        let n = self.dim();
        let noisy: Vec<usize> = (0..n).filter(|&i| self.diffusion[(i, i)] > 0.0).collect();
        for i in (0..n).filter(|i| !noisy.contains(i)) {
            if b_irr[i] != 0.0 || (0..n).any(|j| a_irr[(i, j)] != 0.0) {
                return Err(LangevinError::DriftWithoutNoise { index: i });
            }
        }
        let sub = Mat::<f64>::from_fn(noisy.len(), noisy.len(), |i, j| {
            self.diffusion[(noisy[i], noisy[j])]
        });
        let sub_inv = inverse("diffusion matrix (noisy block)", sub.as_ref())?;
        let mut out = Mat::<f64>::zeros(n, n);
        for (p, &i) in noisy.iter().enumerate() {
            for (q, &j) in noisy.iter().enumerate() {
                out[(i, j)] = sub_inv[(p, q)];
            }
        }
        Ok(out)
    }

    /// The stationary entropy production rate Σ from the stationary mean and the
    /// Lyapunov covariance (nats per unit time).
    pub fn stationary_entropy_production(&self) -> Result<f64> {
        Ok(self.entropy_rates(&self.stationary_moments()?)?.production)
    }

    /// Σ from the frequency integral (A9–A10), for all-even systems with invertible D.
    /// The integral over ω ≥ 0 (the integrand is even) is mapped to θ ∈ [0, π/2) by
    /// ω = s tan θ, with s the RMS size of A's entries so that the map follows the
    /// system's frequencies, and done by adaptive 16-point Gauss–Legendre: a panel is
    /// split until its two halves agree with it to `rel_tol` of the running total (at most
    /// 2¹⁶ panels). Sharp features, such as the slow mode of a nearly unstable system,
    /// are resolved by the adaptivity.
    pub fn spectral_entropy_production(&self, rel_tol: f64) -> Result<f64> {
        let n = self.dim();
        if let Some(i) = self.odd.iter().position(|&o| o) {
            return Err(LangevinError::InvalidParameter {
                name: "odd coordinate index",
                value: i as f64,
                reason: "the frequency formula (A10) holds for even coordinates only",
            });
        }
        if !(rel_tol > 0.0 && rel_tol.is_finite()) {
            return Err(LangevinError::InvalidParameter {
                name: "rel_tol",
                value: rel_tol,
                reason: "must be > 0",
            });
        }
        check_stable(self.a.as_ref())?;
        let q = &self.diffusion * faer::Scale(2.0);
        let q_inv = inverse("noise covariance 2D", q.as_ref())?;
        let q_inv_c = Mat::<c64>::from_fn(n, n, |i, j| c64::new(q_inv[(i, j)], 0.0));
        let scale = ((0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| self.a[(i, j)].powi(2))
            .sum::<f64>()
            / n as f64)
            .sqrt()
            .max(f64::MIN_POSITIVE);
        // C⁻¹(−ω) − C⁻¹(ω) = −2iω (Q⁻¹A − AᵀQ⁻¹), exactly (no cancellation; zero at
        // detailed balance).
        let q_inv_a = &q_inv * &self.a;
        let skew = Mat::<f64>::from_fn(n, n, |i, j| q_inv_a[(i, j)] - q_inv_a[(j, i)]);
        let density = |omega: f64| -> Result<f64> {
            // C⁻¹(ω) = K(ω)† Q⁻¹ K(ω), K(ω) = iω − A.
            let k = Mat::<c64>::from_fn(n, n, |i, j| {
                c64::new(-self.a[(i, j)], if i == j { omega } else { 0.0 })
            });
            let c = (k.adjoint() * &q_inv_c * &k).partial_piv_lu().inverse();
            // ½ Tr{C (−2iω S)} = ω Im Tr(C S)... with Tr(C S) = Σ_ij C_ij S_ji.
            let mut tr = c64::new(0.0, 0.0);
            for i in 0..n {
                for j in 0..n {
                    tr += c[(i, j)] * skew[(j, i)];
                }
            }
            let e = omega * tr.im;
            if e.is_finite() {
                Ok(e)
            } else {
                Err(LangevinError::Singular { what: "spectral matrix C(ω)" })
            }
        };
        // E(ω) ~ c/ω² for large ω: integrate up to ω_max = 10⁶ s and add the tail
        // ∫_{ω_max}^∞ c/ω² dω = E(ω_max) ω_max (relative error O(10⁻¹²)).
        let omega_max = 1e6 * scale;
        let theta_max = (omega_max / scale).atan();
        let tail = density(omega_max)? * omega_max;
        // The integrand in θ: E(ω(θ)) dω/dθ.
        let integrand = |theta: f64| -> Result<f64> {
            let sec = 1.0 / theta.cos();
            Ok(density(scale * theta.tan())? * scale * sec * sec)
        };
        let (nodes, weights) = gauss_legendre_16();
        let rule = |a: f64, b: f64| -> Result<f64> {
            let half = 0.5 * (b - a);
            let mut sum = 0.0;
            for (x, w) in nodes.iter().zip(weights.iter()) {
                sum += w * integrand(a + half * (x + 1.0))?;
            }
            Ok(sum * half)
        };
        const START: usize = 16;
        const MAX_PANELS: usize = 1 << 16;
        let width = theta_max / START as f64;
        let mut stack: Vec<(f64, f64, f64)> = Vec::new();
        let mut rough_total = 0.0;
        for p in (0..START).rev() {
            let (a, b) = (p as f64 * width, (p + 1) as f64 * width);
            let v = rule(a, b)?;
            rough_total += v.abs();
            stack.push((a, b, v));
        }
        let mut total = 0.0;
        let mut panels = START;
        while let Some((a, b, whole)) = stack.pop() {
            let mid = 0.5 * (a + b);
            let (left, right) = (rule(a, mid)?, rule(mid, b)?);
            if (left + right - whole).abs() <= rel_tol * rough_total || panels >= MAX_PANELS {
                total += left + right;
            } else {
                panels += 1;
                stack.push((mid, b, right));
                stack.push((a, mid, left));
            }
        }
        if panels >= MAX_PANELS {
            return Err(LangevinError::NoConvergence {
                what: "frequency integral",
                iterations: panels,
                residual: f64::NAN,
            });
        }
        // ∫_{−∞}^{∞} dω/2π = 2 ∫_0^∞ dω/2π.
        Ok((total + tail) / std::f64::consts::PI)
    }
}

fn positive_all(name: &'static str, v: &[f64]) -> Result<()> {
    match v.iter().find(|&&x| !(x > 0.0)) {
        Some(&value) => Err(LangevinError::InvalidParameter { name, value, reason: "must be > 0" }),
        None => Ok(()),
    }
}

/// Nodes and weights of 16-point Gauss–Legendre quadrature on [−1, 1], computed by
/// Newton's method on P₁₆.
fn gauss_legendre_16() -> ([f64; 16], [f64; 16]) {
    const N: usize = 16;
    let mut nodes = [0.0; N];
    let mut weights = [0.0; N];
    for k in 0..N {
        let mut x = (std::f64::consts::PI * (k as f64 + 0.75) / (N as f64 + 0.5)).cos();
        let mut dp = 0.0;
        for _ in 0..100 {
            let (mut p0, mut p1) = (1.0, x);
            for m in 2..=N {
                let p2 = ((2 * m - 1) as f64 * x * p1 - (m - 1) as f64 * p0) / m as f64;
                p0 = p1;
                p1 = p2;
            }
            dp = N as f64 * (x * p1 - p0) / (x * x - 1.0);
            let dx = p1 / dp;
            x -= dx;
            if dx.abs() < 1e-16 {
                break;
            }
        }
        nodes[k] = x;
        weights[k] = 2.0 / ((1.0 - x * x) * dp * dp);
    }
    (nodes, weights)
}

/// Integrates the moment equations dμ/dt = A(t) μ + b(t), dΘ/dt = A Θ + Θ Aᵀ + 2D(t) of a
/// time-dependent linear system from t0 to t1 with `steps` classical Runge–Kutta steps
/// (fourth order). `system(t)` gives the coefficients at time t; `on_step(t, state)` is
/// called after every step.
pub fn evolve_moments<F, O>(
    mut system: F,
    t0: f64,
    t1: f64,
    steps: usize,
    initial: &Moments,
    mut on_step: O,
) -> Result<Moments>
where
    F: FnMut(f64) -> Result<LinearLangevin>,
    O: FnMut(f64, &Moments),
{
    if steps == 0 || !(t1 >= t0) || !t1.is_finite() || !t0.is_finite() {
        return Err(LangevinError::InvalidParameter {
            name: "steps / time interval",
            value: steps as f64,
            reason: "need steps >= 1 and finite t1 >= t0",
        });
    }
    let h = (t1 - t0) / steps as f64;
    let mut state = initial.clone();
    let rhs = |sys: &LinearLangevin, s: &Moments| -> Moments {
        let n = sys.dim();
        let mut dm = vec![0.0; n];
        sys.drift_into(&s.mean, &mut dm);
        let ac = sys.drift_matrix() * &s.cov;
        let dc = &ac + ac.transpose() + sys.diffusion() * faer::Scale(2.0);
        Moments { mean: dm, cov: dc }
    };
    let axpy = |s: &Moments, k: &Moments, c: f64| Moments {
        mean: s.mean.iter().zip(&k.mean).map(|(x, y)| x + c * y).collect(),
        cov: &s.cov + &k.cov * faer::Scale(c),
    };
    for step in 0..steps {
        let t = t0 + step as f64 * h;
        let s0 = system(t)?;
        let s_half = system(t + 0.5 * h)?;
        let s1 = system(t + h)?;
        if s0.dim() != state.mean.len() {
            return Err(LangevinError::DimensionMismatch {
                what: "system at time t",
                expected: state.mean.len(),
                found: s0.dim(),
            });
        }
        let k1 = rhs(&s0, &state);
        let k2 = rhs(&s_half, &axpy(&state, &k1, 0.5 * h));
        let k3 = rhs(&s_half, &axpy(&state, &k2, 0.5 * h));
        let k4 = rhs(&s1, &axpy(&state, &k3, h));
        for i in 0..state.mean.len() {
            state.mean[i] +=
                h / 6.0 * (k1.mean[i] + 2.0 * k2.mean[i] + 2.0 * k3.mean[i] + k4.mean[i]);
        }
        state.cov = &state.cov
            + (&k1.cov + &k2.cov * faer::Scale(2.0) + &k3.cov * faer::Scale(2.0) + &k4.cov)
                * faer::Scale(h / 6.0);
        symmetrize(&mut state.cov);
        on_step(t + h, &state);
    }
    Ok(state)
}
