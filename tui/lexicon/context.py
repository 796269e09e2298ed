"""What needs the words in order: the concordance of a word, its collocates and the repeated
segments. These read the texts (only those of the articles that hold the word, for the first
two), through the same tokenizer as the counts, so a word counted 42 times has 42 lines.

Collocates are scored as TXM's cooccurrence tool scores them, with the hypergeometric model of
the specificities: the words within ``window`` tokens of the word's occurrences form a part
(each position once, the word's own occurrences out), and a collocate's score is its
specificity in that part against the corpus. Chosen over Dunning's log-likelihood so that the
collocates and the specificities of a part are read on one scale, and because it is the score
the TXM users we write for already read."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .lafon import specificity
from .tokens import Token, stop_forms, tokens, unit_of

SENTENCE_END = re.compile(r"[.!?;:…\n]")
MAX_N = 6


def mapper(unit: str, language: str, stop: bool) -> Callable[[str], str | None]:
    """form → the unit's word, None for a stop word left out (cached per form)."""
    word = unit_of(unit, language)
    is_stop = stop_forms(language) if stop else None
    seen: dict[str, str | None] = {}

    def to_word(form: str) -> str | None:
        got = seen.get(form, ...)
        if got is ...:
            got = seen[form] = None if is_stop is not None and is_stop(form) else word(form)
        return got

    return to_word


def spans(text: str, word: str, to_word: Callable[[str], str | None], language: str) -> list[tuple[int, int]]:
    """Where ``word`` (a word of the unit) occurs in ``text``."""
    return [(t.start, t.end) for t in tokens(text, language) if to_word(t.form) == word]


def _stream(text: str, to_word, language: str) -> list[str | None]:
    return [to_word(t.form) for t in tokens(text, language)]


def collocates(
    texts: Iterable[str], word: str, window: int, to_word, language: str
) -> tuple[int, Counter[str], int]:
    """The word's occurrences, each collocate's count within ``window`` tokens of them, and
    the tokens of that context (the part the scores compare with the corpus)."""
    pivots = 0
    near: Counter[str] = Counter()
    size = 0
    for text in texts:
        stream = [w for w in _stream(text, to_word, language) if w is not None]
        at = [i for i, w in enumerate(stream) if w == word]
        pivots += len(at)
        if window <= 0 or not at:
            continue
        covered: set[int] = set()
        for i in at:
            covered.update(range(max(0, i - window), min(len(stream), i + window + 1)))
        covered.difference_update(at)
        size += len(covered)
        near.update(stream[i] for i in covered)
    return pivots, near, size


def score_collocates(
    near: Counter[str], size: int, corpus_f: Callable[[str], int], T: int, *, min_cooc: int = 1
) -> list[dict]:
    """``word``, ``cooc``, ``f`` and the score of each collocate, most specific first."""
    rows = []
    for w, c in near.items():
        if c < min_cooc:
            continue
        F = corpus_f(w)
        rows.append({"word": w, "cooc": c, "f": F, "score": round(specificity(c, size, F, T), 4)})
    rows.sort(key=lambda r: (-r["score"], -r["cooc"], r["word"]))
    return rows


def join(words: list[str]) -> str:
    """Words as a segment reads: no space after an elided ``l'``."""
    out = words[0]
    for w in words[1:]:
        out += w if out.endswith("'") else " " + w
    return out


def _runs(text: str, to_word, language: str) -> list[list[str | None]]:
    """The words of ``text`` in runs that no sentence punctuation breaks (a segment stays
    inside one)."""
    runs: list[list[str | None]] = [[]]
    last = 0
    for t in tokens(text, language):
        if runs[-1] and SENTENCE_END.search(text, last, t.start):
            runs.append([])
        runs[-1].append(to_word(t.form))
        last = t.end
    return runs


def segments(
    texts: Iterable[tuple[str, str]], n: int, to_word, language: str, is_stop: Callable[[str], bool] | None
) -> tuple[Counter[str], dict[str, set[str]]]:
    """Every segment of ``n`` words (inside a sentence) and the articles holding it; with
    ``is_stop``, a segment that starts or ends on a stop word is left out."""
    counts: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    for article, text in texts:
        for run in _runs(text, to_word, language):
            for i in range(len(run) - n + 1):
                gram = run[i : i + n]
                if any(w is None for w in gram):
                    continue
                if is_stop is not None and (is_stop(gram[0]) or is_stop(gram[-1])):
                    continue
                key = join(gram)  # type: ignore[arg-type]
                counts[key] += 1
                where.setdefault(key, set()).add(article)
    return counts, where


__all__ = ["MAX_N", "Token", "collocates", "mapper", "score_collocates", "segments", "spans"]
