"""DOCX, ODT and EPUB: their body streamed in document order (see :mod:`.packed`), their
properties read from the package's small parts, nothing they reference fetched."""

from __future__ import annotations

import posixpath
import zipfile
from urllib.parse import unquote

from ..text.metadata import parse_date
from . import properties
from .model import Piece, SourceError, clean_line, paragraphs
from .packed import Budget, Rules, blocks, member, small_part

# --- DOCX --------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"

# What python-docx's ``paragraph.text`` and ``cell.text`` give, in body order: runs' text, tabs
# and breaks; cells' paragraphs on lines, a row's cells joined with " | ", a table's rows as
# paragraphs. Deleted text, field codes and the fallback copy of a text box give nothing.
DOCX = Rules(
    emit=frozenset({W + "p", W + "tbl"}),
    text=frozenset({W + "t"}),
    skip=frozenset({W + "delText", W + "instrText", W + "delInstrText", MC + "Fallback"}),
    fixed={
        W + "tab": lambda el: "\t",
        W + "br": lambda el: "\n",
        W + "cr": lambda el: "\n",
        W + "noBreakHyphen": lambda el: "-",
    },
    joins={
        W + "tc": ("\n", frozenset({W + "p", W + "tbl"})),
        W + "tr": (" | ", frozenset({W + "tc"})),
        W + "tbl": ("\n\n", frozenset({W + "tr"})),
    },
)


def docx_paragraphs(archive: zipfile.ZipFile) -> tuple[list[str], dict[str, str | None]]:
    """(block texts in body order, core properties) of a DOCX."""
    budget = Budget()
    with member(archive, "word/document.xml", "DOCX") as fh:
        paras = [text for _, text in blocks(fh, DOCX, budget, "word/document.xml")]
    return paras, core_properties(archive)


def core_properties(archive: zipfile.ZipFile) -> dict[str, str | None]:
    """title, author, created, modified (ISO dates) from ``docProps/core.xml``."""
    root = small_part(archive, "docProps/core.xml")

    def value(tag: str) -> str | None:
        el = root.find(tag) if root is not None else None
        return el.text if el is not None and el.text else None

    return {
        "title": value(DC + "title"),
        "author": value(DC + "creator"),
        "created": value(DCTERMS + "created"),
        "modified": value(DCTERMS + "modified"),
    }


def read_docx(archive: zipfile.ZipFile) -> Piece:
    paras, props = docx_paragraphs(archive)
    body = paragraphs(paras)
    return Piece(
        body=body,
        title=properties.title(props["title"]),
        authors=[a for a in [properties.author(props["author"])] if a],
        date=properties.creation_date(props["created"], props["modified"], body),
    )


# --- ODT ---------------------------------------------------------------------------------------

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _spaces(el) -> str:
    try:
        return " " * max(1, min(int(el.get(TEXT + "c") or 1), 1000))
    except ValueError:
        return " "


# Headings and paragraphs in the order the body holds them (table cells' paragraphs included);
# footnotes, comments and tracked deletions give nothing.
ODT = Rules(
    emit=frozenset({TEXT + "p", TEXT + "h"}),
    mixed=True,
    skip=frozenset(
        {
            TEXT + "note",
            OFFICE + "annotation",
            TEXT + "tracked-changes",
            OFFICE + "automatic-styles",
            OFFICE + "font-face-decls",
            OFFICE + "scripts",
        }
    ),
    fixed={TEXT + "s": _spaces, TEXT + "tab": lambda el: "\t", TEXT + "line-break": lambda el: "\n"},
)


def read_odt(archive: zipfile.ZipFile) -> Piece:
    with member(archive, "content.xml", "ODT") as fh:
        paras = [text for _, text in blocks(fh, ODT, Budget(), "content.xml")]
    meta = small_part(archive, "meta.xml")
    title = author = created = None
    if meta is not None:
        title = meta.findtext(f".//{DC}title")
        author = meta.findtext(f".//{DC}creator") or meta.findtext(
            ".//{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}initial-creator"
        )
        created = meta.findtext(".//{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}creation-date")
    body = paragraphs(paras)
    return Piece(
        body=body,
        title=properties.title(title),
        authors=[a for a in [properties.author(author)] if a],
        date=properties.creation_date(
            created, meta.findtext(f".//{DC}date") if meta is not None else None, body
        ),
    )


# --- EPUB --------------------------------------------------------------------------------------

OPF = "{http://www.idpf.org/2007/opf}"
_BLOCKS_HTML = (
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "h1", "h2", "h3", "h4",
    "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "blockquote", "pre",
    "figure", "figcaption", "address", "hr",
)  # fmt: skip
_SKIP_HTML = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head", "title")

# A chapter (read with the HTML parser: tags without namespace): its body's text, a blank line around every block (as tui.intake.html's
# block_text gives it), a line at each <br>.
EPUB = Rules(
    emit=frozenset({"body"}),
    mixed=True,
    skip=frozenset(_SKIP_HTML),
    fixed={"br": lambda el: "\n"},
    breaks=frozenset(_BLOCKS_HTML),
    html=True,
)


def read_epub(archive: zipfile.ZipFile) -> Piece:
    from .html import fold_whitespace

    container = small_part(archive, "META-INF/container.xml")
    rootfile = None
    if container is not None:
        el = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        rootfile = el.get("full-path") if el is not None else None
    opf = small_part(archive, rootfile) if rootfile else None
    if opf is None:
        raise SourceError("not a readable EPUB: no package document")
    base = posixpath.dirname(rootfile)
    manifest = {
        item.get("id"): (item.get("href") or "", item.get("media-type") or "")
        for item in opf.iter(OPF + "item")
    }
    budget = Budget()
    parts = []
    for ref in opf.iter(OPF + "itemref"):
        href, media = manifest.get(ref.get("idref"), ("", ""))
        if media not in ("application/xhtml+xml", "text/html") or not href:
            continue
        name = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
        with member(archive, name, "EPUB") as fh:
            parts.extend(fold_whitespace(text) for _, text in blocks(fh, EPUB, budget, name))
    metadata = opf.find(OPF + "metadata")

    def dc(tag: str) -> list[str]:
        return [el.text for el in metadata.iter(DC + tag) if el.text] if metadata is not None else []

    titles, dates = dc("title"), dc("date")
    return Piece(
        body=paragraphs(parts),
        title=clean_line(titles[0]) if titles else None,
        authors=[a for a in (clean_line(c) for c in dc("creator")) if a],
        date=parse_date(dates[0]) if dates else None,
    )
