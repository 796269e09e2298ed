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
from dataclasses import asdict
from functools import wraps
from pathlib import Path

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
    from .index import IndexError_

    try:
        report = ensure_index(ws)
    except IndexError_ as exc:
        if not (ws.index / "state.json").exists():
            raise
        click.echo(f"glose: {exc}; searching the index as it is", err=True)
        return
    if report is not None and (report.changed or report.skipped):
        why = f" ({report.rebuilt})" if report.rebuilt else ""
        click.echo(f"index updated{why}: {report.summary()}", err=True)
    if report is not None and report.annotations is not None and report.annotations.changed:
        click.echo(report.annotations.summary(), err=True)


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
        if not sys.stdin.isatty() or not sys.stdout.isatty():
            raise GloseError("the reader needs a terminal; see glose --help for the commands")
        from .app import run

        run(ws)


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
    if report.annotations is not None and report.annotations.changed:
        click.echo(report.annotations.summary())


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
        total = results.total  # counted while the index is open
    if as_json:
        _emit_json(
            {
                "query": text,
                "total": total,
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
    _print_results(total, rows)


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
        _emit_json([asdict(k) for k in lines])
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
    from .annotating import article_text

    ws.check()
    sys.stdout.write(article_text(ws, article).text)
    sys.stdout.flush()


# --- annotations ---------------------------------------------------------------------------


def _store(ws: Workspace):
    from .annotating import open_store

    ws.check()
    return open_store(ws)


def _print_annotations(anns, *, quote_width: int = 160) -> None:
    from rich.text import Text

    console = _console()
    for ann in anns:
        head = Text()
        head.append(ann.id[:8], style="bold")
        head.append(f"  {ann.article}  {ann.start}–{ann.end}  ", style="dim")
        head.append(ann.status, style="green" if ann.status == "anchored" else "yellow bold")
        if ann.deleted:
            head.append("  deleted", style="red")
        if ann.tags:
            head.append("  " + ", ".join(ann.tags), style="cyan")
        console.print(head)
        quote = " ".join(ann.exact.split())
        if len(quote) > quote_width:
            quote = quote[: quote_width - 1] + "…"
        console.print(Text(f"    “{quote}”"))
        if ann.note:
            console.print(Text("    " + ann.note.replace("\n", "\n    "), style="italic"))


def _done(verb: str, ann, as_json: bool) -> None:
    if as_json:
        _emit_json(ann.to_json())
        return
    from rich.text import Text

    line = Text(f"{verb} {ann.id[:8]}  {ann.article}  {ann.start}–{ann.end}  {ann.status}")
    if ann.tags:
        line.append("  " + ", ".join(ann.tags))
    _console().print(line)


@main.command()
@click.argument("article")
@click.option(
    "--quote", help="The passage, as it appears in the article (quote marks and spaces may differ)."
)
@click.option(
    "--occurrence", type=click.IntRange(min=1), help="Which occurrence of the quote (1 = the first)."
)
@click.option("--start", type=click.IntRange(min=0), help="Start offset in the canonical text (glose show).")
@click.option("--end", type=click.IntRange(min=0), help="End offset (exclusive).")
@click.option("-t", "--tag", "tags", multiple=True, help="A tag (repeatable); a/b makes a hierarchy.")
@click.option("--note", help="A note (free text).")
@click.option("--json", "as_json", is_flag=True, help="Print the new annotation as JSON.")
@with_workspace
def annotate(ws: Workspace, article, quote, occurrence, start, end, tags, note, as_json) -> None:
    """Annotate a passage of ARTICLE, by --quote or by --start/--end offsets."""
    from .annotating import annotate as do_annotate

    if quote is not None and (start is not None or end is not None):
        raise click.UsageError("give either --quote or --start/--end, not both")
    if quote is None and (start is None or end is None):
        raise click.UsageError("give the passage: --quote TEXT, or --start S --end E")
    if occurrence is not None and quote is None:
        raise click.UsageError("--occurrence goes with --quote")
    with _store(ws) as store:
        ann = do_annotate(
            ws, store, article, quote=quote, occurrence=occurrence, start=start, end=end, tags=tags, note=note
        )
    _done("annotated", ann, as_json)


@main.command()
@click.option("-t", "--tag", help="Only annotations with this tag (or a tag below it).")
@click.option("-a", "--article", help="Only this article's annotations.")
@click.option("--orphaned", is_flag=True, help="Only orphans (annotations whose text is gone).")
@click.option("--deleted", is_flag=True, help="Only the trash (deleted annotations, restorable).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON: id, article, start, end, quote, tags, note, status, created, updated, deleted.",
)
@with_workspace
def annotations(ws: Workspace, tag, article, orphaned, deleted, as_json) -> None:
    """List annotations (orphans included, marked), in article order."""
    _note_update(ws)
    with _store(ws) as store:
        anns = store.annotations(
            tag=tag, article=ws.article_id(article) if article else None, orphaned=orphaned, deleted=deleted
        )
    if as_json:
        _emit_json([a.to_json() for a in anns])
        return
    _print_annotations(anns)
    if not anns:
        click.echo("no annotations", err=True)


@main.command()
@click.argument("annotation")
@click.option("-t", "--tag", "tags", multiple=True, help="Replace the tags with these (repeatable).")
@click.option("--add-tag", "add", multiple=True, help="Add a tag (repeatable).")
@click.option("--remove-tag", "remove", multiple=True, help="Remove a tag (repeatable).")
@click.option("--no-tags", is_flag=True, help="Remove every tag.")
@click.option("--note", help="Replace the note ('' clears it).")
@click.option("--json", "as_json", is_flag=True)
@with_workspace
def edit(ws: Workspace, annotation, tags, add, remove, no_tags, note, as_json) -> None:
    """Change an annotation's tags or note (ANNOTATION: id or its first characters)."""
    if not (tags or add or remove or no_tags or note is not None):
        raise click.UsageError("nothing to change: give --tag, --add-tag, --remove-tag, --no-tags or --note")
    with _store(ws) as store:
        ann = store.edit(
            annotation, tags=[] if no_tags else (tags or None), add_tags=add, remove_tags=remove, note=note
        )
    _done("edited", ann, as_json)


@main.command()
@click.argument("annotations_", metavar="ANNOTATION...", nargs=-1, required=True)
@with_workspace
def delete(ws: Workspace, annotations_) -> None:
    """Move annotations to the trash (glose restore brings them back)."""
    with _store(ws) as store:
        for ident in annotations_:
            _done("deleted", store.delete(ident), False)


@main.command()
@click.argument("annotations_", metavar="ANNOTATION...", nargs=-1, required=True)
@with_workspace
def restore(ws: Workspace, annotations_) -> None:
    """Bring annotations back from the trash."""
    with _store(ws) as store:
        for ident in annotations_:
            _done("restored", store.restore(ident), False)


@main.group(invoke_without_command=True)
@click.option(
    "--json", "as_json", is_flag=True, help="JSON, as glose annotations --json (with previous positions)."
)
@click.pass_context
def review(ctx: click.Context, as_json: bool) -> None:
    """Moved, approximately re-anchored and orphaned annotations, waiting for a look.

    \b
    glose review                         the list
    glose review accept ID... | --all    keep their new place
    glose review reattach ID --quote T   put an orphan on a new passage
    """
    if ctx.invoked_subcommand is not None:
        return
    ws = ctx.obj["workspace"]()
    _note_update(ws)
    with _store(ws) as store:
        anns = store.annotations(review=True)
    if as_json:
        _emit_json(
            [
                {
                    **a.to_json(),
                    "previous_start": a.old_start,
                    "previous_end": a.old_end,
                    "previous_quote": a.old_exact,
                }
                for a in anns
            ]
        )
        return
    if not anns:
        click.echo("nothing to review: every annotation is where it was made")
        return
    _print_annotations(anns)
    from rich.text import Text

    for ann in anns:
        if ann.old_exact and ann.status == "fuzzy":
            _console().print(Text(f"{ann.id[:8]} was: “{' '.join(ann.old_exact.split())}”", style="dim"))


@review.command("accept")
@click.argument("annotations_", metavar="ANNOTATION...", nargs=-1)
@click.option("--all", "accept_all", is_flag=True, help="Accept every moved and fuzzy annotation.")
@with_workspace
def review_accept(ws: Workspace, annotations_, accept_all: bool) -> None:
    """Accept the new place of moved or fuzzy annotations."""
    with _store(ws) as store:
        if accept_all:
            annotations_ = [a.id for a in store.annotations(review=True) if a.status in ("moved", "fuzzy")]
        elif not annotations_:
            raise click.UsageError("give annotation ids, or --all")
        for ident in annotations_:
            _done("accepted", store.accept(ident), False)


@review.command("reattach")
@click.argument("annotation")
@click.option("-a", "--article", help="Attach to another article (default: its own).")
@click.option("--quote", help="The new passage.")
@click.option("--occurrence", type=click.IntRange(min=1))
@click.option("--start", type=click.IntRange(min=0))
@click.option("--end", type=click.IntRange(min=0))
@with_workspace
def review_reattach(ws: Workspace, annotation, article, quote, occurrence, start, end) -> None:
    """Attach an annotation (an orphan, typically) to a new passage; tags and note stay."""
    from .annotating import reattach

    if quote is None and (start is None or end is None):
        raise click.UsageError("give the new passage: --quote TEXT, or --start S --end E")
    with _store(ws) as store:
        ann = reattach(
            ws, store, annotation, article=article, quote=quote, occurrence=occurrence, start=start, end=end
        )
    _done("re-attached", ann, False)


# --- tags ----------------------------------------------------------------------------------


@main.command()
@click.option("--json", "as_json", is_flag=True, help="JSON: name, color, description, count, articles.")
@with_workspace
def tags(ws: Workspace, as_json: bool) -> None:
    """The codebook: every tag with its color and how many annotations and articles carry it."""
    with _store(ws) as store:
        book = store.tags()
    if as_json:
        _emit_json([asdict(t) for t in book])
        return
    from rich.text import Text

    console = _console()
    for t in book:
        line = Text("██ ", style=t.color)
        line.append(t.name, style="bold")
        line.append(
            f"  {t.count} annotation{'s' * (t.count != 1)}, {t.articles} article{'s' * (t.articles != 1)}",
            style="dim",
        )
        if t.description:
            line.append(f"  {t.description}")
        console.print(line)
    if not book:
        click.echo("no tags yet: glose annotate ID --quote … --tag NAME", err=True)


@main.group()
def tag() -> None:
    """Change the codebook: create, rename, merge, color, describe tags."""


@tag.command("create")
@click.argument("name")
@click.option("--color", help="#RRGGBB or a palette name (blue, orange, red, teal, green...).")
@click.option("--description", help="What the tag means, for whoever codes next.")
@with_workspace
def tag_create(ws: Workspace, name, color, description) -> None:
    """Add a tag to the codebook before using it."""
    with _store(ws) as store:
        t = store.create_tag(name, color=color, description=description)
    click.echo(f"tag {t.name} ({t.color})")


@tag.command("rename")
@click.argument("old")
@click.argument("new")
@with_workspace
def tag_rename(ws: Workspace, old, new) -> None:
    """Rename a tag; every annotation follows."""
    with _store(ws) as store:
        t = store.rename_tag(old, new)
    click.echo(f"renamed to {t.name} ({t.count} annotations)")


@tag.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The tag that remains (created if needed).")
@with_workspace
def tag_merge(ws: Workspace, sources, target) -> None:
    """Merge tags into one; their annotations keep every coding."""
    with _store(ws) as store:
        t = store.merge_tags(list(sources), target)
    click.echo(f"merged into {t.name} ({t.count} annotations)")


@tag.command("color")
@click.argument("name")
@click.argument("color")
@with_workspace
def tag_color(ws: Workspace, name, color) -> None:
    """Set a tag's color (#RRGGBB or a palette name)."""
    with _store(ws) as store:
        t = store.color_tag(name, color)
    click.echo(f"{t.name} is now {t.color}")


@tag.command("describe")
@click.argument("name")
@click.argument("description")
@with_workspace
def tag_describe(ws: Workspace, name, description) -> None:
    """Set a tag's description ('' clears it)."""
    with _store(ws) as store:
        t = store.describe_tag(name, description)
    click.echo(f"{t.name}: {t.description or '(no description)'}")


# --- metadata ------------------------------------------------------------------------------


@main.command()
@click.argument("article")
@click.option("--title", help="Override the guessed title ('' restores the guess).")
@click.option("--date", help="Override the date (YYYY-MM-DD; '' restores the guess).")
@click.option("--source", help="Override the source ('' restores the guess).")
@click.option("--json", "as_json", is_flag=True)
@with_workspace
def meta(ws: Workspace, article, title, date, source, as_json) -> None:
    """Show an article's title, date and source, or override the guesses."""
    from .corpus import load_article
    from .index import reindex_metadata
    from .metadata import parse_date

    ws.check()
    article_id = ws.article_id(article)
    if date:
        iso = parse_date(date)
        if iso is None:
            raise GloseError(f"invalid date '{date}': use YYYY-MM-DD")
        date = iso
    guessed = load_article(ws.articles, article_id)
    with _store(ws) as store:
        if any(v is not None for v in (title, date, source)):
            overrides = store.set_meta(article_id, title=title, date=date, source=source)
            reindex_metadata(ws.articles, ws.index, ws.language, article_id, overrides)
        else:
            overrides = store.meta(article_id)
    values = {
        "article": article_id,
        "title": overrides.get("title") or guessed.title,
        "date": overrides.get("date") or guessed.date,
        "source": overrides.get("source") or guessed.source,
        "overridden": sorted(overrides),
        "encoding": guessed.encoding,
        "hash": guessed.hash,
    }
    if as_json:
        _emit_json(values)
        return
    from rich.text import Text

    console = _console()
    for key in ("article", "title", "date", "source", "encoding", "hash"):
        mark = " (set by hand)" if key in overrides else ""
        console.print(Text(f"{key:>8}  {values[key] or '—'}{mark}"))


# --- reading across articles ---------------------------------------------------------------


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
@click.option(
    "--json", "as_json", is_flag=True, help="JSON: text, words, exact, a {start, end}, b {start, end}."
)
@with_workspace
def shared(ws: Workspace, first, second, min_words, as_json) -> None:
    """Passages two articles share (case, accents, punctuation and quote marks ignored)."""
    from .annotating import article_text
    from .passages import shared_passages

    ws.check()
    a, b = article_text(ws, first), article_text(ws, second)
    spans = shared_passages(a.text, b.text, min_words=min_words)
    if as_json:
        _emit_json({"a": a.id, "b": b.id, "passages": [s.to_json(a.text) for s in spans]})
        return
    from rich.text import Text

    console = _console()
    if not spans:
        click.echo(f"no passage of {min_words} words or more in common", err=True)
    for s in spans:
        head = Text(f"{s.words} words", style="bold")
        head.append(f"  {a.id} {s.a_start}–{s.a_end}  ·  {b.id} {s.b_start}–{s.b_end}", style="dim")
        if not s.exact:
            head.append("  (a few words differ)", style="yellow")
        console.print(head)
        console.print(Text("    " + " ".join(a.text[s.a_start : s.a_end].split())))


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
@click.option("--json", "as_json", is_flag=True, help="JSON: article, start, end, similarity, snippet.")
@with_workspace
def where(ws: Workspace, article, quote, start, end, min_similarity, as_json) -> None:
    """Every article holding a passage, or nearly: --quote TEXT, or ARTICLE --start S --end E."""
    from .annotating import article_text
    from .passages import where_else

    exclude = None
    if quote is None:
        if article is None or start is None or end is None:
            raise click.UsageError("give --quote TEXT, or ARTICLE --start S --end E")
        doc = article_text(ws, article)
        if not 0 <= start < end <= len(doc.text):
            raise GloseError(f"offsets {start}-{end} are outside {doc.id} (0-{len(doc.text)})")
        quote, exclude = doc.text[start:end], (doc.id, start, end)
    _note_update(ws)
    with open_engine(ws) as engine:
        found = where_else(engine, quote, exclude=exclude, min_similarity=min_similarity)
    if as_json:
        _emit_json([o.to_json() for o in found])
        return
    if not found:
        click.echo("found nowhere else", err=True)
    from rich.text import Text

    console = _console()
    for o in found:
        head = Text(f"{o.similarity:.0%}", style="bold")
        head.append(f"  {o.article}  {o.start}–{o.end}", style="dim")
        console.print(head)
        snippet = " ".join(o.text.split())
        console.print(Text("    " + (snippet if len(snippet) <= 200 else snippet[:199] + "…")))


@main.command()
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="JSON: tags, cooccurrence {span, article}, matrix, by_source, by_date.",
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV in long form: table, row, column, value.")
@with_workspace
def stats(ws: Workspace, as_json, as_csv) -> None:
    """Tag analysis: counts, co-occurrence, tag × article matrix, counts by source and date."""
    from .stats import compute
    from .workspace import article_catalog

    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv")
    _note_update(ws)
    with _store(ws) as store:
        result = compute(store, article_catalog(ws))
    if as_json:
        _emit_json(result.to_json())
        return
    if as_csv:
        sys.stdout.write(result.to_csv())
        return
    _print_stats(result)


def _print_stats(result) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if not result.tags:
        click.echo("no tags yet", err=True)
        return
    top = max(t.count for t in result.tags) or 1
    table = Table(title="Tags", title_justify="left", box=None, show_edge=False)
    for column in ("tag", "annotations", "articles", ""):
        table.add_column(column)
    for t in result.tags:
        table.add_row(
            Text(t.name),
            str(t.count),
            str(t.articles),
            Text("█" * max(1, round(20 * t.count / top)) if t.count else "", style=t.color),
        )
    console.print(table)
    for title, counter in (
        ("Co-occurring on a span", result.span_cooccurrence),
        ("Co-occurring in an article", result.article_cooccurrence),
    ):
        if counter:
            table = Table(title=title, title_justify="left", box=None, show_edge=False)
            for column in ("tag", "tag", "count"):
                table.add_column(column)
            for (a, b), n in counter.most_common():
                table.add_row(Text(a), Text(b), str(n))
            console.print(table)
    for title, counter in (
        ("Annotations by source", result.by_source),
        ("Annotations by date", result.by_date),
    ):
        table = Table(title=title, title_justify="left", box=None, show_edge=False)
        table.add_column("")
        table.add_column("annotations")
        for key, n in sorted(counter.items()):
            table.add_row(Text(key), str(n))
        console.print(table)


# --- export and import ---------------------------------------------------------------------


@main.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice(["markdown", "csv", "json", "qdpx"]), required=True)
@click.option("-t", "--tag", help="Only annotations with this tag (or below it).")
@click.option("-a", "--article", help="Only this article's annotations.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout)."
)
@with_workspace
def export_(ws: Workspace, fmt, tag, article, output) -> None:
    """Export annotations: markdown, csv, json (W3C Web Annotation) or qdpx (REFI-QDA)."""
    from .export import gather, render, write_file

    _note_update(ws)
    if output is None and fmt == "qdpx" and sys.stdout.isatty():
        raise click.UsageError("a .qdpx is a zip archive: give -o FILE.qdpx")
    with _store(ws) as store:
        data = gather(ws, store, tag=tag, article=article)
    payload = render(data, fmt)
    for note in data.notes:
        click.echo(f"note: {note}", err=True)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    write_file(Path(output), payload)
    click.echo(f"exported {len(data.annotations)} annotations to {output}", err=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_workspace
def import_(ws: Workspace, file) -> None:
    """Merge annotations from a Glose JSON export or a REFI-QDA .qdpx (by annotation id)."""
    from .importer import import_file

    _note_update(ws)
    with _store(ws) as store:
        report = import_file(ws, store, Path(file))
    click.echo(report.summary())
    for what, reason in report.skipped:
        click.echo(f"  skipped {what}: {reason}")


if __name__ == "__main__":  # pragma: no cover
    main()
