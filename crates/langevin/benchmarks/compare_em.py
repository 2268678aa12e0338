"""Side by side: the langevin integrators against the numba baselines of
shared/baselines/langevin_em.py on the same 50-variable underdamped system (the baseline's
build(0) K, passed to Rust as JSON), in one run on one machine.

usage: python compare_em.py [REPS] [BASELINES_DIR]
needs: numba, numpy; builds the `langevin_speed` example in release mode (workspace rustflags:
x86-64-v3, see .cargo/config.toml).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 11
BASE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "baselines")
sys.path.insert(0, BASE)
sys.argv = [sys.argv[0], str(REPS)]
import langevin_em as lb  # noqa: E402
import numba  # noqa: E402
import numpy as np  # noqa: E402


def main():
    K, A, sig = lb.build(0)
    z0 = np.zeros(2 * lb.NU)
    E, L = lb.exact_ou_factors(A, sig, lb.DT)
    lb.nb_seed(0)
    for warm in (lambda: lb.numba_struct(K, lb.GAMMA, sig, z0, 10, lb.DT),
                 lambda: lb.numba_struct_fm(K, lb.GAMMA, sig, z0, 10, lb.DT),
                 lambda: lb.numba_dense(A, sig, z0, 10, lb.DT),
                 lambda: lb.numba_dense_fm(A, sig, z0, 10, lb.DT),
                 lambda: lb.numba_exact_ou(E, L, z0, 10),
                 lambda: lb.numba_exact_ou_fm(E, L, z0, 10),
                 lambda: lb.numba_noise_only(lb.NU, 10)):
        warm()

    def timed(fn):
        import statistics
        import time
        ns = []
        for r in range(REPS):
            lb.nb_seed(r)
            t0 = time.perf_counter()
            fn()
            ns.append((time.perf_counter() - t0) / lb.NSTEPS * 1e9)
        return statistics.median(ns)

    numba_times = {
        "numba_struct": timed(lambda: lb.numba_struct(K, lb.GAMMA, sig, z0, lb.NSTEPS, lb.DT)),
        "numba_struct_fm": timed(lambda: lb.numba_struct_fm(K, lb.GAMMA, sig, z0, lb.NSTEPS, lb.DT)),
        "numba_dense": timed(lambda: lb.numba_dense(A, sig, z0, lb.NSTEPS, lb.DT)),
        "numba_dense_fm": timed(lambda: lb.numba_dense_fm(A, sig, z0, lb.NSTEPS, lb.DT)),
        "numba_exactOU": timed(lambda: lb.numba_exact_ou(E, L, z0, lb.NSTEPS)),
        "numba_exactOU_fm": timed(lambda: lb.numba_exact_ou_fm(E, L, z0, lb.NSTEPS)),
        "numba_noise_only": timed(lambda: lb.numba_noise_only(lb.NU, lb.NSTEPS)),
    }

    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "langevin", "--example", "langevin_speed"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "langevin_speed")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(K.tolist(), f)
        path = f.name
    out = subprocess.run([exe, path, str(REPS)], check=True, capture_output=True, text=True).stdout
    os.unlink(path)
    rust = json.loads(out)

    print(f"numba {numba.__version__}, numpy {np.__version__}; 50 variables, {lb.NSTEPS} steps, "
          f"dt = {lb.DT}, median over {REPS} runs, ns per step")
    for k, v in numba_times.items():
        print(f"  {k:<26}: {v:8.1f}")
    for k in ("rust_underdamped_euler", "rust_em_dense", "rust_exact_ou", "rust_noise_only"):
        print(f"  thermolearn {k[5:]:<14}: {rust[k]:8.1f}")
    fastest = min((v, k) for k, v in numba_times.items() if k != "numba_noise_only")
    ours = rust["rust_underdamped_euler"]
    print(f"fastest numba Euler-Maruyama: {fastest[1]} {fastest[0]:.1f} ns/step; "
          f"thermolearn UnderdampedEuler {ours:.1f} ns/step; ratio {fastest[0] / ours:.2f}x")
    print(f"dense EM: numba_dense_fm {numba_times['numba_dense_fm']:.1f} vs thermolearn "
          f"{rust['rust_em_dense']:.1f} ns/step, ratio {numba_times['numba_dense_fm'] / rust['rust_em_dense']:.2f}x")
    print(f"exact OU: numba_exactOU_fm {numba_times['numba_exactOU_fm']:.1f} vs thermolearn "
          f"{rust['rust_exact_ou']:.1f} ns/step, ratio {numba_times['numba_exactOU_fm'] / rust['rust_exact_ou']:.2f}x")


if __name__ == "__main__":
    main()
