"""Data sets generated bit for bit: MNIST-1D and the random task."""

from ._thermolearn import mnist1d, random_task

__all__ = ["mnist1d", "random_task"]
