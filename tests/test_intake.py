"""Intake that keeps a document's order and dates, and whose cost is bounded: zipped documents
that unpack to hundreds of megabytes of XML (refused in bounded memory, measured in a
subprocess), a DOCX made from python-docx's own template (its 2013 creation date never
becomes the publication date), a table between two paragraphs (it stays there)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import tui
from tui.intake import read_source
from tui.intake.writing import render
from tui.text import frontmatter
from tui.workspace import Workspace

ROOT = Path(tui.__file__).resolve().parent.parent  # the code under test, for the subprocesses
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def hostile_zip(path: Path, member: str, head: str, unit: str, foot: str, mib: int, extra=()) -> Path:
    """A zip whose ``member`` is ``head``, ``mib`` MiB of ``unit`` repeated, then ``foot``:
    a file of well under a megabyte that unpacks to hundreds."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in extra:
            archive.writestr(name, text)
        with archive.open(member, "w", force_zip64=True) as fh:
            fh.write(head.encode())
            chunk = unit.encode() * (2**20 // len(unit))
            for _ in range(mib):
                fh.write(chunk)
            fh.write(foot.encode())
    return path


def hostile_docx(path: Path, unit: str, mib: int, *, one_paragraph: bool = False) -> Path:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>'
    foot = "</w:body></w:document>"
    if one_paragraph:
        head, foot = head + "<w:p>", "</w:p>" + foot
    extra = (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS))
    return hostile_zip(path, "word/document.xml", head, unit, foot, mib, extra)


# Reads one input as glose add does, in a process of its own whose address space is capped
# (so that the unbounded reader fails fast instead of taking the machine's memory), and says
# what happened and its peak resident memory.
_MEASURE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
from pathlib import Path
from tui.intake import SourceError, read_source
try:
    source = read_source(Path(sys.argv[1]))
    outcome = "read %d characters" % sum(len(p.body) for p in source.pieces)
except SourceError as exc:
    outcome = "refused: " + str(exc)
except MemoryError:
    outcome = "out of memory"
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a large pytest
# process would report its parent's size (860 MB in a full run) whatever it used itself.
status = Path("/proc/self/status").read_text()
peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) * 1024
print(json.dumps({"outcome": outcome, "peak": peak}))
"""


def measured(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


GENEROUS = 600 * 2**20  # the streaming reader peaks far below; python-docx needs gigabytes


def test_a_docx_unpacking_to_240_mib_of_paragraphs_is_refused_in_bounded_memory(tmp_path):
    docx = hostile_docx(
        tmp_path / "bomb.docx", "<w:p><w:r><w:t>Lorem ipsum dolor sit amet.</w:t></w:r></w:p>", 240
    )
    assert docx.stat().st_size < 2**20  # under a megabyte on disk, under the unpacked-size cap
    result = measured(docx)
    assert result["outcome"] == "refused: too many paragraphs (the limit is 200,000)"
    assert result["peak"] < GENEROUS


def test_a_docx_holding_one_paragraph_of_millions_of_runs_is_refused_in_bounded_memory(tmp_path):
    docx = hostile_docx(
        tmp_path / "runs.docx", "<w:r><w:t>Lorem ipsum dolor sit amet.</w:t></w:r>", 40, one_paragraph=True
    )
    result = measured(docx)
    assert result["outcome"] == "refused: too much text (the limit is 16 MiB)"
    assert result["peak"] < GENEROUS


def test_odt_and_epub_bombs_are_refused_in_bounded_memory(tmp_path):
    odt = hostile_zip(
        tmp_path / "bomb.odt",
        "content.xml",
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>',
        "<text:p>Lorem ipsum dolor sit amet.</text:p>",
        "</office:text></office:body></office:document-content>",
        120,
        extra=(("mimetype", "application/vnd.oasis.opendocument.text"),),
    )
    epub = hostile_zip(
        tmp_path / "bomb.epub",
        "c1.xhtml",
        "<html><body>",
        "<p>Lorem ipsum dolor sit amet.</p>",
        "</body></html>",
        120,
        extra=(
            ("mimetype", "application/epub+zip"),
            (
                "META-INF/container.xml",
                '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                '<rootfile full-path="book.opf"/></rootfiles></container>',
            ),
            (
                "book.opf",
                '<package xmlns="http://www.idpf.org/2007/opf"><manifest><item id="c1" href="c1.xhtml" '
                'media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>',
            ),
        ),
    )
    for path in (odt, epub):
        result = measured(path)
        assert result["outcome"] == "refused: too many paragraphs (the limit is 200,000)", path.name
        assert result["peak"] < GENEROUS


def test_glose_add_says_in_one_line_why_a_docx_bomb_is_refused(cli, tmp_path):
    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    docx = hostile_docx(tmp_path / "bomb.docx", "<w:p><w:r><w:t>x</w:t></w:r></w:p>", 20)
    result = cli(Workspace.resolve(ws_root), "add", str(docx))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"glose: {docx}: too many paragraphs (the limit is 200,000); nothing added from it"
    )
    assert not list((ws_root / "articles").rglob("*.txt"))


# --- a DOCX made from a template ---------------------------------------------------------------


def template_docx(path: Path, *, dated_text: bool = True) -> Path:
    """A DOCX made from python-docx's default template (docx.Document() with no argument):
    its core properties are the template's, created and modified 2013-12-23, author python-docx."""
    import docx

    document = docx.Document()
    assert document.core_properties.created.year == 2013  # the template's own date
    document.add_paragraph("La modération des images générées")
    if dated_text:
        document.add_paragraph("Paris, le 9 janvier 2026")
    document.add_paragraph("Premier paragraphe, avant le tableau.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate((("Outil", "Mesure"), ("Grok", "Restreint"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Dernier paragraphe, après le tableau.")
    document.save(path)
    return path


def test_a_template_made_docx_keeps_the_body_order_and_takes_its_date_from_the_text(cli, tmp_path):
    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    ws = Workspace.resolve(ws_root)
    path = template_docx(tmp_path / "note.docx")
    piece = read_source(path).pieces[0]
    assert piece.body.split("\n\n")[-4:] == [
        "Premier paragraphe, avant le tableau.",
        "Outil | Mesure",
        "Grok | Restreint",
        "Dernier paragraphe, après le tableau.",
    ]
    assert piece.date != "2013-12-23" and piece.authors == []  # "python-docx" is no author
    data = json.loads(cli(ws, "add", str(path), "--json").stdout)
    article = data["inputs"][0]["added"][0]["article"]
    assert article.startswith("2026-01-09_")
    written = (ws.articles / article).read_text("utf-8")
    assert "2013" not in written
    meta = json.loads(cli(ws, "meta", article, "--json").stdout)
    assert meta["date"] == "2026-01-09"


def test_a_template_creation_date_is_never_a_publication_date(cli, tmp_path):
    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    ws = Workspace.resolve(ws_root)
    path = template_docx(tmp_path / "undated.docx", dated_text=False)
    data = json.loads(cli(ws, "add", str(path), "--json").stdout)
    added = data["inputs"][0]["added"][0]
    assert added["date"] is None and not added["article"].startswith("2013")
    assert "2013" not in (ws.articles / added["article"]).read_text("utf-8")


def test_a_real_creation_date_is_the_last_resort(tmp_path):
    import datetime

    import docx

    document = docx.Document()
    stamp = datetime.datetime(2025, 11, 3, 8, 0, tzinfo=datetime.UTC)
    document.core_properties.created = document.core_properties.modified = stamp
    document.core_properties.author = "Camille Martin"
    document.add_paragraph("Un texte sans date.")
    document.save(tmp_path / "a.docx")
    piece = read_source(tmp_path / "a.docx").pieces[0]
    assert (piece.date, piece.authors) == ("2025-11-03", ["Camille Martin"])
    meta, _ = frontmatter.split(render(piece, "docx (a.docx)"))
    assert meta["date"] == "2025-11-03"


@pytest.mark.parametrize("title", ["Microsoft Word - note.docx", "Untitled", "Document1", "rapport.pdf"])
def test_a_producer_placeholder_title_is_not_a_title(title):
    from tui.intake.properties import title as property_title

    assert property_title(title) is None
    assert property_title("Grok limite son outil") == "Grok limite son outil"


def test_a_qdpx_whose_project_holds_millions_of_elements_is_refused_before_it_is_parsed(cli, tmp_path):
    """Not a zip bomb by ratio (each element differs), so only the element count stops it."""
    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    path = tmp_path / "big.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("project.qde", "w") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">')
        fh.write(b"<Description>")
        for start in range(0, 1_200_000, 10_000):
            fh.write(b"".join(b"<x n='%d'/>" % i for i in range(start, start + 10_000)))
        fh.write(b"</Description></Project>")
    result = cli(Workspace.resolve(ws_root), "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("project.qde has over 1,000,000 XML elements: too many to be read")


# --- glose add FOLDER --------------------------------------------------------------------------

SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"


def downloads(tmp_path: Path) -> Path:
    """A folder of downloaded exports as a person has one: a subfolder, hidden files."""
    folder = tmp_path / "téléchargements"
    (folder / "janvier").mkdir(parents=True)
    (folder / ".cache").mkdir()
    (folder / "europresse.html").write_bytes((SOURCES / "europresse-2021.html").read_bytes())
    (folder / "janvier" / "factiva.html").write_bytes((SOURCES / "factiva.html").read_bytes())
    template_docx(folder / "janvier" / "note.docx")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".cache" / "copy.html").write_bytes((SOURCES / "europresse-2023.html").read_bytes())
    return folder


def test_glose_add_folder_adds_every_file_in_it_and_its_subfolders(cli, tmp_path):
    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    ws = Workspace.resolve(ws_root)
    folder = downloads(tmp_path)
    result = cli(ws, "add", str(folder), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [Path(i["path"]).relative_to(folder).as_posix() for i in data["inputs"]] == [
        "europresse.html",
        "janvier/factiva.html",
        "janvier/note.docx",
    ]
    assert [i["format"] for i in data["inputs"]] == ["europresse", "factiva", "docx"]
    assert data["added"] == 2 + 3 + 1 and data["failed"] == 0  # one Europresse document is a title only
    # what the hidden folder holds (another export) was not read
    assert not any("Pesquet" in p.read_text("utf-8") for p in ws.articles.rglob("*.txt"))


def test_adding_a_folder_through_the_library_as_the_reader_does(tmp_path):
    from tui.api import Library

    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    folder = downloads(tmp_path)
    with Library(Workspace.resolve(ws_root)) as lib:
        report = lib.intake.add([folder])
    assert (report.added, report.failed) == (6, 0)
    assert len(report.inputs) == 3


def test_a_folder_with_nothing_to_add_or_the_workspace_itself_adds_nothing(cli, tmp_path):
    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    ws = Workspace.resolve(ws_root)
    (tmp_path / "vide" / ".git").mkdir(parents=True)
    (tmp_path / "vide" / ".git" / "HEAD").write_text("ref: x\n")
    result = cli(ws, "add", str(tmp_path / "vide"))
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"glose: {tmp_path / 'vide'}: a folder with no file to add; nothing added from it"
    )
    cli(ws, "add", str(SOURCES / "factiva.html"))
    before = sorted(p.relative_to(ws.articles) for p in ws.articles.rglob("*.txt"))
    result = cli(ws, "add", str(ws_root))  # its own articles, index and database are not inputs
    assert sorted(p.relative_to(ws.articles) for p in ws.articles.rglob("*.txt")) == before
