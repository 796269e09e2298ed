"""Single documents: PDF (its text layer), DOCX, ODT, RTF, EPUB, through kept-up libraries.

Each gives paragraphs; title, date and source come from the document's own properties when
they say something (see :mod:`.properties`), else Glose's usual guess from the first lines
(at load time). Zip-based formats are checked for their unpacked size before they are opened
(a small file that unpacks to gigabytes is refused), then streamed with a bounded cost
(:mod:`.packed`), and nothing they reference is fetched.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..text.corpus import MAX_ARTICLE_BYTES
from .model import Piece, SourceError, paragraphs

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
    return pdf_document(data)[0]


def pdf_document(data: bytes) -> tuple[list[str], dict[str, str]]:
    """(the text layer of each page, the document information: Title, Author...)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceError(f"not a readable PDF: {exc}") from None
    try:
        try:
            info = pdf.get_metadata_dict(skip_empty=True)
        except Exception:  # a damaged information dictionary costs only the metadata
            info = {}
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return pages, info
    finally:
        pdf.close()


def read_pdf(data: bytes) -> Piece:
    """The text, paragraphs rebuilt from layout lines; the title and author from the
    document information (Title, Author) unless they are a program's placeholder (see
    :mod:`.properties`); the creation date as a last resort, after a date in the text."""
    from . import properties

    pages, info = pdf_document(data)
    text = "\n\n".join(p.replace("\r\n", "\n").replace("\r", "\n") for p in pages)
    if not text.strip():
        raise SourceError(
            f"this PDF has no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''} of images): "
            "run it through OCR first (for example ocrmypdf)"
        )
    text = _HYPHEN.sub(r"\1-\2", text)  # a word cut at a line end: joined, its hyphen kept
    body = _pdf_paragraphs(text)
    authors = [a.strip() for a in re.split(r";|\s+(?:and|et)\s+", info.get("Author") or "") if a.strip()]
    return Piece(
        body=body,
        title=properties.title(info.get("Title")),
        authors=[a for a in map(properties.author, authors) if a],
        date=properties.creation_date(info.get("CreationDate"), info.get("ModDate"), body),
    )


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


# --- DOCX, ODT, EPUB: streamed (tui.intake.zipped) ------------------------------------------


def docx_paragraphs(data: bytes):
    """(block texts in body order, core properties) of a DOCX."""
    from . import zipped

    with check_zip(data) as archive:
        return zipped.docx_paragraphs(archive)


def read_docx(data: bytes) -> Piece:
    from . import zipped

    with check_zip(data) as archive:
        return zipped.read_docx(archive)


def read_odt(data: bytes) -> Piece:
    from . import zipped

    with check_zip(data) as archive:
        return zipped.read_odt(archive)


# --- RTF ---------------------------------------------------------------------------------------


def read_rtf(data: bytes) -> Piece:
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace")
    except Exception as exc:
        raise SourceError(f"not readable as RTF: {exc}") from None
    return Piece(body=paragraphs(text.split("\n")))


def read_epub(data: bytes) -> Piece:
    from . import zipped

    with check_zip(data) as archive:
        return zipped.read_epub(archive)
