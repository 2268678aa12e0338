"""C-contiguous float64 inputs are read in place; other layouts give the same answers."""

import resource
import sys

import numpy as np
import pytest

import thermolearn as tl


def peak_rss_bytes():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def test_a_large_contiguous_input_is_not_copied():
    # 25 M probabilities = 200 MB: a copy would raise the peak resident size by as much.
    p = np.full(25_000_000, 1.0 / 25_000_000)
    p.sum()  # touch every page before measuring
    before = peak_rss_bytes()
    h = tl.info.entropy(p)
    grown = peak_rss_bytes() - before
    assert h == pytest.approx(np.log(25_000_000), rel=1e-9)
    assert grown < 50_000_000, f"the peak grew by {grown / 1e6:.0f} MB"


def test_strided_and_fortran_inputs_give_the_same_answers():
    rng = np.random.default_rng(7)
    k = rng.uniform(0.1, 1.0, (6, 6))
    np.fill_diagonal(k, 0.0)
    p = tl.master.steady_state(k)
    assert np.array_equal(tl.master.steady_state(np.asfortranarray(k)), p)
    big = np.zeros(12)
    big[::2] = p
    assert tl.info.entropy(big[::2]) == tl.info.entropy(p)
    w = rng.uniform(-0.5, 0.5, (5, 5))
    np.fill_diagonal(w, 0.0)
    x = rng.uniform(-0.5, 0.5, (2, 5))
    a = tl.gillespie.kinetic_ising(w, x, 1.0, n_max=500, seed=1)
    b = tl.gillespie.kinetic_ising(np.asfortranarray(w), np.asfortranarray(x), 1.0, n_max=500, seed=1)
    assert np.array_equal(a["magnetization"], b["magnetization"])
