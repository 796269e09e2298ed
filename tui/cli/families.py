"""``glose families``: the copies of one dispatch grouped (wire families), what each copy
changed, the member a family is counted as, and the source's codings proposed on its copies."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..api import Library
from . import render
from .main import json_option, main, note_update, with_library
from .render import emit_json

SHARE = click.FloatRange(0.0, 1.0, min_open=True)


@main.group(invoke_without_command=True)
@click.option("--where", "where", help="Only the articles this query finds.")
@click.option("--min-share", type=SHARE, help="Share of the shorter article two must share.  [default: 0.5]")
@json_option("JSON: families [{id, source, members [{article, date, source_name, share}]}].")
@click.pass_context
def families(ctx: click.Context, where, min_share, as_json) -> None:
    """Wire families: articles that carry the same text (the copies of one dispatch).

    \b
    glose families [--where Q] [--min-share S]   the families, their source, each copy's share
    glose families show FAMILY                   what each copy cut, added, reworded, moved
    glose families canonical FAMILY ARTICLE      count the family as ARTICLE (--dedupe families)
    glose families propagate FAMILY [--tag T]    propose the source's codings on the copies
    glose families accept|reject ID... | --all   decide on proposals (glose review lists them)
    """
    if ctx.invoked_subcommand is not None:
        return
    with ctx.obj["library"]() as lib:
        note_update(lib, search=True)
        found = lib.families.find(where, min_share=min_share)
    if as_json:
        emit_json({"families": [f.to_json() for f in found]})
        return
    if not found:
        render.echo("no families: no two articles share enough of their text", err=True)
        return
    from rich.text import Text

    out = render.console()
    for fam in found:
        head = Text(fam.id, style="bold")
        head.append(f"  {len(fam.members)} articles  source {fam.source}", style="dim")
        out.print(head)
        for m in fam.members:
            line = Text(f"  {m.date or '—':<10} {m.share:>4.0%}  ")
            line.append(m.article, style="bold" if m.article == fam.source else "")
            if m.source_name:
                line.append(f"  {m.source_name}", style="dim")
            out.print(line)


@families.command("show")
@click.argument("family")
@json_option("JSON: family, source, members [{article, share, cut, added, reworded, moved}].")
@with_library
def show(lib: Library, family, as_json) -> None:
    """What each copy changed in the family's source, in order."""
    note_update(lib, search=True)
    fam, found = lib.families.changes(family)
    share = {m.article: m.share for m in fam.members}
    if as_json:
        emit_json(
            {
                "family": fam.id,
                "source": fam.source,
                "members": [{"article": a, "share": share[a], **c.to_json()} for a, c in found],
            }
        )
        return
    from rich.text import Text

    out = render.console()
    out.print(Text(f"family {fam.id}: source {fam.source}", style="bold"))
    for article, ch in found:
        out.print(Text(f"\n{article}  ({share[article]:.0%} of the source)", style="bold"))
        if not (ch.cut or ch.added or ch.reworded or ch.moved):
            out.print(Text("  the source as it is", style="dim"))
        rows = [(c.start, "cut", c.text, None) for c in ch.cut]
        rows += [(r.source.start, "reworded", r.source.text, r.copy.text) for r in ch.reworded]
        rows += [(m.source.start, "moved", m.source.text, None) for m in ch.moved]
        for _at, kind, text, new in sorted(rows):
            line = Text(f"  {kind:<9}", style={"cut": "red", "reworded": "yellow", "moved": "cyan"}[kind])
            line.append(_short(text))
            if new is not None:
                line.append("  →  ", style="dim")
                line.append(_short(new))
            out.print(line)
        for a in ch.added:
            line = Text("  added    ", style="green")
            line.append(_short(a.text))
            out.print(line)


def _short(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@families.command("canonical")
@click.argument("family")
@click.argument("article")
@with_library
def canonical(lib: Library, family, article) -> None:
    """Count FAMILY as ARTICLE, one of its members, where --dedupe families counts it once
    (its source: back to the default). Undo with glose undo."""
    note_update(lib, search=True)
    fam, changed = lib.families.canonical(family, article)
    chosen = lib.families.representative(fam)
    render.echo(f"family {fam.id} counts as {chosen}" + ("" if changed else " already"))


@families.command("propagate")
@click.argument("family")
@click.option("-t", "--tag", help="Only the codings with this tag (or a tag below it).")
@json_option("JSON: family, proposed [as glose review --json], skipped [{article, annotation, reason}].")
@with_library
def propagate(lib: Library, family, tag, as_json) -> None:
    """Propose the source's codings on every copy that still holds the coded passage
    (status proposed: nothing counts them until accepted)."""
    note_update(lib, search=True)
    report = lib.families.propagate(family, tag=tag)
    if as_json:
        emit_json(report.to_json())
        return
    render.echo(f"family {report.family}: {report.summary()}")
    for row in report.proposed:
        render.echo(
            f"  proposed {row['id'][:8]}  {row['article']} {row['start']}-{row['end']}  [{', '.join(row['tags'])}]"
        )
    for skip in report.skipped:
        render.echo(f"  not on {skip['article']} (coding {skip['annotation'][:8]}): {skip['reason']}")
    if report.proposed:
        render.echo("accept or reject them: glose families accept|reject ID... | --all", err=True)


def _decide(lib: Library, ids, every: bool, family, accept: bool) -> None:
    if not every and not ids:
        raise click.UsageError("give proposal ids, or --all")
    decided, _made = lib.families.decide(None if every else list(ids), accept=accept, family=family)
    if not decided:
        render.echo("no proposal waiting", err=True)
        return
    verb = "accepted" if accept else "rejected"
    for row in decided:
        render.echo(f"{verb} {row['id'][:8]}  {row['article']} {row['start']}-{row['end']}")


def _decision(fn: Callable) -> Callable:
    """ID... | --all [--family F]: the proposals accept and reject decide on, with the library."""
    for option in (
        with_library,
        click.option("--family", help="With --all: only this family's."),
        click.option("--all", "every", is_flag=True, help="Every waiting proposal (of --family)."),
        click.argument("ids", metavar="ID...", nargs=-1),
    ):
        fn = option(fn)
    return fn


@families.command("accept")
@_decision
def accept(lib: Library, ids, every, family) -> None:
    """Accept proposals: each becomes an annotation (checked against its article's text)."""
    _decide(lib, ids, every, family, True)


@families.command("reject")
@_decision
def reject(lib: Library, ids, every, family) -> None:
    """Reject proposals (undo with glose undo)."""
    _decide(lib, ids, every, family, False)
