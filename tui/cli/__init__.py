"""The ``glose`` command: a thin click layer over :class:`tui.api.Library`.

``main`` holds the group and what every command shares; ``reading`` and ``coding`` the
commands; ``render`` how results look on a terminal (built as ``rich.text.Text``, never as
markup: titles, tags and notes are data). This package must stay cheap to import: a one-shot
``glose search`` never imports Textual.
"""

from __future__ import annotations

from . import adding, agreeing, coding, counting, families, lexicon, memos, reading, sets, variables, writing  # noqa: F401  (they register their commands on main)
from .main import main

__all__ = ["main"]
