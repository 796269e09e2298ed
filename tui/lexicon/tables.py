"""Frequency lists and specificities over the kept counts: each article a packed vector of
(form number, count), the corpus their concatenation, a unit a map from form numbers to the
unit's words. numpy does the sums (``bincount``): 50,000 articles are ~15 million entries,
which a Python loop cannot add up within the seconds a list may take."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .lafon import scores
from .tokens import stop_forms, unit_of


@dataclass
class Corpus:
    """The form counts of a list of articles (``vocab``: the forms by number)."""

    vocab: list[str]
    articles: list[str]
    ids: object  # numpy uint32: form numbers, article after article
    ns: object  # numpy uint32: their counts
    offsets: object  # numpy int64: article i's entries are ids[offsets[i]:offsets[i+1]]
    _units: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_blobs(cls, vocab: list[str], articles: list[str], blobs: Sequence[bytes]) -> Corpus:
        """The corpus of the packed counts (:func:`.packing.pack`) of ``articles``, in order."""
        import numpy as np

        from .packing import unpack

        pairs = [unpack(b) for b in blobs]
        ids = np.concatenate([p[0] for p in pairs]) if pairs else np.zeros(0, dtype=np.uint32)
        ns = np.concatenate([p[1] for p in pairs]) if pairs else np.zeros(0, dtype=np.uint32)
        lengths = np.fromiter((p[0].size for p in pairs), dtype=np.int64, count=len(pairs))
        offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(vocab, articles, ids, ns, offsets)

    @cached_property
    def position(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.articles)}

    def units(self, unit: str, language: str, stop: bool) -> tuple[list[str], object]:
        """The unit's words, and each form number's word number (-1: a stop word left out)."""
        import numpy as np

        key = (unit, language, stop)
        if key not in self._units:
            word = unit_of(unit, language)
            is_stop = stop_forms(language) if stop else None
            words: list[str] = []
            numbers: dict[str, int] = {}
            mapping = np.empty(len(self.vocab), dtype=np.int64)
            for i, form in enumerate(self.vocab):
                if is_stop is not None and is_stop(form):
                    mapping[i] = -1
                    continue
                w = word(form)
                n = numbers.get(w)
                if n is None:
                    n = numbers[w] = len(words)
                    words.append(w)
                mapping[i] = n
            self._units[key] = (words, mapping)
        return self._units[key]

    def select(self, rows) -> tuple[object, object, object]:
        """The entries of the articles numbered ``rows``: (form numbers, counts, row of each)."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        if not lengths.sum():
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        # the entry indices of every selected article, without a Python loop
        index = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        index += np.arange(int(lengths.sum()))
        owner = np.repeat(np.arange(rows.size), lengths)
        return self.ids[index].astype(np.int64), self.ns[index].astype(np.int64), owner


@dataclass(frozen=True)
class Counted:
    """Per word of a unit: occurrences and articles, over some articles."""

    words: list[str]
    f: object  # numpy int64 per word
    articles: object
    tokens: int


def count(
    corpus: Corpus, rows, unit: str, language: str, stop: bool, *, with_articles: bool = True
) -> Counted:
    import numpy as np

    words, mapping = corpus.units(unit, language, stop)
    ids, ns, owner = corpus.select(rows)
    unit_ids = mapping[ids] if ids.size else ids
    keep = unit_ids >= 0
    unit_ids, ns, owner = unit_ids[keep], ns[keep], owner[keep]
    f = np.bincount(unit_ids, weights=ns, minlength=len(words)).astype(np.int64)
    arts = np.zeros(len(words), dtype=np.int64)
    if with_articles and unit_ids.size:
        if unit == "form":  # a form is one entry per article
            arts = np.bincount(unit_ids, minlength=len(words))
        else:  # several forms of one article may share a lemma or stem
            pairs = np.unique(owner * len(words) + unit_ids)
            arts = np.bincount(pairs % len(words), minlength=len(words))
    return Counted(words, f, arts, int(ns.sum()))


def alphabetical(words: list[str]):
    """Each word's rank in alphabetical order (ties of a listing are broken by it)."""
    import numpy as np

    rank = np.empty(len(words), dtype=np.int64)
    rank[np.argsort(np.array(words, dtype=str), kind="stable")] = np.arange(len(words))
    return rank


def ranked(keys, alpha, top: int, *, descending: bool = True) -> list[int]:
    """Word numbers by ``keys`` (then alphabetically), the first ``top`` (0: all)."""
    import numpy as np

    order = np.lexsort((alpha, -keys if descending else keys))
    chosen = order if top <= 0 else order[:top]
    return [int(i) for i in chosen]


@dataclass
class Part:
    name: str | None
    tokens: int
    articles: int
    rows: list[dict]  # the most specific first
    negative: list[dict] = field(default_factory=list)  # the most under-represented, last


def specificities(
    corpus: Corpus,
    parts: list[tuple[str | None, list[int]]],
    unit: str,
    language: str,
    stop: bool,
    *,
    top: int,
    negative: bool,
    min_f: int = 1,
) -> tuple[int, list[Part]]:
    """Each part's words against the whole of ``parts`` (which together are the corpus): the
    most specific ``top`` (and the most negative, on request), with ``f``, ``F`` and the score."""
    import numpy as np

    everyone = [r for _, rows in parts for r in rows]
    whole = count(corpus, everyone, unit, language, stop, with_articles=False)
    T, F, words = whole.tokens, whole.f, whole.words
    eligible = max(1, min_f) <= F
    alpha = alphabetical(words)
    out: list[Part] = []
    for name, rows in parts:
        part = count(corpus, rows, unit, language, stop, with_articles=False)
        s = scores(part.f, part.tokens, F, T)
        s = np.where(eligible, s, np.nan)

        def listing(desc: bool, part=part, s=s) -> list[dict]:
            keys = np.where(np.isnan(s), -np.inf if desc else np.inf, s)
            chosen = ranked(keys, alpha, top, descending=desc)
            rows_ = [
                {"word": words[i], "f": int(part.f[i]), "F": int(F[i]), "score": round(float(s[i]), 4)}
                for i in chosen
                if not np.isnan(s[i]) and ((s[i] > 0) if desc else (s[i] < 0))
            ]
            return rows_ if top <= 0 else rows_[:top]

        out.append(
            Part(name, part.tokens, len(rows), listing(True), listing(False)[::-1] if negative else [])
        )
    return T, out


def frequencies(
    corpus: Corpus, rows, unit: str, language: str, stop: bool, *, min_f: int = 1, top: int = 0
) -> tuple[int, list[dict]]:
    """The tokens of the articles numbered ``rows``, and their words by descending count
    (ties alphabetically): ``word``, ``f``, ``articles``; the ``f`` sum to the tokens when
    every row is listed (``min_f`` 1, ``top`` 0)."""
    import numpy as np

    counted = count(corpus, rows, unit, language, stop)
    present = counted.f >= max(1, min_f)
    keys = np.where(present, counted.f, -1)
    chosen = [i for i in ranked(keys, alphabetical(counted.words), 0) if present[i]]
    if top > 0:
        chosen = chosen[:top]
    return counted.tokens, [
        {"word": counted.words[i], "f": int(counted.f[i]), "articles": int(counted.articles[i])}
        for i in chosen
    ]


def word_number(corpus: Corpus, word: str, unit: str, language: str, stop: bool) -> int | None:
    words, _ = corpus.units(unit, language, stop)
    try:
        return words.index(word)
    except ValueError:
        return None


def holding(corpus: Corpus, rows, word: str, unit: str, language: str, stop: bool) -> list[int]:
    """The articles (of ``rows``) in which ``word`` occurs."""
    import numpy as np

    number = word_number(corpus, word, unit, language, stop)
    if number is None:
        return []
    _, mapping = corpus.units(unit, language, stop)
    ids, _, owner = corpus.select(rows)
    rows = np.asarray(rows, dtype=np.int64)
    return sorted({int(rows[o]) for o in np.unique(owner[mapping[ids] == number])}) if ids.size else []


def per_part(
    corpus: Corpus, parts: list[tuple[str | None, list[int]]], word: str, unit: str, language: str, stop: bool
) -> list[dict]:
    """A word's count in each part, with the part's tokens (the bar chart of one word)."""
    number = word_number(corpus, word, unit, language, stop)
    out = []
    for name, rows in parts:
        counted = count(corpus, rows, unit, language, stop, with_articles=False)
        f = int(counted.f[number]) if number is not None and counted.f.size > number else 0
        out.append({"part": name, "f": f, "tokens": counted.tokens})
    return out
