"""The hot loops, compiled with Numba, and nothing else."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["single_thread"]

# Numba's OpenMP threads spin while idle by default and then fight BLAS's threads for the
# cores between a kernel and the next matrix product: on 2 cores that made recall several
# times slower. Passive waiting costs nothing here. A user's own setting wins, and the
# setting only matters if OpenMP has not been started in this process yet.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@contextmanager
def single_thread(enabled: bool = True) -> Iterator[None]:
    """Run the compiled kernels on one thread inside the block (when ``enabled``).

    For work that an executor already spreads over every core (sweep trials, reproduce
    results). Numba's thread count belongs to the calling thread, so this is safe in threaded
    workers too.
    """
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1 if enabled else before)
    try:
        yield
    finally:
        numba.set_num_threads(before)
