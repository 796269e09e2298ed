"""``glose add`` end to end: one file per article, searchable by author and source; the same
export twice adds nothing; near duplicates reported; a bad input is one line and the others are
still added; nothing half-written is left behind.

Fixtures: ``tests/fixtures/sources`` (origins in its SOURCES.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.adding import make_pdf  # a minimal PDF, as the PDF reference describes it
from tui.api import Library
from tui.intake import read_source
from tui.text import frontmatter
from tui.workspace import Workspace

from .sources_helpers import PDF_LINES, SAMPLES, fixture


def articles_added(ws: Workspace) -> list[Path]:
    return sorted(p for p in ws.articles.rglob("*.txt") if p.parent != ws.articles)


# --- glose add, end to end ---------------------------------------------------------------------------


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    shutil.copytree(SAMPLES, tmp_path / "articles")
    return Workspace.resolve(tmp_path)


def test_glose_add_writes_one_file_per_article_searchable_by_author_and_source(cli, ws):
    result = cli(ws, "add", str(fixture("europresse-2021.html")), str(fixture("factiva.html")))
    assert result.exit_code == 0, result.output
    assert "added 5, duplicates 0, skipped 1" in result.stdout
    folder = ws.articles / "europresse-2021"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "2007-01-16_le-fonds-knight-vinke-referme-le-dossier-suez.txt",
        "2007-02-12_le-kremlin-defie-washington-dans-le-golfe.txt",
    ]
    text = (folder / names[0]).read_text("utf-8")
    assert text.startswith(
        "---\ntitle: Le fonds Knight Vinke referme le dossier Suez\ndate: 2007-01-16\nsource: Les Echos\n"
        "author: MYRIAM CHAUVOT\nsection: Industrie\npage: 25\nwords: 332\nid: news·20070116·EC·4524237\n"
        "origin: europresse (europresse-2021.html)\n---\nL'investisseur financier"
    )
    hits = json.loads(cli(ws, "search", "author:chauvot", "--json").stdout)["results"]
    assert [h["article"] for h in hits] == [f"europresse-2021/{names[0]}"]
    assert hits[0]["author"] == "MYRIAM CHAUVOT" and hits[0]["source"] == "Les Echos"
    figaro = json.loads(cli(ws, "search", 'source:"le figaro"', "--json").stdout)["results"]
    assert len(figaro) == 4  # one Europresse, three Factiva
    # the reader's header and the exports get title, date and source from the block
    meta = json.loads(cli(ws, "meta", f"europresse-2021/{names[0]}", "--json").stdout)
    assert (meta["title"], meta["date"], meta["source"]) == (
        "Le fonds Knight Vinke referme le dossier Suez", "2007-01-16", "Les Echos"
    )  # fmt: skip
    # offsets count in the body: the first word of the body is at 0
    shown = cli(ws, "show", f"europresse-2021/{names[0]}").stdout
    assert shown.startswith("L'investisseur financier")
    assert (
        cli(
            ws,
            "annotate",
            f"europresse-2021/{names[0]}",
            "--quote",
            "Knight Vinke Asset Management",
            "--occurrence",
            "1",
            "--tag",
            "acteur",
        ).exit_code
        == 0
    )
    exported = cli(ws, "export", "--format", "markdown").stdout
    assert "2007-01-16 · Les Echos · MYRIAM CHAUVOT" in exported


def test_adding_the_same_export_again_adds_nothing_and_overlaps_are_added_once(cli, ws):
    assert cli(ws, "add", str(fixture("europresse-2021.html"))).exit_code == 0
    before = articles_added(ws)
    again = cli(ws, "add", str(fixture("europresse-2021.html")))
    assert again.exit_code == 0 and "added 0, duplicates 2, skipped 1" in again.stdout
    assert articles_added(ws) == before
    overlap = cli(ws, "add", str(fixture("europresse-2021-overlap.html")), "--json")
    data = json.loads(overlap.stdout)
    assert (data["added"], data["duplicates"]) == (1, 1)
    assert data["inputs"][0]["duplicates"][0]["why"] == "same document id"
    # the same articles from another database (the text export of Factiva) are duplicates too
    cli(ws, "add", str(fixture("factiva.html")))
    text_export = json.loads(cli(ws, "add", str(fixture("factiva-saved-as-text.txt")), "--json").stdout)
    assert (text_export["added"], text_export["duplicates"]) == (0, 3)


def test_near_duplicates_are_reported_and_kept_or_skipped(cli, ws, tmp_path):
    cli(ws, "add", str(fixture("europresse-2021.html")))
    web = fixture("europresse-2021.html").read_text("utf-8")
    web = web.replace("news&#183;20070116&#183;EC&#183;4524237", "news&#183;20070116&#183;ECW&#183;1")
    web = web.replace("C'est une page qui se tourne", "C'est bien une page qui se tourne")
    edition = tmp_path / "web-edition.html"
    edition.write_text(web, "utf-8")
    skipped = json.loads(cli(ws, "add", str(edition), "--near", "skip", "--json", "--dry-run").stdout)
    near = skipped["inputs"][0]["near"]
    assert len(near) == 1 and near[0]["article"].endswith("le-fonds-knight-vinke-referme-le-dossier-suez.txt")
    assert skipped["added"] == 0
    kept = json.loads(cli(ws, "add", str(edition), "--json").stdout)
    assert kept["added"] == 1 and len(kept["inputs"][0]["near"]) == 1


def test_dry_run_writes_nothing(cli, ws):
    result = cli(ws, "add", "--dry-run", str(fixture("nexis-uni.docx")))
    assert result.exit_code == 0 and "would add" in result.stdout
    assert articles_added(ws) == [] and not (ws.articles / "nexis-uni").exists()


def test_a_bad_input_is_one_line_and_the_others_are_still_added(cli, ws, tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    result = cli(ws, "add", str(broken), str(fixture("lexisnexis-academic.txt")))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("glose:")]
    assert len(errors) == 1 and "broken.docx: damaged archive" in errors[0]
    assert len(articles_added(ws)) == 3


def test_an_input_that_cannot_be_written_leaves_nothing_behind(ws):
    (ws.articles / "europresse-2021").write_text("a file where the export's folder would go", "utf-8")
    with Library(ws) as lib:
        report = lib.intake.add([fixture("europresse-2021.html")])
    assert report.failed == 1 and "nothing was added" in report.inputs[0].error
    assert [p.name for p in ws.articles.iterdir() if p.name.startswith(".")] == []  # no staging left
    assert articles_added(ws) == []


def test_markup_and_escapes_in_an_export_are_data(cli, ws, tmp_path):
    page = fixture("europresse-2021.html").read_text("utf-8")
    page = page.replace(
        "Le fonds Knight Vinke referme le dossier Suez", "[bold]Suez[/bold] \x1b]0;pwned\x07 <b>x</b>"
    )
    hostile = tmp_path / "hostile.html"
    hostile.write_text(page, "utf-8")
    result = cli(ws, "add", str(hostile), "--into", "hostile")
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    written = next((ws.articles / "hostile").glob("*suez*"))
    meta, _ = frontmatter.split(written.read_text("utf-8"))
    assert meta["title"] == "[bold]Suez[/bold] x" and "\x1b" not in written.read_text("utf-8")


def test_into_must_stay_inside_the_articles_folder(cli, ws):
    for bad in ("../outside", "/tmp/x", ".hidden"):
        result = cli(ws, "add", str(fixture("europresse-2021.html")), "--into", bad)
        assert result.exit_code == 1 and "--into" in result.stderr
    assert articles_added(ws) == []


def test_library_add_for_the_app(ws):
    """What the reader's palette command calls: Library.add, then ensure_index."""
    pdf = ws.root / "article.pdf"
    pdf.write_bytes(make_pdf(PDF_LINES))
    with Library(ws) as lib:
        report = lib.intake.add([pdf, fixture("franceculture.fr.idees.html")], into="clippings")
        assert report.summary() == "added 2, duplicates 0, skipped 0"
        lib.index.ensure()
        hits = lib.search.run("author:munier").hits
        assert [h.title for h in hits] == ["Prendre la parole"]
    assert sorted(p.name for p in (ws.articles / "clippings").iterdir()) == [
        "2020-01-14_prendre-la-parole.txt",
        "le-fonds-knight-vinke-referme-le-dossier-suez.txt",
    ]


def test_adding_starts_the_corpus_of_a_new_workspace(cli, tmp_path):
    ws = Workspace.resolve(tmp_path)
    result = cli(ws, "add", str(fixture("lexisnexis-academic.txt")))
    assert result.exit_code == 0 and len(list((tmp_path / "articles").rglob("*.txt"))) == 3


def test_json_keys_are_stable(cli, ws):
    data = json.loads(cli(ws, "add", "--dry-run", "--json", str(fixture("factiva.html"))).stdout)
    assert set(data) == {"added", "duplicates", "skipped", "failed", "dry_run", "inputs"}
    item = data["inputs"][0]
    assert set(item) == {"path", "format", "added", "duplicates", "near", "skipped", "error"}
    assert set(item["added"][0]) == {"article", "title", "date", "source", "author"}


def test_readers_never_reach_the_network(monkeypatch, tmp_path):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in ("europresse-2023.html", "franceculture.fr.idees.html", "factiva.html"):
        assert read_source(fixture(name)).pieces


def test_related_links_and_copyright_lines_inside_a_body_go():
    """Shapes seen in the real Europresse exports (La Tribune, AFP dispatches)."""
    from tui.intake.model import drop_notices

    body = (
        "Premier paragraphe.\n\n"
        "Lire aussiVoyageurs, métiers, attractivité : quatre chiffres (lien : https://example.org/a)\n\n"
        "Deuxième paragraphe,\ncoupé par un <br>.\n"
        "| Lire aussi 2016, le big bang de la décarbonation ? (lien : http://example.org/b)\n\n"
        "&gt; Lire aussi : maires cherchent financements verts désespérément\n\n"
        "© NASA TV - Handout\n\n"
        "Tous droits de reproduction et de représentation réservés. © (2022) Agence France-Presse"
    )
    assert drop_notices(body) == "Premier paragraphe.\n\nDeuxième paragraphe, coupé par un <br>."


def test_the_adding_benchmark_runs():
    """``python -m bench.adding`` keeps working (a small export; no timing is asserted)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "bench.adding", "--articles", "20", "--no-pdf"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| Europresse, 20 articles" in result.stdout
    assert "added 0, duplicates 20, skipped 0" in result.stdout


def test_a_drop_cap_exported_as_its_own_paragraph_joins_its_word():
    """Factiva's Le Figaro export gives "C" then "'est la douche froide…" (the drop cap)."""
    from tui.intake.model import clean_body

    assert clean_body("Koniambo.\n\nC\n\n'est la douche froide.\n\nA\n\nB.") == (
        "Koniambo.\n\nC'est la douche froide.\n\nA\n\nB."
    )


def test_a_document_repeated_inside_one_export_is_added_once(cli, ws, tmp_path):
    page = fixture("europresse-2021.html").read_text("utf-8")
    first = page[page.index("<article>") : page.index("</article>") + len("</article>")]
    twice = tmp_path / "twice.html"
    twice.write_text(page.replace(first, first + "\n" + first, 1), "utf-8")
    data = json.loads(cli(ws, "add", str(twice), "--json", "--into", "presse/été").stdout)
    assert (data["added"], data["duplicates"]) == (2, 1)
    assert data["inputs"][0]["added"][0]["article"].startswith("presse/été/2007-01-16_")
    assert (ws.articles / "presse" / "été").is_dir()


def test_an_add_killed_midway_leaves_nothing_the_next_add_does_not_sweep(cli, ws):
    """A crash mid-add leaves a hidden staging folder: the scan ignores it, and the next add
    removes it once it is old enough not to belong to an add still running."""
    import os
    import time

    crashed = ws.articles / ".glose-adding-0123456789ab"
    (crashed / "half.txt").parent.mkdir()
    (crashed / "half.txt").write_text("à moitié écrit", "utf-8")
    hour_ago = time.time() - 2 * 3600
    os.utime(crashed, (hour_ago, hour_ago))
    running = ws.articles / ".glose-adding-fedcba987654"  # an add running right now
    running.mkdir()
    result = cli(ws, "add", str(fixture("factiva.html")))
    assert result.exit_code == 0, result.output
    assert not crashed.exists() and running.is_dir()
