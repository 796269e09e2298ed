"""Which articles each coder coded: done marks (``glose done``, ``D`` in the reader), and
agreement with missing data. A coder who has marked articles done did not code the others:
their values there are missing, not "coded nothing". Every figure is checked against an
independent computation: the ``krippendorff`` package with NaN for missing values, Cohen's
kappa by the textbook formula over the units both coders valued, and uα the long way."""

from __future__ import annotations

import json
import random
from itertools import combinations

import pytest

from tui.api import Library
from tui.coders.agreement import measure, present_coders
from tui.store import open_store
from tui.store.copying import snapshot
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS
from .test_agreement import ann, dkpro_alpha_u
from .test_agreement_coders import code_as

A000, A001, A002, A003, A004 = SAMPLE_IDS


# --- the figures with missing values, against independent computations --------------------


def random_study(seed: int):
    """Two to four coders, three articles, each coded by a random subset of the coders (at
    least one), with random annotations of two tags by the coders who coded the article."""
    rng = random.Random(seed)
    coders = [f"c{i}" for i in range(rng.randint(2, 4))]
    lengths = {f"{n}.txt": rng.randint(15, 70) for n in range(3)}
    present = {a: tuple(c for c in coders if rng.random() < 0.7) or (coders[0],) for a in lengths}
    anns = []
    for article, size in lengths.items():
        for k in range(rng.randint(2, 9)):
            start = rng.randrange(size - 1)
            end = rng.randint(start + 1, min(size, start + 25))
            # also annotations by coders who did not code the article: they must not count
            coder = rng.choice(coders)
            anns.append(ann(f"{article}{k}", coder, start, end, rng.choice("xy"), article=article))
    return coders, lengths, present, anns


def matrix_of(anns, coders, lengths, present, tag):
    """coders × characters: 1 or 0 where the coder coded the article, NaN where not."""
    import numpy as np

    offsets, at = {}, 0
    for article, size in lengths.items():
        offsets[article] = at
        at += size
    m = np.full((len(coders), at), np.nan)
    for article, size in lengths.items():
        for c in present[article]:
            m[coders.index(c), offsets[article] : offsets[article] + size] = 0
    for a in anns:
        if tag in a.tags and a.coder in present[a.article]:
            o = offsets[a.article]
            m[coders.index(a.coder), o + a.start : o + a.end] = 1
    return m


@pytest.mark.parametrize("seed", range(40))
def test_alpha_kappa_and_percent_with_missing_values_equal_independent_computations(seed):
    import krippendorff
    import numpy as np

    coders, lengths, present, anns = random_study(seed)
    rows, overall = measure(anns, coders, lengths, tags=["x", "y"], present=present)
    matrices = [matrix_of(anns, coders, lengths, present, t) for t in ("x", "y")]
    for row, m in [*zip(rows, matrices, strict=True), (overall, np.concatenate(matrices, axis=1))]:
        pairable = np.sum(~np.isnan(m), axis=0) >= 2
        values = m[:, pairable]
        assert row.tally.units == values.shape[1]
        if len(np.unique(values[~np.isnan(values)])) == 2:
            assert row.tally.alpha() == pytest.approx(
                krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"), abs=1e-9
            )
        if values.shape[1]:  # percent: every coder who valued the unit says the same
            same = [len(set(col[~np.isnan(col)])) == 1 for col in values.T]
            assert row.tally.percent() == pytest.approx(np.mean(same))
        for i, j in combinations(range(len(coders)), 2):  # Cohen's kappa over units both valued
            both = ~np.isnan(m[i]) & ~np.isnan(m[j])
            a, b = m[i][both], m[j][both]
            assert row.tally.pair_units(i, j) == len(a)
            if not len(a):
                assert row.tally.pair(i, j) == (None, None)
                continue
            po = float(np.mean(a == b))
            pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
            if pe < 1:
                assert row.tally.pair(i, j) == (pytest.approx(po), pytest.approx((po - pe) / (1 - pe)))
        # Fleiss' kappa, by its textbook formula, over the units every coder valued
        full = m[:, ~np.isnan(m).any(axis=0)]
        k, units = full.shape
        ones = full.sum(axis=0)
        p1 = ones.sum() / (units * k) if units else 0
        pe = p1 * p1 + (1 - p1) * (1 - p1)
        if not units or pe >= 1:
            assert row.tally.fleiss() is None
        else:
            p_bar = np.mean((ones**2 + (k - ones) ** 2 - k) / (k * (k - 1)))
            assert row.tally.fleiss() == pytest.approx((p_bar - pe) / (1 - pe))


def long_way_alpha_u(articles) -> float | None:
    """uα with missing data, from Krippendorff's definitions, without Glose's code: articles
    are (length, {coder: units}) for the coders who coded each; every pair of segments of two
    coders is compared (no sweep), every unit against every gap; each article's pairs weigh
    1/(m_a − 1) and the expected disagreement pools the n = Σ m_a·L_a values, as Krippendorff's
    alpha does with missing values (with no value missing: Krippendorff 2004, as DKPro)."""

    def cut(units, size):
        merged = []
        for s, e in sorted(units):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        segs, here = [], 0
        for s, e in merged:
            if s > here:
                segs.append((here, s, False))
            segs.append((s, e, True))
            here = e
        if here < size:
            segs.append((here, size, False))
        return segs

    def delta(g, h):
        (b1, e1, u1), (b2, e2, u2) = g, h
        if u1 and u2:
            return (b1 - b2) ** 2 + (e1 - e2) ** 2
        if u1 and not u2 and b2 <= b1 and e1 <= e2:
            return (e1 - b1) ** 2
        if u2 and not u1 and b1 <= b2 and e2 <= e1:
            return (e2 - b2) ** 2
        return 0

    observed = n = length = 0
    units, gaps = [], []
    for size, coded in articles:
        if len(coded) < 2:
            continue
        cuts = [cut(u, size) for u in coded.values()]
        length += size
        n += len(cuts) * size
        pairs = sum(
            delta(g, h) for a, b in combinations(cuts, 2) for g in a for h in b if g[0] < h[1] and h[0] < g[1]
        )
        observed += pairs / (len(cuts) - 1)
        for segs in cuts:
            units += [e - s for s, e, u in segs if u]
            gaps += [e - s for s, e, u in segs if not u]
    if not units:
        return None
    d_o = 2 * observed / (n * length)
    total = sum(
        (len(units) - 1) * (2 * u**3 - 3 * u**2 + u) / 3 + u * u * sum(g - u + 1 for g in gaps if g >= u)
        for u in units
    )
    d_e = 2 * total / length / (n * (n - 1) - sum(u * (u - 1) for u in units))
    return None if not d_e else 1 - d_o / d_e


@pytest.mark.parametrize("seed", range(30))
def test_alpha_u_with_missing_data_is_the_long_way_computation(seed):
    coders, lengths, present, anns = random_study(seed)
    rows, _ = measure(anns, coders, lengths, tags=["x"], present=present)
    articles = [
        (
            size,
            {
                c: [(a.start, a.end) for a in anns if a.article == art and a.coder == c and "x" in a.tags]
                for c in present[art]
            },
        )
        for art, size in lengths.items()
    ]
    expected = long_way_alpha_u(articles)
    got = rows[0].to_json()["alpha_u"]
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got == pytest.approx(expected, abs=2e-6)


def test_alpha_u_with_a_coder_missing_is_dkpros_without_that_coder():
    """One article coded by a and b, c did not code it: uα is that of a and b alone, as
    DKPro computes it (the long-way port of test_agreement), whatever c annotated there."""
    a_units, b_units = [(10, 40), (60, 70)], [(12, 40), (55, 70)]
    anns = [ann(f"a{k}", "a", s, e, "x") for k, (s, e) in enumerate(a_units)]
    anns += [ann(f"b{k}", "b", s, e, "x") for k, (s, e) in enumerate(b_units)]
    anns += [ann("c0", "c", 0, 100, "x")]
    rows, _ = measure(anns, ["a", "b", "c"], {"a.txt": 100}, present={"a.txt": ("a", "b")})
    reference = dkpro_alpha_u([[(s, e - s) for s, e in a_units], [(s, e - s) for s, e in b_units]], 100)
    assert rows[0].to_json()["alpha_u"] == pytest.approx(reference, abs=1e-6)
    complete, _ = measure([x for x in anns if x.coder != "c"], ["a", "b"], {"a.txt": 100})
    apart = {"coded": None, "pairs": None, "kappa": None, "fleiss_kappa": None}
    assert rows[0].to_json() | apart == complete[0].to_json() | apart
    # with three coders "kappa" is Fleiss': over the units all three valued, of which there are none
    got = rows[0].to_json()
    assert got["kappa"] is None and got["pairs"][0] == complete[0].to_json()["pairs"][0] | {
        "coders": ["a", "b"]
    }
    assert got["coded"] == {"a": 40, "b": 43, "c": 0}


def test_present_coders_a_coder_without_marks_coded_everything():
    present = present_coders(["ana", "ben", "eve"], ["1", "2"], {"ben": {"1"}, "eve": set()})
    assert present == {"1": ("ana", "ben", "eve"), "2": ("ana", "eve")}


# --- glose done, and the agreement it changes ------------------------------------------------

ANA = [(a, 10, 60, "x") for a in (A000, A001, A002, A003, A004)]
BEN = [(A000, 12, 60, "x"), (A001, 10, 60, "x")]


def test_a_coder_who_coded_some_articles_is_missing_on_the_others(cli, indexed):
    """The issue's case: ana coded the five articles, ben two of them, coding as she did
    there. Counted as "ben coded nothing" on the three others, alpha is dragged down; once ben
    marks his two done, they are missing data and alpha is the krippendorff package's with
    NaN for ben there; undo takes the marks back."""
    import krippendorff
    import numpy as np

    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", BEN)
    as_if_nothing = json.loads(cli(indexed, "agreement", "--json").stdout)
    result = cli(indexed, "--coder", "ben", "done", A000[:3], A001[:3])
    assert result.exit_code == 0 and f"{A000}: done for ben" in result.stdout
    data = json.loads(cli(indexed, "agreement", "--json").stdout)
    with Library(indexed) as lib:
        lengths = {a: len(lib.articles.text(a).text) for a in SAMPLE_IDS}
    anns = [ann(f"a{k}", "ana", s, e, t, article=a) for k, (a, s, e, t) in enumerate(ANA)]
    anns += [ann(f"b{k}", "ben", s, e, t, article=a) for k, (a, s, e, t) in enumerate(BEN)]
    present = {a: ("ana", "ben") if a in (A000, A001) else ("ana",) for a in lengths}
    m = matrix_of(anns, ["ana", "ben"], lengths, present, "x")
    reference = krippendorff.alpha(reliability_data=m, level_of_measurement="nominal")
    full = krippendorff.alpha(reliability_data=np.nan_to_num(m), level_of_measurement="nominal")
    assert data["overall"]["alpha"] == pytest.approx(reference, abs=1e-6)
    assert as_if_nothing["overall"]["alpha"] == pytest.approx(full, abs=1e-6)
    assert full < 0.6 < 0.98 < reference
    assert data["units"] == lengths[A000] + lengths[A001]
    assert data["overall"]["pairs"][0]["units"] == lengths[A000] + lengths[A001]
    assert data["covered"]["ben"] == {"by": "done", "articles": [A000, A001], "missing": [A002, A003, A004]}
    assert data["covered"]["ana"]["by"] == "all" and data["covered"]["ana"]["missing"] == []
    assert [d["article"] for d in data["disagreements"]] == [A000]  # none where ben did not code
    shown = cli(indexed, "agreement")
    assert "ben coded 2 of them (marked done)" in shown.stdout and A002 in shown.stdout
    assert "3 articles coded by fewer than two coders" in shown.stderr
    rows = cli(indexed, "agreement", "--csv").stdout.splitlines()
    assert sum(r.startswith("missing,") for r in rows) == 3
    # one event, ben's, that undo reverts
    assert cli(indexed, "--coder", "ben", "undo").exit_code == 0
    assert json.loads(cli(indexed, "agreement", "--json").stdout)["overall"] == as_if_nothing["overall"]


def test_annotations_on_an_article_not_marked_done_do_not_count_and_the_note_says_so(cli, indexed):
    code_as(indexed, "ana", ANA[:2])
    code_as(indexed, "ben", BEN)
    cli(indexed, "--coder", "ben", "done", A000)
    result = cli(indexed, "agreement", "--json")
    assert "1 annotation by ben not counted" in result.stderr
    assert [d["article"] for d in json.loads(result.stdout)["disagreements"]] == [A000]
    # a coder with no annotation at all who marked articles done coded nothing there
    cli(indexed, "--coder", "eve", "done", A000)
    data = json.loads(cli(indexed, "agreement", "--json", "--coders", "ana,eve").stdout)
    assert data["overall"]["coded"] == {"ana": 50, "eve": 0} and data["covered"]["eve"]["articles"] == [A000]


def test_done_marks_list_unmark_undo_and_redo_on_each_store(store_backend, workspace, cli):
    """The marks are in the store (SQLite or a team's PostgreSQL), each change one journal
    event of the actor's, for any coder's name."""
    with Library(workspace, coder="lead") as lib:
        assert lib.coders.mark_done([A000, A001], coder="ben") == [A000, A001]
        assert lib.coders.mark_done([A000], coder="ben") == []  # already: nothing written
        event = lib.journal.log(1)[0]
        assert (event.kind, event.coder, len(event.changes)) == ("done", "lead", 2)
        assert set(lib.coders.done_marks()["ben"]) == {A000, A001}
        assert lib.coders.toggle_done(A002) is True and set(lib.coders.done_marks()["lead"]) == {A002}
        lib.journal.undo()
        assert "lead" not in lib.coders.done_marks()
        lib.journal.redo()
        assert set(lib.coders.done_marks()["lead"]) == {A002}
    listed = json.loads(cli(workspace, "done", "--list", "--json").stdout)
    assert set(listed) == {"ben", "lead"} and set(listed["ben"]) == {A000, A001}
    assert "ben: 2 articles done" in cli(workspace, "done", "--list").stdout
    result = cli(workspace, "--coder", "lead", "done", A000, "--coder", "ben", "--unmark")
    assert result.exit_code == 0 and f"{A000}: not done for ben" in result.stdout
    assert cli(workspace, "--coder", "lead", "undo").exit_code == 0
    with Library(workspace) as lib:
        assert set(lib.coders.done_marks()["ben"]) == {A000, A001}


def test_done_refuses_bad_input_with_one_line(cli, workspace):
    assert cli(workspace, "done").exit_code == 2
    missing = cli(workspace, "done", "nope")
    assert (
        missing.exit_code == 1 and missing.stderr.startswith("glose: ") and "Traceback" not in missing.output
    )
    assert cli(workspace, "done", A000, "--list").exit_code == 2


def test_store_migrate_copies_the_done_marks(workspace, pg_url, cli):
    with Library(workspace, coder="ana") as lib:
        lib.coders.mark_done([A000, A003])
        before = snapshot(lib.ctx.store)
    assert before["done"] and cli(workspace, "store", "migrate", pg_url).exit_code == 0
    with open_store(pg_url, workspace.db) as shared:
        assert snapshot(shared) == before


async def test_d_in_the_reader_marks_the_open_article_done_and_u_undoes_it(indexed):
    from .app_helpers import make_app, ready, search_and_open

    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "grok")
        article = app.reader.article_id
        await pilot.press("D")
        await app.workers.wait_for_complete()
        await pilot.pause()
        with Library(Workspace.resolve(indexed.root)) as lib:
            assert article in lib.coders.done_marks().get(app.lib.coder, {})
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        with Library(Workspace.resolve(indexed.root)) as lib:
            assert article not in lib.coders.done_marks().get(app.lib.coder, {})
