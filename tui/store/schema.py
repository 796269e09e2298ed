"""The schema of ``annotations.db``, created and upgraded by ``sqlite_utils.Migrations``.

A database that holds a migration this Glose does not know was written by a newer Glose:
the store opens it read-only rather than write rows whose newer columns it would reset.
"""

from __future__ import annotations

MIGRATIONS_NAME = "glose"


def migrations():
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATIONS_NAME)

    @migrations(name="0001_initial")
    def initial(db) -> None:
        db.execute(
            """
            CREATE TABLE annotations (
                id TEXT PRIMARY KEY,
                article TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                exact TEXT NOT NULL,
                prefix TEXT NOT NULL DEFAULT '',
                suffix TEXT NOT NULL DEFAULT '',
                article_hash TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'anchored'
                    CHECK (status IN ('anchored', 'moved', 'fuzzy', 'orphaned')),
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                deleted TEXT,
                old_start INTEGER,
                old_end INTEGER,
                old_exact TEXT,
                CHECK (start >= 0 AND "end" >= start)
            )"""
        )
        db.execute("CREATE INDEX annotations_article ON annotations(article)")
        db.execute(
            """
            CREATE TABLE tags (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                color TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                created TEXT NOT NULL
            )"""
        )
        db.execute(
            """
            CREATE TABLE annotation_tags (
                annotation TEXT NOT NULL REFERENCES annotations(id),
                tag INTEGER NOT NULL REFERENCES tags(id),
                PRIMARY KEY (annotation, tag)
            ) WITHOUT ROWID"""
        )
        db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag)")
        db.execute(
            """
            CREATE TABLE article_meta (
                article TEXT PRIMARY KEY,
                title TEXT,
                date TEXT,
                source TEXT,
                updated TEXT NOT NULL
            )"""
        )

    @migrations(name="0002_journal")
    def journal(db) -> None:
        """Versions on annotations and tags, tag ids never reused (an undone merge brings a
        tag back under its own id), and the change journal."""
        db.execute("ALTER TABLE annotations ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
        # Rebuild tags with AUTOINCREMENT; annotation_tags is rebuilt beside it so that the
        # foreign key follows the renamed table with foreign_keys on.
        db.execute(
            """
            CREATE TABLE tags_v2 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                color TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                created TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1
            )"""
        )
        db.execute(
            "INSERT INTO tags_v2 (id, key, name, color, description, created) "
            "SELECT id, key, name, color, description, created FROM tags"
        )
        db.execute(
            """
            CREATE TABLE annotation_tags_v2 (
                annotation TEXT NOT NULL REFERENCES annotations(id),
                tag INTEGER NOT NULL REFERENCES tags_v2(id),
                PRIMARY KEY (annotation, tag)
            ) WITHOUT ROWID"""
        )
        db.execute("INSERT INTO annotation_tags_v2 SELECT annotation, tag FROM annotation_tags")
        db.execute("DROP TABLE annotation_tags")
        db.execute("DROP TABLE tags")
        db.execute("ALTER TABLE tags_v2 RENAME TO tags")
        db.execute("ALTER TABLE annotation_tags_v2 RENAME TO annotation_tags")
        db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag)")
        db.execute(
            """
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                label TEXT NOT NULL,
                frontend TEXT NOT NULL,
                coder TEXT NOT NULL,
                undoable INTEGER NOT NULL DEFAULT 0,
                reverts INTEGER REFERENCES events(seq),
                reverted_by INTEGER REFERENCES events(seq)
            )"""
        )
        db.execute("CREATE INDEX events_coder ON events(coder, seq)")
        db.execute(
            """
            CREATE TABLE changes (
                target TEXT NOT NULL,
                event INTEGER NOT NULL REFERENCES events(seq),
                version INTEGER NOT NULL,
                before TEXT,
                after TEXT,
                PRIMARY KEY (target, event)
            ) WITHOUT ROWID"""
        )
        db.execute("CREATE INDEX changes_event ON changes(event)")

    @migrations(name="0003_made_selector")
    def made_selector(db) -> None:
        """The selector the user made, kept apart from the placement re-anchoring finds (so a
        file restored to its text puts the annotation back exactly), and the ``unverified``
        status (an import whose offsets could not be checked against the text)."""
        db.execute(
            """
            CREATE TABLE annotations_v3 (
                id TEXT PRIMARY KEY,
                article TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                exact TEXT NOT NULL,
                prefix TEXT NOT NULL DEFAULT '',
                suffix TEXT NOT NULL DEFAULT '',
                article_hash TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'anchored'
                    CHECK (status IN ('anchored', 'moved', 'fuzzy', 'unverified', 'orphaned')),
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                deleted TEXT,
                old_start INTEGER,
                old_end INTEGER,
                old_exact TEXT,
                version INTEGER NOT NULL DEFAULT 1,
                made_start INTEGER NOT NULL,
                made_end INTEGER NOT NULL,
                made_exact TEXT NOT NULL,
                made_prefix TEXT NOT NULL DEFAULT '',
                made_suffix TEXT NOT NULL DEFAULT '',
                made_hash TEXT NOT NULL DEFAULT '',
                CHECK (start >= 0 AND "end" >= start)
            )"""
        )
        # What was made is best known as where the annotation was last checked: the current
        # placement (older Glose overwrote the made selector when re-anchoring).
        db.execute(
            """
            INSERT INTO annotations_v3
            SELECT id, article, start, "end", exact, prefix, suffix, article_hash, note, status, created,
                   updated, deleted, old_start, old_end, old_exact, version,
                   start, "end", exact, prefix, suffix, article_hash
            FROM annotations"""
        )
        db.execute(
            """
            CREATE TABLE annotation_tags_v3 (
                annotation TEXT NOT NULL REFERENCES annotations_v3(id),
                tag INTEGER NOT NULL REFERENCES tags(id),
                PRIMARY KEY (annotation, tag)
            ) WITHOUT ROWID"""
        )
        db.execute("INSERT INTO annotation_tags_v3 SELECT annotation, tag FROM annotation_tags")
        db.execute("DROP TABLE annotation_tags")
        db.execute("DROP TABLE annotations")
        db.execute("ALTER TABLE annotations_v3 RENAME TO annotations")
        db.execute("ALTER TABLE annotation_tags_v3 RENAME TO annotation_tags")
        db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag)")
        db.execute("CREATE INDEX annotations_article ON annotations(article)")

    migrations(name="0004_coder")(coder_column)
    migrations(name=DONE_MIGRATION)(done_table)
    migrations(name="follow_0005_article_content")(article_content_table)
    migrations(name=VARS_MIGRATION)(article_vars_table)
    migrations(name=MEMOS_MIGRATION)(memos_table)
    migrations(name=SETS_MIGRATION)(sets_table)
    migrations(name=FAMILIES_MIGRATION)(families_tables)
    return migrations


def coder_column(db, text: str = "TEXT") -> None:
    """0004_coder: who made each annotation. Older annotations get the coder of the journal
    event that created them (the journal has recorded coders from the start). The same SQL
    on PostgreSQL (``text``: its column type there)."""
    db.execute(f"ALTER TABLE annotations ADD COLUMN coder {text} NOT NULL DEFAULT ''")
    db.execute(
        """
        UPDATE annotations SET coder = COALESCE((
            SELECT e.coder FROM changes c JOIN events e ON e.seq = c.event
            WHERE c.target = 'a:' || annotations.id ORDER BY e.seq LIMIT 1), '')"""
    )
    db.execute("CREATE INDEX annotations_coder ON annotations(coder)")


DONE_MIGRATION = "agree_0005_done"


def done_table(db, text: str = "TEXT") -> None:
    """agree_0005_done: the articles each coder has finished coding (``glose done``): where a
    coder has marked any, agreement counts the others as not coded by them (missing data),
    not as coded with nothing. The same SQL on PostgreSQL."""
    db.execute(
        f"""
        CREATE TABLE done (
            article {text} NOT NULL,
            coder {text} NOT NULL,
            at {text} NOT NULL,
            PRIMARY KEY (article, coder)
        )"""
    )
    db.execute("CREATE INDEX done_coder ON done(coder)")


def article_content_table(db, text: str = "TEXT") -> None:
    """follow_0005_article_content: what each annotated file held besides its body, so a file
    is known again by its content (the hash of its body *and* of its metadata block) under
    another name or in another coder's folder. ``meta`` is the hash of the metadata block of
    the file named ``article`` when its body hashed ``hash``. The same SQL on PostgreSQL."""
    db.execute(
        f"""
        CREATE TABLE article_content (
            article {text} NOT NULL,
            hash {text} NOT NULL,
            meta {text} NOT NULL,
            PRIMARY KEY (article, hash)
        )"""
    )


VARS_MIGRATION = "vars_0006_article_vars"


def article_vars_table(db, text: str = "TEXT") -> None:
    """vars_0006_article_vars: the variables a person set on an article (``genre``, or a
    correction of ``author``, ``section``...); title, date and source stay in article_meta.
    The same SQL on PostgreSQL."""
    db.execute(
        f"""
        CREATE TABLE article_vars (
            article {text} NOT NULL,
            name {text} NOT NULL,
            value {text} NOT NULL,
            updated {text} NOT NULL,
            PRIMARY KEY (article, name)
        )"""
    )
    db.execute("CREATE INDEX article_vars_name ON article_vars(name)")


MEMOS_MIGRATION = "memos_0007_memos"


def memos_table(db, text: str = "TEXT") -> None:
    """memos_0007_memos: the researcher's memos on the project (target ''), an article (its
    id) or a tag (its id, so a rename keeps it), one per target per coder (on a shared store
    each coder sees everyone's and writes their own). The same SQL on PostgreSQL."""
    db.execute(
        f"""
        CREATE TABLE memos (
            kind {text} NOT NULL CHECK (kind IN ('project', 'article', 'tag')),
            target {text} NOT NULL,
            coder {text} NOT NULL,
            text {text} NOT NULL,
            created {text} NOT NULL,
            updated {text} NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (kind, target, coder)
        )"""
    )


SETS_MIGRATION = "sets_0007_sets"


def sets_table(db, text: str = "TEXT") -> None:
    """sets_0007_sets: named sets of articles (``glose set save|freeze``): a saved one keeps
    its query (run again each time), a frozen one the articles it matched (``articles``, a
    JSON list of ids). ``key`` is the name case-folded (``set:LeMonde`` is ``set:lemonde``).
    The same SQL on PostgreSQL."""
    db.execute(
        f"""
        CREATE TABLE sets (
            key {text} PRIMARY KEY,
            name {text} NOT NULL,
            query {text} NOT NULL,
            frozen INTEGER NOT NULL DEFAULT 0,
            articles {text},
            updated {text} NOT NULL
        )"""
    )


FAMILIES_MIGRATION = "families_0008_canonical_proposals"


def families_tables(db, text: str = "TEXT", real: str = "REAL") -> None:
    """families_0008_canonical_proposals: the member chosen as a wire family's canonical copy,
    and the codings proposed on a family's copies (``proposed`` until accepted, which makes
    the annotation, or rejected). The same SQL on PostgreSQL."""
    db.execute(
        f"""
        CREATE TABLE families_canonical (
            family {text} PRIMARY KEY,
            article {text} NOT NULL,
            coder {text} NOT NULL,
            at {text} NOT NULL
        )"""
    )
    db.execute(
        f"""
        CREATE TABLE families_proposals (
            id {text} PRIMARY KEY,
            family {text} NOT NULL,
            origin {text} NOT NULL,
            article {text} NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact {text} NOT NULL,
            article_hash {text} NOT NULL,
            tags {text} NOT NULL,
            note {text} NOT NULL DEFAULT '',
            similarity {real} NOT NULL,
            coder {text} NOT NULL,
            created {text} NOT NULL,
            state {text} NOT NULL DEFAULT 'proposed'
                CHECK (state IN ('proposed', 'accepted', 'rejected'))
        )"""
    )
    db.execute("CREATE INDEX families_proposals_family ON families_proposals(family)")


def known_names() -> set[str]:
    return {m.name for m in migrations()._migrations}
