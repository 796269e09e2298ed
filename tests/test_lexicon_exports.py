"""The corpus exports for IRaMuTeQ (starred text) and TXM (XML-TEI + metadata.csv), with the
variables, through the real CLI."""

from __future__ import annotations

import csv

from lxml import etree

from .test_lexicon import known, write_corpus  # noqa: F401  (the fixture and its corpus)

TEI = "{http://www.tei-c.org/ns/1.0}"


def test_iramuteq_starred_text_has_a_header_per_article_with_its_variables(cli, known, tmp_path):  # noqa: F811
    (known.articles / "a4.txt").write_text("Un *astérisque* au jardin.\n", encoding="utf-8")
    assert (
        cli(known, "meta", "a1.txt", "--set", "genre=Tribune libre").exit_code == 0
    )  # a variable of the user's
    out = tmp_path / "corpus.txt"
    result = cli(known, "corpus", "--format", "iramuteq", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    headers = [line for line in text.splitlines() if line.startswith("****")]
    assert headers == [
        "**** *source_lemonde *date_2026-01-05 *month_2026-01 *year_2026 *words_9 *language_fr *genre_tribunelibre",
        "**** *source_lemonde *date_2026-02-10 *month_2026-02 *year_2026 *words_7 *language_fr",
        "**** *source_liberation *date_2026-02-11 *month_2026-02 *year_2026 *words_11 *language_fr",
        "**** *words_4 *language_fr",  # no source, no date
    ]
    assert "Le chat dort. Le chat mange l'herbe du jardin." in text
    assert "Un  astérisque  au jardin." in text  # a * would start a variable
    assert "4 articles" in result.stderr


def test_iramuteq_of_the_articles_a_query_selects(cli, known, tmp_path):  # noqa: F811
    out = tmp_path / "dogs.txt"
    assert cli(known, "corpus", "chien", "--format", "iramuteq", "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").count("****") == 2


def test_txm_gets_tei_files_and_the_metadata_it_imports(cli, known, tmp_path):  # noqa: F811
    folder = tmp_path / "txm"
    result = cli(known, "corpus", "--format", "txm", "-o", str(folder))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.glob("*.xml"))
    assert names == ["a1.xml", "a2.xml", "a3.xml", "a4.xml"]
    tree = etree.parse(str(folder / "a3.xml"))
    text = tree.getroot().find(f"{TEI}text")
    assert text.get("source") == "Libération" and text.get("month") == "2026-02" and text.get("id") == "a3"
    assert "".join(text.itertext()).strip() == "Le chien mange. Le chien dort, le chien aboie au jardin."
    with open(folder / "metadata.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4"]
    assert rows[0]["source"] == "Le Monde" and rows[3]["source"] == ""
    again = cli(known, "corpus", "--format", "txm", "-o", str(folder))
    assert again.exit_code == 1 and "not an empty folder" in again.stderr


def test_an_unwritable_output_is_one_line(cli, known, tmp_path):  # noqa: F811
    result = cli(
        known, "corpus", "--format", "iramuteq", "-o", str(tmp_path / "no" / "such" / "dir" / "x.txt")
    )
    assert result.exit_code == 1 and "cannot write" in result.stderr
