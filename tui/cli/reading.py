"""Commands that read: index, search, kwic, show, shared, where, stats."""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from ..api import Library
from ..sanitize import terminal
from . import render
from .main import (
    dedupe_option,
    json_option,
    main,
    note_update,
    query_text,
    where_articles,
    where_option,
    with_library,
)
from .render import emit_json

HITS_LISTED = 10_000
"""Hit offsets listed per article by ``search --json``: every one a reader could use; beyond
that (a file of one word repeated) ``more_hits`` says so, and ``kwic`` lists them all."""


@main.command()
@click.option("--rebuild", is_flag=True, help="Start over instead of updating what changed.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--engine",
    type=click.Choice(["whoosh", "tantivy"]),
    help="Search engine to build with (rebuilds if the index has another; later commands keep it). "
    "Default: the index's own; a new index, Whoosh below 1,000 articles and tantivy from there.",
)
@json_option("JSON: engine, added, updated, removed, unchanged, skipped, seconds.")
@with_library
def index(lib: Library, rebuild: bool, quiet: bool, engine: str | None, as_json: bool) -> None:
    """Bring the index up to date: add, update and remove only what changed."""
    if quiet:
        report = lib.index.update(rebuild=rebuild, engine=engine)
    elif sys.stderr.isatty():
        report = _index_with_progress(lib, rebuild, engine)
    else:
        report = lib.index.update(rebuild=rebuild, engine=engine, progress=ProgressLines())
    for note in report.notes:
        render.echo(f"glose: {note}", err=True)
    advice = lib.index.advice()
    if as_json:
        emit_json(
            {
                "engine": report.engine,
                "added": len(report.added),
                "updated": len(report.updated),
                "removed": len(report.removed),
                "unchanged": report.unchanged,
                "skipped": len(report.skipped),
                "seconds": round(report.seconds, 3),
                "rebuilt": report.rebuilt,
                "skipped_files": [{"article": a, "reason": r} for a, r in report.skipped],
                "notes": report.notes + ([advice] if advice else []),
            }
        )
        return
    if quiet:
        return
    if report.rebuilt:
        render.echo(f"Built a new index: {report.rebuilt}.")
    render.echo(f"{report.summary()} in {report.seconds:.2f} s ({report.engine}).")
    for name, reason in report.skipped:
        render.echo(f"  skipped {name}: {reason}")
    for name, warning in report.warnings:
        render.echo(f"  warning {name}: {warning}")
    if report.annotations is not None and report.annotations.changed:
        render.echo(report.annotations.summary())
    if advice:
        render.echo(f"tip: {advice}")


class ProgressLines:
    """Progress for a ``glose index`` whose stderr is not a terminal (a log, a pipe, CI): a line
    every few seconds rather than a bar or forty silent seconds."""

    EVERY = 3.0  # seconds between lines

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
        self.last: float | None = self.started  # None: every file read, nothing more to say

    def __call__(self, done: int, total: int, article_id: str) -> None:
        now = self.clock()
        if self.last is None or not total or now - self.last < self.EVERY:
            return
        if done >= total:  # the engine writes what it read: one line, not one every 3 s
            render.echo(
                f"indexing: {total:,} files read in {now - self.started:.0f} s; writing the index", err=True
            )
            self.last = None
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        left = f", about {(total - done) / rate:.0f} s left" if rate > 0 else ""
        render.echo(f"indexing: {done:,}/{total:,} files ({rate:,.0f}/s{left})", err=True)


def _index_with_progress(lib: Library, rebuild: bool, engine: str | None):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    # Drawn from the build's own calls, not by rich's refresh thread: a process with no other
    # thread may fork its worker processes (tui.search.index.parallel), which start faster.
    with Progress(*columns, console=render.console(err=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("index", total=None, rate="")
        import time

        started = time.monotonic()
        drawn = [0.0]

        def progress(done: int, total: int, article_id: str) -> None:
            now = time.monotonic()
            elapsed = now - started
            rate = f"{done / elapsed:,.0f} files/s" if elapsed > 0.5 and done else ""
            bar.update(task, completed=done, total=total, rate=rate)
            if now - drawn[0] >= 0.1 or done == total:
                drawn[0] = now
                bar.refresh()

        return lib.index.update(rebuild=rebuild, progress=progress, engine=engine)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1), help="How many articles.")
@json_option("JSON: article, title, date, source, score, snippet, hits.")
@with_library
def search(lib: Library, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search the articles.

    \b
    Words are ANDed:        grok premium
    Exact phrase:           '"service premium"'
    Prefix (3+ letters):    harcel*
    Exclude:                grok -premium
    Either:                 deshabiller OR denuder
    Group:                  grok (payant OR premium)
    Fields:                 title:grok  source:ats  author:dupont  date:2026-01  date:2026-01-05..2026-01-10
    """
    text = query_text(query)
    note_update(lib, search=True)
    page = lib.search.page(text, limit=limit)
    highlight = page.results.compiled.highlight
    rows = []
    for hit, snippet in page.rows:
        spans = (
            lib.search.article_hits(hit.article, highlight, HITS_LISTED + 1) if as_json and snippet else []
        )
        rows.append((hit, snippet, spans))
    total = page.total  # counted while the index is open
    if as_json:
        emit_json(
            {
                "query": text,
                "total": total,
                "results": [
                    {
                        "article": hit.article,
                        "title": hit.title,
                        "date": hit.date,
                        "source": hit.source,
                        "author": hit.author,
                        "score": hit.score,
                        "snippet": snippet.text if snippet else None,  # None: the file cannot be read
                        "snippet_start": snippet.start if snippet else None,
                        "hits": [{"start": s, "end": e} for s, e in spans[:HITS_LISTED]],
                        "more_hits": len(spans) > HITS_LISTED,
                    }
                    for hit, snippet, spans in rows
                ],
            }
        )
        return
    render.results(total, rows)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--width",
    default=40,
    show_default=True,
    type=click.IntRange(5, 500),
    help="Characters of context on each side.",
)
@click.option(
    "--sort",
    type=click.Choice(["position", "left", "right"]),
    default="position",
    show_default=True,
    help="Order lines by article and position, or by the words left or right of the hit.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="At most N lines: the first N in article order, then sorted.  [default: all]",
)
@click.option(
    "--unit",
    type=click.Choice(["form", "lemma", "stem"]),
    help="QUERY is one word of this unit, counted as glose words counts it: the lines behind its figure.",
)
@where_option("Only in the articles this search finds (a query, as glose search: set:NAME too).")
@json_option("JSON: article, start, end, left, match, right.")
@with_library
def kwic(
    lib: Library,
    query: tuple[str, ...],
    width: int,
    sort: str,
    limit: int | None,
    unit: str | None,
    where: str | None,
    as_json: bool,
) -> None:
    """Keyword in context: every occurrence of the query, one line each, aligned on the hit."""
    text = query_text(query)
    note_update(lib, search=True)
    if unit is not None:
        lines = lib.lexicon.lines(text, where=where, unit=unit, width=width, sort=sort, limit=limit)
    else:
        within = lib.search.within(where)
        lines = lib.search.kwic(text, width=width, sort=sort, limit=limit, within=within)
    if as_json:
        emit_json([asdict(k) for k in lines])
        return
    render.kwic(lines, width)


@main.command()
@click.argument("article")
@with_library
def show(lib: Library, article: str) -> None:
    """Print an article's canonical text: the text every offset counts in."""
    sys.stdout.write(terminal(lib.articles.text(article).text))  # already clean: the canonical text
    sys.stdout.flush()


@main.command()
@click.argument("first")
@click.argument("second")
@click.option(
    "--min-words",
    default=8,
    show_default=True,
    type=click.IntRange(min=2),
    help="Shortest passage, in words.",
)
@json_option("JSON: text, words, exact, a {start, end}, b {start, end}.")
@with_library
def shared(lib: Library, first, second, min_words, as_json) -> None:
    """Passages two articles share (case, accents, punctuation and quote marks ignored)."""
    a, b, spans = lib.passages.shared(first, second, min_words=min_words)
    if as_json:
        emit_json({"a": a.id, "b": b.id, "passages": [s.to_json(a.text) for s in spans]})
        return
    from rich.text import Text

    out = render.console()
    if not spans:
        render.echo(f"no passage of {min_words} words or more in common", err=True)
    for s in spans:
        head = Text(f"{s.words} words", style="bold")
        head.append(f"  {a.id} {s.a_start}–{s.a_end}  ·  {b.id} {s.b_start}–{s.b_end}", style="dim")
        if not s.exact:
            head.append("  (a few words differ)", style="yellow")
        out.print(head)
        out.print(Text("    " + " ".join(a.text[s.a_start : s.a_end].split())))


@main.command()
@click.argument("article", required=False)
@click.option("--quote", help="The passage to look for.")
@click.option("--start", type=click.IntRange(min=0), help="With ARTICLE: start of the passage.")
@click.option("--end", type=click.IntRange(min=0), help="With ARTICLE: end of the passage.")
@click.option(
    "--min-similarity",
    default=0.6,
    show_default=True,
    type=click.FloatRange(0.1, 1.0),
    help="Share of the passage's words that must be found.",
)
@json_option("JSON: article, start, end, similarity, snippet.")
@with_library
def where(lib: Library, article, quote, start, end, min_similarity, as_json) -> None:
    """Every article holding a passage, or nearly: --quote TEXT, or ARTICLE --start S --end E."""
    if quote is None and (article is None or start is None or end is None):
        raise click.UsageError("give --quote TEXT, or ARTICLE --start S --end E")
    if quote is None:
        lib.articles.text(article)  # a bad id or span says so before the index is touched
    note_update(lib, search=True)
    found = lib.passages.where(
        quote=quote, article=article, start=start, end=end, min_similarity=min_similarity
    )
    if as_json:
        emit_json([o.to_json() for o in found])
        return
    if not found:
        render.echo("found nowhere else", err=True)
    from rich.text import Text

    out = render.console()
    for o in found:
        head = Text(f"{o.similarity:.0%}", style="bold")
        head.append(f"  {o.article}  {o.start}–{o.end}", style="dim")
        out.print(head)
        snippet = " ".join(o.text.split())
        out.print(Text("    " + (snippet if len(snippet) <= 200 else snippet[:199] + "…")))


@main.command()
@click.option("--matrix", "as_matrix", is_flag=True, help="The code × variable matrix (--rows, --cols).")
@click.option("--rows", help="With --matrix: tag, article or a variable (source, date.month, genre…).")
@click.option("--cols", help="With --matrix: tag, article or a variable.")
@json_option(
    "JSON: tags, cooccurrence {span, article}, matrix, by_source, by_date; "
    "with --matrix: rows, cols, cells [{row, col, annotations, articles}]."
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV in long form: table, row, column, value.")
@where_option()
@dedupe_option()
@with_library
def stats(lib: Library, as_matrix, rows, cols, as_json, as_csv, where, dedupe) -> None:
    """Tag analysis: counts, co-occurrence, tag × article matrix, counts by source and date;
    --matrix: coded passages and articles per tag or variable (--rows, --cols)."""
    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv")
    if as_matrix:
        from .counting import matrix

        matrix(lib, rows, cols, where, dedupe, as_json, as_csv)
        return
    if rows or cols:
        raise click.UsageError("--rows and --cols go with --matrix")
    within = where_articles(lib, where, dedupe)
    render.emit(lib.coders.stats(within), as_json, as_csv, render.stats)
