//! Models shared by the criterion benchmarks and the speed examples.
#![allow(dead_code)] // each includer uses a subset

use gillespie::{KineticIsing, stream_rng};
use rand::Rng;

/// The network of `shared/baselines/ising_gillespie.py`: two open chains of 40 spins,
/// couplings within a chain up to distance 2 with W_ij, W_ji independent U(−0.5, 0.5),
/// and its fields U(−0.5, 0.5), β = 1 (our own random numbers; the side-by-side runs load the
/// baseline's exact W and x from JSON instead).
pub fn baseline_ising(seed: u64) -> (KineticIsing, Vec<f64>) {
    let (chains, per, range) = (2usize, 40usize, 2usize);
    let n = chains * per;
    let mut rng = stream_rng(seed, 0);
    let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
    let mut w = vec![0.0; n * n];
    for c in 0..chains {
        for a in 0..per {
            for b in 0..per {
                if a != b && a.abs_diff(b) <= range {
                    w[(c * per + a) * n + c * per + b] = u();
                }
            }
        }
    }
    let x = (0..n).map(|_| u()).collect();
    (KineticIsing::from_dense(1.0, &w).expect("valid network"), x)
}

/// A random initial state.
pub fn random_spins<R: Rng>(n: usize, rng: &mut R) -> Vec<i8> {
    (0..n).map(|_| if rng.next_u64() >> 63 == 1 { 1 } else { -1 }).collect()
}
