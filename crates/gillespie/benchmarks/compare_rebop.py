"""Side by side: the generic engines against rebop (PyPI) on the birth-death process and
the Vilar oscillator of shared/baselines/rebop_bench.py, same parameters and horizons,
in one run on one machine. Events are counted as in that script (a counter species).

usage: python compare_rebop.py [REPS] [BASELINES_DIR]
needs: rebop; a release build of the `gillespie_speed` example (built here if missing)
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
BASE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "baselines")
sys.path.insert(0, BASE)
import rebop  # noqa: E402
import rebop_bench as rb  # noqa: E402


def rebop_ns_per_event(make, tmax, sparse):
    plain, init = make(False)
    cnt, _ = make(True)
    plain.run(init, tmax=tmax / 100, nb_steps=10, rng=0, sparse=sparse)
    ns = []
    for rep in range(REPS):
        seed = 1000 + rep
        nev = int(cnt.run(init, tmax=tmax, nb_steps=100, rng=seed, sparse=sparse)["EVT"].values[-1])
        t0 = time.perf_counter()
        plain.run(init, tmax=tmax, nb_steps=100, rng=seed, sparse=sparse)
        ns.append((time.perf_counter() - t0) / nev * 1e9)
    return statistics.median(ns)


def main():
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "gillespie", "--example", "gillespie_speed"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "gillespie_speed")
    print(f"rebop {rebop.__version__}; median over {REPS} runs")
    for name, make, model, tmax in (("birth-death (k=1e4, g=1)", rb.birth_death, "birth_death", 1000.0),
                                    ("Vilar oscillator", rb.vilar, "vilar", 2000.0)):
        dense = rebop_ns_per_event(make, tmax, None)
        sparse = rebop_ns_per_event(make, tmax, True)
        best_rebop = min(dense, sparse)
        out = subprocess.run([exe, model, str(tmax), str(REPS)], check=True, capture_output=True,
                             text=True).stdout
        ours = {r["engine"]: r["ns_per_event_median"] for r in map(json.loads, out.splitlines())}
        print(f"{name}, tmax = {tmax}:")
        print(f"  rebop (dense) {dense:6.1f} ns/event, rebop (sparse) {sparse:6.1f} ns/event")
        for engine, ns in ours.items():
            print(f"  thermolearn {engine:<9} {ns:6.1f} ns/event   ratio this / best rebop = {ns / best_rebop:4.2f}")


if __name__ == "__main__":
    main()
