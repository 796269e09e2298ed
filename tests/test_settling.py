"""Settling disagreements between coders through the library (no app): adopt, reject and
merge each write one journal event that one undo takes back, across a reopening too."""

from __future__ import annotations

import pytest

from tui.api import Library, Passage
from tui.model import AnnotationFilter, StoreError

ARTICLE = "002"
ONLY_ANA = "Elon Musk a simplement décidé"  # ana codes it, ben does not: adopt
ANA_SPAN = "le réseau social X et son IA Grok"  # ana's and ben's overlap: merge
BEN_SPAN = "réseau social X et son IA Grok sont au cœur"
ONLY_BEN = "des individus malveillants"  # ben codes it alone: reject


def span(lib: Library, quote: str) -> tuple[int, int]:
    text = lib.articles.text(ARTICLE).text
    start = text.index(quote)
    return start, start + len(quote)


def two_coders(ws, first: str = "ana", second: str = "ben") -> None:
    """ana and ben code article 002, each through their own library (as two people do)."""
    with Library(ws, coder=first) as ana:
        ana.annotations.annotate(Passage(ARTICLE, quote=ONLY_ANA), tags=["politique"])
        ana.annotations.annotate(Passage(ARTICLE, quote=ANA_SPAN), tags=["plateforme"])
    with Library(ws, coder=second) as ben:
        ben.annotations.annotate(Passage(ARTICLE, quote=BEN_SPAN), tags=["plateforme"])
        ben.annotations.annotate(Passage(ARTICLE, quote=ONLY_BEN), tags=["abus"])


def found(lib: Library, tag: str) -> list:
    return [d for d in lib.coders.disagreements(["ana", "ben"], article=ARTICLE) if d.tag == tag]


@pytest.fixture
def settler(workspace):
    """Two coders' annotations; the library of a third person who settles (the lead)."""
    two_coders(workspace)
    with Library(workspace, coder="lead") as lib:
        yield lib


def test_adopt_gives_the_coding_to_the_coder_who_had_not_and_one_undo_takes_it_back(settler, workspace):
    (d,) = found(settler, "politique")
    assert d.coded_by == ("ana",) and d.not_coded_by == ("ben",)
    settled = settler.coders.adopt(d)
    (made,) = settled.annotations
    assert (made.start, made.end) == span(settler, ONLY_ANA)
    assert made.coder == "ben" and made.tags == ("politique",)
    assert found(settler, "politique") == []
    event = settler.journal.log(1)[0]
    assert event.kind == "settle" and event.coder == "lead" and event.label == settled.label
    with Library(workspace, coder="lead") as again:  # across a restart
        again.journal.undo()
        assert found(again, "politique") == [d]
        assert not again.annotations.find(coders=["ben"], tag="politique")


def test_reject_takes_the_tag_off_and_an_annotation_with_other_tags_keeps_them(settler):
    (d,) = found(settler, "abus")
    assert d.coded_by == ("ben",)
    settler.coders.reject(d)
    assert found(settler, "abus") == []
    assert [a.exact for a in settler.annotations.find(coders=["ben"], deleted=True)] == [ONLY_BEN]
    settler.journal.undo()
    assert found(settler, "abus") == [d]
    ben_ann = next(a for a in settler.annotations.find(coders=["ben"]) if a.exact == ONLY_BEN)
    settler.annotations.edit(ben_ann.id, add_tags=["témoin"])
    settler.coders.reject(found(settler, "abus")[0])
    kept = settler.annotations.get(ben_ann.id)
    assert kept.deleted is None and kept.tags == ("témoin",)


def test_reject_trims_an_annotation_going_beyond_the_span_on_one_side(settler):
    start, end = span(settler, ANA_SPAN)
    head = next(d for d in found(settler, "plateforme") if d.coded_by == ("ana",))
    assert (head.start, head.end) == (start, span(settler, BEN_SPAN)[0])
    settler.coders.reject(head)
    ana = next(a for a in settler.annotations.find(coders=["ana"]) if "plateforme" in a.tags)
    assert (ana.start, ana.end) == (head.end, end) and ana.status == "anchored"
    assert ana.exact == settler.articles.text(ARTICLE).text[head.end : end]
    settler.journal.undo()
    assert (settler.annotations.get(ana.id).start, settler.annotations.get(ana.id).end) == (start, end)


def test_reject_refuses_to_cut_an_annotation_in_two_and_changes_nothing(workspace):
    with Library(workspace, coder="ana") as ana:
        ana.annotations.annotate(Passage(ARTICLE, quote=BEN_SPAN), tags=["x"])
    with Library(workspace, coder="ben") as ben:
        start, end = span(ben, BEN_SPAN)
        ben.annotations.annotate(Passage(ARTICLE, start=start, end=start + 13), tags=["x"])  # "réseau social"
        ben.annotations.annotate(Passage(ARTICLE, start=end - 12, end=end), tags=["x"])  # "sont au cœur"
        (middle,) = ben.coders.disagreements(["ana", "ben"], article=ARTICLE)
        before = ben.journal.log(1)[0].seq
        with pytest.raises(StoreError, match="both sides"):
            ben.coders.reject(middle)
        assert ben.journal.log(1)[0].seq == before


def test_merge_sets_both_spans_to_their_union_as_one_event(settler):
    start, end = span(settler, ANA_SPAN)[0], span(settler, BEN_SPAN)[1]
    boundary = found(settler, "plateforme")
    assert len(boundary) == 2
    seq = settler.journal.log(1)[0].seq
    settled = settler.coders.merge(boundary[1])
    assert {(a.coder, a.start, a.end) for a in settled.annotations} == {
        ("ana", start, end),
        ("ben", start, end),
    }
    assert found(settler, "plateforme") == []
    assert settler.journal.log(1)[0].seq == seq + 1  # one event for both annotations
    settler.journal.undo()
    assert found(settler, "plateforme") == boundary


def test_merge_needs_an_overlap_and_a_stale_disagreement_is_refused(settler):
    (alone,) = found(settler, "politique")
    with pytest.raises(StoreError, match="adopt"):
        settler.coders.merge(alone)
    settler.coders.adopt(alone)
    with pytest.raises(StoreError, match="no longer"):
        settler.coders.adopt(alone)  # settled already: nothing is written twice


def test_the_list_filters_by_coder(settler):
    mine = settler.annotations.listing(
        AnnotationFilter("article", article="002_00db0d28d759d443.txt", coders=("ben",))
    )
    assert {a.coder for a in mine} == {"ben"} and len(mine) == 2
    assert "by ben" in AnnotationFilter("all", coders=("ben",)).title(2)
    assert len(settler.annotations.listing(AnnotationFilter("all"))) == 4


def test_the_store_creates_in_another_coders_name_and_the_event_stays_the_actors(workspace):
    with Library(workspace, coder="lead") as lib:
        doc = lib.articles.text(ARTICLE)
        start, end = span(lib, ONLY_BEN)
        made = lib.ctx.store.create(doc.id, doc.text, doc.hash, start, end, tags=["abus"], coder="ben")
        assert made.coder == "ben" and lib.journal.log(1)[0].coder == "lead"
        assert lib.ctx.store.create(doc.id, doc.text, doc.hash, start, end).coder == "lead"


# --- adopting leaves one unit where the other coder has one (uα, not only the characters) ----


def units(lib: Library, coder: str, tag: str) -> list[tuple[int, int]]:
    return sorted((a.start, a.end) for a in lib.annotations.find(coders=[coder], tag=tag))


def test_adopting_every_disagreement_brings_every_figure_to_one_alpha_u_too(settler):
    """ana and ben overlap on [plateforme] (a boundary disagreement on each side), and each
    coded a passage alone. Adopting the four disagreements extends the overlapping annotations
    instead of adding touching ones: both coders end with the same units, so uα is 1 as well
    as percent, kappa and alpha (before, adopting gave each coder two touching units where
    the other had one: uα fell while the character figures rose to 1)."""
    before = settler.coders.agreement(["ana", "ben"]).overall.to_json()
    assert before["alpha_u"] < 1
    seq = settler.journal.log(1)[0].seq
    while found_all := settler.coders.disagreements(["ana", "ben"], article=ARTICLE):
        settler.coders.adopt(found_all[0])
    assert settler.journal.log(1)[0].seq == seq + 4  # one event per settle
    for tag in ("plateforme", "politique", "abus"):
        assert units(settler, "ana", tag) == units(settler, "ben", tag)
    assert len(units(settler, "ana", "plateforme")) == 1
    union = span(settler, ANA_SPAN)[0], span(settler, BEN_SPAN)[1]
    assert units(settler, "ben", "plateforme") == [union]
    after = settler.coders.agreement(["ana", "ben"])
    for m in [*after.tags, after.overall]:
        data = m.to_json()
        assert (data["percent"], data["kappa"], data["alpha"], data["alpha_u"]) == (1.0, 1.0, 1.0, 1.0)
    # no annotation changed hands, and each undo takes back exactly its own settle
    assert {a.coder for a in settler.annotations.find(coders=["ben"])} == {"ben"}
    for _ in range(4):
        settler.journal.undo()
    assert settler.coders.agreement(["ana", "ben"]).overall.to_json() == before


def test_adopt_joins_the_two_annotations_around_a_gap_into_one_and_undo_splits_them_again(workspace):
    with Library(workspace, coder="ana") as ana:
        ana.annotations.annotate(Passage(ARTICLE, quote=BEN_SPAN), tags=["x"])
        text_start, text_end = span(ana, BEN_SPAN)
    with Library(workspace, coder="ben") as ben:
        left = ben.annotations.annotate(
            Passage(ARTICLE, start=text_start, end=text_start + 13), tags=["x"], note="gauche"
        )
        right = ben.annotations.annotate(
            Passage(ARTICLE, start=text_end - 12, end=text_end), tags=["X"], note="droite"
        )
        (gap,) = ben.coders.disagreements(["ana", "ben"], article=ARTICLE)
        settled = ben.coders.adopt(gap)
        (kept,) = ben.annotations.find(coders=["ben"])
        assert (kept.id, kept.start, kept.end) == (left.id, text_start, text_end)
        assert kept.note == "gauche\n\ndroite" and kept.status == "anchored"
        assert kept.exact == ben.articles.text(ARTICLE).text[text_start:text_end]
        assert ben.annotations.get(right.id).deleted and len(settled.annotations) == 2
        assert ben.coders.agreement(["ana", "ben"]).overall.to_json()["alpha_u"] == 1.0
        ben.journal.undo()
        assert [(a.id, a.start, a.end, a.note) for a in ben.annotations.find(coders=["ben"])] == [
            (left.id, left.start, left.end, "gauche"),
            (right.id, right.start, right.end, "droite"),
        ]


def test_adopt_keeps_another_tags_span_and_mirrors_touching_units(workspace):
    """ben's neighbour also carries [y]: it keeps its span and [y], and [x] goes to one new
    annotation over the whole unit (extending it would code [y] where nobody did). ana's two
    touching [z] annotations are two units: ben gets two as well."""
    with Library(workspace, coder="ana") as ana:
        start, end = span(ana, BEN_SPAN)
        ana.annotations.annotate(Passage(ARTICLE, start=start, end=end), tags=["x"])
        ana.annotations.annotate(Passage(ARTICLE, start=start, end=start + 13), tags=["z"])
        ana.annotations.annotate(Passage(ARTICLE, start=start + 13, end=end), tags=["z"])
    with Library(workspace, coder="ben") as ben:
        both = ben.annotations.annotate(Passage(ARTICLE, start=start, end=start + 13), tags=["x", "y"])
        for d in ben.coders.disagreements(["ana", "ben"], article=ARTICLE, tags=["x", "z"]):
            ben.coders.adopt(d)
        assert units(ben, "ben", "x") == [(start, end)]
        assert ben.annotations.get(both.id).tags == ("y",) and units(ben, "ben", "y") == [(start, start + 13)]
        assert units(ben, "ben", "z") == [(start, start + 13), (start + 13, end)]
        data = {m.tag: m.to_json() for m in ben.coders.agreement(["ana", "ben"], tags=["x", "z"]).tags}
        assert data["x"]["alpha_u"] == 1.0 and data["z"]["alpha_u"] == 1.0
