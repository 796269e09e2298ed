"""Commands on articles as data: ``meta`` (one article's variables, set by hand) and ``vars``
(every variable, and spreadsheets of them)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..api import Library
from ..errors import GloseError
from ..wording import counted
from . import render
from .main import Failure, json_option, main, note_update, with_library
from .render import echo, emit_json


def _assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise click.BadParameter(f"{text!r}: write NAME=VALUE (NAME= removes it)", param_hint="--set")
    return name.strip(), value


@main.command()
@click.argument("article")
@click.option("--title", help="Override the guessed title ('' restores the guess).")
@click.option("--date", help="Override the date (YYYY-MM-DD; '' restores the guess).")
@click.option("--source", help="Override the source ('' restores the guess).")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a variable (repeatable): your own (genre=tribune) or a built-in one (author=…); "
    "NAME= removes it (a built-in one goes back to what the file says). One undoable change.",
)
@json_option(
    "JSON: article, title, date, source, author, section, page, origin, language, words, "
    "variables, overridden, encoding, hash."
)
@with_library
def meta(lib: Library, article, title, date, source, assignments, as_json) -> None:
    """Show an article's variables, or set them by hand."""
    values = dict(_assignment(a) for a in assignments)
    if values or any(v is not None for v in (title, date, source)):
        note_update(lib)
    found = lib.articles.meta(article, title=title, date=date, source=source, values=values)
    if as_json:
        emit_json(found)
        return
    from rich.text import Text

    out = render.console()
    shown = ("article", "title", "date", "source", "author", "section", "page", "origin", "language", "words")
    for key in shown:
        mark = " (set by hand)" if key in found["overridden"] else ""
        value = found[key]
        out.print(Text(f"{key:>8}  {'—' if value in (None, '') else value}{mark}"))
    for key, value in found["variables"].items():
        out.print(Text(f"{key:>8}  {value} (yours)"))
    for key in ("encoding", "hash"):
        out.print(Text(f"{key:>8}  {found[key]}"))


@main.group(invoke_without_command=True)
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(min=0),
    help="Values shown per variable (0: all).",
)
@json_option('JSON: a list of {"name", "builtin", "articles", "values": {value: count}}.')
@click.pass_context
def vars(ctx: click.Context, top: int, as_json: bool) -> None:
    """The articles' variables: how many articles have each, and their commonest values."""
    if ctx.invoked_subcommand is not None:
        return
    ctx.invoke(_list_vars, top=top, as_json=as_json)


@with_library
def _list_vars(lib: Library, top: int, as_json: bool) -> None:
    note_update(lib)
    rows = lib.variables.summary(top=top)
    if as_json:
        emit_json(rows)
        return
    render.variables(rows)


@vars.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--partial", is_flag=True, help="Import the rows without an error (else a file with one imports nothing)."
)
@json_option(
    "JSON: rows, articles, columns, ignored_columns, errors [{row, article, error}], changed, imported."
)
@with_library
def vars_import(lib: Library, file: Path, partial: bool, as_json: bool) -> None:
    """Read variables from a spreadsheet (CSV): the first column names the articles (id, unique
    prefix or file name), each other column is a variable."""
    note_update(lib)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise Failure(f"cannot read {file}: {exc.strerror or exc}") from None
    report = lib.variables.import_csv(data, partial=partial)
    if as_json:
        emit_json(report)
    else:
        for error in report["errors"]:
            echo(f"glose: row {error['row']}: {error['error']}", err=True)
        for column in report["ignored_columns"]:
            echo(f"glose: column {column!r} left alone: it is counted from the text", err=True)
    if report["errors"] and not partial:
        raise Failure(
            f"nothing imported: {len(report['errors'])} of {report['rows']} rows name no single article "
            "(fix them, or --partial to import the others)"
        )
    if not as_json:
        echo(
            f"{counted(report['changed'], 'value')} changed in {counted(report['articles'], 'article')} "
            f"({', '.join(report['columns']) or 'no column'})"
        )


@vars.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (stdout when not given).",
)
@click.option("--where", "where", metavar="QUERY", help="Only the articles this query matches.")
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (else refused).")
@with_library
def vars_export(lib: Library, output: Path | None, where: str | None, force: bool) -> None:
    """Write every article's variables as a spreadsheet (CSV), the shape ``vars import`` reads."""
    note_update(lib, search=True)
    ids = lib.search.ids(where) if where else None
    payload = lib.variables.export_csv(ids)
    if output is None:
        sys.stdout.buffer.write(payload)  # the CSV as written: cells already neutralised
        sys.stdout.flush()
        return
    try:
        where_to = lib.exchange.write(output, payload, replace=force)
    except GloseError as exc:
        raise Failure(str(exc)) from None
    echo(f"wrote {where_to}")
