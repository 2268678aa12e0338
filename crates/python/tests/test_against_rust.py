"""The bindings give the Rust API's numbers for the same seed, exactly: the reference
file is written and checked by crates/models/tests/python_reference.rs."""

import json
import pathlib

import numpy as np

import thermolearn as tl

REF = json.loads((pathlib.Path(__file__).parent / "rust_reference.json").read_text())


def couplings():
    n = 6
    w = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                w[i, j] = 0.3 * np.sin(i + 2 * j)
    return w


def fields(k):
    return np.array([0.2 * np.cos(i + k) for i in range(6)])


def test_kinetic_ising_equals_rust():
    x = np.stack([fields(k) for k in range(3)])
    r = tl.gillespie.kinetic_ising(couplings(), x, 1.0, n_max=3000, transient=1.0, seed=11)
    for k, ref in enumerate(REF["kinetic_ising"]):
        assert r["magnetization"][k].tolist() == ref["magnetization"]
        assert r["entropy"][k] == ref["entropy"]
        assert r["entropy_rate"][k] == ref["entropy_rate"]
        assert r["jumps"][k] == ref["jumps"]
        assert r["window"][k] == ref["window"]


def test_a_batch_does_not_depend_on_its_size():
    # Input k always draws stream k, whatever the batch size and however the inputs fall
    # into lockstep groups of four (9 = 4 + 4 + 1, 5 = 4 + 1, 1).
    x = np.stack([fields(k) for k in range(9)])
    runs = [
        tl.gillespie.kinetic_ising(couplings(), x[:m], 1.0, n_max=3000, transient=1.0, seed=11)
        for m in (9, 5, 1)
    ]
    for r in runs[1:]:
        m = len(r["entropy"])
        assert np.array_equal(runs[0]["magnetization"][:m], r["magnetization"])
        assert np.array_equal(runs[0]["entropy"][:m], r["entropy"])


def test_mass_action_equals_rust():
    t, s = tl.gillespie.mass_action(
        1, [(10.0, [], [(0, 1)]), (1.0, [(0, 1)], [])], [0], n_max=200, seed=3
    )
    ref = REF["mass_action"]
    assert len(t) == ref["jumps"] + 1  # the start is included
    assert t[-1] == ref["t_last"]
    assert s[-1].tolist() == ref["state_last"]


def test_langevin_equals_rust():
    a = np.array([[-1.0, 0.8], [-0.8, -1.0]])
    for method in ["exact", "euler"]:
        traj = tl.langevin.simulate(
            a, 0.3, np.array([1.0, -1.0]), 0.01, 300, b=np.array([0.1, 0.0]), method=method, seed=7
        )
        assert traj.shape == (301, 2)
        assert traj[-1].tolist() == REF["langevin"][method]


def test_random_task_equals_rust():
    x, y = tl.datasets.random_task(4, 3, seed=5)
    assert x.ravel().tolist() == REF["random_task"]["x"]
    assert y.tolist() == REF["random_task"]["y"]


def test_spsa_equals_rust():
    def objective(theta, seed):
        s = 0.0
        for t in theta:
            s += (t - 1.0) * (t - 1.0)
        return -s

    r = tl.learn.spsa_maximize(objective, np.array([0.0, 0.5, -0.5]), 50, 0.1, 0.1, seed=9)
    assert r["theta"].tolist() == REF["spsa"]["theta"]
    assert r["averaged"].tolist() == REF["spsa"]["averaged"]
    assert len(r["trace"]) == 50
