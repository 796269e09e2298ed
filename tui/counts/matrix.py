"""The code × variable matrix: coded passages and articles per cell, rows and columns each a
tag (a tag's cell holds the passages coded with it or a tag below it, as ``glose annotations
--tag`` lists them) or a variable (a passage is in its article's value).

An article is in a tag's row or column when it has a passage so coded, in a variable's when it
has that value: a cell's ``articles`` are those in both, its ``annotations`` the passages in
both (two variables: every passage of the cell's articles)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import Annotation, tag_key
from ..sanitize import csv_cell
from .timeline import order

TAG = "tag"


@dataclass(frozen=True)
class Cell:
    row: str | None
    col: str | None
    annotations: int
    articles: int

    def to_json(self) -> dict:
        return {"row": self.row, "col": self.col, "annotations": self.annotations, "articles": self.articles}


@dataclass(frozen=True)
class Matrix:
    rows: str  # what the rows are: "tag" or a variable (date.month...)
    cols: str
    row_labels: list[str | None]
    col_labels: list[str | None]
    cells: list[Cell]  # the non-empty ones
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"rows": self.rows, "cols": self.cols, "cells": [c.to_json() for c in self.cells]}

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["row", "col", "annotations", "articles"])
        for c in self.cells:
            writer.writerow(
                [
                    "" if c.row is None else csv_cell(c.row),
                    "" if c.col is None else csv_cell(c.col),
                    c.annotations,
                    c.articles,
                ]
            )
        return buffer.getvalue()

    def cell(self, row: str | None, col: str | None) -> Cell:
        for c in self.cells:
            if c.row == row and c.col == col:
                return c
        return Cell(row, col, 0, 0)


class Above:
    """The codebook's tags a passage is counted under: each of its tags and every codebook tag
    above one (``a`` holds ``a/b``'s passages), in codebook order; kept per tag (thousands of
    passages share a few tags)."""

    def __init__(self, tags: list[str]):
        self.tags = tags
        self._by_key = {t.casefold(): t for t in tags}
        self._rank = {t: i for i, t in enumerate(tags)}
        self._kept: dict[str, tuple[str, ...]] = {}

    def of_tag(self, name: str) -> tuple[str, ...]:
        kept = self._kept.get(name)
        if kept is None:
            parts = tag_key(name).split("/")
            found = {
                self._by_key[k]
                for i in range(1, len(parts) + 1)
                if (k := "/".join(parts[:i])) in self._by_key
            }
            kept = self._kept[name] = tuple(sorted(found, key=self._rank.__getitem__))
        return kept

    def __call__(self, ann: Annotation) -> list[str]:
        if len(ann.tags) == 1:
            return list(self.of_tag(ann.tags[0]))
        found = {t for name in ann.tags for t in self.of_tag(name)}
        return sorted(found, key=self._rank.__getitem__)


def crosstab(
    rows: str,
    cols: str,
    anns: Iterable[Annotation],
    tags: list[str],
    columns: Mapping[str, Mapping[str, str | None]],
    articles: Iterable[str] | None,
) -> Matrix:
    """The matrix of ``anns`` (live ones, already narrowed to the articles in scope):
    ``columns`` gives each variable dimension's value per article; ``articles`` the articles in
    scope (every one counts in a variable × variable matrix, coded or not)."""
    anns = list(anns)
    tags_of = Above(tags)
    counted: dict[tuple, list] = {}  # (row, col) -> [annotations, {articles}]

    def labels(dim: str, ann: Annotation) -> list[str | None]:
        if dim == TAG:
            return tags_of(ann)
        return [columns[dim].get(ann.article)]

    for ann in anns:
        for r in labels(rows, ann):
            for c in labels(cols, ann):
                cell = counted.setdefault((r, c), [0, set()])
                cell[0] += 1
                cell[1].add(ann.article)
    if TAG in (rows, cols):
        articles_in = {key: len(found) for key, (_, found) in counted.items()}
        if rows == TAG and cols == TAG:  # an article is in both tags when it has both anywhere
            articles_in = _tag_pairs(anns, tags_of)
    else:  # two variables: every article of the cell, coded or not
        articles_in = {}
        for article in articles or ():
            key = (columns[rows].get(article), columns[cols].get(article))
            articles_in[key] = articles_in.get(key, 0) + 1
    keys = set(counted) | set(articles_in)
    cells = [
        Cell(r, c, counted.get((r, c), [0])[0], articles_in.get((r, c), 0))
        for r, c in keys
        if counted.get((r, c), [0])[0] or articles_in.get((r, c), 0)
    ]

    def axis(dim: str, used: set) -> list[str | None]:
        if dim == TAG:
            return [t for t in tags if t in used]
        return sorted(used, key=order)

    row_labels = axis(rows, {c.row for c in cells})
    col_labels = axis(cols, {c.col for c in cells})
    rank_r = {v: i for i, v in enumerate(row_labels)}
    rank_c = {v: i for i, v in enumerate(col_labels)}
    cells.sort(key=lambda c: (rank_r[c.row], rank_c[c.col]))
    return Matrix(rows, cols, row_labels, col_labels, cells)


def _tag_pairs(anns: list[Annotation], tags_of: Above) -> dict[tuple, int]:
    per_article: dict[str, set[str]] = {}
    for ann in anns:
        per_article.setdefault(ann.article, set()).update(tags_of(ann))
    out: dict[tuple, int] = {}
    for used in per_article.values():
        for a in used:
            for b in used:
                out[(a, b)] = out.get((a, b), 0) + 1
    return out


def in_cell(
    anns: Iterable[Annotation],
    dims: tuple[str, str],
    cell: tuple[str | None, str | None],
    tags: list[str],
    columns: Mapping[str, Mapping[str, str | None]],
) -> list[Annotation]:
    """The passages a cell counts (what enter on it lists), in the order given."""
    tags_of = Above(tags)

    def inside(ann: Annotation, dim: str, label: str | None) -> bool:
        if dim == TAG:
            return label in tags_of(ann)
        return columns[dim].get(ann.article) == label

    return [a for a in anns if all(inside(a, d, label) for d, label in zip(dims, cell, strict=True))]
