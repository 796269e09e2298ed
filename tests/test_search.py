"""Known-item searches on the samples: the searches a reader of this corpus makes, on every
engine (the ``engine_index`` fixture)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api import Library
from tui.errors import QueryError
from tui.search.query import compile_query
from tui.search.searcher import SearchEngine, find_hits
from tui.text.analysis import WORD, fold

A000, A001, A002, A003, A004 = (
    "000_7525c6e5bbe6bac6.txt",
    "001_6dfef843e7232875.txt",
    "002_00db0d28d759d443.txt",
    "003_3428e094c536d05b.txt",
    "004_82fd22c88201b152.txt",
)


@pytest.fixture(scope="module")
def engine(engine_index) -> SearchEngine:
    with Library(engine_index) as lib:
        yield lib.ctx.engine


def ids(engine: SearchEngine, query: str) -> set[str]:
    return {h.article for h in engine.search(query, limit=None).hits}


def containing(engine: SearchEngine, *needles: str) -> set[str]:
    """Articles whose text contains any of the needles (case-insensitive), computed from the
    files themselves so expectations are not hard-coded."""
    return {a for a in engine.ids() if any(n.lower() in engine.text(a).lower() for n in needles)}


def test_unaccented_query_finds_accented_forms(engine):
    expected = containing(engine, "déshabill")
    assert expected == {A000, A002}
    assert ids(engine, "deshabiller") == expected


def test_singular_finds_plural(engine):
    assert ids(engine, "image") == containing(engine, "image")


def test_ligature(engine):
    assert ids(engine, "coeur") == containing(engine, "cœur", "coeur")


def test_phrase(engine):
    assert ids(engine, '"service premium"') == containing(engine, "service premium")
    assert ids(engine, '"premium service"') == set()


def test_phrase_across_stop_words_and_elision(engine):
    expected = containing(engine, "création d'images illégales en un service premium")
    assert expected == {A000, A002, A004}
    assert ids(engine, '"la création d’images illégales en un service premium"') == expected


def test_prefix(engine):
    assert ids(engine, "harcel*") == containing(engine, "harcèl", "harcel") == {A000, A003}


def test_exclusion(engine):
    assert ids(engine, "grok -premium") == containing(engine, "grok") - containing(engine, "premium")


def test_or_and_groups(engine):
    assert ids(engine, "deshabiller OR denuder") == containing(engine, "déshabill", "dénud")
    assert ids(engine, "grok (starmer OR lescure)") == containing(engine, "starmer", "lescure")


def test_fields(engine):
    assert ids(engine, "source:ats") == {A004}
    assert ids(engine, "source:notrecontinent") == {A003}
    assert ids(engine, "title:monétiser") == {A000}
    assert ids(engine, "date:2026-01-09") == {A000, A002, A004}
    assert ids(engine, "date:2026-01") == {A000, A001, A002, A004}
    assert ids(engine, "date:2026-01-01..2026-01-07") == {A001}
    assert ids(engine, "date:..2025") == {A003}


def test_title_matches_rank_first(engine):
    assert engine.search("monétiser").hits[0].article == A000


def test_results_carry_metadata_and_scores(engine):
    results = engine.search("grok", limit=2)
    assert results.total == len(containing(engine, "grok")) and len(results.hits) == 2
    first = results.hits[0]
    assert first.title and first.score > 0
    assert results.hits[0].score >= results.hits[1].score


def test_hits_are_offsets_in_the_canonical_text(engine):
    compiled = compile_query('déshabiller "service premium"')
    for article in (A000, A002):
        text = engine.text(article)
        spans = engine.article_hits(article, compiled.highlight)
        assert spans
        for start, end in spans:
            found = text[start:end].lower()
            assert found.startswith("déshabill") or found.replace("\n", " ") == "service premium"


def test_snippet_highlights_are_inside_the_snippet(engine):
    compiled = compile_query("premium")
    snippet = engine.snippet(A004, compiled.highlight)
    text = engine.text(A004)
    assert snippet.text == text[snippet.start : snippet.start + len(snippet.text)].replace("\n", " ")
    assert snippet.highlights
    for start, end in snippet.highlights:
        assert text[start:end].lower() == "premium"
        assert snippet.start <= start < end <= snippet.start + len(snippet.text)


def test_find_hits_merges_overlaps_and_respects_stop_words():
    text = "Le service premium, un service. Service premium!"
    hl = compile_query('"service premium" service').highlight
    spans = list(find_hits(text, hl))
    assert [text[s:e] for s, e in spans] == ["service premium", "service", "Service premium"]


def test_kwic_lists_every_occurrence_aligned(engine):
    lines = engine.kwic("Grok", width=20)
    expected = sum(engine.text(a).count("Grok") for a in containing(engine, "grok"))
    assert len(lines) == expected
    for k in lines:
        assert k.match == "Grok"
        assert engine.text(k.article)[k.start : k.end] == "Grok"
        assert len(k.left) <= 20 and len(k.right) <= 20


def test_kwic_limit_keeps_the_first_lines_in_article_order_then_sorts(engine):
    every = engine.kwic("Grok", width=20)
    first = engine.kwic("Grok", width=20, limit=7)
    assert first == every[:7]
    by_right = engine.kwic("Grok", width=20, sort="right", limit=7)
    assert sorted(by_right, key=lambda k: (k.article, k.start)) == first
    assert len(engine.kwic("Grok", limit=len(every) + 5)) == len(every)


@pytest.mark.parametrize("sort", ["left", "right"])
def test_a_capped_concordance_lists_the_same_lines_whatever_the_sort(engine_index, sort):
    with Library(engine_index) as lib:
        every = lib.search.kwic("Grok")
        cap = len(every) - 3
        first, more = lib.search.concordance("Grok", limit=cap)
        assert first == every[:cap] and more
        by_context, more = lib.search.concordance("Grok", sort=sort, limit=cap)
        assert more and sorted(by_context, key=lambda k: (k.article, k.start)) == first
        assert by_context != first
        assert lib.search.concordance("Grok", limit=len(every)) == (every, False)


def test_kwic_sorts_by_right_context(engine):
    lines = engine.kwic("Grok", width=20, sort="right")
    keys = [k.right.lower() for k in lines]
    assert keys != [k.right.lower() for k in engine.kwic("Grok", width=20)]
    first_words = [fold(WORD.findall(k.right)[0]) for k in lines]
    assert first_words == sorted(first_words)


def test_malformed_query_raises_our_error(engine):
    with pytest.raises(QueryError):
        engine.search("(grok")


def _highlights() -> list:
    words = ["grok", "images", "déshabiller", "coeur", "l'IA", "premier", "ministre", "X", "2026"]
    queries = [*words, '"service premium"', '"premier ministre britannique"', "harcel*", "numéri*", "pla*"]
    queries += ['"Keir Starmer" grok', "œuvre", "ÉLON musk", "gouvernement OR commission"]
    return [compile_query(q).highlight for q in queries]


def test_jumping_between_candidates_finds_exactly_what_the_word_walk_finds(shared_index):
    texts = [(shared_index.articles / a).read_text("utf-8") for a in (A000, A001, A002, A003, A004)]
    for text in texts:
        for hl in _highlights():
            assert list(find_hits(text, hl)) == list(find_hits(text, hl, jump=False)), hl


_LETTERS = "aàâäbcçdeéèêëfghiîïjklmnoôöœpqrstuùûüvwxyÿzAÀÉÈÇŒßĳﬁ²  '’-.,«»\n"


@given(
    text=st.text(alphabet=_LETTERS, max_size=300),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4),
    phrase=st.booleans(),
    prefix=st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_candidates_never_miss_a_hit_on_any_spelling(text, picks, phrase, prefix):
    found = WORD.findall(text)
    if not found:
        return
    chosen = [found[i % len(found)] for i in picks]
    query = " ".join(chosen)
    if phrase and len(chosen) > 1:
        query = '"' + query + '"'
    elif prefix and len(fold(chosen[0])) >= 3:
        query = chosen[0] + "*"
    try:
        hl = compile_query(query).highlight
    except QueryError:
        return  # only stop words, a prefix too short...
    assert list(find_hits(text, hl)) == list(find_hits(text, hl, jump=False))
