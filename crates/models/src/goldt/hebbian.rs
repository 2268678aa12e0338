//! The Monte Carlo of Fig. 3 in the thermodynamic limit: Hebbian stabilities of
//! bit-packed random patterns and the fraction of labels predicted correctly.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// The Monte Carlo of Fig. 3: one realisation of P = αN random patterns and labels,
/// returning for each sample the two parts of its stability Δ^μ = ν a_μ + b_μ, with
/// a_μ = σ_T^μ F·ξ^μ/√N (the Hebbian part, per unit ν) and b_μ = σ_T^μ y·ξ^μ/√N (thermal
/// part), where ω = νF + y, F = Σ_μ ξ^μ σ_T^μ/√N, y ~ N(0, I) (S58). Patterns are stored
/// as bits (64 entries per word), so N = 10⁴ and P = 3·10⁴ take a few hundred ms.
pub fn hebbian_stabilities<R: Rng + ?Sized>(
    n: usize,
    p: usize,
    rng: &mut R,
) -> (Vec<f64>, Vec<f64>) {
    let words = n.div_ceil(64);
    let bits: Vec<u64> = (0..p * words).map(|_| rng.next_u64()).collect();
    let labels: Vec<bool> = (0..p).map(|_| rng.random::<bool>()).collect();
    // c_n = Σ_μ σ_T^μ ξ_n^μ, with ξ = +1 for a set bit; σ_T = −1 flips every bit.
    let mut counts = vec![0i32; words * 64];
    for mu in 0..p {
        let flip = if labels[mu] { 0 } else { u64::MAX };
        for w in 0..words {
            let word = bits[mu * words + w] ^ flip;
            let c = &mut counts[w * 64..w * 64 + 64];
            for (k, ck) in c.iter_mut().enumerate() {
                *ck += ((word >> k) & 1) as i32 * 2 - 1;
            }
        }
    }
    let sqrt_n = (n as f64).sqrt();
    let f: Vec<f64> =
        (0..words * 64).map(|i| if i < n { f64::from(counts[i]) / sqrt_n } else { 0.0 }).collect();
    let y: Vec<f64> =
        (0..words * 64).map(|i| if i < n { StandardNormal.sample(rng) } else { 0.0 }).collect();
    let mut a = Vec::with_capacity(p);
    let mut b = Vec::with_capacity(p);
    for mu in 0..p {
        let (mut sf, mut sy) = (0.0, 0.0);
        for w in 0..words {
            let word = bits[mu * words + w];
            let (fw, yw) = (&f[w * 64..w * 64 + 64], &y[w * 64..w * 64 + 64]);
            for k in 0..64 {
                let s = if (word >> k) & 1 == 1 { 1.0 } else { -1.0 };
                sf += s * fw[k];
                sy += s * yw[k];
            }
        }
        let sign = if labels[mu] { 1.0 } else { -1.0 };
        a.push(sign * sf / sqrt_n);
        b.push(sign * sy / sqrt_n);
    }
    (a, b)
}

/// From one realisation's stabilities, the fraction of samples whose predicted label
/// (drawn with p(σ = σ_T) = sigmoid(Δ)) is correct, at learning rate ν.
pub fn fraction_correct<R: Rng + ?Sized>(a: &[f64], b: &[f64], nu: f64, rng: &mut R) -> f64 {
    let correct = a
        .iter()
        .zip(b)
        .filter(|&(&ai, &bi)| rng.random::<f64>() < super::analytic::sigmoid(nu * ai + bi))
        .count();
    correct as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goldt::analytic::HebbianLimit;

    #[test]
    fn monte_carlo_stabilities_have_the_predicted_law() {
        let mut rng = streams::stream_rng(2, 0);
        let (n, p) = (2000, 1000);
        let (a, b) = hebbian_stabilities(n, p, &mut rng);
        // Δ = ν a + b: mean ν, variance 1 + αν² (S61). Check a (mean 1, var α) and b (var 1).
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let var = |v: &[f64]| {
            let m = mean(v);
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
        };
        let alpha = p as f64 / n as f64;
        assert!((mean(&a) - 1.0).abs() < 4.0 * (alpha / p as f64).sqrt());
        assert!((var(&a) - alpha).abs() < 0.15 * alpha);
        assert!((var(&b) - 1.0).abs() < 0.15);
        let h = HebbianLimit::new(alpha, 2.0).unwrap();
        let pc = fraction_correct(&a, &b, 2.0, &mut rng);
        assert!((pc - h.p_correct()).abs() < 4.0 * (0.25 / p as f64).sqrt() + 0.02);
    }
}
