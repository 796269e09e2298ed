"""Reading HTML exports: decoding (charset declarations lie), parsing, text with paragraphs.

The export readers (Europresse, Factiva, LexisNexis) and the EPUB reader share these. The
parser is lxml's HTML parser with the network off; nothing an input holds is loaded or run.
"""

from __future__ import annotations

import codecs
import re

from ..text.corpus import Skipped, decode_bytes
from .model import SourceError, clean_line

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Browsers read these labels as windows-1252 (WHATWG Encoding): so do we.
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "us-ascii", "cp1252", "windows-1252"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Text and encoding of an HTML file, whatever its declaration says.

    Valid UTF-8 is UTF-8 even when the page declares ISO-8859-1 (exports re-saved by an
    editor); a page that declares UTF-8 but is not (a cp1252 export) goes to the legacy
    detection of :func:`tui.text.corpus.decode_bytes`; another declared charset is used when the
    bytes decode under it.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _DECLARED.search(data[:4096])
    if match:
        label = match.group(1).decode("ascii", "replace").lower()
        try:
            name = codecs.lookup(label).name
        except LookupError:
            name = None
        if name in _AS_CP1252 or label in _AS_CP1252:
            name = "cp1252"
        if name and name not in ("utf-8", "utf-8-sig"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass
    try:
        return decode_bytes(data)
    except Skipped as exc:
        raise SourceError(str(exc)) from None


def parse_html(text: str):
    """An lxml tree of an HTML text (comments and processing instructions dropped)."""
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, default_doctype=False
    )
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise SourceError("empty: no text")
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except Exception as exc:  # lxml raises ParserError, ValueError... on hopeless input
        raise SourceError(f"not readable as HTML: {exc}") from None


BLOCKS = frozenset(
    ("p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "h1", "h2", "h3", "h4",
     "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "blockquote", "pre",
     "figure", "figcaption", "address", "hr")
)  # fmt: skip
SKIP = frozenset(
    ("script", "style", "noscript", "template", "img", "svg", "iframe", "object", "embed", "head", "title")
)


def block_text(element, skip=SKIP, br: str = "\n") -> str:
    """The text of an element with its paragraphs: block elements start and end paragraphs
    (a blank line), ``<br>`` a line (or ``br``); inline elements (``mark``, ``em``, links)
    stay inline. Whitespace inside the HTML is folded as a browser folds it."""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in skip:
            if el.tail:
                out.append(el.tail)
            return
        block = tag in BLOCKS
        if block:
            out.append("\n\n")
        elif tag == "br":
            out.append(br)
        if el.text and tag:
            out.append(el.text)
        for child in el:
            walk(child)
        if block:
            out.append("\n\n")
        if el.tail:
            out.append(el.tail)

    text = element.text or ""
    out.append(text)
    for child in element:
        walk(child)
    return fold_whitespace("".join(out))


def fold_whitespace(joined: str) -> str:
    """Text gathered from HTML with the breaks we put (``\n``): the HTML's own whitespace
    folded as a browser folds it, each line trimmed, at most one blank line in a row."""
    parts = re.split(r"(\n+)", joined)
    folded = "".join(p if p.startswith("\n") else " ".join(p.split()) for p in parts)
    lines = [line.strip() for line in folded.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def one_line(element) -> str | None:
    """The text of an element on one line (metadata values)."""
    if element is None:
        return None
    return clean_line(block_text(element))
