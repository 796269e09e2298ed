"""Crash safety: writers SIGKILLed at random moments lose nothing that was committed.

A child process writes and prints each annotation id once its transaction has committed;
the test kills it at a random moment, then checks that the database passes
``PRAGMA integrity_check`` and holds every printed id. The same for index updates: after a
kill, the index is usable (or rebuilt on its own) and answers searches.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tui.api import Library
from tui.store import Store
from tui.workspace import Workspace

from .conftest import update_index, use_engine

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys
    from tui.store import Store
    from tui.text.corpus import content_hash
    text = "Un texte assez long pour y placer beaucoup d'annotations différentes. " * 50
    store = Store(sys.argv[1])
    i = 0
    while True:
        start = (i * 7) % (len(text) - 30)
        if i % 5 == 4:
            anns = store.create_many([("a.txt", text, content_hash(text), start, start + 20)] * 3, tags=[f"lot{i}"])
            ids = [a.id for a in anns]
        else:
            ids = [store.create("a.txt", text, content_hash(text), start, start + 20, tags=[f"t{i % 13}"], note=str(i)).id]
        if i % 7 == 6:
            store.edit(ids[0], add_tags=["edité"], note="changé")
        for ident in ids:
            print(ident, flush=True)
        i += 1
    """
)


def read_ids(proc: subprocess.Popen) -> list[str]:
    out = proc.stdout.read().decode()
    return [line for line in out.splitlines() if len(line) == 36]


def test_killed_annotation_writers_lose_no_committed_annotation(tmp_path):
    db = tmp_path / "annotations.db"
    Store(db).close()
    rng = random.Random(7)
    committed: list[str] = []
    kills = 0
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE)
        # Killed while writing, however long a loaded machine takes to start the writer:
        # from its first commit on, at a random moment.
        first = proc.stdout.readline().decode().strip()
        time.sleep(rng.uniform(0.05, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        committed += [first, *read_ids(proc)]
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM annotations")}
        # the journal is written in the same transaction: every stored annotation has its
        # creation event, and no event names an annotation that is not there
        journaled = {row[0][2:] for row in conn.execute("SELECT target FROM changes WHERE target LIKE 'a:%'")}
        conn.close()
        missing = set(committed) - stored
        assert not missing, f"{len(missing)} committed annotation(s) lost after kill {kills}"
        assert journaled == stored, f"journal and annotations disagree after kill {kills}"
    assert kills == 12 and len(committed) > kills  # most writers were killed after several commits
    with Store(db) as store:  # and the store still opens and writes
        assert len(store.annotations()) >= len(set(committed))


INDEXER = textwrap.dedent(
    """
    import sys, os, random
    from pathlib import Path
    from tui.api import Library
    from tui.workspace import Workspace
    ws = Workspace.resolve(sys.argv[1])
    rng = random.Random(int(sys.argv[2]))
    files = sorted(ws.articles.glob("*.txt"))
    while True:
        path = rng.choice(files)
        # written aside then renamed: a kill mid-write must not empty the article itself
        tmp = path.with_suffix(".tmp")
        tmp.write_text(path.read_text("utf-8") + " ajout" + str(rng.random()), "utf-8")
        os.replace(tmp, path)
        with Library(ws) as lib:
            lib.update_index(rebuild=rng.random() < 0.3)
        print("updated", flush=True)
    """
)


def test_killed_index_updates_leave_a_usable_index(tmp_path, engine_name):
    root = tmp_path / "ws"
    (root / "articles").mkdir(parents=True)
    for n in range(40):
        (root / "articles" / f"a{n}.txt").write_text(
            f"Article {n} sur Grok et la plateforme X. " * 40, "utf-8"
        )
    use_engine(root, engine_name)
    ws = Workspace.resolve(root)
    update_index(ws)
    rng = random.Random(3)
    for round_ in range(10):
        proc = subprocess.Popen(
            [sys.executable, "-c", INDEXER, str(root), str(round_)], cwd=ROOT, stdout=subprocess.PIPE
        )
        time.sleep(rng.uniform(0.4, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Library(ws) as lib:
            lib.index.ensure()  # repairs or rebuilds as needed, never raises
            engine = lib.ctx.engine
            assert engine.search("grok", limit=None).total == 40
            assert len(engine.ids()) == 40
            assert lib.index.engine_name() == engine_name


def test_two_index_runs_at_once_do_not_corrupt_the_index(tmp_path, engine_name):
    root = tmp_path / "ws"
    (root / "articles").mkdir(parents=True)
    for n in range(300):
        (root / "articles" / f"a{n}.txt").write_text(
            f"Article numéro {n} : Grok, X et la Commission. " * 30, "utf-8"
        )
    use_engine(root, engine_name)
    command = [sys.executable, "-m", "tui.cli", "--workspace", str(root), "index", "--rebuild"]
    procs = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with Library(Workspace.resolve(root)) as lib:
        assert lib.ctx.engine.search("grok", limit=None).total == 300
