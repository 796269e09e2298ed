"""LexisNexis exports: LexisNexis Academic (``N of M DOCUMENTS``, as TXT or HTML) and Nexis
Uni (DOCX, or TXT: documents ended by ``End of Document``).

LexisNexis Academic: a centred publication, date (and edition) line, then the title, the
labelled fields (``BYLINE:``, ``SECTION:``, ``LENGTH:``), the text, and trailing fields
(``LOAD-DATE:``, ``LANGUAGE:``...) and a copyright notice, which are left out.

Nexis Uni: title, publication, date line, an optional copyright line, ``Section:``,
``Length:``, ``Byline:``, then ``Body`` and the paragraphs up to ``Load-Date:`` /
``Classification`` / ``End of Document``. The cover page (the list of documents) is skipped.
"""

from __future__ import annotations

import re

from ..text.metadata import parse_date
from .model import Piece, clean_line, paragraphs, word_count

ACADEMIC_SPLIT = re.compile(r"^\s*\d+ of \d+ DOCUMENTS?\s*$", re.M | re.I)
_ACADEMIC_LABEL = re.compile(r"^([A-Z][A-Z-]+(?: [A-Z-]+)?):\s*(.*)$")
_TRAILING = {"LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE", "JOURNAL-CODE", "GRAPHIC", "TYPE", "DOCUMENT-TYPE",
             "SUBJECT", "GEOGRAPHIC", "NOTES", "CORRECTION-DATE", "URL"}  # fmt: skip
END = re.compile(r"^\s*End of Document\s*$", re.I)
_UNI_LABEL = re.compile(r"^(Section|Length|Byline|Dateline|Highlight|Edition|Correction)\s*:\s*(.*)$", re.I)
_UNI_TRAILER = re.compile(
    r"^(Load-Date|Classification|Language|Publication-Type|Subject|Geographic|Industry|Graphic|Notes)\b", re.I
)
_COPYRIGHT = re.compile(r"^\s*(Copyright|©|\(c\))", re.I)


def academic_markers(text: str) -> bool:
    return ACADEMIC_SPLIT.search(text) is not None


def uni_markers(lines: list[str]) -> bool:
    return any(END.match(x) for x in lines) and any(x.strip() == "Body" for x in lines)


# --- LexisNexis Academic -----------------------------------------------------------------------


def read_academic(text: str) -> list[Piece]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = ACADEMIC_SPLIT.split(text)[1:]
    return [p for p in (_academic_piece(part) for part in parts) if p is not None]


def _academic_piece(part: str) -> Piece | None:
    """Publication, date and edition lines, the title, then labelled fields: the title is the
    paragraph just before the first label (centring, lost in the HTML export, is not needed)."""
    paras = [[x.strip() for x in p.split("\n") if x.strip()] for p in re.split(r"\n[ \t]*\n", part)]
    paras = [p for p in paras if p]
    first_label = next((i for i, p in enumerate(paras) if _leading_label(p[0])), None)
    if not first_label:
        return None
    head = [x for p in paras[: first_label - 1] for x in p]
    title = " ".join(paras[first_label - 1])
    fields: dict[str, str] = {}
    body: list[str] = []
    for lines in paras[first_label:]:
        label = _ACADEMIC_LABEL.match(lines[0])
        if label and label.group(1) in _TRAILING:
            break
        if not body and label:
            fields[label.group(1)] = " ".join([label.group(2), *lines[1:]])
            continue
        if _COPYRIGHT.match(lines[0]):
            break
        body.append(" ".join(lines))
    date_line = next((x for x in head if parse_date(x)), None)
    source = head[0] if head else None
    section = fields.get("SECTION")
    page = None
    if section and (m := re.search(r";\s*Pg\.\s*(\S+)", section)):
        page, section = m.group(1), section[: m.start()]
    return Piece(
        body=paragraphs(body),
        title=clean_line(title),
        source=clean_line(source),
        date=parse_date(date_line) if date_line else None,
        authors=_authors(fields.get("BYLINE")),
        section=clean_line(section),
        page=page,
        words=word_count(fields.get("LENGTH")),
    )


_LEADING = {"BYLINE", "SECTION", "LENGTH", "DATELINE", "HIGHLIGHT", "BODY"}


def _leading_label(line: str) -> bool:
    m = _ACADEMIC_LABEL.match(line)
    return m is not None and m.group(1) in _LEADING


def _authors(byline: str | None) -> list[str]:
    if not byline:
        return []
    names = re.split(r";|\s+and\s+|,\s*(?=[A-Z])", byline)
    return [n for n in (clean_line(x) for x in names) if n]


# --- Nexis Uni ---------------------------------------------------------------------------------


def read_uni(paras: list[str]) -> list[Piece]:
    """Nexis Uni documents from the paragraphs of a DOCX (or the lines of a TXT export)."""
    docs: list[list[str]] = [[]]
    for para in paras:
        if END.match(para):
            docs.append([])
        else:
            docs[-1].append(para)
    return [p for p in (_uni_piece(d) for d in docs) if p is not None]


def _uni_piece(paras: list[str]) -> Piece | None:
    lines = [" ".join(p.split()) for p in paras]
    try:
        body_at = lines.index("Body")
    except ValueError:
        return None
    head = [x for x in lines[:body_at] if x]
    fields: dict[str, str] = {}
    while head and (m := _UNI_LABEL.match(head[-1])):
        fields[m.group(1).lower()] = m.group(2)
        head.pop()
    if head and _COPYRIGHT.match(head[-1]):
        head.pop()
    # date line, publication before it, title before that (the cover page comes earlier)
    date_at = next((i for i in range(len(head) - 1, -1, -1) if parse_date(head[i])), None)
    if date_at is None or date_at < 2:
        return None
    body = []
    for para in lines[body_at + 1 :]:
        if _UNI_TRAILER.match(para):
            break
        body.append(para)
    section = fields.get("section")
    if section:
        section = re.sub(r";\s*Version:\s*\d+\s*$", "", section)
        if m := re.search(r";\s*Pg\.\s*(\S+)", section):
            fields["page"], section = m.group(1), section[: m.start()]
    return Piece(
        body=paragraphs(body),
        title=clean_line(head[date_at - 2]),
        source=clean_line(head[date_at - 1]),
        date=parse_date(head[date_at]),
        authors=_authors(fields.get("byline")),
        section=clean_line(section),
        page=fields.get("page"),
        words=word_count(fields.get("length")),
    )
