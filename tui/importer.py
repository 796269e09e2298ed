"""Importing annotations: Glose's W3C JSON-LD and REFI-QDA ``.qdpx`` projects.

An import is a merge by annotation id: new ones are added, ones we have are updated only when
the file's copy is newer (times compared as instants), so importing the same file twice changes
nothing. Everything is parsed and checked before anything is written, and written in one
transaction: a file that cannot be read changes nothing and says why in one line; an item that
cannot be read is skipped with a reason naming it, and the rest imports. Every string that
comes from the file is cleaned as article text is (no escape sequence or control character
reaches the store, hence no terminal). Nothing is ever extracted to disk.
"""

from __future__ import annotations

import json
import math
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from .anchoring import Selector, relocate, select
from .corpus import MAX_ARTICLE_BYTES, ArticleText, canonical_text, content_hash
from .errors import GloseError
from .export import GLOSE_NS, REFI_NS, article_from_iri
from .model import Annotation, StoreError, Tag, clean_color, clean_line, clean_note, clean_tag

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # decompressed in all, however often a member is used
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # compressed members that expand more than this are refused (zip bombs)
RATIO_FLOOR = 1_000_000  # ... when over this size: a small file of blanks may compress that well
# No article has more characters than its file has bytes: a larger offset is not an offset (and
# SQLite could not store 10**30).
MAX_OFFSET = MAX_ARTICLE_BYTES
# A time further ahead of this clock is not trusted: it would win every later merge.
CLOCK_SKEW = timedelta(days=1)
# created = updated of a new item the file gives no time for: one fixed value (not the time of
# the import), so that it is older than any dated copy, here or wherever it is exported to, and
# importing the file again writes nothing.
UNDATED = "1970-01-01T00:00:00.000Z"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A REFI position (xsd:integer, white space collapsed): ASCII digits only, as int() takes "٣".
_POSITION = re.compile(r"\+?[0-9]{1,12}")
# What reading one item of a file may raise: that item is skipped with the reason, never the
# whole import lost to a traceback.
_ITEM_ERRORS = (ValueError, TypeError, KeyError, OverflowError, RecursionError, StoreError)


class ImportRefused(GloseError):
    """The file as a whole cannot be imported; nothing was changed."""


@dataclass
class Incoming:
    """One annotation read from a file, before it is anchored in this workspace."""

    id: str
    article: str
    selector: Selector
    article_hash: str | None
    tags: list[str]
    note: str
    created: str
    updated: str
    source_text: str | None = None  # the text the offsets count in, when the file carries it
    positioned: bool = True  # False when the file gave only a quote (no offsets to trust)
    dated: bool = True  # False when the file gave no time: it can never be the newer copy
    placeable: bool = True  # False when the article id had to be cleaned: it names no article here


@dataclass
class CodebookEntry:
    name: str
    color: str | None = None
    description: str = ""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    orphaned: int = 0  # of those added or updated, how many found no place in the text
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, what: str, reason: str) -> None:
        """Note an item left out; both strings may quote the file, so both are cleaned."""
        self.skipped.append((_short(clean_line(what)), clean_line(reason)))

    def summary(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {len(self.skipped)} skipped"
        if self.orphaned:
            text += f" ({self.orphaned} orphaned: see glose review)"
        return text


# --- entry point ---------------------------------------------------------------------------


def read_file(
    path: Path, article_ids: Callable[[], Iterable[str]]
) -> tuple[list[Incoming], list[CodebookEntry], ImportReport]:
    """Parse and check a whole file before anything is written. ``article_ids`` lists the
    workspace's articles (REFI-QDA sources are matched to them; an id holding control
    characters is kept only if it is one of them)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"{path.name} is {size / 2**20:.0f} MiB: over the {MAX_FILE_BYTES // 2**20} MiB limit"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    report = ImportReport()
    if data[:4] == b"PK\x03\x04":
        incoming, codebook = read_qdpx(data, report, article_ids)
    else:
        incoming, codebook = read_w3c(data, report, article_ids)
    return _one_per_id(incoming, report), codebook, report


def _one_per_id(incoming: list[Incoming], report: ImportReport) -> list[Incoming]:
    """The newest copy of each id: a file holding one twice (two exports pasted together, a
    hand edit) would otherwise write both, the second silently replacing the first."""
    chosen: dict[str, Incoming] = {}
    for item in incoming:
        kept = chosen.get(item.id)
        if kept is not None:
            report.skip(f"annotation {item.id}", "the file holds it more than once: the newest copy is used")
            if not _newer(item, kept.updated if kept.dated else None):
                continue
        chosen[item.id] = item
    return list(chosen.values())


# --- W3C JSON-LD ---------------------------------------------------------------------------


def read_w3c(
    data: bytes, report: ImportReport, article_ids: Callable[[], Iterable[str]] = tuple
) -> tuple[list[Incoming], list[CodebookEntry]]:
    try:
        # Integers too long to be offsets become inf (int() refuses over 4,300 digits, with a
        # ValueError that is not a JSONDecodeError); Infinity and NaN stay floats: both are
        # then refused by the item that uses them, not by the whole file.
        doc = json.loads(data.decode("utf-8-sig"), parse_int=lambda s: int(s) if len(s) < 40 else math.inf)
    except RecursionError:
        raise ImportRefused("the JSON is nested too deeply to be an annotation file") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused(f"not a Glose JSON export or a .qdpx project: {exc}") from None
    items, codebook_raw = _w3c_items(doc)
    codebook = _w3c_codebook(codebook_raw, report)
    ids = set(article_ids())
    incoming = []
    for n, item in enumerate(items, 1):
        try:
            incoming.append(_w3c_annotation(item, ids))
        except _ITEM_ERRORS as exc:
            label = item.get("id") if isinstance(item, dict) else None
            report.skip(
                label if isinstance(label, str) and label else f"item {n}", str(exc) or type(exc).__name__
            )
    return incoming, codebook


def _w3c_items(doc) -> tuple[list, object]:
    def types(node) -> set[str]:
        value = node.get("type", node.get("@type")) if isinstance(node, dict) else None
        return {v for v in value if isinstance(v, str)} if isinstance(value, list) else {value}

    if isinstance(doc, list):
        return doc, []
    if not isinstance(doc, dict):
        raise ImportRefused("not a W3C Web Annotation document (expected a JSON object)")
    kinds = types(doc)
    if "AnnotationCollection" in kinds:
        page = doc.get("first")
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise ImportRefused("the AnnotationCollection has no embedded first page with items")
        if isinstance(page.get("next"), str):
            raise ImportRefused("the collection continues on other pages (next); export it whole")
        codebook = doc.get("glose:codebook")
        return page["items"], [] if codebook is None else codebook
    if "AnnotationPage" in kinds and isinstance(doc.get("items"), list):
        return doc["items"], []
    if "Annotation" in kinds:
        return [doc], []
    raise ImportRefused(
        "not a W3C Web Annotation document (no Annotation, AnnotationPage or AnnotationCollection)"
    )


def _w3c_codebook(raw, report: ImportReport) -> list[CodebookEntry]:
    """Glose's codebook (name, color, description): entries that are not one are skipped."""
    if not isinstance(raw, list):
        report.skip("glose:codebook", f"not a list of tags but {_show(raw)}")
        return []
    codebook = []
    for n, entry in enumerate(raw, 1):
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str)):
            report.skip(f"codebook entry {n}", "not a tag with a name")
            continue
        color, description = entry.get("color"), entry.get("description")
        codebook.append(
            CodebookEntry(
                entry["name"],
                color if isinstance(color, str) else None,
                description if isinstance(description, str) else "",
            )
        )
    return codebook


def _annotation_id(raw) -> str:
    """Our UUID for an annotation id: ``urn:uuid:X`` is X; any other IRI maps to a stable UUID."""
    if not isinstance(raw, str) or not raw:
        raise ValueError("the annotation has no id")
    text = raw.removeprefix("urn:uuid:").strip("{}")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, raw))


def _w3c_annotation(item, ids: set[str]) -> Incoming:
    if not isinstance(item, dict):
        raise ValueError("an item is not a JSON object")
    ann_id = _annotation_id(item.get("id"))
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    if not isinstance(target, dict):
        raise ValueError("the target is not a specific resource with selectors")
    source = target.get("source")
    named = next(
        (v for v in (item.get("glose:article"), item.get(GLOSE_NS + "article")) if isinstance(v, str) and v),
        None,
    )
    named = named or (article_from_iri(source) if isinstance(source, str) else None)
    if not named:
        raise ValueError(f"the target {_show(source)} is not an article of a Glose workspace")
    article, placeable = _article_name(named, ids)
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None
    )
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    exact = canonical_text(_text(quote.get("exact"))) if isinstance(quote, dict) else ""
    if not exact.strip():
        raise ValueError("no TextQuoteSelector with the exact text")
    if position is not None:
        start, end = _offsets(position.get("start"), position.get("end"), "the TextPositionSelector's")
    elif "glose:previousPosition" in item:
        previous = item["glose:previousPosition"]
        if not (isinstance(previous, list) and len(previous) == 2):
            raise ValueError(f"glose:previousPosition is not two offsets but {_show(previous)}")
        start, end = _offsets(*previous, "glose:previousPosition's")
    else:
        start, end = 0, len(exact)
    tags, notes = _w3c_bodies(item.get("body", []))
    created, updated, dated = _times(item.get("created"), item.get("modified"))
    return Incoming(
        id=ann_id,
        article=article,
        selector=Selector(
            start,
            end,
            exact,
            canonical_text(_text(quote.get("prefix"))),
            canonical_text(_text(quote.get("suffix"))),
        ),
        article_hash=_text(item.get("glose:articleHash")) or None,
        tags=tags,
        note=clean_note("\n\n".join(notes)),
        created=created,
        updated=updated,
        positioned=position is not None,
        dated=dated,
        placeable=placeable,
    )


def _w3c_bodies(bodies) -> tuple[list[str], list[str]]:
    """Tags (``tagging`` bodies) and notes (the other textual bodies). A body that is only an
    IRI, or has no value, holds nothing we keep; one whose value is not text is refused, not
    silently dropped (the annotation would lose a tag or a note)."""
    tags, notes = [], []
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict) or "value" not in body:
            continue  # an external body IRI, a SpecificResource: nothing we can keep
        if not isinstance(body["value"], str):
            raise ValueError(f"a body's value is {_show(body['value'])}, not text")
        purpose = body.get("purpose")
        purposes = {p for p in purpose if isinstance(p, str)} if isinstance(purpose, list) else {purpose}
        if "tagging" in purposes:
            tags.append(clean_tag(body["value"]))
        else:
            notes.append(body["value"])
    return tags, notes


def _text(value) -> str:
    """A string field of the file, or "" when it holds something else."""
    return value if isinstance(value, str) else ""


def _offsets(start, end, what: str) -> tuple[int, int]:
    """Two offsets from the file, checked before they reach the store (whose CHECK constraint
    would fail the whole import without naming the item): JSON integers only (not true, not
    1.0, not Infinity), 0 <= start <= end <= MAX_OFFSET."""
    for value in (start, end):
        if type(value) is not int or not 0 <= value <= MAX_OFFSET:
            raise ValueError(f"{what} start and end are not offsets: {_show(value)}")
    if start > end:
        raise ValueError(f"{what} start {start} is after its end {end}")
    return start, end


def _show(value) -> str:
    """A value of the file for a message: short, escaped, never the repr of a deep structure."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return _short(json.dumps(value))  # escapes every control character


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- times ---------------------------------------------------------------------------------


def _instant(value) -> datetime | None:
    """An ISO 8601 time as an instant in UTC, to the millisecond (what the store keeps, so that
    a file's finer time is not newer than its own import); naive times are UTC. None when the
    value is not a time, or is more than CLOCK_SKEW ahead of this clock."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if moment > datetime.now(UTC) + CLOCK_SKEW:
        return None
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def timestamp(value) -> str | None:
    """A time from a file in the store's form (``2026-01-09T09:00:00.000Z``), or None."""
    moment = _instant(value)
    if moment is None:
        return None
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
        f"{moment.second:02d}.{moment.microsecond // 1000:03d}Z"
    )


def _times(created, modified) -> tuple[str, str, bool]:
    """(created, updated, dated) of an item: a copy without a time cannot be said to be newer,
    so it is marked undated (it never replaces one we have) and, when new, gets UNDATED."""
    made, changed = timestamp(created), timestamp(modified)
    updated = changed or made
    if updated is None:
        return UNDATED, UNDATED, False
    return made or updated, updated, True


def _newer(item: Incoming, than: str | None) -> bool:
    """Whether the file's copy is newer than a copy updated at ``than`` (compared as instants;
    a local time we cannot read is no local edit: Glose stamps every edit with its own clock)."""
    if not item.dated:
        return False
    local = _instant(than)
    return local is None or _instant(item.updated) > local


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


def _article_matcher(article_ids: Iterable[str]) -> Callable[[str], tuple[str, bool]]:
    """Maps a REFI source name to (article id, placeable): the same id, else the one article
    with that file name; else the name itself (its annotations then wait as orphans)."""
    ids: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for article in article_ids:
        ids.add(article)
        by_name.setdefault(PurePosixPath(article).name, []).append(article)

    def match(name: str) -> tuple[str, bool]:
        same_file = by_name.get(PurePosixPath(name).name, [])
        if name not in ids and len(same_file) == 1:
            return same_file[0], True
        return _article_name(name, ids)

    return match


def _article_name(name: str, ids: set[str]) -> tuple[str, bool]:
    """(article id, placeable) for an article named by a file.

    A name holding control characters or escape sequences that is not one of this workspace's
    ids (a file name may hold a newline) cannot be stored as it is: it would reach terminals.
    We chose to keep the item as an orphan under the cleaned name (placeable False: it is not
    looked up, since the cleaned name is not what the file said) rather than skip it, so its
    tags and note are not lost and it waits in glose review to be re-attached."""
    if name in ids or not _CONTROL.search(name):
        return name, True
    return clean_line(name) or "?", False


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


# --- merging -------------------------------------------------------------------------------


def plan(
    incoming: list[Incoming],
    codebook: list[CodebookEntry],
    existing: dict[str, Annotation],
    doc: Callable[[str], ArticleText | None],
    report: ImportReport,
) -> tuple[list[Annotation], list[Tag]]:
    """What merging ``incoming`` writes: new annotations, and those whose copy in the file is
    newer than ours (``existing``, by id), each placed in the current text of its article
    (``doc`` reads it; None when the article is missing). Pure: the caller writes the result."""
    writes: list[Annotation] = []
    for item in incoming:
        current = existing.get(item.id)
        if current is not None and not _replaces(item, current, report):
            continue
        anchored = _anchor(item, doc(item.article) if item.placeable else None)
        if current is not None:
            anchored = replace(anchored, deleted=current.deleted)  # the trash is ours, not the file's
            report.updated += 1
        else:
            report.added += 1
        if anchored.status == "orphaned":
            report.orphaned += 1
        writes.append(anchored)
    tags: list[Tag] = []
    for entry in codebook:
        try:
            name = clean_tag(entry.name)
        except StoreError as exc:
            report.skip(f"tag {entry.name!r}", str(exc))
            continue
        try:
            color = clean_color(entry.color) if entry.color else ""
        except StoreError:
            color = ""
        tags.append(Tag(name, color, clean_note(entry.description or "")))
    return writes, tags


def _replaces(item: Incoming, current: Annotation, report: ImportReport) -> bool:
    """Whether the file's copy replaces ours: only when it is newer. An undated copy never
    does; when it differs from ours it is listed as skipped, so that nothing is left out
    silently."""
    if item.dated or _same(item, current):
        if _newer(item, current.updated):
            return True
        report.unchanged += 1
        return False
    report.skip(f"annotation {item.id}", "the file gives it no time, so it cannot be newer than ours (kept)")
    return False


def _same(item: Incoming, current: Annotation) -> bool:
    """Whether an undated copy says what ours says (then it is simply unchanged)."""
    return item.note == current.note and {t.casefold() for t in item.tags} == {
        t.casefold() for t in current.tags
    }


def _anchor(item: Incoming, doc) -> Annotation:
    """The annotation as it will be stored: the file's selector kept as the one the user made,
    placed in the current text of its article. ``anchored`` only when the text at the place
    was checked against the quote; offsets that come without a quote are ``unverified``."""
    sel = item.selector
    base = Annotation(
        id=item.id,
        article=doc.id if doc is not None else item.article,
        start=sel.start,
        end=sel.end,
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        article_hash="",
        note=item.note,
        status="orphaned",
        tags=tuple(dict.fromkeys(item.tags)),
        created=item.created,
        updated=item.updated,
    )
    base = replace(base.made_here(), made_hash=item.article_hash or "")  # what the file says was made
    if doc is None:
        return base
    if not sel.exact.strip():  # offsets alone: nothing to check them against
        if 0 <= sel.start < sel.end <= len(doc.text) and doc.text[sel.start : sel.end].strip():
            return base.placed(select(doc.text, sel.start, sel.end), doc.hash, status="unverified")
        return replace(base, article_hash=doc.hash)
    where = relocate(doc.text, sel)
    if where.status == "orphaned":
        return replace(base, article_hash=doc.hash)
    placed = select(doc.text, where.start, where.end)
    if not item.positioned and where.status in ("anchored", "moved"):
        # a quote without trustworthy offsets, found in the text: that is where it was made
        return base.placed(placed, doc.hash, status="anchored").made_here()
    return base.placed(
        placed,
        doc.hash,
        status=where.status,
        old_start=sel.start if where.status != "anchored" else None,
        old_end=sel.end if where.status != "anchored" else None,
        old_exact=sel.exact if placed.exact != sel.exact else None,
    )
