"""Where coders disagree: the spans of an article that some coders coded with a tag and
others did not.

Every character of an article is a unit (the textbook unit of character-level agreement):
for one tag, each coder either covered it with an annotation so tagged or did not. The
spans where the coders do not all say the same are the disagreements a team settles; the
agreement measures count over the same units, except Krippendorff's uα (``tui.coders.unitizing``),
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

from ..model import Annotation
from ..model import tag_key as _tag_key
from ..sanitize import csv_cell
from .coefficients import Tally
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


def present_coders(
    coders: Sequence[str], articles: Iterable[str], done: dict[str, Iterable[str]]
) -> dict[str, tuple[str, ...]]:
    """For each article, the coders who coded it: a coder who has marked articles ``done``
    (coder → articles) coded those only; one who has marked none coded every article."""
    marked = {c: set(done[c]) for c in coders if done.get(c)}
    return {a: tuple(c for c in coders if c not in marked or a in marked[c]) for a in articles}


def disagreements(
    annotations: Iterable[Annotation],
    coders: Sequence[str],
    tags: Iterable[str] | None = None,
    present: dict[str, Sequence[str]] | None = None,
) -> list[Disagreement]:
    """Maximal spans, per article and tag, where some of ``coders`` coded and others did not
    (in article order, then position, then tag). ``present``: for an article, the coders who
    coded it (see :func:`present_coders`; default: all): the others do not count there."""
    order = list(dict.fromkeys(coders))
    annotations = list(annotations)
    if present is not None:
        annotations = [a for a in annotations if a.article not in present or a.coder in present[a.article]]
    names = tag_names(annotations)
    found: list[Disagreement] = []
    for (article, key), spans in coverage(annotations, order, tags).items():
        here = (
            order
            if present is None or article not in present
            else [c for c in order if c in present[article]]
        )
        if len(here) < 2:
            continue
        runs: list[list] = []
        for start, end, covered in pieces(spans, here):
            if len(covered) == len(here):
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
                    tuple(c for c in here if c in covered),
                    tuple(c for c in here if c not in covered),
                    tuple(touching),
                )
            )
    found.sort(key=lambda d: (d.article, d.start, d.end, tag_key(d.tag)))
    return found


# --- the measures --------------------------------------------------------------------------
#
# Units are the characters of the compared articles; for one tag each coder's value on a unit
# is 1 (covered by an annotation of theirs so tagged) or 0. A coder who has marked articles
# done (``glose done``) values only the units of those: elsewhere their value is missing, as
# in Krippendorff's alpha with missing values; a coder who has marked none values every unit
# (a character nobody coded is 0 for all). Units are tallied in groups, one per set of coders
# who valued them. uα is summed beside, from each coder's segments of each article.
# docs/AGREEMENT.md gives the formulas and how they relate to QualCoder's and MAXQDA's figures.


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
            "coded_by_all": t.coded_by_all,
            "pairs": [
                {
                    "coders": [t.coders[i], t.coders[j]],
                    "units": t.pair_units(i, j),
                    "percent": _rounded(p),
                    "kappa": _rounded(k),
                }
                for i, j in combinations(range(len(t.coders)), 2)
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
    present: dict[str, Iterable[str]] | None = None,
) -> tuple[list[Measures], Measures]:
    """Agreement per tag and pooled, over every character of the articles in ``lengths``
    (article → length of its canonical text). ``present``: for an article, the coders who
    coded it (default, and for an article not in it: every coder); the others' values there
    are missing, and their annotations there are not counted. The tags are those given, else
    every tag a coder used on those articles. Coverage is swept as runs between boundaries,
    never character by character: a corpus of thousands of articles costs its annotations."""
    order = tuple(dict.fromkeys(coders))
    everyone = tuple(range(len(order)))
    index = {c: i for i, c in enumerate(order)}
    who = {
        article: tuple(sorted({index[c] for c in present[article] if c in index}))
        if present is not None and article in present
        else everyone
        for article in lengths
    }
    annotations = [
        a
        for a in annotations
        if a.article in lengths and a.coder in index and index[a.coder] in who[a.article]
    ]
    names = tag_names(annotations)
    found = coverage(annotations, order, tags)
    keys = (
        list(dict.fromkeys(tag_key(t) for t in tags)) if tags is not None else sorted({k for _, k in found})
    )
    if tags is not None:
        names = {tag_key(t): t for t in tags} | names  # as the coders wrote it, when they did
    per_tag: dict[str, Tally] = {k: Tally(order) for k in keys}
    unitized = {k: Unitizing(len(order)) for k in keys}
    sizes = Counter((size, who[a]) for a, size in lengths.items())
    blank = {k: Counter(sizes) for k in keys}  # (length, coders) of the articles nobody coded so
    for (article, key), spans in found.items():
        size, on = lengths[article], who[article]
        runs = [(min(e, size) - s, coded) for s, e, coded in pieces(spans, order) if s < size]
        per_tag[key].add(size, runs, on)
        unitized[key].add([segments([(s, e) for s, e, _ in spans.get(order[i], ())], size) for i in on], size)
        blank[key][(size, on)] -= 1
    rows = []
    for key in keys:
        for (size, on), times in blank[key].items():  # units all the same: not coded by anyone
            per_tag[key].add(size * times, (), on)
            unitized[key].add_blank(size, times, len(on))
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
    # each coder's articles among those compared, and whether they come from done marks
    covered: dict[str, tuple[str, ...]] = field(default_factory=dict)
    marked: tuple[str, ...] = ()  # the coders who marked articles done (glose done)

    def coverage(self) -> dict[str, dict]:
        """For each coder: by what (``done`` marks, or ``all`` the articles compared), the
        articles coded and those missing (not coded by them: missing data)."""
        return {
            c: {
                "by": "done" if c in self.marked else "all",
                "articles": list(self.covered.get(c, self.articles)),
                "missing": [a for a in self.articles if a not in set(self.covered.get(c, self.articles))],
            }
            for c in self.coders
        }

    def found(self) -> list[tuple[Disagreement, str, str]]:
        """Each disagreement with its article's title and its text."""
        return [
            (d, self.titles.get(d.article, d.article), q)
            for d, q in zip(self.disagreements, self.quotes, strict=True)
        ]

    def compared(self) -> int:
        """The articles coded by two of the coders or more (the others cannot be paired)."""
        sets = [set(self.covered.get(c, self.articles)) for c in self.coders]
        return sum(1 for a in self.articles if sum(a in s for s in sets) >= 2)

    def to_json(self) -> dict:
        return {
            "coders": list(self.coders),
            "articles": list(self.articles),
            "units": self.units,
            "covered": self.coverage(),
            "tags": [m.to_json() for m in self.tags],
            "overall": self.overall.to_json(),
            "disagreements": [
                {**d.to_json(), "title": title, "quote": quote} for d, title, quote in self.found()
            ],
        }

    def to_csv(self) -> str:
        """One table: a row per tag, the pooled row (``tag`` empty), a row per disagreement,
        then a row per article a coder did not code (``missing``: ``not_coded_by`` says who;
        only when done marks say so). ``row`` says which."""
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
        for coder, covered in self.coverage().items():
            for article in covered["missing"]:
                row(
                    row="missing",
                    article=article,
                    title=self.titles.get(article, article),
                    not_coded_by=coder,
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
