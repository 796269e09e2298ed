"""``glose add``: real exports read as a person reads them in a browser, written as article
files whose metadata travels with them, duplicates set aside, all or nothing per input.

Fixtures: ``tests/fixtures/sources`` (origins in its SOURCES.md). PDF, DOCX, ODT, RTF and EPUB
single documents are written here with the libraries that read them (no public press sample of
known licence was found)."""

from __future__ import annotations

import shutil

import pytest

from bench.adding import make_pdf  # a minimal PDF, as the PDF reference describes it
from tui.intake import detect, read_source
from tui.intake.duplicates import Known, signature
from tui.text import frontmatter
from tui.text.corpus import canonical_text, content_hash, decode_bytes, read_canonical, read_with_meta

from .sources_helpers import PDF_LINES, SAMPLES, fixture

# --- the readers, on real exports -------------------------------------------------------------


def test_europresse_current_layout_reads_as_in_a_browser():
    source = read_source(fixture("europresse-2023.html"))
    assert source.format == "europresse"
    first, second, third = source.pieces
    assert first.title == 'Thomas Pesquet, gêné par sa notoriété : "c\'est devenu beaucoup plus compliqué"'
    assert (first.date, first.source, first.words) == ("2023-10-23", "Le Journal des Femmes (site web)", 1455)
    assert first.doc_id == "news·20231023·CCMC·1158326_8049669334_11909532"
    assert first.url.startswith("https://www.journaldesfemmes.fr/people/")
    assert first.body.startswith("Thomas Pesquet, gêné par sa notoriété")
    assert second.title == "« Sur terre, la vie est plus compliquée »"
    assert (second.date, second.source, second.section) == (
        "2023-10-22",
        "La Tribune dimanche (France)",
        "SPORTS",
    )
    assert second.authors == ["JOSÉPHINE SIMON-MICHEL"]  # "PROPOS RECUEILLIS PAR" is not a name
    assert second.body.startswith("Réputé pudique, l’astronaute star se raconte")  # the lead, then the text
    assert third.date == "2023-10-19" and third.title.startswith("Thomas Pesquet, au bord du burn-out")
    for piece in source.pieces:  # the export's chrome stays out
        for chrome in (
            "Cet article est paru dans",
            "Certificat émis",
            "Tous droits réservés",
            "<mark>",
            "news·",
        ):
            assert chrome not in piece.body
        assert "\n\n" in piece.body  # paragraphs kept


def test_europresse_older_layout_with_authors_section_page_and_a_title_only_document():
    source = read_source(fixture("europresse-2021.html"))
    echos, figaro = source.pieces
    assert echos.title == "Le fonds Knight Vinke referme le dossier Suez"
    assert (echos.source, echos.date, echos.section, echos.page, echos.words) == (
        "Les Echos",  # "Les Echos, no. 19836": the issue number goes
        "2007-01-16",
        "Industrie",
        "25",
        332,
    )
    assert echos.authors == ["MYRIAM CHAUVOT"]
    assert echos.doc_id == "news·20070116·EC·4524237"
    assert echos.body.startswith("L'investisseur financier, qui s'opposait à la fusion entre Suez")
    assert figaro.subtitle.startswith("DIPLOMATIE Le président russe veut renforcer")
    assert (figaro.source, figaro.section, figaro.authors) == ("Le Figaro", None, ["Fabrice NODE-LANGLOIS"])
    assert figaro.body.startswith("LA TOURNÉE diplomatique que Vladimir Poutine a entamée hier")
    # <br> inside a sentence (the 2021 layout puts them around quotes) does not cut it
    assert "« 148 victimes chiites » qui ont valu le gibet" in " ".join(figaro.body.split())
    assert len(source.skipped) == 1 and source.skipped[0][0].startswith("Sommaire · Transport maritime")
    assert "no text" in source.skipped[0][1]


@pytest.mark.parametrize("name", ["factiva.html", "factiva-saved-as-text.txt"])
def test_factiva_html_and_the_same_export_saved_as_text(name):
    source = read_source(fixture(name))
    assert source.format == ("factiva" if name.endswith(".html") else "factiva-text")
    titles = [p.title for p in source.pieces]
    assert titles == [
        "Marine Le Pen ambitionne l'indépendance énergétique",
        "Myrto Tripathi : « La crise ukrainienne prouve qu'on a un besoin urgent du nucléaire »",
        "Avenir flou pour la centrale à charbon de Cordemais",
    ]
    first = source.pieces[0]
    assert (first.date, first.source, first.authors, first.words, first.page) == (
        "2022-03-15", "Le Figaro", ["Charles Sapin"], 718, "5"
    )  # fmt: skip
    assert first.doc_id == "FIGARO0020220315ei3f0003o"
    assert first.body.startswith("C'EST une riposte pour le moins hardie. Lors d'une conférence de presse")
    for piece in source.pieces:
        assert "Copyright" not in piece.body and "*" not in piece.body and "Document FIGARO" not in piece.body
    # the browser's text export wraps lines: paragraphs are joined back
    assert "consacrée à ses propositions sur l'énergie et le pouvoir d'achat" in first.body


def test_both_factiva_forms_give_the_same_articles():
    html = read_source(fixture("factiva.html")).pieces
    text = read_source(fixture("factiva-saved-as-text.txt")).pieces
    assert [(p.title, p.date, p.doc_id) for p in html] == [(p.title, p.date, p.doc_id) for p in text]


def test_nexis_uni_docx_skips_the_cover_and_the_trailers():
    source = read_source(fixture("nexis-uni.docx"))
    assert source.format == "nexis-uni-docx" and len(source.pieces) == 10
    first = source.pieces[0]
    assert (first.title, first.source, first.date, first.section, first.words) == (
        "Lorem ipsum dolor sit amet", "The Guardian(London)", "2019-07-01", "POLITICS", 355
    )  # fmt: skip
    assert first.authors == ["Mattha Busby (now)", "Andrew Sparrow (earlier)"]
    assert first.body.startswith("Lorem ipsum dolor sit amet, consectetur adipiscing elit. Etiam lacinia")
    last = source.pieces[-1]
    assert (last.title, last.section) == ("What is Wikipedia", "OPINION")
    for piece in source.pieces:
        assert "End of Document" not in piece.body and "Load-Date" not in piece.body


def test_nexis_uni_text_export_reads_like_the_docx(tmp_path):
    """Nexis Uni's TXT export holds the DOCX's paragraphs one per line (no public sample was
    found: this one is the DOCX fixture's paragraphs, written so)."""
    from tui.intake.documents import docx_paragraphs

    paras, _ = docx_paragraphs(fixture("nexis-uni.docx").read_bytes())
    export = tmp_path / "Files (10).TXT"
    export.write_text("\r\n".join(p.replace("\n", "\r\n") for p in paras), "utf-8")
    source = read_source(export)
    assert source.format == "nexis-uni-text"
    expected = read_source(fixture("nexis-uni.docx")).pieces
    assert [(p.title, p.source, p.date, p.authors, p.body) for p in source.pieces] == [
        (p.title, p.source, p.date, p.authors, p.body) for p in expected
    ]


def test_lexisnexis_academic_text():
    source = read_source(fixture("lexisnexis-academic.txt"))
    assert source.format == "nexis-academic"
    sources = [(p.source, p.date, p.authors) for p in source.pieces]
    assert sources == [
        ("Guardian.com", "2010-01-11", ["Andrew Sparrow"]),
        ("Guardian", "2010-01-11", ["Simon Tisdall"]),
        ("The Sun (England)", "2010-01-11", ["TREVOR Kavanagh"]),
    ]
    sun = source.pieces[2]
    assert (sun.section, sun.page, sun.words) == ("FEATURES", "6", 677)
    for piece in source.pieces:
        assert piece.title == "Lorem ipsum dolor sit amet"
        assert "LOAD-DATE" not in piece.body and "All Rights Reserved" not in piece.body
        assert "\n" not in piece.body.split("\n\n")[0]  # hard-wrapped lines joined


def test_lexisnexis_academic_html_reads_like_its_text(tmp_path):
    """No public sample of the HTML export was found: this page holds the TXT export's lines
    in the HTML export's shape (centred <div>s, one <p> per paragraph)."""
    text = fixture("lexisnexis-academic.txt").read_text("utf-8-sig")
    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "<html><body>" + "".join(f"<p>{' '.join(p.split())}</p>" for p in paras) + "</body></html>"
    page = tmp_path / "export.HTML"
    page.write_text(html, "utf-8")
    source = read_source(page)
    assert source.format == "nexis-academic-html"
    expected = read_source(fixture("lexisnexis-academic.txt")).pieces
    assert [(p.source, p.date, p.title, p.body) for p in source.pieces] == [
        (p.source, p.date, p.title, p.body) for p in expected
    ]


def test_a_saved_news_page_goes_through_trafilatura():
    source = read_source(fixture("franceculture.fr.idees.html"))
    assert source.format == "webpage"
    page = source.pieces[0]
    assert (page.title, page.date, page.source, page.authors) == (
        "Prendre la parole", "2020-01-14", "France Culture", ["Jacques Munier"]
    )  # fmt: skip
    assert "Serions-nous entrés dans l’ère de ce que Paul Valadier" in page.body
    assert "<" not in page.body


def test_format_comes_from_the_content_not_the_name(tmp_path):
    renamed = tmp_path / "export.txt"
    shutil.copy(fixture("europresse-2021.html"), renamed)
    assert read_source(renamed).format == "europresse"
    assert detect(fixture("nexis-uni.docx").read_bytes()) == "nexis-uni-docx"


# --- encodings ------------------------------------------------------------------------------------


def test_lying_charset_declarations_are_read_right(tmp_path):
    page = fixture("europresse-2021.html").read_text("utf-8")
    # UTF-8 bytes declared ISO-8859-1 (an export re-saved by an editor)
    lying = tmp_path / "declared-latin1.html"
    lying.write_text(page.replace("<head>", '<head><meta charset="ISO-8859-1">', 1), "utf-8")
    assert read_source(lying).pieces[1].body.startswith("LA TOURNÉE diplomatique")
    # cp1252 bytes declared UTF-8
    legacy = tmp_path / "declared-utf8.html"
    text = page.replace("<head>", '<head><meta charset="utf-8">', 1).replace("·", ".").replace("\u00ad", "")
    legacy.write_bytes(text.encode("cp1252", "replace"))
    piece = read_source(legacy).pieces[1]
    assert (
        piece.body.startswith("LA TOURNÉE diplomatique")
        and piece.title == "Le Kremlin défie Washington dans le Golfe"
    )


def test_a_legacy_encoded_text_export_is_read_right(tmp_path):
    text = fixture("factiva-saved-as-text.txt").read_text("utf-8")
    legacy = tmp_path / "factiva-cp1252.txt"
    legacy.write_bytes(text.encode("cp1252", "replace"))
    pieces = read_source(legacy).pieces
    assert pieces[0].title == "Marine Le Pen ambitionne l'indépendance énergétique"
    assert (
        pieces[1].title
        == "Myrto Tripathi : « La crise ukrainienne prouve qu'on a un besoin urgent du nucléaire »"
    )


# --- documents ------------------------------------------------------------------------------------


def test_pdf_text_layer_with_paragraphs(tmp_path):
    pdf = tmp_path / "article.pdf"
    pdf.write_bytes(make_pdf(PDF_LINES))
    source = read_source(pdf)
    assert source.format == "pdf"
    body = source.pieces[0].body
    assert body.startswith("Le fonds Knight Vinke referme le dossier Suez")
    # layout lines of one paragraph are joined
    assert "Eric Knight, l'un des actionnaires les plus critiques" in body


def test_a_pdf_without_text_says_so(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(make_pdf([]))
    with pytest.raises(Exception, match="no text layer"):
        read_source(pdf)


def test_docx_odt_rtf_epub_single_documents(tmp_path):
    import docx
    from ebooklib import epub
    from odf import text as odf_text
    from odf.opendocument import OpenDocumentText

    d = docx.Document()
    d.core_properties.title = "Grok limite son outil"
    d.add_paragraph("Premier paragraphe, avec des accents : déshabiller.")
    d.add_paragraph("Second paragraphe.")
    d.save(tmp_path / "a.docx")
    piece = read_source(tmp_path / "a.docx").pieces[0]
    assert piece.title == "Grok limite son outil"
    assert piece.body == "Premier paragraphe, avec des accents : déshabiller.\n\nSecond paragraphe."

    odt = OpenDocumentText()
    odt.text.addElement(odf_text.H(outlinelevel=1, text="Un titre"))
    odt.text.addElement(odf_text.P(text="Le corps du texte, élément par élément."))
    odt.save(str(tmp_path / "b.odt"))
    source = read_source(tmp_path / "b.odt")
    assert (
        source.format == "odt"
        and source.pieces[0].body == "Un titre\n\nLe corps du texte, élément par élément."
    )

    rtf = tmp_path / "c.rtf"
    rtf.write_bytes(
        rb"{\rtf1\ansi\ansicpg1252 {\fonttbl\f0 Times;}\f0 Premi\'e8re ligne.\par Seconde ligne.\par}"
    )
    assert read_source(rtf).pieces[0].body == "Première ligne.\n\nSeconde ligne."

    book = epub.EpubBook()
    book.set_identifier("id1")
    book.set_title("Un livre")
    book.add_author("Une Autrice")
    chapter = epub.EpubHtml(title="Un", file_name="c1.xhtml", lang="fr")
    chapter.content = "<html><body><h1>Chapitre</h1><p>Texte du chapitre, enfin.</p></body></html>"
    book.add_item(chapter)
    book.spine = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    epub.write_epub(str(tmp_path / "d.epub"), book)
    piece = read_source(tmp_path / "d.epub").pieces[0]
    assert (piece.title, piece.authors) == ("Un livre", ["Une Autrice"])
    assert "Chapitre\n\nTexte du chapitre, enfin." in piece.body


def test_a_damaged_or_unknown_input_is_one_line(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(Exception, match="damaged archive"):
        read_source(broken)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"   ")
    with pytest.raises(Exception, match="empty"):
        read_source(empty)


# --- the metadata block ------------------------------------------------------------------------------


def test_front_matter_is_recognised_strictly():
    meta, body = frontmatter.split("---\ntitle: Un titre\ndate: 2026-01-09\n---\nLe corps.\n")
    assert meta == {"title": "Un titre", "date": "2026-01-09"} and body == "Le corps.\n"
    for text in (
        "---\ntitle: x\nlayout: post\n---\nbody",  # an unknown key: someone else's front matter
        "---\ntitle: x\nbody without a closing fence",
        " ---\ntitle: x\n---\nbody",  # not the first line exactly
        "---\n\n---\nbody",  # a blank line is not a key
        "Text\n---\ntitle: x\n---\n",
    ):
        assert frontmatter.split(text) == ({}, text)
    block = frontmatter.render({"title": "Deux\nlignes", "date": "2026-01-09", "author": None})
    assert block == "---\ntitle: Deux lignes\ndate: 2026-01-09\n---\n"


def test_the_shipped_articles_keep_their_canonical_text_and_hashes():
    for path in sorted(SAMPLES.glob("*.txt")):
        raw, _ = decode_bytes(path.read_bytes())
        text, _, _ = read_canonical(path)
        assert text == canonical_text(raw) and content_hash(text) == content_hash(canonical_text(raw))


def test_offsets_count_in_the_body_and_metadata_is_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "---\ntitle: Le titre\nsource: Les Echos\nauthor: Myriam Chauvot\n---\nLe corps.\n", "utf-8"
    )
    body, meta, _, _ = read_with_meta(path)
    assert body == "Le corps.\n" and meta["author"] == "Myriam Chauvot"


# --- duplicates --------------------------------------------------------------------------------------


def test_duplicate_and_near_duplicate_recognition():
    text = " ".join(f"mot{i} phrase longue de l'article {i % 7}." for i in range(200))
    known = Known()
    known.add("a.txt", signature(text), "news·1")
    assert known.match(signature("autre texte"), "news·1").why == "same document id"
    assert known.match(signature(text.upper())).why == "same text"
    edited = text.replace("mot10 ", "mot10 ajouté ") + " Une phrase de plus."
    near = known.match(signature(edited))
    assert near.kind == "near" and near.article == "a.txt"
    assert known.match(signature("Un tout autre article, sans rapport. " * 30)) is None
