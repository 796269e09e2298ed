"""The metadata block at the top of an article file, so a copied folder keeps its titles.

``glose add`` writes every article it brings in as::

    ---
    title: Le fonds Knight Vinke referme le dossier Suez
    date: 2007-01-16
    source: Les Echos
    author: Myriam Chauvot
    ---
    C'est une page qui se tourne…

The block is recognised strictly: the file's first line is exactly ``---``, every line up to
the closing ``---`` is ``key: value`` with a key from :data:`KEYS`, and the block ends within
:data:`MAX_LINES` lines. Anything else (a Markdown horizontal rule, a YAML document with other
keys) is ordinary text and stays in the article. A recognised block is kept out of the
canonical text: offsets count from the first character after the closing ``---`` line, so
annotations never depend on the metadata (editing a title by hand moves nothing).
"""

from __future__ import annotations

import re

FENCE = "---"
MAX_LINES = 30
# What a block may hold, in the order it is written.
KEYS = (
    "title", "subtitle", "date", "source", "author", "section", "page", "words", "id", "url",
    "origin",
)  # fmt: skip
_LINE = re.compile(r"([a-z]+):(?: (.*))?")


def split(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body) of a canonical text; ``({}, text)`` when it has no valid block."""
    if not text.startswith(FENCE + "\n"):
        return {}, text
    meta: dict[str, str] = {}
    pos = len(FENCE) + 1
    for _ in range(MAX_LINES):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line == FENCE:
            return meta, ("" if end < 0 else text[end + 1 :])
        match = _LINE.fullmatch(line)
        if match is None or match.group(1) not in KEYS or match.group(1) in meta or end < 0:
            return {}, text
        if value := (match.group(2) or "").strip():
            meta[match.group(1)] = value
        pos = end + 1
    return {}, text


def render(meta: dict[str, str | None]) -> str:
    """The block for ``meta`` (known keys, in order; empty values left out), newline-ended.
    Values are made single-line: a newline in a title cannot end the block early."""
    lines = [FENCE]
    for key in KEYS:
        value = meta.get(key)
        if value is not None and (value := " ".join(str(value).split())):
            lines.append(f"{key}: {value}")
    lines.append(FENCE)
    return "\n".join(lines) + "\n"
