"""Annotations follow their article when its file is renamed or moved: found again by its
content (the same hash), else as the one file of the same name elsewhere in the corpus, else
as the one file holding most of the annotations' quotes (a file renamed and edited)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePosixPath


def follow_moves(
    store,
    indexed: dict[str, str | None],
    find: Callable[[list[str]], Iterable[str]] | None = None,
) -> list[tuple[str, str]]:
    """Move the annotations of every article whose file is gone to the file it became, when
    exactly one candidate fits. ``indexed`` is every indexed article with its hash; ``find``
    lists the articles holding most of some quotes (the index), for edited and renamed files.
    Returns (old, new) pairs."""
    annotated = store.known_hashes()  # article -> hashes its annotations were made or placed on
    gone = [a for a in annotated if a not in indexed]
    if not gone:
        return []
    free = [a for a, h in indexed.items() if a not in annotated and h is not None]
    by_hash: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for article in free:
        by_hash.setdefault(indexed[article], []).append(article)
        by_name.setdefault(PurePosixPath(article).name, []).append(article)
    followed = []
    for old in gone:
        found = {a for h in annotated[old] for a in by_hash.get(h, ())}
        if not found:
            found = set(by_name.get(PurePosixPath(old).name, ()))
        if not found and find is not None:
            quotes = store.quotes_of(old)
            found = {a for a in find(quotes) if a in free} if quotes else set()
        if len(found) == 1:
            (new,) = found
            store.follow_article(old, new)
            followed.append((old, new))
            free.remove(new)
            for bucket in (*by_hash.values(), *by_name.values()):
                if new in bucket:
                    bucket.remove(new)
    return followed
