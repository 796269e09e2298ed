"""``glose report``: the coded passages as a DOCX, ODT, HTML or Markdown document, read back
with the format's own readers (python-docx, odfpy, the standard HTML parser)."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tui.api import Library, Passage

from .conftest import update_index

ARTICLE = """---
title: Le fonds Knight Vinke referme le dossier Suez
date: 2026-01-09
source: Le Monde
author: Myriam Chauvot
page: 3
---
C'est une page qui se tourne pour le fonds activiste.
Il referme le dossier Suez après des mois de bataille.
"""
OTHER = """---
title: Grok sous le feu des critiques
date: 2026-01-06
source: Libération
---
Les critiques pleuvent sur la plateforme, accusée de laisser faire.
"""
CITATION = "Le Monde, 9 janvier 2026, p. 3, « Le fonds Knight Vinke referme le dossier Suez »"
HOSTILE = "<script>alert(1)</script> & <b>gras</b>"


@pytest.fixture
def coded(workspace):
    (workspace.articles / "suez.txt").write_text(ARTICLE, "utf-8")
    (workspace.articles / "grok.txt").write_text(OTHER, "utf-8")
    update_index(workspace)
    with Library(workspace, coder="alice") as lib:
        lib.annotations.annotate(
            Passage("suez.txt", quote="une page qui se tourne"), tags=["cadrage"], note=HOSTILE
        )
        lib.annotations.annotate(
            Passage("suez.txt", quote="des mois de bataille"), tags=["cadrage", "acteurs/fonds"]
        )
        lib.annotations.annotate(
            Passage("grok.txt", quote="Les critiques pleuvent"), tags=["acteurs/plateforme"]
        )
        lib.codebook.describe("cadrage", "How the story is framed")
    return workspace


def test_docx_report_has_heading_styles_quotes_notes_and_citation_lines(cli, coded):
    out = coded.root / "report.docx"
    result = cli(coded, "report", "-o", str(out))
    assert result.exit_code == 0, result.output
    import docx

    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    headings = [(style, text) for style, text in paragraphs if style.startswith("Heading")]
    assert ("Heading 1", "Codebook") in headings and ("Heading 1", "Passages by tag") in headings
    assert [t for s, t in headings if s == "Heading 2"] == ["acteurs/fonds", "acteurs/plateforme", "cadrage"]
    assert ("Heading 3", CITATION) in headings  # under each group, the article's citation line
    assert ("Heading 3", "Libération, 6 janvier 2026, « Grok sous le feu des critiques »") in headings
    quotes = [t for s, t in paragraphs if s == "Quote"]
    assert quotes.count("une page qui se tourne") == 1  # one tag: one group
    assert quotes.count("des mois de bataille") == 2  # two tags: in both groups
    assert f"Note: {HOSTILE}" in [t for _, t in paragraphs]
    assert "alice · cadrage" in [t for _, t in paragraphs]
    assert "How the story is framed" in [t for _, t in paragraphs]
    assert "2 passages in 1 article" in [t for _, t in paragraphs]  # cadrage in the codebook
    # what Word's navigation pane reads: the heading styles' outline levels
    styles = docx.Document(str(out)).styles
    for level in (1, 2, 3):
        outline = styles[f"Heading {level}"].element.pPr.find(docx.oxml.ns.qn("w:outlineLvl"))
        assert outline.get(docx.oxml.ns.qn("w:val")) == str(level - 1)


def test_odt_report_has_outline_levels(cli, coded):
    out = coded.root / "report.odt"
    assert cli(coded, "report", "--by", "article", "-o", str(out)).exit_code == 0
    from odf import teletype, text
    from odf.opendocument import load

    document = load(str(out))
    headings = [
        (int(h.getAttribute("outlinelevel")), teletype.extractText(h))
        for h in document.getElementsByType(text.H)
    ]
    assert (1, "Passages by article") in headings
    assert (2, "Le fonds Knight Vinke referme le dossier Suez") in headings
    assert (3, CITATION) in headings
    body = [teletype.extractText(p) for p in document.getElementsByType(text.P)]
    assert f"Note: {HOSTILE}" in body and "une page qui se tourne" in body
    # the groups by article come in date order: the 6 January article first
    level2 = [t for level, t in headings if level == 2]
    assert level2.index("Grok sous le feu des critiques") < level2.index(
        "Le fonds Knight Vinke referme le dossier Suez"
    )


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._in, self._buffer = tag, ""

    def handle_endtag(self, tag):
        if tag == self._in:
            self.headings.append((tag, self._buffer))
            self._in = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in:
            self._buffer += data


def test_html_report_is_one_file_and_data_is_text(cli, coded):
    with Library(coded) as lib:  # a tag named like markup, too
        lib.annotations.annotate(Passage("grok.txt", quote="laisser faire"), tags=["<i>tag</i>"])
    out = coded.root / "report.html"
    assert cli(coded, "report", "-o", str(out)).exit_code == 0
    page = Outline()
    page.feed(out.read_text("utf-8"))
    assert "script" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert HOSTILE in "".join(page.text)  # the note is there, as text
    assert ("h2", "<i>tag</i>") in page.headings
    assert ("h3", CITATION) in page.headings
    assert not {"link", "img", "iframe"} & set(page.tags)  # self-contained: nothing fetched
    assert 'src="' not in out.read_text("utf-8")


def test_markdown_report_escapes_and_filters_by_tag_and_where(cli, coded):
    out = coded.root / "report.md"
    assert cli(coded, "report", "--tag", "acteurs", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    assert "### acteurs/fonds" in text and "### acteurs/plateforme" in text
    assert "### cadrage" not in text and "**cadrage**" not in text  # out of the codebook too
    assert "> une page qui se tourne" not in text  # tagged cadrage only
    assert cli(coded, "report", "--where", "Suez", "-o", str(out), "--force").exit_code == 0
    text = out.read_text("utf-8")
    assert "Les critiques pleuvent" not in text and "> une page qui se tourne" in text
    assert "Note: \\<script\\>alert(1)\\</script\\>" in text  # cannot open HTML in a renderer
    assert cli(coded, "report", "--by", "source", "-o", str(out), "--force").exit_code == 0
    text = out.read_text("utf-8")
    assert "## Passages by source" in text
    assert text.index("### Le Monde") < text.index("### Libération")  # values in order


def test_report_by_a_users_variable_and_by_month_where_a_variable_matches(cli, coded):
    assert cli(coded, "meta", "suez.txt", "--set", "genre=tribune").exit_code == 0
    out = coded.root / "report.md"
    assert cli(coded, "report", "--by", "genre", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    assert "## Passages by genre" in text
    assert text.index("### tribune") < text.index("### (no value)")  # no value last
    assert (
        cli(
            coded, "report", "--by", "date.month", "--where", "genre:tribune", "-o", str(out), "--force"
        ).exit_code
        == 0
    )
    text = out.read_text("utf-8")
    assert "### 2026-01" in text and "> une page qui se tourne" in text
    assert "Les critiques pleuvent" not in text  # grok.txt is no tribune


def outputs(root: Path) -> list[str]:
    """What a report could leave in a folder: files but the store's and the index's."""
    return sorted(n for n in os.listdir(root) if not n.startswith(("annotations.db", "index", "articles")))


def test_bad_input_writes_nothing(cli, coded):
    out = coded.root / "report.docx"
    out.write_bytes(b"mine")
    for args, message in (
        (["-o", str(out)], "exists: give --force"),
        (["--tag", "nope", "-o", str(coded.root / "a.docx")], "no tag 'nope'"),
        (["--article", "nope.txt", "-o", str(coded.root / "a.docx")], "no article"),
        (["-o", str(coded.root / "missing" / "a.docx")], "does not exist"),
        (["-o", str(coded.root / "a.pdf")], "name a .docx, .odt, .html or .md file"),
        (["--by", "genre", "-o", str(coded.root / "a.docx")], "unknown variable 'genre'"),
        (["--where", "(unclosed", "-o", str(coded.root / "a.docx")], ""),
    ):
        before = outputs(coded.root)
        result = cli(coded, "report", *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert outputs(coded.root) == before  # no file, no temporary file
    assert out.read_bytes() == b"mine"
    assert cli(coded, "report", "-o", str(out), "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_a_failure_while_streaming_leaves_no_file(tmp_path):
    from tui.formats.export import write_file

    def fails(fh):
        fh.write(b"half a report")
        raise RuntimeError("the disk is gone")

    with pytest.raises(RuntimeError):
        write_file(tmp_path / "report.md", fails)
    assert os.listdir(tmp_path) == []


def test_an_empty_selection_is_still_a_report(cli, coded):
    out = coded.root / "empty.md"
    assert cli(coded, "report", "--where", "zzznomatch", "-o", str(out)).exit_code == 0
    assert "No coded passages." in out.read_text("utf-8")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed here")
def test_libreoffice_converts_the_office_reports(cli, coded, tmp_path):
    for name in ("report.docx", "report.odt"):
        out = coded.root / name
        assert cli(coded, "report", "-o", str(out)).exit_code == 0
        pdf = tmp_path / "pdf"
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf),
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        made = pdf / (Path(name).stem + ".pdf")
        assert made.read_bytes()[:5] == b"%PDF-"
        made.unlink()


def test_a_folder_name_that_is_not_text_still_makes_every_format(tmp_path):
    import shutil as sh

    from tui.workspace import Workspace

    from .conftest import SAMPLES

    root = tmp_path / "bad\udce9\x1bname"  # a Latin-1 byte and an escape in the folder's name
    sh.copytree(SAMPLES, root / "articles")
    ws = Workspace.resolve(root)
    update_index(ws)
    with Library(ws) as lib:
        article = sorted(p.name for p in (root / "articles").glob("*.txt"))[1]
        quote = lib.articles.text(article).text.split("\n")[0][:30]
        lib.annotations.annotate(Passage(article, quote=quote), tags=["t"])
        for suffix in (".docx", ".odt", ".html", ".md"):
            done = lib.writing.report(root / f"r{suffix}")
            assert done.passages == 1


def test_memos_are_in_the_report_where_they_belong(cli, coded):
    assert (
        cli(
            coded, "memo", "--project", "--set", "Question: how is Suez framed?\n\nRule: code <b>frames</b>."
        ).exit_code
        == 0
    )
    assert cli(coded, "memo", "--tag", "cadrage", "--set", "Borderline: quotes of officials.").exit_code == 0
    assert (
        cli(coded, "memo", "--article", "suez.txt", "--set", "Wire copy, compare with grok.").exit_code == 0
    )
    assert (
        cli(coded, "--coder", "bob", "memo", "--article", "suez.txt", "--set", "Bob's reading.").exit_code
        == 0
    )
    out = coded.root / "report.docx"
    assert cli(coded, "report", "-o", str(out)).exit_code == 0
    import docx

    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    texts = [t for _, t in paragraphs]
    memo_at = texts.index("Project memo")
    assert texts[memo_at + 1 : memo_at + 3] == ["Question: how is Suez framed?", "Rule: code <b>frames</b>."]
    assert texts.index("Project memo") < texts.index("Codebook")  # on the title page
    # the tag's memo in the codebook and at the head of its group
    assert texts.count("Borderline: quotes of officials.") == 2
    # the article's memos (both coders', each under their name) under its citation line
    citation = texts.index(CITATION, texts.index("cadrage", texts.index("Passages by tag")))
    after = texts[citation + 1 : citation + 3]
    assert any("Wire copy, compare with grok." in t for t in after)
    assert any("bob:" in t and "Bob's reading." in t for t in after)
    html = coded.root / "report.html"
    assert cli(coded, "report", "-o", str(html)).exit_code == 0
    assert "&lt;b&gt;frames&lt;/b&gt;" in html.read_text("utf-8")  # a memo is data too


async def test_the_reader_writes_a_report_and_keeps_the_dialog_open_when_the_file_exists(tmp_path):
    """The palette's "Write a report": the file typed is written (by tag, with the passages);
    an existing file is not replaced, and the dialog stays open with what was typed."""
    import shutil

    from textual.widgets import Input

    from tui.api import Library, Passage
    from tui.workspace import Workspace

    from .app_helpers import act, make_app, ready, until
    from .conftest import SAMPLES

    shutil.copytree(SAMPLES, tmp_path / "articles")
    ws = Workspace.resolve(tmp_path)
    with Library(ws) as lib:
        lib.index.update()
        lib.annotations.annotate(
            Passage("004", quote="Thomas Régnier"), tags=["acteurs"], note="porte-parole"
        )
    (tmp_path / "taken.md").write_text("mine", "utf-8")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await act(pilot, "do('files', 'report')")
        dialog.query_one("#answer", Input).value = "taken.md"
        await pilot.press("enter")
        await until(pilot, lambda: "exists" in str(dialog.query_one("#error").render()), "the refusal")
        assert app.screen is dialog and (tmp_path / "taken.md").read_text("utf-8") == "mine"
        dialog.query_one("#answer", Input).value = "rapport.md"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not dialog, "the dialog closed")
    text = (tmp_path / "rapport.md").read_text("utf-8")
    assert "Thomas Régnier" in text and "porte-parole" in text and "acteurs" in text
