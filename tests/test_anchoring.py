"""Anchoring: annotations follow their text through edits, or wait as orphans."""

from __future__ import annotations

import pytest

from tui.text.anchoring import CONTEXT, relocate, select

from .conftest import SAMPLES

TEXT = (SAMPLES / "004_82fd22c88201b152.txt").read_text("utf-8")
QUOTE = (
    "transforme simplement une fonctionnalité qui permet la création d'images illégales en un service premium"
)
START = TEXT.index(QUOTE)
SEL = select(TEXT, START, START + len(QUOTE))


def test_selectors_hold_quote_and_context():
    assert SEL.exact == QUOTE
    assert SEL.prefix == TEXT[START - CONTEXT : START] and len(SEL.prefix) == CONTEXT
    assert SEL.suffix == TEXT[START + len(QUOTE) : START + len(QUOTE) + CONTEXT]


def test_unchanged_text_is_anchored_in_place():
    assert relocate(TEXT, SEL).status == "anchored"


def test_text_inserted_before_moves_it():
    new = "Un chapeau ajouté.\n\n" + TEXT
    where = relocate(new, SEL)
    assert where.status == "moved"
    assert new[where.start : where.end] == QUOTE


def test_best_context_wins_among_several_occurrences():
    decoy = f"Autre passage : {QUOTE}, sans rapport.\n\n"
    new = decoy + TEXT
    where = relocate(new, SEL)
    assert where.start == new.index(QUOTE, len(decoy))  # the one with the remembered context


def test_word_changed_inside_gives_a_fuzzy_match_covering_the_edit():
    new = TEXT.replace("fonctionnalité qui permet", "fonction qui autorise")
    where = relocate(new, SEL)
    assert where.status == "fuzzy" and where.score >= 0.75
    assert new[where.start : where.end] == QUOTE.replace("fonctionnalité qui permet", "fonction qui autorise")


def test_short_quote_with_a_typo_fixed():
    i = TEXT.index("Keir Starmer")
    sel = select(TEXT, i, i + len("Keir Starmer"))
    new = TEXT.replace("Keir Starmer", "Keir Starmr")
    where = relocate(new, sel)
    assert where.status == "fuzzy" and new[where.start : where.end] == "Keir Starmr"


def test_deleted_passage_is_orphaned():
    assert relocate(TEXT.replace(QUOTE, ""), SEL).status == "orphaned"


@pytest.mark.parametrize("other", ["", "Un tout autre texte, sans rapport aucun avec le premier."])
def test_unrelated_text_orphans(other):
    assert relocate(other, SEL).status == "orphaned"
