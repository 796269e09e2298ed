"""Updates at scale (issue 30): ten articles edited, then ``update`` timed, the same told which
ten (``paths``: what the reader's watcher hears), and the check that nothing changed
(``needs_update``), each in a fresh process, ``--runs`` times (medians).

The yardstick is a minimal incremental indexer on SQLite FTS5 over the same files: the stats
it recorded read back, every file stat'ed (``os.scandir``), the changed rows replaced.
``--against REV`` runs the same children on another commit of Glose (a git worktree), run
for run, so both see the same moment of a shared machine.

    python -m bench.updates --articles /path/gen-50000 --index /path/index --engine tantivy
    python -m bench.updates --size 5000 --engines tantivy,whoosh --against main
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = "\nUne phrase ajoutée pour le banc d'essai.\n"


def _ten(articles: Path) -> list[Path]:
    from tui.text.corpus import scan

    files = [f.path for f in scan(articles)]
    return files[:: max(1, len(files) // 10)][:10]


def _edit(files: list[Path]) -> dict[Path, bytes]:
    saved = {p: p.read_bytes() for p in files}
    for p in files:
        p.write_text(p.read_text("utf-8") + LINE, "utf-8")
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    return saved


def _restore(saved: dict[Path, bytes]) -> None:
    for p, data in saved.items():
        p.write_bytes(data)
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def _timed(files: list[Path], apply, settle, expect) -> float:
    """Edit the ten ``files``, time ``apply()``, put them back and ``settle()`` (the index
    caught up), twice: the first round imports and warms what the second one times.
    ``expect(result)`` checks what ``apply`` did."""
    seconds = 0.0
    for _ in range(2):
        saved = _edit(files)
        try:
            started = time.perf_counter()
            result = apply()
            seconds = time.perf_counter() - started
            expect(result)
        finally:
            _restore(saved)
            settle()
    return seconds


def child_glose(articles: Path, index: Path) -> dict:
    """In a fresh process (imports done before the clock starts, as in the reader)."""
    from tui.search.index import needs_update, update

    files = _ten(articles)
    heard_paths = [os.path.relpath(p, articles) for p in files]

    def expect(report) -> None:
        assert len(report.updated) == len(files), report.summary()

    def settle() -> None:
        update(articles, index, "fr")

    seconds = _timed(files, lambda: update(articles, index, "fr"), settle, expect)
    try:  # the reader's update after its watcher heard the ten (paths given)
        heard = _timed(files, lambda: update(articles, index, "fr", paths=heard_paths), settle, expect)
    except TypeError:  # a Glose from before updates were told what changed
        heard = None
    started = time.perf_counter()
    stale = needs_update(articles, index, "fr")
    check = time.perf_counter() - started
    assert not stale
    return {"update_s": seconds, "check_s": check, "heard_s": heard}


def _fts5_scan(articles: Path) -> dict[str, tuple[int, int, str]]:
    found, stack = {}, [os.fspath(articles)]
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith(".txt"):
                st = entry.stat()
                found[os.path.relpath(entry.path, articles)] = (st.st_size, st.st_mtime_ns, entry.path)
    return found


def fts5_prepare(articles: Path, db: Path) -> None:
    from bench.fts5 import build

    files = _fts5_scan(articles)
    ids = sorted(files)
    build([Path(files[i][2]) for i in ids], db)  # rows 1, 2, ... in this order
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE files (id TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, row INTEGER) WITHOUT ROWID"
        )
        conn.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?)", [(i, *files[i][:2], n) for n, i in enumerate(ids, 1)]
        )


def _fts5_update(articles: Path, db: Path, only: list[Path] | None = None) -> int:
    """``only``: the files a watcher named (stat'ed alone, their rows alone read)."""
    conn = sqlite3.connect(db)
    if only is None:
        known = {i: (s, m, r) for i, s, m, r in conn.execute("SELECT id, size, mtime, row FROM files")}
        seen = _fts5_scan(articles)
    else:
        ids = [os.path.relpath(p, articles) for p in only]
        rows = conn.execute(
            f"SELECT id, size, mtime, row FROM files WHERE id IN ({','.join('?' * len(ids))})", ids
        )
        known = {i: (s, m, r) for i, s, m, r in rows}
        seen = {
            i: (st.st_size, st.st_mtime_ns, os.fspath(p))
            for i, p in zip(ids, only, strict=True)
            for st in [p.stat()]
        }
    changed = [(i, w, s, m) for i, (s, m, w) in seen.items() if known[i][:2] != (s, m)]
    with conn:
        for i, where, size, mtime in changed:
            text = Path(where).read_text("utf-8", errors="replace")
            row = known[i][2]
            conn.execute("DELETE FROM docs WHERE rowid = ?", (row,))
            conn.execute(
                "INSERT INTO docs (rowid, id, title, body) VALUES (?, ?, ?, ?)",
                (row, i, text.split("\n", 1)[0], text),
            )
            conn.execute("UPDATE files SET size = ?, mtime = ? WHERE id = ?", (size, mtime, i))
    conn.close()
    return len(changed)


def child_fts5(articles: Path, db: Path) -> dict:
    files = _ten(articles)

    def expect(count: int) -> None:
        assert count == len(files), count

    def settle() -> None:
        _fts5_update(articles, db)

    return {
        "update_s": _timed(files, lambda: _fts5_update(articles, db), settle, expect),
        "heard_s": _timed(files, lambda: _fts5_update(articles, db, only=files), settle, expect),
    }


def _run(kind: str, articles: Path, target: Path, tree: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))  # this file run as a script: ``tui`` from ``tree``
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(articles), str(target)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--articles", help="an existing folder instead of a generated corpus")
    parser.add_argument("--index", help="its index (with --articles; built if absent)")
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", help="a git revision of Glose to time run for run")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, articles, target = args.child
        fn = child_fts5 if kind == "fts5" else child_glose
        print(json.dumps(fn(Path(articles), Path(target))))
        return
    from bench.common import CACHE
    from bench.corpus import generate
    from bench.trees import ROOT, against_trees  # here: a child runs this file on another tree

    articles = Path(args.articles) if args.articles else generate(CACHE / f"gen-{args.size}", args.size)
    work = Path(tempfile.mkdtemp(prefix="glose-updates-"))
    with against_trees(args.against, work) as trees:
        fts5_db = work / "fts5.db"
        fts5_prepare(articles, fts5_db)
        rows = []
        for engine in args.engines.split(","):
            index = (
                Path(args.index)
                if args.index and len(args.engines.split(",")) == 1
                else articles.parent / f"updates-index-{engine}-{articles.name}"  # one per corpus
            )
            if not index.exists():
                from tui.search.index import update

                update(articles, index, "fr", engine=engine)
            got: dict[str, list[dict]] = {name: [] for name in trees}
            fts5: list[dict] = []
            for _ in range(args.runs):
                for name, tree in trees.items():
                    got[name].append(_run("glose", articles, index, tree))
                fts5.append(_run("fts5", articles, fts5_db, ROOT))
                print(engine, {k: v[-1] for k, v in got.items()}, fts5[-1], flush=True)
            for name, results in got.items():
                rows.append((engine, name, results, fts5))
    count = sum(1 for _ in articles.rglob("*.txt"))
    print(f"\n{count:,} files; medians of {args.runs} runs, each in a fresh process\n")
    print(
        "| engine | Glose | 10-article update | nothing changed (check) | FTS5 10-article update | ratio "
        "| told the ten (the watcher's update) | FTS5 told the ten |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for engine, name, results, fts5 in rows:
        upd = statistics.median(r["update_s"] for r in results)
        check = statistics.median(r["check_s"] for r in results)
        f = statistics.median(r["update_s"] for r in fts5)
        told = [r["heard_s"] for r in results if r.get("heard_s") is not None]
        heard = f"{statistics.median(told):.3f} s" if told else "—"
        f_heard = statistics.median(r["heard_s"] for r in fts5)
        print(
            f"| {engine} | {name} | {upd:.3f} s | {check:.3f} s | {f:.3f} s | {upd / f:.1f}× "
            f"| {heard} | {f_heard:.3f} s |"
        )


if __name__ == "__main__":
    main()
