"""Text handling: loading and cleaning files, front matter, metadata, analysis, anchoring, quotes, shared passages."""
