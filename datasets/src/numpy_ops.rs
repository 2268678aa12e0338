//! The NumPy operations MNIST-1D relies on, with NumPy's exact floating-point order.

/// `np.linspace(a, b, n)`: y\[i\] = i·((b − a)/(n − 1)) + a, the last element exactly b.
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    let step = (b - a) / (n - 1) as f64;
    let mut y: Vec<f64> = (0..n).map(|i| i as f64 * step + a).collect();
    y[n - 1] = b;
    y
}

/// `np.interp(x, xp, fp)` for increasing `xp`: a query equal to a knot returns that knot's
/// value; otherwise slope·(q − xp_j) + fp_j with slope = (fp_{j+1} − fp_j)/(xp_{j+1} − xp_j);
/// queries outside take the end values.
pub fn interp(x: &[f64], xp: &[f64], fp: &[f64]) -> Vec<f64> {
    let last = xp.len() - 1;
    x.iter()
        .map(|&q| {
            if q >= xp[last] {
                fp[last]
            } else if q < xp[0] {
                fp[0]
            } else {
                // j with xp[j] <= q < xp[j + 1].
                let j = xp.partition_point(|&v| v <= q) - 1;
                if xp[j] == q {
                    fp[j]
                } else {
                    let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
                    slope * (q - xp[j]) + fp[j]
                }
            }
        })
        .collect()
}

/// NumPy's pairwise summation (`pairwise_sum_DOUBLE`): sequential below 8 values, eight
/// interleaved partial sums up to 128, halving (at multiples of 8) above.
pub fn pairwise_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &v in a {
            res += v;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for k in 0..8 {
                r[k] += a[i + k];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

/// `np.add.reduce` over a contiguous array whose inner loop sees blocks of at most
/// `block` elements, each block's pairwise sum added to a running result that starts at
/// 0 (`usize::MAX`: one pairwise sum over everything).
pub fn numpy_sum(a: &[f64], block: usize) -> f64 {
    let mut res = 0.0;
    for chunk in a.chunks(block) {
        res += pairwise_sum(chunk);
    }
    res
}

/// `x.mean()` and `x.std()` (population) over all elements, in NumPy's order:
/// μ = sum(x)/n; σ = sqrt(sum((x − μ)²)/n).
pub fn mean_std(a: &[f64], block: usize) -> (f64, f64) {
    let n = a.len() as f64;
    let mean = numpy_sum(a, block) / n;
    let sq: Vec<f64> = a.iter().map(|&v| (v - mean) * (v - mean)).collect();
    (mean, (numpy_sum(&sq, block) / n).sqrt())
}
