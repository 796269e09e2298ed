"""What a word is, for counting: the one tokenizer every count, collocate, segment and
concordance line of the lexicon comes from, so that they cannot disagree.

A token is a run of letters and digits, apostrophes inside it kept (``aujourd'hui``), except
that an elided article or pronoun at its head (``l'``, ``d'``, ``qu'``...) is a token of its
own, as TXM and IRaMuTeQ count them. Forms are lower-cased, accents kept, the typographic
apostrophe written ``'``. A token with no letter (``2026``, ``12,5``) is a number, not a word;
hyphens and punctuation separate words, as in the index. Stop words stay in unless asked.

Three units: the ``form`` itself, its ``lemma`` (simplemma's, a dictionary per language) and
its ``stem`` (the index's term, :func:`tui.text.analysis.term`; a stop word, which the index
leaves out, keeps its folded form).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from typing import NamedTuple

from ..errors import GloseError
from ..text.analysis import fold, term
from ..text.analysis import stopwords as index_stopwords

UNITS = ("form", "lemma", "stem")
RAW = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*['’ʼ]?")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
ELISIONS = {
    "fr": frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}),
    "en": frozenset(),
}
_CACHE_LIMIT = 1_000_000


class Token(NamedTuple):
    """One word of a text: its form and its code-point span."""

    form: str
    start: int
    end: int


def _split(raw: str, elisions: frozenset[str]) -> tuple[tuple[str, int, int], ...]:
    """The forms of one raw token with their offsets in it (elisions split off, numbers
    dropped)."""
    low = raw.lower().translate(_APOSTROPHES)
    found: list[tuple[str, int, int]] = []
    at = 0
    while True:
        cut = low.find("'", at)
        if cut < 0 or low[at:cut] not in elisions:
            break
        found.append((low[at : cut + 1], at, cut + 1))
        at = cut + 1
    rest = low[at:].rstrip("'")
    if rest and any(ch.isalpha() for ch in rest):
        found.append((rest, at, at + len(rest)))
    return tuple(found)


_split_caches: dict[str, dict[str, tuple]] = {}


def _splitter(language: str) -> Callable[[str], tuple]:
    cache = _split_caches.setdefault(language, {})
    elisions = ELISIONS.get(language, frozenset())

    def split(raw: str) -> tuple:
        got = cache.get(raw)
        if got is None:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            got = cache[raw] = _split(raw, elisions)
        return got

    return split


def tokens(text: str, language: str = "fr") -> Iterator[Token]:
    """Every word of ``text`` in order, with its span (what a concordance line shows)."""
    split = _splitter(language)
    for match in RAW.finditer(text):
        base = match.start()
        for form, start, end in split(match.group()):
            yield Token(form, base + start, base + end)


def forms(text: str, language: str = "fr") -> list[str]:
    """The forms of ``text`` in order (collocates and segments read these)."""
    split = _splitter(language)
    return [f for raw in RAW.findall(text) for f, _, _ in split(raw)]


def form_counts(text: str, language: str = "fr") -> Counter[str]:
    """How often each form occurs in ``text``: the raw tokens are counted in C first, so each
    distinct one is split once (the index-time cost of :mod:`.kept`)."""
    split = _splitter(language)
    counts: Counter[str] = Counter()
    for raw, n in Counter(RAW.findall(text)).items():
        for form, _, _ in split(raw):
            counts[form] += n
    return counts


# --- units ----------------------------------------------------------------------------------


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise GloseError(f"unknown unit '{unit}': use {', '.join(UNITS)}")
    return unit


@cache
def _lemmatizer(language: str) -> Callable[[str], str]:
    import simplemma

    def lemma(form: str) -> str:
        return simplemma.lemmatize(form, lang=language).lower()

    return lemma


def stem(form: str, language: str = "fr") -> str:
    """The index's term of a form (a form with inner apostrophes: of each part); a stop word
    keeps its folded form."""
    parts = [p for p in form.split("'") if p]
    stems = [term(p, language) or fold(p) for p in parts]
    return "'".join(stems) + ("'" if form.endswith("'") and len(parts) == 1 else "")


def unit_of(unit: str, language: str = "fr") -> Callable[[str], str]:
    """form → the unit's word (cached per distinct form by the callers that map vocabularies)."""
    check_unit(unit)
    if unit == "form":
        return lambda form: form
    if unit == "lemma":
        return _lemmatizer(language)
    return lambda form: stem(form, language)


def stop_forms(language: str = "fr") -> Callable[[str], bool]:
    """Whether a form is a stop word of the language (the index's list, plus the elided
    forms): left out only when ``--stop`` asks."""
    words = index_stopwords(language)
    elided = ELISIONS.get(language, frozenset())

    def is_stop(form: str) -> bool:
        if form.endswith("'"):
            return form[:-1] in elided or fold(form[:-1]) in words
        return fold(form) in words

    return is_stop
