"""The application API: the one door to a workspace for every front end.

``glose`` commands and the reader's actions are thin calls of the :class:`Library`'s parts;
neither touches the store, the index or SQL directly (an import-linter contract checks it).
The types a front end handles are re-exported here, so that it needs nothing below the API.
"""

from __future__ import annotations

from .articles import ArticleView
from .coders import Settled, SettledRound
from .context import Context
from .indexing import SyncReport
from .library import Library, Session
from .passage import Passage
from .searching import Page

# Types of the layers below that front ends hold (in type hints, mostly), handed on lazily so
# that importing the API costs a one-shot command nothing it does not use.
_BELOW = {
    "Agreement": "..coders.agreement",
    "Disagreement": "..coders.agreement",
    "Exported": ".exchange",
    "Compiled": "..search.query",
    "Hit": "..search.hits",
    "KwicLine": "..search.hits",
    "Memo": "..model",
    "Occurrence": "..text.passages",
    "Results": "..search.searcher",
    "Snippet": "..search.hits",
}


def __getattr__(name: str):
    if name in _BELOW:
        from importlib import import_module

        return getattr(import_module(_BELOW[name], __name__), name)
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
