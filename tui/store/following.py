"""The store's side of annotations following their files: re-anchoring into a changed text,
orphaning when a file is gone, following a verified rename (one undoable event), and what a
file is known by besides its name (the hashes of its body and of its metadata block).

The store knows nothing of files: the API (:mod:`tui.api.following`) decides what follows
where, and passes texts and hashes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from ..model import Annotation, now, relocated
from .sqlite import chunks


class Following:
    """Mixed into :class:`~tui.store.store.Store`."""

    def known_hashes(self) -> dict[str, set[str]]:
        """For each annotated article, every text hash its annotations were made or placed on
        (how a renamed file is recognised)."""
        found: dict[str, set[str]] = {}
        for row in self._query(
            "SELECT article, article_hash AS h FROM annotations UNION SELECT article, made_hash FROM annotations"
        ):
            if row["h"]:
                found.setdefault(row["article"], set()).add(row["h"])
            else:
                found.setdefault(row["article"], set())
        return found

    def quotes_of(self, article: str, limit: int = 12) -> list[str]:
        """The longest quotes made on an article (to find it again by its content)."""
        rows = self._query(
            "SELECT made_exact FROM annotations WHERE article = ? AND deleted IS NULL "
            "ORDER BY length(made_exact) DESC LIMIT ?",
            [article, limit],
        )
        return [r["made_exact"] for r in rows]

    # --- what a file is known by ------------------------------------------------------------------

    def record_content(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Remember (article, body hash, metadata block hash) of annotated files, so they are
        known again by content. Never overwritten: the first record of a body stays (not
        journaled: it describes files, not anyone's coding). Nothing on a read-only store."""
        rows = list(dict.fromkeys(rows))
        if not rows or self.readonly:
            return
        with self.transaction():
            self._executemany(
                "INSERT INTO article_content (article, hash, meta) VALUES (?, ?, ?) "
                "ON CONFLICT (article, hash) DO NOTHING",
                rows,
            )

    def contents(self, articles: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
        """For each article (None: every one recorded), {body hash: metadata block hash}."""
        found: dict[str, dict[str, str]] = {}
        pieces = [None] if articles is None else list(chunks(sorted(set(articles))))
        for piece in pieces:
            if piece is None:
                rows = self._rows("SELECT article, hash, meta FROM article_content")
            else:
                marks = ",".join("?" * len(piece))
                rows = self._rows(
                    f"SELECT article, hash, meta FROM article_content WHERE article IN ({marks})", piece
                )
            for article, body, meta in rows:
                found.setdefault(article, {})[body] = meta
        return found

    def origins(self) -> dict[str, tuple[str, str]]:
        """For each annotation a follow moved (and no undo put back): (the article it was on
        before it first followed, the article its last follow put it on). How annotations go
        back when the original file returns."""
        rows = self._rows(
            "SELECT c.target, c.before, c.after FROM changes c JOIN events e ON e.seq = c.event "
            "WHERE e.kind = 'follow' AND e.reverted_by IS NULL ORDER BY e.seq"
        )
        found: dict[str, tuple[str, str]] = {}
        for target, before, after in rows:
            was = (json.loads(before) or {}).get("article") if before else None
            now_on = (json.loads(after) or {}).get("article") if after else None
            if not target.startswith("a:") or not was or not now_on:
                continue
            first = found.get(target[2:], (was, now_on))[0]
            found[target[2:]] = (first, now_on)
        return found

    # --- following files ----------------------------------------------------------------------

    def reanchor(self, article: str, text: str, article_hash: str) -> list[tuple[Annotation, Annotation]]:
        """Follow ``article``'s annotations (deleted ones too) into its new text. Returns
        (before, after) for each annotation whose place or status changed. Logged as the
        program's change, not an undo step of the user's."""
        with self.transaction():
            rows = self._query(
                "SELECT id FROM annotations WHERE article = ? AND article_hash != ?", [article, article_hash]
            )
            ids = [r["id"] for r in rows]
            before_all = self.annotations(ids=ids) + self.annotations(ids=ids, deleted=True)
            pairs = [(b, relocated(b, text, article_hash)) for b in before_all]
            written = self._commit(
                "reanchor",
                f"re-anchor the annotations of {article} (the file changed)",
                pairs,
                undoable=False,
            )
        return [
            (b, a)
            for b, a in zip(before_all, written, strict=True)
            if (a.start, a.end, a.status) != (b.start, b.end, b.status)
        ]

    def follow_article(
        self,
        old: str,
        new: str,
        text: str,
        article_hash: str,
        why: str = "same content",
        ids: Iterable[str] | None = None,
    ) -> int:
        """The file of ``old`` is now ``new`` (verified by the caller: renamed, moved, come
        back): its annotations (``ids``: only these) go with it, placed in ``new``'s text, and
        its metadata overrides if ``new`` has none, its variables and its memos. One journal
        event, which ``glose undo`` reverts."""
        with self.transaction():
            anns = self.annotations(article=old) + self.annotations(article=old, deleted=True)
            if ids is not None:
                wanted = set(ids)
                anns = [a for a in anns if a.id in wanted]
            stamp = now()
            pairs = []
            for ann in anns:
                moved = replace(ann, article=new, updated=stamp)
                if ann.article_hash != article_hash:
                    moved = relocated(moved, text, article_hash)
                pairs.append((ann, moved))
            memos = (lambda: self._move_memos("article", old, new)) if ids is None else None
            self._commit("follow", f"follow {old} to {new} ({why})", pairs, finish=memos)
            if ids is None and not self._query("SELECT 1 FROM article_meta WHERE article = ?", [new]):
                self._execute("UPDATE article_meta SET article = ? WHERE article = ?", (new, old))
            if ids is None:
                self._move_variables(old, new)
        return len(pairs)

    def orphan_article(self, article: str) -> list[Annotation]:
        """The article's file is gone: its annotations become orphans (kept, quote intact)."""
        with self.transaction():
            pairs = []
            for ann in self.annotations(article=article) + self.annotations(article=article, deleted=True):
                # An empty hash makes the next sync try again when the file comes back.
                if ann.status != "orphaned":
                    pairs.append((ann, ann.orphaned("")))
                elif ann.article_hash:
                    pairs.append((ann, replace(ann, article_hash="")))
            written = self._commit(
                "orphan", f"orphan the annotations of {article} (the file is gone)", pairs, undoable=False
            )
        return [a for (b, _), a in zip(pairs, written, strict=True) if b.status != "orphaned"]
