"""``glose cite``: one reference per article, read back by independent parsers (rispy for RIS,
bibtexparser for BibTeX, citeproc-py for CSL-JSON), and the citation line a report writes."""

from __future__ import annotations

import json

import pytest

from tui.formats.citing import Reference, citation_line, parse_authors, reference, written_date

from .conftest import SAMPLE_IDS, update_index

FULL = """---
title: Le fonds Knight Vinke referme le dossier Suez
date: 2007-01-16
source: Les Echos
author: Myriam Chauvot et Jean-Pierre Dupont
section: Économie
page: 3
id: news·20070116·EC·123
url: https://www.lesechos.fr/2007/01/suez
---
C'est une page qui se tourne pour le fonds activiste, qui referme le dossier Suez.
"""

SPECIAL = """---
title: 50 % de {hausse} & un $ pour #1 a_b ~ ^ \\ — été
date: 2026-01-01
source: Le Monde
author: AFP
---
Le texte de l'article spécial, assez long pour être indexé comme les autres articles.
"""


@pytest.fixture
def cited(workspace):
    (workspace.articles / "full.txt").write_text(FULL, "utf-8")
    (workspace.articles / "special.txt").write_text(SPECIAL, "utf-8")
    update_index(workspace)
    return workspace


def test_ris_reads_back_as_one_newspaper_article_per_article(cli, cited):
    out = cited.root / "refs.ris"
    result = cli(cited, "cite", "--format", "ris", "-o", str(out))
    assert result.exit_code == 0, result.output
    import rispy

    records = rispy.loads(out.read_text("utf-8"))
    assert len(records) == len(SAMPLE_IDS) + 2
    assert {r["type_of_reference"] for r in records} == {"NEWS"}
    full = next(r for r in records if r["title"].startswith("Le fonds Knight"))
    assert full["secondary_title"] == "Les Echos"
    assert full["authors"] == ["Chauvot, Myriam", "Dupont, Jean-Pierre"]
    assert full["date"] == "2007/01/16/"
    assert full["year"] == "2007"
    assert full["start_page"] == "3"
    assert full["section"] == "Économie"
    assert full["accession_number"] == "news·20070116·EC·123"
    assert full["urls"] == ["https://www.lesechos.fr/2007/01/suez"]


def test_csl_json_has_the_schema_shape_and_citeproc_renders_it(cli, cited):
    out = cited.root / "refs.json"
    assert cli(cited, "cite", "--format", "csl-json", "-o", str(out)).exit_code == 0
    items = json.loads(out.read_text("utf-8"))
    assert len(items) == len(SAMPLE_IDS) + 2
    assert len({i["id"] for i in items}) == len(items)  # ids are what citations point at
    for item in items:  # the CSL data schema's required keys and value types
        assert item["type"] == "article-newspaper"
        assert isinstance(item["id"], str) and isinstance(item["title"], str)
        for parts in item.get("issued", {}).get("date-parts", []):
            assert all(isinstance(p, int) for p in parts) and 1 <= len(parts) <= 3
        for name in item.get("author", []):
            assert set(name) <= {"family", "given", "literal"}
    full = next(i for i in items if i["title"].startswith("Le fonds Knight"))
    assert full["container-title"] == "Les Echos"
    assert full["issued"] == {"date-parts": [[2007, 1, 16]]}
    assert full["author"] == [
        {"family": "Chauvot", "given": "Myriam"},
        {"family": "Dupont", "given": "Jean-Pierre"},
    ]
    assert (full["page"], full["section"], full["URL"]) == (
        "3",
        "Économie",
        "https://www.lesechos.fr/2007/01/suez",
    )
    special = next(i for i in items if i["title"].startswith("50 %"))
    assert special["author"] == [{"literal": "AFP"}]

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(full["id"])]))
    rendered = str(bibliography.bibliography()[0])
    assert "Chauvot" in rendered and "Les Echos" in rendered and "Le fonds Knight Vinke" in rendered


def test_bibtex_parses_with_specials_escaped_and_accents_kept(cli, cited):
    out = cited.root / "refs.bib"
    assert cli(cited, "cite", "--format", "bibtex", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    assert "été" in text and "Économie" in text  # accents as UTF-8, not as {\'e}
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    assert len(library.entries) == len(SAMPLE_IDS) + 2
    assert {e.entry_type for e in library.entries} == {"article"}
    assert len({e.key for e in library.entries}) == len(library.entries)
    full = next(e for e in library.entries if e["title"].startswith("Le fonds"))
    assert full["journal"] == "Les Echos"
    assert full["author"] == "Chauvot, Myriam and Dupont, Jean-Pierre"
    assert (full["year"], full["pages"]) == ("2007", "3")
    special = next(e for e in library.entries if "hausse" in e["title"])
    # (pylatexenc decodes \\textasciicircum{}, which LaTeX prints as ^, as U+02C6)
    assert special["title"].replace("ˆ", "^") == "50 % de {hausse} & un $ pour #1 a_b ~ ^ \\ — été"
    assert special["journal"] == "Le Monde"


def test_cite_selects_by_query_and_where_and_refuses_an_existing_file(cli, cited):
    out = cited.root / "refs.ris"
    assert cli(cited, "cite", "Knight", "--format", "ris", "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").count("TY  - NEWS") == 1
    result = cli(cited, "cite", "--where", "Suez", "--format", "ris", "-o", str(out))
    assert result.exit_code == 1 and "exists: give --force" in result.output
    assert out.read_text("utf-8").count("TY  - NEWS") == 1  # unchanged
    assert cli(cited, "cite", "--where", "texte", "--format", "ris", "-o", str(out), "--force").exit_code == 0
    assert out.read_text("utf-8").count("TY  - NEWS") == 1  # only special.txt says "texte"
    assert "50 %" in out.read_text("utf-8")
    missing = cited.root / "nowhere" / "refs.ris"
    result = cli(cited, "cite", "--format", "ris", "-o", str(missing))
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not missing.parent.exists()
    result = cli(cited, "cite", "zzznomatch", "--format", "bibtex", "-o", str(cited.root / "none.bib"))
    assert result.exit_code == 1 and "nothing written" in result.output
    assert not (cited.root / "none.bib").exists()


def test_citation_line_writes_dates_in_the_corpus_language():
    ref = Reference("a.txt", "Titre", outlet="Le Monde", date="2026-01-09", page="3")
    assert citation_line(ref, "fr") == "Le Monde, 9 janvier 2026, p. 3, « Titre »"
    assert citation_line(ref, "en") == "Le Monde, 9 January 2026, p. 3, “Titre”"
    assert written_date("2026-01-01", "fr") == "1er janvier 2026"
    assert written_date("2026-08", "fr") == "août 2026"
    assert written_date("2026-01-09", "de") == "2026-01-09"  # no month names here: the ISO date
    # what the article says it is written in wins over the workspace's language
    english = reference(
        "b.txt", {"title": "Title", "source": "The Times", "date": "2026-03-02", "language": "en"}
    )
    assert citation_line(english, "fr") == "The Times, 2 March 2026, “Title”"


def test_authors_are_people_or_bodies():
    assert [n.inverted() for n in parse_authors("Chauvot, Myriam")] == ["Chauvot, Myriam"]
    assert [n.inverted() for n in parse_authors("Myriam Chauvot; Jean Dupont")] == [
        "Chauvot, Myriam",
        "Dupont, Jean",
    ]
    assert [n.inverted() for n in parse_authors("Myriam Chauvot, Jean Dupont")] == [
        "Chauvot, Myriam",
        "Dupont, Jean",
    ]
    assert [n.literal for n in parse_authors("AFP")] == ["AFP"]
    assert parse_authors("  ") == ()


def test_an_unbalanced_brace_keeps_the_entry_parseable():
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    from tui.formats.citing.writers import bibtex

    refs = [Reference("a.txt", "une { ouverte", outlet="L}e Monde", date="2026-01-09")]
    library = bibtexparser.parse_string("".join(bibtex(refs)), append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks and len(library.entries) == 1
    assert library.entries[0]["journal"] == "Le Monde"  # decoders drop \textbraceright{}; it parses
    assert library.entries[0]["title"].startswith("une")
