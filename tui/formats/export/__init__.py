"""Exporting annotations for the tools people open next.

- ``markdown``: per article, each annotation as a quote with its tags and note;
- ``csv``: one row per annotation, formula-looking cells neutralised for spreadsheets;
- ``json``: a W3C Web Annotation ``AnnotationCollection`` (JSON-LD);
- ``qdpx``: a REFI-QDA project (QualCoder, ATLAS.ti, MAXQDA, NVivo);
- ``qdc``: the codebook as a REFI-QDA Codebook (``tui.formats.refi_codes``).

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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote as url_quote

from ... import __version__
from ...errors import GloseError
from ...model import Annotation, Memo, Tag, now
from ...sanitize import csv_cell, json_text, markdown_code, markdown_text
from ...wording import counted
from ..refi_codes import guid, refi_code_names, to_qdc  # noqa: F401  (refi_code_names: public here)

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
GLOSE_NAME = "glose"  # ... and its name, which comes back under other tools' GUIDs
BACKUP_MEMBER = "glose/backup.jsonld"  # in a Glose .qdpx: the whole state, as the JSON export
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
    variables: dict[str, str | None] = field(default_factory=dict)  # every variable (lib.variables)
    by_hand: dict[str, str] = field(default_factory=dict)  # what was set by hand: backups restore it


@dataclass
class ExportData:
    annotations: list[Annotation]
    tags: list[Tag]
    articles: dict[str, ArticleInfo]
    notes: list[str] = field(default_factory=list)  # what the user should know (left out...)
    trash: list[Annotation] = field(default_factory=list)  # deleted ones: backups carry them
    done: list[tuple[str, str, str]] = field(default_factory=list)  # (coder, article, when) marks
    memos: list[Memo] = field(default_factory=list)  # the project's, articles' and tags' memos
    coder: str = ""  # who exports (the first REFI-QDA user: QualCoder codes as them)
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
def cached_guid(kind: str, key: str) -> str:
    return guid(kind, key)


# --- markdown ------------------------------------------------------------------------------


def to_markdown(data: ExportData) -> str:
    out = [
        "# Annotations",
        "",
        f"Exported by Glose {__version__} on {now()[:10]}: {counted(len(data.annotations), 'annotation')}.",
        "",
    ]
    from .memos import memos_markdown

    out += memos_markdown(data.memos, {a: i.title for a, i in data.articles.items()})
    for article_id, anns in by_article(data.annotations):
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


def by_article(anns: list[Annotation]):
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


def variable_columns(data: ExportData) -> list[str]:
    """The variables the exported articles have, built-in ones first (as ``lib.variables``
    lists them), then the user's, sorted."""
    names = dict.fromkeys(n for info in data.articles.values() for n in info.variables)
    return list(names)


def to_csv(data: ExportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    variables = variable_columns(data)
    # after the annotation's columns, the article's variables (a name the annotation's columns
    # already use, such as a variable called "note", is written var_note)
    writer.writerow([*CSV_COLUMNS, *(f"var_{v}" if v in CSV_COLUMNS else v for v in variables)])
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
            *((info.variables.get(v) or "") if info else "" for v in variables),
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
    item.update(backup_state(ann, utf16=data is not None and data.offsets == "utf16"))
    return item


def backup_state(ann: Annotation, *, utf16: bool = False) -> dict:
    """What a backup needs beyond the target to restore an annotation exactly (read back by
    ``importer.backup``), under Glose's own terms, in code points of the canonical text: where
    an orphan was last seen (its target holds only the quote), the place and quote before the
    last re-anchoring, the selector the user made when it is not the placement, and when it
    went to the trash. (``utf16``: the target counts UTF-16 units, so the place is said again in
    code points.)"""
    state: dict = {}
    if ann.status == "orphaned" or utf16:
        state["glose:position"] = [ann.start, ann.end]
    if ann.old_start is not None:
        state["glose:previousPosition"] = [ann.old_start, ann.old_end]
    if ann.old_exact is not None:
        state["glose:previousQuote"] = ann.old_exact
    made = ann.made
    if ann.made_exact is not None and (
        (made.start, made.end, made.exact, made.prefix, made.suffix, ann.made_hash or "")
        != (ann.start, ann.end, ann.exact, ann.prefix, ann.suffix, ann.article_hash)
    ):
        state["glose:made"] = {
            "selector": [
                {"type": "TextPositionSelector", "start": made.start, "end": made.end},
                {
                    "type": "TextQuoteSelector",
                    "exact": made.exact,
                    "prefix": made.prefix,
                    "suffix": made.suffix,
                },
            ],
            "glose:articleHash": ann.made_hash or "",
        }
    if ann.deleted:
        state["glose:deleted"] = ann.deleted
    return state


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
        # the trash: deleted annotations, restorable after an import (not items of the
        # collection: a tool that shows the collection must not show them as live)
        "glose:trash": [annotation_to_w3c(a, data) for a in data.trash],
        # the done marks (glose done): which articles each coder has coded, for agreement
        "glose:done": [{"coder": c, "article": article_iri(a), "at": at} for c, a, at in data.done],
        # each annotated article's variables, and what of them was set by hand (a backup
        # restores those where the article has none)
        "glose:variables": {
            article_iri(a): info.variables for a, info in data.articles.items() if info.variables
        },
        "glose:setByHand": {
            article_iri(a): info.by_hand for a, info in data.articles.items() if info.by_hand
        },
        # the memos (glose memo): the project's, each article's and each tag's, per coder
        "glose:memos": [m.to_json() for m in data.memos],
    }


def to_json(data: ExportData) -> str:
    """The collection, indented, with one annotation per line: readable, diffable, and
    written by the C encoder (an indented dump of 100,000 annotations takes seconds more)."""
    collection = to_w3c(data)
    items, trash = collection["first"]["items"], collection["glose:trash"]
    collection["first"]["items"], collection["glose:trash"] = "\0items\0", "\0trash\0"
    skeleton = json.dumps(collection, ensure_ascii=False, indent=2)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per item
    text = skeleton
    for key, listed in (("items", items), ("trash", trash)):
        body = ",\n".join(map(encode, listed))
        text = text.replace(f'"\\u0000{key}\\u0000"', "[\n" + body + "\n]" if listed else "[]")
    return json_text(text) + "\n"  # a terminal may show it: controls as \u escapes


def render(data: ExportData, fmt: str, *, offsets: str = "codepoints") -> bytes:
    data.offsets = offsets
    if fmt == "markdown":
        return to_markdown(data).encode("utf-8")
    if fmt == "csv":
        return to_csv(data).encode("utf-8")
    if fmt == "json":
        return to_json(data).encode("utf-8")
    if fmt == "qdpx":
        from .refi import to_qdpx

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


def _link_new(tmp: str, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if ``path`` does not exist (an atomic no-clobber rename:
    a hard link, then the temporary name removed). A file system without hard links gets a
    check then a rename, the best it allows."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise GloseError(f"{path} exists: give --force to replace it") from None
    except OSError:
        if os.path.lexists(path):
            raise GloseError(f"{path} exists: give --force to replace it") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def write_file(
    path: Path,
    payload: bytes | Callable[[BinaryIO], None],
    *,
    make_folder: bool = False,
    replace: bool = False,
) -> None:
    """Write beside the target then rename: an interrupted export leaves no half file (a
    ``payload`` that is a function writes into the open file: a report is streamed). An
    existing regular file is replaced only with ``replace`` (keeping its permissions: the
    reader asks for a second press, the CLI for ``--force``), and without it the new file is
    linked into place, which fails if another process created the name meanwhile, so nothing
    is ever replaced unasked. A missing file is created as any program
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
            if not replace:
                raise GloseError(f"{path} exists: give --force to replace it")
            mode = stat.S_IMODE(st.st_mode)
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise GloseError(f"cannot write {path}: the folder {path.parent} does not exist")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            if callable(payload):
                payload(fh)
            else:
                fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise GloseError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:  # a streamed payload that failed, an interrupt: no half file left
        _discard(tmp)
        raise


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
