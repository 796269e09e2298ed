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


INDEXED_CASES = [
    "snake_case_name et l'IA_générée",  # an underscore splits words, as WORD does
    "ℍ ℋ ᴴ: des mots qui se plient en un terme vide",
    "le la les de des",  # stop words only
    "",
    "Œuvre ÉCŒURÉE ﬁn 2026 n°3 — d’images « générées »",
]


@pytest.mark.parametrize("text", INDEXED_CASES)
def test_index_terms_are_the_terms_of_every_word_in_order(text):
    from tui.text.analysis import index_terms

    assert index_terms(text) == terms(text)
    assert index_terms(text, "en") == terms(text, "en")


def test_index_terms_stay_right_when_the_word_cache_is_cleared_meanwhile(monkeypatch):
    from tui.text import analysis

    text = " ".join(f"mot{n} rare{n} le" for n in range(50))
    expected = terms(text)
    analysis._caches.clear()
    analysis._pieces.clear()
    monkeypatch.setattr(analysis, "_CACHE_LIMIT", 10)  # term() clears it every few words
    assert analysis.index_terms(text) == expected


def test_common_stems_break_ties_by_the_stem_so_one_corpus_makes_one_index():
    """Which of equally common stems get pairs decided the scores of a Whoosh index, and set
    order (hash randomisation) decided it: the same five files ranked differently build to
    build. Ties go to the stem now."""
    from tui.text.analysis import common_stems, index_terms

    words = [f"mot{chr(97 + i)}{chr(97 + j)}" for i in range(6) for j in range(6)]
    text = " ".join(words)
    stems = sorted(set(index_terms(text)))
    assert len(stems) > 20
    assert common_stems([text, text], size=5) == frozenset(stems[:5])
