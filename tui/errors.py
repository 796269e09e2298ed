"""Errors meant for the user's eyes.

Anything raised as a :class:`GloseError` is a condition we foresaw (a bad query, an unknown
article, a locked database): the CLI prints its message on one line and exits 1, the TUI
shows it inline. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class GloseError(Exception):
    """A foreseen failure, with a message written for the user."""


class WorkspaceError(GloseError):
    """The workspace is missing something Glose needs (no articles/, unreadable index...)."""


class QueryError(GloseError):
    """A query Glose cannot honour as typed; never silently replaced by another search."""


class ArticleNotFound(GloseError):
    """An article id that matches no file of the corpus."""


class IndexError_(GloseError):
    """The index cannot be used or written (locked, read-only, unreadable)."""


class IndexDamaged(IndexError_):
    """The search engine failed on the index's own files; a rebuild repairs it."""
