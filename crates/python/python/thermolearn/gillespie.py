"""Exact stochastic simulation with entropy production."""

from ._thermolearn import kinetic_ising, mass_action

__all__ = ["kinetic_ising", "mass_action"]
