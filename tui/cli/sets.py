"""``glose set`` and ``glose sets``: named sets of articles, used in any query as
``set:NAME`` (a saved query, run again each time, or the articles a query matched once)."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..api import Library
from ..sanitize import terminal
from ..wording import counted
from . import render
from .main import json_option, main, note_update, query_text, with_library
from .render import emit_json


@main.command("sets")
@json_option('JSON: a list of {"name", "query", "frozen", "articles"} (articles: how many).')
@with_library
def sets_(lib: Library, as_json: bool) -> None:
    """The sets, with how many articles each holds now (set:NAME in any query)."""
    note_update(lib)
    found = lib.sets.summary()
    if as_json:
        emit_json(found)
        return
    if not found:
        render.echo("no sets yet: glose set save NAME QUERY (or set freeze NAME QUERY)", err=True)
        return
    from rich.text import Text

    out = render.console()
    for row in found:
        line = Text(row["name"], style="bold")
        kind = "frozen" if row["frozen"] else "query"
        count = counted(row["articles"], "article") if row["articles"] is not None else "error"
        line.append(f"  {count}  ({kind}) ", style="dim")
        line.append(row["query"])
        out.print(line)
        if "error" in row:
            out.print(Text(f"    {row['error']}", style="red"))


@main.group("set")
def set_() -> None:
    """Keep a set of articles under a name, used in any query as set:NAME.

    \b
    glose set save NAME QUERY      keep the query (run again each time)
    glose set freeze NAME QUERY    keep the articles it matches now
    glose set rename OLD NEW
    glose set delete NAME
    glose sets                     list them, with their counts
    """


def _kept(lib: Library, verb: str, made) -> None:
    count = len(lib.sets.articles(made.name))
    render.echo(
        f"{verb} set {terminal(made.name)}: {counted(count, 'article')} now (set:{terminal(made.name)}; "
        "glose undo takes it back)"
    )


def _named_query(fn: Callable) -> Callable:
    """NAME QUERY...: the arguments of set save and set freeze, with the library."""
    return click.argument("name")(click.argument("query", nargs=-1, required=True)(with_library(fn)))


def _keep(lib: Library, verb: str, keep: Callable, name: str, query: tuple[str, ...]) -> None:
    """Keep the set ``keep`` makes of NAME and QUERY (the index up to date first), and say so."""
    text = query_text(query)
    note_update(lib, search=True)
    _kept(lib, verb, keep(name, text))


@set_.command("save")
@_named_query
def set_save(lib: Library, name: str, query: tuple[str, ...]) -> None:
    """Keep QUERY under NAME: set:NAME then finds what QUERY finds at that moment."""
    _keep(lib, "saved", lib.sets.save, name, query)


@set_.command("freeze")
@_named_query
def set_freeze(lib: Library, name: str, query: tuple[str, ...]) -> None:
    """Keep the articles QUERY matches now under NAME, whatever the files become."""
    _keep(lib, "froze", lib.sets.freeze, name, query)


@set_.command("delete")
@click.argument("name")
@with_library
def set_delete(lib: Library, name: str) -> None:
    """Delete a set (glose undo brings it back)."""
    gone = lib.sets.delete(name)
    render.echo(f"deleted set {terminal(gone.name)} (glose undo brings it back)")


@set_.command("rename")
@click.argument("old")
@click.argument("new")
@with_library
def set_rename(lib: Library, old: str, new: str) -> None:
    """Rename a set (queries that name the old one must be saved again)."""
    made = lib.sets.rename(old, new)
    render.echo(f"renamed set {terminal(old)} to {terminal(made.name)}")
