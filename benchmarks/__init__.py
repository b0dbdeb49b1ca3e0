"""Speed of ``hopfield`` against plain references, measured in the same run.

Run ``python -m benchmarks`` from the repository root (``--help`` for options); see README.md.
"""
