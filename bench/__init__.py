"""Benchmarks of both front ends (run `python -m bench.run`); see README.md."""
