"""The timeline: per period (and per value of a split variable) the articles a search finds,
the hits the reader would highlight in them, and their coded passages."""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..sanitize import csv_cell

COLUMNS = ("period", "value", "articles", "hits", "annotations")


@dataclass(frozen=True)
class TimelineRow:
    period: str | None  # 2026-01-09, 2026-W02, 2026-01, 2026; None: undated articles
    value: str | None  # the split variable's value (None: no split, or no value)
    articles: int
    hits: int | None  # None: no query, nothing to count
    annotations: int

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in COLUMNS}


@dataclass(frozen=True)
class Timeline:
    by: str
    split: str | None
    rows: list[TimelineRow]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"by": self.by, "split": self.split, "rows": [r.to_json() for r in self.rows]}

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in self.rows:
            writer.writerow(
                [
                    "" if v is None else csv_cell(v) if isinstance(v, str) else v
                    for v in (row.period, row.value, row.articles, row.hits, row.annotations)
                ]
            )
        return buffer.getvalue()

    def periods(self) -> list[str | None]:
        """The periods that have a row, in order (undated last)."""
        return list(dict.fromkeys(r.period for r in self.rows))


def order(value: str | None) -> tuple[bool, str]:
    """Sort key: values in order, None (undated, no value) last."""
    return (value is None, "" if value is None else value.casefold())


def tabulate(
    periods: Mapping[str, str | None],
    values: Mapping[str, str | None] | None,
    hits: Mapping[str, int] | None,
    annotations: Mapping[str, int],
) -> list[TimelineRow]:
    """Rows from each article's period, its split value (``values`` None: no split), its hits
    (None: not counted) and its coded passages; only (period, value) pairs that have articles."""
    cells: dict[tuple[str | None, str | None], list[int]] = {}
    for article, period in periods.items():
        value = values.get(article) if values is not None else None
        cell = cells.setdefault((period, value), [0, 0, 0])
        cell[0] += 1
        if hits is not None:
            cell[1] += hits.get(article, 0)
        cell[2] += annotations.get(article, 0)
    return [
        TimelineRow(period, value, n, None if hits is None else h, a)
        for (period, value), (n, h, a) in sorted(
            cells.items(), key=lambda kv: (order(kv[0][0]), order(kv[0][1]))
        )
    ]


def period_range(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last`` (both as :func:`tui.api.variables.bucket` writes
    them), the empty ones included: a chart's axis has no holes."""
    out: list[str] = []
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    if by == "month":
        y, m = int(first[:4]), int(first[5:7])
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    if by == "week":
        day = _dt.date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
        end = _dt.date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
        step = _dt.timedelta(days=7)
    else:
        day, end, step = _dt.date.fromisoformat(first), _dt.date.fromisoformat(last), _dt.timedelta(days=1)
    while day <= end:
        if by == "week":
            year, week, _ = day.isocalendar()
            out.append(f"{year}-W{week:02d}")
        else:
            out.append(day.isoformat())
        day += step
    return out


OTHER = "other"
NO_VALUE = "(none)"


@dataclass(frozen=True)
class Stacked:
    """A timeline as a chart draws it: every period from the first to the last (the empty
    ones too; undated last), the ``top`` largest values of the split and "other", and the
    articles of each per period."""

    periods: list[str | None]
    series: list[str]  # labels, largest first; "other" last when there are more values
    counts: list[list[int]]  # counts[period][series]
    members: dict[str, list[str | None]]  # series label -> the split values it holds
    grouped: bool = False  # the last series is "other": the values past the ``top``

    def total(self, index: int) -> int:
        return sum(self.counts[index])


def stack(found: Timeline, top: int = 8) -> Stacked:
    """The chart of ``found`` (split or not): the ``top`` values with most articles, the rest
    as "other"."""
    per_value: dict[str | None, int] = {}
    for row in found.rows:
        per_value[row.value] = per_value.get(row.value, 0) + row.articles
    ranked = sorted(per_value, key=lambda v: (-per_value[v], order(v)))
    kept = ranked if len(ranked) <= top + 1 else ranked[:top]
    label = {v: NO_VALUE if v is None else v for v in kept}
    if None in kept and NO_VALUE in kept:  # a value written "(none)": the missing ones say so
        label[None] = f"{NO_VALUE} (no value)"
    members: dict[str, list[str | None]] = {label[v]: [v] for v in kept}
    if len(kept) < len(ranked):
        rest = OTHER if OTHER not in members else f"{OTHER} ({len(ranked) - len(kept)} more)"
        members[rest] = ranked[len(kept) :]
    series = list(members)
    column = {v: series.index(label[v]) if v in label else len(series) - 1 for v in ranked}
    dated = [p for p in found.periods() if p is not None]
    periods: list[str | None] = period_range(dated[0], dated[-1], found.by) if dated else []
    if any(r.period is None for r in found.rows):
        periods.append(None)
    at = {p: i for i, p in enumerate(periods)}
    counts = [[0] * len(series) for _ in periods]
    for row in found.rows:
        counts[at[row.period]][column[row.value]] += row.articles
    return Stacked(periods, series, counts, members, grouped=len(kept) < len(ranked))
