"""The ``glose`` command: a thin click layer over the core.

Each command resolves the workspace, calls the same core functions the TUI calls, and formats
the result: styled text on a terminal (built as ``rich.text.Text``, never as markup, since
titles and snippets are data), plain text in a pipe, stable JSON with ``--json``.
Foreseen failures (:class:`GloseError`) print one line on stderr and exit 1.

This module must stay cheap to import: a one-shot ``glose search`` never imports Textual.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps

import click

from . import __version__
from .errors import GloseError
from .workspace import Workspace, ensure_index, open_engine, update_index

PATH_OPTIONS = {"--workspace", "-w", "--articles", "--index", "--db"}


class Failure(click.ClickException):
    """A foreseen failure: ``glose: message`` on stderr, exit 1."""

    def show(self, file=None) -> None:
        click.echo(f"glose: {self.message}", err=True)


class GloseGroup(click.Group):
    """Reads ``glose DIR`` as ``glose --workspace DIR`` (a subcommand name wins over a folder
    of the same name), and turns every :class:`GloseError` into one line and exit 1."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                break
            if arg in PATH_OPTIONS:
                i += 2
                continue
            if arg.startswith("-"):
                i += 1
                continue
            if arg not in self.commands:
                args[i : i + 1] = ["--workspace", arg]
            break
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GloseError as exc:
            raise Failure(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


def with_workspace(fn: Callable) -> Callable:
    """Pass the resolved :class:`Workspace` as the first argument."""

    @wraps(fn)
    @click.pass_context
    def wrapper(ctx: click.Context, *args, **kwargs):
        return fn(ctx.obj["workspace"](), *args, **kwargs)

    return wrapper


def _console(err: bool = False):
    from rich.console import Console

    return Console(stderr=err, highlight=False, markup=False, emoji=False, soft_wrap=True)


def _query_text(words: tuple[str, ...]) -> str:
    for word in words:
        if word.startswith("--"):
            raise click.UsageError(f"no such option: {word}")
    text = " ".join(words).strip()
    if not text:
        raise click.UsageError("give a query, for example: glose search deshabiller")
    return text


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _note_update(ws: Workspace) -> None:
    """Bring the index up to date before a read command, telling stderr when it did work."""
    report = ensure_index(ws)
    if report is not None and (report.changed or report.skipped):
        why = f" ({report.rebuilt})" if report.rebuilt else ""
        click.echo(f"index updated{why}: {report.summary()}", err=True)


# --- the group -----------------------------------------------------------------------------


@click.group(
    cls=GloseGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "-w",
    "--workspace",
    "root",
    type=click.Path(file_okay=False),
    help="Workspace folder (default: the current one).",
)
@click.option("--articles", type=click.Path(), help="Articles folder (default: WORKSPACE/articles).")
@click.option("--index", "index_dir", type=click.Path(), help="Index folder (default: WORKSPACE/index).")
@click.option(
    "--db", type=click.Path(dir_okay=False), help="Annotations database (default: WORKSPACE/annotations.db)."
)
@click.version_option(__version__, "-V", "--version", prog_name="glose")
@click.pass_context
def main(ctx: click.Context, root, articles, index_dir, db) -> None:
    """Glose: read, search and annotate a folder of plain-text articles.

    \b
    glose [DIR]               open the reader on DIR (default: the current folder)
    glose COMMAND --help      help on one command
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = lambda: Workspace.resolve(root, articles, index_dir, db)
    if ctx.invoked_subcommand is None:
        ws = ctx.obj["workspace"]()
        ws.check()
        click.echo(ctx.get_help())


@main.command()
@click.option("--rebuild", is_flag=True, help="Start over instead of updating what changed.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@with_workspace
def index(ws: Workspace, rebuild: bool, quiet: bool) -> None:
    """Bring the index up to date: add, update and remove only what changed."""
    if not quiet and sys.stderr.isatty():
        report = _index_with_progress(ws, rebuild)
    else:
        report = update_index(ws, rebuild=rebuild)
    if quiet:
        return
    if report.rebuilt:
        click.echo(f"Built a new index: {report.rebuilt}.")
    click.echo(f"{report.summary()} in {report.seconds:.2f} s.")
    for name, reason in report.skipped:
        click.echo(f"  skipped {name}: {reason}")


def _index_with_progress(ws: Workspace, rebuild: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=_console(err=True), transient=True) as bar:
        task = bar.add_task("index", total=None)

        def progress(done: int, total: int, article_id: str) -> None:
            bar.update(task, completed=done, total=total)

        return update_index(ws, rebuild=rebuild, progress=progress)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option(
    "-n", "--limit", default=10, show_default=True, type=click.IntRange(min=1), help="How many articles."
)
@click.option(
    "--json", "as_json", is_flag=True, help="JSON: article, title, date, source, score, snippet, hits."
)
@with_workspace
def search(ws: Workspace, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search the articles.

    \b
    Words are ANDed:        grok premium
    Exact phrase:           '"service premium"'
    Prefix (3+ letters):    harcel*
    Exclude:                grok -premium
    Either:                 deshabiller OR denuder
    Group:                  grok (payant OR premium)
    Fields:                 title:grok  source:ats  date:2026-01  date:2026-01-05..2026-01-10
    """
    text = _query_text(query)
    _note_update(ws)
    with open_engine(ws) as engine:
        results = engine.search(text, limit=limit)
        rows = []
        for hit in results.hits:
            snippet = engine.snippet(hit.article, results.compiled.highlight)
            spans = engine.article_hits(hit.article, results.compiled.highlight) if as_json else []
            rows.append((hit, snippet, spans))
    if as_json:
        _emit_json(
            {
                "query": text,
                "total": results.total,
                "results": [
                    {
                        "article": hit.article,
                        "title": hit.title,
                        "date": hit.date,
                        "source": hit.source,
                        "score": hit.score,
                        "snippet": snippet.text,
                        "snippet_start": snippet.start,
                        "hits": [{"start": s, "end": e} for s, e in spans],
                    }
                    for hit, snippet, spans in rows
                ],
            }
        )
        return
    _print_results(results.total, rows)


def _print_results(total: int, rows) -> None:
    from rich.text import Text

    console = _console()
    shown = len(rows)
    count = f"{total} article{'s' if total != 1 else ''}"
    console.print(Text(count + (f", the first {shown} shown" if shown < total else ""), style="dim"))
    for n, (hit, snippet, _) in enumerate(rows, 1):
        line = Text()
        line.append(f"{n:>2}  ", style="dim")
        line.append(hit.title, style="bold")
        meta = " · ".join(x for x in (hit.date, hit.source, hit.article) if x)
        line.append(f"  {meta}", style="dim")
        console.print(line)
        console.print(_snippet_text(snippet, indent=4))


def _snippet_text(snippet, indent: int = 0):
    from rich.text import Text

    text = Text(" " * indent + ("…" if snippet.start > 0 else ""))
    offset = len(text.plain) - snippet.start
    text.append(snippet.text + "…")
    for start, end in snippet.highlights:
        text.stylize("bold reverse", start + offset, end + offset)
    return text


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
@click.option("--json", "as_json", is_flag=True, help="JSON: article, start, end, left, match, right.")
@with_workspace
def kwic(ws: Workspace, query: tuple[str, ...], width: int, sort: str, as_json: bool) -> None:
    """Keyword in context: every occurrence of the query, one line each, aligned on the hit."""
    text = _query_text(query)
    _note_update(ws)
    with open_engine(ws) as engine:
        lines = engine.kwic(text, width=width, sort=sort)
    if as_json:
        _emit_json(
            [
                {
                    "article": k.article,
                    "start": k.start,
                    "end": k.end,
                    "left": k.left,
                    "match": k.match,
                    "right": k.right,
                }
                for k in lines
            ]
        )
        return
    from rich.text import Text

    console = _console()
    id_width = max((len(k.article) for k in lines), default=0)
    for k in lines:
        line = Text(f"{k.article:<{id_width}}  ", style="dim")
        line.append(k.left.rjust(width))
        line.append(k.match, style="bold reverse")
        line.append(k.right.ljust(width))
        console.print(line, overflow="ignore", crop=False)
    if not lines:
        click.echo("no occurrences", err=True)


@main.command()
@click.argument("article")
@with_workspace
def show(ws: Workspace, article: str) -> None:
    """Print an article's canonical text: the text every offset counts in."""
    from .corpus import read_canonical, resolve_path

    ws.check()
    article_id = ws.article_id(article)
    from .corpus import Skipped

    try:
        text, _, _ = read_canonical(resolve_path(ws.articles, article_id))
    except Skipped as exc:
        raise GloseError(f"{article_id}: {exc}") from None
    sys.stdout.write(text)
    sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover
    main()
