"""``glose agreement``: how far coders agree, per tag and overall, and where they do not."""

from __future__ import annotations

import click

from ..api import Library
from . import render
from .main import json_option, main, note_update, where_articles, where_option, with_library


@main.command()
@click.option("--coders", help="The coders to compare, comma-separated (default: every coder).")
@click.option(
    "-t", "--tag", "tags", multiple=True, help="Only this tag (repeatable; default: every tag used)."
)
@click.option(
    "-a",
    "--article",
    "articles",
    multiple=True,
    help="Only this article (repeatable; default: every one coded).",
)
@where_option()
@json_option("JSON: coders, articles, units, tags, overall, disagreements (see the README).")
@click.option(
    "--csv", "as_csv", is_flag=True, help="CSV: a row per tag, the overall row, a row per disagreement."
)
@with_library
def agreement(lib: Library, coders, tags, articles, where, as_json, as_csv) -> None:
    """Agreement between coders: percent, Cohen's kappa and Krippendorff's alpha per tag and
    overall, every character of the compared articles a unit, and Krippendorff's uα over the
    coded passages; then the disagreements."""
    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv")
    names = coder_list(coders) if coders is not None else None
    within = where_articles(lib, where)
    result = lib.coders.agreement(
        names, tags=list(tags) or None, articles=list(articles) or None, within=within
    )
    render.emit(result, as_json, as_csv, render.agreement)


def coder_list(coders: str) -> list[str]:
    return [c.strip() for c in coders.split(",") if c.strip()]


@main.command()
@click.argument("articles", nargs=-1)
@click.option("--coder", help="Whose coding is done (default: yours).")
@click.option("--unmark", is_flag=True, help="Not done after all: take the marks off.")
@click.option("--list", "listing", is_flag=True, help="List the articles each coder has marked done.")
@json_option("With --list: {coder: {article: when}}; else the articles marked.")
@with_library
def done(lib: Library, articles, coder, unmark, listing, as_json) -> None:
    """Mark ARTICLES as coded by you (or --coder): once a coder has marked any article done,
    agreement counts the articles they have not marked as not coded by them (missing data),
    not as coded with nothing. One undoable change (glose undo)."""
    if listing:
        if articles or unmark:
            raise click.UsageError("--list takes no article and no --unmark")
        marks = lib.coders.done_marks()
        if coder is not None:
            marks = {coder: marks.get(coder, {})}
        if as_json:
            render.emit_json(marks)
            return
        if not any(marks.values()):
            render.echo("no article is marked done yet (glose done ARTICLE)")
        for who, found in marks.items():
            render.echo(f"{who}: {len(found)} article{'s' * (len(found) != 1)} done")
            for article in found:
                render.echo(f"  {article}")
        return
    if not articles:
        raise click.UsageError("give the articles that are done (glose done ARTICLE...), or --list")
    who = coder or lib.coder
    changed = lib.coders.mark_done(list(articles), coder=coder, done=not unmark)
    if as_json:
        render.emit_json({"coder": who, "done": not unmark, "changed": changed})
        return
    state = "not done" if unmark else "done"
    if not changed:
        render.echo(f"nothing changed: already {state} for {who}")
        return
    for article in changed:
        render.echo(f"{article}: {state} for {who}")


@main.command()
@click.option("--coders", required=True, help="The coders to settle between, comma-separated.")
@click.option("-t", "--tag", "tags", multiple=True, help="Only this tag (repeatable; default: every tag).")
@where_option()
@click.option(
    "--adopt-all",
    "adopt",
    is_flag=True,
    help="Adopt every disagreement: those who did not code a span get it.",
)
@click.option(
    "--reject-all",
    "reject",
    is_flag=True,
    help="Reject every disagreement: those who coded a span no longer do.",
)
@json_option("JSON: how, coders, settled, event, annotations, left (with why), skipped.")
@with_library
def settle(lib: Library, coders, tags, where, adopt, reject, as_json) -> None:
    """Settle every disagreement between coders at once, as one change that glose undo takes
    back; the rejections a person must make (cutting an annotation in two) are listed, not made."""
    if adopt == reject:
        raise click.UsageError("choose --adopt-all or --reject-all")
    note_update(lib, search=where is not None)
    result = lib.coders.settle_all(
        coder_list(coders), "adopt" if adopt else "reject", tags=list(tags) or None, where=where
    )
    if as_json:
        render.emit_json(result.to_json())
        return
    if result.label is None:
        render.echo("nothing to settle")
    else:
        render.echo(f"{result.label} (glose undo takes it back)")
    if result.skipped:
        render.echo(
            f"{len(result.skipped)} article{'s' * (len(result.skipped) != 1)} not looked at: "
            "coded by fewer than two of the coders (glose done) or missing",
            err=True,
        )
    for d, why in result.left:
        render.echo(f"left: [{d.tag}] {d.article} {d.start}-{d.end}: {why}", err=True)
