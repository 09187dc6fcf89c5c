"""Benchmarks run by bin/bench: one module per benchmark, shared helpers in bench/common.py."""
