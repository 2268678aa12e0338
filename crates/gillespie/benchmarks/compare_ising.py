"""Side by side: the spin-flip engine against the numba baselines of
shared/baselines/ising_gillespie.py, on the same network (the baseline's build_model(0),
passed to Rust as JSON), in one run on one machine.

usage: python compare_ising.py [REPS] [BASELINES_DIR] [ROUNDS]
needs: numba, numpy; a release build of the `gillespie_speed` example (built here if missing)

The timings alternate: each of ROUNDS rounds (default 3) times numba_tree, numba_local and
every Rust engine once (REPS runs each), so each round's ratios are taken under the same
machine conditions. On a shared VM whose speed drifts by tens of percent from minute to
minute, the per-round ratios are the numbers to quote, not times from different rounds.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 51
BASE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "baselines")
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
sys.path.insert(0, BASE)
sys.argv = [sys.argv[0], str(REPS)]
import ising_gillespie as ib  # noqa: E402
import numpy as np  # noqa: E402


def main():
    W, x, ptr, idx, val = ib.build_model(0)
    init_rng = np.random.default_rng(12345)
    inits = [init_rng.choice([-1.0, 1.0], ib.N) for _ in range(max(REPS, 5))]
    ib.nb_seed(0)
    ib.numba_tree(x, ptr, idx, val, W, inits[0].copy(), ib.BETA, 10)
    ib.numba_local(x, ptr, idx, val, W, inits[0].copy(), ib.BETA, 10)

    def run_tree(r):
        ib.nb_seed(r)
        return ib.numba_tree(x, ptr, idx, val, W, inits[r % len(inits)].copy(), ib.BETA, ib.NJUMPS)

    def run_local(r):
        ib.nb_seed(r)
        return ib.numba_local(x, ptr, idx, val, W, inits[r % len(inits)].copy(), ib.BETA, ib.NJUMPS)

    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "gillespie", "--example", "gillespie_speed"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "gillespie_speed")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"w": W.ravel().tolist(), "x": x.tolist(), "beta": ib.BETA, "njumps": ib.NJUMPS}, f)
        path = f.name

    import numba
    print(f"numba {numba.__version__}, numpy {np.__version__}; {ib.N} spins, {len(idx)} couplings, "
          f"{ib.NJUMPS} jumps/run, magnetisation and EP accumulated, median over {REPS} runs, "
          f"{ROUNDS} alternating rounds")
    ratios = {}
    for rnd in range(ROUNDS):
        tree = ib.timeit(run_tree, REPS, ib.NJUMPS)
        local = ib.timeit(run_local, REPS, ib.NJUMPS)
        out = subprocess.run([exe, "ising", path, str(REPS)], check=True, capture_output=True, text=True).stdout
        # The lockstep engine: L independent runs at a time, ns per jump of one run.
        out += subprocess.run([exe, "ising_batch", path, str(REPS)], check=True, capture_output=True,
                              text=True).stdout
        rust = {r["engine"]: r for r in map(json.loads, out.splitlines())}
        print(f"round {rnd + 1}:")
        print(f"  numba_tree  (sum tree)          : {tree[0]:8.1f} ns/jump")
        print(f"  numba_local (incremental h)     : {local[0]:8.1f} ns/jump")
        for name, r in rust.items():
            ratio = tree[0] / r["ns_per_jump_median"]
            ratios.setdefault(name, []).append(ratio)
            print(f"  thermolearn {name:<20}: {r['ns_per_jump_median']:8.1f} ns/jump   "
                  f"ratio numba_tree / this = {ratio:5.1f}x")
    os.unlink(path)
    print("numba_tree / this, per round (median of rounds):")
    for name, v in ratios.items():
        print(f"  {name:<20}: {' '.join(f'{r:4.1f}x' for r in v)}  ({statistics.median(v):.1f}x)")


if __name__ == "__main__":
    main()
