"""Restoring a Glose backup exactly: each annotation's status, the selector the user made
(kept forever) apart from the placement re-anchoring found, the place and quote before the
last move, and the trash.

Glose's JSON export writes this state under its own terms (``export.backup_state``); its
``.qdpx`` carries the same JSON as an archive member (``BACKUP_MEMBER``) that other tools
ignore. An annotation comes back as it was when the article's text is the one it sat on;
otherwise it is re-anchored from the selector the user made, as Glose re-anchors after an
edit (``model.relocated``), and waits in ``glose review`` when it moved or is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import STATUSES, Annotation, relocated
from ...text.anchoring import Selector
from ...text.corpus import canonical_text
from .common import Incoming, checked_offsets, show, text_field, timestamp


@dataclass
class Backup:
    """What a backup says of an annotation beyond its target."""

    status: str
    made: Selector | None  # None: the user made the placement itself
    made_hash: str
    old_start: int | None = None
    old_end: int | None = None
    old_exact: str | None = None


def pair(item: dict, key: str) -> tuple[int, int] | None:
    """Two offsets under ``key`` (``[start, end]``), checked; None when absent."""
    if key not in item:
        return None
    value = item[key]
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError(f"{key} is not two offsets but {show(value)}")
    return checked_offsets(*value, f"{key}'s")


def read_backup(item: dict) -> Backup | None:
    """The state a Glose backup gives an annotation, or None when the item is not one of
    Glose's (no known ``glose:status``): it is then placed afresh."""
    status = item.get("glose:status")
    if status not in STATUSES:
        return None
    made, made_hash = None, ""
    raw = item.get("glose:made")
    if raw is not None:
        if not isinstance(raw, dict) or not isinstance(raw.get("selector"), list):
            raise ValueError(f"glose:made is not a selector but {show(raw)}")
        kinds = {s.get("type"): s for s in raw["selector"] if isinstance(s, dict)}
        position, quote = kinds.get("TextPositionSelector"), kinds.get("TextQuoteSelector")
        if position is None or quote is None or not text_field(quote.get("exact")).strip():
            raise ValueError("glose:made lacks its position or its quote")
        start, end = checked_offsets(position.get("start"), position.get("end"), "glose:made's")
        made = Selector(
            start,
            end,
            canonical_text(text_field(quote.get("exact"))),
            canonical_text(text_field(quote.get("prefix"))),
            canonical_text(text_field(quote.get("suffix"))),
        )
        made_hash = text_field(raw.get("glose:articleHash"))
    old = pair(item, "glose:previousPosition")
    quote = item.get("glose:previousQuote")
    return Backup(
        status,
        made,
        made_hash,
        old[0] if old else None,
        old[1] if old else None,
        canonical_text(quote) if isinstance(quote, str) else None,
    )


def deleted_time(item: dict, updated: str, in_trash: bool) -> str | None:
    """When an item of the trash was deleted (its ``glose:deleted``, else its last change)."""
    if not in_trash:
        return None
    return timestamp(item.get("glose:deleted")) or updated


def restore(item: Incoming, doc) -> Annotation:
    """The annotation as the backup holds it, in this workspace: exactly as it was on the
    text it sat on; re-anchored from the selector the user made on any other text; an
    orphan when the article is missing."""
    state, sel = item.backup, item.selector
    made = state.made or sel
    ann = item.annotation(
        doc.id if doc is not None else item.article,
        article_hash=item.article_hash or "",
        status=state.status,
        old_start=state.old_start,
        old_end=state.old_end,
        old_exact=state.old_exact,
        made_start=made.start,
        made_end=made.end,
        made_exact=made.exact,
        made_prefix=made.prefix,
        made_suffix=made.suffix,
        made_hash=state.made_hash if state.made is not None else (item.article_hash or ""),
    )
    if doc is None:
        return ann if ann.status == "orphaned" else ann.orphaned("")
    if ann.article_hash == doc.hash and (
        ann.status == "orphaned" or doc.text[ann.start : ann.end] == ann.exact
    ):
        return ann  # the very text it sat on
    return relocated(ann, doc.text, doc.hash)


def with_backup(selections: list[Incoming], saved: list[Incoming], matched: dict) -> list[Incoming]:
    """The selections a Glose ``.qdpx`` holds, each with the state its backup member gives
    it, and what only the member holds (orphans, annotations of files that were missing, the
    trash) on the articles the project's sources were matched to (``matched``: source name
    -> (article, placeable)). A selection that no longer says what its saved copy says (the
    project was edited elsewhere) is taken as the project has it."""
    by_id = {i.id: i for i in saved}
    out = []
    for sel in selections:
        copy = by_id.pop(sel.id, None)
        if copy is not None and copy.deleted is None and _agree(sel, copy):
            copy.article, copy.placeable = sel.article, sel.placeable
            copy.verdict, copy.match_key = sel.verdict, False
            sel = copy
        out.append(sel)
    for copy in by_id.values():
        if copy.article in matched:
            copy.article, copy.placeable = matched[copy.article]
        copy.match_key = False
        out.append(copy)
    return out


def _agree(sel: Incoming, copy: Incoming) -> bool:
    placed = copy.backup is not None and copy.backup.status != "orphaned"
    return (
        placed
        and (sel.selector.start, sel.selector.end) == (copy.selector.start, copy.selector.end)
        and {t.casefold() for t in sel.tags} == {t.casefold() for t in copy.tags}
        and sel.note == copy.note
    )
