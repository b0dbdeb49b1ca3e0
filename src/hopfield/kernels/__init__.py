"""Hot loops, compiled with Numba, and nothing else.

The asynchronous sweeps of the classical network (``kernels.classical``) and of the dense
associative memory (``kernels.dense``), and the read-out loops of the dense memory's gaps.
This package is internal: the models call it, and its names may change without notice.
"""

import functools
import os
import threading
from collections.abc import Callable, Iterator
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

    Parameters
    ----------
    enabled : bool, default True
        Whether to limit the kernels to one thread; False leaves the thread count as it is.

    Yields
    ------
    None
        Control, inside the block.
    """
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1 if enabled else before)
    try:
        yield
    finally:
        numba.set_num_threads(before)


# Numba's workqueue threading layer (the one left where neither OpenMP nor TBB is available)
# aborts the interpreter when two threads launch parallel kernels at once. Launches are
# serialised while that layer is, or may yet be, the one in use; under OpenMP or TBB they run
# concurrently as before.
_LAUNCH = threading.Lock()
_layer: str | None = None


def _concurrent_safe() -> bool:
    global _layer
    if _layer is None:
        import numba

        try:
            _layer = numba.threading_layer()
        except ValueError:  # no parallel kernel has run yet: the layer is not chosen
            return False
    return _layer != "workqueue"


def serialised(kernel: Callable) -> Callable:
    """Wrap a parallel Numba kernel so that one thread at a time launches it, if need be.

    Under Numba's workqueue threading layer only one thread at a time launches the kernel
    (recall from several threads is then correct, but not concurrent); under OpenMP or TBB
    launches run concurrently.

    Parameters
    ----------
    kernel : callable
        The compiled kernel.

    Returns
    -------
    callable
        The wrapped launcher; the kernel itself is its ``kernel`` attribute.
    """

    @functools.wraps(kernel, updated=())
    def launch(*args):
        if _concurrent_safe():
            return kernel(*args)
        with _LAUNCH:
            return kernel(*args)

    launch.kernel = kernel
    return launch
