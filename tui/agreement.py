"""Where coders disagree: the spans of an article that some coders coded with a tag and
others did not.

Every character of an article is a unit (the textbook unit of character-level agreement):
for one tag, each coder either covered it with an annotation so tagged or did not. The
spans where the coders do not all say the same are the disagreements a team settles; the
agreement measures count over the same units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .model import Annotation, tag_key


@dataclass(frozen=True, slots=True)
class Disagreement:
    """``[start, end)`` of ``article``: ``coded_by`` coded it with ``tag``, ``not_coded_by``
    did not. ``annotations`` are the ids of the annotations (so tagged) that touch it."""

    article: str
    start: int
    end: int
    tag: str
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]
    annotations: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "tag": self.tag,
            "coded_by": list(self.coded_by),
            "not_coded_by": list(self.not_coded_by),
            "annotations": list(self.annotations),
        }


Spans = dict[str, list[tuple[int, int, str]]]  # coder -> (start, end, annotation id)


def coverage(
    annotations: Iterable[Annotation], coders: Sequence[str], tags: Iterable[str] | None = None
) -> dict[tuple[str, str], Spans]:
    """For each (article, tag key): each coder's spans so tagged. Orphans have no place in
    the text and count for nobody; tags compare by name, case-insensitively."""
    wanted = None if tags is None else {tag_key(t) for t in tags}
    among = set(coders)
    found: dict[tuple[str, str], Spans] = defaultdict(lambda: defaultdict(list))
    for ann in annotations:
        if ann.coder not in among or ann.status == "orphaned" or ann.deleted or ann.end <= ann.start:
            continue
        for tag in ann.tags:
            key = tag_key(tag)
            if wanted is None or key in wanted:
                found[(ann.article, key)][ann.coder].append((ann.start, ann.end, ann.id))
    return found


def tag_names(annotations: Iterable[Annotation]) -> dict[str, str]:
    """Tag key -> the name as written (the first seen)."""
    names: dict[str, str] = {}
    for ann in annotations:
        for tag in ann.tags:
            names.setdefault(tag_key(tag), tag)
    return names


def pieces(spans: Spans, coders: Sequence[str]) -> list[tuple[int, int, frozenset[str]]]:
    """The article cut where any coder's coverage begins or ends: (start, end, who covers
    it), for the pieces somebody covers. Overlapping annotations of one coder count once."""
    bounds: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for coder in coders:
        for start, end, _ in spans.get(coder, ()):
            bounds[start].append((coder, 1))
            bounds[end].append((coder, -1))
    depth = dict.fromkeys(coders, 0)
    out: list[tuple[int, int, frozenset[str]]] = []
    points = sorted(bounds)
    for here, after in pairwise(points):
        for coder, step in bounds[here]:
            depth[coder] += step
        covered = frozenset(c for c, d in depth.items() if d > 0)
        if covered:
            out.append((here, after, covered))
    return out


def disagreements(
    annotations: Iterable[Annotation], coders: Sequence[str], tags: Iterable[str] | None = None
) -> list[Disagreement]:
    """Maximal spans, per article and tag, where some of ``coders`` coded and others did not
    (in article order, then position, then tag)."""
    annotations = list(annotations)
    names = tag_names(annotations)
    order = list(dict.fromkeys(coders))
    found: list[Disagreement] = []
    for (article, key), spans in coverage(annotations, order, tags).items():
        runs: list[list] = []
        for start, end, covered in pieces(spans, order):
            if len(covered) == len(order):
                continue
            if runs and runs[-1][1] == start and runs[-1][2] == covered:
                runs[-1][1] = end
            else:
                runs.append([start, end, covered])
        for start, end, covered in runs:
            touching = sorted({i for c in covered for s, e, i in spans[c] if s < end and e > start})
            found.append(
                Disagreement(
                    article,
                    start,
                    end,
                    names.get(key, key),
                    tuple(c for c in order if c in covered),
                    tuple(c for c in order if c not in covered),
                    tuple(touching),
                )
            )
    found.sort(key=lambda d: (d.article, d.start, d.end, tag_key(d.tag)))
    return found
