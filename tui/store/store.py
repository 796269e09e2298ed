"""The annotation store on SQLite: annotations, the codebook, metadata overrides, and the
journal of every change to them (see :mod:`.journal`).

Every write goes through :meth:`Store._commit`, which writes the rows and the journal event
in one transaction; nothing is ever ``DELETE``d by a user action (deleting moves an
annotation to the trash), and orphans keep their quote, tags and note. The store knows
nothing of files: callers pass an article's canonical text and hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields, replace

from ..model import (
    Annotation,
    StoreError,
    Tag,
    check_span,
    clean_note,
    clean_tag,
    evolve,
    new_annotation,
    now,
    tag_key,
)
from .codebook import Codebook
from .counting import Counting
from .done import DoneMarks
from .families import FamilyMarks
from .following import Following
from .journal import (
    ANNOTATION_FIELDS,
    BOOKKEEPING,
    CREATED_FIELDS,
    Actor,
    Change,
    Journal,
    diff,
    short,
)
from .memos import Memos
from .reverting import Reverting
from .sets import Sets
from .sqlite import BUSY_TIMEOUT_MS, Connection, chunks, like_prefix
from .variables import OVERRIDABLE, Variables

# The row's columns, in the order Annotation takes its fields (tags apart).
COLUMNS = tuple(f.name for f in fields(Annotation) if f.name not in ("tags", "extra"))
_QUOTED = ", ".join(f'"{c}"' for c in COLUMNS)
_UPSERT = (
    f"INSERT INTO annotations ({_QUOTED}) "
    f"VALUES ({', '.join('?' * len(COLUMNS))}) ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f'"{c}" = excluded."{c}"' for c in COLUMNS[1:])
)


class Store(
    Codebook, DoneMarks, Variables, Sets, Following, Memos, FamilyMarks, Reverting, Counting, Connection
):
    """Annotations, tags, memos, variables, sets, wire families' marks, metadata overrides and
    the journal of one ``annotations.db``."""

    def __init__(
        self,
        path,
        *,
        actor: Actor | None = None,
        readonly: bool = False,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ):
        super().__init__(path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        self.actor = actor or Actor()
        self.journal = Journal(self)
        self.last_event: int | None = None

    # --- reading annotations ------------------------------------------------------------------

    def _tags_of(self, ids: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {i: [] for i in ids}
        if len(ids) > 5000:  # most of the store: one pass over every link beats 900-id chunks
            for annotation, name in self._rows(
                "SELECT at.annotation, t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag ORDER BY t.key"
            ):
                bucket = found.get(annotation)
                if bucket is not None:
                    bucket.append(name)
            return {k: tuple(v) for k, v in found.items()}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self._query(
                f"SELECT at.annotation, t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag "
                f"WHERE at.annotation IN ({marks}) ORDER BY t.key",
                chunk,
            ):
                found[row["annotation"]].append(row["name"])
        return {k: tuple(v) for k, v in found.items()}

    def _select(self, where: str, params: list) -> list[Annotation]:
        """Annotations matching ``where``, built straight from row tuples (an export reads
        100,000 of them: a dict per row costs a second)."""
        columns = ", ".join(f'"{c}"' for c in COLUMNS)
        with self._lock, self._errors():
            rows = self._rows(
                f'SELECT {columns} FROM annotations WHERE {where} ORDER BY article, start, "end", created',
                params,
            )
            tags = self._tags_of([r[0] for r in rows])
        build = Annotation
        return [
            build(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], tags[r[0]], *r[10:])
            for r in rows
        ]

    def annotations(
        self,
        *,
        article: str | None = None,
        tag: str | None = None,
        orphaned: bool = False,
        review: bool = False,
        deleted: bool = False,
        ids: Iterable[str] | None = None,
        coders: Iterable[str] | None = None,
    ) -> list[Annotation]:
        """Annotations in article order then position. Live ones unless ``deleted`` (then only
        the trash); ``orphaned`` keeps only orphans, ``review`` moved, fuzzy and orphaned ones;
        ``tag`` includes the tags below it."""
        where = ["deleted IS NOT NULL" if deleted else "deleted IS NULL"]
        params: list = []
        if article is not None:
            where.append("article = ?")
            params.append(article)
        if coders is not None:
            names = list(coders)
            where.append(f"coder IN ({','.join('?' * len(names))})" if names else "1 = 0")
            params += names
        if orphaned:
            where.append("status = 'orphaned'")
        if review:
            where.append("status IN ('moved', 'fuzzy', 'unverified', 'orphaned')")
        if tag is not None:
            key = tag_key(tag)
            if not self._query(
                "SELECT 1 FROM tags WHERE key = ? OR key LIKE ? ESCAPE '\\'", [key, like_prefix(key)]
            ):
                raise StoreError(f"no tag '{clean_tag(tag)}' in the codebook")
            where.append(
                "id IN (SELECT at.annotation FROM annotation_tags at JOIN tags t ON t.id = at.tag "
                "WHERE t.key = ? OR t.key LIKE ? ESCAPE '\\')"
            )
            params += [key, like_prefix(key)]
        if ids is None:
            return self._select(" AND ".join(where), params)
        found: list[Annotation] = []
        for piece in chunks(list(ids), 500):  # a large import asks for many ids at once
            found += self._select(
                " AND ".join([*where, f"id IN ({','.join('?' * len(piece))})"]), params + piece
            )
        return found

    def coders(self) -> dict[str, int]:
        """Every coder with live annotations, and how many (most first)."""
        rows = self._query(
            "SELECT coder, count(*) AS n FROM annotations WHERE deleted IS NULL GROUP BY coder ORDER BY n DESC, coder"
        )
        return {r["coder"]: r["n"] for r in rows}

    def by_ids(self, ids: list[str]) -> dict[str, Annotation]:
        """Live and deleted annotations by id."""
        found = {a.id: a for a in self.annotations(ids=ids)}
        found |= {a.id: a for a in self.annotations(ids=ids, deleted=True)}
        return found

    def get(self, ident: str, *, include_deleted: bool = True) -> Annotation:
        """An annotation by id or unique id prefix (at least 4 characters, as git allows)."""
        ident = ident.strip().lower().removeprefix("urn:uuid:")
        if len(ident) < 4:
            raise StoreError(f"annotation id '{ident}' is too short: give at least 4 characters")
        pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._query("SELECT id FROM annotations WHERE id LIKE ? ESCAPE '\\' LIMIT 3", [pattern])
        if not rows:
            raise StoreError(f"no annotation '{ident}'")
        if len(rows) > 1:
            raise StoreError(f"'{ident}' names several annotations: give more characters")
        found = self.by_ids([rows[0]["id"]])[rows[0]["id"]]
        if not include_deleted and found.deleted:
            raise StoreError(f"annotation {found.id[:8]} is in the trash (glose restore {found.id[:8]})")
        return found

    def article_hashes(self) -> dict[str, set[str]]:
        """For each annotated article, the content hashes its annotations were anchored on."""
        found: dict[str, set[str]] = {}
        for row in self._query("SELECT DISTINCT article, article_hash FROM annotations"):
            found.setdefault(row["article"], set()).add(row["article_hash"])
        return found

    # --- the one write path ---------------------------------------------------------------------

    def _commit(
        self,
        kind: str,
        label: str,
        pairs: list[tuple[Annotation | None, Annotation]],
        *,
        undoable: bool = True,
        tag_changes: list[Change] | None = None,
        reverts: int | None = None,
        finish: Callable[[], list[Change]] | None = None,
    ) -> list[Annotation]:
        """Write each ``after`` (``before`` is what the store holds, None for a new one) and
        one journal event with what changed (``finish`` runs after the rows are written and
        adds its own changes). Call inside :meth:`transaction`; the event's number is left in
        :attr:`last_event`."""
        stamp = now()
        tag_changes = list(tag_changes or [])
        cache: dict[str, tuple[int, str]] = {}
        held = self._tag_ids_of([b.id for b, _ in pairs if b is not None])
        rows, relink, links, changes, results = [], [], [], [], []
        for before, after in pairs:
            if after.made_exact is None:  # new, or written before the made selector was kept
                after = after.made_here()
            ids, names = [], []
            for name in after.tags:
                tag_id, canonical = self._ensure_tag(name, cache, tag_changes)
                if tag_id not in ids:
                    ids.append(tag_id)
                    names.append(canonical)
            if before is None:  # what a creation records; the rest is in its row
                version = 1
                change_before = None
                change_after = dict(
                    zip(CREATED_FIELDS, (after.article, after.start, after.end, sorted(ids)), strict=True)
                )
            else:
                state = {f: getattr(after, f) for f in ANNOTATION_FIELDS[:-1]}
                state["tags"] = sorted(ids)
                old = {f: getattr(before, f) for f in ANNOTATION_FIELDS[:-1]}
                old["tags"] = sorted(held.get(before.id, ()))
                change_before, change_after = diff(old, state)
                if not change_after:
                    results.append(before)
                    continue
                version = before.version + (0 if set(change_after) <= BOOKKEEPING else 1)
            after = evolve(after, tags=tuple(names), version=version)
            rows.append(tuple(getattr(after, c) for c in COLUMNS))
            if before is None or "tags" in change_after:
                relink.append((after.id,))
                links += [(after.id, t) for t in ids]
            changes.append(Change("a:" + after.id, version, change_before, change_after))
            results.append(after)
        self._executemany(_UPSERT, rows)
        self._executemany("DELETE FROM annotation_tags WHERE annotation = ?", relink)
        self._executemany(
            "INSERT INTO annotation_tags (annotation, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", links
        )
        if finish is not None:
            changes += finish()
        self.last_event = None
        if changes or tag_changes or reverts is not None:
            self.last_event = self.journal.record(
                self.actor, kind, label, tag_changes + changes, at=stamp, undoable=undoable, reverts=reverts
            )
        return results

    def _tag_ids_of(self, ids: list[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for piece in chunks(ids):
            marks = ",".join("?" * len(piece))
            for annotation, tag in self._rows(
                f"SELECT annotation, tag FROM annotation_tags WHERE annotation IN ({marks})", piece
            ):
                found.setdefault(annotation, []).append(tag)
        return found

    # --- creating and changing annotations ------------------------------------------------------

    def create_many(
        self,
        items: Iterable[tuple[str, str, str, int, int]],
        tags: Iterable[str] = (),
        note: str | None = None,
        *,
        coder: str | None = None,
    ) -> list[Annotation]:
        """Annotate many spans at once (article, text, hash, start, end), in one transaction:
        all are made or none (coding every hit of a concordance). ``coder``: whose coding
        they are (default: the actor's; the event is the actor's either way)."""
        names = tuple(clean_tag(t) for t in tags)
        stamp = now()
        who = self.actor.coder if coder is None else coder
        made = [
            new_annotation(
                article, text, article_hash, start, end, tags=names, note=note, coder=who, stamp=stamp
            )
            for article, text, article_hash, start, end in items
        ]
        label = f"annotate {short(made[0])}" if len(made) == 1 else f"annotate {len(made)} passages"
        if names:
            label += f" [{', '.join(names)}]"
        with self.transaction():
            return self._commit("create", label, [(None, a) for a in made])

    def create(
        self,
        article: str,
        text: str,
        article_hash: str,
        start: int,
        end: int,
        tags: Iterable[str] = (),
        note: str | None = None,
        *,
        coder: str | None = None,
    ) -> Annotation:
        """Annotate ``text[start:end]`` of ``article``."""
        return self.create_many(
            [(article, text, article_hash, start, end)], tags=tags, note=note, coder=coder
        )[0]

    def settle(self, label: str, made: list[Annotation], changed: list[Annotation]) -> list[Annotation]:
        """Write a settled disagreement as one undoable event: new annotations (``made``,
        built by :func:`~tui.model.new_annotation`) and changed ones, each changed from the
        version it carries; refused, with nothing written, if one changed since it was read."""
        with self.transaction():
            current = self.by_ids([a.id for a in changed])
            for after in changed:
                before = current.get(after.id)
                if before is None or before.version != after.version or before.deleted:
                    raise StoreError(
                        f"annotation {after.id[:8]} changed since it was read; nothing was changed: look again"
                    )
            names = [(a, tuple(clean_tag(t) for t in a.tags)) for a in made]
            pairs = [(None, replace(a, tags=tags)) for a, tags in names]
            pairs += [(current[a.id], a) for a in changed]
            return self._commit("settle", label, pairs)

    def edit(
        self,
        ident: str,
        *,
        tags: Iterable[str] | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        note: str | None = None,
        version: int | None = None,
    ) -> Annotation:
        """Change tags (replace, add, remove) and/or the note of a live annotation.
        ``version``: the one the caller showed its user; if anyone changed the annotation
        since, nothing is written (another coder's change is never overwritten unseen)."""
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            if version is not None and ann.version != version:
                self._refuse_stale(ann)
            current = list(ann.tags) if tags is None else [clean_tag(t) for t in tags]
            current += [clean_tag(t) for t in add_tags]
            removing = {tag_key(t) for t in remove_tags}
            missing = removing - {tag_key(t) for t in current}
            if missing:
                raise StoreError(f"annotation {ann.id[:8]} has no tag {', '.join(sorted(missing))}")
            current = [t for t in current if tag_key(t) not in removing]
            changed = replace(
                ann,
                tags=tuple(dict.fromkeys(current)),
                note=ann.note if note is None else clean_note(note),
                updated=now(),
            )
            what = [
                w
                for w, differs in (("tags", changed.tags != ann.tags), ("note", changed.note != ann.note))
                if differs
            ]
            label = f"edit {' and '.join(what) or 'nothing'} of {short(ann)}"
            return self._commit("edit", label, [(ann, changed)])[0]

    def _refuse_stale(self, ann: Annotation) -> None:
        later = self.journal.last_change("a:" + ann.id)
        who = f" by {later.by_whom}" if later is not None else ""
        raise StoreError(
            f"annotation {ann.id[:8]} was changed{who} since you opened it: nothing was saved; "
            "reopen it to see that change, then edit again"
        )

    def delete(self, ident: str) -> Annotation:
        """Move to the trash (restorable)."""
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            stamp = now()
            return self._commit(
                "delete", f"delete {short(ann)}", [(ann, replace(ann, deleted=stamp, updated=stamp))]
            )[0]

    def restore(self, ident: str) -> Annotation:
        with self.transaction():
            ann = self.get(ident)
            if ann.deleted is None:
                raise StoreError(f"annotation {ann.id[:8]} is not in the trash")
            return self._commit(
                "restore", f"restore {short(ann)}", [(ann, replace(ann, deleted=None, updated=now()))]
            )[0]

    def accept(self, ident: str) -> Annotation:
        """Accept a moved, fuzzy or unverified annotation's place (it leaves the review list)."""
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            if ann.status not in ("moved", "fuzzy", "unverified"):
                raise StoreError(
                    f"annotation {ann.id[:8]} is {ann.status}: only moved, fuzzy or unverified ones can be accepted"
                )
            # The user chose this place: from now on it is the selector they made.
            after = replace(
                ann, status="anchored", old_start=None, old_end=None, old_exact=None, updated=now()
            ).made_here()
            return self._commit("accept", f"accept the new place of {short(ann)}", [(ann, after)])[0]

    def reattach(
        self, ident: str, text: str, article_hash: str, start: int, end: int, article: str | None = None
    ) -> Annotation:
        """Attach an annotation (typically an orphan) to a new span, keeping tags and note."""
        check_span(text, start, end)
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            after = ann.placed_anew(text, article_hash, start, end, article=article or ann.article)
            return self._commit("reattach", f"re-attach {short(ann)}", [(ann, after)])[0]

    def import_annotations(
        self, writes: list[Annotation], codebook: list[Tag], label: str, done=(), memos=(), variables=()
    ) -> None:
        """Write what an import brings (new tags first, then annotations, then a backup's done
        marks, the memos, and the variables it set by hand where the article has none), as one
        event."""
        with self.transaction():
            tag_changes: list[Change] = []
            cache: dict[str, tuple[int, str]] = {}
            for entry in codebook:
                if self._tag_row(entry.name) is None:
                    tag_id, _ = self._ensure_tag(entry.name, cache, tag_changes)
                    fields = {}
                    if entry.color:
                        fields["color"] = entry.color
                    if entry.description:
                        fields["description"] = entry.description
                    if fields:
                        self._update_tag_row(tag_id, fields, tag_changes, merge_into_last=True)
            existing = self.by_ids([a.id for a in writes])
            tag_changes += self._restore_done(done)
            tag_changes += self._import_memos(memos)
            tag_changes += self._restore_variables(variables)
            self._commit("import", label, [(existing.get(a.id), a) for a in writes], tag_changes=tag_changes)

    # --- article metadata -----------------------------------------------------------------------

    def meta(self, article: str) -> dict[str, str]:
        """What was set by hand over the file's title, date, source, author, section, page,
        origin and language (what the index keeps: see :data:`tui.text.metadata.OVERRIDABLE`)."""
        return self.all_meta([article]).get(article, {})

    def all_meta(self, articles: list[str] | None = None) -> dict[str, dict[str, str]]:
        found = {}
        for article, named in self.variables(articles).items():
            if kept := {k: v for k, v in named.items() if k in OVERRIDABLE}:
                found[article] = kept
        return found

    def set_meta(self, article: str, **values: str | None) -> dict[str, str]:
        """Override title/date/source... (an empty string clears one override), as one undoable
        event; the article's overrides after it."""
        self.set_variables({article: {k: v for k, v in values.items() if v is not None}})
        return self.meta(article)
