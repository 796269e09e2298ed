"""Where coders disagree and how far they agree: hand-computed cases, published worked
examples, the ``krippendorff`` package, and the command on real workspaces."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from tui.coders.agreement import disagreements, measure
from tui.coders.unitizing import Unitizing, pooled_alpha, segments
from tui.model import Annotation


def ann(ident, coder, start, end, *tags, article="a.txt", status="anchored"):
    return Annotation(
        id=ident,
        article=article,
        start=start,
        end=end,
        exact="x" * (end - start),
        prefix="",
        suffix="",
        article_hash="h",
        tags=tags,
        coder=coder,
        status=status,
    )


def test_a_span_coded_by_one_coder_only_is_a_disagreement_and_shared_parts_are_not():
    found = disagreements([ann("1", "ana", 10, 30, "x"), ann("2", "ben", 20, 40, "X")], ["ana", "ben"])
    assert [(d.start, d.end, d.coded_by, d.not_coded_by, d.annotations) for d in found] == [
        (10, 20, ("ana",), ("ben",), ("1",)),
        (30, 40, ("ben",), ("ana",), ("2",)),
    ]
    assert {d.tag for d in found} == {"x"}  # tags compare case-insensitively


def test_same_spans_agree_and_other_tags_other_articles_and_orphans_are_apart():
    anns = [
        ann("1", "ana", 0, 5, "x", "y"),
        ann("2", "ben", 0, 5, "x"),
        ann("3", "ana", 0, 5, "x", article="b.txt"),
        ann("4", "ben", 50, 60, "x", status="orphaned"),
        ann("5", "eve", 70, 80, "x"),  # not among the compared coders
    ]
    found = disagreements(anns, ["ana", "ben"])
    assert [(d.article, d.tag, d.start, d.end, d.coded_by) for d in found] == [
        ("a.txt", "y", 0, 5, ("ana",)),
        ("b.txt", "x", 0, 5, ("ana",)),
    ]
    assert disagreements(anns, ["ana", "ben"], tags=["y"])[0].tag == "y"


def test_one_coders_overlapping_annotations_count_once_and_three_coders_split_by_who():
    anns = [
        ann("1", "ana", 0, 10, "x"),
        ann("2", "ana", 5, 15, "x"),
        ann("3", "ben", 0, 15, "x"),
        ann("4", "eve", 0, 5, "x"),
    ]
    found = disagreements(anns, ["ana", "ben", "eve"])
    assert [(d.start, d.end, d.coded_by, d.not_coded_by) for d in found] == [
        (5, 15, ("ana", "ben"), ("eve",)),
    ]
    assert found[0].annotations == ("1", "2", "3")


# --- the measures, on hand-computed cases ------------------------------------------------------


def figures(anns, coders, lengths, tags=None):
    """Each tag's (percent, kappa, alpha), and the pooled row's, as --json gives them."""
    rows, overall = measure(anns, coders, lengths, tags)
    pick = lambda m: (m["percent"], m["kappa"], m["alpha"])  # noqa: E731
    return {m.tag: pick(m.to_json()) for m in rows}, pick(overall.to_json()), overall


def test_half_overlapping_spans_agree_by_chance_only():
    """20 characters; ana codes 0-10, ben 5-15: 5 both, 5 each alone, 5 neither.
    po = 10/20 = 0.5; both code half the units so pe = .5·.5 + .5·.5 = 0.5 and κ = 0.
    α: n = 40 values, n₁ = n₀ = 20, o₀₁ = 10 units with one 1 and one 0 → 1 − 39·10/400."""
    per_tag, _, _ = figures(
        [ann("1", "ana", 0, 10, "x"), ann("2", "ben", 5, 15, "x")], ["ana", "ben"], {"a.txt": 20}
    )
    assert per_tag == {"x": (0.5, 0.0, pytest.approx(0.025))}


def test_a_span_inside_another():
    """10 characters; ana 0-4, ben 0-2: n11 = 2, n10 = 2, n00 = 6. po = 0.8; p(ana) = .4,
    p(ben) = .2, pe = .08 + .48 = .56, κ = .24/.44. α = 1 − 19·2/(14·6) = 1 − 38/84; Scott's
    pi (Fleiss with two coders): p₁ = 6/20, pe = .09 + .49, P̄ = 0.8, π = .22/.42."""
    anns = [ann("1", "ana", 0, 4, "x"), ann("2", "ben", 0, 2, "x")]
    per_tag, _, overall = figures(anns, ["ana", "ben"], {"a.txt": 10})
    assert per_tag["x"] == (0.8, pytest.approx(0.24 / 0.44, abs=1e-6), pytest.approx(1 - 38 / 84, abs=1e-6))
    assert overall.tally.fleiss() == pytest.approx(0.22 / 0.42)
    assert overall.to_json()["coded"] == {"ana": 4, "ben": 2} and overall.to_json()["coded_by_all"] == 2


def test_cohens_kappa_of_the_textbook_example():
    """Wikipedia, "Cohen's kappa", worked example: 50 proposals, both yes 20, A yes B no 5,
    A no B yes 10, both no 15: po = 0.7, pe = 0.5, κ = 0.4. As 50 characters."""
    anns = [ann("1", "a", 0, 25, "x"), ann("2", "b", 0, 20, "x"), ann("3", "b", 25, 35, "x")]
    per_tag, _, _ = figures(anns, ["a", "b"], {"a.txt": 50})
    assert per_tag["x"][:2] == (0.7, pytest.approx(0.4))


def test_krippendorffs_alpha_of_his_binary_example():
    """Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section A, binary
    data, two observers, ten units: A = 0100000010, B = 1110010000 → α = 0.095."""
    anns = [
        ann("1", "A", 1, 2, "x"),
        ann("2", "A", 8, 9, "x"),
        ann("3", "B", 0, 3, "x"),
        ann("4", "B", 5, 6, "x"),
    ]
    per_tag, _, _ = figures(anns, ["A", "B"], {"a.txt": 10})
    assert round(per_tag["x"][2], 3) == 0.095


def test_pooled_units_are_characters_times_tags_and_an_unused_tag_agrees_trivially():
    anns = [
        ann("1", "ana", 0, 10, "x"),
        ann("2", "ben", 5, 15, "x"),
        ann("3", "ana", 0, 20, "y"),
        ann("4", "ben", 0, 20, "y"),
    ]
    per_tag, pooled, overall = figures(anns, ["ana", "ben"], {"a.txt": 20}, tags=["x", "Y", "z"])
    # (named as the coders wrote it) both coded everything: nothing varies, κ and α undefined
    assert per_tag["y"] == (1.0, None, None)
    assert per_tag["z"] == (1.0, None, None)  # nobody used it
    assert overall.tally.units == 60 and pooled[0] == pytest.approx(50 / 60)
    # ana: 10 + 20 coded of 60, ben the same; both 5 + 20: po = 50/60, p = 0.5 each → κ = 2/3
    assert pooled[1] == pytest.approx(2 / 3)


def test_units_beyond_the_text_and_other_articles_do_not_count():
    anns = [
        ann("1", "ana", 5, 30, "x"),
        ann("2", "ben", 5, 10, "x"),
        ann("3", "ben", 0, 5, "x", article="gone.txt"),
    ]
    rows, _ = measure(anns, ["ana", "ben"], {"a.txt": 10})
    assert rows[0].to_json()["coded"] == {"ana": 5, "ben": 5} and rows[0].tally.units == 10


# --- against an established implementation ----------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_alpha_equals_the_krippendorff_package_on_character_units(seed):
    """The ``krippendorff`` package (Castro, PyPI, a test dependency) computes nominal alpha
    from a coders × units matrix: here every character of two articles, 1 where the coder's
    annotations with the tag cover it. Two to four coders, overlapping spans, pooled too."""
    import krippendorff
    import numpy as np

    rng = random.Random(seed)
    coders = [f"c{i}" for i in range(rng.randint(2, 4))]
    lengths = {"a.txt": rng.randint(20, 80), "b.txt": rng.randint(20, 80)}
    anns = []
    for n in range(rng.randint(4, 14)):
        article = rng.choice(sorted(lengths))
        start = rng.randrange(lengths[article] - 1)
        end = rng.randint(start + 1, min(lengths[article], start + 30))
        anns.append(ann(str(n), rng.choice(coders), start, end, rng.choice("xy"), article=article))
    rows, overall = measure(anns, coders, lengths, tags=["x", "y"])
    matrices = []
    for tag in ("x", "y"):
        matrix = np.zeros((len(coders), sum(lengths.values())))
        for a in anns:
            if tag in a.tags:
                at = 0 if a.article == "a.txt" else lengths["a.txt"]
                matrix[coders.index(a.coder), at + a.start : at + a.end] = 1
        matrices.append(matrix)
    for row, matrix in zip(rows, matrices, strict=True):
        if len(np.unique(matrix)) == 2:
            assert row.tally.alpha() == pytest.approx(
                krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
            )
        # Cohen's kappa of the first pair, from the matrix by the textbook formula
        a, b = matrix[0], matrix[1]
        po = float(np.mean(a == b))
        pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        if pe < 1:
            assert row.tally.pair(0, 1) == (pytest.approx(po), pytest.approx((po - pe) / (1 - pe)))
    pooled = np.concatenate(matrices, axis=1)
    if len(np.unique(pooled)) == 2:
        assert overall.tally.alpha() == pytest.approx(
            krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal")
        )


def test_thousands_of_articles_are_swept_by_runs():
    """5,000 articles of 5,000 characters, 4 annotations each by two coders: the units are
    counted from the annotations' boundaries (this would be 25 million characters one by one)."""
    lengths = {f"{n:04d}.txt": 5000 for n in range(5000)}
    anns = [
        ann(f"{a}-{k}", coder, 100 * k + shift, 100 * k + shift + 300, "x", article=a)
        for a in lengths
        for k, (coder, shift) in enumerate([("ana", 0), ("ben", 50), ("ana", 1000), ("ben", 1000)])
    ]
    rows, _ = measure(anns, ["ana", "ben"], lengths)
    assert rows[0].tally.units == 25_000_000 and rows[0].to_json()["coded"]["ana"] == 5000 * 600
    # uα from the 20,000 units' boundaries: every article alike, the same cuts 5,000 times
    u = Unitizing(2)
    cuts = [segments([(0, 300), (1200, 1500)], 5000), segments([(150, 450), (1300, 1600)], 5000)]
    for _ in lengths:
        u.add(cuts, 5000)
    assert (
        rows[0].to_json()["alpha_u"] == round(u.alpha(), 6) and rows[0].to_json()["alpha_u_units"] == 20_000
    )


# --- Krippendorff's alpha for unitized data (uα) ------------------------------------------------
#
# Worked numbers from DKPro Agreement (dkpro/dkpro-statistics at commit
# f7f4f89136659c50f175ac8db7bfdfc3875b07db, dkpro-statistics-agreement/src/test/java/org/dkpro/
# statistics/agreement/unitizing/): Krippendorff2004Test, UnitizingAgreementTest and
# Krippendorff1995Test, which reproduce Krippendorff's published examples; tolerances as there.


def unitized(units, coders, length, *, begin=0):
    """The uα sums for each category of ``units`` (begin, length, coder index, category), as
    DKPro's ``UnitizingAnnotationStudy(coders, begin, length)`` holds them."""
    found = {}
    for tag in sorted({u[3] for u in units}):
        u = Unitizing(coders)
        cut = [
            [(b - begin, b - begin + n) for b, n, r, c in units if r == i and c == tag] for i in range(coders)
        ]
        u.add([segments(c, length) for c in cut], length)
        found[tag] = u
    return found


def by_annotations(units, names, length):
    """The same study through ``measure``: coder i is ``names[i]``, one article of ``length``."""
    anns = [ann(f"{k}", names[r], b, b + n, c) for k, (b, n, r, c) in enumerate(units)]
    rows, overall = measure(anns, names, {"a.txt": length})
    return {m.tag: m.to_json() for m in rows}, overall.to_json()


KRIPPENDORFF_2004 = [  # Content Analysis (2004), p. 254; the continuum is [150, 450)
    (225, 70, 0, "c"),
    (370, 30, 0, "c"),
    (220, 80, 1, "c"),
    (355, 20, 1, "c"),
    (400, 20, 1, "c"),
    (180, 60, 0, "k"),
    (300, 50, 0, "k"),
    (180, 60, 1, "k"),
    (300, 50, 1, "k"),
]


def test_alpha_u_of_krippendorffs_2004_example():
    """Krippendorff2004Test: c: uDo 0.0144, uDe 0.0532, uα 0.7286; k: 0, 0.0490, 1.0; over
    both categories 0.8591 (± 0.0005)."""
    found = unitized(KRIPPENDORFF_2004, 2, 300, begin=150)
    c, k = found["c"], found["k"]
    assert c.observed() == pytest.approx(0.0144, abs=1e-4)
    assert c.expected() == pytest.approx(0.0532, abs=1e-4)
    assert c.alpha() == pytest.approx(0.7286, abs=1e-4)
    assert (k.observed(), round(k.expected(), 4), k.alpha()) == (0.0, 0.0490, 1.0)
    assert pooled_alpha(found.values()) == pytest.approx(0.8591, abs=5e-4)
    # the long-way port the random cases below are checked against gives it too
    assert dkpro_alpha_u([[(75, 70), (220, 30)], [(70, 80), (205, 20), (250, 20)]], 300) == pytest.approx(
        c.alpha(), abs=1e-12
    )
    # the same through annotations of two coders on a 300-character article
    shifted = [(b - 150, n, r, c) for b, n, r, c in KRIPPENDORFF_2004]
    tags, overall = by_annotations(shifted, ["i", "j"], 300)
    assert tags["c"]["alpha_u"] == pytest.approx(0.7286, abs=1e-4) and tags["k"]["alpha_u"] == 1.0
    assert overall["alpha_u"] == pytest.approx(0.8591, abs=5e-4)
    assert (tags["c"]["alpha_u_units"], tags["k"]["alpha_u_units"], overall["alpha_u_units"]) == (5, 4, 9)


def test_alpha_u_of_dkpros_own_example_and_a_single_unit():
    """UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1---: uDo 0.9100, uDe 0.5351, uα
    −0.7003; one unit of length 1 by one of three coders on 20: uα 0 (uDo = uDe)."""
    a = unitized([(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"), (6, 1, 1, "A")], 2, 10)["A"]
    assert a.observed() == pytest.approx(0.9100, abs=1e-4)
    assert a.expected() == pytest.approx(0.5351, abs=1e-4)
    assert a.alpha() == pytest.approx(-0.7003, abs=1e-4)
    assert unitized([(0, 1, 0, "X")], 3, 20)["X"].alpha() == pytest.approx(0.0, abs=1e-12)


KRIPPENDORFF_1995 = [  # "On the reliability of unitizing continuous data" (1995), p. 57, on 24
    *[(2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A")],
    *[(0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B")],
    *[(5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B")],
    *[(2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C")],
    *[(4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C")],
    *[(0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D")],
    *[(0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D")],
]


def test_alpha_u_of_krippendorffs_1995_example():
    """Krippendorff1995Test: the observed disagreement on the 24-unit continuum, then the
    published expected disagreement and uα with the continuum stretched 50,000 times (the
    paper's De is approximate, hence DKPro's tolerances), and C halved (exact: 0.05494)."""
    observed = {t: u.observed() for t, u in unitized(KRIPPENDORFF_1995, 2, 24).items()}
    assert observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=1e-5)
    stretch = 50_000
    wide = [(b * stretch, n * stretch, r, c) for b, n, r, c in KRIPPENDORFF_1995]
    found = unitized(wide, 2, 24 * stretch)
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alphas = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for tag, u in found.items():
        assert u.expected() == pytest.approx(expected[tag], abs=5e-3)
        assert u.alpha() == pytest.approx(alphas[tag], abs=2e-2)
    halved = [(b // 2, n // 2, r, c) for b, n, r, c in KRIPPENDORFF_1995 if c == "C"]
    assert unitized(halved, 2, 12)["C"].expected() == pytest.approx(0.05494, abs=1e-5)


def test_alpha_u_hand_computed_cases():
    # identical codings, two or three coders: 1
    same = [ann(f"{c}{k}", c, s, e, "x") for c in "abc" for k, (s, e) in enumerate([(2, 5), (7, 9)])]
    for coders in (["a", "b"], ["a", "b", "c"]):
        rows, _ = measure(same, coders, {"a.txt": 20})
        assert rows[0].to_json()["alpha_u"] == 1.0 and rows[0].to_json()["alpha_u_units"] == 2 * len(coders)
    # a codes [0, 2) of 10, b nothing: uDo = 2·2²/(2·10²) = 0.04; gaps ≥ 2: a's 8, b's 10, so
    # uDe = (2/10)·2²·((8 − 2 + 1) + (10 − 2 + 1)) / (2·10·(2·10 − 1) − 2·1) = 12.8/378
    rows, _ = measure([ann("1", "a", 0, 2, "x")], ["a", "b"], {"a.txt": 10})
    assert rows[0].to_json()["alpha_u"] == pytest.approx(1 - 0.04 * 378 / 12.8) == -0.18125
    # docs/AGREEMENT.md's worked example: Ana [100, 300), Ben [150, 320) of 3,200
    u = Unitizing(2)
    u.add([segments([(100, 300)], 3200), segments([(150, 320)], 3200)], 3200)
    assert u.disagreement == 50**2 + 20**2 and sorted(u.gaps.elements()) == [100, 150, 2880, 2900]
    assert (round(u.observed(), 6), round(u.expected(), 6), round(u.alpha(), 3)) == (
        0.000283,
        0.005826,
        0.951,
    )
    # nobody coded the tag, or one coder only: nothing to compare
    rows, overall = measure([ann("1", "a", 0, 2, "x")], ["a", "b"], {"a.txt": 10}, tags=["y"])
    assert rows[0].to_json()["alpha_u"] is None and overall.to_json()["alpha_u"] is None
    rows, _ = measure([ann("1", "a", 0, 2, "x")], ["a"], {"a.txt": 10})
    assert rows[0].to_json()["alpha_u"] is None


def test_alpha_u_merges_a_coders_overlapping_units_and_keeps_touching_ones_apart():
    lengths = {"a.txt": 30}
    merged = [ann("1", "a", 2, 8, "x"), ann("2", "a", 5, 12, "x"), ann("3", "b", 3, 12, "x")]
    single = [ann("1", "a", 2, 12, "x"), ann("3", "b", 3, 12, "x")]
    touching = [ann("1", "a", 2, 8, "x"), ann("2", "a", 8, 12, "x"), ann("3", "b", 3, 12, "x")]
    one = measure(single, ["a", "b"], lengths)[0][0].to_json()
    assert measure(merged, ["a", "b"], lengths)[0][0].to_json() == one | {"alpha_u_units": 2}
    split = measure(touching, ["a", "b"], lengths)[0][0].to_json()
    assert split["alpha_u_units"] == 3 and split["alpha_u"] != one["alpha_u"]
    assert split["alpha"] == one["alpha"]  # the characters are the same


def test_alpha_u_over_articles_does_not_depend_on_their_order_and_gaps_end_with_them():
    anns = [
        ann("1", "a", 0, 5, "x", article="p.txt"),
        ann("2", "b", 1, 5, "x", article="p.txt"),
        ann("3", "a", 10, 20, "x", article="q.txt"),
        ann("4", "b", 12, 20, "x", article="q.txt"),
    ]
    sizes = {"p.txt": 40, "q.txt": 25, "r.txt": 50}
    first = measure(anns, ["a", "b"], sizes)[0][0].to_json()["alpha_u"]
    assert first == measure(anns, ["a", "b"], dict(reversed(sizes.items())))[0][0].to_json()["alpha_u"]
    # the same sums by hand: each article its own cut, the uncoded one a gap per coder
    u = Unitizing(2)
    u.add([segments([(0, 5)], 40), segments([(1, 5)], 40)], 40)
    u.add([segments([(10, 20)], 25), segments([(12, 20)], 25)], 25)
    u.add([segments([], 50), segments([], 50)], 50)
    assert u.gaps == {35: 2, 1: 1, 10: 1, 12: 1, 5: 2, 50: 2} and u.length == 115
    assert first == round(u.alpha(), 6)


def dkpro_alpha_u(units: list[list[tuple[int, int]]], size: int) -> float | None:
    """A line-by-line port of DKPro's ``calculateCategoryAgreement`` (one category, continuum
    [0, size), ``units[r]`` rater r's non-overlapping (begin, length), sorted): its sweep over
    each pair of raters and its loop over every unit and every gap, without Glose's shortcuts."""

    def distance(o1, l1, c1, o2, l2, c2):
        begin, diff = o1 - o2, l1 - l2
        if c1 and c2 and -l1 < begin < l2:
            return begin * begin + (begin + diff) ** 2
        if c1 and not c2 and -diff >= begin >= 0:
            return l1 * l1
        if c2 and not c1 and -diff <= begin <= 0:
            return l2 * l2
        return 0

    raters = len(units)
    observed = 0
    for r1, r2 in combinations(range(raters), 2):
        next1, next2 = iter(units[r1]), iter(units[r2])
        n1, n2 = next(next1, None), next(next2, None)
        o1 = l1 = o2 = l2 = pos = 0
        c1 = c2 = False
        while pos < size and (n1 is not None or n2 is not None):
            if pos == o1 + l1:
                if n1 is not None and pos == n1[0]:
                    l1, c1, n1 = n1[1], True, next(next1, None)
                else:
                    l1, c1 = (n1[0] if n1 is not None else size) - pos, False
                o1 = pos
            if pos == o2 + l2:
                if n2 is not None and pos == n2[0]:
                    l2, c2, n2 = n2[1], True, next(next2, None)
                else:
                    l2, c2 = (n2[0] if n2 is not None else size) - pos, False
                o2 = pos
            observed += distance(o1, l1, c1, o2, l2, c2)
            pos = min(o1 + l1, o2 + l2)
    d_o = 2 * observed / (raters * (raters - 1) * size * size)
    every = [n for rater in units for _, n in rater]
    gaps = []
    for rater in units:
        here = 0
        for begin, n in rater:
            gaps += [begin - here] if begin > here else []
            here = begin + n
        gaps += [size - here] if here < size else []
    total = 0.0
    for n in every:
        total += (len(every) - 1) * (2 * n**3 - 3 * n**2 + n) / 3
        total += n * n * sum(g - n + 1 for g in gaps if g >= n)
    squared = sum(n * (n - 1) for n in every)
    d_e = total * 2 / size / (raters * size * (raters * size - 1) - squared)
    return None if not d_e else 1 - d_o / d_e


@pytest.mark.parametrize("seed", range(30))
def test_alpha_u_equals_dkpros_computation_on_random_codings(seed):
    """Random codings by two to four coders, with overlapping and touching annotations: Glose's
    uα (merged units, suffix sums, segment pairs) is DKPro's, computed the long way."""
    rng = random.Random(seed)
    size = rng.randint(20, 400)
    coders = [f"c{i}" for i in range(rng.randint(2, 4))]
    anns = []
    for coder in coders:
        for k in range(rng.randint(0, 6)):
            start = rng.randrange(size)
            anns.append(ann(f"{coder}{k}", coder, start, min(size, start + rng.randint(1, 60)), "x"))
    rows, _ = measure(anns, coders, {"a.txt": size}, tags=["x"])
    units = []
    for coder in coders:
        mine = [(a.start, a.end) for a in anns if a.coder == coder]
        units.append([(s, e - s) for s, e, coded in segments(mine, size) if coded])
    expected = dkpro_alpha_u(units, size)
    got = rows[0].to_json()["alpha_u"]
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got == pytest.approx(expected, abs=2e-6)
    assert rows[0].to_json()["alpha_u_units"] == sum(map(len, units))
