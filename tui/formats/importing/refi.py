"""Reading REFI-QDA projects (``.qdpx``, bare ``.qde``) and codebooks (``.qdc``): safely,
each archive member read once; offsets mapped per producer and verified (``producers``);
sources matched to articles by content, then by name (``sources``); everything the file
holds taken or listed as skipped with a reason."""

from __future__ import annotations

import re
import zipfile
from pathlib import PurePosixPath

from ...wording import counted
from .common import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_XML_ELEMENTS,
    RATIO_FLOOR,
    ImportRefused,
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

    def text(self, name: str) -> str | None:
        """The text of a member as stored (decoded, nothing else: producers count offsets in
        it), or None when there is no such member. Names are matched ignoring case:
        NVivo writes ``Sources/``, the standard says ``sources/``."""
        info = self.members.get(name) or self._folded().get(name.casefold())
        if info is None:
            return None
        if info.filename not in self.texts:
            self.texts[info.filename] = self.read(info).decode("utf-8-sig", errors="replace")
        return self.texts[info.filename]

    def _folded(self) -> dict[str, zipfile.ZipInfo]:
        if not hasattr(self, "_by_folded"):
            self._by_folded = {n.casefold(): i for n, i in self.members.items()}
        return self._by_folded


def parse_xml(data: bytes, what: str, report=None):
    """An XML document from a file, with defusedxml (no entities, no DTD tricks). A document
    that is not well-formed only because note texts hold a bare ``&`` or ``<`` (QualCoder
    writes its annotations' ``PlainTextContent`` unescaped) is read with those escaped, and
    ``report`` says so."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    # The parse cost is bounded, not only the size: a small archive can unpack to a project
    # of tens of millions of empty elements, a tree of gigabytes. Counting is one C pass.
    if data.count(b"<") > MAX_XML_ELEMENTS:  # (in UTF-16 too: each "<" has its byte)
        raise ImportRefused(f"{what} has over {MAX_XML_ELEMENTS:,} XML elements: too many to be read")
    try:
        return ElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise ImportRefused(f"{what} uses forbidden XML constructs ({type(exc).__name__})") from None
    except Exception as exc:  # ParseError and friends
        repaired, count = _escaped_note_texts(data)
        if count:
            try:
                root = ElementTree.fromstring(repaired)
            except Exception:
                pass
            else:
                if report is not None:
                    report.notes.append(
                        f"{what}: {counted(count, 'note text')} with a bare & or < "
                        "(written unescaped, as QualCoder does) read as text"
                    )
                return root
        raise ImportRefused(f"{what} is not well-formed XML: {exc}") from None


_NOTE_TEXT = re.compile(rb"(<PlainTextContent>)(.*?)(</PlainTextContent>)", re.S)
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


def _escaped_note_texts(data: bytes) -> tuple[bytes, int]:
    """``data`` with the text of every ``PlainTextContent`` (a string in the schema: no
    elements inside) escaped, and how many needed it."""
    count = 0

    def escape(match: re.Match) -> bytes:
        nonlocal count
        body = _BARE_AMPERSAND.sub(b"&amp;", match[2]).replace(b"<", b"&lt;").replace(b">", b"&gt;")
        count += body != match[2]
        return match[1] + body + match[3]

    return _NOTE_TEXT.sub(escape, data), count


def open_qdpx(data: bytes, report=None):
    """The project root element of a ``.qdpx`` and a reader of its members."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(f"not a valid .qdpx archive: {exc}") from None
    members = _Members(archive, _safe_members(archive))
    qde = members.members.get("project.qde") or next(
        (i for n, i in members.members.items() if n.lower().endswith(".qde")), None
    )
    if qde is None:
        archive.close()
        raise ImportRefused("the archive has no project.qde: not a REFI-QDA project")
    return parse_xml(members.read(qde), "project.qde", report), members


def read_qdpx(data: bytes, report, article_ids=tuple, *, match_only: bool = True):
    """A ``.qdpx`` read on its own (annotations, codebook); sources are matched to
    ``article_ids`` by name only (the content of the workspace is not at hand here)."""
    from .project import read_project
    from .sources import Places

    root, members = open_qdpx(data, report)
    with members.archive:
        return read_project(root, members, report, Places.of(article_ids(), match_only=match_only))
