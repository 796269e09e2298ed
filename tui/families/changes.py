"""What a copy changed in its source: the passages it cut, added, reworded and moved.

The two texts are aligned as side by side aligns them (shared passages of at least
:data:`.grouping.MIN_WORDS` words, a few differing words bridged). Words of the source in no
shared passage were **cut**; words of the copy in none were **added** — unless a cut stretch
and an added one are near each other in wording (at least :data:`NEAR` of their words in
common, in order), which makes them one **reworded** passage, with its word-level diff. The
words a shared passage bridged are reworded too. A shared passage the copy carries out of
the source's order was **moved**.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..text.passages import Token, shared_word_spans, tokens
from .grouping import MIN_WORDS

NEAR = 0.5


@dataclass(frozen=True)
class Stretch:
    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Reworded:
    source: Stretch
    copy: Stretch
    diff: tuple[dict, ...]  # {"op": equal|replace|delete|insert, "source": …, "text": …}

    def to_json(self) -> dict:
        return {
            "source_text": self.source.text,
            "source_start": self.source.start,
            "source_end": self.source.end,
            "text": self.copy.text,
            "start": self.copy.start,
            "end": self.copy.end,
            "diff": list(self.diff),
        }


@dataclass(frozen=True)
class Moved:
    source: Stretch
    copy: Stretch

    def to_json(self) -> dict:
        return {
            "text": self.copy.text,
            "start": self.copy.start,
            "end": self.copy.end,
            "source_start": self.source.start,
            "source_end": self.source.end,
        }


@dataclass
class Changes:
    """What one copy changed; offsets: ``cut`` and ``source`` sides in the source's text, the
    others in the copy's."""

    cut: list[Stretch] = field(default_factory=list)
    added: list[Stretch] = field(default_factory=list)
    reworded: list[Reworded] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "cut": [c.to_json() for c in self.cut],
            "added": [a.to_json() for a in self.added],
            "reworded": [r.to_json() for r in self.reworded],
            "moved": [m.to_json() for m in self.moved],
        }

    def marks(self) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
        """(source marks, copy marks): (start, end, kind) in each text's order, kind one of
        cut, added, reworded, moved — what the reader paints and steps through."""
        left = [(c.start, c.end, "cut") for c in self.cut]
        left += [(r.source.start, r.source.end, "reworded") for r in self.reworded]
        left += [(m.source.start, m.source.end, "moved") for m in self.moved]
        right = [(a.start, a.end, "added") for a in self.added]
        right += [(r.copy.start, r.copy.end, "reworded") for r in self.reworded]
        right += [(m.copy.start, m.copy.end, "moved") for m in self.moved]
        return sorted(left), sorted(right)


def _stretch(text: str, toks: list[Token], first: int, last: int) -> Stretch:
    start, end = toks[first].start, toks[last].end
    return Stretch(text[start:end], start, end)


def _gaps(covered: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of uncovered words: (first, last)."""
    out, first = [], None
    for i, hit in enumerate([*covered, True]):
        if not hit and first is None:
            first = i
        elif hit and first is not None:
            out.append((first, i - 1))
            first = None
    return out


def _diff(sa: str, ta: list[Token], a0: int, a1: int, sb: str, tb: list[Token], b0: int, b1: int):
    """The word-level diff of two stretches: ops with the original wording of each side."""

    def words(text, toks, i, j):  # words i..j-1 as written (with what lies between them)
        return text[toks[i].start : toks[j - 1].end] if j > i else ""

    na, nb = [t.norm for t in ta[a0 : a1 + 1]], [t.norm for t in tb[b0 : b1 + 1]]
    ops = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, na, nb, autojunk=False).get_opcodes():
        ops.append(
            {"op": op, "source": words(sa, ta, a0 + i1, a0 + i2), "text": words(sb, tb, b0 + j1, b0 + j2)}
        )
    return tuple(ops)


def _ratio(ta: list[Token], a: tuple[int, int], tb: list[Token], b: tuple[int, int]) -> float:
    na = [t.norm for t in ta[a[0] : a[1] + 1]]
    nb = [t.norm for t in tb[b[0] : b[1] + 1]]
    return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()


def _in_order(values: list[int]) -> set[int]:
    """Indices of a longest increasing subsequence of ``values`` (the passages kept in order)."""
    import bisect

    tails: list[int] = []
    where: list[int] = []
    back = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left([values[t] for t in tails], v)
        if k == len(tails):
            tails.append(i)
        else:
            tails[k] = i
        back[i] = tails[k - 1] if k else -1
        where.append(k)
    out, at = set(), tails[-1] if tails else -1
    while at >= 0:
        out.add(at)
        at = back[at]
    return out


def changes(source: str, copy: str) -> Changes:
    """What ``copy`` changed in ``source``, each kind in its text's order."""
    ta, tb = tokens(source), tokens(copy)
    spans = shared_word_spans([t.norm for t in ta], [t.norm for t in tb], MIN_WORDS)
    hit_a, hit_b = [False] * len(ta), [False] * len(tb)
    out = Changes()
    for a0, a1, b0, b1, exact in spans:
        hit_a[a0 : a1 + 1] = [True] * (a1 - a0 + 1)
        hit_b[b0 : b1 + 1] = [True] * (b1 - b0 + 1)
        if not exact:  # the words it bridged
            for op in _diff(source, ta, a0, a1, copy, tb, b0, b1):
                if op["op"] != "equal":
                    out.reworded.append(_bridged(source, ta, a0, a1, copy, tb, b0, b1, op))
    kept = _in_order([b0 for _a0, _a1, b0, _b1, _e in spans])
    for n, (a0, a1, b0, b1, _exact) in enumerate(spans):
        if n not in kept:
            out.moved.append(Moved(_stretch(source, ta, a0, a1), _stretch(copy, tb, b0, b1)))
    cut, added = _gaps(hit_a), _gaps(hit_b)
    # a cut and an added stretch between the same two shared passages, inside paragraphs,
    # replaced one another (a phrase rewritten); elsewhere, wording decides
    before_a = {a1: n for n, (_a0, a1, _b0, _b1, _e) in enumerate(spans)}
    after_a = {a0: n for n, (a0, _a1, _b0, _b1, _e) in enumerate(spans)}
    before_b = {b1: n for n, (_a0, _a1, _b0, b1, _e) in enumerate(spans)}
    after_b = {b0: n for n, (_a0, _a1, b0, _b1, _e) in enumerate(spans)}
    place_b = {
        (before_b.get(g[0] - 1), after_b.get(g[1] + 1)): n
        for n, g in enumerate(added)
        if not _paragraphs(copy, tb, *g)
    }
    paired: set[int] = set()
    for gap in cut:
        best, score = None, NEAR
        here = (before_a.get(gap[0] - 1), after_a.get(gap[1] + 1))
        if here != (None, None) and not _paragraphs(source, ta, *gap) and here in place_b:
            best = place_b[here]
        for n, other in enumerate(added):
            if best is None and n not in paired and (r := _ratio(ta, gap, tb, other)) >= score:
                best, score = n, r
        if best is None or best in paired:
            out.cut.extend(_by_paragraph(source, ta, *gap))
            continue
        paired.add(best)
        b = added[best]
        out.reworded.append(
            Reworded(
                _stretch(source, ta, *gap), _stretch(copy, tb, *b), _diff(source, ta, *gap, copy, tb, *b)
            )
        )
    out.added = [s for n, gap in enumerate(added) if n not in paired for s in _by_paragraph(copy, tb, *gap)]
    out.reworded.sort(key=lambda r: r.source.start)
    return out


def _by_paragraph(text: str, toks: list[Token], first: int, last: int) -> list[Stretch]:
    """A stretch of words cut in its paragraphs (three paragraphs cut are three passages)."""
    out, start = [], first
    for i in range(first, last):
        if "\n\n" in text[toks[i].end : toks[i + 1].start]:
            out.append(_punctuated(text, toks, start, i))
            start = i + 1
    out.append(_punctuated(text, toks, start, last))
    return out


def _punctuated(text: str, toks: list[Token], first: int, last: int) -> Stretch:
    """Words with the punctuation that clings to them (a sentence's full stop, its quote marks)."""
    start, end = toks[first].start, toks[last].end
    while start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start -= 1
    while end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return Stretch(text[start:end], start, end)


def _paragraphs(text: str, toks: list[Token], first: int, last: int) -> bool:
    """Whether words ``first``..``last`` hold a whole paragraph (a break inside, or nothing
    else on their lines)."""
    start, end = toks[first].start, toks[last].end
    if "\n\n" in text[start:end]:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not any(c.isalnum() for c in text[line_start:start] + text[end:line_end])


def _bridged(sa, ta, a0, a1, sb, tb, b0, b1, op) -> Reworded:
    """One differing stretch inside a shared passage, as a reworded passage of its own (the
    words around it located by their text in each stretch)."""
    start_a = sa.find(op["source"], ta[a0].start) if op["source"] else ta[a0].start
    start_b = sb.find(op["text"], tb[b0].start) if op["text"] else tb[b0].start
    src = Stretch(op["source"], start_a, start_a + len(op["source"]))
    cpy = Stretch(op["text"], start_b, start_b + len(op["text"]))
    return Reworded(src, cpy, (op,))
