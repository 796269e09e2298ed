"""Turning text into search terms, the same way for articles and for queries.

One fused pass per word: words are runs of letters and digits (an apostrophe ends a word, so
the elided ``l'`` of ``l'IA`` becomes the stop word ``l``), then lowercase, ligatures and
accents folded (``cœur`` → ``coeur``, ``déshabillées`` → ``deshabillees``), stop words dropped,
Snowball stemming, and a last light step that removes the endings Snowball leaves on folded
words (``generee`` → ``gener``). Folding *before* stemming means a query typed without accents
is processed exactly like the accented text: they cannot disagree.

The per-word result is cached (a dict per language), which is most of the indexing speed.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from typing import NamedTuple

from .languages import DEFAULT_LANGUAGE, LANGUAGES, check_language
from .recent import Recent

WORD = re.compile(r"[^\W_]+")

# Elided forms (l', d', qu'...) are stop words; these and a few function words (les, où,
# cette...) are missing from Snowball's list.
_EXTRA_STOPS = {
    "fr": {
        "jusqu",
        "lorsqu",
        "puisqu",
        "quoiqu",
        "presqu",
        "quelqu",
        "les",
        "ou",
        "dont",
        "cet",
        "cette",
        "ils",
        "elles",
        "leurs",
        "ni",
        "si",
        "la",
        "ca",
        "car",
        "donc",
    },
    "en": {"s", "t", "d", "ll", "re", "ve", "m"},
}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ĳ": "ij"})
_LIGATURED = "œæßĳ"  # lowercased: what _LIGATURES changes
_CACHE_LIMIT = 2_000_000


def fold(word: str) -> str:
    """Lowercase, ligatures expanded, accents and compatibility forms folded."""
    word = word.lower()
    if len(word) < 64 or any(ch in word for ch in _LIGATURED):  # (a whole text translates slowly)
        word = word.translate(_LIGATURES)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    if len(decomposed) > 64:  # a whole text (where-else's windows): the marks it holds go in C
        marks = [ch for ch in set(decomposed) if unicodedata.combining(ch)]
        return decomposed.translate(dict.fromkeys(map(ord, marks))) if marks else decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _stopwords(language: str) -> frozenset[str]:
    from whoosh.lang import stopwords_for_language

    words = {fold(w) for w in stopwords_for_language(language)}
    return frozenset(words | _EXTRA_STOPS[language])


def stopwords(language: str) -> frozenset[str]:
    """The folded stop words the index leaves out (the lexicon leaves them out on request)."""
    return _stopwords(language)


@cache
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(LANGUAGES[language])


_caches: dict[str, dict[str, str | None]] = {}


def term(word: str, language: str = DEFAULT_LANGUAGE) -> str | None:
    """The index term of one word, or None for a stop word."""
    cache = _caches.setdefault(language, {})
    try:
        return cache[word]
    except KeyError:
        pass
    folded = fold(word)
    if folded in _stopwords(language) or not folded:
        result = None
    else:
        result = _light_stem(_stemmer(language).stemWord(folded))
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    cache[word] = result
    return result


def prefix_forms(prefix: str, language: str = DEFAULT_LANGUAGE) -> set[str]:
    """Index-term prefixes that a typed ``prefix*`` should match.

    Terms are stems, so ``harcelement*`` must also match the stem ``harcel``: both the folded
    prefix and its stem are tried.
    """
    folded = fold(prefix)
    forms = {folded}
    stemmed = _light_stem(_stemmer(language).stemWord(folded))
    if stemmed:
        forms.add(stemmed)
    return forms


def _light_stem(stem: str) -> str:
    # Snowball's French rules expect accents; on folded words it leaves a trailing "e" or "s"
    # (generees -> genere, videos). Dropping them joins the forms it would otherwise split.
    for _ in range(2):
        if len(stem) > 3 and stem.endswith("e"):
            stem = stem[:-1]
    if len(stem) > 4 and stem.endswith("s") and not stem.endswith("ss"):
        stem = stem[:-1]
    return stem


class Word(NamedTuple):
    """A word of a text with the term it indexes as (None for a stop word) and its span."""

    term: str | None
    start: int
    end: int


def words(text: str, language: str = DEFAULT_LANGUAGE) -> Iterator[Word]:
    """Every word of ``text`` with its code-point span, stop words included (term None)."""
    for match in WORD.finditer(text):
        yield Word(term(match.group(), language), match.start(), match.end())


def terms(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The index terms of ``text`` in order, stop words dropped."""
    return [w.term for w in words(text, language) if w.term is not None]


# Bytes that are neither letters nor digits in ASCII (``_`` included): a UTF-8 text with these
# made spaces splits (``bytes.split``, in C) into pieces that no word of WORD crosses, so
# a text's words are its pieces' words in order. Most pieces are one ASCII word; the others
# hold a non-ASCII character (``l’IA``, ``«``) and go through WORD once, when first seen.
_NOT_WORD = bytes(b for b in range(128) if not chr(b).isalnum())
_TO_SPACE = bytes.maketrans(_NOT_WORD, b" " * len(_NOT_WORD))


def _learn_words(words: Iterable[str], language: str) -> dict[str, str | None]:
    """:func:`term` of many words at once, into its cache (returned): folding, the stop list
    and Snowball (``stemWords``) each run over the whole batch, which a first build's words
    (every word it meets is new) make about twice as fast as one :func:`term` per word."""
    cache = _caches.setdefault(language, {})
    distinct = dict.fromkeys(words)
    new = [w for w in distinct if w not in cache]
    if not new:
        return cache
    if len(cache) + len(new) > _CACHE_LIMIT:  # a new one, holding every word asked for
        cache = _caches[language] = {}
        new = list(distinct)
    folded = [w.lower() if w.isascii() else fold(w) for w in new]
    stops = _stopwords(language)
    kept = [f for f in dict.fromkeys(folded) if f and f not in stops]
    stems = dict(zip(kept, map(_light_stem, _stemmer(language).stemWords(kept)), strict=True))
    cache.update(zip(new, map(stems.get, folded), strict=True))
    return cache


def _piece_words(piece: bytes) -> list[str]:
    return WORD.findall(piece.decode("utf-8", "surrogatepass"))


def _learn(missing: Iterable[bytes], pieces: list[bytes], language: str) -> tuple[dict, dict]:
    """Put the terms of pieces no text brought before into the caches, and return them: of
    every piece the tuple of its terms (:data:`_pieces`), and the same joined by spaces
    (:data:`_joined`). Caches grown too large are replaced by new ones that hold every piece
    of ``pieces``: a thread still mapping through the old ones is unharmed."""
    cache = _pieces.setdefault(language, {})
    joined = _joined.setdefault(language, {})
    missing = set(missing)
    if len(cache) + len(missing) > _CACHE_LIMIT:
        cache = _pieces[language] = {}
        joined = _joined[language] = {}
        missing = set(pieces)
    # most pieces are one ASCII word (only ASCII letters and digits are left between the
    # separators): those skip the regex, the tuple of several and the join
    plain = [piece for piece in missing if piece.isascii()]
    plain_words = [piece.decode("ascii") for piece in plain]
    words = {piece: _piece_words(piece) for piece in missing if not piece.isascii()}
    terms_of = _learn_words(itertools.chain(plain_words, *words.values()), language)
    for piece, word in zip(plain, plain_words, strict=True):
        found = terms_of[word]
        if found is None:
            cache[piece], joined[piece] = (), ""
        else:
            cache[piece], joined[piece] = (found,), found
    for piece, found in words.items():
        kept = cache[piece] = tuple(t for t in map(terms_of.__getitem__, found) if t is not None)
        joined[piece] = " ".join(kept)
    return cache, joined


def _mapped(pieces: list[bytes], joined: bool, language: str) -> list:
    """What every piece maps to, in order: its terms, or (``joined``) its terms joined by
    spaces. Pieces not seen before are learnt first, found as the misses of the mapping (in
    C), not as a set of every piece, which on a warm cache cost a fifth of the analysis."""
    cache = (_joined if joined else _pieces).setdefault(language, {})
    found = list(map(cache.get, pieces))
    if None in found:
        misses = list(itertools.compress(range(len(found)), map(operator.is_, found, itertools.repeat(None))))
        cache = _learn(map(pieces.__getitem__, misses), pieces, language)[joined]
        for i in misses:  # only the misses: a first build's texts all have some
            found[i] = cache[pieces[i]]
    return found


def _split(text: str) -> list[bytes]:
    """The text's pieces (see ``_TO_SPACE``)."""
    return text.encode("utf-8", "surrogatepass").translate(_TO_SPACE).split()


def index_terms(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The terms of ``text`` in order, stop words dropped (so not counted as positions): what
    every engine indexes for a text field, the same as :func:`terms` but with the per-word
    loop in C: the text's pieces (see ``_TO_SPACE``) mapped through a cache of their terms.
    (A term may be ``""``: ``ℍ`` folds to one.)"""
    return list(itertools.chain.from_iterable(_mapped(_split(text), False, language)))


def index_text(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """``" ".join(index_terms(text))`` give or take spaces (the engines that split on them
    see the same terms), without making the list: what tantivy is given."""
    return _remembered(_recent_text, lambda t, lang: " ".join(_mapped(_split(t), True, lang)), text, language)


def recent_terms(text: str, language: str) -> list[str]:
    """:func:`index_terms`, the same list for a copy: for callers that only read it."""
    return _remembered(_recent_list, index_terms, text, language)


def _remembered(memo: Recent, analyse, text: str, language: str):
    """``analyse(text, language)``; of a long text that is a copy of one analysed shortly
    before, what that one gave (:mod:`.recent`)."""
    if len(text) < MEMO_FROM:
        return analyse(text, language)
    key = (text, language)
    found = memo.get(key)
    if found is None:
        found = memo.put(key, analyse(text, language), 2 * len(text))
    return found


MEMO_FROM = 2_000  # characters: shorter texts (titles, queries, windows) cost little to analyse
_recent_text: Recent[tuple[str, str], str] = Recent(32_000_000)
_recent_list: Recent[tuple[str, str], list[str]] = Recent(32_000_000)


_pieces: dict[str, dict[bytes, tuple[str, ...]]] = {}  # per language: piece → its terms
_joined: dict[str, dict[bytes, str]] = {}  # per language: piece → its terms, space-separated


def term_positions(text: str, language: str = DEFAULT_LANGUAGE) -> dict[str, list[int]]:
    """term → positions (stop words skipped and not counted): what Whoosh stores for a text
    field."""
    return positions_of(index_terms(text, language))


def positions_of(found: list[str]) -> dict[str, list[int]]:
    """term → its positions in ``found`` (a text's :func:`index_terms`)."""
    positions: dict[str, list[int]] = {}
    get = positions.get
    for pos, word in enumerate(found):
        bucket = get(word)
        if bucket is None:
            positions[word] = [pos]
        else:
            bucket.append(pos)
    return positions


# Stems whose adjacent pairs get a term of their own (Whoosh's "pairs"). 100, not 300: on the
# man pages and the generated 5,000 (bench.builds --pairs, BENCHMARKS.md 2026-12-07) the
# phrases' p95 stays 2-8x better than without pairs while the pairs' build cost and index size
# about halve; the rarer stems' phrases are positional, as fast with or without pairs.
COMMON_STEMS = 100
COMMON_SAMPLE = 400  # articles read to find them when an index is built


def common_stems(
    texts: Iterable[str], language: str = DEFAULT_LANGUAGE, size: int = COMMON_STEMS
) -> frozenset[str]:
    """The ``size`` stems found in most of ``texts`` (document frequency): the words whose
    phrases are slow to check position by position, because nearly every article holds them.
    Computed once when an index is built and kept in its schema, so the set never changes
    under an index's documents (an update cannot make an older document miss a pair)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(index_terms(text, language)))
    # ties broken by the stem, not by set order (which hash randomisation changes): the same
    # files always make the same index, and the same scores
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return frozenset(stem for stem, _ in ranked[:size])


def pair_term(first: str, second: str) -> str:
    """The term of two adjacent stems in the pairs field (stems hold no space)."""
    return f"{first} {second}"


def pair_positions(
    text: str, common: frozenset[str], language: str = DEFAULT_LANGUAGE
) -> dict[str, list[int]]:
    """pair term → positions of its first stem, for every two adjacent terms of ``text`` that
    are both in ``common``: positions are the body's, so a phrase of common stems is a phrase
    of pairs (``a b c`` = ``a b`` then ``b c`` one position later)."""
    return pairs_of(index_terms(text, language), common)


def pairs_of(found: list[str], common: frozenset[str]) -> dict[str, list[int]]:
    """:func:`pair_positions` of a text's :func:`index_terms`. Which positions start a pair of
    common stems is found in C (``map``, ``compress``); only the pairs are looked at in Python."""
    positions: dict[str, list[int]] = {}
    if len(found) < 2 or not common:
        return positions
    flags = list(map(common.__contains__, found))
    for pos in itertools.compress(range(len(found) - 1), map(operator.and_, flags, flags[1:])):
        positions.setdefault(pair_term(found[pos], found[pos + 1]), []).append(pos)
    return positions


_SINGLE_LIMIT = 1 << 16  # positions whose one-position value is kept (a bounded cache)


def _deltas(poslist: list[int]) -> list[int]:
    return [poslist[0], *map(operator.sub, itertools.islice(poslist, 1, None), poslist)]


def _whoosh_classes() -> dict[str, type]:
    """Whoosh's side of the analysis, defined when first asked for (``tui.text.analysis.GloseTokenizer``
    via the module's ``__getattr__``): the tantivy engine and the CLI paths that never touch a
    Whoosh index do not pay for importing Whoosh. The classes keep their module-level names,
    which the schemas pickled into existing indexes refer to."""
    from whoosh.analysis import Token, Tokenizer
    from whoosh.formats import Positions
    from whoosh.system import pack_uint

    class GloseTokenizer(Tokenizer):
        """The analyzer Whoosh stores in the schema (so it must pickle: only the language and two
        flags are state; the stemmer and caches are looked up by language at call time)."""

        def __init__(self, language: str = DEFAULT_LANGUAGE, stem: bool = True):
            self.language = check_language(language)
            self.stem = stem

        def __eq__(self, other: object) -> bool:
            return (
                isinstance(other, GloseTokenizer)
                and other.language == self.language
                and other.stem == self.stem
            )

        def __hash__(self) -> int:
            return hash((self.language, self.stem))

        def __call__(
            self,
            value: str,
            positions: bool = False,
            chars: bool = False,
            keeporiginal: bool = False,
            removestops: bool = True,
            start_pos: int = 0,
            start_char: int = 0,
            tokenize: bool = True,
            mode: str = "",
            **kwargs,
        ) -> Iterator[Token]:
            token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
            language = self.language
            pos = start_pos
            for match in WORD.finditer(value):
                word = match.group()
                text = term(word, language) if self.stem else fold(word)
                if text is None:
                    if removestops:
                        continue
                    token.stopped = True
                    text = fold(word)
                else:
                    token.stopped = False
                token.text = text
                token.boost = 1.0
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                pos += 1
                yield token

    from pickle import dumps

    last: list = [None]  # (text, language, its terms): the body, analysed once for two fields

    def analysed(text: str, language: str) -> list[str]:
        """The text's :func:`index_terms`, the last one's kept: Whoosh asks for the body's
        terms for the body field, then (the same string) for the pairs field."""
        seen = last[0]
        if seen is not None and seen[0] is text and seen[1] == language:
            return seen[2]
        found = recent_terms(text, language)
        last[0] = (text, language, found)  # one assignment: threads see one entry or the other
        return found

    single: dict[int, bytes] = {}  # position → the value of a posting at that one position

    def encoded(positions: dict[str, list[int]], fb: float) -> list[tuple]:
        """Whoosh's (word, freq, weight, value) of each posting. Most words of an article
        occur once, at one of a few thousand positions: those values are pickled once."""
        out = []
        append = out.append
        for word, poslist in positions.items():
            n = len(poslist)
            if n == 1:
                value = single.get(poslist[0])
                if value is None:
                    value = pack_uint(1) + dumps(poslist, 2)
                    if poslist[0] < _SINGLE_LIMIT:
                        single[poslist[0]] = value
            else:
                value = pack_uint(n) + dumps(_deltas(poslist), 2)
            append((word, n, n * fb, value))
        return out

    class FastPositions(Positions):
        """Whoosh's ``Positions`` format (same bytes on disk), fed by :func:`positions_of` when
        the field's analyzer is ours: indexing skips Whoosh's per-token objects, about a third
        of the build time."""

        def word_values(self, value, analyzer, **kwargs):
            if not (isinstance(analyzer, GloseTokenizer) and analyzer.stem):
                return super().word_values(value, analyzer, **kwargs)
            return encoded(positions_of(analysed(value, analyzer.language)), self.field_boost)

    class PairPositions(Positions):
        """The postings of the pairs field: adjacent common stems (:func:`pairs_of`), at the
        body's positions. ``common`` is pickled into the index with the schema: it is the
        index's own set for as long as the index lives."""

        def __init__(self, common: frozenset[str] = frozenset(), field_boost: float = 1.0, **options):
            super().__init__(field_boost=field_boost, **options)
            self.common = frozenset(common)

        def word_values(self, value, analyzer, **kwargs):
            found = analysed(value, analyzer.language)
            return encoded(pairs_of(found, self.common), self.field_boost)

    classes = {
        "GloseTokenizer": GloseTokenizer,
        "FastPositions": FastPositions,
        "PairPositions": PairPositions,
    }
    for name, cls in classes.items():
        cls.__module__, cls.__qualname__ = __name__, name
    return classes


_DEFINING = threading.Lock()


def __getattr__(name: str):
    if name in ("GloseTokenizer", "FastPositions", "PairPositions"):
        with _DEFINING:  # the reader's workers may ask at once: define the classes once
            if name not in globals():
                globals().update(_whoosh_classes())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
