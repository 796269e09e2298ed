"""Formats: exports to every format and imports from every foreign file, with the REFI-QDA vocabulary they share."""
