"""The workspace: a folder holding ``articles/``, the generated ``index/``, ``annotations.db``
and an optional ``glose.toml``; and the operations that span several core modules.

Everything the CLI and the TUI do starts from a :class:`Workspace`, so both see the same paths,
the same language and the same article ids.
"""

from __future__ import annotations

import difflib
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import scan
from .errors import ArticleNotFound, WorkspaceError
from .languages import DEFAULT_LANGUAGE, check_language

CONFIG_FILE = "glose.toml"


@dataclass(frozen=True)
class Workspace:
    root: Path
    articles: Path
    index: Path
    db: Path
    language: str = DEFAULT_LANGUAGE
    config: dict = field(default_factory=dict, compare=False)

    @classmethod
    def resolve(
        cls,
        root: str | Path | None = None,
        articles: str | Path | None = None,
        index: str | Path | None = None,
        db: str | Path | None = None,
    ) -> Workspace:
        """Paths from the options given, the rest inside ``root`` (default: the current folder)."""
        base = Path(root).expanduser() if root else Path.cwd()
        if root and not base.is_dir():
            raise WorkspaceError(f"{base} is not a folder")
        config = _read_config(base / CONFIG_FILE)
        language = str(config.get("language", DEFAULT_LANGUAGE))
        try:
            check_language(language)
        except ValueError as exc:
            raise WorkspaceError(f"{base / CONFIG_FILE}: {exc}") from None
        return cls(
            root=base.absolute(),
            articles=(Path(articles).expanduser() if articles else base / "articles").absolute(),
            index=(Path(index).expanduser() if index else base / "index").absolute(),
            db=(Path(db).expanduser() if db else base / "annotations.db").absolute(),
            language=language,
            config=config,
        )

    def check(self) -> Workspace:
        """Raise a :class:`WorkspaceError` that tells a newcomer what Glose expects."""
        if not self.articles.is_dir():
            raise WorkspaceError(
                f"no articles folder at {self.articles}.\n"
                "Glose reads plain-text articles (*.txt, *.md, any depth) from an 'articles/' folder "
                "in the workspace.\nRun glose in a folder that has one, or point to it: "
                "glose DIR, glose --workspace DIR, or glose --articles PATH."
            )
        return self

    def article_id(self, given: str) -> str:
        """The id of an article named exactly or by a unique prefix (``000`` → ``000_….txt``)."""
        if self._lists(given):  # an exact id needs no scan of the whole folder
            return given
        ids = [f.id for f in scan(self.articles)]
        if given in ids:
            return given
        matches = [i for i in ids if i.startswith(given)] if given else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (" …" if len(matches) > 5 else "")
            raise ArticleNotFound(f"'{given}' names several articles: {shown}")
        close = difflib.get_close_matches(given, ids, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ArticleNotFound(f"no article '{given}' in {self.articles}{hint}")

    def _lists(self, given: str) -> bool:
        """Whether ``scan`` would list ``given``: a regular .txt/.md file, through no hidden or
        linked folder (scan follows no folder link)."""
        from .corpus import ARTICLE_SUFFIXES, resolve_path
        from .errors import GloseError

        try:
            path = resolve_path(self.articles, given)
        except GloseError:
            return False
        parts = given.split("/")
        if any(p.startswith(".") for p in parts) or not parts[-1].lower().endswith(ARTICLE_SUFFIXES):
            return False
        folder = self.articles
        for part in parts[:-1]:
            folder = folder / part
            if folder.is_symlink():
                return False
        try:
            return stat.S_ISREG(path.stat().st_mode)
        except OSError:
            return False


def _read_config(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WorkspaceError(f"cannot read {path}: {exc}") from None


def update_index(ws: Workspace, *, rebuild: bool = False, progress=None):
    """Bring the index up to date with ``articles/``, then make the annotations follow the
    files (the one entry point the CLI, the TUI and the tests use, so that whatever follows an
    article change happens on every path). The report's ``annotations`` says what moved."""
    from .index import update

    ws.check()
    meta: dict[str, dict[str, str]] = {}
    if ws.db.exists():
        from .annotating import open_store

        with open_store(ws) as store:
            meta = store.all_meta()
    report = update(
        ws.articles,
        ws.index,
        ws.language,
        rebuild=rebuild,
        progress=progress,
        overrides=lambda a: meta.get(a, {}),
    )
    if ws.db.exists():
        report.annotations = sync_store(ws)
    return report


def ensure_index(ws: Workspace, progress=None):
    """Update the index if anything changed on disk (a stat of every file; no reading when
    nothing did). Returns the update report, or None when the index was already current."""
    from .index import needs_update

    ws.check()
    if needs_update(ws.articles, ws.index, ws.language):
        return update_index(ws, progress=progress)
    if ws.db.exists():  # the index is current; annotations may still lag (a crash between)
        sync_store(ws)
    return None


def sync_store(ws: Workspace):
    """Make the annotations follow the files the index holds. When they already do (the usual
    case) this costs one read-only query, without opening the store for writing."""
    from .annotating import SyncReport, open_store, sync_annotations
    from .index import State

    state = State.load(ws.index)
    indexed = {k: v.hash for k, v in state.files.items()} if state else {}
    if not _annotations_lag(ws.db, indexed):
        return SyncReport()
    with open_store(ws) as store:
        return sync_annotations(ws, store, indexed)


def _annotations_lag(db: Path, indexed: dict[str, str | None]) -> bool:
    """Whether some annotation was anchored on a text other than the indexed one (an orphan of
    a vanished file remembers the empty hash, so it does not count)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT DISTINCT article, article_hash FROM annotations").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # no table yet, locked, damaged: the full path decides and reports
    return any((indexed.get(article) or "") != article_hash for article, article_hash in rows)


def open_engine(ws: Workspace):
    """A search engine over the workspace's index; a damaged index is rebuilt once."""
    from .index import IndexDamaged
    from .search import SearchEngine

    def tags(name: str) -> set[str]:
        from .annotating import open_store
        from .errors import QueryError

        if not ws.db.exists():
            raise QueryError(f"no tag '{name}': there are no annotations yet")
        with open_store(ws) as store:
            return store.tag_articles(name)

    try:
        return SearchEngine(ws.articles, ws.index, ws.language, tags)
    except IndexDamaged:
        update_index(ws, rebuild=True)
        return SearchEngine(ws.articles, ws.index, ws.language, tags)


def article_catalog(ws: Workspace) -> dict[str, dict]:
    """Title, date and source of every indexed article (overrides included), by id; empty
    when there is no usable index."""
    from .errors import GloseError

    try:
        with open_engine(ws) as engine:
            return {
                h.article: {"title": h.title, "date": h.date, "source": h.source} for h in engine.catalog()
            }
    except GloseError:
        return {}
