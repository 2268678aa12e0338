"""Type stubs of the compiled extension (units: k_B = 1, nats, rates per unit time)."""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]

class ThermolearnError(ValueError):
    detail: str

class StochError(ThermolearnError): ...
class InfoError(ThermolearnError): ...
class GillespieError(ThermolearnError): ...
class LangevinError(ThermolearnError): ...
class LearnError(ThermolearnError): ...
class DatasetError(ThermolearnError): ...

# master equations: rates[i, j] = k(i -> j), inverse time
def steady_state(rates: F64) -> F64: ...
def net_fluxes(rates: F64, p: F64) -> F64: ...
def entropy_production(rates: F64, p: Optional[F64] = None) -> Dict[str, Any]:
    """Schnakenberg EP (nats/time): keys total, i, j, flux, affinity, rate, p."""
def evolve(rates: F64, p0: F64, t: float) -> F64: ...
def detailed_balance_violation(rates: F64, p: Optional[F64] = None) -> float: ...
def is_detailed_balance(rates: F64, rel_tol: float = 1e-9) -> bool: ...

# information theory (nats)
def entropy(p: F64) -> float: ...
def kl_divergence(p: F64, q: F64) -> float: ...
def mutual_information(pxy: F64) -> float: ...
def gaussian_entropy(cov: F64) -> float: ...
def gaussian_mutual_information(cov: F64, x: Sequence[int], y: Sequence[int]) -> float: ...

# Gillespie
def kinetic_ising(
    couplings: Union[F64, Any],  # dense (n, n) or a scipy.sparse matrix
    fields: F64,
    beta: float,
    *,
    t_max: Optional[float] = None,
    n_max: Optional[int] = None,
    transient: float = 0.0,
    initial: Optional[Sequence[int]] = None,
    seed: int = 0,
) -> Dict[str, NDArray[Any]]:
    """Keys magnetization (m, n), entropy_rate (nats/time), entropy (nats), jumps, window."""
def mass_action(
    n_species: int,
    reactions: Sequence[Tuple[float, Sequence[Tuple[int, int]], Sequence[Tuple[int, int]]]],
    x0: Sequence[int],
    *,
    t_max: Optional[float] = None,
    n_max: Optional[int] = None,
    seed: int = 0,
) -> Tuple[F64, NDArray[np.int64]]: ...

# Langevin
def stationary_covariance(a: F64, noise: Union[float, F64], b: Optional[F64] = None) -> F64: ...
def linear_entropy_production(
    a: F64, noise: Union[float, F64], odd: Optional[Sequence[bool]] = None, rel_tol: float = 1e-10
) -> Dict[str, Optional[float]]:
    """Keys covariance, spectral (None with odd coordinates), production, flux, entropy_change."""
def simulate(
    a: F64,
    noise: Union[float, F64],
    x0: F64,
    dt: float,
    steps: int,
    *,
    b: Optional[F64] = None,
    method: str = "exact",
    every: int = 1,
    seed: int = 0,
    record: str = "trajectory",
) -> Union[F64, Dict[str, Any]]: ...

# data sets and learning
def mnist1d(num_samples: int = 5000, seed: int = 42, train_split: float = 0.8) -> Dict[str, NDArray[Any]]: ...
def random_task(m: int, n: int, seed: int = 0) -> Tuple[F64, F64]: ...
def softmax_fit(
    x: F64, labels: Sequence[int], classes: int, lam: float = 1e-4, tol: float = 1e-6, max_iter: int = 2000
) -> Dict[str, Any]: ...
def spsa_maximize(
    objective: Callable[[F64, int], float],
    theta0: F64,
    iterations: int,
    a: float,
    c: float,
    *,
    seed: int = 0,
    perturbations: int = 1,
    common_random_numbers: bool = True,
) -> Dict[str, F64]: ...
