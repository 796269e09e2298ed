"""Writing pieces as article files: readable names, the metadata block, all or nothing.

One input file's articles are written into a hidden staging folder inside the articles
folder (the scan skips hidden names, so the index never sees half an export), then moved
into place; if any step fails, what was moved is removed again and nothing of that input
stays. Names never replace an existing file.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path

from ..errors import GloseError
from ..text import frontmatter
from .model import Piece

SLUG_MAX = 60


def slug(text: str | None, fallback: str = "article") -> str:
    """``Le Kremlin défie Washington !`` → ``le-kremlin-defie-washington`` (ASCII, short)."""
    if not text:
        return fallback
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    if len(s) > SLUG_MAX:
        s = s[:SLUG_MAX].rsplit("-", 1)[0]
    return s or fallback


def file_stem(piece: Piece) -> str:
    """``2007-01-16_le-fonds-knight-vinke-referme-le-dossier-suez``; for a document that
    says nothing of itself (a PDF), the title and date Glose guesses from its first lines."""
    title, date = piece.title, piece.date
    if title is None or date is None:
        from ..text.metadata import guess_metadata

        guess = guess_metadata(piece.body, fallback_title="article")
        title, date = title or guess.title, date or guess.date
    return f"{date}_{slug(title)}" if date else slug(title)


def render(piece: Piece, origin: str) -> str:
    """The file's text: the metadata block, then the body (what offsets count in)."""
    return frontmatter.render(piece.meta(origin)) + piece.body + "\n"


def folder_name(into: str | None, input_path: Path, count: int) -> str:
    """Where an input's articles go, relative to the articles folder: ``--into``; else a
    folder named for the export when it holds several articles; else the folder itself."""
    if into:
        return into
    return slug(input_path.stem, fallback="added") if count > 1 else ""


def check_into(into: str) -> str:
    """A ``--into`` folder: relative, inside the articles folder, not hidden."""
    parts = [p for p in into.replace("\\", "/").split("/") if p]
    if not parts or into.startswith(("/", "\\")) or any(p in (".", "..") or p.startswith(".") for p in parts):
        raise GloseError(f"--into must be a folder inside the articles folder, not {into!r}")
    return "/".join(parts)


def plan_names(target: Path, stems: list[str]) -> list[str]:
    """A file name per stem, unique in ``target`` and among themselves (``-2``, ``-3``...)."""
    taken = {p.name.lower() for p in target.iterdir()} if target.is_dir() else set()
    names = []
    for stem in stems:
        name, n = f"{stem}.txt", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}.txt"
        taken.add(name.lower())
        names.append(name)
    return names


STAGING = ".glose-adding-"
LEFTOVER_SECONDS = 3600  # a staging folder this old belongs to an add that crashed


def sweep_leftovers(articles_dir: Path) -> list[Path]:
    """Remove the staging folders of adds killed midway (the scan hides them, nothing else
    would ever delete them). A recent one may belong to an add running now: it stays."""
    import time

    removed = []
    try:
        entries = list(os.scandir(articles_dir))
    except OSError:
        return removed
    for entry in entries:
        try:
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > LEFTOVER_SECONDS
            if entry.name.startswith(STAGING) and entry.is_dir(follow_symlinks=False) and old:
                shutil.rmtree(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def write_all(articles_dir: Path, folder: str, files: list[tuple[str, str]]) -> list[Path]:
    """Write ``(name, text)`` files into ``articles_dir/folder``, all or none."""
    target = articles_dir.joinpath(*folder.split("/")) if folder else articles_dir
    sweep_leftovers(articles_dir)
    staging = articles_dir / f"{STAGING}{uuid.uuid4().hex[:12]}"
    moved: list[Path] = []
    try:
        staging.mkdir(parents=True)
        for name, text in files:
            # not fsynced one by one (that was half the time of a big export): the input
            # file stays where it was, and adding it again after a crash adds what is missing
            with open(staging / name, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        if folder and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging, target)  # the whole export appears at once
            return [target / name for name, _ in files]
        target.mkdir(parents=True, exist_ok=True)
        for name, _ in files:
            dest = target / name
            if dest.exists():
                raise FileExistsError(f"{dest} appeared while adding")
            os.rename(staging / name, dest)
            moved.append(dest)
        return moved
    except OSError as exc:
        for path in moved:
            try:
                path.unlink()
            except OSError:
                pass
        raise GloseError(f"cannot write into {target}: {exc.strerror or exc}; nothing was added") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
