"""Guessing an article's title, date and source from its first lines.

Press articles saved as text carry their metadata in the body, in whatever shape the site
had: a ``date 2026-01-06`` prefix, ``9.1.2026 - 14:50`` on a line of its own, ``Mis en ligne :
23/01/2025`` at the end, ``Billet de blog 9 janvier 2026`` among repeated author blocks. These
are guesses; ``glose meta`` overrides them per article.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date as Date

HEAD_LINES = 40  # metadata lives in the first lines; body paragraphs come after
HEAD_CHARS = 20_000  # ... and in the first and last characters: labelled dates are looked for there
TAIL_CHARS = 3_000
LABEL_CHARS = 6_000  # "date …", "Publié le …": in the first lines
TITLE_MAX = 110  # a lead with no sentence end by SENTENCE_MAX is cut at a word boundary here
SENTENCE_MAX = 220  # a whole first sentence up to this long is the title (headings, exports)

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janv": 1, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b"), ("d", "m", "y")),
    (
        re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I),
        ("d", "M", "y"),
    ),
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("M", "d", "y")),
)

# Labels that introduce a publication date, at the start of any line (of the "\n" + text
# :func:`_labelled` searches: a pattern that starts with a literal newline is looked for at
# newlines only, and the possessive indent is not backtracked into; 6x faster on indented
# text such as man pages); "mis à jour" only when nothing better is found.
_PUBLISHED = re.compile(
    r"\n((?i:[ \t]*+(?:date|publi[eé]e?[ \t]+le|publi[eé]e?|mis[ \t]+en[ \t]+ligne|published)\b).*)$", re.M
)
_UPDATED = re.compile(r"\n((?i:[ \t]*+(?:mis[ \t]+[àa][ \t]+jour|updated|modifi[eé][ \t]+le)\b).*)$", re.M)

# Lines that are site furniture rather than a title.
_BOILERPLATE = re.compile(
    r"opinions exprimées|contributeur externe|ce blog est personnel|\(avatar\)|abonn[ée]·?e? de"
    r"|^illustration \d+$|^photo\b|^cliquez|^lire aussi|^newsletter|^publicité|^partager"
    r"|^\d+ (billets?|édition|commentaires?|articles?)$|^(accueil|menu|rechercher)$",
    re.I,
)

# Outlets and agencies recognised by name (on short lines of the head, or as a domain).
KNOWN_SOURCES = (
    "AFP", "ATS", "Keystone-SDA", "Reuters", "AP", "Belga", "DPA", "ANSA", "Mediapart",
    "Le Monde", "Libération", "Le Figaro", "Le Parisien", "Les Echos", "L'Obs", "Le Point",
    "L'Express", "Marianne", "La Croix", "L'Humanité", "Ouest-France", "20 Minutes",
    "franceinfo", "France Info", "France 24", "BFMTV", "RFI", "RTS", "Le Temps", "Le Soir",
    "La Presse", "Le Devoir", "Numerama", "01net", "Clubic", "Frandroid", "Korii", "Slate",
    "HuffPost", "Courrier international", "The Guardian", "BBC", "The New York Times",
    "The Washington Post", "The Verge", "Wired", "Politico",
)  # fmt: skip
_SOURCE_NAMES = re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in KNOWN_SOURCES) + r")(?!\w)", re.I)
_DOMAIN = re.compile(r"\b([A-Za-z0-9][A-Za-z0-9-]*\.(?:com|fr|ch|be|ca|org|net|info|eu|io|news))\b")


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    date: str | None
    source: str | None


_YEAR = re.compile(r"\d{4}")


META_FIELDS = ("title", "date", "source")
# What a person may set by hand over what the file says (``glose meta ID --set NAME=VALUE``):
# the index keeps the result, so ``author:`` and the variables agree with what is shown.
OVERRIDABLE = (*META_FIELDS, "author", "section", "page", "origin", "language")


def with_overrides(guessed: dict[str, str | None], overrides: dict[str, str]) -> dict[str, str | None]:
    """Title, date, source (and the other :data:`OVERRIDABLE` variables ``guessed`` holds) as
    shown everywhere: the override set by hand, else the guess. (The one place this rule is
    written: the index, the API and the exports use it.)"""
    keys = (*META_FIELDS, *(k for k in OVERRIDABLE[len(META_FIELDS) :] if k in guessed))
    return {k: overrides.get(k) or guessed.get(k) or None for k in keys}


def parse_date(text: str) -> str | None:
    """The first valid full date (with a year) in ``text``, as ISO ``YYYY-MM-DD``."""
    if not _YEAR.search(text):
        return None  # most lines: no year, no date
    folded = _fold(text)
    found: list[tuple[int, str]] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            parts = dict(zip(order, match.groups(), strict=True))
            month = MONTHS[parts["M"].lower()] if "M" in parts else int(parts["m"])
            try:
                value = Date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
            found.append((match.start(), value.isoformat()))
    return min(found)[1] if found else None


def guess_metadata(text: str, fallback_title: str) -> Metadata:
    # Only the first and last lines carry metadata: never split a 5 MB text whole.
    head_text = text[:HEAD_CHARS]
    tail_text = text[-TAIL_CHARS:] if len(text) > HEAD_CHARS else ""
    head: list[str] = []
    for line in head_text.split("\n", HEAD_LINES * 4):
        if squashed := _squash(line):
            head.append(squashed)
            if len(head) == HEAD_LINES:
                break
    tail: list[str] = []
    for line in reversed(tail_text.split("\n")):  # the last ten lines that are not blank
        if squashed := _squash(line):
            tail.append(squashed)
            if len(tail) == 10:
                break
    tail.reverse()
    tail = tail or head[-10:]
    return Metadata(
        title=_guess_title(head) or fallback_title,
        date=_guess_date(head_text[:LABEL_CHARS] + "\n" + tail_text, head),
        source=_guess_source(head, tail),
    )


def _labelled(pattern: re.Pattern, text: str) -> str | None:
    for match in pattern.finditer("\n" + text):
        if value := parse_date(match.group(1)[:80]):
            return value
    return None


def _guess_date(text: str, head: list[str]) -> str | None:
    if value := _labelled(_PUBLISHED, text):
        return value
    for line in head:
        if len(line) <= 60 and (value := parse_date(line)):
            return value
    return _labelled(_UPDATED, text)


def _guess_title(head: list[str]) -> str | None:
    repeated = {line for line, n in Counter(head).items() if n > 1}
    for line in head:
        if line in repeated or _BOILERPLATE.search(line):
            continue
        candidate = _strip_date_label(line)
        if not candidate or _is_metadata_line(candidate):
            continue
        return _shorten(candidate)
    return None


def _strip_date_label(line: str) -> str:
    """`` date 2026-01-06 Face à la…`` → ``Face à la…``: the lead after a date prefix."""
    match = re.match(r"^\s*date\s*:?\s*\d{4}-\d{1,2}-\d{1,2}\s*", line, re.I)
    return line[match.end() :] if match else line


def _is_metadata_line(line: str) -> bool:
    """Short lines that are bylines, agencies, dates or counters, not headlines."""
    words = line.split()
    if len(words) < 4:
        return True
    return len(line) <= 60 and parse_date(line) is not None


def _shorten(line: str) -> str:
    if len(line) <= TITLE_MAX:
        return line
    end = re.search(r"[.!?…](?=\s|$)", line)
    if end and end.end() <= SENTENCE_MAX:
        return line[: end.end()]
    cut = line.rfind(" ", 0, TITLE_MAX - 1)
    return line[: cut if cut > 40 else TITLE_MAX - 1].rstrip(" ,;:–—-") + "…"


_CANONICAL = {s.lower(): s for s in KNOWN_SOURCES}
# Characters that a case-blind regex matches to an ASCII letter but ``str.lower`` does not
# make one (dotted and dotless i, long s): where one occurs, no shortcut is taken.
_CASE_ODD = re.compile("[\u0130\u0131\u017f]")


def _names_pattern(lines: list[str]) -> re.Pattern | None:
    """The pattern that finds a known source in ``lines``: only the names whose lowercased
    form is in the lowercased text (a necessary condition of a case-blind match, as cheap as
    a substring search), in :data:`KNOWN_SOURCES` order, so the alternation picks the same
    name; None when no name can be there (most heads). Short names such as ``AP`` are in
    most texts as letters of a word: a pattern of two or three names instead of 48 is what
    makes the search cheap."""
    text = "\n".join(lines)
    if _CASE_ODD.search(text):
        return _SOURCE_NAMES
    low = text.lower()
    found = tuple(i for i, name in enumerate(_LOWER_SOURCES) if name in low)
    return _subset_pattern(found) if found else None


_LOWER_SOURCES = tuple(s.lower() for s in KNOWN_SOURCES)


@functools.cache
def _subset_pattern(indexes: tuple[int, ...]) -> re.Pattern:
    names = "|".join(re.escape(KNOWN_SOURCES[i]) for i in indexes)
    return re.compile(r"(?<!\w)(" + names + r")(?!\w)", re.I)


def _canonical(found: str) -> str:
    """The known source's own spelling of a case-blind match (``LİBÉRATION``, with a dotted
    capital I, lowercases to no known name: it once made indexing fail)."""
    name = _CANONICAL.get(found.lower())
    if name is None:
        name = next(s for s in KNOWN_SOURCES if re.fullmatch(re.escape(s), found, re.I))
    return name


def _guess_source(head: list[str], tail: list[str]) -> str | None:
    short = [line for line in head if len(line) <= 60]
    pattern = _names_pattern(short)
    if pattern is not None and (match := pattern.search("\n".join(short))):
        return _canonical(match.group(1))  # the first line's first name, as line by line
    for line in head[:3] + tail:
        if match := _DOMAIN.search(line):
            return match.group(1)
    return None


def _squash(line: str) -> str:
    return " ".join(line.split())


_FOLD = {c: unicodedata.normalize("NFD", chr(c))[0] for c in range(0xC0, 0x250)}


def _fold(text: str) -> str:
    """Accents off (``février`` → ``fevrier``), same length, for matching month names."""
    return text if text.isascii() else text.translate(_FOLD)
