"""Glose: a terminal reader and annotator for a folder of plain-text articles.

The package is named ``tui`` (the workspace layout the product is known by), but only
``tui.ui`` knows about the screen; every other module is the core that the CLI and the
Textual app share.
"""

__version__ = "0.1.0"
