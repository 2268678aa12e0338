//! Relaxation of the free neurons to the minimum of F by Newton's method with the
//! analytic Hessian (a small dense Cholesky, shifted where the Hessian is not positive
//! definite) and a backtracking line search, and the clamped problem of a data entry.
//! [`RelaxScratch`] holds every buffer, so the `_in` forms allocate nothing once it is
//! built; [`Network::relax`] and [`Network::clamped`] are the same code with a fresh
//! scratch.

use super::network::{Network, Relaxed, State};
use crate::ModelError;

/// Buffers for [`Network::relax_in`] and [`Network::clamped_in`], sized for one network.
#[derive(Debug, Clone)]
pub struct RelaxScratch {
    /// The state being relaxed (the result after a call).
    x: State,
    trial: State,
    grad: State,
    /// Pre-activations y of each layer ≥ 1.
    y: Vec<Vec<f64>>,
    /// The free layers and where each starts in the flat vectors.
    free: Vec<usize>,
    offsets: Vec<usize>,
    g: Vec<f64>,
    step: Vec<f64>,
    /// Hessian and its Cholesky factor, dim × dim row-major.
    hess: Vec<f64>,
    chol: Vec<f64>,
    z: Vec<f64>,
}

/// What a relaxation reached (the state is in the scratch: [`RelaxScratch::state`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelaxStats {
    /// F at the minimum.
    pub energy: f64,
    /// Newton iterations used.
    pub iterations: usize,
    /// The largest |∂F/∂x| over free neurons at the end.
    pub gradient_norm: f64,
}

impl RelaxScratch {
    /// Buffers for `net`.
    pub fn new(net: &Network) -> Self {
        let zeros: State = net.sizes().iter().map(|&n| vec![0.0; n]).collect();
        let dim: usize = net.sizes()[1..].iter().sum();
        Self {
            x: zeros.clone(),
            trial: zeros.clone(),
            grad: zeros,
            y: net.sizes()[1..].iter().map(|&n| vec![0.0; n]).collect(),
            free: Vec::with_capacity(net.sizes().len()),
            offsets: Vec::with_capacity(net.sizes().len()),
            g: Vec::with_capacity(dim),
            step: Vec::with_capacity(dim),
            hess: Vec::with_capacity(dim * dim),
            chol: Vec::with_capacity(dim * dim),
            z: Vec::with_capacity(dim),
        }
    }

    /// The state: the start before a relaxation, the minimum after it.
    pub fn state(&self) -> &State {
        &self.x
    }

    /// The state, to set a start for [`Network::relax_in`].
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.x
    }
}

fn max_abs_free(g: &State, free: &[usize]) -> f64 {
    free.iter().flat_map(|&l| g[l].iter()).fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Solves (A + shift I) out = −b by Cholesky (A symmetric, n × n row-major); false if
/// A + shift I is not positive definite.
fn shifted_cholesky_solve(
    a: &[f64],
    n: usize,
    shift: f64,
    l: &mut [f64],
    z: &mut [f64],
    b: &[f64],
    out: &mut [f64],
) -> bool {
    for j in 0..n {
        let mut d = a[j * n + j] + shift;
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        if !(d > 0.0 && d.is_finite()) {
            return false;
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let mut v = a[i * n + j];
            for k in 0..j {
                v -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = v / d;
        }
    }
    for i in 0..n {
        let mut v = -b[i];
        for k in 0..i {
            v -= l[i * n + k] * z[k];
        }
        z[i] = v / l[i * n + i];
    }
    for i in (0..n).rev() {
        let mut v = z[i];
        for k in i + 1..n {
            v -= l[k * n + i] * out[k];
        }
        out[i] = v / l[i * n + i];
    }
    true
}

impl Network {
    /// The Hessian of F with respect to the free layers' variables (flattened in layer
    /// order) into `s.hess`: κ on each term's own layer, κ(f'² − r f'') w wᵀ on the layer
    /// below it, and −κ f' w between the two.
    fn hessian_in(&self, s: &mut RelaxScratch) {
        let dim = s.g.len();
        s.hess.clear();
        s.hess.resize(dim * dim, 0.0);
        let pos = |free: &[usize], offsets: &[usize], l: usize| {
            free.iter().position(|&f| f == l).map(|p| offsets[p])
        };
        for l in 1..=self.layers().len() {
            let layer = &self.layers()[l - 1];
            self.pre_activation(l - 1, &s.x[l - 1], &mut s.y[l - 1]);
            let n_in = self.sizes()[l - 1];
            let (pl, pb) = (pos(&s.free, &s.offsets, l), pos(&s.free, &s.offsets, l - 1));
            for i in 0..self.sizes()[l] {
                let y = s.y[l - 1][i];
                let r = s.x[l][i] - layer.activation.f(y);
                let (d, dd) = (layer.activation.df(y), layer.activation.d2f(y));
                let w = &layer.weights[i * n_in..(i + 1) * n_in];
                if let Some(a) = pl {
                    s.hess[(a + i) * dim + a + i] += layer.stiffness;
                }
                if let Some(b) = pb {
                    let c = layer.stiffness * (d * d - r * dd);
                    for j in 0..n_in {
                        for k in 0..n_in {
                            s.hess[(b + j) * dim + b + k] += c * w[j] * w[k];
                        }
                    }
                    if let Some(a) = pl {
                        for j in 0..n_in {
                            let v = -layer.stiffness * d * w[j];
                            s.hess[(a + i) * dim + b + j] += v;
                            s.hess[(b + j) * dim + a + i] += v;
                        }
                    }
                }
            }
        }
    }

    /// Minimises F over the hidden layers (and the output when `output_free`) from the
    /// state in `s` ([`RelaxScratch::state_mut`]; clamped layers keep their values), by
    /// Newton's method with the analytic Hessian and a backtracking line search. With the
    /// output free the minimum is the forward pass, F = 0. No allocation.
    ///
    /// # Errors
    /// `InvalidParameter` when the state has the wrong shape, and `InvalidParameter`
    /// naming the final gradient when the iteration does not reach `tol` within
    /// `max_iter`.
    pub fn relax_in(
        &self,
        s: &mut RelaxScratch,
        output_free: bool,
        tol: f64,
        max_iter: usize,
    ) -> Result<RelaxStats, ModelError> {
        if s.x.len() != self.sizes().len()
            || s.x.iter().zip(self.sizes()).any(|(v, &n)| v.len() != n)
        {
            return Err(ModelError::InvalidParameter {
                name: "state shape (layers)",
                value: s.x.len() as f64,
                requirement: "must match the layer sizes",
            });
        }
        let h = self.layers().len();
        s.free.clear();
        s.free.extend(1..if output_free { h + 1 } else { h });
        s.offsets.clear();
        let mut dim = 0;
        for &l in &s.free {
            s.offsets.push(dim);
            dim += self.sizes()[l];
        }
        if s.free.is_empty() {
            return Ok(RelaxStats { energy: self.energy(&s.x), iterations: 0, gradient_norm: 0.0 });
        }
        for v in [&mut s.g, &mut s.step, &mut s.z] {
            v.clear();
            v.resize(dim, 0.0);
        }
        s.chol.clear();
        s.chol.resize(dim * dim, 0.0);
        for it in 0..=max_iter {
            self.gradient_x_into(&s.x, &mut s.grad);
            let gn = max_abs_free(&s.grad, &s.free);
            if gn <= tol {
                return Ok(RelaxStats {
                    energy: self.energy(&s.x),
                    iterations: it,
                    gradient_norm: gn,
                });
            }
            if it == max_iter {
                return Err(ModelError::InvalidParameter {
                    name: "relaxation gradient |∂F/∂x| (did not converge)",
                    value: gn,
                    requirement: "must reach the tolerance within max_iter Newton steps",
                });
            }
            let mut k = 0;
            for &l in &s.free {
                for &v in &s.grad[l] {
                    s.g[k] = v;
                    k += 1;
                }
            }
            self.hessian_in(s);
            // Newton step where the Hessian is positive definite, else a shifted one.
            let mut shift = 0.0;
            while !shifted_cholesky_solve(
                &s.hess,
                dim,
                shift,
                &mut s.chol,
                &mut s.z,
                &s.g,
                &mut s.step,
            ) {
                shift = if shift == 0.0 {
                    1e-6 * (1.0 + (0..dim).map(|i| s.hess[i * dim + i].abs()).fold(0.0, f64::max))
                } else {
                    shift * 10.0
                };
            }
            let f0 = self.energy(&s.x);
            let slope: f64 = s.g.iter().zip(&s.step).map(|(a, b)| a * b).sum();
            let mut t = 1.0;
            loop {
                for (tr, x) in s.trial.iter_mut().zip(&s.x) {
                    tr.copy_from_slice(x);
                }
                let mut off = 0;
                for &l in &s.free {
                    for v in s.trial[l].iter_mut() {
                        *v += t * s.step[off];
                        off += 1;
                    }
                }
                // Armijo on F, or (near the minimum, where F's differences drop below its
                // rounding) a halving of the gradient.
                let f1 = self.energy(&s.trial);
                let accept = f1 <= f0 + 1e-4 * t * slope || t < 1e-12 || {
                    self.gradient_x_into(&s.trial, &mut s.grad);
                    max_abs_free(&s.grad, &s.free) <= 0.5 * gn
                };
                if accept {
                    std::mem::swap(&mut s.x, &mut s.trial);
                    break;
                }
                t *= 0.5;
            }
        }
        unreachable!("the loop returns at it == max_iter")
    }

    /// The clamped problem of a data entry: input and output clamped, the hidden layers at
    /// the minimum of F started from the forward pass; F*(θ) in the stats, the state in
    /// `s`. No allocation.
    ///
    /// # Errors
    /// As [`Network::relax_in`] and [`Network::forward`], and `InvalidParameter` for an
    /// output of the wrong size.
    pub fn clamped_in(
        &self,
        s: &mut RelaxScratch,
        input: &[f64],
        output: &[f64],
    ) -> Result<RelaxStats, ModelError> {
        self.check_input(input)?;
        let h = self.layers().len();
        if output.len() != self.sizes()[h] {
            return Err(ModelError::InvalidParameter {
                name: "output size",
                value: output.len() as f64,
                requirement: "must equal the output layer size",
            });
        }
        s.x[0].copy_from_slice(input);
        for l in 0..h {
            let (below, above) = s.x.split_at_mut(l + 1);
            self.pre_activation(l, &below[l], &mut above[0]);
            let f = self.layers()[l].activation;
            above[0].iter_mut().for_each(|v| *v = f.f(*v));
        }
        s.x[h].copy_from_slice(output);
        let kmax = self.layers().iter().map(|l| l.stiffness).fold(0.0, f64::max);
        self.relax_in(s, false, 1e-12 * (1.0 + kmax), 200)
    }

    /// [`Network::relax_in`] from `start`, returning the state.
    ///
    /// # Errors
    /// As [`Network::relax_in`].
    pub fn relax(
        &self,
        start: &State,
        output_free: bool,
        tol: f64,
        max_iter: usize,
    ) -> Result<Relaxed, ModelError> {
        let mut s = RelaxScratch::new(self);
        if start.len() != self.sizes().len()
            || start.iter().zip(self.sizes()).any(|(v, &n)| v.len() != n)
        {
            return Err(ModelError::InvalidParameter {
                name: "state shape (layers)",
                value: start.len() as f64,
                requirement: "must match the layer sizes",
            });
        }
        s.x.clone_from(start);
        let st = self.relax_in(&mut s, output_free, tol, max_iter)?;
        Ok(Relaxed {
            state: s.x,
            energy: st.energy,
            iterations: st.iterations,
            gradient_norm: st.gradient_norm,
        })
    }

    /// [`Network::clamped_in`] with a fresh scratch, returning the state.
    ///
    /// # Errors
    /// As [`Network::clamped_in`].
    pub fn clamped(&self, input: &[f64], output: &[f64]) -> Result<Relaxed, ModelError> {
        let mut s = RelaxScratch::new(self);
        let st = self.clamped_in(&mut s, input, output)?;
        Ok(Relaxed {
            state: s.x,
            energy: st.energy,
            iterations: st.iterations,
            gradient_norm: st.gradient_norm,
        })
    }
}
