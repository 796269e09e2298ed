"""Files made by other tools come in right: NVivo, ATLAS.ti, QualCoder and Taguette projects
and codebooks, Hypothesis and W3C annotations (fixtures in ``fixtures/interop``, with their
origin in SOURCES.md), and Glose's exports for them validate against the REFI-QDA schemas."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import zipfile

import pytest
from defusedxml import ElementTree

from tui.api import Library, Passage
from tui.formats.importing.producers import SourceText, detect, place
from tui.model import COMMA_IN_FOREIGN_TAG
from tui.text.corpus import canonical_text

from .interop_helpers import A000, A004, FIX, NS, annotations, g, project, qdpx


def skipped(stdout: str) -> dict[str, str]:
    return dict(re.findall(r"^  skipped (.+?): (.*)$", stdout, re.M))


def nvivo_oracle() -> list[tuple[str, frozenset]]:
    """What NVivo coded, computed apart from Glose's code: UTF-16 slices of the stored text
    (CRLF and all), line ends then folded as Glose shows the text."""
    with zipfile.ZipFile(FIX / "nvivo12_excerpt.qdpx") as z:
        qde = ElementTree.fromstring(z.read("project.qde"))
        raw = z.read("Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt").decode("utf-8-sig")
    units = raw.encode("utf-16-le")
    names = {c.get("guid"): c.get("name").replace(",", COMMA_IN_FOREIGN_TAG) for c in qde.iter(NS + "Code")}
    spans: dict[str, set] = {}  # a comma in a code's name is not the reader's tag separator
    for sel in qde.iter(NS + "PlainTextSelection"):
        s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
        text = units[2 * s : 2 * e].decode("utf-16-le").replace("\r\n", "\n")
        spans.setdefault(text, set()).update(names[r.get("targetGUID")] for r in sel.iter(NS + "CodeRef"))
    return sorted((t, frozenset(n)) for t, n in spans.items())


# --- NVivo -----------------------------------------------------------------------------------


def test_an_nvivo_project_lands_on_the_text_nvivo_coded(cli, indexed):
    result = cli(indexed, "import", str(FIX / "nvivo12_excerpt.qdpx"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("16 added, 0 updated, 0 unchanged, 0 skipped"), result.stdout
    assert "from NVivo 12.6" in result.stdout
    assert "31 codings on 16 passages: 16 verified, 0 relocated, 0 unverified" in result.stdout
    assert "article added: nvivo12_excerpt/videos_10_selected.txt" in result.stdout
    anns = annotations(indexed)
    assert {a.status for a in anns} == {"anchored"}
    got = sorted((a.exact, frozenset(t.rsplit("/", 1)[-1] for t in a.tags)) for a in anns)
    assert got == nvivo_oracle()
    # the article written is the archive's text as Glose reads it: offsets hold
    doc = (indexed.articles / "nvivo12_excerpt" / "videos_10_selected.txt").read_text("utf-8")
    assert "\r" not in doc and all(doc[a.start : a.end] == a.exact for a in anns)
    # again: matched by content, nothing added twice
    again = cli(indexed, "import", str(FIX / "nvivo12_excerpt.qdpx"))
    assert again.stdout.startswith("0 added, 0 updated, 16 unchanged, 0 skipped"), again.stdout
    assert "article added" not in again.stdout
    assert sorted(p.name for p in (indexed.articles / "nvivo12_excerpt").iterdir()) == [
        "videos_10_selected.txt"
    ]


def test_code_points_would_have_missed_what_nvivo_coded():
    """The bug this fixes: the same offsets read as code points over Glose's text."""
    with zipfile.ZipFile(FIX / "nvivo12_excerpt.qdpx") as z:
        raw = z.read("Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt").decode("utf-8-sig")
        qde = ElementTree.fromstring(z.read("project.qde"))
    text = canonical_text(raw)
    wanted = dict(nvivo_oracle())
    sels = [
        (int(s.get("startPosition")), int(s.get("endPosition"))) for s in qde.iter(NS + "PlainTextSelection")
    ]
    assert sum(text[s:e] in wanted for s, e in sels) == 0
    source, nvivo = SourceText(raw), detect("NVivo for Windows 12.6")
    assert all(
        source.canonical[p.start : p.end] in wanted for p in (place(source, nvivo, s, e, "") for s, e in sels)
    )


def test_sources_are_matched_by_content_then_by_name(cli, indexed):
    """A user copied NVivo's Sources/<guid>.txt into articles/ under a name of their own."""
    with zipfile.ZipFile(FIX / "nvivo12_excerpt.qdpx") as z:
        (indexed.articles / "copie.txt").write_bytes(
            z.read("Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt")
        )
    result = cli(indexed, "import", str(FIX / "nvivo12_excerpt.qdpx"))
    assert result.exit_code == 0 and "article added" not in result.stdout, result.output
    assert {a.article for a in annotations(indexed)} == {"copie.txt"}
    assert {a.status for a in annotations(indexed)} == {"anchored"}


def test_match_only_adds_no_article(cli, indexed):
    result = cli(indexed, "import", "--match-only", str(FIX / "nvivo12_excerpt.qdpx"))
    assert result.exit_code == 0, result.output
    assert "(16 orphaned: see glose review)" in result.stdout
    assert "no article has its text or its name" in result.stdout
    assert not (indexed.articles / "nvivo12_excerpt").exists()


def test_an_nvivo_for_mac_project_without_plain_text_says_so(cli, indexed):
    result = cli(indexed, "import", str(FIX / "nvivo15_mac_rich_text_only.qdpx"))
    assert result.exit_code == 3, result.output  # its codebook came in, its sources did not
    assert "codebook: 262 codes" in result.stdout
    reasons = set(skipped(result.stdout).values())
    assert reasons == {"its plain text in the archive is empty (the text is only in its rich-text file)"}
    with Library(indexed) as lib:
        assert "rq1_definition/competencies/programming" in {t.name for t in lib.codebook.tags()}


def test_a_bare_qde_is_read_like_a_qdpx_without_sources(cli, indexed, tmp_path):
    with zipfile.ZipFile(FIX / "nvivo12_excerpt.qdpx") as z:
        (tmp_path / "project.qde").write_bytes(z.read("project.qde"))
    result = cli(indexed, "import", str(tmp_path / "project.qde"))
    assert result.exit_code == 3, result.output
    assert skipped(result.stdout) == {
        "videos_10_selected": "its text is not in the file (a bare .qde carries no sources)"
        ": 31 codings on 31 selections with it"
    }
    assert "31 codings left out with their sources (listed as skipped)" in result.stdout
    assert "codebook: 152 codes" in result.stdout


# --- ATLAS.ti, Taguette, codebooks -------------------------------------------------------------


def test_an_atlas_ti_codebook_project_brings_its_codes(cli, indexed):
    result = cli(indexed, "import", str(FIX / "atlasti23_codebook_only.qdpx"))
    assert result.exit_code == 0, result.output
    assert "from ATLAS.ti 23.2.3.27778" in result.stdout
    with Library(indexed) as lib:
        assert {
            "Commits",
            "Commits/2022-05-10T02:05:59Z 19e4dce",
            "Commits/2022-02-11T10:39:25Z cdbfd92",
        } <= {t.name for t in lib.codebook.tags()}


ATLAS8 = FIX / "atlasti8_mac_standard_project.qde"


def atlas8() -> tuple:
    """The real ATLAS.ti 8.4 project read apart from Glose: its root and its text sources by
    name (in NFC: ATLAS.ti for Mac writes them decomposed, ``Mabe\u0302l``, as macOS names files)."""
    root = ElementTree.fromstring(ATLAS8.read_bytes())
    return root, {nfc(s.get("name")): s for s in root.iter(NS + "TextSource")}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_an_atlas_ti_8_project_without_its_texts_brings_every_code_and_counts_its_codings(cli, indexed):
    """ATLAS.ti's own file as it came (a bare project.qde: its texts are not public). Every code
    comes in; every coding is left out with its source, each source saying how many."""
    root, _ = atlas8()
    result = cli(indexed, "import", str(ATLAS8))
    assert result.exit_code == 3, result.output
    assert result.stdout.startswith("0 added, 0 updated, 0 unchanged"), result.stdout
    assert "from ATLAS.ti 8.4.0" in result.stdout
    assert "codebook: 14 codes" in result.stdout
    codings = sum(1 for _ in root.iter(NS + "Coding"))
    assert f"{codings} codings left out with their sources (listed as skipped)" in result.stdout
    listed = skipped(result.stdout)
    bare = "its text is not in the file (a bare .qde carries no sources)"
    for source in root.find(NS + "Sources"):
        n_cod = sum(1 for _ in source.iter(NS + "Coding"))
        n_sel = sum(e.tag.endswith("Selection") for e in source.iter())
        tail = (
            f": {n_cod} coding{'s' * (n_cod != 1)} on {n_sel} selection{'s' * (n_sel != 1)} with it"
            if n_sel
            else ""
        )
        if source.tag == NS + "TextSource":
            assert listed[nfc(source.get("name"))] == bare + tail
        else:
            kind = source.tag.removeprefix(NS)
            assert listed[nfc(f"{kind} {source.get('name')}")] == "Glose reads text sources only" + tail
    assert listed["set 'Text files'"] == "6 sources in it: Glose groups only codes"
    assert not annotations(indexed)
    with Library(indexed) as lib:
        tags = {t.name: t for t in lib.codebook.tags()}
    assert {c.get("name") for c in root.iter(NS + "Code")} <= tags.keys()
    assert tags["Coke::diet Coke"].description == "non sucré" and tags['"rushed"'].color == "#F00082"
    # a set of codes is a tag; a set of sources only (a document group) makes none
    assert {"set/Feelings", "set/negative feelings"} <= tags.keys()
    assert not {"set/Mabel", "set/Text files", "set/Video and Audio"} & tags.keys()


def test_atlas_ti_quotation_names_verify_the_passage_or_are_only_labels(cli, indexed, tmp_path):
    """ATLAS.ti names a quotation by its text, cut at 100 characters with "…" when longer, and
    lets users rename it. The real project's text selections, over texts written for this test
    holding ATLAS.ti's quotes at ATLAS.ti's offsets (its own texts are not public): a cut name
    verifies the whole passage (not its first 100 characters), and a name the user gave does not
    move the coding onto those few words elsewhere in it. The archive's XML is named after the
    project, as ATLAS.ti names it (``Trial.qde`` in ``Ornio-app/qdpx-toolkit``'s ATLAS.ti 26 notes)."""
    _, sources = atlas8()
    filler = "Rien sur le petit déjeuner ici, rien à coder.\n" * 30

    def text_with(quotes: dict[int, str], length: int) -> str:
        chars = list((filler * (length // len(filler) + 1))[:length])
        for at, quote in quotes.items():
            chars[at : at + len(quote)] = quote
        return "".join(chars)

    def name_of(start: int, source: str) -> str:
        sel = next(
            s for s in sources[source].iter(NS + "PlainTextSelection") if s.get("startPosition") == str(start)
        )
        return sel.get("name").removesuffix("…")

    texts = {
        "Mabel.txt": text_with({0: name_of(0, "Mabel.txt")}, 600),
        "Simon.docx": text_with(
            {
                215: name_of(215, "Simon.docx"),
                513: name_of(513, "Simon.docx"),
                800: "damage done by fatty foods",
            },
            1000,
        ),
        "1994 Diet Coke-Diet Coke Break.docx": text_with(
            {139: name_of(139, "1994 Diet Coke-Diet Coke Break.docx")}, 300
        ),
        "Mabêl 2ième.txt": text_with({250: name_of(250, "Mabêl 2ième.txt")}, 500),
    }
    members = {}
    for name, text in texts.items():
        path = sources[name].get("plainTextPath").removeprefix("internal://")
        members[f"sources/{path}"] = text.encode("utf-8")
    archive = tmp_path / "atlas8.qdpx"
    # named after the project, as ATLAS.ti names it in its archives (not project.qde)
    archive.write_bytes(qdpx(ATLAS8.read_text("utf-8"), members, "ATLAS.ti standard project.qde"))
    result = cli(indexed, "import", str(archive))
    assert "7 codings on 6 passages: 6 verified, 0 relocated, 0 unverified" in result.stdout, result.stdout
    got = {(a.article.rsplit("/", 1)[-1], a.start, a.end): a for a in annotations(indexed)}
    assert {k: sorted(a.tags) for k, a in got.items()} == {
        ("Mabel.txt", 0, 410): [
            "bacon and eggs",
            "cornflakes",
            "happiness",
            "set/Breakfast food",
            "set/Feelings",
            "set/positive feelings",
        ],
        ("Simon.docx.txt", 215, 275): ["Feelings"],
        ("Simon.docx.txt", 513, 907): ["happiness", "set/Feelings", "set/positive feelings"],
        ("Simon.docx.txt", 688, 907): ["bacon and eggs", "set/Breakfast food"],
        ("1994 Diet Coke-Diet Coke Break.docx.txt", 139, 195): ["Coke::diet Coke", "set/Breakfast food"],
        ("Mabêl 2ième.txt", 250, 412): [],
    }
    assert got[("Simon.docx.txt", 688, 907)].note == "why does Simon feel the need to do this?"
    assert {a.status for a in got.values()} == {"anchored"}
    for (article, start, end), ann in got.items():
        assert ann.exact == next(t for n, t in texts.items() if article.startswith(n))[start:end]


def test_a_taguette_codebook_imports(cli, indexed):
    result = cli(indexed, "import", str(FIX / "taguette_codebook.qdc"))
    assert result.exit_code == 0, result.output
    assert "codebook: 3 codes" in result.stdout
    with Library(indexed) as lib:
        assert {"interesting", "people", "interesting\\places"} <= {t.name for t in lib.codebook.tags()}


def qdc_schema():
    etree = pytest.importorskip("lxml.etree")
    return etree, etree.XMLSchema(etree.parse(str(FIX / "Codebook.xsd")))


def test_the_qdc_export_validates_and_comes_back_the_same(cli, indexed, tmp_path):
    with Library(indexed) as lib:
        lib.annotations.annotate(
            Passage("004", quote="Grok", occurrence=1),
            tags=["enquête/politique", "réaction/politique", "Grok"],
        )
        lib.codebook.color("Grok", "#112233")
        lib.codebook.describe("réaction/politique", "Réactions des partis & <élus>")
    out = tmp_path / "codebook.qdc"
    assert cli(indexed, "export", "--format", "qdc", "-o", str(out)).exit_code == 0
    etree, schema = qdc_schema()
    assert schema.validate(etree.parse(str(out))), schema.error_log
    target = tmp_path / "other"
    shutil.copytree(indexed.articles, target / "articles")
    from tui.workspace import Workspace

    other = Workspace.resolve(target)
    result = cli(other, "import", str(out))
    assert result.exit_code == 0, result.output
    with Library(indexed) as a, Library(other) as b:
        mine = {(t.name, t.color, t.description) for t in a.codebook.tags()}
        theirs = {(t.name, t.color, t.description) for t in b.codebook.tags()}
    assert mine == theirs


def test_the_qdpx_export_validates_against_the_project_schema(cli, indexed, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(FIX / "Project.xsd")))
    with Library(indexed) as lib:
        lib.annotations.annotate(
            Passage("004", quote="Grok", occurrence=1), tags=["enquête/politique"], note="une note"
        )
    out = tmp_path / "x.qdpx"
    assert cli(indexed, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        doc = etree.fromstring(z.read("project.qde"))
    assert schema.validate(doc), schema.error_log


def test_codes_of_any_depth_sets_and_refused_codes_are_accounted_for(cli, indexed, tmp_path):
    text = (indexed.articles / A004).read_text("utf-8")
    start = text.index("Grok")
    level = "niveau " + "x" * 60  # four levels: over 120 characters as a path, fine per level
    codes = (
        f'<Code guid="{g(1)}" name="{level}1" isCodable="true"><Code guid="{g(2)}" name="{level}2" isCodable="true">'
        f'<Code guid="{g(3)}" name="{level}3" isCodable="true"><Code guid="{g(4)}" name="{level}4" isCodable="true" color="#AA0000">'
        f"<Description>le plus profond</Description></Code></Code></Code></Code>"
        f'<Code guid="{g(5)}" name="a/b" isCodable="true"/>'
    )
    sel = (
        f'<PlainTextSelection guid="{g(10)}" startPosition="{start}" endPosition="{start + 4}">'
        f'<Coding guid="{g(11)}"><CodeRef targetGUID="{g(4)}"/></Coding>'
        f'<Coding guid="{g(12)}"><CodeRef targetGUID="{g(99)}"/></Coding></PlainTextSelection>'
    )
    sets = f'<Sets><Set guid="{g(20)}" name="profond"><MemberCode targetGUID="{g(4)}"/><MemberSource targetGUID="{g(30)}"/></Set></Sets>'
    data = qdpx(
        project(
            "MAXQDA 2022 (Release 22.4.0)",
            codes,
            f'<TextSource guid="{g(30)}" name="{A004[:-4]}" plainTextPath="internal://{g(30)}.txt">{sel}</TextSource>',
            sets,
        ),
        {f"sources/{g(30)}.txt": text.encode("utf-8")},
    )
    path = tmp_path / "maxqda.qdpx"
    path.write_bytes(data)
    result = cli(indexed, "import", str(path))
    assert result.exit_code == 3, result.output
    assert result.stdout.startswith("1 added"), result.stdout
    assert f"a coding of selection {g(10)}" in skipped(result.stdout)
    assert "set 'profond'" in skipped(result.stdout)  # its member source
    deepest = "/".join(f"{level}{n}" for n in range(1, 5))
    [ann] = annotations(indexed)
    assert (ann.article, ann.exact, ann.status) == (A004, "Grok", "anchored")  # matched by content
    assert set(ann.tags) == {deepest, "set/profond"}
    with Library(indexed) as lib:
        tags = {t.name: t for t in lib.codebook.tags()}
    assert tags[deepest].description == "le plus profond" and tags[deepest].color == "#AA0000"
    assert "a\u2215b" in tags  # a slash inside a name is not a level


# --- exports for tools that count UTF-16 units -------------------------------------------------


def test_utf16_offsets_for_nvivo_and_back(cli, indexed, tmp_path):
    (indexed.articles / "emoji.txt").write_text("Avant 🙂🙂 le passage 😀 visé ici, après.\n", "utf-8")
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("emoji.txt", quote="passage 😀 visé"), tags=["t"])
    out = tmp_path / "x.jsonld"
    assert cli(indexed, "export", "--format", "json", "--offsets", "utf16", "-o", str(out)).exit_code == 0
    [item] = json.loads(out.read_text("utf-8"))["first"]["items"]
    position = item["target"]["selector"][0]
    text = (indexed.articles / "emoji.txt").read_text("utf-8")
    units = text.encode("utf-16-le")
    assert units[2 * position["start"] : 2 * position["end"]].decode("utf-16-le") == "passage 😀 visé"
    nv = tmp_path / "x.qdpx"
    assert cli(indexed, "export", "--format", "qdpx", "--offsets", "nvivo", "-o", str(nv)).exit_code == 0
    with zipfile.ZipFile(nv) as z:
        qde = ElementTree.fromstring(z.read("project.qde"))
    assert "UTF-16" in qde.get("origin")
    sel = next(qde.iter(NS + "PlainTextSelection"))
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (
        position["start"],
        position["end"],
    )
    result = cli(indexed, "import", str(nv))  # read back as it was written
    assert result.stdout.startswith("0 added, 0 updated, 1 unchanged"), result.stdout


def test_the_json_ld_context_defines_glose_terms(cli, indexed, tmp_path):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Grok", occurrence=1), tags=["t"])
    out = tmp_path / "x.jsonld"
    assert cli(indexed, "export", "--format", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    context = doc["@context"][1]
    for term in ("color", "description"):
        assert context[term].startswith("glose:") and term in doc["glose:codebook"][0]


# --- Hypothesis and W3C ------------------------------------------------------------------------


def test_hypothesis_annotations_land_on_the_right_passages(cli, indexed):
    url = "https://blogs.mediapart.fr/romain-leclaire/blog/090126/lart-de-monetiser-labject"
    assert cli(indexed, "meta", A000, "--source", url).exit_code == 0
    result = cli(indexed, "import", str(FIX / "hypothesis_on_articles.json"))
    assert result.exit_code == 3, result.output  # a page note and a reply hold no passage
    assert result.stdout.startswith("2 added, 0 updated, 0 unchanged, 2 skipped"), result.stdout
    assert set(skipped(result.stdout).values()) == {
        "a page note: it holds no passage",
        "a reply: it holds no passage",
    }
    assert f"placed on {A004}, the one article holding its quote" in result.stdout
    by_article = {a.article: a for a in annotations(indexed)}
    title = by_article[A000]
    assert (title.exact, set(title.tags), title.note, title.status) == (
        "L'art de monétiser l'abject",
        {"titre", "Musk"},
        "Le titre du billet.",
        "anchored",
    )
    text = (indexed.articles / A000).read_text("utf-8")
    assert text[title.start : title.end] == title.exact
    quote = by_article[A004]
    assert quote.exact.startswith("a désactivé vendredi") and quote.tags == ("réaction/X",)
    assert quote.status == "anchored"
    assert {a.coder for a in annotations(indexed)} == {"glose_tester"}  # the Hypothesis account


def test_a_hypothesis_annotation_of_another_page_is_refused_with_its_reason(cli, indexed):
    result = cli(indexed, "import", str(FIX / "hypothesis_api_real_row.json"))
    assert result.exit_code == 1, result.output
    assert "https://hypothes.is/a/vU6pMACEEem9PdtjGwIgQw" in skipped(result.stdout)


def test_w3c_examples_are_each_imported_or_listed(cli, indexed, tmp_path):
    result = cli(indexed, "import", str(FIX / "w3c_collection1.json"))
    items = json.loads((FIX / "w3c_collection1.json").read_text("utf-8"))["first"]["items"]
    assert result.exit_code == 1, result.output  # no example targets a passage of these articles
    assert len(skipped(result.stdout)) >= len(items) and "the target None" not in result.stdout
    # rewritten to one of ours, a W3C example anchors by its quote
    (indexed.articles / "exemple.txt").write_text(
        "Here this is an anotation that has some errors.\n", "utf-8"
    )
    for name in ("w3c_anno23.json", "w3c_anno29.json"):
        result = cli(indexed, "import", "--article", "exemple.txt", str(FIX / name))
        assert "1 added" in result.stdout, result.output
    assert {a.exact for a in annotations(indexed)} >= {"anotation"}


def test_everything_a_project_holds_is_taken_or_listed(cli, indexed, tmp_path):
    text = (indexed.articles / A004).read_text("utf-8")
    start = text.index("Liz Kendall")
    codes = f'<Code guid="{g(1)}" name="ministres" isCodable="true"><NoteRef targetGUID="{g(40)}"/></Code>'
    sel = (
        f'<PlainTextSelection guid="{g(10)}" startPosition="{start}" endPosition="{start + 11}">'
        f"<Description>sur la ministre</Description>"
        f'<Coding guid="{g(11)}"><CodeRef targetGUID="{g(1)}"/></Coding><NoteRef targetGUID="{g(41)}"/></PlainTextSelection>'
    )
    source = (
        f'<TextSource guid="{g(30)}" name="ats" plainTextPath="internal://{g(30)}.txt">{sel}'
        f'<Coding guid="{g(12)}"><CodeRef targetGUID="{g(1)}"/></Coding><NoteRef targetGUID="{g(42)}"/></TextSource>'
        f'<PDFSource guid="{g(31)}" name="scan" path="internal://{g(31)}.pdf"/>'
    )
    notes = "".join(
        f'<Note guid="{g(n)}" name="n{n}"><PlainTextContent>{body}</PlainTextContent></Note>'
        for n, body in ((40, "qui est ministre"), (41, "vérifier la citation"), (42, "dépêche ATS"))
    )
    extra = f'<Cases><Case guid="{g(50)}" name="cas"/></Cases><Notes>{notes}</Notes>'
    path = tmp_path / "everything.qdpx"
    path.write_bytes(
        qdpx(
            project("ATLAS.ti Win 23.4.0", codes, source, extra),
            {f"sources/{g(30)}.txt": text.encode("utf-8")},
        )
    )
    result = cli(indexed, "import", str(path))
    assert result.exit_code == 3, result.output
    assert skipped(result.stdout) == {
        "1 cases": "cases have no place in Glose (the variables of each source are imported)",
        "PDFSource scan": "Glose reads text sources only",
        "1 coding of the whole source ats": "Glose codes passages only",
    }
    [ann] = annotations(indexed)
    assert (ann.article, ann.exact, ann.tags) == (A004, "Liz Kendall", ("ministres",))
    assert ann.note == "sur la ministre\n\nvérifier la citation"
    with Library(indexed) as lib:  # a code's and a source's notes: their tag's and article's memos
        assert lib.memos.get("tag", "ministres").text == "qui est ministre"
        assert lib.memos.get("article", A004).text == "dépêche ATS"
