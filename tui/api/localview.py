"""One coder's view of a team's shared store: the store's articles are known by their content,
and this workspace's files are mapped to them here, never by rewriting the shared rows.

In a shared store an annotation names its article by the path it had in the folder of the
coder who made it, with the hashes of that file's body and metadata block (recorded in
``article_content``). Another coder's copy may sit elsewhere (``a.txt`` for ``lemonde/a.txt``),
be missing, or be edited. So, for this workspace only:

- a store article whose path is a file here is that file; else the file here with the same
  body and metadata block (one, or the one in the same folder or of the same name) is it;
  else it is shown as the store names it, with the status the store gives it: a file
  missing from one coder's folder orphans nothing for the others;
- an annotation whose text differs here (this coder's copy was edited) is placed in memory,
  as a proposal (``moved``, ``fuzzy``, ``orphaned``), and the shared offsets stay as they are;
- new annotations on a mapped file are written under the store's name for it, so every
  coder's coding of one article is compared as one.

Nothing here writes an event: listing, exporting and counting in a shared store change
nothing for anyone.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import PurePosixPath

from ..model import Annotation, relocated
from ..text.corpus import ArticleText
from .following import Content, pick_one, read_content

REVIEW = ("moved", "fuzzy", "unverified", "orphaned")


class LocalView:
    """The store's article names ⇄ this workspace's article ids, and in-memory placements."""

    def __init__(self, ws, store) -> None:
        self.ws, self.store = ws, store
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._to_local: dict[str, str] = {}
        self._indexed: dict[str, str | None] = {}
        self._texts: dict[tuple[str, str], Content | None] = {}

    def _signature(self) -> tuple:
        """Changes when another coder commits or this folder's index is updated (the index's
        own files: its state and manifest), without reading the manifest."""
        try:
            files = sorted(
                (e.name, e.stat().st_mtime_ns, e.stat().st_size)
                for e in os.scandir(self.ws.index)
                if e.is_file()
            )
        except OSError:
            files = []
        return self.store.data_version(), tuple(files)

    def _hashes(self) -> dict[str, str | None]:
        from ..search.index import State

        state = State.load(self.ws.index)
        return state.files.hashes() if state else {}

    def mapping(self) -> dict[str, str]:
        """Store article → this workspace's article id, for every annotated article there is a
        file for here (by path, else by content)."""
        with self._lock:
            key = self._signature()
            if key == self._key:
                return self._to_local
            self._indexed = indexed = self._hashes()
            known = self.store.known_hashes()
            away = [a for a in known if a not in indexed]
            records = self.store.contents(away) if away else {}
            by_hash: dict[str, list[str]] = {}
            by_name: dict[str, list[str]] = {}
            for article, h in indexed.items():
                if h:
                    by_hash.setdefault(h, []).append(article)
                    by_name.setdefault(PurePosixPath(article).name, []).append(article)
            found: dict[str, str] = {}
            for article in known:
                if article in indexed:
                    found[article] = article
                    continue
                recorded = records.get(article, {})
                passing = []
                for h in known[article]:
                    for local in by_hash.get(h, ()):
                        content = self._content(local)
                        if content is None or content.doc.hash != h:
                            continue
                        if recorded.get(h, content.meta) == content.meta:
                            passing.append(local)
                pick = pick_one(article, sorted(set(passing)))
                if pick is None:  # an edited copy: the one of the same name holding every quote
                    pick = self._edited_copy(article, recorded, by_name.get(PurePosixPath(article).name, ()))
                if pick is not None:
                    found[article] = pick
            self._key, self._to_local = key, found
            return found

    def _edited_copy(self, article: str, recorded: dict[str, str], named) -> str | None:
        """The one file here of ``article``'s name, with its metadata block (when known),
        holding every quote made on it: this coder's edited copy (its placements are then
        proposals)."""
        quotes = self.store.quotes_of(article)
        if not quotes:
            return None
        passing = []
        for local in named:
            content = self._content(local)
            if content is None or (recorded and content.meta not in recorded.values()):
                continue
            if all(q in content.doc.text for q in quotes):
                passing.append(local)
        return passing[0] if len(passing) == 1 else None

    def text_of(self, local: str) -> ArticleText | None:
        """This copy's text of ``local`` (None: not readable here)."""
        self.mapping()
        content = self._content(local)
        return content.doc if content is not None else None

    def _content(self, local: str) -> Content | None:
        h = self._indexed.get(local) or ""
        if (local, h) not in self._texts:
            self._texts[(local, h)] = read_content(self.ws.articles, local)
        return self._texts[(local, h)]

    def store_names(self, local: str) -> list[str]:
        """The store's names of the article this workspace calls ``local`` (itself first)."""
        mapping = self.mapping()
        return sorted({local, *(s for s, here in mapping.items() if here == local)}, key=lambda s: s != local)

    def store_name(self, local: str) -> str:
        """The name new annotations on ``local`` are written under: the store's name of the
        same article when another coder annotated it first, else ``local``."""
        names = self.store_names(local)
        known = self.store.known_hashes()
        return next((n for n in names if n in known), local)

    def local(self, anns: list[Annotation]) -> list[Annotation]:
        """``anns`` as this workspace sees them: on its own article ids, and placed in this
        copy's text where it differs from the one they were anchored on (a proposal)."""
        mapping = self.mapping()
        shown = []
        for ann in anns:
            here = mapping.get(ann.article)
            if here is None:
                shown.append(ann)
                continue
            ann = replace(ann, article=here) if here != ann.article else ann
            current = self._indexed.get(here)
            if current and current != ann.article_hash:
                content = self._content(here)
                if content is not None and content.doc.hash == current:
                    ann = relocated(ann, content.doc.text, content.doc.hash)
            shown.append(ann)
        return shown

    def record_here(self) -> None:
        """Record what the annotated files at the store's own paths hold here (body and
        metadata hashes), so the other coders' copies are known by content. Not journaled."""
        from .following import remember

        mapping = self.mapping()
        known = self.store.known_hashes()
        mine = [s for s, here in mapping.items() if s == here and self._indexed.get(s) in known[s]]
        recorded = self.store.contents(mine) if mine else {}
        remember(
            self.store, self.ws.articles, [s for s in mine if self._indexed[s] not in recorded.get(s, {})]
        )


class LocalStore:
    """A shared store as this workspace sees it (see the module's docstring): the store's
    methods, with article names translated both ways; re-anchoring proposes and writes nothing."""

    def __init__(self, store, ws) -> None:
        self._store = store
        self.view = LocalView(ws, store)

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def _one(self, ann: Annotation) -> Annotation:
        return self.view.local([ann])[0]

    def annotations(
        self, *, article: str | None = None, review: bool = False, orphaned: bool = False, **given
    ) -> list[Annotation]:
        """The store's, as seen here: ``review`` and ``orphaned`` select by the status they
        have here (an edit of this copy makes proposals to review)."""
        if article is None:
            shown = self.view.local(self._store.annotations(**given))
        else:
            found: list[Annotation] = []
            for name in self.view.store_names(article):
                found += self._store.annotations(article=name, **given)
            shown = self.view.local(found)
            shown.sort(key=lambda a: (a.article, a.start, a.end, a.created))
        if orphaned:
            shown = [a for a in shown if a.status == "orphaned"]
        if review:
            shown = [a for a in shown if a.status in REVIEW]
        return shown

    def get(self, ident: str, **given) -> Annotation:
        return self._one(self._store.get(ident, **given))

    def by_ids(self, ids: list[str]) -> dict[str, Annotation]:
        found = self._store.by_ids(ids)
        return dict(zip(found, self.view.local(list(found.values())), strict=True))

    def create(self, article: str, *args, **given) -> Annotation:
        return self._one(self._store.create(self.view.store_name(article), *args, **given))

    def create_many(self, items, *args, **given) -> list[Annotation]:
        items = [(self.view.store_name(item[0]), *item[1:]) for item in items]
        return self.view.local(self._store.create_many(items, *args, **given))

    def reattach(self, ident, text, article_hash, start, end, article=None) -> Annotation:
        name = self.view.store_name(article) if article is not None else None
        return self._one(self._store.reattach(ident, text, article_hash, start, end, article=name))

    def settle(self, label: str, made: list[Annotation], changed: list[Annotation]) -> list[Annotation]:
        stored = self._store.by_ids([a.id for a in changed])
        made = [replace(a, article=self.view.store_name(a.article)) for a in made]
        changed = [replace(a, article=stored[a.id].article) if a.id in stored else a for a in changed]
        return self.view.local(self._store.settle(label, made, changed))

    def import_annotations(
        self, writes: list[Annotation], codebook, label: str, done=(), memos=(), variables=()
    ) -> None:
        writes = [replace(a, article=self.view.store_name(a.article)) for a in writes]
        done = [(coder, self.view.store_name(article), at) for coder, article, at in done]
        memos = [(k, self.view.store_name(t) if k == "article" else t, *rest) for k, t, *rest in memos]
        self._store.import_annotations(writes, codebook, label, done, memos, variables)

    def edit(self, ident: str, **given) -> Annotation:
        return self._one(self._store.edit(ident, **given))

    def delete(self, ident: str) -> Annotation:
        return self._one(self._store.delete(ident))

    def restore(self, ident: str) -> Annotation:
        return self._one(self._store.restore(ident))

    def accept(self, ident: str) -> Annotation:
        """Accepting a place proposed in this copy is this coder's choice: it becomes the
        team's placement (one undoable event); a place the store holds is accepted as usual."""
        stored = self._store.get(ident, include_deleted=False)
        shown = self._one(stored)
        text = self.view.text_of(shown.article)
        if stored.status == shown.status or shown.status not in ("moved", "fuzzy") or text is None:
            return self._one(self._store.accept(ident))
        return self._one(
            self._store.reattach(ident, text.text, text.hash, shown.start, shown.end, article=stored.article)
        )

    def reanchor(self, article: str, text: str, article_hash: str) -> list:
        """An edit in this coder's copy re-anchors nothing in the team's store: the
        placements in this copy are proposals, made when the annotations are read."""
        return []

    def tag_articles(self, name: str) -> set[str]:
        mapping = self.view.mapping()
        return {mapping.get(a, a) for a in self._store.tag_articles(name)}

    def tag_article_counts(self) -> dict[tuple[str, str], int]:
        mapping = self.view.mapping()
        counts: dict[tuple[str, str], int] = {}
        for (tag, article), n in self._store.tag_article_counts().items():
            key = (tag, mapping.get(article, article))
            counts[key] = counts.get(key, 0) + n
        return counts

    def memos(self, kind=None, target=None, coder=None) -> list:
        """The store's memos, an article's under this workspace's id for it (the memos of
        every store name it has here, when asked for one)."""
        if kind == "article" and target is not None:
            found = [
                m for name in self.view.store_names(target) for m in self._store.memos(kind, name, coder)
            ]
        else:
            found = self._store.memos(kind, target, coder)
        mapping = self.view.mapping()
        return [
            replace(m, target=mapping.get(m.target, m.target)) if m.kind == "article" else m for m in found
        ]

    def write_memo(self, kind, target, text, **given):
        """This coder's memo, an article's under the store's name for it (as annotations)."""
        if kind == "article" and target is not None:
            held = [n for n in self.view.store_names(target) if self._store.memos(kind, n, self.actor.coder)]
            target = held[0] if held else self.view.store_name(target)
        found = self._store.write_memo(kind, target, text, **given)
        if found is None or kind != "article":
            return found
        return replace(found, target=self.view.mapping().get(found.target, found.target))

    def record_content(self, rows) -> None:
        self._store.record_content([(self.view.store_name(a), h, m) for a, h, m in rows])
