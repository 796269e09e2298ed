"""Zipped documents (DOCX, ODT, EPUB) read with a bounded cost.

A small file can unpack to a quarter of a gigabyte of XML that a tree-building reader
(python-docx, odfpy) turns into gigabytes of objects and minutes of XPath. Here the XML of a
member is streamed (lxml's iterparse) and each element is folded into the text it contributes
as soon as it ends, then dropped: what stays in memory is the current path from the root, one
finished element per level and the text read so far. The number of elements, of paragraphs
and of characters is counted, and past any cap the document is refused with one line.

The readers give blocks in the order they stand in the XML (paragraphs and tables as the body
holds them), never one kind after another.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..text.corpus import MAX_ARTICLE_BYTES
from .model import SourceError

MAX_ELEMENTS = 3_000_000  # a 500-page report has about a million
MAX_PARAGRAPHS = 200_000  # a whole Nexis Uni export of 500 articles has about 20,000
MAX_TEXT = MAX_ARTICLE_BYTES // 4  # characters of text in one input (a 5,000-page book)
MAX_SMALL_PART = 4 * 2**20  # properties and manifests: a few kilobytes in real files
_CHUNK = 1 << 16


@dataclass
class Budget:
    """What one input may cost, shared by all the XML parts read from it (an EPUB has many)."""

    elements: int = MAX_ELEMENTS
    paragraphs: int = MAX_PARAGRAPHS
    text: int = MAX_TEXT

    def element(self) -> None:
        self.elements -= 1
        if self.elements < 0:
            raise SourceError(f"too complex to read (over {MAX_ELEMENTS:,} XML elements)")

    def paragraph(self) -> None:
        self.paragraphs -= 1
        if self.paragraphs < 0:
            raise SourceError(f"too many paragraphs (the limit is {MAX_PARAGRAPHS:,})")

    def chars(self, n: int) -> None:
        self.text -= n
        if self.text < 0:
            raise SourceError(f"too much text (the limit is {MAX_TEXT // 2**20} MiB)")


@dataclass(frozen=True)
class Rules:
    """How a format's XML becomes text.

    ``emit``: the blocks given out (the outermost only: a paragraph inside a table cell is
    part of the table). ``text``: elements whose own text is content; with ``mixed`` every
    text and tail is (ODT, XHTML), else only theirs (DOCX, whose indentation is not text).
    ``skip``: elements that give nothing (deleted text, field codes, fallbacks that repeat
    their content). ``fixed``: elements that stand for a string (a tab, a line break).
    ``joins``: for an element, the separator between its children of the given tags (table
    rows, cells); its other children give nothing. ``breaks``: elements inside an emitted one
    that still start and end a paragraph (HTML blocks). ``html``: read with the HTML parser
    (chapters that are not well-formed XML)."""

    emit: frozenset[str]
    text: frozenset[str] = frozenset()
    mixed: bool = False
    skip: frozenset[str] = frozenset()
    fixed: dict[str, Callable[[object], str]] = field(default_factory=dict)
    joins: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    breaks: frozenset[str] = frozenset()
    html: bool = False


class _Frame:
    """An open element: the texts its children gave so far, kept few (see :meth:`add`)."""

    __slots__ = ("el", "last", "only", "opened", "parts", "sep")

    def __init__(self, el, rules: Rules) -> None:
        self.el, self.parts, self.last, self.opened = el, [], None, False
        self.sep, self.only = rules.joins.get(el.tag, ("", None))

    def add(self, text: str) -> None:
        """Append, merging the last two pieces while the newer is as long as the older (a
        binary counter): a paragraph of ten million runs is a few dozen strings, not ten
        million, and each character is copied a logarithmic number of times."""
        parts = self.parts
        parts.append(text)
        while len(parts) > 1 and len(parts[-1]) >= len(parts[-2]):
            last = parts.pop()
            parts[-1] = parts[-1] + self.sep + last

    def text(self) -> str:
        return self.sep.join(self.parts)


def blocks(fh, rules: Rules, budget: Budget, what: str) -> Iterator[tuple[str, str]]:
    """``(tag, text)`` of each outermost ``emit`` element of the XML in ``fh``, in order.

    Entities are not expanded, no DTD or network is loaded; each element's text is folded
    into its parent when it ends, and the element removed once its tail is read."""
    from lxml import etree

    parser = etree.iterparse(
        fh,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        html=rules.html,
        recover=rules.html,
    )
    stack: list[_Frame] = []
    open_emits = 0
    mixed = rules.mixed

    def opening(frame: _Frame) -> None:
        """In mixed content, the text before an element's first child is content."""
        if mixed and not frame.opened:
            frame.opened = True
            if frame.el.text:
                budget.chars(len(frame.el.text))
                frame.add(frame.el.text)

    def take_tail(frame: _Frame) -> None:
        """The finished child before this point: its tail is complete, so it can go."""
        last = frame.last
        if last is not None:
            if mixed and last.tail:
                budget.chars(len(last.tail))
                frame.add(last.tail)
            frame.el.remove(last)
            frame.last = None

    try:
        for event, el in parser:
            tag = el.tag
            if event == "start":
                budget.element()
                if stack:
                    opening(stack[-1])
                    take_tail(stack[-1])
                if tag in rules.emit:
                    open_emits += 1
                stack.append(_Frame(el, rules))
                continue
            frame = stack.pop()
            if tag in rules.skip:
                text = ""
            elif tag in rules.fixed:
                text = rules.fixed[tag](el)
            elif tag in rules.text and not len(el):
                text = el.text or ""
                budget.chars(len(text))
            else:
                opening(frame)
                take_tail(frame)
                text = frame.text()
                if tag in rules.breaks:
                    budget.paragraph()
                    text = f"\n\n{text}\n\n"
            if tag in rules.emit:
                open_emits -= 1
                if open_emits == 0:
                    budget.paragraph()
                    yield tag, text
                    text = ""
            el.clear(keep_tail=True)
            if stack:
                parent = stack[-1]
                if (parent.only is None and text) or (parent.only is not None and tag in parent.only):
                    parent.add(text)
                parent.last = el
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{what} is not well-formed XML: {exc}") from None


def member(archive: zipfile.ZipFile, name: str, what: str):
    """A member opened for streaming, or a one-line refusal when it is missing."""
    try:
        return archive.open(name)
    except KeyError:
        raise SourceError(f"not a readable {what}: no {name}") from None
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise SourceError(f"not a readable {what}: {exc}") from None


def small_part(archive: zipfile.ZipFile, name: str):
    """A small XML part (properties, a manifest) as a tree, or None when it is missing,
    too large or not XML: its absence only costs metadata."""
    from lxml import etree

    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_SMALL_PART:
        return None
    try:
        with archive.open(info) as fh:
            data = fh.read(MAX_SMALL_PART + 1)
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
        )
        return etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError):
        return None


def contains(archive: zipfile.ZipFile, name: str, needles: tuple[bytes, ...]) -> set[bytes]:
    """Which of ``needles`` occur in a member, read in chunks (never whole into memory)."""
    found: set[bytes] = set()
    keep = max(map(len, needles)) - 1
    tail = b""
    with archive.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            found.update(n for n in needles if n in window)
            if len(found) == len(needles):
                break
            tail = window[-keep:] if keep else b""
    return found
