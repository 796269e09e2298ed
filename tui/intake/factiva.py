"""Factiva exports: the HTML page (one table of labelled rows per article) and the same page
saved by a browser as text (``*HD* <tab> headline``).

Labels (Factiva's documented field codes): HD headline, SE section, BY byline, WC word count,
PD publication date, SN source name, PG page, LP lead paragraphs, TD text, AN accession
number (``Document FIGARO0020220315ei3f0003o``). CY (copyright), the coding fields (NS, RE,
IN, CO, IPD, PUB, RF) and everything after AN are chrome, left out. Search hits are bold in the
HTML and ``*starred*`` in the text: the marks go, the words stay.
"""

from __future__ import annotations

import re

from ..text.metadata import parse_date
from .html import block_text, one_line
from .model import Piece, clean_line, paragraphs, word_count

# Factiva's field codes; a highlighted search term at a line start (``*SMR*``) is not a label.
CODES = ("HD", "SE", "BY", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL", "LA", "CY", "LP", "TD", "CT", "RF",
         "CO", "IN", "NS", "RE", "IPD", "IPC", "PUB", "AN", "CR", "CLM", "ART")  # fmt: skip
_LABEL = re.compile(rf"^\*({'|'.join(CODES)})\*(?:[ \t]+|$)", re.M)
_STARRED = re.compile(r"\*([^*\n]+)\*")
_DOCUMENT = re.compile(r"^\s*Document\s+(\S+)")


def html_markers(text: str) -> bool:
    return "frArticle" in text or ("frHeadline" in text and "articleParagraph" in text)


def text_markers(text: str) -> bool:
    return bool(re.search(r"^\*HD\*", text, re.M) and re.search(r"^\*PD\*", text, re.M))


def read_html(tree) -> list[Piece]:
    pieces = []
    xpath = "//div[starts-with(@id, 'article-')] | //div[@id='lastArticle' and not(ancestor::div[starts-with(@id, 'article-')])]"
    for art in tree.xpath(xpath):
        fields: dict[str, list] = {}
        for row in art.iter("tr"):
            cells = row.findall("td")
            if len(cells) < 2:
                continue
            label = (one_line(cells[0]) or "").strip()
            if re.fullmatch(r"[A-Z]{2,3}", label):
                fields.setdefault(label, []).append(cells[1])
        if "HD" not in fields:
            continue
        values = {code: one_line(cells[0]) for code, cells in fields.items()}
        body_parts = [block_text(cell) for code in ("LP", "TD") for cell in fields.get(code, [])]
        pieces.append(_piece(values.get, paragraphs(body_parts)))
    return pieces


def read_text(text: str) -> list[Piece]:
    """The export as text: ``*XX*`` labels at line starts, values up to the next label."""
    articles: list[dict[str, str]] = []
    current: dict[str, str] = {}
    matches = list(_LABEL.finditer(text))
    for i, m in enumerate(matches):
        code = m.group(1)
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end]
        if (
            code in ("SE", "HD")
            and "HD" in current
            and (code == "SE" or "SE" not in current or "TD" in current)
        ):
            articles.append(current)
            current = {}
        if code not in current:
            current[code] = value
    if current:
        articles.append(current)
    pieces = []
    for fields in articles:
        if "HD" not in fields:
            continue
        values = {code: clean_line(_STARRED.sub(r"\1", raw)) for code, raw in fields.items()}
        body = paragraphs(_unwrap(_STARRED.sub(r"\1", fields.get(c, ""))) for c in ("LP", "TD"))
        pieces.append(_piece(values.get, body))
    return pieces


def _unwrap(text: str) -> str:
    """Lines hard-wrapped by the browser's text export joined back into paragraphs."""
    paras = re.split(r"\n[ \t]*\n", text)
    return "\n\n".join(" ".join(line.strip() for line in p.split("\n") if line.strip()) for p in paras)


def _piece(value, body: str) -> Piece:
    an = value("AN") or ""
    doc = _DOCUMENT.match(an)
    byline = value("BY")
    authors = [a.split(";")[0].strip() for a in re.split(r"\s+(?:and|et)\s+|,\s*", byline or "") if a.strip()]
    authors = [a for a in authors if a and "@" not in a]
    return Piece(
        body=body,
        title=value("HD"),
        source=value("SN"),
        date=parse_date(value("PD") or ""),
        authors=authors,
        section=value("SE"),
        page=value("PG"),
        words=word_count(value("WC")),
        doc_id=doc.group(1) if doc else None,
    )
