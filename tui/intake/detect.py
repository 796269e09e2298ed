"""Which format an input file is, from its content (never its name: exports are renamed,
``.HTML`` files saved as ``.txt``), and reading it whole with the reader of that format.

A file is read entirely before anything is written: a reader that fails fails the whole
file (all or nothing), with one line saying why.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..text.corpus import MAX_ARTICLE_BYTES, Skipped, decode_bytes
from .model import Piece, SourceError, SourceFile, paragraphs

MAX_INPUT_BYTES = 4 * MAX_ARTICLE_BYTES  # an export holds many articles
_HTML = re.compile(rb"<(?:!doctype\s+html|html|body|article|head|div|p)[\s>]", re.I)


def detect(data: bytes) -> str:
    """The format of an input: europresse, factiva, factiva-text, nexis-academic,
    nexis-academic-html, nexis-uni-docx, nexis-uni-text, webpage, pdf, docx, odt, rtf, epub,
    text."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    head = data[:200_000]
    if _HTML.search(head[:20_000]):
        head = data  # markers can follow a large page state: bytes.find is cheap
        if any(m.encode() in head for m in ("DocPublicationName", "rdp__DocHeader", "publiC-lblNodoc")):
            return "europresse"
        if b"frArticle" in head or (b"frHeadline" in head and b"articleParagraph" in head):
            return "factiva"
        if re.search(rb"\d+ of \d+ DOCUMENTS?", head, re.I):
            return "nexis-academic-html"
        return "webpage"
    text = head.decode("utf-8", "replace")
    from . import factiva, nexis

    if factiva.text_markers(text):
        return "factiva-text"
    if nexis.academic_markers(text):
        return "nexis-academic"
    if nexis.uni_markers(text.splitlines()):
        return "nexis-uni-text"
    return "text"


def _zip_kind(data: bytes) -> str:
    from .documents import check_zip

    archive = check_zip(data)
    names = set(archive.namelist())
    mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    if mimetype == "application/epub+zip":
        return "epub"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        return "odt"
    if "word/document.xml" in names:
        from .packed import contains

        markers = (b"End of Document", b">Body<")  # read in chunks: the part may be huge
        if contains(archive, "word/document.xml", markers) == set(markers):
            return "nexis-uni-docx"
        return "docx"
    raise SourceError("a zip archive that is not a DOCX, ODT or EPUB")


def read_source(path: Path) -> SourceFile:
    """Read one input file whole. Raises :class:`SourceError` (one line) when it cannot."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError:
        raise SourceError("a folder (give the files it holds)") from None
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except OSError as exc:
        raise SourceError(f"unreadable: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise SourceError(f"too large (the limit is {MAX_INPUT_BYTES // 2**20} MiB)")
    if not data.strip():
        raise SourceError("empty: no text")
    kind = detect(data)
    found = _read(kind, data)
    pieces = [p for p in found if p.body.strip()]
    skipped = [
        (p.title or p.doc_id or "a document", "no text in the export (a title only)")
        for p in found
        if not p.body.strip()
    ]
    if not pieces:
        raise SourceError(f"no article found (read as {kind})")
    return SourceFile(kind, pieces, skipped)


def _text(data: bytes) -> str:
    try:
        return decode_bytes(data)[0]
    except Skipped as exc:
        raise SourceError(str(exc)) from None


def _read(kind: str, data: bytes) -> list[Piece]:
    from . import documents, europresse, factiva, nexis, webpage
    from .html import block_text, decode_html, parse_html

    if kind == "pdf":
        return [documents.read_pdf(data)]
    if kind == "docx":
        return [documents.read_docx(data)]
    if kind == "nexis-uni-docx":
        paras, _ = documents.docx_paragraphs(data)
        return nexis.read_uni(paras)
    if kind == "odt":
        return [documents.read_odt(data)]
    if kind == "rtf":
        return [documents.read_rtf(data)]
    if kind == "epub":
        return [documents.read_epub(data)]
    if kind in ("europresse", "factiva", "nexis-academic-html", "webpage"):
        html, _ = decode_html(data)
        if kind == "webpage":
            return [webpage.read(html)]
        tree = parse_html(html)
        if kind == "europresse":
            return europresse.read(tree)
        if kind == "factiva":
            return factiva.read_html(tree)
        return nexis.read_academic(block_text(tree))
    text = _text(data)
    if kind == "factiva-text":
        return factiva.read_text(text)
    if kind == "nexis-academic":
        return nexis.read_academic(text)
    if kind == "nexis-uni-text":
        return nexis.read_uni(text.replace("\r\n", "\n").split("\n"))
    return [Piece(body=paragraphs([text]))]
