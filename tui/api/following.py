"""Annotations follow their article when its file is renamed or moved, and only then.

A vanished file's annotations go to a file that **appeared in the same update** (the index
update's added files: never an article that was already there) and is verified to be it:

- the same content: the body hash one of its annotations was made or placed on, *and* the
  same metadata block (two outlets' copies of one wire story share a body, not a block);
- or the same file name (moved to another folder) with every annotation's quote found at its
  place in the text.

A file known to have had another metadata block is never taken for it. When several added
files pass (identical copies), one in the same folder, else one of the same name, decides;
otherwise nothing follows. Each follow is one journal event ``glose undo`` reverts; when a
file annotations followed away from comes back, they return to it. What is left becomes an
orphan, listed by ``glose review`` with its candidates (:func:`candidates`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import GloseError
from ..model import Annotation, StoreError
from ..text.corpus import ArticleText, Skipped, content_hash, read_with_meta, resolve_path


@dataclass(frozen=True)
class Content:
    """What a file holds, as following compares it: its canonical body and the hash of its
    metadata block."""

    doc: ArticleText
    meta: str


def meta_digest(meta: dict[str, str]) -> str:
    """The hash of a metadata block (the same keys and values give the same hash)."""
    return hashlib.sha256(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_content(articles_dir, article: str) -> Content | None:
    """The file's body and metadata hash, or None when it cannot be read."""
    try:
        text, meta, _, _ = read_with_meta(resolve_path(articles_dir, article))
    except (Skipped, GloseError, OSError):
        return None
    return Content(ArticleText(article, text, content_hash(text)), meta_digest(meta))


def remember(store, articles_dir, articles: Iterable[str]) -> None:
    """Record what these annotated files hold (body and metadata hashes), so they are known
    again by content once renamed or in another coder's folder."""
    rows = []
    for article in dict.fromkeys(articles):
        found = read_content(articles_dir, article)
        if found is not None:
            rows.append((article, found.doc.hash, found.meta))
    if not rows or store.readonly:
        return
    try:
        store.record_content(rows)
    except StoreError:
        # bookkeeping, asked again by the next command: a full disk or a locked store must not
        # fail a command that only reads (an export says then what it could not write)
        pass


def quotes_in_place(anns: list[Annotation], text: str) -> bool:
    """Whether every annotation (the live ones; the trash when there are none) has its
    quote at its place in ``text``: where it sits now, or where it was made."""
    live = [a for a in anns if a.deleted is None] or anns
    if not live:
        return False
    for ann in live:
        made = ann.made
        if text[ann.start : ann.end] != ann.exact and text[made.start : made.end] != made.exact:
            return False
    return True


def verified(
    old: str,
    anns: list[Annotation],
    hashes: set[str],
    recorded: dict[str, str],
    new: Content,
) -> str | None:
    """Why ``new`` is the file ``old`` was (annotated with ``anns``, on texts ``hashes``,
    recorded as {body hash: metadata hash}), or None when that is not certain."""
    if recorded and new.meta not in recorded.values():
        return None  # its metadata block was another: another copy, not this file
    if new.doc.hash in hashes and recorded.get(new.doc.hash) == new.meta:
        return "same content"
    if PurePosixPath(old).name == PurePosixPath(new.doc.id).name and quotes_in_place(anns, new.doc.text):
        return "same name, quotes in place"
    return None


def pick_one(old: str, passing: list[str]) -> str | None:
    """The one added file ``old`` became among several that pass (identical copies)."""
    if len(passing) == 1:
        return passing[0]
    here = PurePosixPath(old)
    for near in (
        lambda p: p.parent == here.parent,
        lambda p: p.name == here.name,
    ):
        found = [a for a in passing if near(PurePosixPath(a))]
        if len(found) == 1:
            return found[0]
    return None


def _of(store, article: str) -> list[Annotation]:
    return store.annotations(article=article) + store.annotations(article=article, deleted=True)


def follow_moves(
    store,
    indexed: dict[str, str | None],
    added: Iterable[str],
    read: Callable[[str], Content | None],
) -> list[tuple[str, str]]:
    """Move the annotations of every article whose file is gone to the added file it became,
    when verified (see the module's docstring), and bring back to a file that came back the
    annotations that followed away from it. ``indexed`` is every indexed article with its
    hash, ``added`` the files new in this update. Returns (old, new) pairs."""
    fresh = [a for a in dict.fromkeys(added) if indexed.get(a)]
    if not fresh:
        return []
    cache: dict[str, Content | None] = {}

    def content(article: str) -> Content | None:
        if article not in cache:
            cache[article] = read(article)
        return cache[article]

    followed = _returns(store, fresh, content)
    annotated = store.known_hashes()
    gone = [a for a in annotated if a not in indexed]
    recorded = store.contents(gone) if gone else {}
    claims: dict[str, list[tuple[str, str]]] = {}
    by_name: dict[str, list[str]] = {}
    for article in fresh:
        by_name.setdefault(PurePosixPath(article).name, []).append(article)
    for old in gone:
        # only files that could pass are read: the same body hash, or the same name
        near = {a for a in fresh if indexed[a] in annotated[old]}
        near.update(by_name.get(PurePosixPath(old).name, ()))
        if not near:
            continue
        anns = _of(store, old)
        passing: dict[str, str] = {}
        for article in sorted(near):
            found = content(article)
            why = found and verified(old, anns, annotated[old], recorded.get(old, {}), found)
            if why:
                passing[article] = why
        new = pick_one(old, sorted(passing))
        if new is not None:
            claims.setdefault(new, []).append((old, passing[new]))
    for new, olds in sorted(claims.items()):
        if len(olds) != 1:
            continue  # two vanished files claim one: neither is certain
        ((old, why),) = olds
        doc = content(new).doc
        store.follow_article(old, new, doc.text, doc.hash, why)
        followed.append((old, new))
    return followed


def _returns(store, fresh: list[str], content) -> list[tuple[str, str]]:
    """Annotations that followed away from a file now back (``fresh``) go back to it."""
    origins = store.origins()
    back: dict[tuple[str, str], list[str]] = {}
    wanted = set(fresh)
    for ident, (first, last) in origins.items():
        if first in wanted and first != last:
            back.setdefault((first, last), []).append(ident)
    if not back:
        return []
    recorded = store.contents([origin for origin, _ in back])
    done = []
    for (origin, current), ids in sorted(back.items()):
        found = content(origin)
        on = {a.id: a for a in _of(store, current)}
        anns = [on[i] for i in ids if i in on]  # still where their last follow put them
        if found is None or not anns:
            continue
        hashes = {h for a in anns for h in (a.article_hash, a.made_hash) if h}
        why = verified(origin, anns, hashes, recorded.get(origin, {}), found)
        if why:
            store.follow_article(
                current, origin, found.doc.text, found.doc.hash, "its file is back", ids=[a.id for a in anns]
            )
            done.append((current, origin))
    return done


@dataclass(frozen=True)
class Candidate:
    """An article where an orphan's quote occurs, and where."""

    article: str
    places: tuple[tuple[int, int], ...]

    def to_json(self) -> dict:
        return {"article": self.article, "places": [list(p) for p in self.places]}


def candidates(
    ann: Annotation,
    holding: Callable[[list[str]], list[str]],
    text_of: Callable[[str], str | None],
    limit: int = 3,
    places: int = 3,
) -> list[Candidate]:
    """The articles where an orphan's quote occurs (found by the index, checked in the
    text), with up to ``places`` (start, end) each: what ``glose review`` proposes for
    ``glose review reattach ID --article ARTICLE``. Its own article first."""
    quote = ann.made.exact
    if not quote.strip():
        return []
    found: list[Candidate] = []
    for article in sorted(holding([quote]), key=lambda a: (a != ann.article, a)):
        text = text_of(article)
        if text is None:
            continue
        spots, at = [], text.find(quote)
        while at >= 0 and len(spots) < places:
            spots.append((at, at + len(quote)))
            at = text.find(quote, at + 1)
        if spots:
            found.append(Candidate(article, tuple(spots)))
        if len(found) >= limit:
            break
    return found
