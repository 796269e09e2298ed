"""Tag analysis: counts, co-occurrence, the tag × article matrix, counts by source and date.

Two tags co-occur on a *span* when one annotation carries both or two annotations carrying
them overlap in the text; they co-occur in an *article* when both are used somewhere in it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .model import Annotation, Tag


@dataclass
class Stats:
    tags: list[Tag]
    span_cooccurrence: Counter = field(default_factory=Counter)  # (tag, tag) -> spans
    article_cooccurrence: Counter = field(default_factory=Counter)  # (tag, tag) -> articles
    matrix: dict[tuple[str, str], int] = field(default_factory=dict)  # (tag, article) -> n
    by_source: Counter = field(default_factory=Counter)  # source -> annotations
    by_date: Counter = field(default_factory=Counter)  # YYYY-MM-DD -> annotations
    articles: dict[str, dict] = field(default_factory=dict)  # article -> title/date/source

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
        }

    def to_csv(self) -> str:
        """One tidy table (``table,row,column,value``) a spreadsheet pivots as it likes."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["table", "row", "column", "value"])
        from .export import neutralise

        def row(*cells) -> None:
            writer.writerow([neutralise(c) if isinstance(c, str) else c for c in cells])

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
) -> Stats:
    """Statistics over live, placed annotations. ``articles`` gives title/date/source."""
    anns = [a for a in annotations if a.status != "orphaned"]
    stats = Stats(tags=tags, matrix=matrix, articles=articles or {})
    by_article: dict[str, list[Annotation]] = defaultdict(list)
    for ann in anns:
        by_article[ann.article].append(ann)
        for a, b in combinations(sorted(set(ann.tags), key=str.casefold), 2):
            stats.span_cooccurrence[(a, b)] += 1
        info = stats.articles.get(ann.article, {})
        stats.by_source[info.get("source") or "(unknown)"] += 1
        stats.by_date[info.get("date") or "(undated)"] += 1
    for article_anns in by_article.values():
        for x, y in _overlapping_pairs(article_anns):
            for a in x.tags:
                for b in y.tags:
                    if a.casefold() != b.casefold():
                        pair = tuple(sorted((a, b), key=str.casefold))
                        stats.span_cooccurrence[pair] += 1
        used = sorted({t for a in article_anns for t in a.tags}, key=str.casefold)
        for pair in combinations(used, 2):
            stats.article_cooccurrence[pair] += 1
    return stats
