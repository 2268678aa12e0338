"""Master equations: ``rates[i, j]`` is k(i → j) per unit time (diagonal ignored)."""

from ._thermolearn import (
    detailed_balance_violation,
    entropy_production,
    evolve,
    is_detailed_balance,
    net_fluxes,
    steady_state,
)

__all__ = [
    "steady_state",
    "net_fluxes",
    "entropy_production",
    "evolve",
    "detailed_balance_violation",
    "is_detailed_balance",
]
