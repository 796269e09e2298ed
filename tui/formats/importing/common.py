"""What every import reader shares: the items read from a file, the report, limits, the
checks of values that come from a file, and times read as instants."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

from ...errors import GloseError
from ...model import Annotation, StoreError, clean_line
from ...text.anchoring import Selector
from ...text.corpus import MAX_ARTICLE_BYTES
from ...wording import counted

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # decompressed in all, however often a member is used
MAX_MEMBERS = 20_000
# Elements in one XML document (counted as its "<" before it is parsed): a tree costs a few
# hundred bytes an element, and a project of 20,000 codings has about 100,000.
MAX_XML_ELEMENTS = 1_000_000
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
POSITION = re.compile(r"\+?[0-9]{1,12}")
# What reading one item of a file may raise: that item is skipped with the reason, never the
# whole import lost to a traceback.
ITEM_ERRORS = (ValueError, TypeError, KeyError, OverflowError, RecursionError, StoreError)


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
    verdict: str = "verified"  # verified | relocated | unverified: what checked the offsets
    match_key: bool = True  # may be merged with one of ours on the same span and tags
    coder: str = ""  # who made it, as the file says ("": the importer's coder)
    backup: object = None  # a Glose backup's state of it (``backup.Backup``): restored as it was
    deleted: str | None = None  # in the backup's trash since then

    def annotation(self, article: str, **fields) -> Annotation:
        """This item as an annotation of ``article`` at the selector the file gave; ``fields``
        say the rest (its status, the text's hash, the selector it was made on)."""
        sel = self.selector
        return Annotation(
            id=self.id,
            article=article,
            start=sel.start,
            end=sel.end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            note=self.note,
            tags=tuple(dict.fromkeys(self.tags)),
            created=self.created,
            updated=self.updated,
            deleted=self.deleted,
            coder=self.coder,
            **fields,
        )


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
    trashed: int = 0  # of those added, how many came from the file's trash (restorable)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    producer: str = ""  # the tool that wrote the file, as its origin says
    codes: int = 0  # codes read from a codebook
    codings: int = 0  # codings read (one passage may carry several)
    codings_left: int = 0  # codings of sources left out (each source listed as skipped)
    verified: int = 0  # selections whose text was checked
    relocated: int = 0  # ... found by their text, not where their offsets said
    unverified: int = 0  # ... that nothing could check (never said anchored)
    matched: int = 0  # annotations matched to ours by article, span and tags (not by id)
    sources_added: list[tuple[str, str]] = field(default_factory=list)  # (article id, text)
    notes: list[str] = field(default_factory=list)  # what else the user should know
    done: list[tuple[str, str, str]] = field(default_factory=list)  # (coder, article, when): a backup's
    variables: list[tuple[str, str, str]] = field(default_factory=list)  # (article, name, value) set by hand
    memos: list[tuple] = field(default_factory=list)  # (kind, target, coder, text, created, updated)

    def skip(self, what: str, reason: str) -> None:
        """Note an item left out; both strings may quote the file, so both are cleaned."""
        self.skipped.append((_short(clean_line(what)), clean_line(reason)))

    def summary(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {len(self.skipped)} skipped"
        if self.orphaned:
            text += f" ({self.orphaned} orphaned: see glose review)"
        return text

    def details(self) -> list[str]:
        """The lines that follow the summary: who wrote the file, how its offsets were checked,
        what was added to the corpus."""
        lines = []
        if self.producer:
            lines.append(f"from {self.producer}")
        if self.verified or self.relocated or self.unverified:
            codings = f"{counted(self.codings, 'coding')} on " if self.codings else ""
            passages = counted(self.verified + self.relocated + self.unverified, "passage")
            lines.append(
                f"{codings}{passages}: {self.verified} verified, "
                f"{self.relocated} relocated, {self.unverified} unverified"
            )
        if self.codings_left:
            lines.append(
                f"{counted(self.codings_left, 'coding')} left out with their sources (listed as skipped)"
            )
        if self.codes:
            lines.append(f"codebook: {self.codes} codes")
        if self.trashed:
            lines.append(
                f"{counted(self.trashed, 'annotation')} of them in the trash (glose annotations --deleted)"
            )
        if self.matched:
            lines.append(f"{self.matched} matched to existing annotations by article, span and tags")
        lines.extend(f"article added: {article}" for article, _ in self.sources_added)
        lines.extend(self.notes)
        return lines

    @property
    def taken(self) -> int:
        return self.added + self.updated + self.unchanged + self.codes

    def exit_code(self) -> int:
        """0: everything in the file was taken; 1: nothing was; 3: part of it (the skipped
        items are listed)."""
        if not self.skipped:
            return 0
        return 3 if self.taken else 1


def coder_name(value) -> str:
    """A coder's name from a file: one line, no controls, at most 200 characters."""
    return clean_line(value)[:200] if isinstance(value, str) else ""


def text_field(value) -> str:
    """A string field of the file, or "" when it holds something else."""
    return value if isinstance(value, str) else ""


def checked_offsets(start, end, what: str) -> tuple[int, int]:
    """Two offsets from the file, checked before they reach the store (whose CHECK constraint
    would fail the whole import without naming the item): JSON integers only (not true, not
    1.0, not Infinity), 0 <= start <= end <= MAX_OFFSET."""
    for value in (start, end):
        if type(value) is not int or not 0 <= value <= MAX_OFFSET:
            raise ValueError(f"{what} start and end are not offsets: {show(value)}")
    if start > end:
        raise ValueError(f"{what} start {start} is after its end {end}")
    return start, end


def show(value) -> str:
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


def item_times(created, modified) -> tuple[str, str, bool]:
    """(created, updated, dated) of an item: a copy without a time cannot be said to be newer,
    so it is marked undated (it never replaces one we have) and, when new, gets UNDATED."""
    made, changed = timestamp(created), timestamp(modified)
    updated = changed or made
    if updated is None:
        return UNDATED, UNDATED, False
    return made or updated, updated, True


def is_newer(item: Incoming, than: str | None) -> bool:
    """Whether the file's copy is newer than a copy updated at ``than`` (compared as instants;
    a local time we cannot read is no local edit: Glose stamps every edit with its own clock)."""
    if not item.dated:
        return False
    local = _instant(than)
    return local is None or _instant(item.updated) > local


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
        return article_name(name, ids)

    return match


def article_name(name: str, ids: set[str]) -> tuple[str, bool]:
    """(article id, placeable) for an article named by a file.

    A name holding control characters or escape sequences that is not one of this workspace's
    ids (a file name may hold a newline) cannot be stored as it is: it would reach terminals.
    We chose to keep the item as an orphan under the cleaned name (placeable False: it is not
    looked up, since the cleaned name is not what the file said) rather than skip it, so its
    tags and note are not lost and it waits in glose review to be re-attached."""
    if name in ids or not _CONTROL.search(name):
        return name, True
    return clean_line(name) or "?", False


def annotation_id(raw) -> str:
    """Our UUID for an annotation id: ``urn:uuid:X`` is X; any other IRI maps to a stable UUID."""
    if not isinstance(raw, str) or not raw:
        raise ValueError("the annotation has no id")
    text = raw.removeprefix("urn:uuid:").strip("{}")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, raw))
