"""Text that is not valid Unicode never reaches the store as it came, nor ends in a traceback:
command-line arguments typed in a terminal that is not UTF-8 (real bytes in argv, in a
subprocess) are read in the legacy encoding or refused in one line; a lone surrogate in an
imported JSON file becomes U+FFFD and the import says how many texts held one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tui
from tui.api import Library, Passage
from tui.workspace import Workspace

ROOT = Path(tui.__file__).resolve().parent.parent
ARTICLE = "000_7525c6e5bbe6bac6.txt"  # of the samples: "Romain Leclaire" opens it


def glose(ws: Workspace, *args: str | bytes) -> subprocess.CompletedProcess:
    """The real command, with arguments as bytes a terminal sends, decoded by Python as UTF-8
    (the locale of most systems) with surrogateescape for the bytes that are not."""
    env = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"}
    env["XDG_STATE_HOME"] = str(ws.root / ".state")
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--workspace", str(ws.root), *args],
        capture_output=True,
        env=env,
        timeout=120,
    )


def annotations(ws: Workspace) -> list[dict]:
    result = glose(ws, "annotations", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


QUOTE = ("--quote", "Romain Leclaire", "--occurrence", "1")


def test_latin1_bytes_in_arguments_are_read_as_the_terminal_meant_them(workspace):
    result = glose(
        workspace, "annotate", ARTICLE, *QUOTE, "--note", b"caf\xe9 cr\xe8me", "-t", b"r\xe9action"
    )
    assert result.returncode == 0, result.stderr.decode()
    [ann] = annotations(workspace)
    assert (ann["note"], ann["tags"]) == ("café crème", ["réaction"])
    assert glose(workspace, "tag", "create", b"\xe9t\xe9").returncode == 0
    assert glose(workspace, "meta", ARTICLE, "--title", b"Un caf\xe9 \x80 2 euros").returncode == 0
    meta = json.loads(glose(workspace, "meta", ARTICLE, "--json").stdout)
    assert meta["title"] == "Un café € 2 euros"
    tags = json.loads(glose(workspace, "tags", "--json").stdout)
    assert {t["name"] for t in tags} >= {"réaction", "été"}
    # UTF-8 and latin-1 mixed in one argument: each part read right
    result = glose(
        workspace, "annotate", ARTICLE, *QUOTE, "--note", "déjà ".encode() + b"vu \xe0 la t\xe9l\xe9"
    )
    assert result.returncode == 0, result.stderr.decode()
    assert "déjà vu à la télé" in [a["note"] for a in annotations(workspace)]


def test_bytes_that_are_text_in_no_encoding_are_refused_in_one_line(workspace):
    result = glose(workspace, "annotate", ARTICLE, *QUOTE, "--note", b"caf\x81")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "glose: --note: not text (bytes 81 are neither UTF-8 nor cp1252 text); set the terminal to UTF-8"
    ]
    assert annotations(workspace) == []
    result = glose(workspace, "--coder", b"Ren\x8d", "annotations")
    assert result.returncode == 1 and result.stderr.decode().startswith("glose: --coder: not text")


def test_a_file_name_keeps_its_bytes(workspace, tmp_path):
    """Paths are not text arguments: a file whose name is latin-1 is still found."""
    name = os.fsdecode(b"caf\xe9.html")
    (tmp_path / name).write_bytes(
        b"<html><body><p>" + b"Un texte assez long pour un article. " * 5 + b"</p></body></html>"
    )
    result = glose(workspace, "add", os.fsencode(str(tmp_path / name)))
    assert result.returncode == 0, result.stderr.decode()


# --- imports ---------------------------------------------------------------------------------


def _w3c(note: str, tag: str) -> str:
    return json.dumps(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "AnnotationPage",
            "items": [
                {
                    "id": "urn:uuid:11111111-1111-4111-8111-111111111111",
                    "type": "Annotation",
                    "body": [
                        {"type": "TextualBody", "value": note, "purpose": "commenting"},
                        {"type": "TextualBody", "value": tag, "purpose": "tagging"},
                    ],
                    "target": {
                        "source": "http://example.org/a",
                        "selector": [{"type": "TextQuoteSelector", "exact": "Romain Leclaire"}],
                    },
                }
            ],
        }
    )


def _hypothesis(note: str, tag: str) -> str:
    return json.dumps(
        {
            "total": 1,
            "rows": [
                {
                    "id": "hyp1",
                    "uri": "http://example.org/a",
                    "text": note,
                    "tags": [tag],
                    "created": "2026-01-09T10:00:00Z",
                    "updated": "2026-01-09T10:00:00Z",
                    "target": [
                        {
                            "source": "http://example.org/a",
                            "selector": [{"type": "TextQuoteSelector", "exact": "Romain Leclaire"}],
                        }
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize("make", [_w3c, _hypothesis], ids=["w3c", "hypothesis"])
def test_a_lone_surrogate_in_an_imported_note_becomes_a_replacement_character(workspace, tmp_path, make):
    path = tmp_path / "annotations.json"
    path.write_text(make("x\ud800y", "t\udce9g"), "ascii")  # json.dumps writes them as \ud800
    assert "\\ud800" in path.read_text("ascii")
    result = glose(workspace, "import", str(path), "--article", ARTICLE)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode() + result.stderr.decode()
    assert "1 added" in out
    assert "2 texts held a lone surrogate (no character): replaced with U+FFFD" in out
    [ann] = annotations(workspace)
    assert (ann["note"], ann["tags"]) == ("x\ufffdy", ["t\ufffdg"])
    again = glose(workspace, "import", str(path), "--article", ARTICLE)
    assert "0 added, 0 updated, 1 unchanged" in again.stdout.decode() + again.stderr.decode()


def test_a_lone_surrogate_as_an_xml_character_reference_is_refused_in_one_line(workspace, tmp_path):
    path = tmp_path / "codes.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="0b5d5ad4-5b5e-4e58-9a47-5b0e5f4c3a11" name="x&#xD800;y" isCodable="true"/></Codes></CodeBook>',
        "utf-8",
    )
    result = glose(workspace, "import", str(path))
    assert result.returncode == 1
    *index, line = result.stderr.decode().splitlines()  # (after the index's own line, if built)
    assert line.startswith("glose: codes.qdc is not well-formed XML") and "Traceback" not in "".join(index)


def test_what_the_reader_passes_on_is_cleaned_before_the_store(workspace):
    """The reader calls the library with what a person typed or pasted (a surrogate can come
    from a clipboard): it is stored with U+FFFD, never an encoding error."""
    with Library(workspace) as lib:
        lib.index.ensure()
        ann = lib.annotations.annotate(
            Passage(ARTICLE, quote="Romain Leclaire", occurrence=1), tags=["a\udce9"], note="n\ud800"
        )
        lib.codebook.create("b\udfff")
        assert (ann.note, ann.tags) == ("n\ufffd", ("a\ufffd",))
        assert {t.name for t in lib.codebook.tags()} >= {"a\ufffd", "b\ufffd"}


# --- a PDF's document information --------------------------------------------------------------

PDF_LINES = [
    "Grok limite son outil de déshabillage",
    "",
    "L'assistant d'intelligence artificielle de la plateforme X a restreint son outil",
    "permettant de dénuder des personnes aux seuls utilisateurs payants, ce vendredi.",
]


def test_a_pdf_title_and_author_properties_are_used(cli, tmp_path):
    from bench.adding import make_pdf

    ws_root = tmp_path / "ws"
    (ws_root / "articles").mkdir(parents=True)
    ws = Workspace.resolve(ws_root)
    path = tmp_path / "article.pdf"
    info = {"Title": "« Une insulte aux victimes » : Grok recule", "Author": "Camille Martin; Léa Dubois"}
    path.write_bytes(make_pdf(PDF_LINES, info))
    data = json.loads(cli(ws, "add", str(path), "--json").stdout)
    added = data["inputs"][0]["added"][0]
    assert added["title"] == "« Une insulte aux victimes » : Grok recule"
    assert added["author"] == "Camille Martin; Léa Dubois"
    assert added["article"] == "une-insulte-aux-victimes-grok-recule.txt"
    result = cli(ws, "search", "author:dubois", "--json")
    assert [h["article"] for h in json.loads(result.stdout)["results"]] == [added["article"]]


@pytest.mark.parametrize("junk", ["Microsoft Word - note_grok.docx", "untitled", "Document1"])
def test_a_pdf_placeholder_title_gives_way_to_the_text(tmp_path, junk):
    from bench.adding import make_pdf
    from tui.intake import read_source

    path = tmp_path / "article.pdf"
    path.write_bytes(make_pdf(PDF_LINES, {"Title": junk, "Author": "Microsoft Office User"}))
    piece = read_source(path).pieces[0]
    assert (piece.title, piece.authors) == (None, [])
    from tui.intake.writing import file_stem

    assert file_stem(piece) == "grok-limite-son-outil-de-deshabillage"


# --- Europresse: drop caps and words glued at the export's line ends ----------------------------

SOURCES = Path(__file__).resolve().parent / "fixtures" / "sources"


def test_a_drop_cap_kept_apart_in_a_real_europresse_export_joins_its_word():
    from tui.intake import read_source

    pieces = read_source(SOURCES / "europresse-2023-dropcaps.html").pieces
    bodies = "\n\n".join(p.body for p in pieces)
    for joined in (
        "Dans son autobiographie, Ma vie",
        "Il a passé 396 jours",
        "Très vite, alors que",
        "Marine Le Pen aux côtés",
    ):
        assert f"\n\n{joined}" in bodies, joined
    for split in ("D ans", "I l a", "T rès", "M arine"):
        assert f"\n\n{split}" not in bodies, split
    # an abecedary and a real one-letter word stay as they are
    for kept in ("A comme Apesanteur", "M comme musique", "U comme utopie", "A mesure que le RN"):
        assert f"\n\n{kept}" in bodies, kept


def test_words_glued_where_the_export_lines_met_are_parted():
    from tui.intake import read_source

    pieces = read_source(SOURCES / "europresse-2021-glued.html").pieces
    cgt, lexique, schnepp = pieces
    assert cgt.body.startswith("PROPOS RECUEILLIS PAR Jacques-olivier Martin, Frédéric de Monicault")
    assert schnepp.title.startswith("Gilles Schnepp : « Sans nous")  # the drop cap in a title
    assert "\n\nB comme Bâtiments vieillissants" in lexique.body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOSSIERAttentats du 13 novembre", "DOSSIER Attentats du 13 novembre"),
        ("Crédits : Coralie LEMKELe laboratoire", "Crédits : Coralie LEMKE Le laboratoire"),
        ("au XVIIIe siècle, au XIXe", "au XVIIIe siècle, au XIXe"),  # Roman numerals keep their ordinal
        (
            "JPMorgan, NIRSpec, la PME MOPEasy, (GRDF, GRTgaz)",
            "JPMorgan, NIRSpec, la PME MOPEasy, (GRDF, GRTgaz)",
        ),
        ("@NASA @NASAArtemis #FRAvAFS", "@NASA @NASAArtemis #FRAvAFS"),
        ("PISCINEs\n\nBROCANTEs Organisée", "PISCINEs\n\nBROCANTEs Organisée"),
    ],
)
def test_only_glued_words_are_parted(text, expected):
    from tui.intake.europresse import unglue

    assert unglue(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A Paris, la pluie. Paris attend.",
        "À quoi bon ? Quoi encore.",
        "Y a-t-il un risque ? Il y a.",
        "O temps suspends",
    ],
)
def test_one_letter_words_are_never_glued_to_the_next(text):
    from tui.intake.europresse import join_drop_caps

    assert join_drop_caps([text, None]) == [text, None]
