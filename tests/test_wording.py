"""Counts and quotes in messages: "1 annotation", never "1 annotations" or "passage(s)"."""

from __future__ import annotations

import re

from tui.wording import counted, short

from .conftest import ROOT


def test_counted_says_one_and_many_right():
    assert counted(1, "annotation") == "1 annotation"
    assert counted(0, "annotation") == "0 annotations"
    assert counted(2, "passage") == "2 passages"
    assert counted(12_345, "occurrence") == "12,345 occurrences"


def test_short_keeps_one_line_and_cuts_with_an_ellipsis():
    assert short("un\n  deux\ttrois", 40) == "un deux trois"
    assert short("a" * 50, 10) == "a" * 9 + "…"


def test_no_message_in_the_code_says_s_in_parentheses():
    word_s = re.compile(r"(?<![.\w])(?!len\b|int\b)[a-z]+\(s\)")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (ROOT / "tui").rglob("*.py")
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if word_s.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []


def test_exports_are_not_committed_by_accident():
    assert "/exports/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()
