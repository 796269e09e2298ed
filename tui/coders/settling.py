"""Settling a disagreement between coders (see :mod:`tui.coders.agreement`): what adopting,
rejecting or merging it writes, computed from the article's annotations, without writing.

The store writes a :class:`Plan` as one journal event, so one undo takes it back. A plan
never gives one coder's annotation to another.

What adopting does for each coder who had not coded the span: where the first coder who did
has one unit (Krippendorff's uα counts overlapping annotations of a coder as one unit and
touching ones as two), they end with one unit too:

- their annotation with only that tag that touches the span, within that unit, is extended
  over it; several such (one on each side) are joined into one, the others going to the trash
  with their notes added to the one kept;
- an annotation of theirs that touches it with other tags too keeps its span and its other
  tags, and gives that tag to the unit (extending it would code the other tags on text
  nobody coded so);
- with nothing of theirs touching it, the span becomes a new annotation in their name.

What rejecting does to the annotations of the coders who coded the span:

- one lying within the span loses the tag (to the trash when it was its only tag);
- one with only that tag that goes beyond the span on one side is trimmed to what lies
  outside it (the rest of its coding agrees with the other coders);
- one that goes beyond the span on both sides, or beyond it with other tags, is refused with
  a message: cutting it in two, or taking the other tags off text nobody disputed, is a
  choice for a person (``e`` edits it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..model import Annotation, StoreError, check_span, new_annotation, now, tag_key
from ..wording import short

if TYPE_CHECKING:
    from .agreement import Disagreement


@dataclass(frozen=True)
class Plan:
    """What a settle writes: new annotations and changed ones (each from the version read)."""

    label: str
    made: list[Annotation] = field(default_factory=list)
    changed: list[Annotation] = field(default_factory=list)


def where(d: Disagreement) -> str:
    return f"[{d.tag}] {d.article} {d.start}-{d.end}"


def names(coders: Iterable[str]) -> str:
    return ", ".join(coders)


def _tagged(ann: Annotation, tag: str) -> bool:
    return any(tag_key(t) == tag_key(tag) for t in ann.tags)


def _touching(d: Disagreement, anns: Iterable[Annotation]) -> list[Annotation]:
    by_id = {a.id: a for a in anns}
    return [by_id[i] for i in d.annotations if i in by_id and by_id[i].coder in d.coded_by]


def _units(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """A coder's units of one tag as uα counts them: overlapping annotations are one unit,
    touching ones stay two (see :func:`tui.coders.unitizing.segments`)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def adoption(d: Disagreement, anns: Iterable[Annotation], text: str, article_hash: str) -> Plan:
    """The coders who did not code the span get it, with the tag, so that where the first
    coder who did has one unit they have one too (see the module's rules)."""
    key, stamp = tag_key(d.tag), now()
    live = [a for a in anns if not a.deleted and a.status != "orphaned" and a.end > a.start]
    tagged = [a for a in live if _tagged(a, d.tag)]
    model = [(a.start, a.end) for a in tagged if a.coder == d.coded_by[0]]
    # the disputed span cut where the model coder's units meet (two touching units stay two)
    pieces = [(max(s, d.start), min(e, d.end), s, e) for s, e in _units(model) if s < d.end and e > d.start]
    made: list[Annotation] = []
    changed: dict[str, Annotation] = {}
    for coder in d.not_coded_by:
        for start, end, unit_start, unit_end in pieces or [(d.start, d.end, d.start, d.end)]:
            # the coder's annotations with the tag that touch this piece, within the same unit
            near = [
                a
                for a in (changed.get(a.id, a) for a in tagged if a.coder == coder)
                if not a.deleted
                and a.start <= end
                and a.end >= start
                and a.start < unit_end
                and a.end > unit_start
            ]
            lo, hi = min([start, *(a.start for a in near)]), max([end, *(a.end for a in near)])
            check_span(text, lo, hi)
            only = {a.id for a in near if {tag_key(t) for t in a.tags} == {key}}
            host = next((a for a in near if a.id in only), None)
            notes = [host.note] if host is not None and host.note else []
            for a in near:
                if a is host:
                    continue
                if a.id in only:  # joined into the host: its note goes with it
                    notes += [a.note] if a.note else []
                    changed[a.id] = replace(a, deleted=stamp, updated=stamp)
                else:  # other tags stay on their text; this one is the host's now
                    changed[a.id] = replace(
                        a, tags=tuple(t for t in a.tags if tag_key(t) != key), updated=stamp
                    )
            if host is None:
                made.append(
                    new_annotation(
                        d.article,
                        text,
                        article_hash,
                        lo,
                        hi,
                        tags=(d.tag,),
                        note=None,
                        coder=coder,
                        stamp=stamp,
                    )
                )
            else:
                changed[host.id] = host.placed_anew(text, article_hash, lo, hi, note="\n\n".join(notes))
    label = f"settle {where(d)}: adopt {names(d.coded_by)}'s coding for {names(d.not_coded_by)}"
    return Plan(label, made, list(changed.values()))


def rejection(d: Disagreement, anns: Iterable[Annotation], text: str, article_hash: str) -> Plan:
    """The coders who coded the span no longer do (see the module's rules)."""
    key, stamp, changed = tag_key(d.tag), now(), []
    for ann in _touching(d, anns):
        others = tuple(t for t in ann.tags if tag_key(t) != key)
        inside = d.start <= ann.start and ann.end <= d.end
        if inside and not others:
            changed.append(replace(ann, deleted=stamp, updated=stamp))
        elif inside:
            changed.append(replace(ann, tags=others, updated=stamp))
        elif others:
            raise StoreError(
                f"annotation {ann.id[:8]} “{short(ann.exact, 30)}” goes beyond the disputed span and "
                f"has other tags ({', '.join(others)}): edit it by hand (e); nothing was changed"
            )
        elif ann.start < d.start and ann.end > d.end:
            raise StoreError(
                f"annotation {ann.id[:8]} “{short(ann.exact, 30)}” goes on both sides of the disputed "
                "span: cutting it in two is for you to do (e, or delete and annotate); nothing was changed"
            )
        else:
            start, end = (d.end, ann.end) if ann.start >= d.start else (ann.start, d.start)
            check_span(text, start, end)
            changed.append(ann.placed_anew(text, article_hash, start, end))
    if not changed:
        raise StoreError(f"nothing to reject at {where(d)}: look again")
    return Plan(f"settle {where(d)}: reject {names(d.coded_by)}'s coding", changed=changed)


def merging(d: Disagreement, anns: Iterable[Annotation], text: str, article_hash: str) -> Plan:
    """Where coders coded overlapping spans with the tag (a boundary disagreement): every
    such annotation is set to their union, so they all agree."""
    coders = {*d.coded_by, *d.not_coded_by}
    candidates = [a for a in anns if a.coder in coders and _tagged(a, d.tag) and a.status != "orphaned"]
    group = {a.id: a for a in _touching(d, candidates)}
    if not group:
        raise StoreError(f"nothing to merge at {where(d)}: look again")
    lo, hi = min(a.start for a in group.values()), max(a.end for a in group.values())
    grown = True
    while grown:  # annotations overlapping the union join it, until none is left out
        grown = False
        for a in candidates:
            if a.id not in group and a.start < hi and a.end > lo:
                group[a.id] = a
                lo, hi, grown = min(lo, a.start), max(hi, a.end), True
    missing = [c for c in d.not_coded_by if not any(a.coder == c for a in group.values())]
    if missing:
        raise StoreError(
            f"{names(missing)} coded nothing overlapping with [{d.tag}] here: merging joins overlapping "
            "spans; adopt (+) or reject (-) instead"
        )
    changed = [
        a.placed_anew(text, article_hash, lo, hi) for a in group.values() if (a.start, a.end) != (lo, hi)
    ]
    label = f"settle {where(d)}: merge the spans of {names(sorted({a.coder for a in group.values()}))} into {lo}-{hi}"
    return Plan(label, changed=changed)


def settling_all(
    how: str,
    anns: Iterable[Annotation],
    coders: list[str],
    tags: list[str] | None,
    text: str,
    article_hash: str,
    find: Callable[..., list[Disagreement]],
) -> tuple[Plan, int, list[tuple[Disagreement, str]]]:
    """Every disagreement of one article (with ``tags``) adopted or rejected (``how``), as
    one plan, with how many were settled: each settle is planned on the annotations the ones before left, so that two
    settles of one annotation make one change. Those a person must settle (a rejection that
    would cut an annotation in two) are left, with the reason, and the rest is settled.
    ``find`` is :func:`tui.coders.agreement.disagreements`."""
    original = {a.id: a for a in anns}
    state = dict(original)
    made: set[str] = set()
    left: list[tuple[Disagreement, str]] = []
    seen: set[Disagreement] = set()
    while True:
        todo = [d for d in find(state.values(), coders, tags) if d not in seen]
        if not todo:
            break
        d = todo[0]
        seen.add(d)
        try:
            plan = (
                adoption(d, state.values(), text, article_hash)
                if how == "adopt"
                else rejection(d, state.values(), text, article_hash)
            )
        except StoreError as exc:
            left.append((d, str(exc)))
            continue
        for a in plan.made:
            made.add(a.id)
        for a in [*plan.made, *plan.changed]:
            state[a.id] = a
    settled = len(seen) - len(left)
    plan = Plan(
        f"settle {settled} disagreements: {how}",
        [state[i] for i in made if not state[i].deleted],
        [a for i, a in state.items() if i not in made and a is not original[i]],
    )
    return plan, settled, left
