"""An article as a reference: the one place that turns its variables (title, outlet, date,
authors, page, section, the press database's document id, its address) into what a
bibliography reads, so that ``glose cite`` (RIS, CSL-JSON, BibTeX: :mod:`.writers`) and a
report's citation lines (``Le Monde, 9 janvier 2026, p. 3, « Titre »``) never disagree.

Dates are written in the corpus language (French or English; any other language gets the
ISO date, which every reader understands)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip
PAGE = {"fr": "p.", "en": "p."}
QUOTES = {"fr": ("« ", " »"), "en": ("“", "”")}
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Several authors: "A et B", "A and B", "A & B", "A; B", or "A, B" when each part is a full name.
_AUTHORS_HARD = re.compile(r"\s*;\s*|\s+(?:et|and|und|y|e)\s+|\s*&\s*")
_AUTHORS_COMMA = re.compile(r"\s*,\s*")


@dataclass(frozen=True)
class Name:
    """One author: a person (family, given) or a body written as it is (``AFP``)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def inverted(self) -> str:
        """``Chauvot, Myriam`` (how RIS and BibTeX write a person), or the literal name."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Reference:
    """One newspaper article, as every citation format describes it."""

    article: str  # Glose's article id
    title: str
    outlet: str | None = None
    date: str | None = None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    authors: tuple[Name, ...] = ()
    page: str | None = None
    section: str | None = None
    doc_id: str | None = None  # the press database's document id (the metadata block's ``id``)
    url: str | None = None
    language: str | None = None
    extra: dict = field(default_factory=dict)

    def date_parts(self) -> list[int]:
        """[year, month?, day?] of the date, or [] when it is none or not ISO."""
        match = _ISO.fullmatch(self.date or "")
        return [int(g) for g in match.groups() if g] if match else []


def parse_authors(text: str | None) -> tuple[Name, ...]:
    """The authors an ``author`` variable names. A one-word name (an agency, a pen name) is
    kept whole; ``Chauvot, Myriam`` is one person written family first; ``Myriam Chauvot``
    one person whose last word is the family name (the guess every reference manager makes)."""
    text = " ".join((text or "").split())
    if not text:
        return ()
    parts = [p for p in _AUTHORS_HARD.split(text) if p]
    names: list[Name] = []
    for part in parts:
        pieces = [p for p in _AUTHORS_COMMA.split(part) if p]
        if len(pieces) > 1 and all(" " in p for p in pieces):  # "A B, C D": several people
            names += [_name(p) for p in pieces]
        elif len(pieces) == 2:  # "Chauvot, Myriam"
            names.append(Name(family=pieces[0], given=pieces[1]))
        else:
            names.append(_name(part))
    return tuple(names)


def _name(text: str) -> Name:
    words = text.split()
    if len(words) < 2 or text.isupper():  # "AFP", "REUTERS", "LE MONDE AVEC AFP"
        return Name(literal=text)
    return Name(family=words[-1], given=" ".join(words[:-1]))


def reference(article: str, fields: Mapping[str, str | None], language: str | None = None) -> Reference:
    """The reference of an article from its variables (``title``, ``source``, ``date``,
    ``author``, ``page``, ``section``, ``id``, ``url``, ``language``: what the metadata block
    and the article's variables hold); empty values are left out."""

    def get(key: str) -> str | None:
        value = fields.get(key)
        value = " ".join(str(value).split()) if value is not None else ""
        return value or None

    return Reference(
        article=article,
        title=get("title") or article,
        outlet=get("source"),
        date=get("date"),
        authors=parse_authors(get("author")),
        page=get("page"),
        section=get("section"),
        doc_id=get("id"),
        url=get("url"),
        language=get("language") or language,
    )


def written_date(iso: str | None, language: str | None) -> str | None:
    """``9 janvier 2026``, ``1er janvier 2026``, ``9 January 2026``, ``janvier 2026``; the
    ISO date as it is in a language without month names here."""
    match = _ISO.fullmatch(iso or "")
    months = MONTHS.get((language or "")[:2])
    if match is None or months is None:
        return iso
    year, month, day = match.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    name = months[int(month) - 1]
    if day is None:
        return f"{name} {year}"
    n = int(day)
    return f"{'1er' if n == 1 and months is MONTHS['fr'] else n} {name} {year}"


def citation_line(ref: Reference, language: str | None = None) -> str:
    """``Le Monde, 9 janvier 2026, p. 3, « Titre »``: what a report writes under a quote
    (the parts not known are left out; ``language``: the corpus's, when the article says
    none)."""
    lang = (ref.language or language or "")[:2]
    opening, closing = QUOTES.get(lang, QUOTES["en"])
    parts = [ref.outlet, written_date(ref.date, lang)]
    if ref.page:
        parts.append(f"{PAGE.get(lang, 'p.')} {ref.page}")
    parts.append(f"{opening}{ref.title}{closing}")
    return ", ".join(p for p in parts if p)
