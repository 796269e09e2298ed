"""QualCoder projects come in right and go round unchanged: Glose's REFI-QDA export read by
QualCoder's own importer logic and written back (CRLF or not, notes unescaped, nameless
selections), and real QualCoder exports land on what QualCoder coded (fixtures in
``fixtures/interop``, with their origin in SOURCES.md)."""

from __future__ import annotations

import io
import uuid
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest
from defusedxml import ElementTree

from tui.api import Library, Passage
from tui.formats.importing.producers import SourceText, detect, place

from .conftest import SAMPLE_IDS
from .interop_helpers import A000, A002, FIX, NS, annotations, g, project, qdpx, state

# --- QualCoder ---------------------------------------------------------------------------------


def qualcoder(glose_qdpx: bytes, *, crlf: bool = False, extra_notes: bool = False) -> bytes:
    """What QualCoder exports after importing a Glose .qdpx, as its refi.py writes it (see
    SOURCES.md): new GUIDs everywhere, one selection per coding named by its text, the texts
    as it stores them (with Windows line ends if asked), notes as Notes. Coders keep their
    names (refi.py's parse_users reads the Users, the owner of a coding is its creatingUser's
    name, and the export writes the owners back as Users); its own user is "default"."""
    with zipfile.ZipFile(io.BytesIO(glose_qdpx)) as z:
        root = ElementTree.fromstring(z.read("project.qde"))
        files = {n: z.read(n).decode("utf-8") for n in z.namelist() if n != "project.qde"}
    new = lambda: str(uuid.uuid4())  # noqa: E731
    codes_map: dict[str, str] = {}
    users = {u.get("guid"): (new(), u.get("name")) for u in root.iterfind(f"{NS}Users/{NS}User")}

    def codes(node) -> str:
        out = ""
        for code in node.findall(NS + "Code"):
            codes_map[code.get("guid")] = new()
            desc = code.findtext(NS + "Description")
            out += f'<Code guid="{codes_map[code.get("guid")]}" name={quoteattr(code.get("name"))} isCodable="{code.get("isCodable")}"'
            out += f' color="{code.get("color")}">' if code.get("color") else ">"
            out += (f"<Description>{escape(desc)}</Description>" if desc else "") + codes(code) + "</Code>"
        return out

    xml = '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    xml += f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="glose" origin="QualCoder 3.6" creatingUserGUID="{new()}" '
    xml += 'creationDateTime="2026-11-30T10:00:00Z" xmlns="urn:QDA-XML:project:1.0">\n<Users><User guid="u" name="default" />'
    xml += (
        "".join(f"<User guid={quoteattr(g)} name={quoteattr(n)} />" for g, n in users.values()) + "</Users>\n"
    )
    xml += (
        "<CodeBook><Codes>" + codes(root.find(f"{NS}CodeBook/{NS}Codes")) + "</Codes></CodeBook>\n<Sources>\n"
    )
    out_files, notes = {}, ""
    for source in root.iter(NS + "TextSource"):
        text = files["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        fname = new() + ".txt"
        out_files["sources/" + fname] = text.replace("\n", "\r\n") if crlf else text
        xml += f'<TextSource plainTextPath="internal://{fname}" creationDateTime="2026-11-30T10:00:00Z" guid="{new()}" name={quoteattr(source.get("name"))}>\n'
        if extra_notes:
            xml += "<Description>Mémo de la source</Description>\n"
        for sel in source.findall(NS + "PlainTextSelection"):
            s, e = sel.get("startPosition"), sel.get("endPosition")
            owner = users[sel.get("creatingUser")][0]
            for coding in sel.findall(NS + "Coding"):
                xml += f'<PlainTextSelection guid="{new()}" startPosition="{s}" endPosition="{e}" name={quoteattr(sel.get("name"))} '
                xml += f'creatingUser="{owner}" creationDateTime="2026-11-30T10:00:00Z">\n'
                desc = sel.findtext(NS + "Description")
                if desc:
                    xml += f"<Description>{escape(desc)}</Description>\n"
                target = codes_map[coding.find(NS + "CodeRef").get("targetGUID")]
                xml += f'<Coding guid="{new()}" creatingUser="{owner}" >\n<CodeRef targetGUID="{target}" />\n</Coding>\n</PlainTextSelection>\n'
        if extra_notes:
            note = new()
            xml += f'<NoteRef targetGUID="{note}" />\n'
            text_lf = text
            at = text_lf.index("Grok")
            notes += f'<Note guid="{note}" creatingUser="u" creationDateTime="2026-11-30T10:05:00Z" >\n'
            notes += f'<PlainTextContent>Annotation QualCoder</PlainTextContent>\n<PlainTextSelection guid="{new()}" startPosition="{at}" endPosition="{at + 4}" />\n</Note>\n'
            extra_notes = False  # one annotation is enough
        xml += "</TextSource>\n"
    xml += "</Sources>\n"
    journal = new()
    notes += f'<Note guid="{journal}" creatingUser="u" creationDateTime="2026-11-30T10:06:00Z" name="Journal de terrain"  plainTextPath="internal://{journal}.txt" >\n<Description /></Note>\n'
    out_files[f"sources/{journal}.txt"] = "Ce que j'ai vu aujourd'hui."
    xml += f"<Notes>\n{notes}</Notes>\n<Description>Le projet Glose dans QualCoder</Description>\n</Project>"
    return qdpx(xml, {n: t.encode("utf-8") for n, t in out_files.items()})


def coded(ws):
    with Library(ws) as lib:
        lib.annotations.annotate(
            Passage("004", quote="la création d'images illégales", occurrence=1),
            tags=["réaction/politique", "Grok"],
            note="deux tags",
        )
        lib.annotations.annotate(Passage("002", quote="Grok", occurrence=1), tags=["enquête/politique"])
        lib.annotations.annotate(
            Passage("000", quote="Elon Musk", occurrence=1), tags=["personnes"], note="=1+1"
        )


@pytest.mark.parametrize("crlf", [False, True])
def test_a_round_trip_through_qualcoder_changes_nothing(cli, indexed, tmp_path, crlf):
    coded(indexed)
    out = tmp_path / "glose.qdpx"
    assert cli(indexed, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    back = tmp_path / "from_qualcoder.qdpx"
    back.write_bytes(qualcoder(out.read_bytes(), crlf=crlf))
    before = state(indexed)
    result = cli(indexed, "import", str(back))
    # (the journal of the QualCoder project is listed: it has no place in Glose)
    assert result.stdout.startswith("0 added, 0 updated, 3 unchanged"), result.stdout
    assert "4 codings on 3 passages: 3 verified" in result.stdout
    assert "3 matched to existing annotations by article, span and tags" in result.stdout
    assert state(indexed) == before
    assert "article added" not in result.stdout


def test_a_qualcoder_project_is_accounted_for(cli, indexed, tmp_path):
    coded(indexed)
    out = tmp_path / "glose.qdpx"
    assert cli(indexed, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    back = tmp_path / "from_qualcoder.qdpx"
    back.write_bytes(qualcoder(out.read_bytes(), extra_notes=True))
    result = cli(indexed, "--coder", "ana", "import", str(back))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 added, 0 updated, 3 unchanged, 0 skipped"), result.stdout
    [note] = [a for a in annotations(indexed) if a.note == "Annotation QualCoder"]
    assert (note.exact, note.tags, note.status) == ("Grok", (), "anchored")
    # the project memo, the journal and the source memos come in as memos (nothing is skipped)
    with Library(indexed) as lib:
        memos = lib.memos.all()
    project = [m.text for m in memos if m.kind == "project"]
    assert "Le projet Glose dans QualCoder" in project[0]
    assert "## Journal de terrain\n\nCe que j'ai vu aujourd'hui." in "\n\n".join(project)
    assert {m.target for m in memos if m.kind == "article"} <= set(SAMPLE_IDS)
    assert {m.text for m in memos if m.kind == "article"} == {"Mémo de la source"}


def qualcoder_oracle(fixture: str) -> list[tuple[str, frozenset, str]]:
    """What QualCoder coded and annotated, computed apart from Glose's code: UTF-16 slices (its
    Qt editor's positions) of the text as QualCoder holds it (the archive's, BOM and CR gone)."""
    with zipfile.ZipFile(FIX / fixture) as z:
        qde = ElementTree.fromstring(z.read("project.qde"))
        source = next(qde.iter(NS + "TextSource"))
        raw = z.read("sources/" + source.get("plainTextPath").removeprefix("internal://"))
    units = raw.decode("utf-8-sig").replace("\r\n", "\n").encode("utf-16-le")
    names = {c.get("guid"): c.get("name") for c in qde.iter(NS + "Code")}
    quote = lambda sel: units[2 * int(sel.get("startPosition")) : 2 * int(sel.get("endPosition"))].decode(  # noqa: E731
        "utf-16-le"
    )
    out = [
        (
            quote(sel),
            frozenset(["Rapport aux médias/" + names[r.get("targetGUID")] for r in sel.iter(NS + "CodeRef")]),
            "",
        )
        for sel in source.iter(NS + "PlainTextSelection")
    ]
    out += [
        (quote(note.find(NS + "PlainTextSelection")), frozenset(), note.findtext(NS + "PlainTextContent"))
        for note in qde.iterfind(f"{NS}Notes/{NS}Note")
        if note.find(NS + "PlainTextSelection") is not None
    ]
    return sorted(out)


@pytest.mark.parametrize(
    "fixture", ["qualcoder40_interview.qdpx", "qualcoder40_interview_maxqda_line_ends.qdpx"]
)
def test_a_qualcoder_export_lands_on_what_qualcoder_coded(cli, indexed, fixture):
    """Written by QualCoder's own code (SOURCES.md): its positions are its Qt editor's, UTF-16
    units over LF text, also when it writes the file with CRLF for MAXQDA; emoji come before
    most selections, and its second annotation has no name to check it by."""
    result = cli(indexed, "import", str(FIX / fixture))
    assert "from QualCoder 4.0" in result.stdout
    assert "6 codings on 8 passages: 8 verified, 0 relocated, 0 unverified" in result.stdout, result.stdout
    got = sorted(
        (a.exact, frozenset(a.tags), "" if a.tags else a.note)
        for a in annotations(indexed)
        if a.status == "anchored"
    )
    assert got == qualcoder_oracle(fixture)
    assert {a.coder for a in annotations(indexed)} == {"colin", "kai"}
    whatsapp = next(a for a in annotations(indexed) if "WhatsApp" in a.exact)
    assert whatsapp.exact.endswith("😅")  # not the space after it, which code points would take


def test_maxqda_offsets_are_first_read_with_crlf_counted_twice_but_not_trusted():
    """No MAXQDA export could be checked: QualCoder's importer (tested on MAXQDA's) counts a
    CRLF as two characters, so that reading is placed first, and still left unverified."""
    raw = "Ligne un\r\nLigne deux\r\nle passage ici"
    start = raw.index("passage")
    where = place(SourceText(raw), detect("MAXQDA 24 (Release 24.7.0)"), start, start + 7, "")
    assert (SourceText(raw).canonical[where.start : where.end], where.verdict) == ("passage", "unverified")


def test_a_name_matched_exactly_wins_over_one_matched_with_a_space_more():
    """Code points read QualCoder's UTF-16 span of "WhatsApp 😅" one character long: the space
    after it, which folded white space would have let through as verified."""
    source = SourceText("Sur WhatsApp 😅 mais")
    where = place(source, detect("MAXQDA 2022"), 4, 15, "WhatsApp 😅")  # code points tried first
    assert source.canonical[where.start : where.end] == "WhatsApp 😅"


def test_a_real_round_trip_through_qualcoder_changes_nothing(cli, indexed):
    """``qualcoder40_from_glose.qdpx`` is what QualCoder's own import then export made of a
    Glose export of these very annotations (SOURCES.md): it writes Glose's code points back
    as they came, names them by its own slices, and its annotation has no name."""
    emoji = "Avant 🙂🙂 le passage 😀 visé ici.\nDeuxième ligne, « guillemets » et fin.\n"
    (indexed.articles / "emoji.txt").write_text(emoji, "utf-8")
    for coder, article, quote, tags, note in [
        (
            "alice",
            A000,
            "Elon Musk transforme le harcèlement",
            ["personnes", "réaction/politique"],
            "=1+1 & <b>",
        ),
        ("bob", A002, "Grok", ["enquête/politique"], ""),
        ("alice", "emoji.txt", "passage 😀 visé", ["réaction/émoji"], "après deux émojis"),
        ("alice", "emoji.txt", "visé ici.\nDeuxième ligne", ["lignes", "réaction/émoji"], ""),
        ("bob", "emoji.txt", "« guillemets »", [], "note sans tag"),
    ]:
        args = [x for t in tags for x in ("-t", t)] + (["--note", note] if note else [])
        made = cli(
            indexed, "--coder", coder, "annotate", article, "--quote", quote, "--occurrence", "1", *args
        )
        assert made.exit_code == 0, made.output
    before = state(indexed)
    result = cli(indexed, "import", str(FIX / "qualcoder40_from_glose.qdpx"))
    assert result.stdout.startswith("0 added, 0 updated, 5 unchanged, 0 skipped"), result.stdout
    assert "6 codings on 5 passages: 3 verified, 2 relocated, 0 unverified" in result.stdout
    assert state(indexed) == before


def test_a_qualcoder_note_written_unescaped_is_read_not_refused(cli, indexed, tmp_path):
    """QualCoder writes an annotation's memo into ``PlainTextContent`` unescaped: a memo with
    ``&`` or ``<`` makes its whole project not well-formed XML (its own importer refuses it)."""
    fixture = FIX / "qualcoder40_unescaped_note.qdpx"
    with zipfile.ZipFile(fixture) as z:
        assert b"<PlainTextContent>Tom & Jerry <3</PlainTextContent>" in z.read("project.qde")
    result = cli(indexed, "import", str(fixture))
    assert result.stdout.startswith("1 added"), result.output
    assert (
        "project.qde: 1 note text with a bare & or < (written unescaped, as QualCoder does) read as text"
        in (result.stdout)
    )
    [note] = annotations(indexed)
    assert (note.exact, note.note, note.status) == ("Tom & Jerry", "Tom & Jerry <3", "anchored")
    # Only note texts are repaired: a file broken anywhere else is still refused.
    broken = tmp_path / "broken.qde"
    broken.write_text(
        project(
            "QualCoder 3.6",
            "",
            "<TextSource>",
            "<Notes><Note><PlainTextContent>a & b</PlainTextContent></Note></Notes>",
        ),
        "utf-8",
    )
    refused = cli(indexed, "import", str(broken))
    assert refused.exit_code == 1 and "not well-formed XML" in refused.output


def test_a_nameless_selection_counts_as_the_named_ones_of_its_source(cli, indexed, tmp_path):
    """A Glose project that went through QualCoder comes back with Glose's code points next to
    QualCoder's UTF-16 units: the named selections of a source tell how its annotations count."""
    text = "Avant 🙂🙂 le passage visé, puis la note ici.\n"
    at = lambda quote: (text.index(quote), text.index(quote) + len(quote))  # noqa: E731 (code points)
    (s1, e1), (s2, e2) = at("le passage visé"), at("la note")
    sources = (
        f'<TextSource guid="{g(10)}" name="emoji" plainTextPath="internal://{g(10)}.txt">'
        f'<PlainTextSelection guid="{g(11)}" name="le passage visé" startPosition="{s1}" endPosition="{e1}">'
        f'<Coding guid="{g(12)}"><CodeRef targetGUID="{g(1)}"/></Coding></PlainTextSelection>'
        f'<NoteRef targetGUID="{g(20)}"/></TextSource>'
    )
    notes = (
        f'<Notes><Note guid="{g(20)}"><PlainTextContent>Une note</PlainTextContent>'
        f'<PlainTextSelection guid="{g(21)}" startPosition="{s2}" endPosition="{e2}"/></Note></Notes>'
    )
    qde = project("QualCoder 3.6", f'<Code guid="{g(1)}" name="t" isCodable="true"/>', sources, notes)
    path = tmp_path / "mixed.qdpx"
    path.write_bytes(qdpx(qde, {f"sources/{g(10)}.txt": text.encode("utf-8")}))
    result = cli(indexed, "import", str(path))
    assert "1 coding on 2 passages: 1 verified, 1 relocated, 0 unverified" in result.stdout, result.stdout
    assert sorted((a.exact, a.note) for a in annotations(indexed)) == [
        ("la note", "Une note"),
        ("le passage visé", ""),
    ]
    # Beside it, a coding made in QualCoder (UTF-16 units): the source no longer tells.
    s3, e3 = s2 + 2, e2 + 2  # "la note" in UTF-16 units: two emoji before it
    mixed = sources.replace(
        "<NoteRef",
        f'<PlainTextSelection guid="{g(13)}" name="la note" startPosition="{s3}" endPosition="{e3}">'
        f'<Coding guid="{g(14)}"><CodeRef targetGUID="{g(1)}"/></Coding></PlainTextSelection><NoteRef',
    )
    qde = project("QualCoder 3.6", f'<Code guid="{g(1)}" name="t" isCodable="true"/>', mixed, notes)
    path.write_bytes(qdpx(qde, {f"sources/{g(10)}.txt": text.encode("utf-8")}))
    result = cli(indexed, "import", str(path))
    assert "2 codings on 3 passages: 1 verified, 1 relocated, 1 unverified" in result.stdout, result.stdout
