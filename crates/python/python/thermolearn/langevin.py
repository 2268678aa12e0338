"""Linear Langevin systems dz = (A z + b) dt + B dW."""

from ._thermolearn import linear_entropy_production as entropy_production
from ._thermolearn import simulate, stationary_covariance

__all__ = ["stationary_covariance", "entropy_production", "simulate"]
