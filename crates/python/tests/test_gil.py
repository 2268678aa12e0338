"""Long calls release the GIL: Python code keeps running in another thread meanwhile."""

import threading

import numpy as np

import thermolearn as tl


def test_python_runs_while_a_simulation_runs():
    rng = np.random.default_rng(0)
    w = rng.uniform(-0.5, 0.5, (40, 40))
    np.fill_diagonal(w, 0.0)
    x = rng.uniform(-1, 1, (16, 40))
    worker = threading.Thread(
        target=tl.gillespie.kinetic_ising, args=(w, x, 1.0), kwargs={"n_max": 400_000, "seed": 3}
    )
    worker.start()
    count = 0
    while worker.is_alive():
        count += 1
    worker.join()
    # Holding the GIL for the whole call (about a second) would leave this loop a handful
    # of iterations; released, it spins millions of times.
    assert count > 100_000, count
