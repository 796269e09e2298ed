"""The Textual interface. The only package allowed to import Textual."""

from __future__ import annotations

import sys

from ..errors import GloseError


def start(
    root: str | None = None,
    *,
    articles: str | None = None,
    index: str | None = None,
    db: str | None = None,
    coder: str | None = None,
) -> None:
    """Open the reader on a workspace: what ``glose`` and ``glose DIR`` do, from the click
    group or from the console script's short path (:mod:`tui.launch`), so both refuse the
    same way (no articles folder, no terminal: :class:`GloseError`)."""
    from ..api import Library

    lib = Library.open(root, articles=articles, index=index, db=db, frontend="tui", coder=coder)
    lib.ws.check()
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise GloseError("the reader needs a terminal; see glose --help for the commands")
    from .app import GloseApp

    GloseApp(lib).run()
