"""Named sets of articles: a saved query (``glose set save``, run again each time it is used)
or the articles a query matched once (``glose set freeze``), both used in any query as
``set:NAME``.

Every change is one journal event (target ``s:`` + the name case-folded) that undo reverts,
like a change to an annotation; a rename is two changes of one event (the old name goes, the
new one comes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..model import StoreError, clean_line, now
from .journal import Change

NAME = re.compile(r"[^\W_][\w.-]*")  # typed after set: in a query: no space, quote, parenthesis
MAX_NAME = 60
MAX_QUERY = 2000


@dataclass(frozen=True)
class ArticleSet:
    name: str
    query: str
    frozen: bool
    articles: tuple[str, ...] | None  # a frozen set's articles; None for a saved query

    def fields(self) -> dict:
        """What the journal keeps of it."""
        return {
            "name": self.name,
            "query": self.query,
            "frozen": self.frozen,
            "articles": None if self.articles is None else list(self.articles),
        }


def set_key(name: str) -> str:
    return name.strip().casefold()


def set_target(name: str) -> str:
    """A set's target in the journal."""
    return "s:" + set_key(name)


def set_name(given: str) -> str:
    """The name as typed (trimmed), or :class:`StoreError` saying what a name may be: it is
    typed after ``set:`` in a query, so a letter or digit first, then letters, digits, ``_``,
    ``-`` or ``.``."""
    name = given.strip()
    if not name or len(name) > MAX_NAME or not NAME.fullmatch(name):
        raise StoreError(
            f"invalid set name {given!r}: a letter or digit first, then letters, digits, '_', '-' "
            f"or '.' (at most {MAX_NAME} characters), so that set:NAME works in a query"
        )
    return name


def _row(row: dict) -> ArticleSet:
    articles = None if row["articles"] is None else tuple(json.loads(row["articles"]))
    return ArticleSet(row["name"], row["query"], bool(row["frozen"]), articles)


class Sets:
    """Mixed into :class:`~tui.store.store.Store`."""

    def article_sets(self) -> list[ArticleSet]:
        """Every set, by name."""
        rows = self._query("SELECT name, query, frozen, articles FROM sets ORDER BY key")
        return [_row(r) for r in rows]

    def article_set(self, name: str) -> ArticleSet | None:
        rows = self._query("SELECT name, query, frozen, articles FROM sets WHERE key = ?", [set_key(name)])
        return _row(rows[0]) if rows else None

    def keep_set(self, name: str, query: str, articles: list[str] | None = None) -> ArticleSet:
        """Keep ``query`` under ``name`` (``articles``: frozen, these articles), replacing a
        set of that name, as one undoable event."""
        name = set_name(name)
        query = clean_line(query)  # one line, no control characters (it is shown in lists)
        if not query:
            raise StoreError("a set needs a query (what it finds)")
        if len(query) > MAX_QUERY:
            raise StoreError(f"a set's query is at most {MAX_QUERY} characters (this one has {len(query)})")
        made = ArticleSet(name, query, articles is not None, None if articles is None else tuple(articles))
        with self.transaction():
            old = self.article_set(name)
            verb = "freeze" if made.frozen else "save"
            self._set_changes(f"{verb} set {name}", [(old, made)])
        return made

    def drop_set(self, name: str) -> ArticleSet:
        """Delete a set (undoable)."""
        with self.transaction():
            old = self._existing_set(name)
            self._set_changes(f"delete set {old.name}", [(old, None)])
        return old

    def rename_set(self, old_name: str, new_name: str) -> ArticleSet:
        """Rename a set (undoable); refused when the new name is taken by another set."""
        new_name = set_name(new_name)
        with self.transaction():
            old = self._existing_set(old_name)
            taken = self.article_set(new_name)
            if taken is not None and set_key(new_name) != set_key(old.name):
                raise StoreError(f"there is a set named {taken.name} already: delete it first")
            made = ArticleSet(new_name, old.query, old.frozen, old.articles)
            pairs = [(old, made)] if set_key(new_name) == set_key(old.name) else [(old, None), (None, made)]
            self._set_changes(f"rename set {old.name} to {new_name}", pairs)
        return made

    def _existing_set(self, name: str) -> ArticleSet:
        found = self.article_set(name)
        if found is None:
            known = ", ".join(s.name for s in self.article_sets()) or "none yet"
            raise StoreError(f"no set '{name}' (the sets are: {known})")
        return found

    def _set_changes(self, label: str, pairs: list[tuple[ArticleSet | None, ArticleSet | None]]) -> None:
        """Write each (before, after) and journal them as one event (inside a transaction)."""
        stamp = now()
        changes = []
        for before, after in pairs:
            target = set_target((after or before).name)
            self._write_set(target[2:], after, stamp)
            changes.append(
                Change(
                    target,
                    self._target_version(target),
                    None if before is None else before.fields(),
                    None if after is None else after.fields(),
                )
            )
        self.last_event = self.journal.record(self.actor, "sets", label, changes, at=stamp, undoable=True)

    def _write_set(self, key: str, kept: ArticleSet | None, stamp: str) -> None:
        self._execute("DELETE FROM sets WHERE key = ?", (key,))
        if kept is not None:
            self._execute(
                "INSERT INTO sets (key, name, query, frozen, articles, updated) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    kept.name,
                    kept.query,
                    int(kept.frozen),
                    None if kept.articles is None else json.dumps(list(kept.articles), ensure_ascii=False),
                    stamp,
                ),
            )

    def _revert_sets(self, changes: list[Change]) -> list[Change]:
        """Put the sets of ``changes`` back as they were before (inside the undo's
        transaction); the changes this makes."""
        out = []
        stamp = now()
        for change in changes:
            before = change.before
            kept = None
            if before is not None:
                articles = before["articles"]
                kept = ArticleSet(
                    before["name"],
                    before["query"],
                    before["frozen"],
                    None if articles is None else tuple(articles),
                )
            self._write_set(change.ident, kept, stamp)
            out.append(
                Change(change.target, self._target_version(change.target), change.after, change.before)
            )
        return out
