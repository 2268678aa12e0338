//! Independent trajectories in parallel, one random stream each.

use rand_pcg::Pcg64;
use rayon::prelude::*;

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

/// Runs `n` tasks in parallel (rayon) and returns their results in task order. Task i gets
/// `stream_rng(seed, i)` and a per-thread scratch made by `init`, so the results do not
/// depend on the number of threads.
pub fn ensemble<T, S, I, F>(n: usize, seed: u64, init: I, task: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize, &mut Pcg64) -> T + Sync + Send,
{
    (0..n)
        .into_par_iter()
        .map_init(init, |scratch, i| task(scratch, i, &mut stream_rng(seed, i as u64)))
        .collect()
}
