"""Counting articles, hits and coded passages by period and by variable: the timeline and the
code × variable matrix (pure functions over what the API hands them: no index, no store)."""
