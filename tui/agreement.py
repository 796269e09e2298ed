"""Where coders disagree: the spans of an article that some coders coded with a tag and
others did not.

Every character of an article is a unit (the textbook unit of character-level agreement):
for one tag, each coder either covered it with an annotation so tagged or did not. The
spans where the coders do not all say the same are the disagreements a team settles; the
agreement measures count over the same units, except Krippendorff's uα (``tui.unitizing``),
which compares the coders' passages as segments.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise

from .model import Annotation
from .model import tag_key as _tag_key
from .sanitize import csv_cell
from .unitizing import Unitizing, pooled_alpha, segments


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


# A corpus holds few tags and many annotations: each name is cleaned and folded once.
tag_key = lru_cache(maxsize=4096)(_tag_key)

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


# --- the measures --------------------------------------------------------------------------
#
# Units are the characters of the compared articles; for one tag each coder's value on a unit
# is 1 (covered by an annotation of theirs so tagged) or 0. Every coder values every unit (a
# character nobody coded is 0 for all), so there are no missing values. uα is summed beside,
# from each coder's segments of each article. docs/AGREEMENT.md gives the formulas and how
# they relate to QualCoder's and MAXQDA's figures.


@dataclass
class Tally:
    """How the units fall, for one tag or pooled over tags: ``by_k[k]`` units that exactly
    ``k`` coders coded, each coder's coded units, and for each pair of coders (by index) the
    units both coded, only the first, only the second. Sums of tallies pool units."""

    coders: tuple[str, ...]
    units: int = 0
    by_k: list[int] = field(default_factory=list)
    coded: list[int] = field(default_factory=list)
    pairs: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = len(self.coders)
        self.by_k = self.by_k or [0] * (m + 1)
        self.coded = self.coded or [0] * m
        self.pairs = self.pairs or {p: [0, 0, 0] for p in combinations(range(m), 2)}

    def add(self, units: int, covered: Iterable[tuple[int, frozenset[str]]]) -> None:
        """``units`` more units, of which each (length, coders) run is coded by those coders
        (the rest by nobody)."""
        index = {c: i for i, c in enumerate(self.coders)}
        self.units += units
        nobody = units
        for length, who in covered:
            on = sorted(index[c] for c in who if c in index)
            if not on:
                continue
            nobody -= length
            self.by_k[len(on)] += length
            for i in on:
                self.coded[i] += length
            for (i, j), counts in self.pairs.items():
                a, b = i in on, j in on
                if a or b:
                    counts[0 if a and b else 1 if a else 2] += length
        self.by_k[0] += nobody

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.coders,
            self.units + other.units,
            [a + b for a, b in zip(self.by_k, other.by_k, strict=True)],
            [a + b for a, b in zip(self.coded, other.coded, strict=True)],
            {p: [a + b for a, b in zip(c, other.pairs[p], strict=True)] for p, c in self.pairs.items()},
        )

    def percent(self) -> float | None:
        """Share of units on which every coder says the same."""
        if not self.units:
            return None
        return (self.by_k[0] + self.by_k[-1]) / self.units

    def pair(self, i: int, j: int) -> tuple[float | None, float | None]:
        """Percent agreement and Cohen's kappa of coders ``i`` and ``j``."""
        if i < j:
            both, first, second = self.pairs[(i, j)]
        else:
            both, second, first = self.pairs[(j, i)]
        n = self.units
        if not n:
            return None, None
        po = 1 - (first + second) / n
        p_i, p_j = (both + first) / n, (both + second) / n
        pe = p_i * p_j + (1 - p_i) * (1 - p_j)
        return po, (None if pe >= 1 else (po - pe) / (1 - pe))

    def fleiss(self) -> float | None:
        """Fleiss' kappa (with two coders: Scott's pi)."""
        m, n = len(self.coders), self.units
        if m < 2 or not n:
            return None
        pairs_agreeing = sum(c * (k * (k - 1) + (m - k) * (m - k - 1)) for k, c in enumerate(self.by_k))
        p_bar = pairs_agreeing / (n * m * (m - 1))
        p1 = sum(k * c for k, c in enumerate(self.by_k)) / (n * m)
        pe = p1 * p1 + (1 - p1) * (1 - p1)
        return None if pe >= 1 else (p_bar - pe) / (1 - pe)

    def alpha(self) -> float | None:
        """Krippendorff's alpha, nominal (binary), every unit valued by every coder:
        1 - (n - 1) · o₀₁ / (n₀ · n₁), with n = units × coders values, n₁ the 1s, and o₀₁ the
        0–1 coincidences, Σ over units of k(m - k)/(m - 1). None when nothing varies."""
        m = len(self.coders)
        n = self.units * m
        n1 = sum(k * c for k, c in enumerate(self.by_k))
        n0 = n - n1
        if m < 2 or not n0 or not n1:
            return None
        o01 = sum(c * k * (m - k) for k, c in enumerate(self.by_k)) / (m - 1)
        return 1 - (n - 1) * o01 / (n0 * n1)

    def kappa(self) -> float | None:
        """Cohen's kappa for two coders, Fleiss' for more."""
        return self.pair(0, 1)[1] if len(self.coders) == 2 else self.fleiss()


@dataclass(frozen=True)
class Measures:
    """The agreement on one tag (``tag`` None: pooled over every tag, units = character × tag).
    ``unitizing`` holds the sums of Krippendorff's uα for the tag (pooled: for every tag)."""

    tag: str | None
    tally: Tally
    unitizing: tuple[Unitizing, ...] = ()

    def to_json(self) -> dict:
        t = self.tally
        return {
            "tag": self.tag,
            "units": t.units,
            "percent": _rounded(t.percent()),
            "kappa": _rounded(t.kappa()),
            "fleiss_kappa": _rounded(t.fleiss()),
            "alpha": _rounded(t.alpha()),
            "alpha_u": _rounded(pooled_alpha(self.unitizing)),
            "alpha_u_units": sum(u.count() for u in self.unitizing),
            "coded": dict(zip(t.coders, t.coded, strict=True)),
            "coded_by_all": t.by_k[-1],
            "pairs": [
                {"coders": [t.coders[i], t.coders[j]], "percent": _rounded(p), "kappa": _rounded(k)}
                for i, j in t.pairs
                for p, k in [t.pair(i, j)]
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def measure(
    annotations: Iterable[Annotation],
    coders: Sequence[str],
    lengths: dict[str, int],
    tags: Iterable[str] | None = None,
) -> tuple[list[Measures], Measures]:
    """Agreement per tag and pooled, over every character of the articles in ``lengths``
    (article → length of its canonical text). The tags are those given, else every tag a
    coder used on those articles. Coverage is swept as runs between boundaries, never
    character by character: a corpus of thousands of articles costs its annotations."""
    order = tuple(dict.fromkeys(coders))
    annotations = [a for a in annotations if a.article in lengths]
    names = tag_names(annotations)
    found = coverage(annotations, order, tags)
    keys = (
        list(dict.fromkeys(tag_key(t) for t in tags)) if tags is not None else sorted({k for _, k in found})
    )
    if tags is not None:
        names = {tag_key(t): t for t in tags} | names  # as the coders wrote it, when they did
    per_tag: dict[str, Tally] = {k: Tally(order) for k in keys}
    unitized = {k: Unitizing(len(order)) for k in keys}
    blank = {k: Counter(lengths.values()) for k in keys}  # lengths of the articles nobody coded so
    for (article, key), spans in found.items():
        size = lengths[article]
        per_tag[key].add(size, [(min(e, size) - s, who) for s, e, who in pieces(spans, order) if s < size])
        unitized[key].add([segments([(s, e) for s, e, _ in spans.get(c, ())], size) for c in order], size)
        blank[key][size] -= 1
    rows = []
    for key in keys:
        for size, times in blank[key].items():  # units all the same: not coded by anyone
            per_tag[key].add(size * times, ())
            unitized[key].add_blank(size, times)
        rows.append(Measures(names.get(key, key), per_tag[key], (unitized[key],)))
    pooled = sum((m.tally for m in rows), Tally(order))
    overall = Measures(None, pooled, tuple(unitized[k] for k in keys))
    return sorted(rows, key=lambda m: tag_key(m.tag or "")), overall


@dataclass
class Agreement:
    """What ``glose agreement`` reports: the measures per tag and pooled, over the units of
    ``articles``, and the disagreements (with their article's title and the text they span)."""

    coders: tuple[str, ...]
    articles: tuple[str, ...]
    tags: list[Measures]
    overall: Measures
    disagreements: list[Disagreement]
    units: int = 0  # characters compared (each a unit of every tag)
    titles: dict[str, str] = field(default_factory=dict)
    quotes: list[str] = field(default_factory=list)  # the text of each disagreement
    notes: list[str] = field(default_factory=list)  # what the user should know (articles left out)

    def found(self) -> list[tuple[Disagreement, str, str]]:
        """Each disagreement with its article's title and its text."""
        return [
            (d, self.titles.get(d.article, d.article), q)
            for d, q in zip(self.disagreements, self.quotes, strict=True)
        ]

    def to_json(self) -> dict:
        return {
            "coders": list(self.coders),
            "articles": list(self.articles),
            "units": self.units,
            "tags": [m.to_json() for m in self.tags],
            "overall": self.overall.to_json(),
            "disagreements": [
                {**d.to_json(), "title": title, "quote": quote} for d, title, quote in self.found()
            ],
        }

    def to_csv(self) -> str:
        """One table: a row per tag, the pooled row (``tag`` empty), then a row per
        disagreement (``row`` says which)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)

        def row(**cells) -> None:
            writer.writerow([_cell(cells.get(c, "")) for c in CSV_COLUMNS])

        for kind, measures in [*(("tag", m) for m in self.tags), ("overall", self.overall)]:
            data = measures.to_json()
            row(
                row=kind,
                tag=measures.tag or "",
                units=data["units"],
                percent=data["percent"],
                kappa=data["kappa"],
                alpha=data["alpha"],
                alpha_u=data["alpha_u"],
                alpha_u_units=data["alpha_u_units"],
                coded=";".join(f"{c}={n}" for c, n in data["coded"].items()),
                coded_by_all=data["coded_by_all"],
            )
        for d, title, quote in self.found():
            row(
                row="disagreement",
                tag=d.tag,
                article=d.article,
                title=title,
                start=d.start,
                end=d.end,
                coded_by=";".join(d.coded_by),
                not_coded_by=";".join(d.not_coded_by),
                quote=quote,
            )
        return buffer.getvalue()


CSV_COLUMNS = (
    "row",
    "tag",
    "units",
    "percent",
    "kappa",
    "alpha",
    "alpha_u",
    "alpha_u_units",
    "coded",
    "coded_by_all",
    "article",
    "title",
    "start",
    "end",
    "coded_by",
    "not_coded_by",
    "quote",
)


def _cell(value):
    if value is None:
        return ""
    return csv_cell(value) if isinstance(value, str) else value
