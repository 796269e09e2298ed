"""What every reader of :mod:`tui.intake` produces: pieces of text with their metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import GloseError
from ..sanitize import stored
from ..text.corpus import canonical_text


class SourceError(GloseError):
    """An input file that cannot be added (unreadable, unknown format, no text): one line."""


@dataclass
class Piece:
    """One article found in an input file, before it is written.

    ``body`` is plain text with paragraphs separated by blank lines; the metadata fields are
    what the export says (None when it says nothing), already cleaned of its chrome.
    """

    body: str
    title: str | None = None
    subtitle: str | None = None
    source: str | None = None  # the publication's name, without issue numbers
    date: str | None = None  # ISO YYYY-MM-DD
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    page: str | None = None
    words: int | None = None
    doc_id: str | None = None  # the database's document id
    url: str | None = None

    def meta(self, origin: str) -> dict[str, str | None]:
        """The metadata block (:mod:`tui.text.frontmatter` keys) of this piece, every value one
        clean line (no control character or escape sequence reaches the file)."""
        values = {
            "title": self.title,
            "subtitle": self.subtitle,
            "date": self.date,
            "source": self.source,
            "author": "; ".join(self.authors) or None,
            "section": self.section,
            "page": self.page,
            "words": str(self.words) if self.words else None,
            "id": self.doc_id,
            "url": self.url,
            "origin": origin,
        }
        return {k: clean_line(v) for k, v in values.items()}


@dataclass
class SourceFile:
    """An input file read whole: its format, its pieces, and the documents it holds that
    cannot be articles (with why)."""

    format: str  # see tui.intake.detect.detect
    pieces: list[Piece]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
# A drop cap exported as a paragraph of its own ("C" then "'est la douche froide…")
_DROP_CAP = re.compile(r"(?m)^([A-ZÀ-ÖØ-Þ])\n\n(?=['’a-zà-öø-ÿ])")


def clean_line(text: str | None) -> str | None:
    """A metadata value: controls stripped, spaces squashed, None when empty; a lone
    surrogate (an input's file name that is not UTF-8, in ``origin``) becomes U+FFFD."""
    if text is None:
        return None
    value = " ".join(stored(canonical_text(text)).split())
    return value or None


def clean_body(text: str) -> str:
    """A body: canonical (controls, CRLF, NFC), spaces squashed inside lines, lines trimmed,
    paragraphs separated by exactly one blank line."""
    text = canonical_text(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _DROP_CAP.sub(r"\1", _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n"))


# Lines of an export's chrome inside a body: related-article links ("Lire aussi", with or
# without a space, a ">" or "|" before) and copyright notices.
_NOTICE = re.compile(
    r"^\W*(?:&gt;\W*)?(?:(?:[àa] )?lire aussi|voir aussi\b)"
    r"|^\s*(?:©|\(c\)\s|copyright\b|tous droits (?:de reproduction )?(?:et de repr[ée]sentation )?r[ée]serv[ée]s)",
    re.I,
)


def drop_notices(text: str) -> str:
    """A body without its chrome lines (see :data:`_NOTICE`: related-article links, and
    copyright or photo-credit lines under 300 characters), each paragraph's remaining lines
    joined with a space (exports break lines inside sentences)."""
    out = []
    for para in text.split("\n\n"):
        lines = [
            x
            for x in para.split("\n")
            if not (_NOTICE.match(x) and (len(x) < 300 or "lire aussi" in x[:20].lower()))
        ]
        if lines:
            out.append(" ".join(lines))
    return "\n\n".join(out)


def paragraphs(parts) -> str:
    """Paragraph texts joined as a body (empty ones dropped)."""
    return clean_body("\n\n".join(p for p in parts if p and p.strip()))


_WORDS = re.compile(r"\b(\d{1,3}(?:[\u00a0\u202f]\d{3})+|\d+)\s*(?:mots|words|Wörter|palabras)\b", re.I)


def word_count(text: str | None) -> int | None:
    """``1455 mots`` / ``718 words`` → 1455 / 718."""
    if not text or not (m := _WORDS.search(text)):
        return None
    digits = re.sub(r"\D", "", m.group(1))
    return int(digits) if digits else None
