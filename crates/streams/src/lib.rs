//! # streams
//!
//! Where every random number of the project comes from: PCG-64 generators derived from a
//! run seed and a key, so a task draws the same numbers whichever thread, shard or order
//! runs it.
//!
//! - [`keyed_rng`]`(seed, label, index)`: the stream of the task that `label` and `index`
//!   name, e.g. `keyed_rng(seed, "bottleneck/fig4c/train", &[realisation, setting, s])`.
//!   The key is hashed, so streams are independent of each other and of how many tasks a
//!   sweep has: adding seeds or realisations never re-draws the existing ones, and two
//!   keys collide only with probability ~2⁻¹²⁸.
//! - [`stream_rng`]`(seed, i)`: the i-th numbered stream of a seed, for an ensemble of
//!   identical replicas (tests, benchmarks, [`ensemble`]).
//! - [`ensemble`]: `n` replicas in parallel (rayon), replica i on `stream_rng(seed, i)`;
//!   [`keyed_ensemble`]: the replicas of one keyed point of a sweep.
//! - [`stats`]: what one reports of an ensemble: mean ± standard error, an estimate
//!   with its error bar.
//!
//! This crate is a leaf: it knows no model, does no IO and holds no global state.
//!
//! ```
//! use rand::Rng;
//! use streams::keyed_rng;
//! let a = keyed_rng(1, "fig/task", &[0, 3]).next_u64();
//! assert_eq!(a, keyed_rng(1, "fig/task", &[0, 3]).next_u64()); // same key, same numbers
//! assert_ne!(a, keyed_rng(1, "fig/task", &[0, 4]).next_u64()); // another task
//! assert_ne!(a, keyed_rng(1, "fig/other", &[0, 3]).next_u64()); // another purpose
//! assert_ne!(a, keyed_rng(2, "fig/task", &[0, 3]).next_u64()); // another run seed
//! ```

pub mod stats;

use rand_pcg::Pcg64;
use rayon::prelude::*;

/// One SplitMix64 output for the state `z` (Steele, Lea & Flood 2014): a bijective,
/// well-mixing map of 64-bit words.
fn splitmix(z: u64) -> u64 {
    let mut x = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The random stream of task `stream` of a run seeded with `seed`: a PCG-64 generator
/// whose state comes from `seed` (through SplitMix64) and whose stream (increment) is
/// `stream`. Different streams are distinct generators, so task i draws the same numbers
/// whichever thread runs it.
pub fn stream_rng(seed: u64, stream: u64) -> Pcg64 {
    let mut z = seed;
    let mut next = || {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = z;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    };
    let state = (u128::from(next()) << 64) | u128::from(next());
    Pcg64::new(state, u128::from(stream))
}

/// The random stream of the task named by `label` and `index` in a run seeded with
/// `seed`.
///
/// The seed, the label's bytes (length-prefixed) and the index words (count-prefixed) are
/// absorbed one 64-bit word at a time into two SplitMix64 lanes; four outputs give the
/// PCG-64 state and stream. Both the state and the increment depend on the whole key, so
/// nearby keys give unrelated generators (PCG streams that share a state but differ in
/// the increment are correlated; these never share one).
///
/// The label says what the stream is for (`"goldt/fig3/monte_carlo"`), the index which
/// task of that kind (`[alpha_index, realisation]`); a float parameter can be part of the
/// index as its bits (`alpha.to_bits()`), so a grid that grows keeps its old streams.
pub fn keyed_rng(seed: u64, label: &str, index: &[u64]) -> Pcg64 {
    let (mut a, mut b) = (splitmix(seed), splitmix(!seed));
    let mut absorb = |w: u64| {
        a = splitmix(a ^ w);
        b = splitmix(b.rotate_left(23) ^ w ^ 0xD6E8_FEB8_6659_FD93);
    };
    absorb(label.len() as u64);
    for chunk in label.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        absorb(u64::from_le_bytes(word));
    }
    absorb(index.len() as u64);
    for &i in index {
        absorb(i);
    }
    let state = (u128::from(splitmix(a ^ 1)) << 64) | u128::from(splitmix(b ^ 2));
    let stream = (u128::from(splitmix(a ^ 3)) << 64) | u128::from(splitmix(b ^ 4));
    Pcg64::new(state, stream)
}

/// Runs `n` tasks in parallel (rayon) and returns their results in task order. Task i gets
/// `stream_rng(seed, i)` and a per-thread scratch made by `init`, so the results do not
/// depend on the number of threads.
pub fn ensemble<T, S, I, F>(n: usize, seed: u64, init: I, task: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize, &mut Pcg64) -> T + Sync + Send,
{
    par_tasks(n, init, |i| stream_rng(seed, i as u64), task)
}

/// Runs `n` tasks in parallel (rayon) and returns their results in task order. Task i gets
/// `keyed_rng(seed, label, [prefix…, i])` and a per-thread scratch made by `init`: the
/// replicas of one keyed point of a sweep (`prefix` says which point), independent of
/// the thread count and of every other point.
pub fn keyed_ensemble<T, S, I, F>(
    n: usize,
    seed: u64,
    label: &str,
    prefix: &[u64],
    init: I,
    task: F,
) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize, &mut Pcg64) -> T + Sync + Send,
{
    let rng_of = |i: usize| {
        let key: Vec<u64> = prefix.iter().copied().chain([i as u64]).collect();
        keyed_rng(seed, label, &key)
    };
    par_tasks(n, init, rng_of, task)
}

/// Task i of 0..n on the generator `rng_of(i)` with a per-thread scratch, in parallel,
/// results in task order.
fn par_tasks<T, S, I, G, F>(n: usize, init: I, rng_of: G, task: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync + Send,
    G: Fn(usize) -> Pcg64 + Sync + Send,
    F: Fn(&mut S, usize, &mut Pcg64) -> T + Sync + Send,
{
    (0..n).into_par_iter().map_init(init, |scratch, i| task(scratch, i, &mut rng_of(i))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first(mut r: Pcg64) -> [u64; 4] {
        [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()]
    }

    #[test]
    fn keys_that_differ_anywhere_give_different_streams() {
        let base = first(keyed_rng(7, "paper/fig/task", &[1, 2, 3]));
        assert_eq!(base, first(keyed_rng(7, "paper/fig/task", &[1, 2, 3])));
        for other in [
            keyed_rng(8, "paper/fig/task", &[1, 2, 3]),
            keyed_rng(7, "paper/fig/tasK", &[1, 2, 3]),
            keyed_rng(7, "paper/fig/task", &[1, 2, 4]),
            keyed_rng(7, "paper/fig/task", &[1, 2]),
            keyed_rng(7, "paper/fig/task", &[1, 2, 3, 0]),
            // The old ad-hoc `i * 1000 + r` numbering collided here; keys do not.
            keyed_rng(7, "paper/fig/task", &[1, 1002, 3]),
            // A label that pads to the same words is told apart by its length.
            keyed_rng(7, "paper/fig/task\0", &[1, 2, 3]),
        ] {
            assert_ne!(first(other), base);
        }
    }

    #[test]
    fn no_two_of_many_nearby_keys_share_their_first_draw() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..64u64 {
            for j in 0..64u64 {
                assert!(seen.insert(keyed_rng(0, "grid", &[i, j]).next_u64()), "{i} {j}");
            }
        }
    }

    #[test]
    fn a_keyed_stream_is_uniform_at_the_level_of_its_mean() {
        // 10⁵ uniforms on [0, 1): mean 1/2 with SE 1/√(12·10⁵) = 9.1e-4; 5 SE.
        let mut r = keyed_rng(3, "mean", &[]);
        let n = 100_000;
        let m: f64 = (0..n).map(|_| (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64).sum::<f64>()
            / f64::from(n);
        assert!((m - 0.5).abs() < 5.0 * 9.13e-4, "{m}");
    }

    #[test]
    fn a_keyed_ensemble_is_its_keyed_streams_on_any_thread_count() {
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| keyed_ensemble(50, 9, "ens", &[4, 2], || (), |_, _, r| r.next_u64()))
        };
        let one = run(1);
        assert_eq!(one, run(3));
        for (i, v) in one.iter().enumerate() {
            assert_eq!(*v, keyed_rng(9, "ens", &[4, 2, i as u64]).next_u64());
        }
    }

    #[test]
    fn numbered_streams_are_the_bytes_stoch_core_gave() {
        // The committed results of the exact figures and the engine tests rely on these
        // draws: the first outputs of stoch_core::stream_rng(42, 0) and (7, 3) as they were
        // before the function moved here (computed with that version).
        assert_eq!(stream_rng(42, 0).next_u64(), 10_775_687_241_422_087_641);
        assert_eq!(stream_rng(7, 3).next_u64(), 11_414_196_176_910_375_669);
    }
}
