"""Reading a whole file, and deciding what merging it writes (pure: the API writes it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from ...model import Annotation, StoreError, Tag, clean_color, clean_note, evolve, foreign_tag
from ...text.anchoring import relocate, select
from ...text.corpus import ArticleText
from .backup import restore
from .codebook import local, read_qdc
from .common import (
    MAX_FILE_BYTES,
    CodebookEntry,
    ImportRefused,
    ImportReport,
    Incoming,
    is_newer,
)
from .project import read_project
from .refi import open_qdpx, parse_xml
from .sources import Places, readable_name

# --- entry point ---------------------------------------------------------------------------


def read_file(
    path: Path,
    article_ids: Callable[[], Iterable[str]],
    *,
    hashes: Callable[[], dict[str, str]] = dict,
    match_only: bool = False,
    corpus=None,
    coders: Callable[[], Iterable[str]] = tuple,
) -> tuple[list[Incoming], list[CodebookEntry], ImportReport]:
    """Parse and check a whole file before anything is written. ``article_ids`` lists the
    workspace's articles (REFI-QDA sources are matched to them; an id holding control
    characters is kept only if it is one of them); ``hashes`` gives the article of each
    canonical text hash (sources are matched by content first). A source matching no article
    is listed in ``report.sources_added`` to be written under a folder named for the file,
    unless ``match_only``. ``corpus`` places foreign web annotations (see ``hypothesis``);
    ``coders`` lists the workspace's coders (a project's users returning are recognised)."""
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

    def places() -> Places:
        return Places.of(
            article_ids(),
            hashes=hashes,
            match_only=match_only,
            folder=readable_name(path.stem, "imported"),
            coders=coders,
        )

    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        root, members = open_qdpx(data, report)
        with members.archive:
            incoming, codebook = read_project(root, members, report, places())
    elif head.startswith(b"<") or data[:4] in (b"\xff\xfe<\x00", b"\xfe\xff\x00<"):  # XML, UTF-16 too
        root = parse_xml(data, path.name, report)
        if local(root.tag) == "CodeBook":
            incoming, codebook = [], read_qdc(root, report)
        elif local(root.tag) == "Project":
            incoming, codebook = read_project(root, None, report, places())
        else:
            raise ImportRefused(f"{path.name} is XML but neither a REFI-QDA Project nor a CodeBook")
    elif head.startswith((b"{", b"[")):
        from .hypothesis import read_web_annotations

        incoming, codebook = read_web_annotations(data, report, article_ids, corpus)
    else:
        raise ImportRefused(
            "not a Glose JSON export, W3C or Hypothesis JSON, "
            "nor a REFI-QDA project (.qdpx, .qde) or codebook (.qdc)"
        )
    return _one_per_id(incoming, report), codebook, report


def _one_per_id(incoming: list[Incoming], report: ImportReport) -> list[Incoming]:
    """The newest copy of each id: a file holding one twice (two exports pasted together, a
    hand edit) would otherwise write both, the second silently replacing the first."""
    chosen: dict[str, Incoming] = {}
    for item in incoming:
        kept = chosen.get(item.id)
        if kept is not None:
            report.skip(f"annotation {item.id}", "the file holds it more than once: the newest copy is used")
            if not is_newer(item, kept.updated if kept.dated else None):
                continue
        chosen[item.id] = item
    return list(chosen.values())


# --- merging -------------------------------------------------------------------------------


def plan(
    incoming: list[Incoming],
    codebook: list[CodebookEntry],
    existing: dict[str, Annotation],
    doc: Callable[[str], ArticleText | None],
    report: ImportReport,
    by_span: Callable[[str], list[Annotation]] | None = None,
    coder: str = "",
) -> tuple[list[Annotation], list[Tag]]:
    """What merging ``incoming`` writes: new annotations, and those whose copy in the file is
    newer than ours (``existing``, by id), each placed in the current text of its article
    (``doc`` reads it; None when the article is missing). An annotation the file gives no
    coder is ``coder``'s (who imports); one we have keeps its coder whatever the file says,
    and another coder's coding of the same span is added beside ours, never merged into it.
    Pure: the caller writes the result."""
    writes: list[Annotation] = []
    spans: dict[str, dict] = {}
    taken: set[str] = {i.id for i in incoming}  # ids the file gives: never matched by span
    for item in incoming:
        unnamed = not item.coder  # the file does not say who: any coder's same coding is it
        if unnamed:
            item = replace(item, coder=coder)
        current = existing.get(item.id)
        if current is None and by_span is not None and item.match_key:
            # (two in the file on one span: ours is matched once)
            current = _same_span(item, by_span, spans, doc, taken, anyone=unnamed)
            if current is not None:
                report.matched += 1
                item = replace(item, id=current.id)
        taken.add(item.id)
        if current is not None and not _replaces(item, current, report):
            continue
        anchored = _anchor(item, doc(item.article) if item.placeable else None)
        if current is not None and _says_the_same(anchored, current):
            report.unchanged += 1  # a newer copy that changes nothing (a round trip) writes nothing
            continue
        if current is not None:
            # the trash is ours, not the file's; and who made it never changes
            anchored = replace(anchored, deleted=current.deleted, coder=current.coder)
            report.updated += 1
        else:
            report.added += 1
            report.trashed += anchored.deleted is not None
        if anchored.status == "orphaned":
            report.orphaned += 1
        writes.append(anchored)
    tags: list[Tag] = []
    for entry in codebook:
        try:
            name = foreign_tag(entry.name)
        except StoreError as exc:
            report.skip(f"tag {entry.name!r}", str(exc))
            continue
        try:
            color = clean_color(entry.color) if entry.color else ""
        except StoreError:
            color = ""
        tags.append(Tag(name, color, clean_note(entry.description or "")))
    return writes, tags


def _says_the_same(new: Annotation, current: Annotation) -> bool:
    """Whether writing ``new`` over ``current`` would change what the annotation says: its
    place, status, note and tags (times aside)."""
    return (
        (new.article, new.start, new.end, new.status, new.note)
        == (current.article, current.start, current.end, current.status, current.note)
        and {t.casefold() for t in new.tags} == {t.casefold() for t in current.tags}
        and current.deleted is None
    )


def _same_span(item: Incoming, by_span, spans: dict, doc, taken: set, anyone: bool = False):
    """Ours on the same article, span and tags, by the same coder: a project coming back from
    another tool (which gave it a new id) updates it rather than adding it twice; another
    coder's identical coding is theirs (agreement counts it). When the file does not say who
    made it (``anyone``: a tool that lost the coder), it is ours of that span and tags: the
    importer's, else the only one. Spans compare where the item lands in the current text."""
    if not item.placeable:
        return None
    if item.article not in spans:
        index: dict = {}
        for ann in by_span(item.article):
            index.setdefault((ann.start, ann.end, frozenset(t.casefold() for t in ann.tags)), []).append(ann)
        spans[item.article] = index
    placed = _anchor(item, doc(item.article))
    if placed.status == "orphaned":
        return None
    key = (placed.start, placed.end, frozenset(t.casefold() for t in item.tags))
    free = [a for a in spans[item.article].get(key, []) if a.id not in taken]
    same = [a for a in free if a.coder == item.coder]
    if same or not anyone:
        return same[0] if same else None
    return free[0] if len(free) == 1 else None


def _replaces(item: Incoming, current: Annotation, report: ImportReport) -> bool:
    """Whether the file's copy replaces ours: only when it is newer. An undated copy never
    does; when it differs from ours it is listed as skipped, so that nothing is left out
    silently."""
    if item.dated or _same(item, current):
        if is_newer(item, current.updated):
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
    was checked against the quote; offsets that come without a quote are ``unverified``. A
    Glose backup's annotation is restored as it was (``backup.restore``)."""
    if item.backup is not None:
        return restore(item, doc)
    sel = item.selector
    base = item.annotation(doc.id if doc is not None else item.article, article_hash="", status="orphaned")
    base = evolve(base.made_here(), made_hash=item.article_hash or "")  # what the file says was made
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
    if item.verdict == "unverified" and where.status in ("anchored", "moved"):
        # offsets nothing could check: placed where they say, never said to be anchored
        return base.placed(placed, doc.hash, status="unverified")
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
