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
