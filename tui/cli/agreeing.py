"""``glose agreement``: how far coders agree, per tag and overall, and where they do not."""

from __future__ import annotations

import click

from ..api import Library
from . import render
from .main import json_option, main, note_update, with_library


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
@json_option("JSON: coders, articles, units, tags, overall, disagreements (see the README).")
@click.option(
    "--csv", "as_csv", is_flag=True, help="CSV: a row per tag, the overall row, a row per disagreement."
)
@with_library
def agreement(lib: Library, coders, tags, articles, as_json, as_csv) -> None:
    """Agreement between coders: percent, Cohen's kappa and Krippendorff's alpha per tag and
    overall, every character of the compared articles a unit, and Krippendorff's uα over the
    coded passages; then the disagreements."""
    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv")
    names = [c.strip() for c in coders.split(",") if c.strip()] if coders is not None else None
    note_update(lib)
    result = lib.coders.agreement(names, tags=list(tags) or None, articles=list(articles) or None)
    render.emit(result, as_json, as_csv, render.agreement)
