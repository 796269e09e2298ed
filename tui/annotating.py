"""Annotating articles of a workspace: the operations that need both the files and the store.

The CLI commands and the TUI's actions call these, so a quote is found, an annotation made,
and annotations follow edited files the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from .corpus import Skipped, content_hash, read_canonical, resolve_path
from .errors import GloseError
from .store import Annotation, Store, StoreError
from .workspace import Workspace


def open_store(ws: Workspace) -> Store:
    return Store(ws.db)


@dataclass(frozen=True, slots=True)
class ArticleText:
    id: str
    text: str
    hash: str


def article_text(ws: Workspace, given_id: str) -> ArticleText:
    """The canonical text of an article named by id or unique prefix."""
    article_id = ws.article_id(given_id)
    try:
        text, _, _ = read_canonical(resolve_path(ws.articles, article_id))
    except Skipped as exc:
        raise GloseError(f"{article_id}: {exc}") from None
    return ArticleText(article_id, text, content_hash(text))


# --- finding a quote -------------------------------------------------------------------------

_LOOSE = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "„": '"',
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def _loose(text: str) -> tuple[str, list[int]]:
    """Text with quote marks unified and white space runs folded to one space, plus the
    offset in the original of every character of the result (to map matches back)."""
    out: list[str] = []
    where: list[int] = []
    previous_space = False
    for i, ch in enumerate(text):
        ch = ch.translate(_LOOSE)
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of ``quote`` in ``text``: exact first; if none, ignoring differences
    of quote marks (’ vs ') and of white space (a line break typed as a space)."""
    quote = unicodedata.normalize("NFC", quote)
    if not quote.strip():
        raise StoreError("the quote is empty")
    found = []
    at = text.find(quote)
    while at != -1:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    if found:
        return found
    loose_text, where = _loose(text)
    loose_quote, _ = _loose(quote.strip())
    at = loose_text.find(loose_quote)
    while at != -1:
        found.append((where[at], where[at + len(loose_quote) - 1] + 1))
        at = loose_text.find(loose_quote, at + 1)
    return found


def nearest_passages(text: str, quote: str, n: int = 3) -> list[str]:
    """The passages of ``text`` most like ``quote``, for a 'did you mean' message."""
    words = [w for w in re.findall(r"\w{4,}", quote.lower())]
    lower = text.lower()
    starts: set[int] = set()
    for word in dict.fromkeys(words):
        offset = quote.lower().find(word)
        at = lower.find(word)
        while at != -1 and len(starts) < 400:
            starts.add(max(0, at - offset))
            at = lower.find(word, at + 1)
    scored = []
    for start in starts:
        piece = text[start : start + len(quote)]
        scored.append((SequenceMatcher(None, quote, piece, autojunk=False).ratio(), start, piece))
    scored.sort(key=lambda s: (-s[0], s[1]))
    result: list[str] = []
    for score, _, piece in scored:
        piece = " ".join(piece.split())
        if score >= 0.5 and piece not in result:
            result.append(piece)
        if len(result) == n:
            break
    return result


def locate_quote(text: str, article_id: str, quote: str, occurrence: int | None) -> tuple[int, int]:
    """The span of the quote's ``occurrence`` (1-based); a clear error when it is missing or
    ambiguous."""
    spans = find_quote(text, quote)
    if not spans:
        near = nearest_passages(text, quote)
        hint = "; nearest: " + " | ".join(f"“{p}”" for p in near) if near else ""
        raise StoreError(f"the quote is not in {article_id}{hint}")
    if occurrence is None:
        if len(spans) > 1:
            raise StoreError(
                f"the quote occurs {len(spans)} times in {article_id}: add --occurrence N (1 to {len(spans)})"
            )
        return spans[0]
    if not 1 <= occurrence <= len(spans):
        raise StoreError(f"--occurrence {occurrence}: the quote occurs {len(spans)} time(s) in {article_id}")
    return spans[occurrence - 1]


def annotate(
    ws: Workspace,
    store: Store,
    article: str,
    *,
    quote: str | None = None,
    occurrence: int | None = None,
    start: int | None = None,
    end: int | None = None,
    tags: list[str] | tuple[str, ...] = (),
    note: str | None = None,
) -> Annotation:
    """Annotate a passage given by quote or by offsets in the article's canonical text."""
    doc = article_text(ws, article)
    if quote is not None:
        start, end = locate_quote(doc.text, doc.id, quote, occurrence)
    elif start is None or end is None:
        raise StoreError("give the passage: --quote TEXT, or --start and --end")
    return store.create(doc.id, doc.text, doc.hash, start, end, tags=tags, note=note)


def reattach(
    ws: Workspace,
    store: Store,
    ident: str,
    *,
    article: str | None = None,
    quote: str | None = None,
    occurrence: int | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Annotation:
    """Re-attach an annotation (an orphan, typically) to a passage of its or another article."""
    ann = store.get(ident, include_deleted=False)
    doc = article_text(ws, article or ann.article)
    if quote is not None:
        start, end = locate_quote(doc.text, doc.id, quote, occurrence)
    elif start is None or end is None:
        raise StoreError("give the new passage: --quote TEXT, or --start and --end")
    return store.reattach(ann.id, doc.text, doc.hash, start, end, article=doc.id)


# --- following edited files ----------------------------------------------------------------


@dataclass
class SyncReport:
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    recovered: int = 0  # orphans that found their text again

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.fuzzy or self.orphaned or self.recovered)

    def summary(self) -> str:
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.moved, "moved"),
                (self.fuzzy, "re-anchored approximately"),
                (self.orphaned, "orphaned"),
                (self.recovered, "recovered"),
            )
            if n
        ]
        return "annotations: " + ", ".join(parts) + " (see glose review)"


def sync_annotations(ws: Workspace, store: Store, indexed: dict[str, str | None]) -> SyncReport:
    """Make every annotation agree with the current files.

    ``indexed`` maps article id → content hash of what the index holds (None: skipped). Driven
    by the hashes the annotations themselves remember, not by a list of changes, so a crash
    between indexing and this step is repaired by the next run.
    """
    report = SyncReport()
    for article, hashes in store.article_hashes().items():
        current = indexed.get(article)
        if current is None:
            report.orphaned += len(store.orphan_article(article))
            continue
        if all(h == current for h in hashes):
            continue
        try:
            doc = article_text(ws, article)
        except GloseError:
            report.orphaned += len(store.orphan_article(article))
            continue
        for before, after in store.reanchor(article, doc.text, doc.hash):
            if after.status == "orphaned":
                report.orphaned += 1
            elif before.status == "orphaned":
                report.recovered += 1
            elif after.status == "fuzzy":
                report.fuzzy += 1
            else:
                report.moved += 1
    return report
