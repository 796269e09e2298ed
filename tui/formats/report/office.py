"""The office formats of a report, streamed: python-docx (DOCX) and odfpy (ODT) make the
package (its styles, with real heading styles, its properties and manifest) around one
placeholder paragraph; the body is then written in place of that paragraph as it comes, into
the zip member, so a report of 20,000 passages is never a tree of objects in memory."""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from ... import __version__
from ...model import now
from ...sanitize import stored, strip_controls, xml_text
from .sinks import Buffered

PLACEHOLDER = "GLOSE-REPORT-BODY"


def _around(xml: str, opening: str, closing: str) -> tuple[str, str]:
    """(what comes before, what comes after) the element holding the placeholder."""
    at = xml.index(PLACEHOLDER)
    start = max(xml.rfind(opening + ">", 0, at), xml.rfind(opening + " ", 0, at))
    end = xml.index(closing, at) + len(closing)
    return xml[:start], xml[end:]


class ZipBody(Buffered):
    """Copy a package's members, the body member streamed with its placeholder replaced."""

    def __init__(self, fh: BinaryIO, package: bytes, member: str, opening: str, closing: str):
        source = zipfile.ZipFile(io.BytesIO(package))
        self._zip = zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED)
        for info in source.infolist():
            if info.filename != member:
                kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
                self._zip.writestr(info.filename, source.read(info), compress_type=kind)
        head, self._tail = _around(source.read(member).decode("utf-8"), opening, closing)
        self._member = self._zip.open(member, "w", force_zip64=True)
        super().__init__(self._member)  # type: ignore[arg-type]
        self.write(head)

    def close(self) -> None:
        self.write(self._tail)
        self.flush()
        self._member.close()
        self._zip.close()


def _property(text: str) -> str:
    """A document property (title, author) that XML can hold, whatever the folder's name."""
    return strip_controls(stored(text))


# --- DOCX ------------------------------------------------------------------------------------

DOCX_STYLES = {"body": None, "quote": "Quote", "meta": None, "note": None, "term": None, "memo": None}


def _runs(text: str, props: str = "") -> str:
    """Runs of ``text``, its line ends as breaks (a quote keeps its lines)."""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    lines = [xml_text(line) for line in text.split("\n")]
    body = '<w:br/><w:t xml:space="preserve">'.join(f"{line}</w:t>" for line in lines)
    return f'<w:r>{rpr}<w:t xml:space="preserve">{body}</w:r>'


def _docx_para(text: str, style: str | None = None, props: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{_runs(text, props)}</w:p>"


def docx_package(title: str, coder: str, language: str) -> bytes:
    """python-docx's default document (its styles: Title, Heading 1–3, Quote) with our
    properties and one placeholder paragraph."""
    from datetime import datetime

    import docx

    title, coder = _property(title), _property(coder)
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, coder, coder
    props.language, props.comments = language, f"Glose {__version__}"
    props.created = props.modified = datetime.fromisoformat(now().replace("Z", "+00:00"))
    document.add_paragraph(PLACEHOLDER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class DocxSink(ZipBody):
    def __init__(self, fh: BinaryIO, doc):
        super().__init__(
            fh, docx_package(doc.title, doc.coder, doc.language), "word/document.xml", "<w:p", "</w:p>"
        )

    def title(self, text: str) -> None:
        self.write(_docx_para(" ".join(text.split()), "Title"))

    def heading(self, level: int, text: str) -> None:
        self.write(_docx_para(" ".join(text.split()), f"Heading{level}"))

    def para(self, text: str, style: str = "body") -> None:
        props = {
            "meta": '<w:i/><w:color w:val="666666"/>',
            "term": "<w:b/>",
            "memo": '<w:shd w:val="clear" w:fill="F6F3E8"/>',
        }
        if style == "note":
            self.write(
                f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Note: </w:t></w:r>{_runs(text)}</w:p>'
            )
            return
        self.write(_docx_para(text, DOCX_STYLES.get(style), props.get(style, "")))

    def page_break(self) -> None:
        self.write('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


# --- ODT -------------------------------------------------------------------------------------

ODT_STYLES = {
    "body": "Text_20_body",
    "quote": "Quotations",
    "meta": "Glose_20_meta",
    "note": "Text_20_body",
    "term": "Glose_20_term",
    "memo": "Glose_20_memo",
}


def odt_package(title: str, coder: str, language: str) -> bytes:
    """An odfpy text document with the styles a report uses (headings with their outline
    levels, as LibreOffice's own are) and one placeholder paragraph."""
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.text import P

    title, coder = _property(title), _property(coder)
    document = OpenDocumentText()
    styles = document.styles
    body = Style(name="Text_20_body", displayname="Text body", family="paragraph")
    body.addElement(ParagraphProperties(margintop="0cm", marginbottom="0.25cm"))
    styles.addElement(body)
    for name, display, size, props in (
        ("Title", "Title", "24pt", {}),
        ("Heading_20_1", "Heading 1", "18pt", {"defaultoutlinelevel": "1"}),
        ("Heading_20_2", "Heading 2", "15pt", {"defaultoutlinelevel": "2"}),
        ("Heading_20_3", "Heading 3", "12pt", {"defaultoutlinelevel": "3"}),
    ):
        style = Style(
            name=name, displayname=display, family="paragraph", nextstylename="Text_20_body", **props
        )
        style.addElement(
            ParagraphProperties(margintop="0.42cm", marginbottom="0.21cm", keepwithnext="always")
        )
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        styles.addElement(style)
    for name, display, paragraph, text in (
        ("Quotations", "Quotations", {"marginleft": "1cm", "margintop": "0.3cm"}, {}),
        ("Glose_20_meta", "Glose meta", {}, {"fontstyle": "italic", "color": "#666666"}),
        ("Glose_20_term", "Glose term", {"margintop": "0.3cm"}, {"fontweight": "bold"}),
        ("Glose_20_memo", "Glose memo", {"backgroundcolor": "#f6f3e8"}, {}),
        ("Glose_20_break", "Glose page break", {"breakbefore": "page"}, {}),
    ):
        style = Style(name=name, displayname=display, family="paragraph", parentstylename="Text_20_body")
        style.addElement(ParagraphProperties(**paragraph))
        if text:
            style.addElement(TextProperties(**text))
        styles.addElement(style)
    document.meta.addElement(dc.Title(text=title))
    document.meta.addElement(dc.Creator(text=coder))
    document.meta.addElement(dc.Language(text=language))
    document.meta.addElement(meta.Generator(text=f"Glose {__version__}"))
    document.text.addElement(P(text=PLACEHOLDER))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _odt_text(text: str) -> str:
    """Element content with line ends as ``text:line-break`` and runs of spaces kept."""
    lines = []
    for line in text.split("\n"):
        escaped = xml_text(line).replace("\t", "<text:tab/>")
        escaped = escaped.replace("  ", " <text:s/>")
        lines.append(escaped)
    return "<text:line-break/>".join(lines)


class OdtSink(ZipBody):
    def __init__(self, fh: BinaryIO, doc):
        super().__init__(
            fh, odt_package(doc.title, doc.coder, doc.language), "content.xml", "<text:p", "</text:p>"
        )

    def title(self, text: str) -> None:
        self.write(f'<text:p text:style-name="Title">{_odt_text(" ".join(text.split()))}</text:p>')

    def heading(self, level: int, text: str) -> None:
        self.write(
            f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
            f"{_odt_text(' '.join(text.split()))}</text:h>"
        )

    def para(self, text: str, style: str = "body") -> None:
        prefix = "Note: " if style == "note" else ""
        self.write(
            f'<text:p text:style-name="{ODT_STYLES.get(style, "Text_20_body")}">{prefix}{_odt_text(text)}</text:p>'
        )

    def page_break(self) -> None:
        self.write('<text:p text:style-name="Glose_20_break"/>')
