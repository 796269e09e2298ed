"""The codebook part of the store: tags (case-insensitive names, ``/`` levels, stable colors),
created on first use, renamed, merged, recolored and described, each a journaled event."""

from __future__ import annotations

from dataclasses import replace

from ..model import PALETTE, StoreError, Tag, clean_color, clean_note, clean_tag, new_tag_name, now, tag_key
from .journal import TAG_FIELDS, Change, diff
from .sqlite import like_prefix


class Codebook:
    """Mixed into :class:`~tui.store.store.Store` (it uses the store's connection and
    ``_commit``)."""

    def _tag_row(self, name: str) -> dict | None:
        rows = self._query("SELECT * FROM tags WHERE key = ?", [tag_key(name)])
        return rows[0] if rows else None

    def _ensure_tag(self, name: str, cache: dict, changes: list[Change]) -> tuple[int, str]:
        """The id and stored name of tag ``name``, created (with the next free palette color,
        journaled in ``changes``) if new."""
        if name in cache:  # the same spelling again (an import tags thousands alike)
            return cache[name]
        key = tag_key(name)
        if key in cache:
            cache[name] = cache[key]
            return cache[key]
        row = self._tag_row(name)
        if row is None:
            name = new_tag_name(name)
            used = {r["color"] for r in self._query("SELECT color FROM tags")}
            count = self._query("SELECT count(*) AS n FROM tags")[0]["n"]
            free = [c for _, c in PALETTE if c not in used]
            fields = {
                "name": name,
                "color": free[0] if free else PALETTE[count % len(PALETTE)][1],
                "description": "",
                "created": now(),
            }
            tag_id = self._insert_tag(None, fields)
            changes.append(Change(f"t:{tag_id}", 1, None, fields))
            cache[key] = (tag_id, name)
        else:
            cache[key] = (row["id"], row["name"])
        cache[name] = cache[key]
        return cache[key]

    def _insert_tag(self, tag_id: int | None, fields: dict) -> int:
        """A new tag row; ``tag_id`` None takes the next number (never one used before)."""
        columns = ("id",) * (tag_id is not None) + (
            "key",
            "name",
            "color",
            "description",
            "created",
            "version",
        )
        return self._insert(
            f"INSERT INTO tags ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            (
                *((tag_id,) if tag_id is not None else ()),
                tag_key(fields["name"]),
                fields["name"],
                fields["color"],
                fields.get("description", ""),
                fields.get("created") or now(),
                fields.get("version", 1),
            ),
            "id",
        )

    def _update_tag_row(
        self, tag_id: int, fields: dict, changes: list[Change], *, merge_into_last: bool = False
    ) -> None:
        row = self._query("SELECT * FROM tags WHERE id = ?", [tag_id])[0]
        if "name" in fields:
            other = self._tag_row(fields["name"])
            if other is not None and other["id"] != tag_id:
                raise StoreError(f"tag '{other['name']}' exists already: use `glose tag merge` to join them")
        before, after = diff(row, fields)
        if not after:
            return
        sets = ", ".join(f"{k} = ?" for k in after)
        values = list(after.values())
        if "name" in after:
            sets += ", key = ?"
            values.append(tag_key(after["name"]))
        last = changes[-1] if merge_into_last and changes and changes[-1].target == f"t:{tag_id}" else None
        if last is not None and last.before is None:  # just created: one creation with these values
            self._execute(f"UPDATE tags SET {sets} WHERE id = ?", (*values, tag_id))
            changes[-1] = Change(last.target, last.version, None, {**last.after, **after})
            return
        version = row["version"] + 1
        self._execute(f"UPDATE tags SET {sets}, version = ? WHERE id = ?", (*values, version, tag_id))
        changes.append(Change(f"t:{tag_id}", version, before, after))

    def _live_tag(self, name: str) -> dict:
        row = self._tag_row(name)
        if row is None:
            raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")
        return row

    def tags(self) -> list[Tag]:
        """The codebook, with counts of live (not deleted) annotations, sorted by name."""
        rows = self._query(
            """
            SELECT t.name, t.color, t.description,
                   count(a.id) AS count, count(DISTINCT a.article) AS articles
            FROM tags t
            LEFT JOIN annotation_tags at ON at.tag = t.id
            LEFT JOIN annotations a ON a.id = at.annotation AND a.deleted IS NULL
            GROUP BY t.id ORDER BY t.key
            """
        )
        return [Tag(**r) for r in rows]

    def tag(self, name: str) -> Tag:
        for tag in self.tags():
            if tag.name.casefold() == tag_key(name):
                return tag
        raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")

    def create_tag(self, name: str, color: str | None = None, description: str | None = None) -> Tag:
        fields = {}
        if color is not None:
            fields["color"] = clean_color(color)
        if description is not None:
            fields["description"] = clean_note(description)
        with self.transaction():
            changes: list[Change] = []
            tag_id, stored = self._ensure_tag(name, {}, changes)
            if fields:
                self._update_tag_row(tag_id, fields, changes, merge_into_last=True)
            if changes:
                self.journal.record(
                    self.actor, "tag.create", f"create tag {stored}", changes, at=now(), undoable=True
                )
        return self.tag(name)

    def rename_tag(self, old: str, new: str) -> Tag:
        """Rename a tag (every annotation follows). Renaming onto another existing tag is a
        merge, and must be asked for as one."""
        new = new_tag_name(new)
        with self.transaction():
            row = self._live_tag(old)
            changes: list[Change] = []
            self._update_tag_row(row["id"], {"name": new}, changes)
            self._touch_tagged([row["id"]])
            if changes:
                self.journal.record(
                    self.actor,
                    "tag.rename",
                    f"rename tag {row['name']} to {new}",
                    changes,
                    at=now(),
                    undoable=True,
                )
        return self.tag(new)

    def merge_tags(self, sources: list[str], target: str) -> Tag:
        """Move every annotation of ``sources`` to ``target`` (created if needed), then drop
        the source tags. An annotation that had both keeps one link. One undoable event."""
        with self.transaction():
            changes: list[Change] = []
            target_id, target_name = self._ensure_tag(target, {}, changes)
            merged = []
            for name in sources:
                row = self._live_tag(name)
                if row["id"] != target_id:
                    merged.append(row)
            source_keys = {r["key"] for r in merged}
            ids = (
                [
                    r["annotation"]
                    for r in self._query(
                        f"SELECT DISTINCT annotation FROM annotation_tags WHERE tag IN ({','.join('?' * len(merged))})",
                        [r["id"] for r in merged],
                    )
                ]
                if merged
                else []
            )
            pairs = []
            stamp = now()
            for ann in self.by_ids(ids).values():
                tags = tuple(target_name if t.casefold() in source_keys else t for t in ann.tags)
                pairs.append((ann, replace(ann, tags=tuple(dict.fromkeys(tags)), updated=stamp)))
            label = f"merge tag{'s' * (len(merged) > 1)} {', '.join(r['name'] for r in merged)} into {target_name}"

            def finish() -> list:
                """The sources' memos go onto the target (each coder's appended to theirs)."""
                moved = []
                for row in merged:
                    moved += self._move_memos(
                        "tag", str(row["id"]), str(target_id), f"(from tag {row['name']})"
                    )
                return moved + self._drop_tags(merged)

            self._commit("tag.merge", label, pairs, tag_changes=changes, finish=finish)
        return self.tag(target)

    def delete_tag(self, name: str) -> Tag:
        """Take a tag out of the codebook and off every annotation carrying it (deleted ones
        included); the annotations stay, with their other tags and notes. Tags below it
        (``name/…``) stay too. One undoable event: undo brings the tag back, under its own
        id, on the same annotations. Returns the tag as it was."""
        with self.transaction():
            gone = self.tag(name)
            row = self._live_tag(name)
            ids = [
                r["annotation"]
                for r in self._query(
                    "SELECT DISTINCT annotation FROM annotation_tags WHERE tag = ?", [row["id"]]
                )
            ]
            stamp = now()
            pairs = [
                (
                    ann,
                    replace(ann, tags=tuple(t for t in ann.tags if tag_key(t) != row["key"]), updated=stamp),
                )
                for ann in self.by_ids(ids).values()
            ]
            self._commit(
                "tag.delete",
                f"delete tag {row['name']}",
                pairs,
                tag_changes=[],
                finish=lambda: self._drop_tags([row]),
            )
        return gone

    def _drop_tags(self, rows: list[dict]) -> list[Change]:
        """Delete tags no annotation links to any more; their changes say what they were."""
        out = []
        for row in rows:
            self._execute("DELETE FROM annotation_tags WHERE tag = ?", (row["id"],))
            self._execute("DELETE FROM tags WHERE id = ?", (row["id"],))
            out.append(Change(f"t:{row['id']}", row["version"] + 1, {f: row[f] for f in TAG_FIELDS}, None))
        return out

    def _touch_tagged(self, tag_ids: list[int]) -> None:
        """A renamed tag changes what exports say of its annotations: they count as updated."""
        if not tag_ids:
            return
        marks = ",".join("?" * len(tag_ids))
        self._execute(
            f"UPDATE annotations SET updated = ? WHERE id IN "
            f"(SELECT annotation FROM annotation_tags WHERE tag IN ({marks}))",
            (now(), *tag_ids),
        )

    def color_tag(self, name: str, color: str) -> Tag:
        return self._set_tag_field(name, "color", clean_color(color), "recolor")

    def describe_tag(self, name: str, description: str) -> Tag:
        return self._set_tag_field(name, "description", clean_note(description), "describe")

    def _set_tag_field(self, name: str, column: str, value: str, verb: str) -> Tag:
        with self.transaction():
            row = self._live_tag(name)
            changes: list[Change] = []
            self._update_tag_row(row["id"], {column: value}, changes)
            if changes:
                kind = "tag.color" if column == "color" else "tag.describe"
                self.journal.record(
                    self.actor, kind, f"{verb} tag {row['name']}", changes, at=now(), undoable=True
                )
        return self.tag(name)

    def tag_articles(self, name: str) -> set[str]:
        """Articles with live annotations tagged ``name`` or a tag below it (``droit`` covers
        ``droit/RGPD``). An unknown tag is an error, so a typo is not an empty result."""
        key = tag_key(name)
        rows = self._query(
            "SELECT id FROM tags WHERE key = ? OR key LIKE ? ESCAPE '\\'", [key, like_prefix(key)]
        )
        if not rows:
            raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        found = self._query(
            f"SELECT DISTINCT a.article FROM annotations a JOIN annotation_tags at ON at.annotation = a.id "
            f"WHERE a.deleted IS NULL AND at.tag IN ({marks})",
            ids,
        )
        return {r["article"] for r in found}

    def tag_article_counts(self) -> dict[tuple[str, str], int]:
        """(tag name, article) → number of live annotations: the tag × article matrix."""
        rows = self._query(
            """
            SELECT t.name AS tag, a.article AS article, count(*) AS n
            FROM annotation_tags at JOIN tags t ON t.id = at.tag JOIN annotations a ON a.id = at.annotation
            WHERE a.deleted IS NULL GROUP BY t.id, a.article
            """
        )
        return {(r["tag"], r["article"]): r["n"] for r in rows}
