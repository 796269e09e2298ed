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
    _follow_the_terminal()
    from .app import GloseApp

    GloseApp(lib).run()


def _follow_the_terminal() -> None:
    """Drop a ``COLUMNS`` or ``LINES`` left in the environment (a shell profile's export,
    xterm's ``resize``, a parent process's: CI's test runner had ``COLUMNS=80 LINES=24``). Textual
    reads the size with ``shutil.get_terminal_size``, which prefers them to the terminal's own
    at start and at every resize: the reader stayed 80×24 in a larger window. The terminal can
    tell its size here (stdout is one), so it is the one to follow."""
    import os

    try:
        os.get_terminal_size(sys.__stdout__.fileno())
    except (AttributeError, ValueError, OSError):
        return
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
