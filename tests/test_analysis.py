"""The French analyzer: what a reader types finds the forms the articles use."""

from __future__ import annotations

import pickle

import pytest

from tui.text.analysis import GloseTokenizer, fold, term, terms, words


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("deshabiller", "déshabiller"),
        ("deshabiller", "déshabillées"),
        ("image", "images"),
        ("coeur", "cœur"),
        ("generees", "générées"),
        ("generer", "génération"),
        ("illegal", "illégales"),
        ("ia", "l'IA"),
        ("images", "d’images"),
        ("video", "vidéos"),
    ],
)
def test_typed_form_matches_written_form(typed, written):
    assert terms(typed) == terms(written) != []


def test_elision_and_stop_words():
    assert terms("l'IA d'images qu'on jusqu'à") == ["ia", "imag"]
    assert terms("le la les de des et un une") == []


def test_fold():
    assert fold("Œuvre ÉCŒURÉE ﬁn") == "oeuvre ecoeuree fin"


def test_words_keep_offsets_in_the_original_text():
    text = "L’IA a « déshabillé » des photos"
    found = [(w.term, text[w.start : w.end]) for w in words(text)]
    assert ("deshabill", "déshabillé") in found
    assert ("ia", "IA") in found
    assert all(text[w.start : w.end].isalnum() for w in words(text))


def test_english_language():
    assert term("running", "en") == term("runs", "en") == "run"
    assert term("the", "en") is None


def test_tokenizer_pickles_with_the_schema_and_keeps_positions():
    tok = pickle.loads(pickle.dumps(GloseTokenizer("fr")))
    assert tok == GloseTokenizer("fr") != GloseTokenizer("en")
    got = [(t.text, t.pos, t.startchar) for t in tok("Le cœur des images", positions=True, chars=True)]
    assert got == [("coeur", 0, 3), ("imag", 1, 12)]
    stopped = [(t.text, t.stopped) for t in tok("le cœur", removestops=False)]
    assert stopped == [("le", True), ("coeur", False)]
