"""The corpus as the tools researchers keep using alongside read it, with its variables:

- IRaMuTeQ's starred text: each article opens with ``**** *source_lemonde *date_2026-01``
  (variable names and values folded to lower-case letters, digits and hyphens, as IRaMuTeQ
  wants them), then its text; a ``*`` in a text would start a variable, so it becomes a space.
- TXM's XML-TEI import (XTZ + CSV): a folder of TEI files, one per article, whose ``<text>``
  carries the variables as attributes, and the ``metadata.csv`` TXM reads them from (its
  ``id`` column is the file's name without ``.xml``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ..text.analysis import fold

Doc = tuple[str, str, str, dict[str, str | None]]  # id, title, text, variables
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PARAGRAPHS = re.compile(r"\n\s*\n|\n")


def star(value: str) -> str:
    """A name or value as IRaMuTeQ reads it after a ``*``: no space, no underscore inside."""
    return re.sub(r"[^a-z0-9-]", "", fold(value))


def iramuteq(docs: Iterable[Doc], out: TextIO) -> int:
    """Write the starred corpus; returns the articles written."""
    n = 0
    for _, _, text, variables in docs:
        stars = " ".join(f"*{star(k)}_{star(v)}" for k, v in variables.items() if v and star(v))
        body = text.replace("*", " ").strip()
        out.write(f"**** {stars}".rstrip() + f"\n{body}\n\n")
        n += 1
    return n


def _xml(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def file_name(article: str) -> str:
    """An article id as one file name (TXM's id of the text): folders joined by ``__``."""
    stem = article[:-4] if article.endswith(".txt") else article
    return re.sub(r"[^\w.-]", "_", stem.replace("/", "__"))


def tei(article: str, title: str, text: str, variables: dict[str, str | None]) -> str:
    attrs = "".join(
        f" {re.sub(r'[^a-z0-9]', '', k.lower())}={quoteattr(_xml(v or ''))}" for k, v in variables.items()
    )
    paragraphs = "".join(f"<p>{escape(_xml(p.strip()))}</p>\n" for p in _PARAGRAPHS.split(text) if p.strip())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
        f"<teiHeader><fileDesc><titleStmt><title>{escape(_xml(title))}</title></titleStmt>"
        "<publicationStmt><p>Exported by Glose</p></publicationStmt>"
        f"<sourceDesc><p>{escape(_xml(article))}</p></sourceDesc></fileDesc></teiHeader>\n"
        f"<text id={quoteattr(file_name(article))}{attrs}>\n<body>\n{paragraphs}</body>\n</text>\n</TEI>\n"
    )


def txm(docs: Iterable[Doc], folder: Path) -> int:
    """Write the TEI files and ``metadata.csv`` into ``folder``; returns the articles written."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    names: list[str] = []
    for article, title, text, variables in docs:
        name = file_name(article)
        (folder / f"{name}.xml").write_text(tei(article, title, text, variables), encoding="utf-8")
        if not names:
            names = list(variables)
        rows.append([name, title, *(variables.get(k) or "" for k in names)])
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", *names])
        writer.writerows(rows)
    return len(rows)
