"""The languages Glose analyses (kept apart from the analyzer so that knowing them does not
import Whoosh: the TUI draws its first screen before the search engine is loaded)."""

from __future__ import annotations

LANGUAGES = {"fr": "french", "en": "english"}
DEFAULT_LANGUAGE = "fr"


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"unknown language {language!r} (known: {known})")
    return language


# The commonest words of each language: a text is in the language whose words it uses most,
# when it clearly does (a wire story in English among French papers is the case that matters).
_COMMON = {
    "fr": frozenset(
        (
            "le",
            "la",
            "les",
            "des",
            "est",
            "une",
            "et",
            "en",
            "du",
            "que",
            "qui",
            "dans",
            "pour",
            "pas",
            "sur",
            "au",
            "aux",
            "il",
            "elle",
            "ce",
            "sont",
            "avec",
            "par",
            "plus",
            "ne",
            "se",
            "son",
            "sa",
            "ses",
            "nous",
            "vous",
            "été",
        )
    ),
    "en": frozenset(
        (
            "the",
            "and",
            "of",
            "to",
            "is",
            "in",
            "that",
            "for",
            "it",
            "with",
            "was",
            "on",
            "are",
            "as",
            "be",
            "by",
            "this",
            "have",
            "from",
            "at",
            "or",
            "not",
            "his",
            "her",
            "they",
            "which",
        )
    ),
}
_ANY_COMMON = frozenset().union(*_COMMON.values())  # the words counted: the others are dropped first
GUESS_CHARS = 4000  # enough words to tell; reading further costs every indexed file


def guess_language(text: str) -> str | None:
    """The language of ``text`` among :data:`LANGUAGES`, or None when the text is too short or
    mixed to tell (twice as many common words of one language as of the other, at least 5)."""
    words = list(filter(_ANY_COMMON.__contains__, text[:GUESS_CHARS].lower().split()))
    counts = sorted(
        ((sum(map(common.__contains__, words)), lang) for lang, common in _COMMON.items()), reverse=True
    )
    (best, lang), (second, _) = counts[0], counts[1]
    return lang if best >= 5 and best >= 2 * second else None
