//! MNIST-1D (Greydanus 2020), generated procedurally and bit for bit equal to the standard
//! data set (`make_dataset(get_dataset_args())` of the `mnist1d` package, seed 42).
//!
//! Ten hand-made 12-point templates are padded, stretched to 72 points, scaled,
//! translated, filled with correlated noise where they are zero, given iid noise and a
//! shear, and resampled to 40 points; then shuffled and normalised by the global mean and
//! standard deviation. Every random number comes from one legacy MT19937 stream
//! ([`LegacyRandomState`]) in NumPy's order, and every floating-point operation follows
//! NumPy's and SciPy's order, so the bytes match (see `datasets/README.md`).

use crate::DatasetError;
use crate::legacy_rng::LegacyRandomState;
use crate::numpy_ops::{interp, linspace, mean_std, pairwise_sum};

/// The generator's arguments (the package defaults are [`Mnist1dArgs::default`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Mnist1dArgs {
    /// Total samples (divided equally among the 10 digits).
    pub num_samples: usize,
    /// Fraction used for training (the first part after shuffling).
    pub train_split: f64,
    /// Template length.
    pub template_len: usize,
    /// Padding drawn uniformly from [lo, hi].
    pub padding: (usize, usize),
    /// Scale coefficient.
    pub scale_coeff: f64,
    /// Maximum translation (exclusive).
    pub max_translation: u32,
    /// Correlated noise scale.
    pub corr_noise_scale: f64,
    /// iid noise scale.
    pub iid_noise_scale: f64,
    /// Shear scale.
    pub shear_scale: f64,
    /// Final length.
    pub final_seq_length: usize,
    /// Seed of the legacy MT19937 stream.
    pub seed: u32,
}

impl Default for Mnist1dArgs {
    fn default() -> Self {
        Self {
            num_samples: 5000,
            train_split: 0.8,
            template_len: 12,
            padding: (36, 60),
            scale_coeff: 0.4,
            max_translation: 48,
            corr_noise_scale: 0.25,
            iid_noise_scale: 2e-2,
            shear_scale: 0.75,
            final_seq_length: 40,
            seed: 42,
        }
    }
}

/// The data set: row-major inputs, integer labels, and the sample positions t.
#[derive(Debug, Clone, PartialEq)]
pub struct Mnist1d {
    /// Train inputs, `n_train × len` row-major.
    pub x: Vec<f64>,
    /// Train labels 0–9.
    pub y: Vec<i64>,
    /// Test inputs.
    pub x_test: Vec<f64>,
    /// Test labels.
    pub y_test: Vec<i64>,
    /// The positions of the samples.
    pub t: Vec<f64>,
    /// Sequence length.
    pub len: usize,
}

const TEMPLATES: [[f64; 12]; 10] = [
    [5.0, 6.0, 6.5, 6.75, 7.0, 7.0, 7.0, 7.0, 6.75, 6.5, 6.0, 5.0],
    [5.0, 3.0, 3.0, 3.4, 3.8, 4.2, 4.6, 5.0, 5.4, 5.8, 5.0, 5.0],
    [5.0, 6.0, 6.5, 6.5, 6.0, 5.25, 4.75, 4.0, 3.5, 3.5, 4.0, 5.0],
    [5.0, 6.0, 6.5, 6.5, 6.0, 5.0, 5.0, 6.0, 6.5, 6.5, 6.0, 5.0],
    [5.0, 4.4, 3.8, 3.2, 2.6, 2.6, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
    [5.0, 3.0, 3.0, 3.0, 3.0, 5.0, 6.0, 6.5, 6.5, 6.0, 4.5, 5.0],
    [5.0, 4.0, 3.5, 3.25, 3.0, 3.0, 3.0, 3.0, 3.25, 3.5, 4.0, 5.0],
    [5.0, 7.0, 7.0, 6.6, 6.2, 5.8, 5.4, 5.0, 4.6, 4.2, 5.0, 5.0],
    [5.0, 4.0, 3.5, 3.5, 4.0, 5.0, 5.0, 4.0, 3.5, 3.5, 4.0, 5.0],
    [5.0, 4.0, 3.5, 3.5, 4.0, 5.0, 5.0, 5.0, 5.0, 4.7, 4.3, 5.0],
];

/// SciPy's `gaussian_filter1d(σ = 2)` weights w₀ … w₈ (truncate 4), as NumPy computed them
/// for the reference data (bit patterns; libm's exp can differ by 1 ulp in w₁).
const GAUSS_WEIGHTS: [u64; 9] = [
    0x3fc9_8862_a07a_e7b4,
    0x3fc6_8856_f9ab_1982,
    0x3fbe_f909_3fc4_6e5a,
    0x3fb0_941b_71ce_ef37,
    0x3f9b_a4d4_125f_fd2a,
    0x3f81_f305_04e2_0207,
    0x3f62_2736_2b5f_c92d,
    0x3f3c_98b8_c5d0_dda5,
    0x3f11_8aad_19e4_159b,
];

/// The templates after the package's whitening: per row, subtract the mean, divide by the
/// population standard deviation (of the centred row), subtract the first value, /6.
pub fn templates() -> (Vec<[f64; 12]>, Vec<f64>) {
    let rows = TEMPLATES
        .iter()
        .map(|row| {
            let mean = pairwise_sum(row) / 12.0;
            let centred: Vec<f64> = row.iter().map(|v| v - mean).collect();
            let m2 = pairwise_sum(&centred) / 12.0;
            let sq: Vec<f64> = centred.iter().map(|v| (v - m2) * (v - m2)).collect();
            let sd = (pairwise_sum(&sq) / 12.0).sqrt();
            let scaled: Vec<f64> = centred.iter().map(|v| v / sd).collect();
            let first = scaled[0];
            let mut out = [0.0; 12];
            for (o, v) in out.iter_mut().zip(&scaled) {
                *o = (v - first) / 6.0;
            }
            out
        })
        .collect();
    let t = linspace(-5.0, 5.0, 12).iter().map(|v| v / 6.0).collect();
    (rows, t)
}

fn resample(x: &[f64], n: usize) -> Vec<f64> {
    interp(&linspace(0.0, 1.0, n), &linspace(0.0, 1.0, x.len()), x)
}

/// SciPy's `gaussian_filter1d(x, 2)` with mode 'reflect': out[l] = x[l]·w₀, then
/// += (x[l−j] + x[l+j])·w_j for j = 8 down to 1.
fn gaussian_filter(x: &[f64]) -> Vec<f64> {
    let w: Vec<f64> = GAUSS_WEIGHTS.iter().map(|&b| f64::from_bits(b)).collect();
    let n = x.len() as isize;
    let at = |i: isize| -> f64 {
        let k = if i < 0 {
            -1 - i
        } else if i >= n {
            2 * n - 1 - i
        } else {
            i
        };
        x[k as usize]
    };
    (0..n)
        .map(|l| {
            let mut out = at(l) * w[0];
            for j in (1..=8isize).rev() {
                out += (at(l - j) + at(l + j)) * w[j as usize];
            }
            out
        })
        .collect()
}

fn transform(
    template: &[f64; 12],
    t: &[f64],
    args: &Mnist1dArgs,
    rng: &mut LegacyRandomState,
) -> (Vec<f64>, Vec<f64>) {
    let eps = 1e-8;
    // Pad with p zeros, p uniform in [lo, hi].
    let (lo, hi) = args.padding;
    let p = lo + (rng.rand() * (hi - lo + 1) as f64) as usize;
    let mut x: Vec<f64> = template.iter().map(|v| v + eps).collect();
    x.extend(std::iter::repeat_n(0.0, p));
    let long = args.template_len + hi;
    let mut x = resample(&x, long);
    let new_t = resample(t, long);
    // Scale.
    let factor = 1.0 + args.scale_coeff * (rng.rand() - 0.5);
    for v in &mut x {
        *v *= factor;
    }
    // Translate (rotate right by k).
    let k = rng.choice(args.max_translation) as usize;
    x.rotate_right(k);
    // Correlated noise where x is exactly zero.
    let noise: Vec<f64> = (0..long).map(|_| args.corr_noise_scale * rng.randn()).collect();
    let corr = gaussian_filter(&noise);
    for (v, c) in x.iter_mut().zip(&corr) {
        if *v == 0.0 {
            *v = *c;
        }
    }
    // iid noise.
    for v in &mut x {
        *v += args.iid_noise_scale * rng.randn();
    }
    // Shear.
    let coeff = args.shear_scale * (rng.rand() - 0.5);
    let ramp = linspace(-0.5, 0.5, long);
    for (v, r) in x.iter_mut().zip(&ramp) {
        *v -= coeff * r;
    }
    (resample(&x, args.final_seq_length), resample(&new_t, args.final_seq_length))
}

/// How `x.mean()` and `x.std()` see the contiguous 5000 × 40 array: as one block, one
/// pairwise sum over all 200 000 values (NumPy does not split a contiguous, uncast
/// reduction into buffer-sized blocks). Splitting into blocks of 8192 moves the mean by an
/// ulp and 15% of the values by 1–2 ulps: the reference hashes decide.
const NUMPY_BUFSIZE: usize = usize::MAX;

/// The largest `padding.1` accepted (points per sample before resampling).
const MAX_PADDING: usize = 1_000_000;

impl Mnist1dArgs {
    /// Checks the arguments.
    ///
    /// # Errors
    /// [`DatasetError::InvalidArgument`] naming the bad one, or [`DatasetError::Empty`].
    pub fn validate(&self) -> Result<(), DatasetError> {
        let bad = |name, value: f64, requirement| {
            Err(DatasetError::InvalidArgument { name, value, requirement })
        };
        if self.num_samples < 10 || self.final_seq_length < 2 {
            return Err(DatasetError::Empty {
                what: "MNIST-1D",
                rows: self.num_samples,
                cols: self.final_seq_length,
            });
        }
        if self.num_samples % 10 != 0 {
            return bad("num_samples", self.num_samples as f64, "must be a multiple of 10");
        }
        if !(self.train_split > 0.0 && self.train_split < 1.0) {
            return bad("train_split", self.train_split, "must lie in (0, 1)");
        }
        if self.template_len != 12 {
            return bad("template_len", self.template_len as f64, "the templates have 12 points");
        }
        if self.padding.0 > self.padding.1 {
            return bad("padding.0", self.padding.0 as f64, "must not exceed padding.1");
        }
        if self.max_translation == 0 {
            return bad("max_translation", 0.0, "must be >= 1");
        }
        // Each sample is padded to template_len + padding.1 points before it is resampled:
        // a bound keeps that allocation sane (and its arithmetic from overflowing).
        if self.padding.1 > MAX_PADDING {
            return bad("padding.1", self.padding.1 as f64, "must be at most 1_000_000 points");
        }
        // The translation rotates the padded sample by up to max_translation − 1 points.
        if self.max_translation as usize > self.template_len + self.padding.1 {
            return bad(
                "max_translation",
                f64::from(self.max_translation),
                "must not exceed template_len + padding.1 (the padded length)",
            );
        }
        let n_train = (self.train_split * self.num_samples as f64) as usize;
        if n_train == 0 || n_train == self.num_samples {
            return bad(
                "train_split",
                self.train_split,
                "leaves the training or the test split empty for this num_samples",
            );
        }
        for (name, v) in [
            ("scale_coeff", self.scale_coeff),
            ("corr_noise_scale", self.corr_noise_scale),
            ("iid_noise_scale", self.iid_noise_scale),
            ("shear_scale", self.shear_scale),
        ] {
            if !v.is_finite() {
                return bad(name, v, "must be finite");
            }
        }
        Ok(())
    }
}

/// Generates the data set (the defaults give the standard MNIST-1D).
///
/// # Errors
/// Invalid arguments (see [`Mnist1dArgs::validate`]).
pub fn make_dataset(args: &Mnist1dArgs) -> Result<Mnist1d, DatasetError> {
    args.validate()?;
    let (templates, t0) = templates();
    let mut rng = LegacyRandomState::new(args.seed);
    let per_class = args.num_samples / templates.len();
    let len = args.final_seq_length;
    let mut xs: Vec<Vec<f64>> = Vec::with_capacity(args.num_samples);
    let mut ys: Vec<i64> = Vec::with_capacity(args.num_samples);
    let mut t = Vec::new();
    for (label, template) in templates.iter().enumerate() {
        for _ in 0..per_class {
            let (x, new_t) = transform(template, &t0, args, &mut rng);
            xs.push(x);
            ys.push(label as i64);
            t = new_t;
        }
    }
    let perm = rng.permutation(ys.len());
    let flat: Vec<f64> = perm.iter().flat_map(|&i| xs[i].iter().copied()).collect();
    let labels: Vec<i64> = perm.iter().map(|&i| ys[i]).collect();
    let (mean, std) = mean_std(&flat, NUMPY_BUFSIZE);
    let x: Vec<f64> = flat.iter().map(|v| (v - mean) / std).collect();
    let t: Vec<f64> = t.iter().map(|v| v / std).collect();
    if let Some(bad) = x.iter().find(|v| !v.is_finite()).or(t.iter().find(|v| !v.is_finite())) {
        // Noise scales near f64::MAX overflow the samples or their standard deviation.
        return Err(DatasetError::InvalidArgument {
            name: "noise scales",
            value: *bad,
            requirement: "must leave the generated samples finite",
        });
    }
    let n_train = (args.train_split * labels.len() as f64) as usize;
    Ok(Mnist1d {
        x: x[..n_train * len].to_vec(),
        y: labels[..n_train].to_vec(),
        x_test: x[n_train * len..].to_vec(),
        y_test: labels[n_train..].to_vec(),
        t,
        len,
    })
}
