"""Reading REFI-QDA projects (``.qdpx``): safely, each archive member read once."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from ..anchoring import select
from ..corpus import canonical_text, content_hash
from ..export import REFI_NS
from ..model import StoreError, clean_note, clean_tag
from .common import (
    _ITEM_ERRORS,
    _POSITION,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_FLOOR,
    CodebookEntry,
    ImportRefused,
    ImportReport,
    Incoming,
    _annotation_id,
    _article_matcher,
    _show,
    _times,
)

# --- REFI-QDA ------------------------------------------------------------------------------


def _safe_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(f"the archive has {len(infos)} members: over the {MAX_MEMBERS} limit")
    total = packed = 0
    members = {}
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or ".." in path.parts
            or re.match(r"^[A-Za-z]:", name)
        ):
            raise ImportRefused(f"unsafe path in the archive: {name!r}")
        total += info.file_size
        packed += info.compress_size
        if total > MAX_UNPACKED_BYTES:
            raise ImportRefused(f"the archive unpacks to over {MAX_UNPACKED_BYTES // 2**20} MiB")
        if (
            info.compress_size
            and info.file_size > RATIO_FLOOR
            and info.file_size / info.compress_size > MAX_RATIO
        ):
            raise ImportRefused(f"{name!r} is compressed too much to be a real file (a zip bomb?)")
        members[name] = info
    # Many members just under the floor are a bomb too: the ratio holds for the whole archive.
    if total > 32 * RATIO_FLOOR and total / max(packed, 1) > MAX_RATIO:
        raise ImportRefused("the archive is compressed too much to hold real files (a zip bomb?)")
    return members


class _Members:
    """Reads the archive's members, each at most once: a project may point a thousand
    sources at one member, and each use must not decompress (and clean, and hash) it again.
    The bytes decompressed in all are bounded, whatever the archive's directory claims."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]):
        self.archive, self.members = archive, members
        self.budget = MAX_UNPACKED_BYTES
        self.texts: dict[str, tuple[str, str]] = {}

    def read(self, info: zipfile.ZipInfo) -> bytes:
        with self.archive.open(info) as fh:
            data = fh.read(min(info.file_size, self.budget) + 1)
        if len(data) > info.file_size:
            raise ImportRefused(f"{info.filename!r} is larger than the archive says")
        self.budget -= len(data)
        if self.budget < 0:
            raise ImportRefused(f"the archive unpacks to over {MAX_UNPACKED_BYTES // 2**20} MiB")
        return data

    def text(self, name: str) -> tuple[str, str] | None:
        """The canonical text of a member and its hash, or None when there is no such member."""
        if name not in self.texts:
            info = self.members.get(name)
            if info is None:
                return None
            text = canonical_text(self.read(info).decode("utf-8-sig", errors="replace"))
            self.texts[name] = (text, content_hash(text))
        return self.texts[name]


def read_qdpx(
    data: bytes, report: ImportReport, article_ids: Callable[[], Iterable[str]] = tuple
) -> tuple[list[Incoming], list[CodebookEntry]]:
    import io

    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(f"not a valid .qdpx archive: {exc}") from None
    with archive:
        members = _Members(archive, _safe_members(archive))
        qde = members.members.get("project.qde") or next(
            (i for n, i in members.members.items() if n.lower().endswith(".qde")), None
        )
        if qde is None:
            raise ImportRefused("the archive has no project.qde: not a REFI-QDA project")
        try:
            root = ElementTree.fromstring(members.read(qde))
        except DefusedXmlException as exc:
            raise ImportRefused(f"project.qde uses forbidden XML constructs ({type(exc).__name__})") from None
        except Exception as exc:  # ParseError and friends
            raise ImportRefused(f"project.qde is not well-formed XML: {exc}") from None
        ns = f"{{{REFI_NS}}}"
        if root.tag != ns + "Project":
            raise ImportRefused("project.qde is not a REFI-QDA Project (urn:QDA-XML:project:1.0)")
        codes: dict[str, str] = {}
        codebook: list[CodebookEntry] = []

        def walk(node, parent: str) -> None:
            for code in node.findall(ns + "Code"):
                name = code.get("name") or ""
                if parent and name.endswith(f" ({parent})"):
                    name = name[: -len(parent) - 3]  # undo the disambiguation of our export
                path = f"{parent}/{name}" if parent else name
                try:
                    path = clean_tag(path)
                except StoreError as exc:
                    report.skip(f"code {name!r}", str(exc))
                    continue
                if code.get("guid"):
                    codes[_guid(code.get("guid"))] = path
                description = code.findtext(ns + "Description") or ""
                if code.get("isCodable", "true") != "false" or description:
                    codebook.append(CodebookEntry(path, code.get("color"), description))
                walk(code, path)

        book = root.find(f"{ns}CodeBook/{ns}Codes")
        if book is not None:
            walk(book, "")
        article_for = _article_matcher(article_ids())
        incoming = []
        for source in root.iter(ns + "TextSource"):
            name = source.get("name") or source.get("guid") or "source"
            article = article_for(name)
            found = _source_text(members, source, ns)
            if found is None:
                report.skip(name, "its text is not in the archive")
                continue
            for sel in source.findall(ns + "PlainTextSelection"):
                try:
                    incoming.append(_refi_selection(sel, ns, article, found, codes))
                except _ITEM_ERRORS as exc:
                    report.skip(f"selection {sel.get('guid')}", str(exc) or type(exc).__name__)
    return incoming, codebook


def _guid(value: str) -> str:
    return value.strip("{}").lower()


def _source_text(members: _Members, source, ns) -> tuple[str, str] | None:
    """A TextSource's canonical text and its hash, or None when the archive lacks it."""
    path = source.get("plainTextPath") or ""
    if path.startswith("internal://"):
        name = path[len("internal://") :].lstrip("/")
        return members.text("sources/" + name) or members.text("Sources/" + name)
    content = source.findtext(ns + "PlainTextContent")
    if content is None:
        return None
    text = canonical_text(content)
    return text, content_hash(text)


def _refi_selection(
    sel, ns: str, place: tuple[str, bool], found: tuple[str, str], codes: dict[str, str]
) -> Incoming:
    (article, placeable), (text, text_hash) = place, found
    start, end = _position(sel, "startPosition"), _position(sel, "endPosition")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"positions {start}-{end} are outside its source text")
    tags = []
    for ref in sel.iter(ns + "CodeRef"):
        target = _guid(ref.get("targetGUID") or "")
        if target in codes:
            tags.append(codes[target])
    created, updated, dated = _times(sel.get("creationDateTime"), sel.get("modifiedDateTime"))
    return Incoming(
        id=_annotation_id(sel.get("guid")),
        article=article,
        selector=select(text, start, end),
        article_hash=text_hash,
        tags=tags,
        note=clean_note(sel.findtext(ns + "Description") or ""),
        created=created,
        updated=updated,
        source_text=text,
        dated=dated,
        placeable=placeable,
    )


def _position(sel, name: str) -> int:
    value = sel.get(name)
    if value is None or not _POSITION.fullmatch(value.strip(" \t\r\n")):
        raise ValueError(f"its {name} is {_show(value) if value else 'missing'}, not a character position")
    return int(value.strip(" \t\r\n"))
