"""The ``glose`` console script.

``glose`` alone (or ``glose DIR``) opens the reader, and what a person waits for then is the
first screen: importing Textual already takes most of the half second DESIGN.md allows. So
that path does not load click and the two dozen commands (about a tenth of a second here);
every other command line goes to the click group in :mod:`tui.cli`, unchanged.
"""

from __future__ import annotations

import os
import sys

# The commands' names, so that ``glose NAME`` runs the command even when a folder has that
# name, as the click group decides (tests/test_cli.py checks this against the group). Reading
# this table imports neither click nor a command.
from .commands import COMMANDS


def reader_only(args: list[str]) -> str | bool | None:
    """The workspace of a command line that only opens the reader (None: the current folder),
    or False when the command line is anything else."""
    if not args:
        return None
    if len(args) == 1 and not args[0].startswith("-") and args[0] not in COMMANDS and os.path.isdir(args[0]):
        return args[0]
    return False


def main() -> None:
    root = reader_only(sys.argv[1:])
    if root is False:
        from .cli import main as cli

        cli()
        return
    from .errors import GloseError
    from .sanitize import terminal
    from .ui import start

    try:
        start(root)
    except GloseError as exc:
        print(f"glose: {terminal(str(exc))}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
