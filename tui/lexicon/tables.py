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
    def from_packed(cls, vocab: list[str], articles: list[str], packed: Sequence[tuple]) -> Corpus:
        """The corpus of the packed counts (:func:`.packing.pack`) of ``articles``, in order."""
        import numpy as np

        from .packing import unpack_all

        ids, ns, lengths = unpack_all(packed)
        offsets = np.zeros(len(packed) + 1, dtype=np.int64)
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

    @cached_property
    def owner(self):
        """The article (its row) of every entry."""
        import numpy as np

        return np.repeat(np.arange(len(self.articles), dtype=np.int64), np.diff(self.offsets))

    def select(self, rows) -> tuple[object, object, object]:
        """The entries of the articles numbered ``rows``: (form numbers, counts, article row of
        each). All the articles: the arrays themselves, nothing copied."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        n = len(self.articles)
        if rows.size == n and n and np.array_equal(rows, np.arange(n)):
            return self.ids, self.ns, self.owner
        chosen = np.zeros(n, dtype=bool)
        chosen[rows] = True
        mask = chosen[self.owner]
        return self.ids[mask], self.ns[mask], self.owner[mask]

    def unit_entries(self, rows, unit: str, language: str, stop: bool):
        """(word numbers, counts, article rows) of the entries of ``rows`` in the unit, stop
        words left out when asked."""
        _, mapping = self.units(unit, language, stop)
        ids, ns, owner = self.select(rows)
        if unit == "form" and not stop:  # form numbers are the words' numbers
            return ids, ns, owner
        unit_ids = mapping[ids]
        keep = unit_ids >= 0
        if not keep.all():
            return unit_ids[keep], ns[keep], owner[keep]
        return unit_ids, ns, owner


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
    size = len(words)
    unit_ids, ns, owner = corpus.unit_entries(rows, unit, language, stop)
    f = np.bincount(unit_ids, weights=ns, minlength=size).astype(np.int64)
    arts = np.zeros(size, dtype=np.int64)
    if with_articles and unit_ids.size:
        if unit == "form":  # a form is one entry per article
            arts = np.bincount(unit_ids, minlength=size)
        else:  # several forms of one article may share a lemma or stem: count those once
            shared = np.bincount(mapping[mapping >= 0], minlength=size) > 1
            many = shared[unit_ids]
            arts = np.bincount(unit_ids[~many], minlength=size)
            pairs = np.sort(owner[many] * size + unit_ids[many])  # a sort: faster than unique's hash
            if pairs.size:
                first = np.empty(pairs.size, dtype=bool)
                first[0] = True
                np.not_equal(pairs[1:], pairs[:-1], out=first[1:])
                arts += np.bincount(pairs[first] % size, minlength=size)
    return Counted(words, f, arts, int(f.sum()))


PART_CELLS = 30_000_000  # parts × words counted in one pass; more (days × a large vocabulary): part by part


def count_parts(corpus: Corpus, parts: list[list[int]], unit: str, language: str, stop: bool):
    """(words, counts: parts × words) of the articles of each part, in one pass."""
    import numpy as np

    words, _ = corpus.units(unit, language, stop)
    size, n = len(words), len(parts)
    part_of = np.full(len(corpus.articles), -1, dtype=np.int64)
    for k, rows in enumerate(parts):
        part_of[np.asarray(rows, dtype=np.int64)] = k
    everyone = np.nonzero(part_of >= 0)[0]
    unit_ids, ns, owner = corpus.unit_entries(everyone, unit, language, stop)
    which = part_of[owner]
    if n * size <= PART_CELLS:
        flat = np.bincount(which * size + unit_ids, weights=ns, minlength=n * size)
        return words, flat.reshape(n, size).astype(np.int64)
    matrix = [
        np.bincount(unit_ids[which == k], weights=ns[which == k], minlength=size).astype(np.int64)
        for k in range(n)
    ]
    return words, np.array(matrix).reshape(n, size)


def alphabetical(words: list[str]):
    """Each word's rank in alphabetical order (ties of a listing are broken by it)."""
    import numpy as np

    rank = np.empty(len(words), dtype=np.int64)
    rank[np.argsort(np.array(words, dtype=str), kind="stable")] = np.arange(len(words))
    return rank


def top_rows(rows: list, top: int) -> list:
    """The first ``top`` rows of a ranked table (0 or less: all of them)."""
    return rows if top <= 0 else rows[:top]


def ranked(keys, alpha, top: int, *, descending: bool = True) -> list[int]:
    """Word numbers by ``keys`` (then alphabetically), the first ``top`` (0: all)."""
    import numpy as np

    order = np.lexsort((alpha, -keys if descending else keys))
    chosen = top_rows(order, top)
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

    words, matrix = count_parts(corpus, [rows for _, rows in parts], unit, language, stop)
    F = matrix.sum(axis=0) if len(parts) else np.zeros(len(words), dtype=np.int64)
    T = int(F.sum())
    eligible = max(1, min_f) <= F
    alpha = alphabetical(words)
    out: list[Part] = []
    for (name, rows), counts in zip(parts, matrix, strict=True):
        part = Counted(words, counts, None, int(counts.sum()))
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
            return top_rows(rows_, top)

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
    unit_ids, _, owner = corpus.unit_entries(rows, unit, language, stop)
    return [int(o) for o in np.unique(owner[unit_ids == number])]


def per_part(
    corpus: Corpus, parts: list[tuple[str | None, list[int]]], word: str, unit: str, language: str, stop: bool
) -> list[dict]:
    """A word's count in each part, with the part's tokens (the bar chart of one word)."""
    number = word_number(corpus, word, unit, language, stop)
    _, matrix = count_parts(corpus, [rows for _, rows in parts], unit, language, stop)
    return [
        {"part": name, "f": int(counts[number]) if number is not None else 0, "tokens": int(counts.sum())}
        for (name, _), counts in zip(parts, matrix, strict=True)
    ]
