"""Glose's benchmark: Glose and SQLite FTS5 on the same documents, in the same run.

Run ``python -m bench`` (see BENCHMARKS.md for the options and the last results).
"""
