"""Benchmarks of the provider's cost (see bench/README.md and docs/benchmarks.md)."""
