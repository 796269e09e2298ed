"""The application API: the one door to a workspace for every front end.

``glose`` commands and the reader's actions are thin calls of the :class:`Library`'s parts;
neither touches the store, the index or SQL directly (an import-linter contract checks it).
The types a front end handles are re-exported here, each loaded on first use: importing the
API (which any ``tui.api.X`` import does) then costs a one-shot command nothing it does not
use, since ``glose search`` needs the library's index and search parts, not the model, the
coders or the counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..coders.agreement import Agreement, Disagreement
    from ..model import Memo
    from ..search.hits import Hit, KwicLine, Snippet
    from ..search.query import Compiled
    from ..search.searcher import Results
    from ..text.passages import Occurrence
    from .articles import ArticleView
    from .coders import Settled, SettledRound
    from .context import Context
    from .exchange import Exported
    from .indexing import SyncReport
    from .library import Library, Session
    from .passage import Passage
    from .searching import Page

# Where each name comes from, imported when a front end first asks for it.
_LAZY = {
    "Agreement": "..coders.agreement",
    "ArticleView": ".articles",
    "Compiled": "..search.query",
    "Context": ".context",
    "Disagreement": "..coders.agreement",
    "Exported": ".exchange",
    "Hit": "..search.hits",
    "KwicLine": "..search.hits",
    "Library": ".library",
    "Memo": "..model",
    "Occurrence": "..text.passages",
    "Page": ".searching",
    "Passage": ".passage",
    "Results": "..search.searcher",
    "Session": ".library",
    "Settled": ".coders",
    "SettledRound": ".coders",
    "Snippet": "..search.hits",
    "SyncReport": ".indexing",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Agreement",
    "ArticleView",
    "Compiled",
    "Context",
    "Disagreement",
    "Exported",
    "Hit",
    "KwicLine",
    "Library",
    "Memo",
    "Occurrence",
    "Page",
    "Passage",
    "Results",
    "Session",
    "Settled",
    "SettledRound",
    "Snippet",
    "SyncReport",
]
