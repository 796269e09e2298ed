"""Metadata guessed from the samples' first lines: the shapes real saved articles have."""

from __future__ import annotations

import pytest

from tui.text.corpus import load_article
from tui.text.metadata import guess_metadata, parse_date

from .conftest import SAMPLES


@pytest.mark.parametrize(
    ("article_id", "title_start", "date", "source"),
    [
        ("000_7525c6e5bbe6bac6.txt", "L'art de monétiser l'abject – Elon Musk", "2026-01-09", "Mediapart"),
        ("001_6dfef843e7232875.txt", "Face à la controverse grandissante autour de Grok", "2026-01-06", None),
        ("002_00db0d28d759d443.txt", "Sur X, de nombreux utilisateurs", "2026-01-09", None),
        ("003_3428e094c536d05b.txt", "La décision du réseau social X", "2025-01-23", "NotreContinent.com"),
        ("004_82fd22c88201b152.txt", "«Une insulte aux victimes» Grok limite son outil", "2026-01-09", "ATS"),
    ],
)
def test_sample_metadata(article_id, title_start, date, source):
    article = load_article(SAMPLES, article_id)
    assert article.title.startswith(title_start)
    assert len(article.title) <= 221 and not article.title.endswith("…")
    assert "date 20" not in article.title and "(avatar)" not in article.title
    assert article.date == date
    assert article.source == source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Billet de blog 9 janvier 2026", "2026-01-09"),
        ("9.1.2026 - 14:50", "2026-01-09"),
        ("09.01.2026, 14:50", "2026-01-09"),
        ("Mis en ligne : 23/01/2025", "2025-01-23"),
        ("date 2026-01-06 Face à", "2026-01-06"),
        ("le 1er février 2026", "2026-02-01"),
        ("January 9, 2026", "2026-01-09"),
        ("31/02/2026", None),
        ("le 3 janvier", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_title_falls_back_to_file_name_when_text_has_no_sentence():
    assert guess_metadata("ATS\n\n12\n", fallback_title="dépêche").title == "dépêche"


def test_long_lead_is_cut_at_a_word():
    lead = "Un " + "mot " * 60 + "fin."
    title = guess_metadata(lead, "x").title
    assert title.endswith("…") and len(title) <= 111 and " mo…" not in title


def test_a_lead_sentence_is_the_whole_title_not_a_cut_one():
    """Exports put titles in headings: the samples' lead sentences come whole."""
    from .conftest import SAMPLES

    for name in ("001_6dfef843e7232875.txt", "002_00db0d28d759d443.txt", "003_3428e094c536d05b.txt"):
        title = guess_metadata((SAMPLES / name).read_text("utf-8"), name).title
        assert not title.endswith("…") and title.endswith((".", "payante")), title


@pytest.mark.parametrize(
    "text",
    [
        "Publié le 3 mars 2025\nUn titre de plusieurs mots ici\n",  # on the first line
        "Un titre de plusieurs mots ici\n        Publié le 3 mars 2025\n",  # indented
        "Un titre de plusieurs mots ici\n\t DATE : 03/03/2025\n",
        "Un titre de plusieurs mots ici\n" + "x\n" * 60 + "mis à jour le 3 mars 2025\n",  # the fallback
    ],
)
def test_a_labelled_date_is_found_at_the_start_of_any_line(text):
    assert guess_metadata(text, "x").date == "2025-03-03"


def test_a_label_inside_a_line_is_not_a_date_label():
    line = "Le texte parle longuement de la date 3 mars 2025 et de bien d'autres choses."  # > 60
    text = "Un titre de plusieurs mots ici\n" + line + "\n" + "y\n" * 50
    assert guess_metadata(text, "x").date is None


@pytest.mark.parametrize(
    ("line", "source"),
    [("Par la rédaction, LİBÉRATION", "Libération"), ("ſlate", "Slate"), ("Dépêche AFP", "AFP")],
)
def test_a_source_spelled_with_odd_capitals_is_named_not_a_crash(line, source):
    # a dotted capital I or a long s matches case-blind but lowercases to no known name
    assert guess_metadata(f"Un titre assez long pour compter\n{line}\n", "x").source == source
