"""Side by side: thermolearn's springs-and-sticks engine against the authors' code
(bestquark/springs-and-sticks: PyTorch + torchsde + SymPy) on the two workloads of
`crates/models/examples/springs_speed.rs`, in one run on one machine:

- fig5 point: N_s = 9 on 20 points of [0, 2π] (f = x²), γ = 10, T = 0.01 K, k = M = 1,
  torchsde batch 8, ts = linspace(0, 100, 100) (10⁵ Euler steps of dt = 1e-3), as in
  paper_imgs/error_plots.py;
- barrier point: one stick on 20 points (f = cos x), γ = 0.1, T = 1 K, k = M = 1e-30,
  batch 100, ts = linspace(0, 10, 10000), the work by Simpson and the Jarzynski ΔF with
  src/entropy.get_free_energy, as in paper_imgs/entropies_run.py.

The reference is imported from a checkout of its repository, never copied here. Its
setup (SymPy derivation, `update_data`) is timed separately from the integration.

usage: python compare_springs.py REFERENCE_CHECKOUT [REPS] [TORCH_THREADS]
needs: torch, torchsde, sympy, scipy, numpy (a virtual environment outside the project).
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
REF = os.path.abspath(sys.argv[1])
REPS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
THREADS = int(sys.argv[3]) if len(sys.argv) > 3 else 1
sys.path.insert(0, REF)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchsde  # noqa: E402
from src.entropy import get_free_energy  # noqa: E402
from src.model import GS3DE  # noqa: E402

torch.set_num_threads(THREADS)
# torchsde's BrownianInterval builds its dependency tree recursively: 10⁵ steps need a deeper
# stack than Python's default limit of 1000 (RecursionError otherwise).
sys.setrecursionlimit(100_000)


def fig5_point(seed):
    torch.manual_seed(seed)
    t0 = time.perf_counter()
    u = torch.linspace(0, 2 * torch.pi, 20).reshape(-1, 1)
    y = u ** 2
    sde = GS3DE(9, (torch.min(u, dim=0).values, torch.max(u, dim=0).values), 1,
                friction=10, temp=0.01, k=1, M=1)
    sde.update_data(u, y)
    t1 = time.perf_counter()
    ts = torch.linspace(0, 100, 100)
    theta0 = (torch.rand(size=(8, sde.state_size)) - 0.5) * 3
    with torch.no_grad():
        thetas = torchsde.sdeint(sde, theta0, ts, method="euler")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, float(thetas[-1].abs().sum())


def barrier_point(seed):
    torch.manual_seed(seed)
    t0 = time.perf_counter()
    u = torch.linspace(0, 2 * torch.pi, 20).reshape(-1, 1)
    y = torch.cos(u)
    sde = GS3DE([1], (torch.min(u, dim=0).values, torch.max(u, dim=0).values), 1,
                friction=0.1, temp=1.0, k=1e-30, M=1e-30)
    sde.update_data(u, y)
    t1 = time.perf_counter()
    ts = torch.linspace(0, 10, 10000)
    y0 = torch.rand(size=(100, sde.state_size)) * 3
    with torch.no_grad():
        thetas = torchsde.sdeint(sde, y0, ts, method="euler")
        fe = get_free_energy(ts, thetas, sde)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, float(-fe) / (sde.kb * sde.temp)


def main():
    ref = {"fig5": [], "barrier": []}
    for r in range(REPS):
        ref["fig5"].append(fig5_point(r))
        ref["barrier"].append(barrier_point(r))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "models", "--example", "springs_speed"],
                   cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "examples", "springs_speed")
    ours = json.loads(subprocess.run([exe, str(max(REPS, 5))], capture_output=True, text=True,
                                     check=True).stdout)
    med = lambda xs: statistics.median(xs)  # noqa: E731
    out = {
        "torch": torch.__version__,
        "torchsde": torchsde.__version__,
        "torch_threads": THREADS,
        "reps": REPS,
        "reference_fig5_setup_s": med([t[0] for t in ref["fig5"]]),
        "reference_fig5_integrate_s": med([t[1] for t in ref["fig5"]]),
        "thermolearn_fig5_s": ours["fig5_point_s"],
        "reference_barrier_setup_s": med([t[0] for t in ref["barrier"]]),
        "reference_barrier_integrate_s": med([t[1] for t in ref["barrier"]]),
        "thermolearn_barrier_s": ours["barrier_point_s"],
        "reference_barrier_delta_f_over_kT": [t[2] for t in ref["barrier"]],
        "thermolearn_barrier_delta_f_over_kT": ours["barrier_delta_f_over_kT"],
    }
    out["ratio_fig5_integrate"] = out["reference_fig5_integrate_s"] / out["thermolearn_fig5_s"]
    out["ratio_fig5_with_setup"] = (out["reference_fig5_integrate_s"] + out["reference_fig5_setup_s"]) / out["thermolearn_fig5_s"]
    out["ratio_barrier_integrate"] = out["reference_barrier_integrate_s"] / out["thermolearn_barrier_s"]
    out["ratio_barrier_with_setup"] = (out["reference_barrier_integrate_s"] + out["reference_barrier_setup_s"]) / out["thermolearn_barrier_s"]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
