"""``glose timeline`` (articles, hits and coded passages per period) and the matrix of
``glose stats --matrix`` (coded passages and articles per tag or variable)."""

from __future__ import annotations

import click

from ..api import Library
from . import render
from .main import Failure, json_option, main, note_update, where_articles, where_option, with_library

BY = ("day", "week", "month", "year")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@click.option(
    "--by",
    default="month",
    show_default=True,
    help="The period: day (2026-01-09), week (2026-W02), month (2026-01) or year (2026).",
)
@click.option("--split", help="A row per value of this variable too (source, author, genre…).")
@click.option("-t", "--tag", help="Count the passages coded with this tag (or a tag below it); default: all.")
@where_option()
@click.option("--no-hits", "no_hits", is_flag=True, help="Do not count the hits (faster on a common word).")
@json_option("JSON: by, split, rows [{period, value, articles, hits, annotations}].")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: period, value, articles, hits, annotations.")
@with_library
def timeline(lib: Library, query, by, split, tag, where, no_hits, as_json, as_csv) -> None:
    """Per period: the articles QUERY finds (every article without one), the hits of QUERY
    in them (as the reader highlights them) and their coded passages. Undated articles are
    the row with no period."""
    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv")
    for word in query:
        if word.startswith("--"):
            raise click.UsageError(f"no such option: {word}")
    text = " ".join(query).strip() or None
    if by.strip().lower() not in BY:  # said before the index is brought up to date
        raise Failure(f"--by is day, week, month or year, not {by!r}")
    note_update(lib, search=True)
    found = lib.counts.timeline(
        text, by=by.strip().lower(), split=split, tag=tag, within=lib.search.within(where), hits=not no_hits
    )
    render.emit(found, as_json, as_csv, render_timeline)


def render_timeline(found) -> None:
    from rich.table import Table
    from rich.text import Text

    if not found.rows:
        render.echo("no articles", err=True)
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(found.by, no_wrap=True)
    if found.split:
        table.add_column(found.split)
    for name in ("articles", "hits", "annotations"):
        table.add_column(name, justify="right")
    for row in found.rows:
        cells = [Text(row.period or "(undated)")]
        if found.split:
            cells.append(Text(row.value if row.value is not None else "(none)"))
        cells += [Text(str(row.articles)), Text("—" if row.hits is None else str(row.hits))]
        cells.append(Text(str(row.annotations)))
        table.add_row(*cells)
    render.console().print(table)


def matrix(lib: Library, rows: str | None, cols: str | None, where, dedupe, as_json, as_csv) -> None:
    """``glose stats --matrix``."""
    if not rows or not cols:
        raise click.UsageError("--matrix needs --rows and --cols (tag, article or a variable)")
    within = where_articles(lib, where, dedupe)
    render.emit(lib.counts.matrix(rows, cols, within=within), as_json, as_csv, render_matrix)


def render_matrix(found) -> None:
    from rich.table import Table
    from rich.text import Text

    if not found.cells:
        render.echo("no coded passages", err=True)
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    width = max((len(r or "(none)") for r in found.row_labels), default=6)
    table.add_column(Text(f"{found.rows} \\ {found.cols}"), no_wrap=True, min_width=min(30, width))
    for col in found.col_labels:
        label = "(none)" if col is None else col
        table.add_column(Text(label), justify="right", min_width=min(14, len(label)))
    by = {(c.row, c.col): c for c in found.cells}
    for row in found.row_labels:
        cells = [Text("(none)" if row is None else row, style="bold")]
        for col in found.col_labels:
            c = by.get((row, col))
            cells.append(Text(f"{c.annotations} ({c.articles})" if c else "·", style="" if c else "dim"))
        table.add_row(*cells)
    render.console().print(table)
    render.echo("each cell: coded passages (articles)", err=True)
