"""What an annotation and a tag are, and the rules their values obey.

Shared by the store (which persists them), the journal (which records their changes), the
formats (which read and write them) and the front ends (which show them). No I/O here: a
value that breaks a rule is refused with a :class:`StoreError` before anything is written.
"""

from __future__ import annotations

import getpass
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from .errors import GloseError
from .sanitize import stored, strip_controls
from .text.anchoring import Location, Selector, relocate, select

STATUSES = ("anchored", "moved", "fuzzy", "unverified", "orphaned")
REVIEW_STATUSES = ("moved", "fuzzy", "unverified", "orphaned")

# Mid-tone colors that read on dark and light backgrounds (Tableau 10, slightly deepened).
PALETTE = (
    ("blue", "#4E79A7"),
    ("orange", "#F28E2B"),
    ("red", "#E15759"),
    ("teal", "#4BA3A0"),
    ("green", "#59A14F"),
    ("yellow", "#D4B02A"),
    ("purple", "#B07AA1"),
    ("pink", "#E8738A"),
    ("brown", "#9C755F"),
    ("grey", "#8C8C8C"),
    ("olive", "#8A9A2B"),
    ("indigo", "#6C6FCF"),
)
NO_TAG_COLOR = "#8C8C8C"
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TAG_MAX = 120  # characters per level: a codebook from another tool nests as deep as it likes
TAG_PATH_MAX = 2000  # the whole path, only so that a name cannot be a megabyte


class StoreError(GloseError):
    """A change the store refuses (unknown id, invalid tag, locked database...)."""


def now() -> str:
    """UTC ISO 8601 with milliseconds and a Z, as every timestamp in the store."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def default_coder() -> str:
    """The OS user: who codes when nobody said (``GLOSE_CODER`` or ``coder`` in glose.toml)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no user name in the environment (some containers)
        return os.environ.get("USER") or "unknown"


# --- tags ----------------------------------------------------------------------------------


def clean_tag(name: str) -> str:
    """A tag name as stored: NFC, trimmed, one space inside, ``/`` separating levels.

    Refuses (with a message) empty names, empty levels and control characters, rather than
    silently storing something other than what was typed.
    """
    if not isinstance(name, str):
        raise StoreError("a tag name must be text")
    name = stored(name)
    if _CONTROL.search(name):
        raise StoreError(f"tag names cannot contain control characters: {name!r}")
    parts = [" ".join(p.split()) for p in unicodedata.normalize("NFC", name).split("/")]
    if not any(parts):
        raise StoreError("a tag name cannot be empty")
    if not all(parts):
        raise StoreError(f"tag '{name.strip()}' has an empty level (use a/b, not a//b or /a)")
    cleaned = "/".join(parts)
    if any(len(p) > TAG_MAX for p in parts):
        raise StoreError(f"each level of a tag name is at most {TAG_MAX} characters")
    if len(cleaned) > TAG_PATH_MAX:
        raise StoreError(f"tag names are at most {TAG_PATH_MAX} characters")
    return cleaned


COMMA_IN_FOREIGN_TAG = "\u201a"  # ‚ (a low quotation mark that looks like a comma)


def new_tag_name(name: str) -> str:
    """A name for a tag being created or renamed: a clean tag without a comma, since the
    reader's tag field is comma-separated (``a,b`` typed there is two tags). Existing tags
    that hold one (made before this rule) still work and can be renamed."""
    cleaned = clean_tag(name)
    if "," in cleaned:
        raise StoreError(
            f"tag names cannot contain a comma ({cleaned!r}): the reader separates tags with commas"
        )
    return cleaned


def foreign_tag(name: str) -> str:
    """A tag name from another tool's file, whose codes may hold commas: each becomes ``‚``,
    which reads the same and is not a separator (as a ``/`` in a code's name becomes ``∕``)."""
    return clean_tag(name.replace(",", COMMA_IN_FOREIGN_TAG))


def tag_key(name: str) -> str:
    """Case-insensitive identity of a tag (``Réaction`` and ``réaction`` are one tag)."""
    return clean_tag(name).casefold()


def clean_color(color: str) -> str:
    named = dict(PALETTE)
    value = color.strip().lower()
    if value in named:
        return named[value]
    if _HEX.match(value):
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.upper()
    names = ", ".join(n for n, _ in PALETTE)
    raise StoreError(f"invalid color '{color}': use #RRGGBB or one of {names}")


def clean_note(note: str | None) -> str:
    """Notes keep their lines and tabs; other control characters and escapes are removed, a
    lone surrogate becomes U+FFFD (:func:`tui.sanitize.stored`: the store encodes UTF-8)."""
    if note is None:
        return ""
    note = stored(note.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", strip_controls(note))


def clean_line(value: str) -> str:
    """A one-line value (a title, a source): a note's cleaning, white space folded."""
    return " ".join(clean_note(value).split())


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    color: str
    description: str = ""
    count: int = 0  # live annotations carrying it
    articles: int = 0


MEMO_KINDS = ("project", "article", "tag")


@dataclass(frozen=True, slots=True)
class Memo:
    """A coder's memo on the project (``target`` ""), an article (its id) or a tag (its name):
    the researcher's writing beside the coding, any length, plain text with light Markdown.
    ``version`` is what a save compares, so a change made meanwhile is never overwritten."""

    kind: str
    target: str
    text: str
    coder: str
    created: str
    updated: str
    version: int = 1

    def to_json(self) -> dict:
        """The ``glose memos --json`` shape (the project's target is null)."""
        return {
            "kind": self.kind,
            "target": self.target if self.kind != "project" else None,
            "text": self.text,
            "coder": self.coder,
            "created": self.created,
            "updated": self.updated,
        }


def tag_colors(tags: list[Tag]) -> dict[str, str]:
    """Tag key → color, for whoever paints annotations."""
    return {t.name.casefold(): t.color for t in tags}


# --- annotations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    article: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    article_hash: str
    note: str = ""
    status: str = "anchored"
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    deleted: str | None = None
    old_start: int | None = None  # where it was before the last move, for review
    old_end: int | None = None
    old_exact: str | None = None  # the quote before a fuzzy re-anchoring changed it
    version: int = 0  # bumped by every journaled change (0: never stored)
    # The selector the user made (and the hash of the text it was made on), kept forever:
    # re-anchoring looks for it and stores what it finds in the fields above.
    made_start: int | None = None
    made_end: int | None = None
    made_exact: str | None = None
    made_prefix: str | None = None
    made_suffix: str | None = None
    made_hash: str | None = None
    # Who made it (the coder's name; "" for annotations from before coders were recorded).
    # Agreement compares coders' annotations, so a merge never gives one coder's to another.
    coder: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def selector(self) -> Selector:
        """Where it is now (the placement)."""
        return Selector(self.start, self.end, self.exact, self.prefix, self.suffix)

    @property
    def made(self) -> Selector:
        """What the user made (the placement, for an annotation that never had another)."""
        if self.made_exact is None:
            return self.selector
        return Selector(
            self.made_start, self.made_end, self.made_exact, self.made_prefix or "", self.made_suffix or ""
        )

    def made_here(self) -> Annotation:
        """This annotation with its placement as the selector the user made (a new one, an
        accepted move, a re-attachment)."""
        return evolve(
            self,
            made_start=self.start,
            made_end=self.end,
            made_exact=self.exact,
            made_prefix=self.prefix,
            made_suffix=self.suffix,
            made_hash=self.article_hash,
        )

    def color(self, colors: dict[str, str]) -> str:
        """The color it is painted in: its first tag's."""
        return colors.get(self.tags[0].casefold(), NO_TAG_COLOR) if self.tags else NO_TAG_COLOR

    def placed(self, sel: Selector, article_hash: str, **changes) -> Annotation:
        """This annotation anchored on ``sel`` of the text whose hash is ``article_hash``."""
        return evolve(
            self,
            start=sel.start,
            end=sel.end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            article_hash=article_hash,
            **changes,
        )

    def placed_anew(self, text: str, article_hash: str, start: int, end: int, **changes) -> Annotation:
        """This annotation put on ``text[start:end]`` by the user (a re-attachment, a settled
        span): anchored there, nothing left to review, and that span is the one they made."""
        return self.placed(
            select(text, start, end),
            article_hash,
            status="anchored",
            old_start=None,
            old_end=None,
            old_exact=None,
            updated=now(),
            **changes,
        ).made_here()

    def orphaned(self, article_hash: str) -> Annotation:
        """Its text is gone (from the file, or the file is gone): no placement any more, so
        what it shows is the quote the user made, with its context; the last place it was
        seen is kept for review."""
        made = self.made
        if self.status == "orphaned":
            return replace(self, article_hash=article_hash)
        return replace(
            self,
            status="orphaned",
            exact=made.exact,
            prefix=made.prefix,
            suffix=made.suffix,
            old_start=self.start,
            old_end=self.end,
            article_hash=article_hash,
            updated=now(),
        )

    def to_json(self) -> dict:
        """The stable ``--json`` shape (documented in the README)."""
        return {
            "id": self.id,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "quote": self.exact,
            "tags": list(self.tags),
            "note": self.note,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "coder": self.coder,
        }


_ANNOTATION_SLOTS = Annotation.__slots__


def evolve(ann: Annotation, **changes) -> Annotation:
    """``dataclasses.replace`` for the hot paths (an import of 100,000 annotations): the same
    result without calling ``__init__`` through keyword arguments, about six times faster."""
    new = object.__new__(Annotation)
    setattr_ = object.__setattr__
    for name in _ANNOTATION_SLOTS:
        setattr_(new, name, changes[name] if name in changes else getattr(ann, name))
    return new


def new_annotation(
    article: str,
    text: str,
    article_hash: str,
    start: int,
    end: int,
    *,
    tags: tuple[str, ...],
    note: str | None,
    coder: str,
    stamp: str,
) -> Annotation:
    """A new annotation of ``text[start:end]`` (checked), not yet stored."""
    check_span(text, start, end)
    sel = select(text, start, end)
    return Annotation(
        id=str(uuid.uuid4()),
        article=article,
        start=start,
        end=end,
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        article_hash=article_hash,
        note=clean_note(note),
        tags=tags,
        created=stamp,
        updated=stamp,
        coder=coder,
    )


def check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise StoreError(f"offsets {start}-{end} are outside the article (0-{len(text)}) or empty")
    if not text[start:end].strip():
        raise StoreError(f"the span {start}-{end} holds only white space")


def relocated(before: Annotation, text: str, article_hash: str) -> Annotation:
    """``before`` placed in ``text``: found from the selector the user made, never from an
    earlier placement (a half-written file that cut a span cannot make the cut permanent).

    The status says what was checked: ``anchored`` (the made quote at the made place),
    ``moved`` (the made quote elsewhere), ``fuzzy`` (an edited quote), ``orphaned`` (not found:
    the placement stays as it was, the quote and note are kept). The text the annotation was
    made on puts it back exactly where it was made.
    """
    made = before.made
    if before.made_hash and article_hash == before.made_hash and text[made.start : made.end] == made.exact:
        where = Location(made.start, made.end, "anchored", 1.0)
    else:
        # Look near where it was last seen (files drift), for the quote that was made.
        hint = Selector(before.start, before.start + len(made.exact), made.exact, made.prefix, made.suffix)
        where = relocate(text, hint)
        if where.status == "orphaned" and (hint.start, hint.end) != (made.start, made.end):
            where = relocate(text, made)
    stamp = now()
    if where.status == "orphaned":
        return before.orphaned(article_hash)
    sel = select(text, where.start, where.end)
    if where.status == "fuzzy":
        status = "fuzzy"
    else:
        status = "anchored" if (where.start, where.end) == (made.start, made.end) else "moved"
    moved = (where.start, where.end) != (before.start, before.end) or before.status == "orphaned"
    back = status == "anchored"  # where it was made: nothing left to review
    return before.placed(
        sel,
        article_hash,
        status=status,
        old_start=None if back else (before.start if moved else before.old_start),
        old_end=None if back else (before.end if moved else before.old_end),
        old_exact=None if back or sel.exact == made.exact else made.exact,
        updated=stamp if moved or status != before.status else before.updated,
    )


# --- what a list of annotations shows ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnnotationFilter:
    """Which annotations a list shows: typed, so that a tag named ``review`` or ``*`` is a tag.

    ``scope`` is one of ``article`` (the open article's), ``all``, ``tag`` (with ``tag``),
    ``review`` (moved, fuzzy and orphaned), ``trash`` (deleted, to restore) or ``shared`` (the
    passages two open articles share, which are not annotations: the front end lists those
    itself).
    """

    scope: str = "article"
    tag: str | None = None
    article: str | None = None
    coders: tuple[str, ...] | None = None  # only these coders' annotations (None: everyone's)

    SCOPES = ("article", "all", "tag", "review", "trash", "shared")

    def __post_init__(self) -> None:
        if self.scope not in self.SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}")
        if self.scope == "tag" and not self.tag:
            raise ValueError("a tag filter needs a tag")

    @classmethod
    def of_tag(cls, name: str) -> AnnotationFilter:
        return cls("tag", tag=name)

    def title(self, count: int) -> str:
        title = self._title(count)
        if self.coders is not None:
            title += " by " + ", ".join(self.coders)
        return title

    def _title(self, count: int) -> str:
        if self.scope == "article":
            return (
                f"Annotations of this article ({count})" if self.article else "Annotations (open an article)"
            )
        if self.scope == "all":
            return f"All annotations ({count})"
        if self.scope == "review":
            return f"To review: moved and orphaned ({count})"
        if self.scope == "trash":
            return f"Trash: deleted annotations ({count}); R restores"
        if self.scope == "tag":
            return f"Tag {self.tag} ({count})"
        return f"Shared passages ({count})"
