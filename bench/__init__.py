"""Benchmarks anyone can re-run: `python -m bench` (see bench/README.md and bench/RESULTS.md).

Each measure runs its timed work in a fresh subprocess (`python -m bench.worker ...`), so that
one dataset's caches, imports and memory never colour the next measure.
"""
