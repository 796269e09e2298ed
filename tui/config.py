"""``glose.toml``: the workspace's settings, read once into a typed :class:`Config`.

A misspelt key is named in a warning (with the key it probably meant) instead of being
ignored in silence; a value of the wrong type or outside what Glose offers is an error that
says what is allowed.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import WorkspaceError
from .text.languages import DEFAULT_LANGUAGE, check_language

CONFIG_FILE = "glose.toml"
ENGINES = ("whoosh", "tantivy")
STORES = ("sqlite", "postgresql://…")  # a team's shared store: a PostgreSQL address
STORE_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Config:
    language: str = DEFAULT_LANGUAGE  # the analyzer: "fr" or "en"
    theme: str | None = None  # a Textual theme for the reader
    keys: dict[str, str] = field(default_factory=dict)  # binding id → keys
    coder: str | None = None  # who codes (else GLOSE_CODER, else the OS user)
    engine: str | None = None  # the search engine; None: the index's own (a new one: by size)
    store: str = "sqlite"  # the annotation store: "sqlite" or a postgresql:// address
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def load(cls, path: Path) -> Config:
        """The settings in ``path`` (defaults when there is no file)."""
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError:
            return cls()
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise WorkspaceError(f"cannot read {path}: {exc}") from None
        return cls.from_dict(raw, where=str(path))

    @classmethod
    def from_dict(cls, raw: dict, where: str = CONFIG_FILE) -> Config:
        known = [f.name for f in fields(cls) if f.name != "warnings"]
        warnings = []
        values: dict = {}
        for key, value in raw.items():
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]}?)" if close else f"; known keys: {', '.join(known)}"
                warnings.append(f"{where}: unknown key '{key}' ignored{hint}")
                continue
            values[key] = value

        def need(key: str, kind: type, what: str):
            if key in values and not isinstance(values[key], kind):
                raise WorkspaceError(f"{where}: {key} must be {what}, not {values[key]!r}")

        for key in ("language", "theme", "coder", "engine", "store"):
            need(key, str, "text")
        need("keys", dict, "a table of binding id = keys")
        keys = values.get("keys", {})
        for binding, chord in keys.items():
            if not isinstance(chord, str):
                raise WorkspaceError(f'{where}: keys.{binding} must be text such as "ctrl+b"')
        try:
            check_language(values.get("language", DEFAULT_LANGUAGE))
        except ValueError as exc:
            raise WorkspaceError(f"{where}: {exc}") from None
        for key, allowed in (("engine", ENGINES), ("store", STORES)):
            if key == "store" and values.get(key, "").startswith(STORE_SCHEMES):
                continue
            if key in values and values[key] not in allowed:
                raise WorkspaceError(
                    f"{where}: {key} = {values[key]!r} is not available in this Glose (use {', '.join(allowed)})"
                )
        coder = values.get("coder")
        if coder is not None and not coder.strip():
            raise WorkspaceError(f"{where}: coder cannot be empty")
        return cls(**{**values, "keys": dict(keys)}, warnings=tuple(warnings))

    def effective_coder(self, given: str | None = None) -> str:
        """Who is coding: ``--coder``, else ``GLOSE_CODER``, else ``coder``, else the OS user."""
        from .model import clean_line, default_coder

        for candidate in (given, os.environ.get("GLOSE_CODER"), self.coder):
            if candidate and clean_line(candidate):
                return clean_line(candidate)
        return default_coder()
