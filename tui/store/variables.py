"""Article variables kept by hand: the values a person set (``glose meta ID --set NAME=VALUE``,
``glose vars import``) over what the file says, and the variables of their own (``genre``).

Every change is one journal event (target ``v:`` + JSON ``[article, name]``) that undo reverts,
like a change to an annotation. Title, date and source keep their historic table
(``article_meta``, which the index and the exports read); every other name lives in
``article_vars``. Both are written here only, so both are journaled the same way.
"""

from __future__ import annotations

import json
import re

from ..model import StoreError, clean_line, now
from ..text.metadata import OVERRIDABLE
from ..wording import counted
from .journal import Change
from .sqlite import chunks

META_COLUMNS = ("title", "date", "source")  # the article_meta table's
__all__ = ["OVERRIDABLE", "Variables", "variable_name", "variable_value"]
BUILTIN = ("source", "date", "author", "section", "page", "words", "language", "origin")
COMPUTED = ("words",)  # counted from the text: never set by hand
# Names that mean something else in a query or an index record: never a variable.
RESERVED = ("tag", "set", "body", "id", "hash", "size", "mtime", "encoding", "pairs", "day")
NAME = re.compile(r"[^\W\d_][^\W_]*(?:_[^\W_]+)*")  # letters first; digits and single '_' after
MAX_NAME = 40
MAX_VALUE = 500


def var_target(article: str, name: str) -> str:
    """A variable's target in the journal."""
    return "v:" + json.dumps([article, name], ensure_ascii=False)


def var_of(change: Change) -> tuple[str, str]:
    """The (article, name) of a variable's change."""
    article, name = json.loads(change.ident)
    return article, name


def variable_name(given: str) -> str:
    """The name as stored (lower case), or :class:`StoreError` saying what a name may be: it is
    typed as a query field (``genre:tribune``), so letters first, then letters, digits, ``_``."""
    name = given.strip().lower()
    if name in COMPUTED:
        raise StoreError(f"'{name}' is counted from the article's text; it cannot be set")
    if name in RESERVED:
        raise StoreError(
            f"'{name}' is not a variable name Glose can use (it means something else in a query)"
        )
    if not name or len(name) > MAX_NAME or not NAME.fullmatch(name):
        raise StoreError(
            f"invalid variable name {given!r}: letters first, then letters, digits or single '_' "
            f"(at most {MAX_NAME} characters), so that it works as a query field"
        )
    return name


def variable_value(value: str | None) -> str | None:
    """One line of text, or None (no value: the variable is removed)."""
    if value is None:
        return None
    value = clean_line(value)
    if len(value) > MAX_VALUE:
        raise StoreError(f"a variable's value is at most {MAX_VALUE} characters (this one has {len(value)})")
    return value or None


class Variables:
    """Mixed into :class:`~tui.store.store.Store`."""

    def variables(self, articles: list[str] | None = None) -> dict[str, dict[str, str]]:
        """article → {name: value} of everything set by hand (``articles``: only these)."""
        found: dict[str, dict[str, str]] = {}
        pieces = [None] if articles is None else list(chunks(sorted(set(articles))))
        for piece in pieces:
            if piece is None:
                meta = self._query("SELECT article, title, date, source FROM article_meta")
                other = self._query("SELECT article, name, value FROM article_vars")
            else:
                marks = ",".join("?" * len(piece))
                meta = self._query(
                    f"SELECT article, title, date, source FROM article_meta WHERE article IN ({marks})", piece
                )
                other = self._query(
                    f"SELECT article, name, value FROM article_vars WHERE article IN ({marks})", piece
                )
            for row in meta:
                found.setdefault(row["article"], {}).update({k: row[k] for k in META_COLUMNS if row[k]})
            for row in other:
                found.setdefault(row["article"], {})[row["name"]] = row["value"]
        return {a: v for a, v in found.items() if v}

    def version_key(self) -> tuple:
        """Changes when this or any other connection writes (what is kept from the store, such
        as the variable table, is made again then)."""
        last = self._query("SELECT max(seq) AS seq FROM events")[0]["seq"]
        return self.data_version(), last

    def variable_names(self) -> list[str]:
        """Every name set on some article, sorted."""
        names = {r["name"] for r in self._query("SELECT DISTINCT name FROM article_vars")}
        for column in META_COLUMNS:
            if self._query(
                f"SELECT 1 FROM article_meta WHERE {column} IS NOT NULL AND {column} != '' LIMIT 1"
            ):
                names.add(column)
        return sorted(names)

    def set_variables(self, values: dict[str, dict[str, str | None]], *, label: str | None = None) -> int:
        """Set (or, with None or '', remove) ``values``: {article: {name: value}}, as one undoable
        event. Returns how many values changed (setting what is already there writes nothing)."""
        cleaned = {
            article: {variable_name(k): variable_value(v) for k, v in named.items()}
            for article, named in values.items()
        }
        stamp = now()
        with self.transaction():
            held = self.variables(list(cleaned))
            changes = []
            for article, named in cleaned.items():
                for name, value in named.items():
                    old = held.get(article, {}).get(name)
                    if old == value:
                        continue
                    self._write_variable(article, name, value, stamp)
                    target = var_target(article, name)
                    changes.append(
                        Change(
                            target,
                            self._target_version(target),
                            None if old is None else {"value": old},
                            None if value is None else {"value": value},
                        )
                    )
            self.last_event = None
            if changes:
                if label is None:
                    article, name = var_of(changes[0])
                    label = (
                        f"set {name} of {article}"
                        if len(changes) == 1
                        else f"set {counted(len(changes), 'value')} of "
                        f"{counted(len({var_of(c)[0] for c in changes}), 'article')}"
                    )
                self.last_event = self.journal.record(
                    self.actor, "variables", label, changes, at=stamp, undoable=True
                )
        return len(changes)

    def _write_variable(self, article: str, name: str, value: str | None, stamp: str) -> None:
        if name in META_COLUMNS:
            self._execute(
                "INSERT INTO article_meta (article, updated) VALUES (?, ?) ON CONFLICT (article) DO NOTHING",
                (article, stamp),
            )
            self._execute(
                f"UPDATE article_meta SET {name} = ?, updated = ? WHERE article = ?", (value, stamp, article)
            )
            self._execute(
                "DELETE FROM article_meta WHERE article = ? AND title IS NULL AND date IS NULL AND source IS NULL",
                (article,),
            )
        elif value is None:
            self._execute("DELETE FROM article_vars WHERE article = ? AND name = ?", (article, name))
        else:
            self._execute(
                "INSERT INTO article_vars (article, name, value, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article, name) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                (article, name, value, stamp),
            )

    def _restore_variables(self, values) -> list[Change]:
        """Put back a backup's hand-set values (article, name, value) where the article has no
        value of that name, inside the caller's transaction and event; the changes, for it."""
        stamp = now()
        held = self.variables(list({a for a, _, _ in values}))
        changes = []
        for article, given, value in values:
            try:
                name, value = variable_name(given), variable_value(value)
            except StoreError:
                continue  # not a name Glose can use: the import's report lists nothing for it
            if value is None or name in held.get(article, {}):
                continue
            self._write_variable(article, name, value, stamp)
            held.setdefault(article, {})[name] = value
            target = var_target(article, name)
            changes.append(Change(target, self._target_version(target), None, {"value": value}))
        return changes

    def _revert_variables(self, changes: list[Change]) -> list[Change]:
        """Put the variables of ``changes`` back as they were before (inside the undo's
        transaction); the changes this makes."""
        out = []
        stamp = now()
        for change in changes:
            article, name = var_of(change)
            value = None if change.before is None else change.before["value"]
            self._write_variable(article, name, value, stamp)
            out.append(
                Change(change.target, self._target_version(change.target), change.after, change.before)
            )
        return out

    def _move_variables(self, old: str, new: str) -> None:
        """A followed file takes its hand-set values along, unless the new name has its own."""
        if not self._query("SELECT 1 FROM article_vars WHERE article = ? LIMIT 1", [new]):
            self._execute("UPDATE article_vars SET article = ? WHERE article = ?", (new, old))
