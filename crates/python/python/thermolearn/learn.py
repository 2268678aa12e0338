"""SPSA over a Python objective, and the exact softmax readout."""

from ._thermolearn import softmax_fit, spsa_maximize

__all__ = ["spsa_maximize", "softmax_fit"]
