"""What DESIGN.md promises of every output: strings from files, imports and people pass one
sanitiser (terminal, Markdown, CSV, XML), ``-o`` never replaces what is not a regular file, and
statistics and exports stay fast however many tags an article carries."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tui.api import Library, Passage
from tui.workspace import Workspace

from .app_helpers import make_app, ready

# What must never reach a terminal: C0 but newline and tab, DEL, C1, bidi overrides, surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = "osc\x1b]52;c;cHduZWQ=\x07\x1b[31m\u009b2J\u202e.txt"  # clipboard write, CSI, 8-bit CSI, RLO
EMPTY_HOSTILE = "vide\x1b]0;pwned\x07.txt"
FORMULA_SPLIT = re.compile("[,;]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NS = "{urn:QDA-XML:project:1.0}"


def assert_printable(result) -> None:
    for stream in (result.stdout, result.stderr):
        assert not UNSAFE.search(stream), repr(stream[:2000])


@pytest.fixture
def hostile(indexed):
    """The samples plus an article, an empty file and a glose.toml key named with escapes,
    annotated with a tag and a note."""
    (indexed.articles / HOSTILE).write_text(
        "Titre hostile\n\nUn texte avec Keir Starmer dedans, voir;=1+1; et la suite du texte.", "utf-8"
    )
    (indexed.articles / EMPTY_HOSTILE).write_bytes(b"")
    (indexed.root / "glose.toml").write_text('"cle\\u001b]52;c;eA==\\u0007" = 1\n', "utf-8")
    with Library(indexed) as lib:
        lib.index.update()
        lib.annotations.annotate(Passage("osc", quote="Keir Starmer"), tags=["acteurs"], note="une note")
    return Workspace.resolve(indexed.root)  # with its glose.toml


# --- A: the terminal ------------------------------------------------------------------------


def test_no_escape_sequence_reaches_the_terminal_from_any_command(cli, hostile, tmp_path):
    index = cli(hostile, "index", "--rebuild")
    assert "skipped vide.txt: empty" in index.stdout  # the name without its escape sequence
    (hostile.articles / HOSTILE).write_text(  # the annotation moves: review lists it
        "Un chapeau.\n\nTitre hostile\n\nUn texte avec Keir Starmer dedans, voir;=1+1; et la suite du texte.",
        "utf-8",
    )
    first = json.loads(cli(hostile, "annotations", "--json").stdout)[0]["id"][:8]
    runs = [
        index,
        cli(hostile, "search", "Starmer"),
        cli(hostile, "kwic", "Starmer"),
        cli(hostile, "annotations"),
        cli(hostile, "review"),
        cli(hostile, "log"),
        cli(hostile, "meta", "osc"),
        cli(hostile, "shared", "osc", "004", "--min-words", "2"),
        cli(hostile, "where", "--quote", "avec Keir Starmer dedans"),
        cli(hostile, "stats"),
        cli(hostile, "stats", "--csv"),
        cli(hostile, "tags"),
        cli(hostile, "edit", first, "--note", "n"),
        cli(hostile, "export", "--format", "markdown"),
        cli(hostile, "export", "--format", "csv"),
        cli(hostile, "export", "--format", "json"),
        cli(hostile, "show", "osc"),
    ]
    for result in runs:
        assert result.exit_code == 0, result.stderr
        assert_printable(result)
    assert "osc.txt" in runs[3].stdout  # the name, shown without its escapes
    link = tmp_path / "lien\x1b]52;c;eA==\x07.csv"  # an error message naming a file
    link.symlink_to(tmp_path / "ailleurs.csv")
    folder = tmp_path / "dossier\x1b[2J"  # click's own error quoting a path
    folder.mkdir()
    for result in (
        cli(hostile, "export", "--format", "csv", "-o", str(link)),
        cli(hostile, "export", "--format", "csv", "-o", str(folder)),
        cli(hostile, "show", "absent\x1b]0;x\x07"),
    ):
        assert result.exit_code != 0
        assert_printable(result)


def test_json_output_keeps_the_data_and_no_raw_control(cli, hostile):
    for args in (("annotations", "--json"), ("search", "Starmer", "--json"), ("stats", "--json")):
        result = cli(hostile, *args)
        assert result.exit_code == 0
        assert_printable(result)
        json.loads(result.stdout)
    rows = json.loads(cli(hostile, "annotations", "--json").stdout)
    assert [r["article"] for r in rows] == [HOSTILE]  # the value itself is unchanged
    export = json.loads(cli(hostile, "export", "--format", "json").stdout)
    assert export["first"]["items"][0]["glose:article"] == HOSTILE


def test_the_cli_prints_only_through_the_sanitising_helpers():
    """A new ``click.echo`` or ``Console`` elsewhere in the CLI would bypass the sanitiser."""
    import tui.cli

    sources = {p.name: p.read_text("utf-8") for p in Path(tui.cli.__file__).parent.glob("*.py")}
    for needle in ("click.echo(", "Console("):
        assert [name for name, text in sources.items() if needle in text] == ["render.py"], needle
    assert sources["render.py"].count("click.echo(") == 2  # echo and emit_json
    assert not any(re.search(r"(?<![.\w])print\(", text) for text in sources.values())


def test_the_terminal_sanitiser():
    from tui.sanitize import terminal

    assert terminal("a\x1b]52;c;cHduZWQ=\x07b\x1b[31mc\x9b2Jd\x1bP1$r\x1b\\e\u202ef\x07\rg") == "abcdefg"
    assert terminal("lignes\n\ttabulées") == "lignes\n\ttabulées"
    assert terminal("caf\udce9.txt") == "caf\ufffd.txt"  # a name that is not UTF-8
    assert terminal("déjà vu 😀 [b]") == "déjà vu 😀 [b]"


async def test_tui_notifications_carry_no_escape_sequence(hostile):
    app = make_app(hostile)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.notify(f"cannot read {HOSTILE}", markup=False)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert any("glose.toml" in m for m in messages)  # the warning about the key
    assert messages and not any(UNSAFE.search(m) for m in messages), messages


# --- B: -o never replaces a link, a FIFO or a device -------------------------------------------


def test_export_refuses_a_symlink_and_leaves_its_target_alone(cli, indexed, tmp_path):
    target = tmp_path / "cible.csv"
    target.write_text("garder", "utf-8")
    link = tmp_path / "lien.csv"
    link.symlink_to(target)
    result = cli(indexed, "export", "--format", "csv", "-o", str(link))
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert result.stderr.count("\n") == 1
    assert link.is_symlink() and target.read_text("utf-8") == "garder"


def test_export_refuses_a_fifo(cli, indexed, tmp_path):
    fifo = tmp_path / "tube.csv"
    os.mkfifo(fifo)
    result = cli(indexed, "export", "--format", "csv", "-o", str(fifo))
    assert result.exit_code == 1 and "FIFO" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_refuses_a_device_and_replaces_a_regular_file(cli, indexed, tmp_path):
    from tui.errors import GloseError
    from tui.formats.export import write_file

    try:  # a device node of our own first: an unfixed write_file replaces only this one
        node = tmp_path / "null"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        node = None
    for device in ([node] if node else []) + [Path("/dev/null")]:
        with pytest.raises(GloseError, match="device"):
            write_file(device, b"x")
        assert stat.S_ISCHR(os.lstat(device).st_mode)
    regular = tmp_path / "exports" / "export.csv"
    regular.parent.mkdir()
    regular.write_text("ancien", "utf-8")
    assert cli(indexed, "export", "--format", "csv", "-o", str(regular), "--force").exit_code == 0
    assert regular.read_text("utf-8").startswith("id,article")
    assert [p.name for p in regular.parent.iterdir()] == ["export.csv"]  # no temporary file left


def test_export_never_replaces_an_existing_file_unless_forced(cli, indexed, tmp_path):
    """A second export to the same name (a typo, an old week's file) must not silently wipe it:
    refused in one line that says how, the file untouched, no temporary file left."""
    kept = tmp_path / "exports" / "semaine-1.csv"
    kept.parent.mkdir()
    kept.write_text("le travail de la semaine 1", "utf-8")
    result = cli(indexed, "export", "-o", str(kept))
    assert result.exit_code == 1
    assert "exists" in result.stderr and "--force" in result.stderr and result.stderr.count("\n") == 1
    assert kept.read_text("utf-8") == "le travail de la semaine 1"
    assert [p.name for p in kept.parent.iterdir()] == ["semaine-1.csv"]
    assert cli(indexed, "export", "-o", str(kept), "--force").exit_code == 0
    assert kept.read_text("utf-8").startswith("id,article")


def test_a_file_created_while_exporting_is_not_replaced(tmp_path):
    """The check before the work is not enough: another process may create the name while the
    export renders. The new file is linked into place, which fails on an existing name."""
    from tui.errors import GloseError
    from tui.formats.export import write_file

    target = tmp_path / "x.csv"
    write_file(target, b"premier")
    with pytest.raises(GloseError, match="exists"):
        write_file(target, b"second")
    assert target.read_bytes() == b"premier"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
    write_file(target, b"second", replace=True)
    assert target.read_bytes() == b"second"


# --- C: Markdown code spans --------------------------------------------------------------------


def test_backticks_in_a_tag_or_a_file_name_cannot_open_html(cli, indexed):
    from markdown_it import MarkdownIt

    name = "tick``<img src=x onerror=alert(2)>``.txt"
    (indexed.articles / name).write_text("Titre\n\nUn texte avec Keir Starmer dedans.", "utf-8")
    tag = "``<img src=x onerror=alert(1)>``"
    with Library(indexed) as lib:
        lib.index.update()
        lib.annotations.annotate(
            Passage("tick", quote="Keir Starmer"),
            tags=[tag, "simple"],
            note="<img src=x onerror=alert(3)> &amp;",
        )
    md = cli(indexed, "export", "--format", "markdown").stdout
    html = MarkdownIt("commonmark").render(md)
    assert "<img" not in html
    assert "<code>``&lt;img src=x onerror=alert(1)&gt;``</code>" in html
    assert "<code>tick``&lt;img src=x onerror=alert(2)&gt;``.txt</code>" in html
    assert "&lt;img src=x onerror=alert(3)&gt; &amp;amp;" in html  # the note as typed


def test_markdown_sanitiser():
    from tui.sanitize import markdown_code, markdown_text

    assert markdown_code("plain") == "`plain`"
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("``x``") == "``` ``x`` ```"
    assert markdown_code("a\nb\x1b[31m") == "`a b`"
    assert markdown_text("# titre\n- liste\n1. un\n<script> &amp;") == (
        "\\# titre\n\\- liste\n1\\. un\n\\<script\\> \\&amp;"
    )


# --- D: XML ------------------------------------------------------------------------------------


def test_qdpx_is_well_formed_whatever_the_names(cli, indexed):
    name = "ctl\x01\x0b\x1b[31m\uffff.txt"
    (indexed.articles / name).write_text("Titre\n\nUn texte avec Keir Starmer dedans.", "utf-8")
    with Library(indexed) as lib:
        lib.index.update()
        lib.codebook.create("a&b<c>\"d'", description='décrit <x> & "y"')
        lib.annotations.annotate(
            Passage("ctl", quote="Keir Starmer"), tags=["a&b<c>\"d'"], note="ligne 1\n\tligne 2 \x0b<&>"
        )
    out = indexed.root / "out.qdpx"
    result = cli(indexed, "export", "--format", "qdpx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    archive = zipfile.ZipFile(out)
    root = ElementTree.fromstring(archive.read("project.qde"))  # raises on ill-formed XML
    (source,) = root.iter(NS + "TextSource")
    assert source.get("name") == "ctl.txt"
    (code,) = root.iter(NS + "Code")
    assert code.get("name") == "a&b<c>\"d'" and code.find(NS + "Description").text == 'décrit <x> & "y"'
    (selection,) = source.iter(NS + "PlainTextSelection")
    assert selection.find(NS + "Description").text == "ligne 1\n\tligne 2 <&>"
    text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode()
    assert text[int(selection.get("startPosition")) : int(selection.get("endPosition"))] == "Keir Starmer"


def test_xml_sanitiser():
    from tui.sanitize import xml_attr, xml_text

    assert xml_text("a\x01\x1b[1mb\ufffe\ud800c & <d>\n\t") == "ab\ufffdc &amp; &lt;d&gt;\n\t"
    assert xml_attr("\"q\" 'a'\n\t&") == "&quot;q&quot; &apos;a&apos;&#10;&#9;&amp;"


# --- E: CSV ------------------------------------------------------------------------------------


def assert_no_formula_part(cells) -> None:
    for cell in cells:
        for part in FORMULA_SPLIT.split(cell):
            assert not part.lstrip(' "').startswith(FORMULA_START), (cell, part)


def test_csv_cells_hold_no_formula_in_any_part(cli, hostile):
    with Library(hostile) as lib:
        lib.annotations.annotate(
            Passage("004", quote="Keir Starmer", occurrence=1),
            tags=["voir;=2+2", "x;@SUM(A1)"],
            note="voir;=1+1;",
        )  # a tag holds no comma (the reader's separator): a note does
        lib.annotations.annotate(Passage("003", start=0, end=5), tags=["z"], note="x,@SUM(A1),=1")
        lib.annotations.annotate(
            Passage("000", quote="Keir Starmer"), tags=["y; -cmd|' /C calc'!A0"], note='a; "=HYPERLINK(1)"'
        )
    rows = list(csv.reader(io.StringIO(cli(hostile, "export", "--format", "csv").stdout)))
    assert_no_formula_part(c for row in rows for c in row)
    notes = {row[7] for row in rows[1:]}
    assert {"voir;'=1+1;", 'a; "\'=HYPERLINK(1)"'} <= notes  # the data is still readable
    stats = list(csv.reader(io.StringIO(cli(hostile, "stats", "--csv").stdout)))
    assert ["tag_counts", "voir;'=2+2", "annotations", "1"] in stats
    assert_no_formula_part(c for row in stats for c in row)


def test_csv_sanitiser():
    from tui.sanitize import csv_cell

    cells = (
        "=SUM(A1)",
        "+1",
        "-2",
        "@x",
        "\tx",
        "ok",
        "",
        "voir;=1+1;",
        "a, -b",
        "x;\uff1d1",
        "2026-01-09",
        "a;b",
    )
    assert [csv_cell(c) for c in cells] == [
        "'=SUM(A1)",
        "'+1",
        "'-2",
        "'@x",
        "'\tx",
        "ok",
        "",
        "voir;'=1+1;",
        "a, '-b",
        "x;'\uff1d1",
        "2026-01-09",
        "a;b",
    ]


# --- F: many tags on one article ---------------------------------------------------------------


def test_stats_and_qdpx_with_2000_tags_on_one_article(cli, indexed):
    many = [f"t{i:04d}" for i in range(2000)]
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Keir Starmer", occurrence=1), tags=many)
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"), tags=["t1998", "t1999"])
        stats = lib.coders.stats()
        exported = lib.exchange.export("qdpx")
    assert stats.span_cooccurrence[("t1998", "t1999")] == 2  # the two most used tags
    assert stats.article_cooccurrence[("t1998", "t1999")] == 2
    assert stats.article_cooccurrence.most_common(1) == [(("t1998", "t1999"), 2)]
    assert len(stats.article_cooccurrence) < 50_000 and len(stats.span_cooccurrence) < 50_000
    assert stats.notes and "most used tags" in stats.notes[0]
    assert {t.name: t.count for t in stats.tags}["t1999"] == 2  # counts stay complete
    root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(exported.payload)).read("project.qde"))
    assert len(list(root.iter(NS + "Code"))) == 2000
    assert len(list(root.iter(NS + "CodeRef"))) == 2002
    shown = cli(indexed, "stats")
    assert shown.exit_code == 0 and "more pairs" in shown.stdout and "most used tags" in shown.stderr


def test_cooccurrence_counts_the_most_used_tags(indexed):
    from tui.coders.stats import compute

    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Keir Starmer", occurrence=1), tags=["a", "b", "c"])
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"), tags=["a", "b"])
        lib.annotations.annotate(Passage("003", quote="Roland Lescure"), tags=["a"])
        anns, tags, matrix = lib.ctx.store.annotations(), lib.ctx.store.tags(), lib.codebook.matrix()
    full = compute(anns, tags, matrix)
    assert full.article_cooccurrence == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1} and not full.notes
    capped = compute(anns, tags, matrix, cooccurring=2)
    assert capped.article_cooccurrence == {("a", "b"): 2} and capped.span_cooccurrence == {("a", "b"): 2}
    assert capped.notes == [
        "co-occurrence counts the 2 most used tags: 1 of the 3 tags in use are left out of it"
    ]


async def test_the_reader_shows_hostile_file_names_without_their_escapes(workspace):
    from .app_helpers import make_app, ready, settle

    name = "piège\x1b]52;c;cGF3bmVk\x07\x1b[31m.txt"
    (workspace.articles / name).write_text("Grok et un texte piégé.\n", "utf-8")
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        results = app.search_panel.results
        shown = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert any("piège" in s for s in shown)
        assert not any(c in s for s in shown for c in "\x1b\x07\x9b")
        results.highlighted = next(i for i, s in enumerate(shown) if "piège" in s)
        results.focus()
        await pilot.press("enter")
        await settle(pilot)
        pane = app.pane()
        header = str(pane.details_bar.render()) + str(pane.title_bar.render())
        assert "piège" in header and "\x1b" not in header and "\x07" not in header
