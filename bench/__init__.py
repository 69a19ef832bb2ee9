"""Benchmarks of issue 6, run by ``make bench`` (bench/run.py); never part of the test suite."""
