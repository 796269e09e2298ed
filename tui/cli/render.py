"""How command results look on a terminal: styled ``rich.text.Text`` built from data (never
markup), plain in a pipe. JSON output is built by the commands from the model's shapes.

Whatever reaches the terminal goes through :func:`echo` or :func:`console`, both of which pass
every string through the sanitiser (``tui.sanitize.terminal``): a file name, a title or a
message holding an escape sequence prints as text, never as a command to the terminal."""

from __future__ import annotations

import json
import os
import sys
from functools import cache

import click

from ..sanitize import json_text, terminal

TOP_PAIRS = 40  # co-occurring pairs a table shows (--csv and --json give them all)


def echo(message: str = "", err: bool = False) -> None:
    click.echo(terminal(message), err=err)


def emit_json(data) -> None:
    """The data as is (``--json``); what a terminal would act on is written as ``\\u`` escapes."""
    click.echo(json_text(json.dumps(data, ensure_ascii=False, indent=2)))


def emit(result, as_json: bool, as_csv: bool, show) -> None:
    """A result that has notes, ``to_json`` and ``to_csv`` (stats, agreement): the notes on
    stderr, then JSON, CSV, or what ``show`` prints."""
    for note in result.notes:
        echo(f"note: {note}", err=True)
    if as_json:
        emit_json(result.to_json())
    elif as_csv:
        sys.stdout.write(result.to_csv())
    else:
        show(result)


def console(err: bool = False):
    return _console_class()(stderr=err, highlight=False, markup=False, emoji=False, soft_wrap=True)


@cache
def _console_class():
    """A rich ``Console`` whose every segment of text is sanitised (rich keeps ESC and C1)."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(self, renderable, options=None):
            for segment in super().render(renderable, options):
                yield segment if segment.control else Segment(terminal(segment.text), segment.style)

    return SafeConsole


def snippet_text(snippet, indent: int = 0):
    from rich.text import Text

    if snippet is None:  # indexed, then removed or made unreadable
        return Text(" " * indent + "(the file cannot be read now)", style="dim")
    text = Text(" " * indent + ("…" if snippet.start > 0 else ""))
    offset = len(text.plain) - snippet.start
    text.append(snippet.text + "…")
    for start, end in snippet.highlights:
        text.stylize("bold reverse", start + offset, end + offset)
    return text


def results(total: int, rows) -> None:
    """Ranked articles. On a terminal every line fits its width (the title cut with ``…``, the
    snippet wrapped at words under it); in a pipe each hit is two whole lines, for grep."""
    fit = terminal_width()
    shown = len(rows)
    count = f"{total} article{'s' if total != 1 else ''}"
    if fit is None and _plain_pipe():
        plain = _plain_results(count + (f", the first {shown} shown" if shown < total else ""), rows)
        if "\t" not in plain and terminal(plain) == plain:  # rich would print the same characters
            sys.stdout.write(plain + "\n")
            return
    from rich.text import Text

    out = console()
    lines = [Text(count + (f", the first {shown} shown" if shown < total else ""), style="dim")]
    for n, (hit, snippet, _) in enumerate(rows, 1):
        line = Text()
        line.append(f"{n:>2}  ", style="dim")
        meta = _meta(hit)
        if fit is None:
            line.append(hit.title, style="bold")
            line.append(f"  {meta}", style="dim")
            lines += [line, snippet_text(snippet, indent=4)]
            continue
        line.append(ellipsis(hit.title, fit - 4), style="bold")
        lines.append(line)
        for part in (Text(meta, style="dim"), snippet_text(snippet)):  # the id whole: it opens it
            lines += [Text("    ") + wrapped for wrapped in part.wrap(out, fit - 4)]
    out.print(Text("\n").join(lines), crop=False)  # one print: rich's per-print work was half the rendering


def _meta(hit) -> str:
    return " · ".join(x for x in (hit.date, hit.source, hit.author, hit.article) if x)


def _plain_pipe() -> bool:
    """Whether rich would print to stdout without a single escape sequence: a pipe or a file,
    no variable forcing a terminal (see ``rich.console.Console.is_terminal``)."""
    return not sys.stdout.isatty() and not any(
        name in os.environ for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    )


def _plain_results(heading: str, rows) -> str:
    """:func:`results` in a pipe as the text rich would print (its styles print as nothing
    there), built without importing rich: ~25 ms of a one-shot ``glose search``. The caller
    uses it only for text without a tab (rich expands it) that the sanitiser leaves as it is (no
    control character for rich or the sanitiser to drop), where the two are the same bytes
    (tests/test_search_output.py)."""
    lines = [heading]
    for n, (hit, snippet, _) in enumerate(rows, 1):
        lines.append(f"{n:>2}  {hit.title}  {_meta(hit)}")
        if snippet is None:
            lines.append("    (the file cannot be read now)")
        else:
            lines.append("    " + ("…" if snippet.start > 0 else "") + snippet.text + "…")
    return "\n".join(lines)


def terminal_width() -> int | None:
    """The width to fit when printing to a terminal (``COLUMNS`` wins, as everywhere); None in
    a pipe, where whole lines serve grep and scripts better."""
    import shutil

    if not sys.stdout.isatty() and not os.environ.get("COLUMNS", "").isdigit():
        return None
    return max(shutil.get_terminal_size((100, 24)).columns, 30)


def ellipsis(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, cut at the last word that fits, with ``…``."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    cut = text
    while cell_len(cut) > width - 1:
        cut = cut[: max(len(cut) - max((cell_len(cut) - width) // 2, 1), 0)]
    head = cut.rsplit(" ", 1)[0] if " " in cut[width // 2 :] else cut
    return head.rstrip(" ,;:·") + "…"


def kwic(lines, width: int) -> None:
    from rich.text import Text

    out = console()
    id_width = max((len(k.article) for k in lines), default=0)
    for k in lines:
        line = Text(f"{k.article:<{id_width}}  ", style="dim")
        line.append(k.left.rjust(width))
        line.append(k.match, style="bold reverse")
        line.append(k.right.ljust(width))
        out.print(line, overflow="ignore", crop=False)
    if not lines:
        echo("no occurrences", err=True)


def annotations(anns, *, quote_width: int = 160) -> None:
    from rich.text import Text

    out = console()
    for ann in anns:
        head = Text()
        head.append(ann.id[:8], style="bold")
        head.append(f"  {ann.article}  {ann.start}–{ann.end}  ", style="dim")
        head.append(ann.status, style="green" if ann.status == "anchored" else "yellow bold")
        if ann.deleted:
            head.append("  deleted", style="red")
        if ann.tags:
            head.append("  " + ", ".join(ann.tags), style="cyan")
        if ann.coder:
            head.append(f"  by {ann.coder}", style="dim")
        out.print(head)
        quote = " ".join(ann.exact.split())
        if len(quote) > quote_width:
            quote = quote[: quote_width - 1] + "…"
        out.print(Text(f"    “{quote}”"))
        if ann.note:
            out.print(Text("    " + ann.note.replace("\n", "\n    "), style="italic"))


def proposals(rows) -> None:
    """Codings proposed on a wire family's copies (``glose review``): not annotations until
    accepted."""
    from rich.text import Text

    out = console()
    out.print(
        Text(
            f"{len(rows)} proposed coding{'s' if len(rows) != 1 else ''} (glose families accept|reject ID):",
            style="bold",
        )
    )
    for row in rows:
        line = Text(f"{row['id'][:8]}  {row['article']}  {row['start']}–{row['end']}  proposed  ")
        line.append(", ".join(row["tags"]), style="bold")
        line.append(f"  from the source of family {row['family']}", style="dim")
        out.print(line)
        out.print(Text("    “" + ellipsis(" ".join(row["quote"].split()), 160) + "”", style="dim"))


def done(verb: str, ann, as_json: bool = False) -> None:
    if as_json:
        emit_json(ann.to_json())
        return
    from rich.text import Text

    line = Text(f"{verb} {ann.id[:8]}  {ann.article}  {ann.start}–{ann.end}  {ann.status}")
    if ann.tags:
        line.append("  " + ", ".join(ann.tags))
    console().print(line)


def codebook(book) -> None:
    from rich.text import Text

    out = console()
    for t in book:
        line = Text("██ ", style=t.color)
        line.append(t.name, style="bold")
        line.append(
            f"  {t.count} annotation{'s' * (t.count != 1)}, {t.articles} article{'s' * (t.articles != 1)}",
            style="dim",
        )
        if t.description:
            line.append(f"  {t.description}")
        out.print(line)
    if not book:
        echo("no tags yet: glose annotate ID --quote … --tag NAME", err=True)


def events(events) -> None:
    """The journal, newest first: number, when, where, who, what, and whether it is undone."""
    from rich.text import Text

    out = console()
    for e in events:
        line = Text(f"#{e.seq:<5}", style="bold")
        line.append(f" {e.at[:19].replace('T', ' ')}  {e.where:<12} {e.coder:<12} ", style="dim")
        line.append(e.label, style="" if e.undoable or e.kind in ("undo", "redo") else "dim")
        if e.reverted_by is not None:
            line.append(f"  (reverted by #{e.reverted_by})", style="yellow")
        out.print(line)
    if not events:
        echo("the journal is empty: no change yet", err=True)


def stats(result) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not result.tags:
        echo("no tags yet", err=True)
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
    out.print(table)
    for title, counter in (
        ("Co-occurring on a span", result.span_cooccurrence),
        ("Co-occurring in an article", result.article_cooccurrence),
    ):
        if counter:
            table = Table(title=title, title_justify="left", box=None, show_edge=False)
            for column in ("tag", "tag", "count"):
                table.add_column(column)
            for (a, b), n in counter.most_common(TOP_PAIRS):
                table.add_row(Text(a), Text(b), str(n))
            out.print(table)
            if len(counter) > TOP_PAIRS:
                more = len(counter) - TOP_PAIRS
                out.print(
                    Text(f"and {more:,} more pairs: glose stats --csv or --json lists them all", style="dim")
                )
    for title, counter in (
        ("Annotations by source", result.by_source),
        ("Annotations by date", result.by_date),
    ):
        table = Table(title=title, title_justify="left", box=None, show_edge=False)
        table.add_column("")
        table.add_column("annotations")
        for key, n in sorted(counter.items()):
            table.add_row(Text(key), str(n))
        out.print(table)


def agreement(result, *, shown: int = TOP_PAIRS) -> None:
    """The measures per tag and overall, the pairs when more than two coders, then the
    disagreements (the first ``shown``; --json and --csv list them all)."""
    from rich.table import Table
    from rich.text import Text

    from ..wording import counted, short

    out = console()
    coders = result.coders
    out.print(
        Text(
            f"{', '.join(coders)} on {counted(len(result.articles), 'article')}"
            + (f" ({result.compared()} coded by two or more)" if result.marked else "")
            + f": {counted(result.units, 'character')}, each a unit of every tag",
            style="dim",
        )
    )
    for coder, covered in result.coverage().items():
        if covered["by"] == "done":  # the others are missing data for them: say which
            missing = covered["missing"]
            line = f"{coder} coded {len(covered['articles'])} of them (marked done)"
            if missing:
                line += f"; not coded: {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}"
            out.print(Text(line, style="dim"))
    table = Table(box=None, show_edge=False)
    kappa = "kappa" if len(coders) == 2 else "Fleiss κ"
    for column in ("tag", "units", "agree", kappa, "alpha", "uα", *coders, "all"):
        table.add_column(Text(column), justify="left" if column == "tag" else "right")
    for m in [*result.tags, result.overall]:
        data = m.to_json()
        table.add_row(
            Text(m.tag if m.tag is not None else "overall", style="" if m.tag is not None else "bold"),
            f"{data['units']:,}",
            _figure(data["percent"], percent=True),
            _figure(data["kappa"]),
            _figure(data["alpha"]),
            _figure(data["alpha_u"]),
            *(f"{n:,}" for n in data["coded"].values()),
            f"{data['coded_by_all']:,}",
        )
    out.print(table)
    if len(coders) > 2:
        pairs = Table(title="Pairs (Cohen's kappa)", title_justify="left", box=None, show_edge=False)
        for column in ("tag", "coders", "agree", "kappa"):
            pairs.add_column(column)
        for m in [*result.tags, result.overall]:
            for pair in m.to_json()["pairs"]:
                pairs.add_row(
                    Text(m.tag or "overall"),
                    Text(" / ".join(pair["coders"])),
                    _figure(pair["percent"], percent=True),
                    _figure(pair["kappa"]),
                )
        out.print(pairs)
    found = result.found()
    out.print(Text(counted(len(found), "disagreement"), style="bold"))
    for d, title, quote in found[:shown]:
        line = Text(f"{short(title, 60)}  ", style="bold")
        line.append(f"{d.article}  {d.start}–{d.end}  ", style="dim")
        line.append(d.tag, style="cyan")
        line.append(f"  coded by {', '.join(d.coded_by)}, not by {', '.join(d.not_coded_by)}")
        out.print(line)
        out.print(Text(f"    “{short(quote, 120)}”"))
    if len(found) > shown:
        out.print(
            Text(
                f"and {len(found) - shown:,} more: glose agreement --json or --csv lists them all",
                style="dim",
            )
        )


def _figure(value: float | None, *, percent: bool = False) -> str:
    """A measure as a paper prints it; "–" when it is undefined (nothing varies)."""
    if value is None:
        return "–"
    if not percent:
        return f"{value:.3f}"
    shown = f"{value:.1%}"
    if value < 1 and shown == "100.0%":  # a few characters apart on a long text: not 100 %
        shown = f"{value:.2%}" if f"{value:.2%}" != "100.00%" else ">99.99%"
    return shown


def variables(rows: list[dict]) -> None:
    """``glose vars``: each variable, how many articles have it, its commonest values."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_edge=False)
    for column in ("variable", "articles", "commonest values"):
        table.add_column(column)
    for row in rows:
        name = row["name"] + ("" if row["builtin"] else " (yours)")
        values = ", ".join(f"{v} ({n})" for v, n in row["values"].items()) or "—"
        table.add_row(Text(name), str(row["articles"]), Text(values, overflow="fold"))
    console().print(table)
