"""Entropies and mutual information in nats: discrete tables and Gaussians."""

from ._thermolearn import (
    entropy,
    gaussian_entropy,
    gaussian_mutual_information,
    kl_divergence,
    mutual_information,
)

__all__ = [
    "entropy",
    "kl_divergence",
    "mutual_information",
    "gaussian_entropy",
    "gaussian_mutual_information",
]
