"""Exact answers against NumPy/SciPy references and closed forms."""

import numpy as np
import pytest
import scipy.linalg

import thermolearn as tl


def random_rates(n, seed):
    rng = np.random.default_rng(seed)
    k = rng.uniform(0.1, 2.0, (n, n))
    np.fill_diagonal(k, 0.0)
    return k


def test_steady_state_is_the_null_vector_of_the_generator():
    k = random_rates(7, 1)
    g = k - np.diag(k.sum(axis=1))  # dp/dt = p G
    null = scipy.linalg.null_space(g.T)[:, 0]
    p_ref = null / null.sum()
    p = tl.master.steady_state(k)
    np.testing.assert_allclose(p, p_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(p @ g, 0.0, atol=1e-13)


def test_schnakenberg_entropy_production_and_its_edges():
    k = random_rates(5, 2)
    p = tl.master.steady_state(k)
    ep = tl.master.entropy_production(k)
    total = 0.0
    for i in range(5):
        for j in range(i + 1, 5):
            f = p[i] * k[i, j] - p[j] * k[j, i]
            total += f * np.log(p[i] * k[i, j] / (p[j] * k[j, i]))
    assert ep["total"] == pytest.approx(total, rel=1e-12)
    assert ep["rate"].sum() == pytest.approx(total, rel=1e-12)
    assert len(ep["i"]) == 10 and np.all(ep["rate"] >= 0)
    fl = tl.master.net_fluxes(k, p)
    np.testing.assert_allclose(fl, -fl.T, atol=1e-15)
    np.testing.assert_allclose(fl.sum(axis=1), 0.0, atol=1e-13)


def test_detailed_balance_of_a_reversible_chain():
    # Rates from an energy landscape satisfy detailed balance; a driven cycle does not.
    e = np.array([0.0, 0.7, -0.3, 1.1])
    k = np.exp(-(e[None, :] - e[:, None]) / 2)
    np.fill_diagonal(k, 0.0)
    assert tl.master.is_detailed_balance(k)
    assert tl.master.entropy_production(k)["total"] == pytest.approx(0.0, abs=1e-13)
    boltz = np.exp(-e) / np.exp(-e).sum()
    np.testing.assert_allclose(tl.master.steady_state(k), boltz, rtol=1e-12)
    cycle = np.array([[0, 2.0, 0.5], [0.5, 0, 2.0], [2.0, 0.5, 0]])
    assert not tl.master.is_detailed_balance(cycle)
    assert tl.master.detailed_balance_violation(cycle) > 0.5


def test_evolve_against_the_matrix_exponential():
    k = random_rates(4, 3)
    g = k - np.diag(k.sum(axis=1))
    p0 = np.array([1.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(tl.master.evolve(k, p0, 0.7), p0 @ scipy.linalg.expm(0.7 * g), rtol=1e-10)


def test_discrete_information():
    assert tl.info.entropy(np.full(8, 1 / 8)) == pytest.approx(np.log(8), rel=1e-15)
    rng = np.random.default_rng(4)
    pxy = rng.uniform(size=(3, 4))
    pxy /= pxy.sum()
    px, py = pxy.sum(1), pxy.sum(0)
    mi = np.sum(pxy * np.log(pxy / np.outer(px, py)))
    assert tl.info.mutual_information(pxy) == pytest.approx(mi, rel=1e-12)
    assert tl.info.mutual_information(np.outer(px, py)) == pytest.approx(0.0, abs=1e-15)
    p, q = px, np.array([0.2, 0.3, 0.5])
    assert tl.info.kl_divergence(p, q) == pytest.approx(np.sum(p * np.log(p / q)), rel=1e-12)


def test_gaussian_information_closed_forms():
    rho = 0.6
    c = np.array([[1.0, rho], [rho, 1.0]])
    assert tl.info.gaussian_mutual_information(c, [0], [1]) == pytest.approx(-0.5 * np.log(1 - rho**2), rel=1e-13)
    rng = np.random.default_rng(5)
    m = rng.normal(size=(4, 4))
    c = m @ m.T + 4 * np.eye(4)
    h = 0.5 * np.log(np.linalg.det(2 * np.pi * np.e * c))
    assert tl.info.gaussian_entropy(c) == pytest.approx(h, rel=1e-12)


def test_lyapunov_and_entropy_production_three_ways():
    # Ingrosso & Panizon (A11): two units with J_s, J_a: Σ = 2 J_a².
    js, ja = 0.3, 0.8
    a = np.array([[-1.0, js + ja], [js - ja, -1.0]])
    c = tl.langevin.stationary_covariance(a, 0.1)
    np.testing.assert_allclose(c, scipy.linalg.solve_continuous_lyapunov(a, -0.01 * np.eye(2)), rtol=1e-12)
    ep = tl.langevin.entropy_production(a, 0.1)
    for key in ["covariance", "spectral", "production"]:
        assert ep[key] == pytest.approx(2 * ja**2, rel=1e-8), key
    assert ep["entropy_change"] == pytest.approx(0.0, abs=1e-12)


def test_exact_ou_moments_match_the_lyapunov_covariance():
    a = np.array([[-1.0, 0.5], [-0.5, -2.0]])
    m = tl.langevin.simulate(a, 0.5, np.zeros(2), 0.05, 200_000, seed=2, record="moments")
    c = tl.langevin.stationary_covariance(a, 0.5)
    # 200 000 correlated steps: ~ 1000 independent samples per correlation time 0.5–1.
    np.testing.assert_allclose(m["covariance"], c, atol=0.02 * c.max())
    assert m["count"] == 200_001


def test_mnist1d_equals_the_reference_files():
    import pathlib

    # shared/ lies beside the checkout (the project's layout, CI's too).
    ref = pathlib.Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "mnist1d"
    assert ref.is_dir(), f"the MNIST-1D reference files are not at {ref}"
    d = tl.datasets.mnist1d()
    x = np.fromfile(ref / "x.f64le", dtype="<f8").reshape(d["x"].shape)
    y = np.fromfile(ref / "y.i64le", dtype="<i8")
    assert np.array_equal(d["x"], x) and np.array_equal(d["y"], y)


def test_softmax_readout_separates_separable_classes():
    rng = np.random.default_rng(6)
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    labels = np.repeat(np.arange(3), 50)
    x = centres[labels] + rng.normal(size=(150, 2)) * 0.5
    fit = tl.learn.softmax_fit(x, labels.tolist(), 3)
    assert fit["accuracy"] == 1.0 and fit["weights"].shape == (3, 2)
    assert fit["cross_entropy"] < 0.1


def test_sparse_and_dense_couplings_give_the_same_runs():
    import scipy.sparse

    rng = np.random.default_rng(8)
    w = rng.uniform(-0.5, 0.5, (30, 30)) * (rng.random((30, 30)) < 0.15)
    np.fill_diagonal(w, 0.0)
    x = rng.uniform(-1, 1, (5, 30))
    dense = tl.gillespie.kinetic_ising(w, x, 1.0, n_max=2000, seed=4)
    for sparse in (scipy.sparse.csr_matrix(w), scipy.sparse.coo_matrix(w)):
        r = tl.gillespie.kinetic_ising(sparse, x, 1.0, n_max=2000, seed=4)
        assert np.array_equal(r["magnetization"], dense["magnetization"])
        assert np.array_equal(r["entropy"], dense["entropy"])
