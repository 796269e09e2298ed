"""Single documents: PDF (its text layer), DOCX, ODT, RTF, EPUB, through kept-up libraries.

Each gives paragraphs; title, date and source come from the document's own properties when
it has them, else Glose's usual guess from the first lines (at load time). Zip-based formats
are checked for their unpacked size before they are opened (a small file that unpacks to
gigabytes is refused), and nothing they reference is fetched.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..corpus import MAX_ARTICLE_BYTES
from ..metadata import parse_date
from .model import Piece, SourceError, clean_line, paragraphs

MAX_UNPACKED = 4 * MAX_ARTICLE_BYTES


def check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SourceError(f"damaged archive: {exc}") from None
    if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
        raise SourceError(f"too large once unpacked (the limit is {MAX_UNPACKED // 2**20} MiB)")
    return archive


# --- PDF ---------------------------------------------------------------------------------------

_HYPHEN = re.compile(r"(\w)-\n(\w)")


def pdf_text(data: bytes) -> list[str]:
    """The text layer of each page, with pypdfium2 (see BENCHMARKS.md for the comparison)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceError(f"not a readable PDF: {exc}") from None
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


def read_pdf(data: bytes) -> Piece:
    pages = pdf_text(data)
    text = "\n\n".join(p.replace("\r\n", "\n").replace("\r", "\n") for p in pages)
    if not text.strip():
        raise SourceError(
            f"this PDF has no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''} of images): "
            "run it through OCR first (for example ocrmypdf)"
        )
    text = _HYPHEN.sub(r"\1-\2", text)  # a word cut at a line end: joined, its hyphen kept
    return Piece(body=_pdf_paragraphs(text))


def _pdf_paragraphs(text: str) -> str:
    """PDF lines are layout lines: an empty line, or a line clearly shorter than the text's
    usual line (the last line of a paragraph, a title), ends a paragraph; the others are
    joined with a space."""
    lines = [line.strip() for line in text.split("\n")]
    lengths = sorted(len(x) for x in lines if x)
    usual = lengths[len(lengths) * 3 // 4] if lengths else 0
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        if current and (not line or len(line) < 0.7 * usual):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return paragraphs(out)


# --- DOCX --------------------------------------------------------------------------------------


def docx_paragraphs(data: bytes):
    """(paragraph texts, core properties) of a DOCX."""
    import docx

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise SourceError(f"not a readable DOCX: {exc}") from None
    paras = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paras.append(" | ".join(c.text for c in row.cells))
    return paras, document.core_properties


def read_docx(data: bytes) -> Piece:
    paras, props = docx_paragraphs(data)
    return Piece(
        body=paragraphs(paras),
        title=clean_line(props.title),
        authors=[a for a in [clean_line(props.author)] if a],
        date=props.created.date().isoformat() if props.created and props.title else None,
    )


# --- ODT ---------------------------------------------------------------------------------------


def read_odt(data: bytes) -> Piece:
    from odf import teletype, text
    from odf.opendocument import load

    check_zip(data)
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:
        raise SourceError(f"not a readable ODT: {exc}") from None
    paras = [teletype.extractText(el) for el in document.text.getElementsByType(text.P)]
    heads = document.text.getElementsByType(text.H)
    if heads:  # headings are not P elements: keep document order by walking the body
        paras = [teletype.extractText(el) for el in _walk_blocks(document.text)]
    title = None
    for el in document.meta.childNodes:
        if el.qname[1] == "title":
            title = clean_line(teletype.extractText(el))
    return Piece(body=paragraphs(paras), title=title)


def _walk_blocks(node):
    from odf.namespaces import TEXTNS

    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
            yield child
        else:
            yield from _walk_blocks(child)


# --- RTF ---------------------------------------------------------------------------------------


def read_rtf(data: bytes) -> Piece:
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace")
    except Exception as exc:
        raise SourceError(f"not readable as RTF: {exc}") from None
    return Piece(body=paragraphs(text.split("\n")))


# --- EPUB --------------------------------------------------------------------------------------


def read_epub(data: bytes) -> Piece:
    import os
    import tempfile

    import ebooklib
    from ebooklib import epub

    from .html import block_text, decode_html, parse_html

    check_zip(data)
    fd, name = tempfile.mkstemp(suffix=".epub")  # ebooklib reads a path
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            book = epub.read_epub(name, options={"ignore_ncx": True})
        except Exception as exc:
            raise SourceError(f"not a readable EPUB: {exc}") from None
    finally:
        os.unlink(name)
    parts = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        html, _ = decode_html(item.get_content())
        body = parse_html(html).find("body")
        if body is not None:
            parts.append(block_text(body))
    title = book.get_metadata("DC", "title")
    creators = book.get_metadata("DC", "creator")
    date = book.get_metadata("DC", "date")
    return Piece(
        body=paragraphs(parts),
        title=clean_line(title[0][0]) if title else None,
        authors=[a for a in (clean_line(c[0]) for c in creators) if a],
        date=parse_date(date[0][0]) if date else None,
    )
