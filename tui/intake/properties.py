"""A document's own properties (title, author, creation date), trusted only when they say
something about this document rather than about the program or template that made it.

A title such as ``Microsoft Word - note.docx`` or ``Untitled``, an author such as
``python-docx`` or ``Microsoft Office User``, a creation date that is a template's (the
2013-12-23 of python-docx's default template, a date years before the last change) are what
a tool wrote, not the document's; they are dropped, and Glose's usual guess from the text
decides (at load time: a date in the text always wins over a creation property).
"""

from __future__ import annotations

import re
from datetime import date

from ..text.metadata import guess_metadata
from .model import clean_line

# Producers' placeholder titles: "Microsoft Word - x.docx", "Untitled", "Sans titre",
# "Document1", a bare file name.
_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel)\b.*|untitled\b.*|sans titre\b.*|ohne titel\b.*|sin t[ií]tulo\b.*"
    r"|document\s*\d*|doc\d+|titre|title|presentation\d*|powerpoint presentation"
    r"|.*\.(?:docx?|odt|rtf|pdf|txt|html?|indd|pages|qxd|tex|dvi|ps))$",
    re.I,
)
# Authors that are a program's or a default account's name, not a person's.
_JUNK_AUTHORS = frozenset(
    [
        "python-docx",
        "microsoft office user",
        "windows user",
        "utilisateur windows",
        "utilisateur",
        "user",
        "admin",
        "administrator",
        "administrateur",
        "unknown",
        "inconnu",
        "author",
        "auteur",
        "owner",
        "propriétaire",
        "default",
        "pdfsharp",
        "reportlab",
        "wkhtmltopdf",
    ]
)
# Creation dates that templates carry into every document made from them.
TEMPLATE_DATES = frozenset({"2013-12-23"})  # python-docx's default template (docx.Document())
STALE_YEARS = 2  # created this long before the last change: the template's date, not the document's


def title(value: str | None) -> str | None:
    text = clean_line(value)
    if not text or _JUNK_TITLE.match(text) or not re.search(r"\w", text):
        return None
    return text


def author(value: str | None) -> str | None:
    text = clean_line(value)
    if not text or text.casefold() in _JUNK_AUTHORS or not re.search(r"\w", text):
        return None
    return text


_STAMP = re.compile(r"^\s*(?:D:)?(\d{4})-?(\d{2})-?(\d{2})")


def day(value: str | None) -> str | None:
    """``2013-12-23T23:15:00Z`` (OOXML, ODF), ``D:20260109120000+01'00'`` (PDF) → the day."""
    m = _STAMP.match(value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def creation_date(created: str | None, modified: str | None, body: str) -> str | None:
    """The creation property as a publication date, as a last resort: None when the text
    gives a date (Glose's guess finds it when the file is read), or when the date is a known
    template default or years before the last change (a template's)."""
    made = day(created)
    if made is None or made in TEMPLATE_DATES:
        return None
    changed = day(modified)
    if changed is not None and changed in TEMPLATE_DATES:
        return None  # the whole block is the template's
    if (
        changed is not None
        and (date.fromisoformat(changed) - date.fromisoformat(made)).days > 365 * STALE_YEARS
    ):
        return None
    if guess_metadata(body, fallback_title="").date:
        return None
    return made
