"""Search: the query language, the engines behind one seam, the index kept up to date, hits, snippets and the concordance."""
