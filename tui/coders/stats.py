"""Tag analysis: counts, co-occurrence, the tag × article matrix, counts by source and date.

Two tags co-occur on a *span* when one annotation carries both or two annotations carrying
them overlap in the text; they co-occur in an *article* when both are used somewhere in it.

Co-occurrence is counted among the :data:`COOCCURRING_TAGS` most used tags: an article
carrying T tags holds T²/2 pairs, so 4,000 tags on one article would make 8 million rows no
one reads (and gigabytes to count them). Up to that many tags, the tables are complete; past
it, a note says how many tags were left out, and the tables stay at most ~45,000 pairs each.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from ..model import Annotation, Tag
from ..sanitize import csv_cell

COOCCURRING_TAGS = 300  # the most used tags whose pairs are counted


@dataclass
class Stats:
    tags: list[Tag]
    span_cooccurrence: Counter = field(default_factory=Counter)  # (tag, tag) -> spans
    article_cooccurrence: Counter = field(default_factory=Counter)  # (tag, tag) -> articles
    matrix: dict[tuple[str, str], int] = field(default_factory=dict)  # (tag, article) -> n
    by_source: Counter = field(default_factory=Counter)  # source -> annotations
    by_date: Counter = field(default_factory=Counter)  # YYYY-MM-DD -> annotations
    articles: dict[str, dict] = field(default_factory=dict)  # article -> title/date/source
    notes: list[str] = field(default_factory=list)  # what the user should know (left out...)

    def to_json(self) -> dict:
        def pairs(counter: Counter) -> list[dict]:
            return [{"tags": list(k), "count": v} for k, v in sorted(counter.items())]

        return {
            "tags": [
                {"name": t.name, "color": t.color, "count": t.count, "articles": t.articles}
                for t in self.tags
            ],
            "cooccurrence": {
                "span": pairs(self.span_cooccurrence),
                "article": pairs(self.article_cooccurrence),
            },
            "matrix": [{"tag": t, "article": a, "count": n} for (t, a), n in sorted(self.matrix.items())],
            "by_source": dict(sorted(self.by_source.items())),
            "by_date": dict(sorted(self.by_date.items())),
            "notes": self.notes,
        }

    def to_csv(self) -> str:
        """One tidy table (``table,row,column,value``) a spreadsheet pivots as it likes."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["table", "row", "column", "value"])

        def row(*cells) -> None:
            writer.writerow([csv_cell(c) if isinstance(c, str) else c for c in cells])

        for t in self.tags:
            row("tag_counts", t.name, "annotations", t.count)
            row("tag_counts", t.name, "articles", t.articles)
        for (a, b), n in sorted(self.span_cooccurrence.items()):
            row("cooccurrence_span", a, b, n)
        for (a, b), n in sorted(self.article_cooccurrence.items()):
            row("cooccurrence_article", a, b, n)
        for (t, article), n in sorted(self.matrix.items()):
            row("tag_by_article", t, article, n)
        for source, n in sorted(self.by_source.items()):
            row("by_source", source, "annotations", n)
        for day, n in sorted(self.by_date.items()):
            row("by_date", day, "annotations", n)
        return buffer.getvalue()


def _overlapping_pairs(anns: list[Annotation]):
    """Pairs of annotations of one article whose spans overlap (sweep over sorted starts)."""
    ordered = sorted(anns, key=lambda a: a.start)
    active: list[Annotation] = []
    for ann in ordered:
        active = [a for a in active if a.end > ann.start]
        for other in active:
            yield other, ann
        active.append(ann)


def compute(
    annotations: list[Annotation],
    tags: list[Tag],
    matrix: dict[tuple[str, str], int],
    articles: dict[str, dict] | None = None,
    *,
    cooccurring: int = COOCCURRING_TAGS,
) -> Stats:
    """Statistics over live, placed annotations. ``articles`` gives title/date/source;
    co-occurrence counts the ``cooccurring`` most used tags (ties: by name)."""
    anns = [a for a in annotations if a.status != "orphaned"]
    stats = Stats(tags=tags, matrix=matrix, articles=articles or {})
    counted = _most_used(anns, cooccurring, stats.notes)
    by_article: dict[str, list[Annotation]] = defaultdict(list)
    kept: dict[str, list[str]] = {}  # annotation id -> its counted tags
    for ann in anns:
        by_article[ann.article].append(ann)
        kept[ann.id] = _sorted_tags(ann.tags, counted)
        for pair in combinations(kept[ann.id], 2):
            stats.span_cooccurrence[pair] += 1
        info = stats.articles.get(ann.article, {})
        stats.by_source[info.get("source") or "(unknown)"] += 1
        stats.by_date[info.get("date") or "(undated)"] += 1
    for article_anns in by_article.values():
        for x, y in _overlapping_pairs(article_anns):
            for a in kept[x.id]:
                for b in kept[y.id]:
                    if a.casefold() != b.casefold():
                        pair = tuple(sorted((a, b), key=str.casefold))
                        stats.span_cooccurrence[pair] += 1
        used = _sorted_tags((t for a in article_anns for t in kept[a.id]), counted)
        for pair in combinations(used, 2):
            stats.article_cooccurrence[pair] += 1
    return stats


def _most_used(anns: list[Annotation], limit: int, notes: list[str]) -> set[str]:
    """The ``limit`` tags on the most annotations; a note when others are left out."""
    uses = Counter(t for a in anns for t in set(a.tags))
    if len(uses) <= limit:
        return set(uses)
    notes.append(
        f"co-occurrence counts the {limit} most used tags: {len(uses) - limit} of the "
        f"{len(uses)} tags in use are left out of it"
    )
    ranked = sorted(uses.items(), key=lambda item: (-item[1], item[0].casefold()))
    return {tag for tag, _ in ranked[:limit]}


def _sorted_tags(tags, counted: set[str]) -> list[str]:
    return sorted({t for t in tags if t in counted}, key=str.casefold)
