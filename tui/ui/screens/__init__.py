"""Screens and dialogs pushed over the reader: the codebook, the annotate and other dialogs, export."""
