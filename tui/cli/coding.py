"""Commands that code: annotate, list, edit, delete, restore, review, the codebook, export,
import, and the journal (undo, redo, log)."""

from __future__ import annotations

import re
import sys
from dataclasses import asdict
from pathlib import Path

import click

from ..api import Library, Passage
from ..sanitize import terminal
from ..wording import counted
from . import render
from .main import dedupe_option, json_option, main, note_update, where_articles, where_option, with_library
from .render import emit_json

ANNOTATION_KEYS = "id, article, start, end, quote, tags, note, status, created, updated, deleted, coder"
CODER_OPTION = click.option(
    "--coder", "coders", multiple=True, help="Only this coder's annotations (repeatable)."
)


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
@json_option("Print the new annotation as JSON.")
@with_library
def annotate(lib: Library, article, quote, occurrence, start, end, tags, note, as_json) -> None:
    """Annotate a passage of ARTICLE, by --quote or by --start/--end offsets."""
    if quote is not None and (start is not None or end is not None):
        raise click.UsageError("give either --quote or --start/--end, not both")
    if quote is None and (start is None or end is None):
        raise click.UsageError("give the passage: --quote TEXT, or --start S --end E")
    if occurrence is not None and quote is None:
        raise click.UsageError("--occurrence goes with --quote")
    ann = lib.annotations.annotate(
        Passage(article, quote=quote, occurrence=occurrence, start=start, end=end), tags=tags, note=note
    )
    render.done("annotated", ann, as_json)


@main.command()
@click.option("-t", "--tag", help="Only annotations with this tag (or a tag below it).")
@click.option("-a", "--article", help="Only this article's annotations.")
@click.option("--orphaned", is_flag=True, help="Only orphans (annotations whose text is gone).")
@click.option("--deleted", is_flag=True, help="Only the trash (deleted annotations, restorable).")
@CODER_OPTION
@where_option()
@json_option(f"JSON: {ANNOTATION_KEYS}.")
@with_library
def annotations(lib: Library, tag, article, orphaned, deleted, coders, where, as_json) -> None:
    """List annotations (orphans included, marked), in article order."""
    within = where_articles(lib, where)
    anns = lib.annotations.find(
        tag=tag,
        article=article,
        orphaned=orphaned,
        deleted=deleted,
        coders=list(coders) or None,
        within=within,
    )
    if as_json:
        emit_json([a.to_json() for a in anns])
        return
    render.annotations(anns)
    if not anns:
        render.echo("no annotations", err=True)


@main.command()
@click.argument("annotation")
@click.option("-t", "--tag", "tags", multiple=True, help="Replace the tags with these (repeatable).")
@click.option("--add-tag", "add", multiple=True, help="Add a tag (repeatable).")
@click.option("--remove-tag", "remove", multiple=True, help="Remove a tag (repeatable).")
@click.option("--no-tags", is_flag=True, help="Remove every tag.")
@click.option("--note", help="Replace the note ('' clears it).")
@json_option("Print the annotation as JSON.")
@with_library
def edit(lib: Library, annotation, tags, add, remove, no_tags, note, as_json) -> None:
    """Change an annotation's tags or note (ANNOTATION: id or its first characters)."""
    if not (tags or add or remove or no_tags or note is not None):
        raise click.UsageError("nothing to change: give --tag, --add-tag, --remove-tag, --no-tags or --note")
    ann = lib.annotations.edit(
        annotation, tags=[] if no_tags else (tags or None), add_tags=add, remove_tags=remove, note=note
    )
    render.done("edited", ann, as_json)


@main.command()
@click.argument("annotations_", metavar="ANNOTATION...", nargs=-1, required=True)
@with_library
def delete(lib: Library, annotations_) -> None:
    """Move annotations to the trash (glose restore brings them back)."""
    for ident in annotations_:
        render.done("deleted", lib.annotations.delete(ident))


@main.command()
@click.argument("annotations_", metavar="ANNOTATION...", nargs=-1, required=True)
@with_library
def restore(lib: Library, annotations_) -> None:
    """Bring annotations back from the trash."""
    for ident in annotations_:
        render.done("restored", lib.annotations.restore(ident))


@main.group(invoke_without_command=True)
@where_option()
@json_option("JSON, as glose annotations --json (with previous positions).")
@click.pass_context
def review(ctx: click.Context, where: str | None, as_json: bool) -> None:
    """Moved, approximately re-anchored and orphaned annotations, and the codings proposed
    on a wire family's copies (status proposed), waiting for a look.

    \b
    glose review                         the list
    glose families accept|reject ID...   decide on proposed codings
    glose review accept ID... | --all    keep their new place
    glose review reattach ID --quote T   put an orphan on a new passage
    """
    if ctx.invoked_subcommand is not None:
        return
    with ctx.obj["library"]() as lib:
        anns = lib.annotations.review(where_articles(lib, where))
        proposed = {a.id: lib.annotations.candidates(a) for a in anns if a.status == "orphaned"}
        waiting = lib.families.proposals_json(lib.families.proposals())
    if as_json:
        emit_json(
            [
                {
                    **a.to_json(),
                    "previous_start": a.old_start,
                    "previous_end": a.old_end,
                    "previous_quote": a.old_exact,
                    "candidates": [c.to_json() for c in proposed.get(a.id, ())],
                }
                for a in anns
            ]
            + waiting
        )
        return
    if waiting:
        render.proposals(waiting)
    if not anns:
        if not waiting:
            render.echo("nothing to review: every annotation is where it was made")
        return
    render.annotations(anns)
    from rich.text import Text

    for ann in anns:
        if ann.old_exact and ann.status == "fuzzy":
            render.console().print(
                Text(f"{ann.id[:8]} was: “{' '.join(ann.old_exact.split())}”", style="dim")
            )
        for found in proposed.get(ann.id, ()):
            places = ", ".join(f"{s}-{e}" for s, e in found.places)
            (start, end), where = found.places[0], terminal(found.article)
            render.console().print(
                Text(
                    f"{ann.id[:8]} occurs in {where} at {places}: glose review reattach "
                    f"{ann.id[:8]} --article {where} --start {start} --end {end}",
                    style="dim",
                )
            )


@review.command("accept")
@click.argument("annotations_", metavar="ANNOTATION...", nargs=-1)
@click.option("--all", "accept_all", is_flag=True, help="Accept every moved and fuzzy annotation.")
@with_library
def review_accept(lib: Library, annotations_, accept_all: bool) -> None:
    """Accept the new place of moved or fuzzy annotations."""
    if not accept_all and not annotations_:
        raise click.UsageError("give annotation ids, or --all")
    for ann in lib.annotations.accept(None if accept_all else list(annotations_)):
        render.done("accepted", ann)


@review.command("reattach")
@click.argument("annotation")
@click.option("-a", "--article", help="Attach to another article (default: its own).")
@click.option("--quote", help="The new passage.")
@click.option("--occurrence", type=click.IntRange(min=1))
@click.option("--start", type=click.IntRange(min=0))
@click.option("--end", type=click.IntRange(min=0))
@with_library
def review_reattach(lib: Library, annotation, article, quote, occurrence, start, end) -> None:
    """Attach an annotation (an orphan, typically) to a new passage; tags and note stay."""
    if quote is None and (start is None or end is None):
        raise click.UsageError("give the new passage: --quote TEXT, or --start S --end E")
    ann = lib.annotations.reattach(
        annotation, Passage(article, quote=quote, occurrence=occurrence, start=start, end=end)
    )
    render.done("re-attached", ann)


# --- the codebook ------------------------------------------------------------------------------


@main.command()
@where_option("Count only in the articles this search finds (a query, as glose search).")
@json_option("JSON: name, color, description, count, articles.")
@with_library
def tags(lib: Library, where: str | None, as_json: bool) -> None:
    """The codebook: every tag with its color and how many annotations and articles carry it."""
    within = where_articles(lib, where) if where is not None else None
    book = lib.codebook.tags(within)
    if as_json:
        emit_json([asdict(t) for t in book])
        return
    render.codebook(book)


@main.group()
def store() -> None:
    """Where the annotations are kept: SQLite (annotations.db) or a team's PostgreSQL."""


@store.command("migrate")
@click.argument("target")
@with_library
def store_migrate(lib: Library, target: str) -> None:
    """Copy every annotation, tag, override and journal event into TARGET: sqlite (this
    workspace's annotations.db) or a postgresql:// address, which must be empty. Then set
    store in glose.toml to use it."""
    counts = lib.migrate_store(target)
    target = re.sub(r"//([^:/@]*):[^@/]*@", r"//\1@", target)  # a password stays out of glose.toml
    render.echo(
        f"copied {counted(counts['annotations'], 'annotation')}, {counted(counts['tags'], 'tag')}, "
        f"{counted(counts['events'], 'journal event')} and {counted(counts['article_meta'], 'metadata override')} "
        f'to {target}; to use it, set store = "{target}" in glose.toml'
    )


@main.group()
def tag() -> None:
    """Change the codebook: create, rename, merge, delete, color, describe tags (each undoable)."""


@tag.command("create")
@click.argument("name")
@click.option("--color", help="#RRGGBB or a palette name (blue, orange, red, teal, green...).")
@click.option("--description", help="What the tag means, for whoever codes next.")
@with_library
def tag_create(lib: Library, name, color, description) -> None:
    """Add a tag to the codebook before using it."""
    t = lib.codebook.create(name, color=color, description=description)
    render.echo(f"tag {t.name} ({t.color})")


@tag.command("rename")
@click.argument("old")
@click.argument("new")
@with_library
def tag_rename(lib: Library, old, new) -> None:
    """Rename a tag; every annotation follows."""
    t = lib.codebook.rename(old, new)
    render.echo(f"renamed to {t.name} ({counted(t.count, 'annotation')})")


@tag.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The tag that remains (created if needed).")
@with_library
def tag_merge(lib: Library, sources, target) -> None:
    """Merge tags into one; their annotations keep every coding."""
    t = lib.codebook.merge(list(sources), target)
    render.echo(f"merged into {t.name} ({counted(t.count, 'annotation')})")


@tag.command("delete")
@click.argument("name")
@with_library
def tag_delete(lib: Library, name) -> None:
    """Take a tag out of the codebook and off its annotations (they stay); glose undo brings it back."""
    t = lib.codebook.delete(name)
    render.echo(
        f"deleted tag {t.name} (taken off {counted(t.count, 'annotation')}; glose undo brings it back)"
    )


@tag.command("color")
@click.argument("name")
@click.argument("color")
@with_library
def tag_color(lib: Library, name, color) -> None:
    """Set a tag's color (#RRGGBB or a palette name)."""
    t = lib.codebook.color(name, color)
    render.echo(f"{t.name} is now {t.color}")


@tag.command("describe")
@click.argument("name")
@click.argument("description")
@with_library
def tag_describe(lib: Library, name, description) -> None:
    """Set a tag's description ('' clears it)."""
    t = lib.codebook.describe(name, description)
    render.echo(f"{t.name}: {t.description or '(no description)'}")


# --- the journal -------------------------------------------------------------------------------


@main.command()
@with_library
def undo(lib: Library) -> None:
    """Undo your last change to annotations or tags (made here or in the reader)."""
    event = lib.journal.undo()
    render.echo(f"{event.label} (#{event.seq})")


@main.command()
@with_library
def redo(lib: Library) -> None:
    """Redo what the last undo reverted."""
    event = lib.journal.redo()
    render.echo(f"{event.label} (#{event.seq})")


@main.command()
@click.option(
    "-n", "--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many events."
)
@click.option("--coder", "only", help="Only this coder's changes.")
@json_option("JSON: seq, at, kind, label, frontend, coder, undoable, reverts, reverted_by, changes.")
@with_library
def log(lib: Library, limit: int, only: str | None, as_json: bool) -> None:
    """The journal of changes to annotations and tags, newest first."""
    events = lib.journal.log(limit, coder=only)
    if as_json:
        emit_json([e.to_json() for e in events])
        return
    render.events(events)


# --- export and import -------------------------------------------------------------------------


@main.command("export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["markdown", "csv", "json", "qdpx", "qdc"]),
    help="The format (default: from the -o file's extension: .md, .csv, .json/.jsonld, .qdpx, .qdc).",
)
@click.option("-t", "--tag", help="Only annotations with this tag (or below it).")
@click.option("-a", "--article", help="Only this article's annotations.")
@CODER_OPTION
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout)."
)
@click.option(
    "--offsets",
    type=click.Choice(["codepoints", "utf16", "nvivo"]),
    default="codepoints",
    show_default=True,
    help="How json and qdpx count positions: code points (the standard), or UTF-16 units (nvivo).",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists (else refused).")
@where_option()
@dedupe_option()
@with_library
def export_(lib: Library, fmt, tag, article, coders, output, offsets, force, where, dedupe) -> None:
    """Export annotations: markdown, csv, json (W3C Web Annotation), qdpx (REFI-QDA), or the
    codebook as qdc (REFI-QDA Codebook)."""
    asked = lib.exchange.format_of(output) if output else None
    if fmt is None and asked is None:
        raise click.UsageError("give --format (markdown, csv, json, qdpx, qdc) or an -o file ending in one")
    if fmt is not None and asked is not None and asked != fmt:
        raise click.UsageError(f"-o {output} names a {asked} file but --format is {fmt}: make them agree")
    fmt = fmt or asked
    within = where_articles(lib, where, dedupe)
    if output is None and fmt == "qdpx" and sys.stdout.isatty():
        raise click.UsageError("a .qdpx is a zip archive: give -o FILE.qdpx")
    done = lib.exchange.export(
        fmt,
        tag=tag,
        article=article,
        path=Path(output).expanduser().absolute() if output else None,
        offsets=offsets.replace("nvivo", "utf16"),
        coders=list(coders) or None,
        replace=force,
        within=within,
    )
    for note in done.notes:
        render.echo(f"note: {note}", err=True)
    if output is None:
        sys.stdout.buffer.write(done.payload)
        sys.stdout.flush()
        return
    render.echo(f"exported {done.what()} to {output}", err=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--match-only", is_flag=True, help="Never add a project's sources to articles/: only match them."
)
@click.option("-a", "--article", help="The article web annotations (Hypothesis, W3C) were made on.")
@with_library
def import_(lib: Library, file, match_only: bool, article: str | None) -> None:
    """Merge annotations and codes: Glose JSON, W3C or Hypothesis JSON, REFI-QDA .qdpx, .qde
    or .qdc. Exit 0 when everything was taken, 3 when part was (skipped items are listed),
    1 when nothing was."""
    note_update(lib)
    report = lib.exchange.import_file(Path(file), match_only=match_only, article=article)
    render.echo(report.summary())
    for line in report.details():
        render.echo(f"  {line}")
    for what, reason in report.skipped:
        render.echo(f"  skipped {what}: {reason}")
    code = report.exit_code()
    if code:
        taken = "nothing" if code == 1 else "part of it"
        render.echo(
            f"warning: {taken} imported: {counted(len(report.skipped), 'item')} skipped (listed above)",
            err=True,
        )
        sys.exit(code)
