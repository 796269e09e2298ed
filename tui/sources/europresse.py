"""Europresse HTML exports: one ``<article>`` per document.

Both layouts seen in real exports are read (the 2021 one with ``docAuthors`` and the lead in
the header, the 2023 one with ``sm-margin-TopNews`` classes): the publication
(``DocPublicationName``, without its issue number), the header line (``DocHeader``: section,
French date, word count, page), title and subtitle (``titreArticle``), authors, the body
(``DocText``) without search-hit marks, "Cet article est paru dans" links and notices, and the
document id (``publiC-lblNodoc``, ``news·20070116·EC·4524237``). The copyright footer, the
certificate and the illustrations' captions are left out.
"""

from __future__ import annotations

import re

from ..metadata import parse_date
from .html import block_text, one_line
from .model import Piece, clean_body, clean_line, drop_notices, word_count

MARKERS = ("DocPublicationName", "rdp__DocHeader", "publiC-lblNodoc")

_ISSUE = re.compile(r",?\s*(?:no|n°|nº|num[ée]ro)\.?\s*\d.*$", re.I)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_SECTION = re.compile(rf"^(.*?),\s*{_WEEKDAY}\b", re.I)
_PAGE = re.compile(r"\bp\.\s*([A-Za-z0-9-]+)\s*$")
_PUBLISHED_IN = re.compile(r"^\s*Cet article est paru dans\b", re.I)


def _classes(article) -> dict[str, object]:
    """The first element of each class in an article (one walk, instead of a search per field)."""
    found: dict[str, object] = {}
    for el in article.iter():
        for name in (el.get("class") or "").split() if isinstance(el.tag, str) else ():
            found.setdefault(name, el)
    return found


def publication(raw: str | None) -> str | None:
    """``Les Echos, no. 19836`` → ``Les Echos``; ``Le Journal des Femmes (site web) - Journal
    des Femmes`` → ``Le Journal des Femmes (site web)``; only the first line (editions follow)."""
    if not raw:
        return None
    name = raw.split("\n")[0]
    name = _ISSUE.sub("", name)
    name = name.split(" - ")[0]
    return clean_line(name)


def read(tree) -> list[Piece]:
    pieces = []
    for art in tree.iter("article"):
        classes = _classes(art)
        if "DocPublicationName" not in classes and "DocText" not in classes:
            continue  # a nested or empty <article>
        pieces.append(_piece(art, classes))
    return pieces


def _piece(art, classes: dict) -> Piece:
    _first = classes.get
    pub_el = _first("DocPublicationName")
    source = publication(block_text(pub_el)) if pub_el is not None else None
    header = one_line(_first("DocHeader")) or ""
    section = None
    if m := _SECTION.match(header):
        section = clean_line(m.group(1).strip(" ,;"))
        if section and source and section.lower() == source.lower():
            section = None
    page = m.group(1) if (m := _PAGE.search(header)) else None
    title_el = _first("titreArticleVisu")
    if title_el is None:
        title_el = _first("rdp__articletitle")
    authors = _authors(art, classes)
    lead = _lead(art)
    body_el = _first("DocText")
    url = None
    body = ""
    if body_el is not None:
        for a in body_el.iter("a"):
            if _PUBLISHED_IN.match(a.text_content() or ""):
                url = url or a.get("href")
                a.drop_tree()
        for p in [el for el in body_el.iter() if "link-not-hosted" in (el.get("class") or "").split()]:
            p.drop_tree()
        body = drop_notices(block_text(body_el))
    body = clean_body("\n\n".join(x for x in (lead, body) if x))
    doc_id = one_line(_first("publiC-lblNodoc"))
    return Piece(
        body=body,
        title=one_line(title_el),
        subtitle=one_line(_first("rdp__subtitle")),
        source=source,
        date=parse_date(header),
        authors=authors,
        section=section,
        page=page,
        words=word_count(header),
        doc_id=doc_id,
        url=url if url and url.startswith(("http://", "https://")) else None,
    )


_BYLINE_PREFIX = re.compile(
    r"^\s*(?:propos recueillis par|par|by|de notre envoy[ée]e? sp[ée]ciale?)\b\s*[;:,]?\s*", re.I
)


def _authors(art, classes: dict) -> list[str]:
    """``docAuthors`` (2021 layout), or the ``sm-margin-bottomNews`` line after the title
    (2023 layout; the one before the title is a kicker)."""
    element = classes.get("docAuthors")
    if element is None:
        header = art.find("header")
        after_title = False
        for child in header if header is not None else ():
            classes = child.get("class") or ""
            if "titreArticle" in classes:
                after_title = True
            elif after_title and "sm-margin-bottomNews" in classes:
                element = child
                break
    names = one_line(element) if element is not None else None
    if not names:
        return []
    names = _BYLINE_PREFIX.sub("", names)
    return [a.strip() for a in names.split(";") if a.strip()]


def _lead(art) -> str:
    """The chapeau some exports (2021 layout) put in the header, after title and authors."""
    header = art.find("header")
    if header is None:
        return ""
    seen_title = False
    parts = []
    for child in header:
        classes = child.get("class") or ""
        if "titreArticle" in classes:
            seen_title = True
            continue
        if not seen_title or "docAuthors" in classes or "sm-margin-bottomNews" in classes:
            continue
        if not isinstance(child.tag, str):
            continue
        if text := block_text(child, br=" "):
            parts.append(text)
    return "\n\n".join(parts)
