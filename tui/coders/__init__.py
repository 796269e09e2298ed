"""The coders' side: agreement between coders, settling disagreements, units, statistics of the coding."""
