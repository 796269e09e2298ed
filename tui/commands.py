"""The ``glose`` commands, and which module of :mod:`tui.cli` defines each.

A one-shot ``glose search`` must not pay for importing the two dozen other commands (their
modules and what they pull in: about 15 ms here), so the group loads a command's module when
the command is asked for (:meth:`tui.cli.main.GloseGroup.get_command`) and every module only to
list them all (``glose --help``). This table imports nothing and lives outside :mod:`tui.cli`
(whose package imports click): the console script (:mod:`tui.launch`) reads it to tell a
command from a folder of the same name without loading click or the API. ``tests/test_cli.py``
checks it against the commands the modules register.
"""

from __future__ import annotations

MODULES: dict[str, str] = {
    "add": "adding",
    "agreement": "agreeing",
    "done": "agreeing",
    "settle": "agreeing",
    "annotate": "coding",
    "annotations": "coding",
    "delete": "coding",
    "edit": "coding",
    "export": "coding",
    "import": "coding",
    "log": "coding",
    "redo": "coding",
    "restore": "coding",
    "review": "coding",
    "store": "coding",
    "tag": "coding",
    "tags": "coding",
    "undo": "coding",
    "timeline": "counting",
    "families": "families",
    "cooc": "lexicon",
    "corpus": "lexicon",
    "ngrams": "lexicon",
    "specif": "lexicon",
    "words": "lexicon",
    "memo": "memos",
    "memos": "memos",
    "index": "reading",
    "kwic": "reading",
    "search": "reading",
    "shared": "reading",
    "show": "reading",
    "stats": "reading",
    "where": "reading",
    "set": "sets",
    "sets": "sets",
    "meta": "variables",
    "vars": "variables",
    "cite": "writing",
    "report": "writing",
}

COMMANDS = frozenset(MODULES)
