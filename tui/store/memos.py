"""Memos: the researcher's writing on the project, an article or a tag (``glose memo``).

One memo per target per coder: on a team's PostgreSQL store every coder reads everyone's memos
and writes only their own, so two coders never overwrite each other's thinking. A tag's memo is
kept by the tag's id (a rename keeps it; a merge carries it onto the tag merged into, appended
when that tag has one), an article's by the article id (a followed rename carries it). Every
write is one journaled change (target ``m:`` + JSON [kind, key, coder]) that undo reverts, and a
save carries the version its writer saw: a change made meanwhile is refused, naming it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..model import MEMO_KINDS, Memo, StoreError, clean_line, clean_note, now
from .journal import Change

FULL = ("text", "created", "updated")


def memo_target(kind: str, key: str, coder: str) -> str:
    """A memo's target in the journal (``key``: "" for the project, the article id, the tag id)."""
    return "m:" + json.dumps([kind, key, coder], ensure_ascii=False)


def memo_of(change: Change) -> tuple[str, str, str]:
    """The (kind, key, coder) of a memo's change."""
    kind, key, coder = json.loads(change.ident)
    return kind, key, coder


def memo_text(text: str) -> str:
    """A memo as kept: a note's cleaning, without the blank lines around it."""
    return _AROUND.sub("", clean_note(text)).rstrip()


_AROUND = re.compile(r"\A(?:[ \t]*\n)+")


def joined(first: str, second: str) -> str:
    """Two texts as one memo: a blank line between them (a new paragraph)."""
    return "\n\n".join(t for t in (first.rstrip(), second.strip("\n")) if t.strip())


class Memos:
    """Mixed into :class:`~tui.store.store.Store`."""

    def memos(
        self, kind: str | None = None, target: str | None = None, coder: str | None = None
    ) -> list[Memo]:
        """Every memo (or those of ``kind``, of ``target`` there, of ``coder``), project first,
        then articles, then tags, each by target then coder. A tag's target is its name; a
        memo whose tag was deleted stays listed, as ``#id`` (undoing the deletion brings the
        tag back under that id)."""
        where, params = [], []
        if kind is not None:
            where.append("kind = ?")
            params.append(_kind(kind))
            if target is not None:
                where.append("target = ?")
                params.append(self._memo_key(kind, target)[0])
        if coder is not None:
            where.append("coder = ?")
            params.append(coder)
        rows = self._query(
            "SELECT kind, target, coder, text, created, updated, version FROM memos"
            + (" WHERE " + " AND ".join(where) if where else ""),
            params,
        )
        names = self._tag_names() if rows else {}
        found = [self._memo(r, names) for r in rows]
        order = {k: i for i, k in enumerate(MEMO_KINDS)}
        return sorted(found, key=lambda m: (order[m.kind], m.target.casefold(), m.target, m.coder))

    def _tag_names(self) -> dict[str, str]:
        return {str(r["id"]): r["name"] for r in self._query("SELECT id, name FROM tags")}

    def _memo(self, row: dict, names: dict[str, str]) -> Memo:
        target = row["target"]
        if row["kind"] == "tag":
            target = names.get(target, f"#{target}")
        return Memo(
            row["kind"], target, row["text"], row["coder"], row["created"], row["updated"], row["version"]
        )

    def _memo_key(self, kind: str, target: str | None) -> tuple[str, str]:
        """How the store keys a memo's target, and how messages name it. A tag must exist."""
        kind = _kind(kind)
        if kind == "project":
            return "", "the project"
        if not target:
            raise StoreError(f"a memo on {'an' if kind == 'article' else 'a'} {kind} needs its {kind}")
        if kind == "article":
            return target, f"article {target}"
        row = self._live_tag(target)
        return str(row["id"]), f"tag {row['name']}"

    def _memo_row(self, kind: str, key: str, coder: str) -> dict | None:
        rows = self._query(
            "SELECT kind, target, coder, text, created, updated, version FROM memos "
            "WHERE kind = ? AND target = ? AND coder = ?",
            [kind, key, coder],
        )
        return rows[0] if rows else None

    def write_memo(
        self, kind: str, target: str | None, text: str, *, append: bool = False, version: int | None = None
    ) -> Memo | None:
        """Set (``append``: add a paragraph to) the actor's memo on a target; empty text
        deletes it. ``version``: the one the writer saw (0: there was none); when the memo
        changed since, nothing is written and the error names the change. One undoable event
        (none when nothing changes). Returns the memo as it now is (None: there is none)."""
        who = self.actor.coder
        text = memo_text(text)
        with self.transaction():
            key, label = self._memo_key(kind, target)
            kind = _kind(kind)
            row = self._memo_row(kind, key, who)
            if version is not None and version != (row["version"] if row else 0):
                self._refuse_stale_memo(kind, key, who, label)
            if append and row is not None:
                text = joined(row["text"], text) if text.strip() else row["text"]
            if not text.strip():
                text = ""
            if row is not None and text == row["text"]:
                return self._memo(row, self._tag_names())
            if row is None and not text:
                return None
            stamp = now()
            if row is None:
                change = self._memo_written(
                    kind, key, who, {"text": text, "created": stamp, "updated": stamp}
                )
                verb = "write"
            elif not text:
                change = self._memo_deleted(kind, key, who, row)
                verb = "delete"
            else:
                change = self._memo_retexted(kind, key, who, row, text, stamp)
                verb = "append to" if append else "edit"
            self.last_event = self.journal.record(
                self.actor, "memo", f"{verb} the memo of {label}", [change], at=stamp, undoable=True
            )
            found = self._memo_row(kind, key, who)
        return self._memo(found, self._tag_names()) if found else None

    def _refuse_stale_memo(self, kind: str, key: str, coder: str, label: str) -> None:
        later = self.journal.last_change(memo_target(kind, key, coder))
        who = f" by {later.by_whom}" if later is not None else ""
        raise StoreError(
            f"the memo of {label} was changed{who} since you opened it: nothing was saved; "
            "your text is kept: copy it, reopen the memo to see that change, then write again"
        )

    def _delete_memo(self, kind: str, key: str, coder: str) -> None:
        self._execute("DELETE FROM memos WHERE kind = ? AND target = ? AND coder = ?", (kind, key, coder))

    def _put_memo(self, kind: str, key: str, coder: str, fields: dict, version: int) -> None:
        self._execute(
            "INSERT INTO memos (kind, target, coder, text, created, updated, version) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, target, coder) DO UPDATE SET text = excluded.text, "
            "updated = excluded.updated, version = excluded.version",
            (kind, key, coder, fields["text"], fields["created"], fields["updated"], version),
        )

    def _memo_written(self, kind: str, key: str, coder: str, fields: dict) -> Change:
        """Write a memo where there is none; its change, for the caller's event."""
        target = memo_target(kind, key, coder)
        version = self._target_version(target)
        self._put_memo(kind, key, coder, fields, version)
        return Change(target, version, None, fields)

    def _memo_retexted(self, kind: str, key: str, coder: str, row: dict, text: str, stamp: str) -> Change:
        """Give the memo ``row`` (held) a new text at ``stamp``; its change."""
        target = memo_target(kind, key, coder)
        version = self._target_version(target)
        self._put_memo(kind, key, coder, {**row, "text": text, "updated": stamp}, version)
        before, after = {"text": row["text"], "updated": row["updated"]}, {"text": text, "updated": stamp}
        return Change(target, version, before, after)

    def _memo_deleted(self, kind: str, key: str, coder: str, row: dict) -> Change:
        """Delete the memo ``row`` (held); its change."""
        target = memo_target(kind, key, coder)
        version = self._target_version(target)
        self._delete_memo(kind, key, coder)
        return Change(target, version, {f: row[f] for f in FULL}, None)

    # --- what other changes do to memos (inside their transaction and event) ------------------

    def _move_memos(self, kind: str, old: str, new: str, heading: str = "") -> list[Change]:
        """Every coder's memo on ``old`` goes to ``new`` (a merged tag, a followed article),
        appended to the memo ``new`` has (after ``heading``); the changes, for the caller's
        event (undo takes them back)."""
        out: list[Change] = []
        stamp = now()
        for row in self._query(
            "SELECT kind, target, coder, text, created, updated, version FROM memos WHERE kind = ? AND target = ?",
            [kind, old],
        ):
            coder = row["coder"]
            out.append(self._memo_deleted(kind, old, coder, row))
            there = self._memo_row(kind, new, coder)
            if there is None:
                out.append(self._memo_written(kind, new, coder, {f: row[f] for f in FULL}))
            else:
                text = joined(there["text"], f"{heading}\n\n{row['text']}" if heading else row["text"])
                out.append(self._memo_retexted(kind, new, coder, there, text, stamp))
        return out

    def _import_memos(self, memos: Iterable[tuple[str, str, str, str, str, str]]) -> list[Change]:
        """What an import brings (kind, target, coder, text, created, updated; a tag by name):
        a memo this store lacks is written; one it holds with another text gets the new text
        appended (nothing is lost either way); the same text again changes nothing."""
        out: list[Change] = []
        names = {r["name"].casefold(): str(r["id"]) for r in self._query("SELECT id, name FROM tags")}
        wanted: dict[tuple[str, str, str], tuple[str, str, str]] = {}  # several on one target: one text
        for kind, target, coder, text, created, updated in memos:
            who, text = clean_line(coder) or self.actor.coder, memo_text(text)
            if kind not in MEMO_KINDS or not text.strip():
                continue
            key = names.get(target.casefold()) if kind == "tag" else ("" if kind == "project" else target)
            if key is None or (kind == "article" and not key):
                continue
            held = wanted.get((kind, key, who))
            if held is None:
                wanted[(kind, key, who)] = (text, created, updated)
            elif text.strip() not in held[0]:
                wanted[(kind, key, who)] = (joined(held[0], text), held[1] or created, max(held[2], updated))
        for (kind, key, who), (text, created, updated) in wanted.items():
            row = self._memo_row(kind, key, who)
            if row is not None and text.strip() in row["text"]:
                continue
            if row is None:
                fields = {"text": text, "created": created or now(), "updated": updated or created or now()}
                out.append(self._memo_written(kind, key, who, fields))
            else:
                out.append(self._memo_retexted(kind, key, who, row, joined(row["text"], text), now()))
        return out

    def _revert_memos(self, changes: list[Change]) -> list[Change]:
        """Put the memos of ``changes`` back as they were before (inside the undo's
        transaction; the journal checked that nothing changed them since)."""
        out = []
        stamp = now()
        for change in changes:
            kind, key, coder = memo_of(change)
            row = self._memo_row(kind, key, coder)
            if change.before is None:  # it was written: it goes
                if row is not None:
                    out.append(self._memo_deleted(kind, key, coder, row))
            elif row is None:  # it was deleted (or moved away): it comes back
                fields = {f: change.before.get(f) or stamp for f in FULL}
                fields["text"] = change.before["text"]
                out.append(self._memo_written(kind, key, coder, fields))
            else:
                out.append(self._memo_retexted(kind, key, coder, row, change.before["text"], stamp))
        return out

    def memo_label(self, change: Change) -> str:
        """How a refusal names a memo's change: ``the memo of tag X by C``."""
        kind, key, coder = memo_of(change)
        if kind == "project":
            return f"the project memo of {coder}"
        if kind == "tag":
            rows = self._query("SELECT name FROM tags WHERE id = ?", [int(key)]) if key.isdigit() else []
            key = rows[0]["name"] if rows else f"#{key}"
        return f"the memo of {kind} {key} by {coder}"


def _kind(kind: str) -> str:
    if kind not in MEMO_KINDS:
        raise StoreError(f"no memo kind '{kind}': give project, article or tag")
    return kind
