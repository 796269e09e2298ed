"""An update told what the watcher heard looks at those folders only (ten edits at 50,000
articles stat ten folders, not every file), and finds all a whole scan would: edits, new
files, removed files, folders removed, renamed or moved in whole. What it was not told of, a
whole update still finds (the reader runs one a minute while it watches)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tui.api import Library
from tui.search.index import State
from tui.text.corpus import scan
from tui.workspace import Workspace

from .conftest import update_index, use_engine

TEXT = "Article {n} du dossier {folder}.\n\nLe ministre a parlé de la réforme des retraites {n} fois.\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def bump(path: Path, text: str) -> None:
    """Rewrite a file in place with a later modification time (coarse clocks: a tick later)."""
    st = path.stat()
    path.write_text(text, "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def folders(tmp_path, engine_name) -> Workspace:
    for folder in ("lemonde", "liberation", "ouest/rennes", "ouest/nantes", "afp"):
        for n in range(6):
            write(tmp_path / "articles" / folder / f"{n:03}.txt", TEXT.format(n=n, folder=folder))
    for n in range(3):
        write(tmp_path / "articles" / f"top-{n}.txt", TEXT.format(n=n, folder="racine"))
    use_engine(tmp_path, engine_name)
    ws = Workspace.resolve(tmp_path)
    update_index(ws)
    return ws


def indexed(ws: Workspace) -> dict[str, tuple]:
    state = State.load(ws.index)
    assert state is not None
    return {aid: (e.hash, e.size, e.mtime_ns) for aid, e in state.files.all().items()}


def heard_update(ws: Workspace, paths: list[str]):
    with Library(ws) as lib:
        return lib.index.update(paths=paths)


def test_what_was_heard_is_indexed_as_a_whole_update_would(folders):
    ws, art = folders, folders.articles
    bump(art / "lemonde" / "002.txt", "Le Monde corrige : zibelines et ornithorynques.\n")
    write(art / "liberation" / "100.txt", "Nouvel article de Libération sur les ornithorynques.\n")
    (art / "liberation" / "004.txt").unlink()
    bump(art / "top-1.txt", "La racine parle aussi d'ornithorynques.\n")
    shutil.rmtree(art / "ouest" / "nantes")  # a folder removed
    os.rename(art / "afp", art / "depeches")  # a folder renamed
    moved_in = art.parent / "elsewhere" / "reuters"  # a folder moved in whole
    for n in range(4):
        write(moved_in / f"{n:03}.txt", TEXT.format(n=n, folder="reuters"))
    write(moved_in / "2026" / "janvier.txt", TEXT.format(n=9, folder="reuters/2026"))
    os.rename(moved_in, art / "reuters")
    heard = sorted(
        [
            "lemonde/002.txt",
            "liberation/100.txt",
            "liberation/004.txt",
            "top-1.txt",
            "ouest/nantes",
            "afp",
            "depeches",
            "reuters",
        ]
    )

    report = heard_update(ws, heard)

    assert sorted(report.updated) == ["lemonde/002.txt", "top-1.txt"]
    assert sorted(report.added) == sorted(
        ["liberation/100.txt"]
        + [f"depeches/{n:03}.txt" for n in range(6)]
        + [f"reuters/{n:03}.txt" for n in range(4)]
        + ["reuters/2026/janvier.txt"]
    )
    assert sorted(report.removed) == sorted(
        ["liberation/004.txt"]
        + [f"ouest/nantes/{n:03}.txt" for n in range(6)]
        + [f"afp/{n:03}.txt" for n in range(6)]
    )
    on_disk = {f.id for f in scan(art)}
    assert report.unchanged == len(on_disk) - len(report.added) - len(report.updated)
    assert set(indexed(ws)) == on_disk
    after = indexed(ws)
    again = update_index(ws)  # a whole update finds nothing left to do
    assert not again.changed, again.summary()
    assert indexed(ws) == after
    with Library(ws) as lib:
        found = set(lib.search.ids("ornithorynques"))
    assert found == {"lemonde/002.txt", "liberation/100.txt", "top-1.txt"}


def test_an_edit_it_was_not_told_of_waits_for_a_whole_update(folders):
    art = folders.articles
    bump(art / "lemonde" / "001.txt", "Zibelines.\n")
    bump(art / "liberation" / "001.txt", "Ornithorynques.\n")
    report = heard_update(folders, ["lemonde/001.txt"])
    assert report.updated == ["lemonde/001.txt"]  # liberation/ was not looked at
    assert update_index(folders).updated == ["liberation/001.txt"]


def test_a_heard_path_that_is_not_an_article_changes_nothing(folders):
    art = folders.articles
    write(art / "lemonde" / "notes", "pas un article")
    before = indexed(folders)
    report = heard_update(folders, ["lemonde/notes", "nulle-part/ailleurs.txt"])
    assert not report.changed
    assert indexed(folders) == before
