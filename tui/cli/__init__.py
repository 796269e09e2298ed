"""The ``glose`` command: a thin click layer over :class:`tui.api.Library`.

``main`` holds the group and what every command shares; ``reading``, ``coding`` and the other
modules the commands, each loaded when its command is run (:data:`tui.commands.MODULES`; a
one-shot ``glose search`` does not pay for the other two dozen); ``render`` how results look
on a terminal (built as ``rich.text.Text``, never as markup: titles, tags and notes are data).
This package must stay cheap to import: a one-shot ``glose search`` never imports Textual.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
