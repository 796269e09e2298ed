"""A REFI-QDA ``<Project>``: codes, sources, selections, notes and sets, every item taken
or listed as skipped with a reason.

- Selections are mapped onto the canonical text per producer and verified (``producers``).
- Selections of one span are one annotation with every code on them (NVivo and QualCoder
  write one selection per code), notes joined.
- Notes: a selection's ``Description`` and the notes it refers to (``NoteRef``) become its
  note; a ``Note`` holding a ``PlainTextSelection`` (QualCoder's text annotations) becomes an
  annotation of its own.
- Memos: the project's ``Description`` and the notes it refers to, and the journals (notes
  nothing refers to, QualCoder's), become the project memo (a journal under its name as a
  heading); a source's ``Description`` (QualCoder's source memo) and the notes it refers to
  become its article's memo; the notes a code refers to become its tag's memo (a code's
  ``Description``, QualCoder's code memo, stays the tag's description). A Glose project's
  backup member brings its memos exactly instead.
- Cases, variables, links, graphs and non-text sources have no place in Glose: each is listed
  as skipped with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import clean_line, clean_note
from ...text.anchoring import select
from ...text.corpus import canonical_text
from ...wording import counted
from ..export import BACKUP_MEMBER, GLOSE_NAME, GLOSE_USER
from ..refi_codes import guid
from .backup import with_backup
from .codebook import guid_key, local, namespace, read_codes, read_sets
from .common import (
    ITEM_ERRORS,
    POSITION,
    ImportRefused,
    ImportReport,
    Incoming,
    annotation_id,
    coder_name,
    item_times,
    show,
    timestamp,
)
from .producers import Producer, SourceText, detect, place
from .refi_variables import source_values, variable_names
from .sources import Places
from .w3c import read_w3c

_NOT_KEPT = {
    "Cases": "cases have no place in Glose (the variables of each source are imported)",
    "Links": "links between items have no place in Glose",
    "Graphs": "graphs have no place in Glose",
}


def read_project(root, members, report: ImportReport, places: Places):
    """The annotations and the codebook a project holds. ``members`` reads the archive's
    files (None for a bare ``.qde``: sources must then carry their text inline)."""
    ns_uri = namespace(root.tag)
    if local(root.tag) != "Project" or not ns_uri.startswith("urn:QDA-XML:project"):
        raise ImportRefused("project.qde is not a REFI-QDA Project (urn:QDA-XML:project:1.0)")
    ns = "{" + ns_uri + "}"
    producer = detect(root.get("origin"))
    report.producer = producer.label
    notes = _notes(root, ns, members)
    codes = read_codes(root.find(f"{ns}CodeBook/{ns}Codes"), ns, report)
    read_sets(root.find(ns + "Sets"), ns, codes, report)
    report.codes = codes.count
    for child in root:
        what = local(child.tag)
        if what in _NOT_KEPT and len(child) and not (what == "Cases" and producer.name == "Glose"):
            report.skip(f"{len(child)} {what.lower()}", _NOT_KEPT[what])
    description = clean_note(root.findtext(ns + "Description") or "").strip()
    reader = _Reader(
        ns, members, producer, codes, notes, list(root.iterfind(f"{ns}Notes/{ns}Note")), places, report
    )
    reader.users = _users(root, ns, places.coders())
    reader.variables = {} if producer.name == "Glose" else variable_names(root, ns)  # Glose's: its backup
    incoming: list[Incoming] = []
    reader.single = sum(local(s.tag) == "TextSource" for s in root.iterfind(f"{ns}Sources/*")) == 1
    for source in root.iterfind(f"{ns}Sources/*"):
        if local(source.tag) != "TextSource":
            report.skip(
                f"{local(source.tag)} {source.get('name') or source.get('guid')}",
                "Glose reads text sources only" + _left_with(source, ns, report),
            )
            continue
        incoming.extend(reader.source(source))
    memos = reader.memos
    if description:
        memos.insert(0, ("project", "", "", description, "", ""))
    for tag, keys in codes.notes.items():
        memos += [reader.memo("tag", tag, key) for key in keys if key in notes]
    on_project = _refs(root, f"{ns}NoteRef")
    memos += [reader.memo("project", "", key) for key in notes if key in on_project]
    on_sources = _refs(root, f"{ns}Sources/*/{ns}NoteRef")
    for key, note in notes.items():
        if key in reader.used:
            continue
        if note.has_selection:
            report.skip(f"note {note.name or key}", "its passage's source is not named in the file")
        elif key in on_sources:
            report.skip(f"note {note.name or key}", "a note on a source Glose does not read")
        else:  # a journal: a part of the project memo, under its name
            memos.append(reader.memo("project", "", key, heading=True))
    if producer.name == "Glose" and members is not None:
        saved = saved_copies(members, report, places.ids)  # (its memos: the backup's, exactly)
        if saved is not None:
            incoming = with_backup(incoming, saved, reader.matched)
    if not report.memos:  # (a Glose backup's own memos, when it has them, are exact)
        report.memos = [m for m in memos if m[3].strip()]
    return incoming, codes.entries


def saved_copies(members, report: ImportReport, ids) -> list[Incoming] | None:
    """The annotations of a Glose ``.qdpx``'s backup member (None when it has none, or when
    it cannot be read: that is listed as skipped)."""
    info = members.members.get(BACKUP_MEMBER)
    if info is None:
        return None
    try:
        saved, _codebook = read_w3c(members.read(info), report, lambda: ids)
    except ImportRefused as exc:  # the project itself can still be read
        report.skip(BACKUP_MEMBER, f"{exc} (the project's selections are imported without it)")
        return None
    return saved


def _users(root, ns: str, known=()) -> dict[str, str]:
    """The project's users by guid: who coded each selection (``creatingUser``). A user Glose
    wrote is its coder whatever name it returns with (the guid is the coder's), and a name
    that is one of ``known`` (the workspace's coders, ignoring case and spaces) is that coder
    as spelled here. Glose itself codes nothing: its user, under its guid or (from a tool that
    writes new guids, as QualCoder does) its name, stands for no one."""
    by_guid = {guid("user", "coder:" + c): c for c in known if c}
    by_name = {_folded(c): c for c in known if c}
    found = {}
    for user in root.iterfind(f"{ns}Users/{ns}User"):
        key = guid_key(user.get("guid"))
        name = coder_name(user.get("name")) or coder_name(user.get("id"))
        if not key or key == GLOSE_USER:
            continue
        if key in by_guid:
            found[key] = by_guid[key]
        elif name and (_folded(name) != GLOSE_NAME or GLOSE_NAME in by_name):
            found[key] = by_name.get(_folded(name), name)
    return found


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _left_with(source, ns: str, report: ImportReport) -> str:
    """What a source left out takes with it, counted into the report: its codings (on its
    selections, its transcripts', its representation's, or on the whole source)."""
    selections = sum(local(e.tag).endswith("Selection") for e in source.iter())
    codings = sum(1 for _ in source.iter(ns + "Coding"))
    report.codings_left += codings
    if not selections and not codings:
        return ""
    return f": {counted(codings, 'coding')} on {counted(selections, 'selection')} with it"


def _refs(root, path: str) -> set[str]:
    return {guid_key(ref.get("targetGUID")) for ref in root.iterfind(path)}


@dataclass(frozen=True)
class _Note:
    text: str
    name: str
    has_selection: bool
    user: str  # the guid of who wrote it
    created: str
    updated: str


def _notes(root, ns: str, members=None) -> dict[str, _Note]:
    """Notes by guid: their text (inline, else the archive member ``plainTextPath`` names, as
    QualCoder writes a journal), name, whether they hold a selection, who wrote them, when."""
    found = {}
    for note in root.iterfind(f"{ns}Notes/{ns}Note"):
        raw = note.findtext(ns + "PlainTextContent") or note.findtext(ns + "Description") or ""
        if not raw.strip() and note.get("plainTextPath"):
            raw = _source_text(members, note, ns) or ""
        found[guid_key(note.get("guid"))] = _Note(
            clean_note(raw).strip(),
            clean_line(note.get("name") or ""),
            note.find(ns + "PlainTextSelection") is not None,
            guid_key(note.get("creatingUser")),
            timestamp(note.get("creationDateTime")) or "",
            timestamp(note.get("modifiedDateTime")) or timestamp(note.get("creationDateTime")) or "",
        )
    return found


def _source_text(members, source, ns) -> str | None:
    """A source's text as stored: an archive member (``internal://``; a bare relative path,
    as some tools write, is looked for in ``sources/`` too), or inline ``PlainTextContent``."""
    path = source.get("plainTextPath") or ""
    if path and members is not None and "://" not in path.removeprefix("internal://"):
        name = path.removeprefix("internal://").lstrip("/")
        found = members.text("sources/" + name)
        if found is not None or path.startswith("internal://"):
            return found
        return members.text(name)
    return source.findtext(ns + "PlainTextContent")


@dataclass
class _Reader:
    """Reads the sources of one project (what they share: the codebook, the notes, the
    producer's convention, the texts already read)."""

    ns: str
    members: object
    producer: Producer
    codes: object
    notes: dict
    note_elements: list
    places: Places
    report: ImportReport
    single: bool = False  # one text source: notes holding a selection are on it
    used: set = field(default_factory=set)  # notes taken
    users: dict = field(default_factory=dict)  # user guid -> name (the coders)
    memos: list = field(default_factory=list)  # (kind, target, coder, text, created, updated)
    texts: dict = field(default_factory=dict)  # id(raw text) -> (raw, SourceText)
    matched: dict = field(default_factory=dict)  # source name -> (article, placeable)
    variables: dict = field(default_factory=dict)  # variable guid -> name

    def selection(self, sel, text: SourceText, note_text: str = "") -> Incoming | None:
        return _selection_of(self, sel, text, note_text)

    def memo(self, kind: str, target: str, key: str, heading: bool = False) -> tuple:
        """A note as a memo on ``target``, by its writer (no one known: who imports)."""
        self.used.add(key)
        note = self.notes[key]
        text = f"## {note.name}\n\n{note.text}" if heading and note.name and note.text else note.text
        return (kind, target, self.users.get(note.user, ""), text, note.created, note.updated)

    def source(self, source) -> list[Incoming]:
        """The annotations of one ``TextSource``, one per span."""
        ns, producer, report = self.ns, self.producer, self.report
        path_name = (source.get("plainTextPath") or "").replace("\\", "/").rsplit("/", 1)[-1]
        name = (
            clean_line(source.get("name") or "")
            or clean_line(path_name)
            or guid_key(source.get("guid"))
            or "source"
        )
        raw = _source_text(self.members, source, ns)
        if raw is None:
            where = "the file" if self.members is None else "the archive"
            report.skip(
                name,
                f"its text is not in {where}"
                + (" (a bare .qde carries no sources)" if self.members is None else "")
                + _left_with(source, ns, report),
            )
            return []
        selections = source.findall(ns + "PlainTextSelection")
        if not canonical_text(raw).strip():
            report.skip(
                name,
                "its plain text in the archive is empty (the text is only in its rich-text file)"
                + _left_with(source, ns, report),
            )
            return []
        cache = self.texts.get(id(raw))
        if cache is None or cache[0] is not raw:
            cache = self.texts[id(raw)] = (raw, SourceText(raw))  # one member, many sources: once
        text = cache[1]
        text_hash = text.hash
        article, placeable, how = self.places.match(name, text.canonical, text_hash, report)
        self.matched[name] = (article, placeable)
        if how != "unmatched" and self.variables:
            report.variables += source_values(source, ns, self.variables, article, report)
        if how == "unmatched":
            report.notes.append(
                f"source {name}: no article has its text or its name (its annotations wait as orphans)"
            )
        memo = clean_note(source.findtext(ns + "Description") or "").strip()
        if (
            memo
            and producer.name != "Glose"
            and " ".join(memo.split()) not in " ".join(text.canonical.split())
        ):
            # (Glose writes the article's title there: a title is in the text, not a memo)
            by = self.users.get(guid_key(source.get("creatingUser")), "")
            self.memos.append(("article", article, by, memo, "", ""))
        if source.findall(ns + "Coding"):
            report.skip(
                f"{counted(len(source.findall(ns + 'Coding')), 'coding')} of the whole source {name}",
                "Glose codes passages only",
            )
        refs = {guid_key(r.get("targetGUID")) for r in source.findall(ns + "NoteRef")}
        spans: dict[tuple[int, int], Incoming] = {}
        report.codings += sum(len(sel.findall(ns + "Coding")) for sel in selections)
        for sel in selections:
            try:
                item = self.selection(sel, text)
            except ITEM_ERRORS as exc:
                report.skip(f"selection {sel.get('guid')}", str(exc) or type(exc).__name__)
                continue
            if item is not None:
                _gather(spans, item, article, placeable, text_hash, text.canonical, producer.name == "Glose")
        # QualCoder's text annotations: a Note holding a selection, referred to by its source.
        for note in (n for n in self.note_elements if guid_key(n.get("guid")) in refs or self.single):
            key = guid_key(note.get("guid"))
            if key in self.used or note.find(ns + "PlainTextSelection") is None:
                continue
            sel = note.find(ns + "PlainTextSelection")
            try:
                item = self.selection(sel, text, note_text=self.notes[key].text)
            except ITEM_ERRORS as exc:
                report.skip(f"note {key}", str(exc) or type(exc).__name__)
                continue
            self.used.add(key)
            if item is not None:
                item.id = annotation_id(note.get("guid"))
                item.coder = self.users.get(guid_key(note.get("creatingUser")), item.coder)
                created, updated, dated = item_times(
                    note.get("creationDateTime"), note.get("modifiedDateTime")
                )
                item.created, item.updated, item.dated = created, updated, dated
                _gather(spans, item, article, placeable, text_hash, text.canonical, producer.name == "Glose")
        for key in refs:  # the notes on the whole source: its article's memo
            if key in self.notes and key not in self.used and not self.notes[key].has_selection:
                self.memos.append(self.memo("article", article, key))
        for item in spans.values():
            setattr(report, item.verdict, getattr(report, item.verdict) + 1)
            item.match_key = producer.name != "Glose"  # Glose's own ids are kept: they decide
        return list(spans.values())


def _gather(
    spans, item: Incoming, article: str, placeable: bool, text_hash: str, text: str, by_id: bool = False
) -> None:
    """One annotation per span and coder: the codes of every selection on it, their notes
    joined (other tools write a selection per code; two coders' selections of one span stay
    two annotations). Glose's own files keep one per id (``by_id``): two annotations may
    share a span."""
    item.article, item.placeable, item.article_hash, item.source_text = article, placeable, text_hash, text
    key = item.id if by_id else (item.selector.start, item.selector.end, item.coder)
    kept = spans.get(key)
    if kept is None:
        spans[key] = item
        return
    kept.tags = list(dict.fromkeys([*kept.tags, *item.tags]))
    if item.note and item.note not in kept.note.split("\n\n"):
        kept.note = "\n\n".join(n for n in (kept.note, item.note) if n)
    order = ("verified", "relocated", "unverified")
    kept.verdict = min(kept.verdict, item.verdict, key=order.index)
    kept.updated = max(kept.updated, item.updated)


def _selection_of(reader: _Reader, sel, text: SourceText, note_text: str = "") -> Incoming | None:
    """One ``PlainTextSelection`` read: placed, checked, its codes and notes."""
    ns, producer, codes, notes, used, report = (
        reader.ns,
        reader.producer,
        reader.codes,
        reader.notes,
        reader.used,
        reader.report,
    )
    start, end = _position(sel, "startPosition"), _position(sel, "endPosition")
    where = place(text, producer, start, end, sel.get("name") or "")
    if where is None:
        raise ValueError(f"positions {start}-{end} are outside its source text")
    tags: list[str] = []
    for ref in sel.iter(ns + "CodeRef"):
        found = codes.tags_of(ref.get("targetGUID") or "")
        if not found:
            report.skip(
                f"a coding of selection {sel.get('guid')}",
                f"its code {show(ref.get('targetGUID'))} is not in the codebook",
            )
        tags.extend(found)
    note = clean_note(sel.findtext(ns + "Description") or "") or note_text  # as written: "\n" is a note
    for ref in sel.findall(ns + "NoteRef"):
        key = guid_key(ref.get("targetGUID"))
        if key in notes:
            used.add(key)
            note = "\n\n".join(n for n in (note, notes[key].text) if n)
    created, updated, dated = item_times(sel.get("creationDateTime"), sel.get("modifiedDateTime"))
    return Incoming(
        id=annotation_id(sel.get("guid")),
        article="",
        selector=select(text.canonical, where.start, where.end),
        article_hash=None,
        tags=list(dict.fromkeys(tags)),
        note=note,
        created=created,
        updated=updated,
        dated=dated,
        verdict=where.verdict,
        coder=reader.users.get(guid_key(sel.get("creatingUser")), ""),
    )


def _position(sel, name: str) -> int:
    value = sel.get(name)
    if value is None or not POSITION.fullmatch(value.strip(" \t\r\n")):
        raise ValueError(f"its {name} is {show(value) if value else 'missing'}, not a character position")
    return int(value.strip(" \t\r\n"))
