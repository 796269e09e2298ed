"""The query language: what it accepts, and one clear line for what it cannot honour."""

from __future__ import annotations

import pytest

from tui.errors import QueryError
from tui.search.query import And, DateRange, Not, Or, Phrase, Prefix, Tag, Word, compile_query, parse


def test_words_are_anded():
    assert parse("grok premium") == And((Word("grok"), Word("premium")))


def test_or_binds_looser_than_and():
    assert parse("a b OR c") == Or((And((Word("a"), Word("b"))), Word("c")))


def test_parentheses_negation_and_fields():
    tree = parse('grok (payant OR "service premium") -title:musk NOT source:ats')
    assert tree == And(
        (
            Word("grok"),
            Or((Word("payant"), Phrase("service premium"))),
            Not(Word("musk", "title")),
            Not(Word("ats", "source")),
        )
    )


def test_field_applies_to_a_quoted_phrase_and_a_group():
    assert parse('title:"service premium"') == Phrase("service premium", "title")
    assert parse("title:(grok OR musk)") == Or((Word("grok", "title"), Word("musk", "title")))


def test_unclosed_quote_runs_to_the_end():
    assert parse('"service prem') == Phrase("service prem")
    assert parse('grok "la création') == And((Word("grok"), Phrase("la création")))


def test_curly_and_french_quotes_make_phrases():
    assert parse("«service premium»") == parse("“service premium”") == Phrase("service premium")


def test_prefix():
    assert parse("harcel*") == Prefix("harcel")


def test_dates():
    assert parse("date:2026-01") == DateRange("2026-01", "2026-01")
    assert parse("date:2026-01-05..2026-01-10") == DateRange("2026-01-05", "2026-01-10")
    assert parse("date:..2026-1-9") == DateRange(None, "2026-01-09")
    assert parse("date:2026..") == DateRange("2026", None)


def test_tag_names_may_be_quoted_and_hierarchical():
    assert parse('tag:"réaction/politique"') == Tag("réaction/politique")
    assert parse("tag:droit/RGPD") == Tag("droit/RGPD")


def test_a_colon_between_digits_is_text_not_a_field():
    assert parse("14:50") == Word("14:50")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("(grok", "never closed"),
        ("grok)", "has no"),
        ("()", "empty parentheses"),
        ("grok OR", "both sides"),
        ("OR grok", "both sides"),
        ("AND grok", "both sides"),
        ("gr*", "at least 3 letters"),
        ("g*k", "end of a word"),
        ("*", "end of a word|at least 3"),
        ("foo:bar", "unknown field 'foo:'"),
        ("auteur:x", "unknown field"),
        ("date:2026-13", "invalid date"),
        ("date:2026-02-30", "invalid date"),
        ("date:hier", "invalid date"),
        ("date:..", "at least one end"),
        ("title:", "needs a value"),
        ("la le les", "stop words"),
    ],
)
def test_malformed_queries_say_why(query, message):
    with pytest.raises(QueryError, match=message):
        compile_query(query)


def test_a_trailing_dash_being_typed_is_ignored():
    assert parse("grok -") == And((Word("grok"), Word("-")))
    assert compile_query("grok -").query == compile_query("grok").query


def test_pure_exclusion_is_everything_but():
    from whoosh import query as wq

    compiled = compile_query("-grok")
    assert isinstance(compiled.query, wq.And)
    assert isinstance(compiled.query.subqueries[0], wq.Every)


def test_highlight_collects_only_positive_unfielded_parts():
    hl = compile_query('déshabiller "service premium" harcel* -grok title:musk').highlight
    assert hl.terms == {"deshabill"}
    assert hl.phrases == {("servic", "premium")}
    assert "harcel" in hl.prefixes
    assert "grok" not in hl.terms and "musk" not in hl.terms


def test_tag_queries_need_the_store_until_one_is_given():
    with pytest.raises(QueryError, match="annotation store"):
        compile_query("tag:x")
    compiled = compile_query("tag:x", tags=lambda field, name: {"a.txt"})
    assert "a.txt" in repr(compiled.query)
