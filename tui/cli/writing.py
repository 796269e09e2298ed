"""``glose report`` and ``glose cite``: the coded passages as a document, the articles as
references for a reference manager."""

from __future__ import annotations

import click

from ..api import Library
from . import render
from .main import main, note_update, with_library


@main.command("report")
@click.option(
    "--by",
    default="tag",
    show_default=True,
    help="Group the passages by tag, by article, or by a variable (source, date, author, section, page).",
)
@click.option("--where", help="Only the articles this query matches.")
@click.option(
    "-t", "--tag", "tags", multiple=True, help="Only passages with this tag (or below it); repeatable."
)
@click.option("-a", "--article", "articles", multiple=True, help="Only this article's passages; repeatable.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The report: .docx, .odt, .html (one self-contained file) or .md.",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (else refused).")
@with_library
def report(lib: Library, by: str, where, tags, articles, output, force: bool) -> None:
    """A report of the coded passages: the project memo, the codebook with counts, then per
    group each passage's quote, note and coder under its article's citation line."""
    note_update(lib)
    done = lib.writing.report(output, by=by, where=where, tags=tags, articles=articles, replace=force)
    for note in done.notes:
        render.echo(f"note: {note}", err=True)
    render.echo(f"wrote the report ({done.format}, {done.what()}) to {output}", err=True)


@main.command("cite")
@click.argument("query", nargs=-1)
@click.option("--where", help="Only the articles this query matches (with QUERY: both).")
@click.option(
    "-f",
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["ris", "csl-json", "bibtex"]),
    help="RIS (Zotero, EndNote), CSL-JSON (Zotero, Pandoc, citeproc) or BibTeX.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (else refused).")
@with_library
def cite(lib: Library, query: tuple[str, ...], where, fmt: str, output, force: bool) -> None:
    """One reference per article (a newspaper article: title, outlet, date, authors, page,
    section, document id, address): the articles QUERY matches, or all of them."""
    for word in query:
        if word.startswith("--"):
            raise click.UsageError(f"no such option: {word}")
    note_update(lib, search=True)
    count, _ = lib.writing.cite(fmt, output, query=" ".join(query) or None, where=where, replace=force)
    render.echo(f"wrote {count} reference{'s' if count != 1 else ''} ({fmt}) to {output}", err=True)
