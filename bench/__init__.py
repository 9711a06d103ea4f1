"""Benchmarks for TSK-dashboard: `make bench` or `python -m bench [--quick] [--sizes 100k,1M,10M]`.

What a page and an import cost as the data grows, side by side with pandas and bare DuckDB. Every
measurement runs in its own subprocess (so peak RSS is per step), writes its figures as JSON to
bench/out/results/, and the driver (bench/__main__.py) prints the table and writes bench/RESULTS.md.
Targets are reported here, never asserted in tests.
"""
