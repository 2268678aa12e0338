"""thermolearn: the stochastic thermodynamics of learning, from NumPy.

Thin bindings over the thermolearn Rust crates. Units follow the library: k_B = 1,
entropies and mutual informations in nats, rates per unit time (the time unit of the
rates or of the drift you pass in). Every stochastic function takes an explicit
``seed`` and gives the same numbers as the Rust API with that seed; long calls release
the GIL and run in parallel.

Submodules:

- ``thermolearn.master``: master equations (steady state, fluxes, Schnakenberg entropy
  production per edge, p(t), detailed balance);
- ``thermolearn.info``: discrete and Gaussian entropies and mutual information;
- ``thermolearn.gillespie``: kinetic Ising networks for a batch of inputs, mass-action
  reaction networks;
- ``thermolearn.langevin``: linear Langevin systems (Lyapunov covariance, entropy
  production three ways, trajectories and moments);
- ``thermolearn.datasets``: MNIST-1D bit for bit, the random task;
- ``thermolearn.learn``: SPSA and the softmax readout.

Errors are ``ThermolearnError`` subclasses of ``ValueError`` (``StochError``,
``InfoError``, ``GillespieError``, ``LangevinError``, ``LearnError``,
``DatasetError``); ``err.args[0]`` names the bad value, ``err.detail`` is the typed
error with its fields.
"""

from ._thermolearn import (
    DatasetError,
    GillespieError,
    InfoError,
    LangevinError,
    LearnError,
    StochError,
    ThermolearnError,
)
from . import datasets, gillespie, info, langevin, learn, master

__all__ = [
    "ThermolearnError",
    "StochError",
    "InfoError",
    "GillespieError",
    "LangevinError",
    "LearnError",
    "DatasetError",
    "master",
    "info",
    "gillespie",
    "langevin",
    "datasets",
    "learn",
]
__version__ = "0.1.0"
