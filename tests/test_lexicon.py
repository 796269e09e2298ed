"""Lexicometry's core: what a word is, Lafon's specificities against scipy, and the counts of
a small corpus whose frequencies are known, through the real CLI."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import hypergeom

from tui.lexicon.lafon import scores, specificity
from tui.lexicon.tokens import form_counts, forms, stem, stop_forms, tokens, unit_of
from tui.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def reference(f: int, t: int, F: int, T: int) -> float:
    """Lafon's score from scipy's hypergeometric survival and distribution functions."""
    law = hypergeom(T, F, t)
    if f * T >= t * F:
        return float(-law.logsf(f - 1) / math.log(10))
    return float(law.logcdf(f) / math.log(10))


# --- tokens -----------------------------------------------------------------------------------


def test_elisions_are_tokens_of_their_own_and_numbers_are_not_words():
    text = "L’IA d'Elon qu'il a créée aujourd'hui en 2026, à 12,5 %; G7 et 1er rang."
    assert forms(text) == [
        "l'",
        "ia",
        "d'",
        "elon",
        "qu'",
        "il",
        "a",
        "créée",
        "aujourd'hui",
        "en",
        "à",
        "g7",
        "et",
        "1er",
        "rang",
    ]


def test_spans_point_at_the_text_and_counts_agree_with_the_token_stream():
    text = "Jusqu'à l'aube, l'homme s'en va. L'Homme revient !"
    found = list(tokens(text))
    assert [text[t.start : t.end].lower().replace("’", "'") for t in found] == [t.form for t in found]
    assert form_counts(text) == Counter(t.form for t in found)
    assert form_counts(text)["l'"] == 3 and form_counts(text)["homme"] == 2


def test_units_lemma_and_stem():
    lemma = unit_of("lemma")
    assert lemma("chevaux") == "cheval" and lemma("étaient") == "être"
    assert stem("déshabillées") == unit_of("stem")("déshabillées") == "deshabill"
    assert stem("les") == "les"  # a stop word, which the index leaves out, keeps its folded form


def test_stop_words_are_left_out_only_on_request():
    is_stop = stop_forms("fr")
    assert is_stop("le") and is_stop("l'") and is_stop("qu'") and not is_stop("chat")


# --- Lafon's specificities --------------------------------------------------------------------


@pytest.mark.parametrize(
    "f,t,F,T",
    [
        (5, 100, 10, 1000),
        (0, 100, 10, 1000),
        (30, 1000, 40, 100_000),  # far in the tail: P ~ 1e-51
        (2, 5000, 2000, 1_000_000),
        (900, 10_000, 1000, 20_000),  # P ~ 1e-168
        (3, 3, 3, 3),
        (40, 200_000, 80, 30_000_000),  # a large corpus
        (11, 52, 12, 60),  # near the top of the support
    ],
)
def test_specificity_matches_scipy(f, t, F, T):
    assert specificity(f, t, F, T) == pytest.approx(reference(f, t, F, T), rel=1e-7, abs=1e-9)


def test_scores_of_a_whole_part_match_scipy_and_the_scalar():
    rng = np.random.default_rng(7)
    T, t = 2_000_000, 150_000
    F = rng.integers(1, 30_000, 500)
    f = np.minimum(rng.binomial(F, t / T * rng.uniform(0.3, 3, 500)), F)
    got = scores(f, t, F, T)
    want = np.array([reference(int(a), t, int(b), T) for a, b in zip(f, F, strict=True)])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    assert all(
        got[i] == pytest.approx(specificity(int(f[i]), t, int(F[i]), T), rel=1e-7, abs=1e-8)
        for i in range(20)
    )


def test_nothing_to_compare_scores_zero_not_a_division_by_zero():
    assert specificity(0, 0, 5, 100) == 0.0  # an empty part
    assert specificity(0, 10, 0, 100) == 0.0  # a word the corpus lacks
    assert specificity(0, 0, 0, 0) == 0.0
    assert list(scores([0, 0], 0, [1, 2], 10)) == [0.0, 0.0]
    assert specificity(7, 50, 7, 50) == 0.0  # the part is the corpus


# --- a corpus whose frequencies are known -----------------------------------------------------

KNOWN = {
    "a1.txt": ("Le Monde", "2026-01-05", "Le chat dort. Le chat mange l'herbe du jardin."),
    "a2.txt": ("Le Monde", "2026-02-10", "Un chien aboie. Le chat dort encore."),
    "a3.txt": ("Libération", "2026-02-11", "Le chien mange. Le chien dort, le chien aboie au jardin."),
    "a4.txt": (None, None, "Le jardin est vide en 2026."),
}


def write_corpus(root: Path) -> Workspace:
    (root / "articles").mkdir(parents=True)
    for name, (source, date, body) in KNOWN.items():
        head = ""
        if source:
            head = f"---\ntitle: {name}\ndate: {date}\nsource: {source}\n---\n"
        (root / "articles" / name).write_text(head + body + "\n", encoding="utf-8")
    return Workspace.resolve(root)


@pytest.fixture
def known(tmp_path, cli) -> Workspace:
    ws = write_corpus(tmp_path)
    assert cli(ws, "index").exit_code == 0
    return ws


def as_json(cli, ws, *args):
    result = cli(ws, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected_counts() -> Counter:
    return sum((form_counts(body) for _, _, body in KNOWN.values()), Counter())


def test_words_lists_the_known_frequencies_and_they_sum_to_the_tokens(cli, known):
    got = as_json(cli, known, "words", "--top", "0")
    assert got["tokens"] == sum(expected_counts().values()) == 33  # "2026" is a number, not a word
    assert {r["word"]: r["f"] for r in got["rows"]} == dict(expected_counts())
    assert sum(r["f"] for r in got["rows"]) == got["tokens"]
    assert got["rows"][:3] == [
        {"word": "le", "f": 7, "articles": 4},
        {"word": "chien", "f": 4, "articles": 2},
        {"word": "chat", "f": 3, "articles": 2},
    ]
    assert {r["word"]: r["articles"] for r in got["rows"]}["jardin"] == 3


def test_words_options_stop_min_top_unit_where_and_csv(cli, known):
    stopped = as_json(cli, known, "words", "--stop", "--top", "0")
    assert {"le", "l'", "du", "au", "un", "en"}.isdisjoint(r["word"] for r in stopped["rows"])
    assert stopped["tokens"] == sum(r["f"] for r in stopped["rows"])
    assert [r["word"] for r in as_json(cli, known, "words", "--min", "3", "--top", "0")["rows"]] == [
        "le",
        "chien",
        "chat",
        "dort",
        "jardin",
    ]
    assert len(as_json(cli, known, "words", "--top", "2")["rows"]) == 2
    lemmas = {
        r["word"]: r["f"] for r in as_json(cli, known, "words", "--unit", "lemma", "--top", "0")["rows"]
    }
    assert lemmas["manger"] == 2 and lemmas["dormir"] == 3
    where = as_json(cli, known, "words", "chien", "--top", "0")  # QUERY: the articles about dogs
    assert {r["word"]: r["f"] for r in where["rows"]}["chat"] == 1
    assert as_json(cli, known, "words", "--where", "source:Libération", "--top", "1")["rows"] == [
        {"word": "chien", "f": 3, "articles": 1}
    ]
    csv = cli(known, "words", "--top", "2", "--csv").stdout.splitlines()
    assert csv == ["word,f,articles", "le,7,4", "chien,4,2"]


def test_specif_parts_add_up_and_scores_are_lafons(cli, known):
    got = as_json(cli, known, "specif", "--by", "source", "--top", "0", "--negative")
    parts = {p["part"]: p for p in got["parts"]}
    assert set(parts) == {"Le Monde", "Libération", None}  # no source: a part of its own, null
    assert sum(p["tokens"] for p in got["parts"]) == got["tokens"] == 33
    T = got["tokens"]
    F = expected_counts()
    for part in got["parts"]:
        scores_ = [r["score"] for r in part["rows"]]
        assert scores_ == sorted(scores_, reverse=True)
        for row in part["rows"]:
            assert row["F"] == F[row["word"]]
            assert row["score"] == pytest.approx(reference(row["f"], part["tokens"], row["F"], T), abs=1e-4)
    chien = next(r for r in parts["Libération"]["rows"] if r["word"] == "chien")
    assert chien["f"] == 3 and chien["score"] > 0


def test_specif_by_a_variable_of_the_users(cli, known):
    assert cli(known, "meta", "a3.txt", "--set", "genre=tribune").exit_code == 0
    got = as_json(cli, known, "specif", "--by", "genre", "--top", "0")
    assert [(p["part"], p["tokens"]) for p in got["parts"]] == [("tribune", 11), (None, 22)]
    chien = next(r for r in got["parts"][0]["rows"] if r["word"] == "chien")
    assert (chien["f"], chien["F"]) == (3, 4)


def test_specif_by_month_and_a_variable_with_one_value(cli, known):
    months = as_json(cli, known, "specif", "--by", "date.month")
    assert [p["part"] for p in months["parts"]] == ["2026-01", "2026-02", None]
    one = cli(known, "specif", "--by", "source", "--where", "source:Libération", "--json")
    assert one.exit_code == 0
    assert "one value" in one.stderr
    assert json.loads(one.stdout)["parts"][0]["rows"] == []
    nothing = cli(known, "specif", "--by", "source", "--where", "zzzzz", "--json")
    assert nothing.exit_code == 0 and json.loads(nothing.stdout)["parts"] == []
    bad = cli(known, "specif", "--by", "genre")
    assert bad.exit_code == 1 and "unknown variable 'genre'" in bad.stderr


def test_cooc_counts_the_words_around_and_takes_bad_windows(cli, known):
    got = as_json(cli, known, "cooc", "chien", "--window", "1", "--top", "0")
    assert got["word"] == "chien" and got["f"] == 4
    cooc = {r["word"]: r["cooc"] for r in got["rows"]}
    # "Un chien aboie" · "Le chien mange" · "Le chien dort, le chien aboie"
    assert cooc == {"un": 1, "aboie": 2, "le": 3, "mange": 1, "dort": 1}
    T = 31
    for row in got["rows"]:
        assert row["f"] == expected_counts()[row["word"]]
    assert got["rows"][0]["score"] >= got["rows"][-1]["score"]
    assert T
    zero = cli(known, "cooc", "chien", "--window", "0", "--json")
    assert zero.exit_code == 0 and json.loads(zero.stdout)["rows"] == [] and "window of 0" in zero.stderr
    wide = as_json(cli, known, "cooc", "chien", "--window", "10000", "--top", "0")
    assert {r["word"] for r in wide["rows"]} >= {"jardin", "chat"}
    too_wide = cli(known, "cooc", "chien", "--window", "10001")
    assert too_wide.exit_code == 1 and "window" in too_wide.stderr
    absent = cli(known, "cooc", "girafe", "--json")
    assert absent.exit_code == 0 and json.loads(absent.stdout) == {"word": "girafe", "f": 0, "rows": []}
    assert "does not occur" in absent.stderr
    empty = cli(known, "cooc", " ")
    assert empty.exit_code == 1 and "give a word" in empty.stderr
    markup = cli(known, "cooc", "[bold]chien")
    assert markup.exit_code == 0 and "Traceback" not in markup.output


def test_ngrams_are_repeated_segments_inside_sentences(cli, known):
    got = as_json(cli, known, "ngrams", "--n", "2", "--top", "0")
    rows = {r["segment"]: (r["f"], r["articles"]) for r in got["rows"]}
    assert rows["le chat"] == (3, 2) and rows["le chien"] == (3, 1)
    assert "dort le" not in rows  # "dort. Le": a sentence ends between them
    assert all(r["f"] >= 2 for r in got["rows"])
    three = as_json(cli, known, "ngrams", "--n", "3", "--min", "1", "--top", "0")
    assert {"le chat dort": (2, 2)}.items() <= {
        r["segment"]: (r["f"], r["articles"]) for r in three["rows"]
    }.items()
    assert "l'herbe du" in {r["segment"] for r in three["rows"]}
    stopped = as_json(cli, known, "ngrams", "--n", "2", "--stop", "--top", "0")
    assert all(not r["segment"].startswith("le ") for r in stopped["rows"])
    for n in ("1", "7"):
        bad = cli(known, "ngrams", "--n", n)
        assert bad.exit_code == 1 and "2 to 6" in bad.stderr


def test_the_counts_are_kept_beside_the_index_and_follow_an_edit(cli, known):
    kept = known.index / "lexicon.sqlite"
    # a build does not count (opening a big folder is not slower for it): the first list does
    assert not kept.exists()
    as_json(cli, known, "words", "--top", "1")
    assert kept.exists()
    (known.articles / "a4.txt").write_text("Le jardin est vide. Un chat passe.\n", encoding="utf-8")
    rows = {r["word"]: r["f"] for r in as_json(cli, known, "words", "--top", "0")["rows"]}
    assert rows["chat"] == 4 and rows["passe"] == 1
    (known.articles / "a4.txt").unlink()
    rows = {r["word"]: r["f"] for r in as_json(cli, known, "words", "--top", "0")["rows"]}
    assert rows["chat"] == 3 and "vide" not in rows


def test_an_index_without_kept_counts_still_lists_the_same(cli, known):
    before = as_json(cli, known, "words", "--top", "0")
    (known.index / "lexicon.sqlite").unlink()
    assert as_json(cli, known, "words", "--top", "0") == before


def test_no_index_yet_is_one_line(cli, tmp_path):
    ws = write_corpus(tmp_path)
    shutil.rmtree(ws.articles)
    ws.articles.mkdir()
    result = cli(ws, "words")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output


@pytest.mark.parametrize("big", [False, True])
def test_the_kept_counts_read_back_exactly(big):
    from tui.lexicon.packing import pack, unpack

    rng = np.random.default_rng(3)
    ids = [int(i) for i in rng.choice(500_000 if big else 30_000, 700, replace=False)]
    ns = [int(n) for n in rng.integers(1, 6, 700)]
    if big:
        ns[5] = 5_000_000  # a word five million times in one file
    got_ids, got_ns = unpack(pack(ids, ns))
    assert dict(zip(got_ids.tolist(), got_ns.tolist(), strict=True)) == dict(zip(ids, ns, strict=True))
    assert [x.size for x in unpack(pack([], []))] == [0, 0]


def test_many_articles_read_back_at_once_as_one_by_one():
    from tui.lexicon.packing import pack, unpack, unpack_all

    rng = np.random.default_rng(5)
    packed = []
    for n, wide in [(0, False), (1, False), (7, True), (300, False), (0, True), (45, False), (9, True)]:
        ids = [int(i) for i in rng.choice(600_000 if wide else 60_000, n, replace=False)]
        counts = [int(c) for c in rng.integers(1, 200, n)]
        if wide and n:
            counts[0] = 70_000  # too many for 16 bits
        packed.append(pack(ids, counts))
    assert [p[2] for p in packed] == [0, 0, 1, 0, 0, 0, 1]
    ids, ns, lengths = unpack_all(packed)
    at = 0
    for one, n in zip(packed, lengths, strict=True):
        want_ids, want_ns = unpack(one)
        assert ids[at : at + n].tolist() == want_ids.tolist() and ns[at : at + n].tolist() == want_ns.tolist()
        at += n


def test_an_empty_part_is_a_note_and_a_part_of_no_tokens(cli, known):
    (known.articles / "a5.txt").write_text(
        "---\ntitle: chiffres\nsource: Vide\n---\n2026 — 12,5 %\n", encoding="utf-8"
    )
    result = cli(known, "specif", "--by", "source", "--json")
    assert result.exit_code == 0, result.output
    parts = {p["part"]: p for p in json.loads(result.stdout)["parts"]}
    assert parts["Vide"]["tokens"] == 0 and parts["Vide"]["rows"] == []
    assert "the part 'Vide' has no words" in result.stderr
    csv = cli(known, "specif", "--by", "source", "--csv").stdout.splitlines()
    assert csv[0] == "part,word,f,F,score" and all(line.count(",") >= 4 for line in csv)
