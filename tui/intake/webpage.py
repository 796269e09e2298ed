"""A saved news web page: main text and metadata by trafilatura (date by htmldate).

The page is given to trafilatura as a string: it parses what it is given and fetches
nothing (no URL is passed, so no download, no robots.txt, no redirect is ever tried).
"""

from __future__ import annotations

from ..text.metadata import parse_date
from .model import Piece, SourceError, clean_line, paragraphs


def read(html: str) -> Piece:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": True, "original_date": True},
        )
    except Exception as exc:  # trafilatura's parser errors on hopeless input
        raise SourceError(f"no article found in the page: {exc}") from None
    if doc is None or not (doc.text or "").strip():
        raise SourceError("no article found in the page (no main text)")
    authors = [a for a in (clean_line(x) for x in (doc.author or "").split(";")) if a]
    url = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
    return Piece(
        body=paragraphs(doc.text.split("\n")),
        title=clean_line(doc.title),
        subtitle=clean_line(doc.description) if doc.description and len(doc.description) < 400 else None,
        source=clean_line(doc.sitename) or clean_line(doc.hostname),
        date=parse_date(doc.date) if doc.date else None,
        authors=authors,
        url=url,
    )
