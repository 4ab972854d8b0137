"""Helpers for scripts/bench (the logreg benchmark harness); see docs/benchmarks.md."""
