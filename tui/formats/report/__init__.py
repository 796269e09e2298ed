"""A report: the coded passages as a document a thesis chapter quotes from (what MAXQDA's
Smart Publisher and QualCoder's reports make).

One layout (:func:`write_report`) over four sinks that know only their format: Markdown and
HTML (:mod:`.sinks`), DOCX and ODT (:mod:`.office`). The layout is a title page with the
project memo, the codebook (each tag's description, memo and counts), then, per group (a tag,
an article or a variable's value), each article's citation line as a heading, its memo, and
its passages: the quote, who coded it, with which tags, and the note. Headings are the
format's own (DOCX heading styles, ODT ``text:h`` with outline levels, HTML ``h1``–``h3``), so
Word's navigation pane and an HTML outline show the structure.

The groups are an iterable and every sink writes as it goes: a report of 20,000 passages is
never a document tree in memory."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ...errors import GloseError
from ...wording import counted
from .model import ArticleBlock, Entry, Group, ReportDoc, Sink

__all__ = ["ArticleBlock", "Entry", "Group", "ReportDoc", "Sink", "format_of", "write_report"]

FORMAT_OF_SUFFIX = {".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html", ".md": "markdown"}
FORMATS = ("docx", "odt", "html", "markdown")


def format_of(path: Path) -> str:
    """The report format a file name asks for; any other name is refused in one line."""
    fmt = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise GloseError(
            f"cannot tell a report's format from '{path.name}': name a .docx, .odt, .html or .md file"
        )
    return fmt


def paragraphs(text: str) -> list[str]:
    """A memo's paragraphs (blank lines between them; single line ends kept inside one)."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b.strip()]


def layout(doc: ReportDoc, sink: Sink) -> int:
    """Write the report into ``sink``; returns the passages written."""
    sink.title(doc.title)
    for fact in doc.facts:
        sink.para(fact, "meta")
    if doc.project_memo.strip():
        sink.heading(1, "Project memo")
        for block in paragraphs(doc.project_memo):
            sink.para(block, "memo")
    sink.page_break()
    sink.heading(1, "Codebook")
    if not doc.codebook:
        sink.para("No tags.", "meta")
    for entry in doc.codebook:
        sink.para(entry.name, "term")
        sink.para(f"{counted(entry.passages, 'passage')} in {counted(entry.articles, 'article')}", "meta")
        if entry.description:
            sink.para(entry.description)
        for block in paragraphs(entry.memo):
            sink.para(block, "memo")
    sink.page_break()
    sink.heading(1, f"Passages by {doc.grouped_by}")
    written = 0
    for group in doc.groups:
        sink.heading(2, group.name)
        sink.para(counted(group.passages, "passage"), "meta")
        if group.description:
            sink.para(group.description)
        for block in paragraphs(group.memo):
            sink.para(block, "memo")
        for block in group.articles:
            sink.heading(3, block.citation)
            for memo in paragraphs(block.memo):
                sink.para(memo, "memo")
            for ann in block.passages:
                sink.para(ann.exact, "quote")
                details = [ann.coder or "unknown coder"]
                if ann.tags:
                    details.append(", ".join(ann.tags))
                if ann.status != "anchored":
                    details.append(ann.status)
                sink.para(" · ".join(details), "meta")
                if ann.note:
                    sink.para(ann.note, "note")
                written += 1
    if not written:
        sink.para("No coded passages.", "meta")
    sink.close()
    return written


def write_report(fh: BinaryIO, fmt: str, doc: ReportDoc) -> int:
    """Stream the report into ``fh`` (an open binary file) in ``fmt``; the passages written."""
    if fmt in ("docx", "odt"):
        from .office import DocxSink, OdtSink

        sink: Sink = DocxSink(fh, doc) if fmt == "docx" else OdtSink(fh, doc)
    else:
        from .sinks import HtmlSink, MarkdownSink

        sink = HtmlSink(fh, doc) if fmt == "html" else MarkdownSink(fh)
    return layout(doc, sink)
