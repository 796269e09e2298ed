"""The lexicometry commands: words, specif, cooc, ngrams, and the corpus exports for
IRaMuTeQ and TXM (``glose corpus``). Every figure names the concordance behind it:
``glose kwic WORD --unit form`` lists as many lines as ``glose words`` counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..api import Library
from . import render
from .main import dedupe_option, main, note_update, query_text, where_option, with_library


def _common(*, min_help: str, top: int, min_name: str = "min_f", min_default: int = 1) -> Callable:
    """The options every lexicon table takes, in this order: --where, --unit, --stop,
    --json, --csv, then its --min (a threshold, passed as ``min_name``) and --top."""
    options = [
        where_option(),
        click.option(
            "--unit",
            type=click.Choice(["form", "lemma", "stem"]),
            default="form",
            show_default=True,
            help="Count forms as written, their lemmas, or the index's stems.",
        ),
        click.option("--stop", is_flag=True, help="Leave out the stop words of the language."),
        click.option("--json", "as_json", is_flag=True, help="JSON (shapes in the README)."),
        click.option("--csv", "as_csv", is_flag=True, help="CSV, a row per line of the table."),
        click.option(
            "--min",
            min_name,
            type=click.IntRange(min=1),
            default=min_default,
            show_default=True,
            help=min_help,
        ),
        click.option(
            "--top", type=click.IntRange(min=0), default=top, show_default=True, help="Rows to list (0: all)."
        ),
    ]

    def apply(fn: Callable) -> Callable:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply


def _query_command() -> Callable:
    """A lexicon command over the articles its QUERY words select (none: all of them)."""
    command = main.command(context_settings={"ignore_unknown_options": True})
    argument = click.argument("query", nargs=-1)
    return lambda fn: command(argument(fn))


def _start(lib: Library, as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv")
    note_update(lib, search=True)


def _query(words: tuple[str, ...]) -> str | None:
    return query_text(words) if words else None


def _table(header: list[str], rows: list[list], align: str) -> None:
    from rich.table import Table

    if not rows:  # a note on stderr said why
        return

    table = Table(box=None, show_edge=False, pad_edge=False)
    for name, side in zip(header, align, strict=True):
        table.add_column(name, justify="right" if side == "r" else "left", no_wrap=side == "r")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    render.console().print(table)


@_query_command()
@_common(min_help="Only words seen N times or more.", top=50)
@dedupe_option()
@with_library
def words(lib: Library, query, where, unit, stop, as_json, as_csv, min_f, top, dedupe) -> None:
    """The frequency list of the articles QUERY (and --where) select: all without one."""
    _start(lib, as_json, as_csv)
    result = lib.lexicon.words(
        _query(query), where=where, unit=unit, stop=stop, min_f=min_f, top=top, dedupe=dedupe is not None
    )

    def show(r) -> None:
        render.echo(f"{r.tokens} {unit}s in {r.articles} articles (glose kwic WORD --unit {unit}: the lines)")
        _table([unit, "f", "articles"], [[x["word"], x["f"], x["articles"]] for x in r.rows], "lrr")

    render.emit(result, as_json, as_csv, show)


@_query_command()
@click.option(
    "--by",
    "by",
    required=True,
    help="The variable whose values are the parts: source, author, date.month, date.year...",
)
@_common(min_help="Only words seen N times or more in the corpus.", top=20)
@click.option("--negative", is_flag=True, help="Also the most under-represented words of each part.")
@dedupe_option()
@with_library
def specif(lib: Library, query, by, where, unit, stop, as_json, as_csv, min_f, top, negative, dedupe) -> None:
    """The words over- (and under-) represented in each part, by Lafon's specificity (TXM's)."""
    _start(lib, as_json, as_csv)
    result = lib.lexicon.specif(
        by,
        query=_query(query),
        where=where,
        unit=unit,
        stop=stop,
        min_f=min_f,
        top=top,
        negative=negative,
        dedupe=dedupe is not None,
    )

    def show(r) -> None:
        for part in r.parts:
            name = part.name if part.name is not None else "(no value)"
            render.echo(f"{by} = {name}: {part.tokens} {unit}s in {part.articles} articles")
            rows = part.rows + part.negative
            if rows:
                _table(
                    [unit, "f", "F", "score"],
                    [[x["word"], x["f"], x["F"], f"{x['score']:.2f}"] for x in rows],
                    "lrrr",
                )
            render.echo()

    render.emit(result, as_json, as_csv, show)


@main.command()
@click.argument("word")
@click.option("--window", type=int, default=5, show_default=True, help="Words on each side (1 to 10,000).")
@click.argument("query", nargs=-1)
@_common(
    min_help="Only collocates seen N times or more near the word.", top=20, min_name="min_cooc", min_default=1
)
@with_library
def cooc(lib: Library, word, window, query, where, unit, stop, as_json, as_csv, min_cooc, top) -> None:
    """The collocates of WORD: words within --window words of it, by TXM's cooccurrence score."""
    _start(lib, as_json, as_csv)
    result = lib.lexicon.cooc(
        word,
        window=window,
        query=_query(query),
        where=where,
        unit=unit,
        stop=stop,
        min_cooc=min_cooc,
        top=top,
    )

    def show(r) -> None:
        render.echo(f"'{r.word}': {r.f} occurrences; collocates within {r.window} words")
        _table(
            [unit, "cooc", "f", "score"],
            [[x["word"], x["cooc"], x["f"], f"{x['score']:.2f}"] for x in r.rows],
            "lrrr",
        )

    render.emit(result, as_json, as_csv, show)


@_query_command()
@click.option("--n", "n", type=int, default=2, show_default=True, help="Words per segment (2 to 6).")
@_common(min_help="Only segments seen N times or more.", top=50, min_default=2)
@with_library
def ngrams(lib: Library, query, n, where, unit, stop, as_json, as_csv, min_f, top) -> None:
    """Repeated segments of N words (inside a sentence), as TXM and IRaMuTeQ list them."""
    _start(lib, as_json, as_csv)
    result = lib.lexicon.ngrams(
        n, query=_query(query), where=where, unit=unit, stop=stop, min_f=min_f, top=top
    )

    def show(r) -> None:
        _table(["segment", "f", "articles"], [[x["segment"], x["f"], x["articles"]] for x in r.rows], "lrr")

    render.emit(result, as_json, as_csv, show)


@_query_command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["iramuteq", "txm"]),
    required=True,
    help="iramuteq: one starred text file; txm: a folder of XML-TEI files and metadata.csv.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The file (iramuteq) or folder (txm).",
)
@where_option("Only the articles this query selects.")
@with_library
def corpus(lib: Library, query, fmt, output, where) -> None:
    """Export the articles (QUERY, --where: some) for IRaMuTeQ or TXM, with their variables."""
    note_update(lib, search=True)
    n = lib.lexicon.export_corpus(fmt, output, query=_query(query), where=where)
    render.echo(f"{n} articles written to {output} ({fmt})", err=True)
