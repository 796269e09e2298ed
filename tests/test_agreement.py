"""Where coders disagree, on hand-made cases."""

from __future__ import annotations

from tui.agreement import disagreements
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
