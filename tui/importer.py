"""Importing annotations: Glose's W3C JSON-LD and REFI-QDA ``.qdpx`` projects.

An import is a merge by annotation id: new ones are added, ones we have are updated only when
the file's copy is newer, so importing the same file twice changes nothing. Everything is
parsed and checked before anything is written, and written in one transaction: a malformed or
foreign file changes nothing and says why. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .anchoring import Selector, relocate, select
from .corpus import ArticleText, canonical_text, content_hash
from .errors import GloseError
from .export import GLOSE_NS, REFI_NS, article_from_iri
from .model import Annotation, StoreError, Tag, clean_color, clean_note, clean_tag, now

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 200  # compressed members that expand more than this are refused (zip bombs)


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
    workspace's articles (REFI-QDA sources are matched to them)."""
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
        incoming, codebook = read_w3c(data, report)
    return incoming, codebook, report


# --- W3C JSON-LD ---------------------------------------------------------------------------


def read_w3c(data: bytes, report: ImportReport) -> tuple[list[Incoming], list[CodebookEntry]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(f"not a Glose JSON export or a .qdpx project: {exc}") from None
    items, codebook_raw = _w3c_items(doc)
    codebook = []
    for entry in codebook_raw:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            codebook.append(CodebookEntry(entry["name"], entry.get("color"), entry.get("description") or ""))
    incoming = []
    for n, item in enumerate(items, 1):
        try:
            incoming.append(_w3c_annotation(item))
        except (ValueError, TypeError, KeyError, StoreError) as exc:
            label = item.get("id") if isinstance(item, dict) else None
            report.skipped.append((str(label or f"item {n}"), str(exc) or type(exc).__name__))
    return incoming, codebook


def _w3c_items(doc) -> tuple[list, list]:
    def types(node) -> set[str]:
        value = node.get("type", node.get("@type")) if isinstance(node, dict) else None
        return set(value) if isinstance(value, list) else {value}

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
        return page["items"], doc.get("glose:codebook") or []
    if "AnnotationPage" in kinds and isinstance(doc.get("items"), list):
        return doc["items"], []
    if "Annotation" in kinds:
        return [doc], []
    raise ImportRefused(
        "not a W3C Web Annotation document (no Annotation, AnnotationPage or AnnotationCollection)"
    )


def _annotation_id(raw) -> str:
    """Our UUID for an annotation id: ``urn:uuid:X`` is X; any other IRI maps to a stable UUID."""
    if not isinstance(raw, str) or not raw:
        raise ValueError("the annotation has no id")
    text = raw.removeprefix("urn:uuid:").strip("{}")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, raw))


def _w3c_annotation(item: dict) -> Incoming:
    if not isinstance(item, dict):
        raise ValueError("an item is not a JSON object")
    ann_id = _annotation_id(item.get("id"))
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    if not isinstance(target, dict):
        raise ValueError("the target is not a specific resource with selectors")
    article = (
        item.get("glose:article")
        or item.get(GLOSE_NS + "article")
        or article_from_iri(str(target.get("source", "")))
    )
    if not isinstance(article, str) or not article:
        raise ValueError(f"the target {target.get('source')!r} is not an article of a Glose workspace")
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None
    )
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise ValueError("no TextQuoteSelector with the exact text")
    start = end = None
    positioned = position is not None
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            raise ValueError("the TextPositionSelector's start and end are not offsets")
    if start is None:
        previous = item.get("glose:previousPosition")
        start, end = (
            previous if isinstance(previous, list) and len(previous) == 2 else (0, len(quote["exact"]))
        )
    bodies = item.get("body") or []
    bodies = bodies if isinstance(bodies, list) else [bodies]
    tags, notes = [], []
    for body in bodies:
        if isinstance(body, str):
            continue  # an external body IRI: nothing we can keep
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purpose = body.get("purpose")
        purposes = set(purpose) if isinstance(purpose, list) else {purpose}
        if "tagging" in purposes:
            tags.append(clean_tag(body["value"]))
        else:
            notes.append(body["value"])
    created = item.get("created") if isinstance(item.get("created"), str) else now()
    updated = item.get("modified") if isinstance(item.get("modified"), str) else created
    return Incoming(
        id=ann_id,
        article=article,
        selector=Selector(
            int(start),
            int(end),
            quote["exact"],
            str(quote.get("prefix") or ""),
            str(quote.get("suffix") or ""),
        ),
        article_hash=item.get("glose:articleHash")
        if isinstance(item.get("glose:articleHash"), str)
        else None,
        tags=tags,
        note=clean_note("\n\n".join(notes)),
        created=created,
        updated=updated,
        positioned=positioned,
    )


# --- REFI-QDA ------------------------------------------------------------------------------


def _safe_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(f"the archive has {len(infos)} members: over the {MAX_MEMBERS} limit")
    total = 0
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
        if total > MAX_UNPACKED_BYTES:
            raise ImportRefused(f"the archive unpacks to over {MAX_UNPACKED_BYTES // 2**20} MiB")
        if (
            info.compress_size
            and info.file_size > 1_000_000
            and info.file_size / info.compress_size > MAX_RATIO
        ):
            raise ImportRefused(f"{name!r} is compressed too much to be a real file (a zip bomb?)")
        members[name] = info
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise ImportRefused(f"{info.filename!r} is larger than the archive says")
    return data


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
        members = _safe_members(archive)
        qde = members.get("project.qde") or next(
            (i for n, i in members.items() if n.lower().endswith(".qde")), None
        )
        if qde is None:
            raise ImportRefused("the archive has no project.qde: not a REFI-QDA project")
        try:
            root = ElementTree.fromstring(_read_member(archive, qde))
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
                    report.skipped.append((f"code {name!r}", str(exc)))
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
            text = _source_text(archive, members, source, ns)
            if text is None:
                report.skipped.append((name, "its text is not in the archive"))
                continue
            for sel in source.findall(ns + "PlainTextSelection"):
                try:
                    incoming.append(_refi_selection(sel, ns, article, text, codes))
                except (ValueError, StoreError) as exc:
                    report.skipped.append((f"selection {sel.get('guid')}", str(exc)))
    return incoming, codebook


def _article_matcher(article_ids: Iterable[str]):
    """Maps a REFI source name to an article id: the same id, else the one article with that
    file name; else the name itself (its annotations then wait as orphans)."""
    ids: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for article in article_ids:
        ids.add(article)
        by_name.setdefault(PurePosixPath(article).name, []).append(article)

    def match(name: str) -> str:
        if name in ids:
            return name
        same_file = by_name.get(PurePosixPath(name).name, [])
        return same_file[0] if len(same_file) == 1 else name

    return match


def _guid(value: str) -> str:
    return value.strip("{}").lower()


def _source_text(archive, members, source, ns) -> str | None:
    path = source.get("plainTextPath") or ""
    if path.startswith("internal://"):
        name = path[len("internal://") :].lstrip("/")
        for folder in ("sources/", "Sources/"):
            info = members.get(folder + name)
            if info is not None:
                return canonical_text(_read_member(archive, info).decode("utf-8-sig", errors="replace"))
        return None
    content = source.findtext(ns + "PlainTextContent")
    return canonical_text(content) if content is not None else None


def _refi_selection(sel, ns: str, article: str, text: str, codes: dict[str, str]) -> Incoming:
    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    if not 0 <= start < end <= len(text):
        raise ValueError(f"positions {start}-{end} are outside its source text")
    tags = []
    for ref in sel.iter(ns + "CodeRef"):
        target = _guid(ref.get("targetGUID") or "")
        if target in codes:
            tags.append(codes[target])
    created = _iso(sel.get("creationDateTime")) or now()
    return Incoming(
        id=_annotation_id(sel.get("guid")),
        article=article,
        selector=select(text, start, end),
        article_hash=content_hash(text),
        tags=tags,
        note=clean_note(sel.findtext(ns + "Description") or ""),
        created=created,
        updated=_iso(sel.get("modifiedDateTime")) or created,
        source_text=text,
    )


def _iso(value: str | None) -> str | None:
    """REFI's ``2026-01-09T10:00:00Z`` as the store's millisecond form."""
    if not value:
        return None
    match = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", value)
    if not match:
        return None
    millis = (match.group(2) or ".000")[:4].ljust(4, "0")
    return f"{match.group(1)}{millis}Z"


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
        anchored = _anchor(item, doc(item.article))
        current = existing.get(item.id)
        if current is not None:
            if current.updated >= item.updated:
                report.unchanged += 1
                continue
            anchored = replace(anchored, deleted=current.deleted)
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
            report.skipped.append((f"tag {entry.name!r}", str(exc)))
            continue
        try:
            color = clean_color(entry.color) if entry.color else ""
        except StoreError:
            color = ""
        tags.append(Tag(name, color, clean_note(entry.description or "")))
    return writes, tags


def _anchor(item: Incoming, doc) -> Annotation:
    """The annotation as it will be stored: placed in the current text of its article."""
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
    if doc is None:
        return base
    where = relocate(doc.text, sel)
    if where.status == "orphaned":
        return replace(base, article_hash=doc.hash)
    placed = select(doc.text, where.start, where.end)
    exact_found = where.status in ("anchored", "moved")
    same_text = item.article_hash == doc.hash
    status = (
        "anchored"
        if where.status == "anchored" or same_text or (exact_found and not item.positioned)
        else where.status
    )
    return base.placed(
        placed,
        doc.hash,
        status=status,
        old_start=sel.start if status != "anchored" else None,
        old_end=sel.end if status != "anchored" else None,
        old_exact=sel.exact if placed.exact != sel.exact else None,
    )
