"""The hot loops, compiled with Numba, and nothing else."""

import os

# Numba's OpenMP threads spin while idle by default and then fight BLAS's threads for the
# cores between a kernel and the next matrix product: on 2 cores that made recall several
# times slower. Passive waiting costs nothing here. A user's own setting wins, and the
# setting only matters if OpenMP has not been started in this process yet.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
