"""The workspace: a folder holding ``articles/``, the generated ``index/``, ``annotations.db``
and an optional ``glose.toml``.

A :class:`Workspace` is only where things are and how they are named (paths, settings,
article ids); what is done with them goes through :class:`tui.api.Library`.
"""

from __future__ import annotations

import difflib
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_FILE, Config
from .errors import ArticleNotFound, GloseError, WorkspaceError
from .text.corpus import ARTICLE_SUFFIXES, resolve_path, scan


@dataclass(frozen=True)
class Workspace:
    root: Path
    articles: Path
    index: Path
    db: Path
    config: Config = field(default_factory=Config, compare=False)

    @property
    def language(self) -> str:
        return self.config.language

    @property
    def shared_store(self) -> str | None:
        """The PostgreSQL address of a team's shared store, or None (``annotations.db``)."""
        return None if self.config.store == "sqlite" else self.config.store

    def has_index(self) -> bool:
        """Whether an index was built here (it may still be stale or damaged)."""
        return (self.index / "state.json").exists()

    def has_store(self) -> bool:
        """Whether there are annotations to read (a shared store always may have some)."""
        return self.shared_store is not None or self.db.exists()

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
        config = Config.load(base / CONFIG_FILE)
        return cls(
            root=base.absolute(),
            articles=(Path(articles).expanduser() if articles else base / "articles").absolute(),
            index=(Path(index).expanduser() if index else base / "index").absolute(),
            db=(Path(db).expanduser() if db else base / "annotations.db").absolute(),
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
