//! A feedforward network as a physical energy functional (v1 Eq. 6 "H", quasi-static
//! Eq. 3 "F"):
//!
//! ```text
//! F(x; θ) = Σ_{layers l ≥ 1} Σ_i (κ_l / 2) r_i², r_i = x_i − f_l(y_i), y^(l) = W_l x^(l−1) + b_l,
//! ```
//!
//! with the input layer x^(0) clamped. F = 0 exactly at the forward pass. The stress of a
//! neuron is σ_i = κ_l (f(y_i) − x_i) f'(y_i) = ∂F/∂b_i (Eq. 8 / 6), ∂F/∂w_ji = σ_i x_j
//! (Eq. 9 / 7), and at a minimum of F over a free layer the stresses obey the backward
//! rule σ^(l) = f'(y^(l)) ⊙ W_{l+1}ᵀ σ^(l+1) (Eq. 10 / 8).
//!
//! Units: energies in units of the stiffnesses κ times x² (the caller's); k_B T in the same
//! units.

use crate::ModelError;

/// An activation function f with f' and f''.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// tanh y.
    Tanh,
    /// y.
    Identity,
    /// ln(1 + eʸ).
    Softplus,
    /// max(0, y), with f'(0) = 0 and f'' = 0.
    Relu,
}

impl Activation {
    /// f(y).
    pub fn f(self, y: f64) -> f64 {
        match self {
            Activation::Tanh => y.tanh(),
            Activation::Identity => y,
            Activation::Softplus => {
                if y > 30.0 {
                    y + (-y).exp().ln_1p()
                } else {
                    y.exp().ln_1p()
                }
            }
            Activation::Relu => y.max(0.0),
        }
    }

    /// f'(y).
    pub fn df(self, y: f64) -> f64 {
        match self {
            Activation::Tanh => 1.0 - y.tanh().powi(2),
            Activation::Identity => 1.0,
            Activation::Softplus => 1.0 / (1.0 + (-y).exp()),
            Activation::Relu => f64::from(u8::from(y > 0.0)),
        }
    }

    /// f''(y).
    pub fn d2f(self, y: f64) -> f64 {
        match self {
            Activation::Tanh => {
                let t = y.tanh();
                -2.0 * t * (1.0 - t * t)
            }
            Activation::Identity | Activation::Relu => 0.0,
            Activation::Softplus => {
                let s = 1.0 / (1.0 + (-y).exp());
                s * (1.0 - s)
            }
        }
    }
}

/// One layer l ≥ 1: x^(l) ≈ f(W x^(l−1) + b) with stiffness κ.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// W, row-major (outputs × inputs): w[i * inputs + j] is w_ji of the paper.
    pub weights: Vec<f64>,
    /// b.
    pub biases: Vec<f64>,
    /// f.
    pub activation: Activation,
    /// κ > 0.
    pub stiffness: f64,
}

/// A feedforward network: layer sizes n_0 (inputs), n_1, …, n_h (outputs).
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    sizes: Vec<usize>,
    layers: Vec<Layer>,
}

/// The neuron variables of every layer (layer 0 is the input).
pub type State = Vec<Vec<f64>>;

/// The result of relaxing free layers.
#[derive(Debug, Clone)]
pub struct Relaxed {
    /// The state at the minimum.
    pub state: State,
    /// F there.
    pub energy: f64,
    /// Newton iterations used.
    pub iterations: usize,
    /// The largest |∂F/∂x| over free neurons at the end.
    pub gradient_norm: f64,
}

impl Network {
    /// A network with these layer sizes, activations and stiffnesses (one per layer after
    /// the input) and parameters from `params` (the order of [`Network::params`]).
    ///
    /// # Errors
    /// `InvalidParameter` for fewer than two layers, a zero size, a mismatched count, a
    /// non-finite parameter or a stiffness ≤ 0.
    pub fn new(
        sizes: &[usize],
        activations: &[Activation],
        stiffness: &[f64],
        params: &[f64],
    ) -> Result<Self, ModelError> {
        let bad = |name, value: f64, requirement| ModelError::InvalidParameter {
            name,
            value,
            requirement,
        };
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(bad("layer sizes", sizes.len() as f64, "need ≥ 2 layers of ≥ 1 neuron"));
        }
        let h = sizes.len() - 1;
        if activations.len() != h || stiffness.len() != h {
            return Err(bad(
                "activations / stiffnesses per layer",
                activations.len().min(stiffness.len()) as f64,
                "need one per layer after the input",
            ));
        }
        if let Some(&k) = stiffness.iter().find(|&&k| !(k > 0.0 && k.is_finite())) {
            return Err(bad("stiffness κ", k, "must be finite and > 0"));
        }
        let count: usize = (0..h).map(|l| sizes[l + 1] * (sizes[l] + 1)).sum();
        if params.len() != count {
            return Err(bad(
                "number of parameters",
                params.len() as f64,
                "must be Σ_l n_l (n_{l−1} + 1)",
            ));
        }
        if let Some(&p) = params.iter().find(|p| !p.is_finite()) {
            return Err(bad("parameter", p, "must be finite"));
        }
        let mut layers = Vec::with_capacity(h);
        let mut off = 0;
        for l in 0..h {
            let (n_in, n_out) = (sizes[l], sizes[l + 1]);
            let weights = params[off..off + n_in * n_out].to_vec();
            off += n_in * n_out;
            let biases = params[off..off + n_out].to_vec();
            off += n_out;
            layers.push(Layer {
                weights,
                biases,
                activation: activations[l],
                stiffness: stiffness[l],
            });
        }
        Ok(Self { sizes: sizes.to_vec(), layers })
    }

    /// Layer sizes.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The layers after the input.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Mutable layers (to set stiffnesses or parameters).
    pub fn layers_mut(&mut self) -> &mut [Layer] {
        &mut self.layers
    }

    /// Number of parameters N (weights and biases).
    pub fn n_params(&self) -> usize {
        self.layers.iter().map(|l| l.weights.len() + l.biases.len()).sum()
    }

    /// Every parameter: per layer, W (row-major) then b.
    pub fn params(&self) -> Vec<f64> {
        self.layers.iter().flat_map(|l| l.weights.iter().chain(&l.biases).copied()).collect()
    }

    /// Sets every parameter (order of [`Network::params`]).
    ///
    /// # Errors
    /// `InvalidParameter` for a wrong count.
    pub fn set_params(&mut self, p: &[f64]) -> Result<(), ModelError> {
        if p.len() != self.n_params() {
            return Err(ModelError::InvalidParameter {
                name: "number of parameters",
                value: p.len() as f64,
                requirement: "must equal n_params()",
            });
        }
        let mut off = 0;
        for l in &mut self.layers {
            let nw = l.weights.len();
            l.weights.copy_from_slice(&p[off..off + nw]);
            off += nw;
            let nb = l.biases.len();
            l.biases.copy_from_slice(&p[off..off + nb]);
            off += nb;
        }
        Ok(())
    }

    pub(super) fn pre_activation(&self, l: usize, below: &[f64], out: &mut [f64]) {
        let layer = &self.layers[l];
        let n_in = self.sizes[l];
        for (i, o) in out.iter_mut().enumerate() {
            let row = &layer.weights[i * n_in..(i + 1) * n_in];
            *o = layer.biases[i] + row.iter().zip(below).map(|(w, x)| w * x).sum::<f64>();
        }
    }

    /// An input of the first layer's size with finite values, or the error naming it.
    pub(super) fn check_input(&self, input: &[f64]) -> Result<(), ModelError> {
        if input.len() != self.sizes[0] {
            return Err(ModelError::InvalidParameter {
                name: "input size",
                value: input.len() as f64,
                requirement: "must equal the first layer size",
            });
        }
        if let Some(&v) = input.iter().find(|v| !v.is_finite()) {
            return Err(ModelError::InvalidParameter {
                name: "input",
                value: v,
                requirement: "must be finite",
            });
        }
        Ok(())
    }

    /// The forward pass x^(l) = f(W x^(l−1) + b) from `input`, where F = 0.
    ///
    /// # Errors
    /// `InvalidParameter` for an input of the wrong size or non-finite.
    pub fn forward(&self, input: &[f64]) -> Result<State, ModelError> {
        self.check_input(input)?;
        let mut state = vec![input.to_vec()];
        for l in 0..self.layers.len() {
            let mut y = vec![0.0; self.sizes[l + 1]];
            self.pre_activation(l, &state[l], &mut y);
            let f = self.layers[l].activation;
            state.push(y.iter().map(|&y| f.f(y)).collect());
        }
        Ok(state)
    }

    /// Per layer l ≥ 1 (index l − 1): pre-activations y, residuals r = x − f(y) and stresses
    /// σ = κ (f(y) − x) f'(y).
    pub fn residuals(&self, x: &State) -> Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> {
        (0..self.layers.len())
            .map(|l| {
                let mut y = vec![0.0; self.sizes[l + 1]];
                self.pre_activation(l, &x[l], &mut y);
                let layer = &self.layers[l];
                let r: Vec<f64> =
                    y.iter().zip(&x[l + 1]).map(|(&y, &x)| x - layer.activation.f(y)).collect();
                let s: Vec<f64> = y
                    .iter()
                    .zip(&r)
                    .map(|(&y, &r)| -layer.stiffness * r * layer.activation.df(y))
                    .collect();
                (y, r, s)
            })
            .collect()
    }

    /// F(x) = Σ_l κ_l/2 |x^(l) − f(W_l x^(l−1) + b_l)|² (no allocation).
    pub fn energy(&self, x: &State) -> f64 {
        let mut total = 0.0;
        for (l, layer) in self.layers.iter().enumerate() {
            let n_in = self.sizes[l];
            let mut sq = 0.0;
            for (i, &xi) in x[l + 1].iter().enumerate() {
                let row = &layer.weights[i * n_in..(i + 1) * n_in];
                let y = layer.biases[i] + row.iter().zip(&x[l]).map(|(w, v)| w * v).sum::<f64>();
                let r = xi - layer.activation.f(y);
                sq += r * r;
            }
            total += 0.5 * layer.stiffness * sq;
        }
        total
    }

    /// ∂F/∂x for every layer (layer 0 included): ∂F/∂x^(l) = κ_l r^(l) + W_{l+1}ᵀ σ^(l+1).
    pub fn gradient_x(&self, x: &State) -> State {
        let res = self.residuals(x);
        let h = self.layers.len();
        (0..=h)
            .map(|l| {
                let mut g = vec![0.0; self.sizes[l]];
                if l >= 1 {
                    for (gi, r) in g.iter_mut().zip(&res[l - 1].1) {
                        *gi += self.layers[l - 1].stiffness * r;
                    }
                }
                if l < h {
                    let sigma = &res[l].2;
                    let n_in = self.sizes[l];
                    for (k, s) in sigma.iter().enumerate() {
                        let row = &self.layers[l].weights[k * n_in..(k + 1) * n_in];
                        for (gi, w) in g.iter_mut().zip(row) {
                            *gi += s * w;
                        }
                    }
                }
                g
            })
            .collect()
    }

    /// ∂F/∂x written into `out` (same shape as x, reused between calls: no allocation once
    /// sized).
    pub fn gradient_x_into(&self, x: &State, out: &mut State) {
        if out.len() != x.len() || out.iter().zip(x).any(|(o, v)| o.len() != v.len()) {
            *out = x.iter().map(|v| vec![0.0; v.len()]).collect();
        }
        for o in out.iter_mut() {
            o.iter_mut().for_each(|v| *v = 0.0);
        }
        for l in 0..self.layers.len() {
            let layer = &self.layers[l];
            let n_in = self.sizes[l];
            let (lower, upper) = out.split_at_mut(l + 1);
            for i in 0..self.sizes[l + 1] {
                let row = &layer.weights[i * n_in..(i + 1) * n_in];
                let y = layer.biases[i] + row.iter().zip(&x[l]).map(|(w, v)| w * v).sum::<f64>();
                let r = x[l + 1][i] - layer.activation.f(y);
                upper[0][i] += layer.stiffness * r;
                let sigma = -layer.stiffness * r * layer.activation.df(y);
                for (g, w) in lower[l].iter_mut().zip(row) {
                    *g += sigma * w;
                }
            }
        }
    }

    /// ∂F/∂θ at x written into `out` (length [`Network::n_params`], order of
    /// [`Network::params`]), with no allocation: the stress σ_i = κ (f(y_i) − x_i) f'(y_i)
    /// of each neuron is local to its layer.
    pub fn gradient_params_into(&self, x: &State, out: &mut [f64]) {
        let mut base = 0;
        for (l, layer) in self.layers.iter().enumerate() {
            let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
            let biases = base + n_out * n_in;
            for i in 0..n_out {
                let row = &layer.weights[i * n_in..(i + 1) * n_in];
                let y = layer.biases[i] + row.iter().zip(&x[l]).map(|(w, v)| w * v).sum::<f64>();
                let sigma = -layer.stiffness
                    * (x[l + 1][i] - layer.activation.f(y))
                    * layer.activation.df(y);
                let w = base + i * n_in;
                for (o, xj) in out[w..w + n_in].iter_mut().zip(&x[l]) {
                    *o = sigma * xj;
                }
                out[biases + i] = sigma;
            }
            base = biases + n_out;
        }
    }

    /// ∂F/∂θ at x (order of [`Network::params`]): ∂F/∂w_ji = σ_i x_j, ∂F/∂b_i = σ_i.
    pub fn gradient_params(&self, x: &State) -> Vec<f64> {
        let res = self.residuals(x);
        let mut g = Vec::with_capacity(self.n_params());
        for (l, (_, _, sigma)) in res.iter().enumerate() {
            for s in sigma {
                for xj in &x[l] {
                    g.push(s * xj);
                }
            }
            g.extend(sigma);
        }
        g
    }

    /// The gradient of the conventional loss L = ½ Σ_i (f(y_i^(h)) − t_i)² at the forward
    /// pass of `input`, by backpropagation (order of [`Network::params`]).
    ///
    /// # Errors
    /// As [`Network::forward`]; a target of the wrong size.
    pub fn backprop_mse(&self, input: &[f64], target: &[f64]) -> Result<Vec<f64>, ModelError> {
        let x = self.forward(input)?;
        let h = self.layers.len();
        if target.len() != self.sizes[h] {
            return Err(ModelError::InvalidParameter {
                name: "target size",
                value: target.len() as f64,
                requirement: "must equal the output layer size",
            });
        }
        let res = self.residuals(&x);
        // δ^(l) = ∂L/∂y^(l).
        let mut delta: Vec<Vec<f64>> = vec![Vec::new(); h];
        let f = self.layers[h - 1].activation;
        delta[h - 1] =
            res[h - 1].0.iter().zip(target).map(|(&y, &t)| (f.f(y) - t) * f.df(y)).collect();
        for l in (0..h - 1).rev() {
            let n_in = self.sizes[l + 1];
            let f = self.layers[l].activation;
            delta[l] = (0..n_in)
                .map(|j| {
                    let s: f64 = (0..self.sizes[l + 2])
                        .map(|k| self.layers[l + 1].weights[k * n_in + j] * delta[l + 1][k])
                        .sum();
                    s * f.df(res[l].0[j])
                })
                .collect();
        }
        let mut g = Vec::with_capacity(self.n_params());
        for l in 0..h {
            for d in &delta[l] {
                for xj in &x[l] {
                    g.push(d * xj);
                }
            }
            g.extend(&delta[l]);
        }
        Ok(g)
    }
}
