//! The sticks grid: N_s,b cells along each input dimension b over a box [lo, hi], one
//! node height per grid node, multilinear interpolation ŷ(u) (the paper's Eq. 3) and the
//! consistent rod mass matrix of the grid's edges (Eqs. 1–2).

use crate::ModelError;

/// Interpolation weights below this are set to zero (the reference code's rule for λ).
const LAMBDA_ZERO: f64 = 1e-8;

/// A d-dimensional grid of sticks with fixed node positions r(i) = lo + i ⊙ ℓ.
///
/// Nodes are numbered in C order over (N_s,0 + 1, …, N_s,d−1 + 1): the last input
/// dimension varies fastest (the reference code's flattening).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    cells: Vec<usize>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    strides: Vec<usize>,
    nodes: usize,
}

impl Grid {
    /// `cells[b]` cells along dimension b over [lo_b, hi_b] (input units).
    ///
    /// # Errors
    /// `InvalidParameter` for no dimensions, a zero cell count, mismatched lengths, a
    /// non-finite bound or hi ≤ lo, naming the value.
    pub fn new(cells: &[usize], lo: &[f64], hi: &[f64]) -> Result<Self, ModelError> {
        let bad =
            |name, value, requirement| ModelError::InvalidParameter { name, value, requirement };
        if cells.is_empty() {
            return Err(bad("grid dimension d", 0.0, "must be at least 1"));
        }
        if lo.len() != cells.len() || hi.len() != cells.len() {
            return Err(bad(
                "grid bounds length",
                lo.len().min(hi.len()) as f64,
                "must equal the number of dimensions",
            ));
        }
        if let Some(&c) = cells.iter().find(|&&c| c == 0) {
            return Err(bad("cells per dimension N_s", c as f64, "must be at least 1"));
        }
        for (&l, &h) in lo.iter().zip(hi) {
            crate::error::finite("grid lower bound", l)?;
            crate::error::finite("grid upper bound", h)?;
            if !(h > l) {
                return Err(bad("grid width hi − lo", h - l, "must be > 0"));
            }
        }
        let mut strides = vec![1; cells.len()];
        for b in (0..cells.len().saturating_sub(1)).rev() {
            strides[b] = strides[b + 1] * (cells[b + 1] + 1);
        }
        let nodes = cells.iter().map(|c| c + 1).product();
        Ok(Self { cells: cells.to_vec(), lo: lo.to_vec(), hi: hi.to_vec(), strides, nodes })
    }

    /// The grid spanning the data: lo, hi = the per-dimension minimum and maximum of
    /// `inputs` (N points × d, row-major), as the reference code does.
    ///
    /// # Errors
    /// As [`Grid::new`]; `InvalidParameter` for an empty data set or a constant input.
    pub fn spanning(cells: &[usize], inputs: &[f64]) -> Result<Self, ModelError> {
        let d = cells.len().max(1);
        if inputs.is_empty() || inputs.len() % d != 0 {
            return Err(ModelError::InvalidParameter {
                name: "number of input values",
                value: inputs.len() as f64,
                requirement: "must be a positive multiple of the dimension d",
            });
        }
        let mut lo = vec![f64::INFINITY; d];
        let mut hi = vec![f64::NEG_INFINITY; d];
        for point in inputs.chunks(d) {
            for b in 0..d {
                crate::error::finite("input", point[b])?;
                lo[b] = lo[b].min(point[b]);
                hi[b] = hi[b].max(point[b]);
            }
        }
        Self::new(cells, &lo, &hi)
    }

    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.cells.len()
    }

    /// Cells N_s,b per dimension.
    pub fn cells(&self) -> &[usize] {
        &self.cells
    }

    /// Number of cells Π_b N_s,b (the paper's N_s, "number of sticks", for d = 1).
    pub fn n_cells(&self) -> usize {
        self.cells.iter().product()
    }

    /// Number of nodes ν = Π_b (N_s,b + 1), the number of node heights.
    pub fn n_nodes(&self) -> usize {
        self.nodes
    }

    /// Lower corner of the box.
    pub fn lo(&self) -> &[f64] {
        &self.lo
    }

    /// Upper corner of the box.
    pub fn hi(&self) -> &[f64] {
        &self.hi
    }

    /// The spacing ℓ_b = (hi_b − lo_b) / N_s,b.
    pub fn spacing(&self, b: usize) -> f64 {
        (self.hi[b] - self.lo[b]) / self.cells[b] as f64
    }

    /// Position r of node `index` (input units).
    pub fn node_position(&self, index: usize) -> Vec<f64> {
        (0..self.dim())
            .map(|b| {
                self.lo[b]
                    + ((index / self.strides[b]) % (self.cells[b] + 1)) as f64 * self.spacing(b)
            })
            .collect()
    }

    /// The 2^d (node, weight) pairs of ŷ(u) = Σ_j w_j x_{node_j}, written into `out`
    /// (cleared first). u is clamped to the box; the cell is i_b = clip(⌊(u_b − lo_b)/ℓ_b⌋,
    /// 0, N_s,b − 1), so u = hi falls in the last cell with λ = 1; λ_b = (u_b − lo_b −
    /// i_b ℓ_b)/ℓ_b with |λ| < 1e-8 set to 0 (the reference's rule). The weights sum to 1.
    pub fn weights_into(&self, u: &[f64], out: &mut Vec<(usize, f64)>) {
        out.clear();
        let d = self.dim();
        let mut base = 0;
        let mut lambda = [0.0f64; 8];
        let mut lambdas = Vec::new();
        let lam: &mut [f64] = if d <= 8 {
            &mut lambda[..d]
        } else {
            lambdas.resize(d, 0.0);
            &mut lambdas
        };
        for b in 0..d {
            let l = self.spacing(b);
            let ub = u[b].clamp(self.lo[b], self.hi[b]);
            let i = (((ub - self.lo[b]) / l).floor().max(0.0) as usize).min(self.cells[b] - 1);
            let mut x = (ub - self.lo[b] - i as f64 * l) / l;
            if x.abs() < LAMBDA_ZERO {
                x = 0.0;
            }
            lam[b] = x;
            base += i * self.strides[b];
        }
        for corner in 0..(1usize << d) {
            let mut w = 1.0;
            let mut node = base;
            for b in 0..d {
                if corner >> (d - 1 - b) & 1 == 1 {
                    w *= lam[b];
                    node += self.strides[b];
                } else {
                    w *= 1.0 - lam[b];
                }
            }
            out.push((node, w));
        }
    }

    /// ŷ(u) for node heights x.
    pub fn interpolate(&self, x: &[f64], u: &[f64]) -> f64 {
        let mut w = Vec::with_capacity(1 << self.dim());
        self.weights_into(u, &mut w);
        w.iter().map(|&(i, wi)| wi * x[i]).sum()
    }

    /// The grid edges (i, i + e_b): Σ_b N_s,b Π_{a≠b} (N_s,a + 1) of them, each a rod.
    pub fn edges(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for node in 0..self.nodes {
            for b in 0..self.dim() {
                let ib = (node / self.strides[b]) % (self.cells[b] + 1);
                if ib < self.cells[b] {
                    out.push((node, node + self.strides[b]));
                }
            }
        }
        out
    }

    /// The mass matrix of the grid for rods of mass m (mass units), row-major ν × ν:
    /// each edge (a, b) adds the consistent mass matrix of a uniform rod,
    /// M_aa += m/3, M_bb += m/3, M_ab = M_ba += m/6, from K_tr + K_rot =
    /// (m/8)(v_a + v_b)² + (m/24)(v_b − v_a)² = ½ (v_a, v_b) · (m/6)(2, 1; 1, 2) · (v_a, v_b)ᵀ.
    pub fn mass_matrix(&self, m: f64) -> Vec<f64> {
        let n = self.nodes;
        let mut out = vec![0.0; n * n];
        for (a, b) in self.edges() {
            out[a * n + a] += m / 3.0;
            out[b * n + b] += m / 3.0;
            out[a * n + b] += m / 6.0;
            out[b * n + a] += m / 6.0;
        }
        out
    }
}
