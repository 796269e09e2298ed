"""Exporting annotations for the tools people open next.

- ``markdown``: per article, each annotation as a quote with its tags and note;
- ``csv``: one row per annotation, formula-looking cells neutralised for spreadsheets;
- ``json``: a W3C Web Annotation ``AnnotationCollection`` (JSON-LD);
- ``qdpx``: a REFI-QDA project (QualCoder, ATLAS.ti, MAXQDA, NVivo);
- ``qdc``: the codebook as a REFI-QDA Codebook (``tui.refi_codes``).

Offsets in every format are code points of the canonical text (what ``glose show`` prints),
or UTF-16 units in ``json`` and ``qdpx`` when asked (``offsets="utf16"``, for NVivo).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote as url_quote

from . import __version__
from .errors import GloseError
from .model import Annotation, Tag, now
from .refi_codes import _attr, _refi_codes, guid, refi_code_names, to_qdc
from .sanitize import csv_cell, json_text, markdown_code, markdown_text, xml_text
from .wording import counted

FORMATS = ("markdown", "csv", "json", "qdpx", "qdc")
SUFFIXES = {"markdown": ".md", "csv": ".csv", "json": ".jsonld", "qdpx": ".qdpx", "qdc": ".qdc"}
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GLOSE_NS = "urn:glose:ns#"
ARTICLE_IRI = "urn:glose:article:"
CODER_IRI = "urn:glose:coder:"
REFI_NS = "urn:QDA-XML:project:1.0"
# Glose's own terms, so that JSON-LD processors keep them (a term in no context is dropped).
GLOSE_CONTEXT = {
    "glose": GLOSE_NS,
    "color": "glose:color",
    "description": "glose:description",
}
GLOSE_USER = guid("user", "glose")  # the REFI-QDA user that is Glose itself, never a coder
GENERATOR = {"id": "urn:glose", "type": "Software", "name": f"Glose {__version__}"}


@dataclass
class ArticleInfo:
    id: str
    title: str
    date: str | None = None
    source: str | None = None
    text: str | None = None  # canonical text, when the file is there
    hash: str | None = None
    author: str | None = None  # from the file's metadata block (glose add)


@dataclass
class ExportData:
    annotations: list[Annotation]
    tags: list[Tag]
    articles: dict[str, ArticleInfo]
    notes: list[str] = field(default_factory=list)  # what the user should know (left out...)
    offsets: str = "codepoints"  # or "utf16": positions as tools that count UTF-16 units read them

    def position(self, article: str, offset: int) -> int:
        """An offset as the export counts it (UTF-16 units: one more per astral character
        before it, for NVivo and other tools that count so)."""
        if self.offsets != "utf16":
            return offset
        info = self.articles.get(article)
        text = info.text if info is not None and info.text is not None else ""
        return offset + sum(1 for c in text[:offset] if ord(c) > 0xFFFF)


@lru_cache(maxsize=65536)
def article_iri(article_id: str) -> str:
    return ARTICLE_IRI + url_quote(article_id, safe="/")


def creator(coder: str) -> dict:
    """The coder as the Web Annotation model's ``creator``: an Agent (``foaf:Person``) with an
    IRI and a ``name``."""
    return {"id": CODER_IRI + url_quote(coder, safe=""), "type": "Person", "name": coder}


def article_from_iri(iri: str) -> str | None:
    from urllib.parse import unquote

    return unquote(iri[len(ARTICLE_IRI) :]) if iri.startswith(ARTICLE_IRI) else None


@lru_cache(maxsize=65536)
def _cached_guid(kind: str, key: str) -> str:
    return guid(kind, key)


# --- markdown ------------------------------------------------------------------------------


def to_markdown(data: ExportData) -> str:
    out = [
        "# Annotations",
        "",
        f"Exported by Glose {__version__} on {now()[:10]}: {counted(len(data.annotations), 'annotation')}.",
        "",
    ]
    for article_id, anns in _by_article(data.annotations):
        info = data.articles.get(article_id) or ArticleInfo(article_id, article_id)
        out.append(f"## {markdown_text(' '.join(info.title.split()))}")
        out.append("")
        facts = [markdown_code(article_id)] + [
            markdown_text(x) for x in (info.date, info.source, info.author) if x
        ]
        out.append(" · ".join(facts))
        out.append("")
        for ann in anns:
            for line in ann.exact.split("\n"):
                out.append("> " + markdown_text(line) if line.strip() else ">")
            out.append("")
            details = []
            if ann.tags:
                details.append("Tags: " + ", ".join(markdown_code(t) for t in ann.tags))
            details.append(f"{ann.start}–{ann.end}")
            if ann.coder:
                details.append("by " + markdown_text(ann.coder))
            if ann.status != "anchored":
                details.append(f"**{ann.status}**")
            details.append(markdown_code(ann.id[:8]))
            out.append(" · ".join(details))
            out.append("")
            if ann.note:
                out.extend(markdown_text(ann.note).split("\n"))
                out.append("")
    return "\n".join(out).rstrip() + "\n"


def _by_article(anns: list[Annotation]):
    current: list[Annotation] = []
    for ann in anns:
        if current and current[0].article != ann.article:
            yield current[0].article, current
            current = []
        current.append(ann)
    if current:
        yield current[0].article, current


# --- csv -----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "article",
    "title",
    "start",
    "end",
    "quote",
    "tags",
    "note",
    "created",
    "updated",
    "status",
    "coder",  # last: the columns before it keep their places
)


def to_csv(data: ExportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for ann in data.annotations:
        info = data.articles.get(ann.article)
        row = (
            ann.id,
            ann.article,
            info.title if info else ann.article,
            ann.start,
            ann.end,
            ann.exact,
            ";".join(ann.tags),
            ann.note,
            ann.created,
            ann.updated,
            ann.status,
            ann.coder,
        )
        writer.writerow([csv_cell(c) if isinstance(c, str) else c for c in row])
    return buffer.getvalue()


# --- W3C Web Annotation --------------------------------------------------------------------


def annotation_to_w3c(ann: Annotation, data: ExportData | None = None) -> dict:
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in ann.tags]
    if ann.note:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": ann.note, "format": "text/plain"}
        )
    quote = {"type": "TextQuoteSelector", "exact": ann.exact, "prefix": ann.prefix, "suffix": ann.suffix}
    # An orphan's old offsets no longer describe the segment, and every selector of a target
    # MUST describe the same segment: orphans keep only their quote.
    selectors = (
        [quote]
        if ann.status == "orphaned"
        else [
            {
                "type": "TextPositionSelector",
                "start": data.position(ann.article, ann.start) if data else ann.start,
                "end": data.position(ann.article, ann.end) if data else ann.end,
            },
            quote,
        ]
    )
    item = {
        "id": f"urn:uuid:{ann.id}",
        "type": "Annotation",
        "motivation": "commenting" if ann.note else ("tagging" if ann.tags else "highlighting"),
        "created": ann.created,
        "modified": ann.updated,
        **({"creator": creator(ann.coder)} if ann.coder else {}),
        "generator": GENERATOR,
        "target": {"source": article_iri(ann.article), "selector": selectors},
        "glose:article": ann.article,
        "glose:articleHash": ann.article_hash,
        "glose:status": ann.status,
    }
    if bodies:
        item["body"] = bodies
    if ann.old_start is not None:
        item["glose:previousPosition"] = [ann.old_start, ann.old_end]
    return item


def to_w3c(data: ExportData) -> dict:
    ids = ",".join(a.id for a in data.annotations)
    collection_id = f"urn:uuid:{guid('collection', ids)}"
    return {
        "@context": [W3C_CONTEXT, GLOSE_CONTEXT],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Glose annotations",
        "total": len(data.annotations),
        "glose:codebook": [
            {"name": t.name, "color": t.color, "description": t.description} for t in data.tags
        ],
        "first": {
            "id": f"urn:uuid:{guid('page', ids)}",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": [annotation_to_w3c(a, data) for a in data.annotations],
        },
    }


def to_json(data: ExportData) -> str:
    """The collection, indented, with one annotation per line: readable, diffable, and
    written by the C encoder (an indented dump of 100,000 annotations takes seconds more)."""
    collection = to_w3c(data)
    items = collection["first"]["items"]
    collection["first"]["items"] = "\0items\0"
    skeleton = json.dumps(collection, ensure_ascii=False, indent=2)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per item
    body = ",\n".join(map(encode, items))
    text = skeleton.replace('"\\u0000items\\u0000"', "[\n" + body + "\n]" if items else "[]")
    return json_text(text) + "\n"  # a terminal may show it: controls as \u escapes


# --- REFI-QDA ------------------------------------------------------------------------------


def to_qdpx(data: ExportData) -> bytes:
    user = GLOSE_USER  # the project's creator
    coders = {c: guid("user", "coder:" + c) for c in sorted({a.coder for a in data.annotations} - {""})}
    stamp = _refi_time(now())
    tag_by_key = {t.name.casefold(): t for t in data.tags}
    used = sorted(
        {t for a in data.annotations for t in a.tags} | {t.name for t in data.tags}, key=str.casefold
    )
    names = refi_code_names(used)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<Project xmlns="{REFI_NS}"{_attr(name="Glose export", origin=_origin(data), creatingUserGUID=user, creationDateTime=stamp)}>',
        f"  <Users><User{_attr(guid=user, name='glose')}/>"
        + "".join(f"<User{_attr(guid=g, name=c)}/>" for c, g in coders.items())
        + "</Users>",
    ]
    if names:
        lines.append("  <CodeBook><Codes>")
        children: dict[str, list[str]] = {}
        for path in sorted(names, key=str.casefold):
            children.setdefault(path.rsplit("/", 1)[0] if "/" in path else "", []).append(path)
        lines.extend(_refi_codes(children, names, tag_by_key, depth=2))
        lines.append("  </Codes></CodeBook>")
    placed = [a for a in data.annotations if a.status != "orphaned"]
    left_out = len(data.annotations) - len(placed)
    if left_out:
        data.notes.append(
            f"{counted(left_out, 'orphaned annotation')} left out of the .qdpx: they have no place in the current text"
        )
    files: dict[str, str] = {}
    sources = []
    for article_id, anns in _by_article(placed):
        info = data.articles.get(article_id)
        if info is None or info.text is None:
            data.notes.append(
                f"{counted(len(anns), 'annotation')} of {article_id} left out: the file is missing"
            )
            continue
        source_guid = guid("article", article_id)
        files[f"sources/{source_guid}.txt"] = info.text
        sources.append(
            f"    <TextSource{_attr(guid=source_guid, name=article_id, plainTextPath=f'internal://{source_guid}.txt', creatingUser=user, creationDateTime=stamp)}>"
        )
        sources.append(f"      <Description>{xml_text(info.title)}</Description>")
        for ann in anns:
            created, updated = _refi_time(ann.created), _refi_time(ann.updated)
            by = coders.get(ann.coder, user)  # who coded it (Glose for annotations older than coders)
            sources.append(
                f"      <PlainTextSelection{_attr(guid=ann.id, name=ann.exact, startPosition=data.position(article_id, ann.start), endPosition=data.position(article_id, ann.end), creatingUser=by, creationDateTime=created, modifyingUser=by, modifiedDateTime=updated)}>"
            )
            if ann.note:
                sources.append(f"        <Description>{xml_text(ann.note)}</Description>")
            for tag in ann.tags:
                sources.append(
                    f"        <Coding{_attr(guid=guid('coding', ann.id + '/' + tag.casefold()), creatingUser=by, creationDateTime=created)}>"
                    f"<CodeRef{_attr(targetGUID=_cached_guid('tag', tag.casefold()))}/></Coding>"
                )
            sources.append("      </PlainTextSelection>")
        sources.append("    </TextSource>")
    if sources:
        lines.append("  <Sources>")
        lines.extend(sources)
        lines.append("  </Sources>")
    lines.append("</Project>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", "\n".join(lines) + "\n")
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))  # UTF-8, no BOM, LF: offsets hold
    return buffer.getvalue()


def _origin(data: ExportData) -> str:
    """``Glose 0.1.0``, saying so when positions count UTF-16 units (Glose reads it back)."""
    return f"Glose {__version__}" + (" (UTF-16 offsets)" if data.offsets == "utf16" else "")


def _refi_time(stamp: str) -> str:
    """``2026-11-23T12:00:00.123Z`` → ``2026-11-23T12:00:00Z`` (what REFI readers parse)."""
    return stamp[:19] + "Z" if stamp else _refi_time(now())


def render(data: ExportData, fmt: str, *, offsets: str = "codepoints") -> bytes:
    data.offsets = offsets
    if fmt == "markdown":
        return to_markdown(data).encode("utf-8")
    if fmt == "csv":
        return to_csv(data).encode("utf-8")
    if fmt == "json":
        return to_json(data).encode("utf-8")
    if fmt == "qdpx":
        return to_qdpx(data)
    if fmt == "qdc":
        return to_qdc(data.tags)
    raise ValueError(f"unknown format {fmt!r}")


_NOT_A_FILE = {
    stat.S_IFLNK: "a symbolic link (Glose never writes through a link: name the file it points to)",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFDIR: "a folder",
}


FORMAT_OF_SUFFIX = {suffix: fmt for fmt, suffix in SUFFIXES.items()} | {
    ".markdown": "markdown",
    ".json": "json",
}


def format_of(path: Path) -> str | None:
    """The export format a file name asks for (``notes.csv`` → ``csv``), if any."""
    return FORMAT_OF_SUFFIX.get(path.suffix.lower())


def fresh_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2``, ``stem-3``… when taken: a second export the same
    day never replaces the first."""
    path = folder / f"{stem}{suffix}"
    n = 2
    while os.path.lexists(path):
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` sets it, which would race
    with other threads creating files)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def write_file(path: Path, payload: bytes, *, make_folder: bool = False) -> None:
    """Write beside the target then rename: an interrupted export leaves no half file. A
    regular file is replaced (keeping its permissions), a missing one created as any program
    creates files (0666 less the umask, not the 0600 of a temporary file); anything else (a
    symbolic link, a FIFO, a socket, a device, a folder) is refused, since the rename would
    replace it rather than write to it. A missing folder is an error (a typo must not create
    ``/nonexistent/dir/``) unless ``make_folder`` (the reader's default ``exports/``)."""
    tmp = None
    try:
        mode = 0o666 & ~_umask()
        with contextlib.suppress(FileNotFoundError):
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                what = _NOT_A_FILE.get(stat.S_IFMT(st.st_mode), "not a regular file")
                raise GloseError(f"will not write {path}: it is {what}")
            mode = stat.S_IMODE(st.st_mode)
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise GloseError(f"cannot write {path}: the folder {path.parent} does not exist")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise GloseError(f"cannot write {path}: {exc.strerror or exc}") from None
