# %% [markdown]
# # A tour of thermolearn from Python
# Each cell runs as is (`python notebook_tour.py`, or open it as a notebook with
# jupytext). Units: k_B = 1, entropies in nats, rates per unit time.

# %%
import numpy as np

import thermolearn as tl

# %% [markdown]
# ## A driven three-state cycle: steady state and Schnakenberg entropy production

# %%
k = np.array([[0.0, 2.0, 0.5], [0.5, 0.0, 2.0], [2.0, 0.5, 0.0]])
p = tl.master.steady_state(k)
ep = tl.master.entropy_production(k)
print("p =", p, " sigma =", ep["total"], "nats per unit time")
for i, j, f, r in zip(ep["i"], ep["j"], ep["flux"], ep["rate"]):
    print(f"  edge {i}-{j}: flux {f:+.4f}, EP {r:.4f}")
# The affinity of the cycle is 3 ln 4; sigma = J · 3 ln 4 with one cycle current J.
print("cycle check:", ep["flux"][0] * 3 * np.log(4.0))

# %% [markdown]
# ## Two linear units (Ingrosso & Panizon A11): Σ = 2 J_a², three ways

# %%
js, ja = 0.3, 0.8
a = np.array([[-1.0, js + ja], [js - ja, -1.0]])
print(tl.langevin.entropy_production(a, 0.1), "expected", 2 * ja**2)
traj = tl.langevin.simulate(a, 0.1, np.zeros(2), 0.01, 400_000, seed=1, every=10)
print("trajectory", traj.shape, "sample covariance", np.cov(traj[100:].T).round(4).tolist())
print("Lyapunov covariance", tl.langevin.stationary_covariance(a, 0.1).round(4).tolist())

# %% [markdown]
# ## A kinetic Ising chain driven by 200 inputs at once (all cores, no GIL)

# %%
rng = np.random.default_rng(0)
n = 20
w = np.zeros((n, n))
for i in range(n - 1):
    w[i, i + 1], w[i + 1, i] = rng.uniform(-1, 1, 2)  # asymmetric: out of equilibrium
fields = rng.uniform(-1, 1, (200, n))
r = tl.gillespie.kinetic_ising(w, fields, 1.0, n_max=20_000, transient=5.0, seed=42)
print("magnetizations", r["magnetization"].shape, "EP rate: mean", r["entropy_rate"].mean())
sym = (w + w.T) / 2
r_eq = tl.gillespie.kinetic_ising(sym, fields, 1.0, n_max=20_000, transient=5.0, seed=42)
print("symmetric couplings (equilibrium): EP rate mean", r_eq["entropy_rate"].mean(), "(≈ 0)")

# %% [markdown]
# ## Information: MNIST-1D and a softmax readout

# %%
d = tl.datasets.mnist1d()
fit = tl.learn.softmax_fit(d["x"], d["y"].tolist(), 10, lam=1e-3)
print(f"MNIST-1D linear readout: train accuracy {fit['accuracy']:.3f}, CE {fit['cross_entropy']:.3f} nats")
c = np.array([[1.0, 0.6], [0.6, 1.0]])
print("Gaussian MI", tl.info.gaussian_mutual_information(c, [0], [1]), "nats")
