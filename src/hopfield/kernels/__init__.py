"""The hot loops, compiled with Numba, and nothing else."""
