"""What was worked out from the texts read last, kept for the next copy of the same text.

A folder of articles holds exact copies: the same article saved twice, under two names or in
two folders, an alias page. Everything Glose derives from an article's canonical text (its
guessed title, date and source, its word count and language, its index terms) is a pure
function of that text, so a copy met soon after its original costs a dictionary lookup
instead of a second analysis. Each copy is still indexed as an article of its own; only the
work of reading it is shared.

The memory is bounded by the size of what is kept (characters, roughly), and when full it is
replaced by an empty one rather than trimmed: copies are mostly near each other in a listing
(``ls`` order), and a thread still reading the old dictionary is unharmed.
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A bounded memo: :meth:`get` what :meth:`put` kept under ``key``, or None."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: dict[K, V] = {}
        self.size = 0

    def get(self, key: K) -> V | None:
        return self.items.get(key)

    def put(self, key: K, value: V, size: int) -> V:
        """Keep ``value`` (of about ``size`` characters, its key's included) and return it."""
        if size <= self.limit:
            if self.size + size > self.limit:
                self.items, self.size = {}, 0
            self.items[key] = value
            self.size += size
        return value

    def clear(self) -> None:
        self.items, self.size = {}, 0
