"""Memos travel: in the JSON backup and the ``.qdpx`` (restored exactly, one undo takes them
back), in the Markdown export, and in the REFI-QDA project as the standard has them (the
project's ``Description``, ``Note``s with ``NoteRef``s on the ``TextSource`` and the ``Code``),
both ways: a QualCoder project's memos come in as memos and go back out."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tui.api import Library, Passage

from .conftest import SAMPLE_IDS
from .test_backup_restore import fresh

FIX = Path(__file__).parent / "fixtures" / "interop"
NS = "{urn:QDA-XML:project:1.0}"
A002, A004 = SAMPLE_IDS[2], SAMPLE_IDS[4]


def written(ws) -> list[tuple]:
    with Library(ws) as lib:
        return [(m.kind, m.target, m.coder, m.text, m.created, m.updated) for m in lib.memos.all()]


def with_memos(ws) -> None:
    with Library(ws, coder="ana") as ana:
        ana.annotations.annotate(Passage("004", start=0, end=12), tags=["droit"])
        ana.memos.set("project", None, "Question : [bold]comment[/] ?\n<script>alert(1)</script>")
        ana.memos.set("article", "004", "wire copy, compare with 002")
        ana.memos.set("article", "002", "no coding here yet")  # an article without annotations
        ana.memos.set("tag", "droit", "quand une loi est citée")
    with Library(ws, coder="ben") as ben:
        ben.memos.set("article", "004", "ben's reading")


@pytest.mark.parametrize("fmt", ["json", "qdpx"])
def test_a_backup_restores_every_memo_exactly_and_undo_takes_them_back(cli, indexed, tmp_path, fmt):
    with_memos(indexed)
    out = tmp_path / f"backup.{fmt}"
    assert cli(indexed, "export", "--format", fmt, "-o", str(out)).exit_code == 0
    other = fresh(tmp_path, indexed)
    result = cli(other, "import", str(out))
    assert result.exit_code == 0, result.output
    assert written(other) == written(indexed)  # kind, target, coder, text and times
    assert cli(other, "import", str(out)).exit_code == 0  # again: nothing changes
    assert written(other) == written(indexed)
    with Library(other) as lib:
        lib.journal.undo()  # the first import, its memos with it
    assert written(other) == []


def test_the_markdown_export_has_the_memos_as_text(cli, indexed):
    with_memos(indexed)
    md = cli(indexed, "export", "--format", "markdown").stdout
    assert "## Memos" in md and "### The project" in md and "### Tags" in md
    assert "wire copy, compare with 002" in md and "ben's reading" in md
    assert "<script>" not in md and "\\<script\\>" in md  # renders as typed, never as HTML
    assert md.index("## Memos") < md.index("Tags: `droit`")


def _project(path: Path):
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as z:
        return ElementTree.fromstring(z.read("project.qde"))


def test_the_qdpx_has_memos_where_the_standard_puts_them_and_validates(cli, indexed, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(FIX / "Project.xsd")))
    with_memos(indexed)
    out = tmp_path / "x.qdpx"
    assert cli(indexed, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        assert schema.validate(etree.fromstring(z.read("project.qde"))), schema.error_log
    root = _project(out)
    assert "comment" in root.findtext(NS + "Description")
    notes = {n.get("guid"): n.findtext(NS + "PlainTextContent") for n in root.iter(NS + "Note")}
    sources = {s.get("name"): s for s in root.iter(NS + "TextSource")}
    assert set(sources) == {A002, A004}  # an article with a memo only is a source too
    on_004 = {notes[r.get("targetGUID")] for r in sources[A004].findall(NS + "NoteRef")}
    assert on_004 == {"wire copy, compare with 002", "ben's reading"}
    (code,) = [c for c in root.iter(NS + "Code") if c.get("name") == "droit"]
    assert [notes[r.get("targetGUID")] for r in code.findall(NS + "NoteRef")] == ["quand une loi est citée"]


def _without_backup(path: Path) -> bytes:
    """The project as another tool writes it back: Glose's backup member gone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            if not info.filename.startswith("glose/"):
                dst.writestr(info, src.read(info))
    return buffer.getvalue()


def test_the_projects_own_memos_come_back_without_glose_s_backup(cli, indexed, tmp_path):
    with_memos(indexed)
    out = tmp_path / "x.qdpx"
    assert cli(indexed, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    bare = tmp_path / "bare.qdpx"
    bare.write_bytes(_without_backup(out))
    other = fresh(tmp_path, indexed)
    assert cli(other, "--coder", "ana", "import", str(bare)).exit_code == 0
    back = {(k, t, c, x) for k, t, c, x, *_ in written(other)}
    assert back == {(k, t, c, x) for k, t, c, x, *_ in written(indexed)}


def test_a_qualcoder_projects_memos_come_in_as_memos_and_go_back_out(cli, indexed, tmp_path):
    """QualCoder's own export: its project memo (the Project's Description), its journal (a
    Note with its text in the archive), and a source memo (the TextSource's Description)."""
    result = cli(indexed, "--coder", "ana", "import", str(FIX / "qualcoder40_interview.qdpx"))
    assert result.exit_code == 0, result.output
    with Library(indexed) as lib:
        memos = lib.memos.all()
        article = lib.articles.id("qualcoder40_interview/entretien_A.txt")
    assert [(m.kind, m.coder, m.text) for m in memos] == [
        ("project", "ana", "Entretiens sur la presse locale, codage d'essai."),
        ("project", "colin", "## Journal de terrain\n\nPremier passage de codage."),
        ("article", "colin", "Entretien réalisé à Lyon."),
    ]
    assert memos[2].target == article
    with Library(indexed) as lib:  # QualCoder's code memo is the tag's description, as before
        assert lib.codebook.tags()[1].description == "Dit faire confiance"
    again = cli(indexed, "--coder", "ana", "import", str(FIX / "qualcoder40_interview.qdpx"))
    assert again.exit_code == 0 and written(indexed) == [
        (m.kind, m.target, m.coder, m.text, m.created, m.updated) for m in memos
    ]
    out = tmp_path / "back.qdpx"
    assert cli(indexed, "--coder", "ana", "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    root = _project(out)
    assert "Entretiens sur la presse locale" in root.findtext(NS + "Description")
    notes = {n.get("guid"): n.findtext(NS + "PlainTextContent") for n in root.iter(NS + "Note")}
    (source,) = [s for s in root.iter(NS + "TextSource") if s.get("name") == article]
    assert [notes[r.get("targetGUID")] for r in source.findall(NS + "NoteRef")] == [
        "Entretien réalisé à Lyon."
    ]


def test_a_malformed_memo_in_a_backup_is_skipped_with_its_reason(cli, indexed, tmp_path):
    import json

    out = tmp_path / "b.json"
    assert cli(indexed, "export", "--format", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    doc["glose:memos"] = [
        {"kind": "chapter", "target": "x", "text": "t", "coder": "c"},
        {
            "kind": "project",
            "target": None,
            "text": "kept",
            "coder": "ana",
            "created": "2026-01-09T10:00:00Z",
        },
        "nonsense",
    ]
    out.write_text(json.dumps(doc), "utf-8")
    result = cli(indexed, "import", str(out))
    assert "memo 1" in result.stdout and "memo 3" in result.stdout
    assert [(k, c, x) for k, _, c, x, *_ in written(indexed)] == [("project", "ana", "kept")]
