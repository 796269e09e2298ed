"""Which tool wrote a REFI-QDA file, how it counts offsets, and mapping them onto Glose's text.

REFI-QDA says positions count characters, but tools disagree on what a character is and on
which text they count in. NVivo counts UTF-16 code units over the source as stored (CRLF line
ends included: checked on a real NVivo 12.6 export, where code points put 0 of 303 codings on
their text). QualCoder stores what its Qt editor's cursor counts: UTF-16 units over its text
with LF line ends, even when it writes the file with CRLF for MAXQDA (checked on exports written
by QualCoder's own code, ``fixtures/interop/qualcoder_*.qdpx``); offsets it took from another
tool's file it writes back as they came. ATLAS.ti, Taguette and Glose count code points. The archive carries the
exact text the producer counted in, so every selection is mapped onto the canonical text (LF,
NFC, no controls: what Glose's offsets count in) and then checked: against the selected text
the producer wrote (``name`` in QualCoder and ATLAS.ti; ATLAS.ti cuts a long quotation's name
at 100 characters with "…", which checks the passage's beginning, and a name the user gave a
quotation is a label, not its text), else by the certainty of the mapping.

A selection is *verified* when its text is known to be the one the producer coded: its name
matches, or the producer's convention is known, or every convention gives the same span.
It is *relocated* when the producer's name for it matched only under another convention, or
was found elsewhere in the text. Otherwise it is *unverified*: imported, but never ``anchored``.
A selection without a name (a QualCoder annotation) is read the way the named selections of its
source were found to count, when they tell (one file can mix conventions: QualCoder writes back
the code points of a Glose project next to the UTF-16 units of its own codings).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from ...text.anchoring import Selector, relocate
from ...text.corpus import canonical_text, content_hash

CODEPOINTS, UTF16 = "codepoints", "utf16"
RAW, LF = "raw", "lf"  # line ends counted as stored (CRLF = 2) or as one character


@dataclass(frozen=True)
class Producer:
    """The tool that wrote a file, as its ``origin`` says, and how it counts offsets."""

    name: str  # NVivo, MAXQDA, ATLAS.ti, QualCoder, Taguette, Glose, or the origin as written
    version: str
    units: str | None  # None: not known, every convention is tried
    line_ends: str | None
    sure: bool = True  # False: the convention is only the likeliest, tried first, not trusted

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}".strip()


_KNOWN = (
    # (pattern on origin, name, units, line ends, sure)
    (r"nvivo", "NVivo", UTF16, RAW, True),
    # No MAXQDA export could be checked here. QualCoder's importer, tested on MAXQDA exports,
    # counts CRLF as two characters (refi.py load_text_source); a public script reading MAXQDA
    # 2022 exports slices the decoded file by code points. Likeliest, so tried first; trusted
    # only per selection (its name, or every convention agreeing).
    (r"maxqda", "MAXQDA", CODEPOINTS, RAW, False),
    (r"atlas\.?ti", "ATLAS.ti", CODEPOINTS, None, True),
    (r"qualcoder", "QualCoder", UTF16, LF, True),  # its Qt editor's cursor positions
    (r"taguette", "Taguette", CODEPOINTS, None, True),
    (r"glose", "Glose", CODEPOINTS, LF, True),
)


def detect(origin: str | None) -> Producer:
    """The producer named by a REFI ``origin`` (``NVivo for Windows 12.6``, ``MAXQDA 2022
    (Release 22.4.0)``, ``Qualcoder-1.4``, ``ATLAS.ti for Windows 23.2.3.27778``)."""
    text = " ".join((origin or "").split())
    version = next(iter(re.findall(r"\d+(?:\.\d+)*", text)), "")
    for pattern, name, units, line_ends, sure in _KNOWN:
        if re.search(pattern, text, re.I):
            if re.search(r"utf-?16", text, re.I):  # Glose's export for tools that count so
                units = UTF16
            return Producer(name, version, units, line_ends, sure)
    return Producer(text or "unknown", "", None, None)


def conventions(producer: Producer) -> list[tuple[str, str]]:
    """Every (units, line ends) reading of offsets, the producer's own first."""
    every = [(CODEPOINTS, LF), (CODEPOINTS, RAW), (UTF16, RAW), (UTF16, LF)]
    own = [
        c
        for c in every
        if (producer.units is None or c[0] == producer.units)
        and (producer.line_ends is None or c[1] == producer.line_ends)
    ]
    return own + [c for c in every if c not in own]


class SourceText:
    """A source's text as the producer stored it, and the maps from its offsets (under each
    convention) to offsets in the canonical text."""

    def __init__(self, raw: str):
        self.raw = raw.removeprefix("\ufeff")
        self.canonical = canonical_text(self.raw)
        self.hash = content_hash(self.canonical)
        self._views: dict[str, tuple[str, list[int]]] = {}
        self._canon: dict[tuple[str, int], int] = {}
        self._known: dict[str, list[int]] = {}  # points mapped at clean boundaries, sorted
        # the conventions under which every named selection whose readings differed matched
        # its name (None: no such selection yet)
        self.counted: set[tuple[str, str]] | None = None

    def _view(self, line_ends: str) -> tuple[str, list[int]]:
        """The text under a line-end convention and where its astral characters are."""
        if line_ends not in self._views:
            text = self.raw if line_ends == RAW else self.raw.replace("\r\n", "\n").replace("\r", "\n")
            astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF] if not text.isascii() else []
            # the UTF-16 unit offset of each astral character's high surrogate
            self._views[line_ends] = (text, [i + k for k, i in enumerate(astral)])
        return self._views[line_ends]

    def _codepoint(self, offset: int, units: str, line_ends: str) -> int | None:
        text, astral_units = self._view(line_ends)
        point = offset - bisect_left(astral_units, offset) if units == UTF16 else offset
        return point if 0 <= point <= len(text) else None

    def _to_canonical(self, point: int, line_ends: str) -> int:
        """Where code point ``point`` of a view falls in the canonical text: counted on from
        the nearest point already mapped (a project maps hundreds of selections over one long
        text), from a clean boundary only (not inside a CRLF, not before a combining mark)."""
        key = (line_ends, point)
        if key in self._canon:
            return self._canon[key]
        text, _ = self._view(line_ends)
        known = self._known.setdefault(line_ends, [0])
        at = bisect_left(known, point)
        base = known[at - 1] if at else 0
        count = self._canon.get((line_ends, base), 0) + len(canonical_text(text[base:point]))
        self._canon[key] = count
        if point < len(text) and text[point].isascii() and text[point - 1 : point] != "\r":
            known.insert(at, point)
        return count

    def span(self, start: int, end: int, units: str, line_ends: str) -> tuple[int, int] | None:
        """The canonical span of ``[start, end)`` read under a convention, or None when the
        offsets fall outside the text or hold only white space."""
        a, b = self._codepoint(start, units, line_ends), self._codepoint(end, units, line_ends)
        if a is None or b is None or a >= b:
            return None
        s, e = self._to_canonical(a, line_ends), self._to_canonical(b, line_ends)
        if s >= e or not self.canonical[s:e].strip():
            return None
        return s, e


@dataclass(frozen=True)
class Placed:
    start: int
    end: int
    verdict: str  # verified | relocated | unverified


_CUT = "\u2026"  # ATLAS.ti names a quotation by its first 100 characters and "…"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _same_text(a: str, b: str, *, exact: bool | None = False) -> bool:
    """Whether the producer's name for a selection is the text at the place: exactly, or with
    white space folded (tools trim names, or write line ends their own way: QualCoder's names
    hold U+2029 where a line ended), or (``exact=None``) as the text's beginning, longer."""
    if exact:
        return bool(a.strip()) and a == b
    if exact is None:
        return bool(a.strip()) and len(_fold(b)) > len(_fold(a)) and _fold(b).startswith(_fold(a))
    return bool(a.strip()) and _fold(a) == _fold(b)


def _may_be_the_text(name: str, length: int, readings) -> bool:
    """Whether a name that no reading gives could still be the selected text, so worth looking
    for elsewhere: not a cut name, and about as long as the offsets (or a reading) say. ATLAS.ti
    lets users name a quotation ("damage done by fatty foods" for 219 characters): found
    elsewhere in the text, such a name would move the coding onto a few words of it."""
    if name.endswith(_CUT):
        return False
    near = lambda n: abs(n - len(name)) <= 3 + n // 10  # noqa: E731  (line ends, trimmed space)
    return near(length) or any(near(e - s) for (s, e), _ in readings)


def place(source: SourceText, producer: Producer, start: int, end: int, name: str) -> Placed | None:
    """Map a selection onto the canonical text and say how sure that is (see the module
    docstring). None when no convention puts the offsets inside the text."""
    readings: list[tuple[tuple[int, int], set[tuple[str, str]]]] = []  # span, conventions giving it
    for convention in conventions(producer):
        where = source.span(start, end, *convention)
        if where is None:
            continue
        for span, given in readings:
            if span == where:
                given.add(convention)
                break
        else:
            readings.append((where, {convention}))
    text = source.canonical
    name = canonical_text(name or "").strip()
    if name:
        # an exact match first: a folded one may hold one more space than was coded; then
        # ATLAS.ti's name of a long quotation, its beginning cut with "…"
        tests = [(name, True), (name, False)] + ([(name[:-1], None)] if name.endswith(_CUT) else [])
        for said, exact in tests:
            for n, ((s, e), given) in enumerate(readings):
                if _same_text(said, text[s:e], exact=exact):
                    if len(readings) > 1:  # the offsets tell how this source is counted
                        source.counted = given if source.counted is None else source.counted & given
                    return Placed(s, e, "verified" if n == 0 else "relocated")
        if _may_be_the_text(name, end - start, readings):
            # The producer said what it coded and no reading gives it: look for it.
            hint = readings[0][0] if readings else (0, len(name))
            found = relocate(text, Selector(hint[0], hint[0] + len(name), name, "", ""))
            if found.status != "orphaned":
                return Placed(found.start, found.end, "relocated")
            return Placed(*readings[0][0], "unverified") if readings else None
        # else a label (a quotation the user named, a cut name): the offsets alone tell
    if not readings:
        return None
    if len(readings) > 1 and source.counted is not None:
        # the way this source's named selections were found to count; when they disagree
        # (codings made in QualCoder next to ones it took from a file), nothing says which
        for span, given in readings:
            if given & source.counted:
                return Placed(*span, "verified")
        return Placed(*readings[0][0], "unverified")
    # Without a name (or with a label): certain when the producer's convention is known, or
    # when every convention reads these offsets alike (no CRLF or astral character before them).
    known = producer.sure and producer.units is not None and producer.line_ends is not None
    return Placed(*readings[0][0], "verified" if known or len(readings) == 1 else "unverified")
