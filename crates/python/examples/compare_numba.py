"""Side by side from Python: thermolearn.gillespie.kinetic_ising against the numba
sum-tree baseline of shared/baselines/ising_gillespie.py, on the same network (the
baseline's build_model(0): 80 spins, two chains, couplings to ±2 neighbours), 10,000
jumps per run with magnetisation and entropy production accumulated, in one process.

Two ways to call thermolearn:
- one run per call (m = 1 input): the Python call overhead (argument conversion, the
  result dict) is included in every run's time;
- a batch of 64 inputs per call, on all cores: the time per run and per jump.

usage: python compare_numba.py [REPS] [BASELINES_DIR]      (needs numba)
"""
import os
import statistics
import sys
import time

import numpy as np

import thermolearn as tl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 51
BASE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "baselines")
sys.path.insert(0, BASE)
sys.argv = [sys.argv[0], str(REPS)]
import ising_gillespie as ib  # noqa: E402


def median_ns_per_jump(fn, reps, jumps):
    ns = []
    for r in range(reps):
        t0 = time.perf_counter()
        fn(r)
        ns.append((time.perf_counter() - t0) / jumps * 1e9)
    return statistics.median(ns)


def main():
    W, x, ptr, idx, val = ib.build_model(0)
    init_rng = np.random.default_rng(12345)
    inits = [init_rng.choice([-1.0, 1.0], ib.N) for _ in range(max(REPS, 5))]
    ib.nb_seed(0)
    ib.numba_tree(x, ptr, idx, val, W, inits[0].copy(), ib.BETA, 10)  # JIT warm-up

    def run_tree(r):
        ib.nb_seed(r)
        return ib.numba_tree(x, ptr, idx, val, W, inits[r % len(inits)].copy(), ib.BETA, ib.NJUMPS)

    fields = x[None, :]

    def run_tl(r):
        init = inits[r % len(inits)].astype(np.int8).tolist()
        return tl.gillespie.kinetic_ising(W, fields, ib.BETA, n_max=ib.NJUMPS, initial=init, seed=r)

    run_tl(0)
    tree = median_ns_per_jump(run_tree, REPS, ib.NJUMPS)
    one = median_ns_per_jump(run_tl, REPS, ib.NJUMPS)
    batch_m = 64
    batch_fields = np.repeat(fields, batch_m, axis=0)

    def run_batch(r):
        return tl.gillespie.kinetic_ising(W, batch_fields, ib.BETA, n_max=ib.NJUMPS, seed=r)

    batch = median_ns_per_jump(run_batch, max(5, REPS // 5), ib.NJUMPS * batch_m)
    # The same statistics: the mean EP rate over many runs agrees within errors.
    ep_tl = run_batch(1)["entropy_rate"]
    import numba

    print(f"numba {numba.__version__}, numpy {np.__version__}, thermolearn {tl.__version__}; "
          f"{ib.N} spins, {len(idx)} couplings, {ib.NJUMPS} jumps/run, median over {REPS} runs, "
          f"{os.cpu_count()} cores")
    print(f"  numba_tree (sum tree), one run per call    : {tree:8.1f} ns/jump")
    print(f"  thermolearn, one run per call (m = 1)      : {one:8.1f} ns/jump  "
          f"({tree / one:.2f}× numba_tree, Python overhead included)")
    print(f"  thermolearn, {batch_m} runs per call, all cores : {batch:8.1f} ns/jump of wall time  "
          f"({tree / batch:.2f}× numba_tree)")
    print(f"  thermolearn EP rate over {batch_m} runs: {ep_tl.mean():.4f} ± {ep_tl.std(ddof=1) / np.sqrt(batch_m):.4f} nats/time")


if __name__ == "__main__":
    main()
