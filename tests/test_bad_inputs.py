"""Bad input, file by file: every command does what DESIGN.md promises, with no traceback.

The files are generated here (nothing hostile is committed). For each one: indexing says
what it did, search and show work or say why, annotating works where there is text, export
holds what was annotated, and the TUI reader opens it.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil

import pytest

from tui.workspace import Workspace

from .app_helpers import make_app, ready, settle, until
from .conftest import SAMPLES

TWENTY_MB_LINE = ("mot " * 5_000_000).strip() + " fin"


def nasty_files() -> dict[str, bytes | None]:
    """name → content (None for something that is not a regular file)."""
    return {
        "latin1.txt": "Le député a présenté l'été dernier un rapport sévère.".encode("latin-1"),
        "cp1252.txt": "L’été “chaud” – déjà… œuvre".encode("cp1252"),
        "utf16.txt": "Texte en UTF-16 avec marque : déshabiller".encode("utf-16"),
        "bom8.txt": codecs.BOM_UTF8 + "Marque UTF-8 : cœur".encode(),
        "binaire.txt": bytes(range(256)) * 4,
        "vide.txt": b"",
        "blancs.txt": b"   \n\t\n  \r\n",
        "une-ligne-20MB.txt": TWENTY_MB_LINE.encode(),
        "cent-mille-lignes.txt": "\n".join(f"ligne {i} courte" for i in range(100_000)).encode(),
        "nul.txt": b"avant\x00apres",
        "echappements.txt": "titre\x1b]0;pwned\x07 \x1b[31mrouge\x1b[0m \x1bP1$r\x1b\\ \x9b2J fin".encode(),
        "bidi.txt": "gauche \u202ecote droit\u202c et \u2066isolé\u2069 fin".encode(),
        "invisibles.txt": "zéro\u200blargeur e\u0301 combinant n\u0303 fin".encode(),
        "emoji.txt": "Astral 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 et 👩‍👩‍👧 famille".encode(),
        "markup.txt": b"[bold]gras[/bold] [/foo] [link=https://x]lien[/link] [red on white]x",
        "nom avec espaces.txt": "Un article au nom espacé".encode(),
        "accentué é.txt": "Un article au nom accentué".encode(),
        "crochets [x].txt": b"Un article au nom [x]",
        "retour\nligne.txt": "Un article dont le nom a un retour à la ligne".encode(),
        "dossier.txt": None,
    }


@pytest.fixture(scope="module")
def nasty(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("nasty")
    articles = root / "articles"
    shutil.copytree(SAMPLES, articles)
    for name, data in nasty_files().items():
        if data is None:
            (articles / name).mkdir()
        else:
            (articles / name).write_bytes(data)
    (articles / "boucle").symlink_to(articles, target_is_directory=True)
    return Workspace.resolve(root)


def run(cli, ws, *args):
    result = cli(ws, *args)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr, result.stderr
    return result


def test_index_reports_each_skip_with_a_reason(cli, nasty):
    result = run(cli, nasty, "index")
    assert result.exit_code == 0
    assert "skipped binaire.txt: binary" in result.stdout
    assert "skipped nul.txt: binary" in result.stdout
    assert "skipped vide.txt: empty" in result.stdout
    assert "skipped blancs.txt: empty" in result.stdout
    assert "dossier.txt" not in result.stdout  # a folder is not an article
    again = run(cli, nasty, "index")
    assert again.stdout.count("skipped") == result.stdout.count("skipped")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("latin1.txt", "Le député a présenté l'été dernier un rapport sévère."),
        ("cp1252.txt", "L’été “chaud” – déjà… œuvre"),
        ("utf16.txt", "Texte en UTF-16 avec marque : déshabiller"),
        ("bom8.txt", "Marque UTF-8 : cœur"),
        ("echappements.txt", "titre rouge   fin"),
        ("bidi.txt", "gauche cote droit et isolé fin"),
        ("invisibles.txt", "zéro\u200blargeur é combinant ñ fin"),
        ("emoji.txt", "Astral 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 et 👩‍👩‍👧 famille"),
        ("markup.txt", "[bold]gras[/bold] [/foo] [link=https://x]lien[/link] [red on white]x"),
        ("retour\nligne.txt", "Un article dont le nom a un retour à la ligne"),
    ],
)
def test_show_prints_the_cleaned_text(cli, nasty, name, expected):
    run(cli, nasty, "index")
    result = run(cli, nasty, "show", name)
    assert result.exit_code == 0
    assert result.stdout == expected


@pytest.mark.parametrize("name", ["binaire.txt", "vide.txt", "nul.txt"])
def test_show_of_a_skipped_file_says_why(cli, nasty, name):
    result = run(cli, nasty, "show", name)
    assert result.exit_code == 1 and name in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("député", "latin1.txt"),
        ("ete chaud", "cp1252.txt"),
        ("deshabiller marque", "utf16.txt"),
        ("coeur", "bom8.txt"),
        ("rouge", "echappements.txt"),
        ("pwned", None),
        ("cote droit", "bidi.txt"),
        ("combinant", "invisibles.txt"),
        ("famille", "emoji.txt"),
        ("gras lien", "markup.txt"),
        ("fin mot", "une-ligne-20MB.txt"),
        ('"ligne 99999 courte"', "cent-mille-lignes.txt"),
        ("espacé", "nom avec espaces.txt"),
        ("accentué", "accentué é.txt"),
        ('crochets OR "nom [x]"', "crochets [x].txt"),
    ],
)
def test_search_finds_the_text_and_nothing_that_was_stripped(cli, nasty, query, found):
    run(cli, nasty, "index")
    data = json.loads(run(cli, nasty, "search", query, "--json", "--limit", "50").stdout)
    articles = {r["article"]: r for r in data["results"]}
    if found is None:
        assert data["total"] == 0
    else:
        assert found in articles
    if found == "une-ligne-20MB.txt":  # five million hits: the first 10,000 listed, and said so
        row = articles[found]
        assert len(row["hits"]) == 10_000 and row["more_hits"] is True
        assert all(TWENTY_MB_LINE[h["start"] : h["end"]] == "mot" for h in row["hits"])


def test_annotate_and_export_through_every_readable_file(cli, nasty, tmp_path):
    run(cli, nasty, "index")
    quotes = {
        "latin1.txt": "présenté",
        "cp1252.txt": "“chaud”",
        "emoji.txt": "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "markup.txt": "[bold]gras[/bold]",
        "bidi.txt": "cote droit",
        "une-ligne-20MB.txt": "mot fin",
        "retour\nligne.txt": "retour à la ligne",
        "crochets [x].txt": "[x]",
    }
    for name, quote in quotes.items():
        result = run(
            cli,
            nasty,
            "annotate",
            name,
            "--quote",
            quote,
            "-t",
            "[red]tag[/red]",
            "--note",
            "\x1b]0;x\x07note [b]",
        )
        assert result.exit_code == 0, (name, result.stderr)
    rows = json.loads(run(cli, nasty, "annotations", "--json").stdout)
    assert len(rows) == len(quotes)
    for row in rows:
        assert row["quote"] == quotes[row["article"]]
        assert row["tags"] == ["[red]tag[/red]"] and row["note"] == "note [b]"
    for fmt in ("markdown", "csv", "json", "qdpx"):
        out = tmp_path / f"export.{fmt}"
        result = run(cli, nasty, "export", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0 and out.stat().st_size > 0
    md = (tmp_path / "export.markdown").read_text("utf-8")
    assert "\\[bold\\]gras\\[/bold\\]" in md and "\x1b" not in md


def test_a_file_removed_between_listing_and_reading_is_skipped(nasty, tmp_path):
    from tui.text.corpus import Skipped, read_canonical, scan

    folder = tmp_path / "race"
    folder.mkdir()
    (folder / "a.txt").write_text("texte", "utf-8")
    listed = list(scan(folder))
    (folder / "a.txt").unlink()
    with pytest.raises(Skipped, match="vanished"):
        read_canonical(listed[0].path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_skipped(cli, tmp_path):
    root = tmp_path / "perm"
    (root / "articles").mkdir(parents=True)
    secret = root / "articles" / "secret.txt"
    secret.write_text("texte", "utf-8")
    secret.chmod(0)
    result = cli(Workspace.resolve(root), "index")
    assert "skipped secret.txt: unreadable" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "echappements.txt",
        "markup.txt",
        "emoji.txt",
        "bidi.txt",
        "une-ligne-20MB.txt",
        "cent-mille-lignes.txt",
        "retour\nligne.txt",
        "utf16.txt",
    ],
)
async def test_the_tui_reader_opens_each_file(nasty, name):
    app = make_app(nasty)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.open_article(name, "left")
        await settle(pilot, 5)
        reader = app.reader
        assert reader.article_id == name
        from tui.text.corpus import read_canonical

        assert reader.text == read_canonical(nasty.articles / name)[0]
        await pilot.press("G", "g", "pagedown", "v", "w", "escape")
        await settle(pilot)
        rendered = "".join(seg.text for y in range(5) for seg in reader.render_line(y))
        assert "\x1b" not in rendered and "\u202e" not in rendered


async def test_a_file_of_one_word_repeated_gets_its_first_hits_painted_and_says_so(nasty):
    """Five million hits of the query: the reader paints the first READER_HITS (found in a
    worker), steps through them with n, and says that is not all."""
    from tui.ui.reader.pane import READER_HITS

    app = make_app(nasty)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.search_panel.box.value = "mot"
        await settle(pilot, 5)
        app.open_article("une-ligne-20MB.txt", "left")
        await settle(pilot, 5)
        reader = app.reader
        assert len(reader.hits) == READER_HITS
        assert all(TWENTY_MB_LINE[s:e] == "mot" for s, e in reader.hits[:: READER_HITS // 100])
        assert any(f"first {READER_HITS:,} matches" in n.message for n in app._notifications)
        await pilot.press("n", "n")
        assert reader.cursor == reader.hits[2][0]  # from the first (the cursor is on it), two on
        from tui.ui.controllers.across import KWIC_SHOWN, ConcordanceScreen

        await pilot.press("K")
        await until(
            pilot, lambda: isinstance(app.screen, ConcordanceScreen) and app.screen.lines, "the concordance"
        )
        assert len(app.screen.lines) == KWIC_SHOWN
        assert f"the first {KWIC_SHOWN:,} occurrences" in str(app.screen.query_one("#kwic-title").render())


def test_an_article_over_the_size_limit_is_skipped_unread(cli, tmp_path):
    from tui.text.corpus import MAX_ARTICLE_BYTES

    root = tmp_path / "big"
    (root / "articles").mkdir(parents=True)
    with open(root / "articles" / "enorme.txt", "wb") as fh:
        fh.truncate(MAX_ARTICLE_BYTES + 1)
    (root / "articles" / "petit.txt").write_text("un petit article", "utf-8")
    result = cli(Workspace.resolve(root), "index")
    assert result.exit_code == 0
    assert "skipped enorme.txt: too large" in result.stdout and "1 added" in result.stdout
