"""Bad input raises a ThermolearnError (a ValueError) naming the value; nothing crashes."""

import numpy as np
import pytest

import thermolearn as tl


def test_a_nan_rate_is_a_stoch_error_naming_it():
    with pytest.raises(tl.StochError) as e:
        tl.master.steady_state(np.array([[0.0, np.nan], [1.0, 0.0]]))
    assert "NaN" in str(e.value) and isinstance(e.value, ValueError)
    assert "NonFiniteRate" in e.value.detail


def test_a_one_way_transition_has_infinite_entropy_production():
    k = np.array([[0, 1.0, 1.0], [0.0, 0, 1.0], [1.0, 1.0, 0]])
    with pytest.raises(tl.StochError, match="one-way|OneWay|→"):
        tl.master.entropy_production(k)


def test_a_non_positive_definite_covariance():
    with pytest.raises(tl.InfoError):
        tl.info.gaussian_entropy(np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValueError, match="square"):
        tl.info.gaussian_entropy(np.ones((2, 3)))


def test_an_unstable_drift_names_the_eigenvalue():
    with pytest.raises(tl.LangevinError) as e:
        tl.langevin.stationary_covariance(np.array([[0.5, 0.0], [0.0, -1.0]]), 0.1)
    assert "0.5" in str(e.value)


def test_bad_simulation_settings():
    w = np.zeros((3, 3))
    with pytest.raises(ValueError, match="t_max, n_max"):
        tl.gillespie.kinetic_ising(w, np.zeros((1, 3)), 1.0)
    with pytest.raises(ValueError, match="one column per spin"):
        tl.gillespie.kinetic_ising(w, np.zeros((1, 4)), 1.0, n_max=10)
    with pytest.raises(tl.GillespieError):
        tl.gillespie.kinetic_ising(w, np.full((1, 3), np.nan), 1.0, n_max=10)
    with pytest.raises(tl.GillespieError):
        tl.gillespie.mass_action(1, [(-1.0, [], [(0, 1)])], [0], n_max=5)
    with pytest.raises(ValueError, match="method"):
        tl.langevin.simulate(-np.eye(1), 0.1, np.zeros(1), 0.1, 5, method="rk4")


def test_learning_and_data_errors():
    with pytest.raises(tl.LearnError):
        tl.learn.softmax_fit(np.zeros((0, 2)), [], 2)
    with pytest.raises(tl.LearnError):
        tl.learn.softmax_fit(np.array([[np.nan, 1.0]]), [0], 2)
    with pytest.raises(tl.DatasetError):
        tl.datasets.random_task(0, 3)

    def boom(theta, seed):
        raise RuntimeError("objective failed")

    with pytest.raises(RuntimeError, match="objective failed"):
        tl.learn.spsa_maximize(boom, np.zeros(2), 5, 0.1, 0.1)
    with pytest.raises(tl.LearnError):
        tl.learn.spsa_maximize(lambda t, s: float("nan"), np.zeros(2), 5, 0.1, 0.1)
