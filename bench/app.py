"""What a person waits for in the reader and the exports: the first screen, the index ready, a
search typed, a long article opened, exports and the journal at size. Each measured on real
parts (the app under Pilot, a real store), called from ``python -m bench``."""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import CACHE, ROOT
from bench.corpus import generate

# --- the app ---------------------------------------------------------------------------------


async def tui_times(articles: Path, index: Path, db: Path) -> dict:
    from tui.api import Library
    from tui.ui.app import GloseApp
    from tui.workspace import Workspace

    ws = Workspace(root=articles.parent, articles=articles, index=index, db=db)
    # A first launch: no session of an earlier run (its query would be searched at start,
    # competing with the one timed here)
    state = tempfile.TemporaryDirectory()
    os.environ["XDG_STATE_HOME"] = state.name
    started = time.perf_counter()
    lib = Library(ws, frontend="tui")
    app = GloseApp(lib)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = time.perf_counter() - started
        # Polled with a bare sleep: pilot.pause() makes the screen wait for every widget and
        # refresh, each time, which took the interpreter from the workers being timed (a
        # Whoosh search at 50,000 articles took 0.9-1.2 s under a 1 ms pause loop, 0.25 s alone)
        while not app.indexer.ready:
            await asyncio.sleep(0.005)
        ready = time.perf_counter() - started
        query = app.query_one("#query")
        query.focus()
        query.value = "grok"
        typed = time.perf_counter()
        # enter searches at once, without the typing debounce. Not pilot.press: it returns
        # only once the app is idle (~0.4 s here), which is not what a person waits for.
        await query.action_submit()
        deadline = typed + 30
        while app.search_panel.shown_query != "grok" and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        results = time.perf_counter() - typed if app.search_panel.shown_query == "grok" else float("nan")
        await pilot.pause(0.2)  # let the opening of the first result finish before closing
    lib.close()
    state.cleanup()
    return {"screen": screen, "ready": ready, "results": results}


def big_article(folder: Path, megabytes: float) -> Path:
    import random

    from bench.corpus import Model

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "gros.txt"
    if path.exists() and path.stat().st_size >= megabytes * 1e6:
        return path
    model, rng = Model(), random.Random(5)
    parts, size = ["Un très long article\n"], 0
    while size < megabytes * 1e6:
        paragraph = " ".join(model.sentence(rng, ["Zorglub"], rng.randint(12, 30)) for _ in range(5))
        parts.append(paragraph)
        size += len(paragraph.encode())
    path.write_text("\n\n".join(parts), "utf-8")
    return path


async def reader_times(work: Path, megabytes: float, annotations: int) -> dict:
    """Open a big article in the app; scroll an article carrying many annotations."""
    from tui.api import Library
    from tui.text.corpus import content_hash
    from tui.ui.app import GloseApp
    from tui.workspace import Workspace

    root = work / "reader"
    if root.exists():
        shutil.rmtree(root)
    articles = root / "articles"
    big = big_article(CACHE / "big", megabytes)
    articles.mkdir(parents=True)
    shutil.copy(big, articles / "gros.txt")
    annotated = (
        "\n\n".join((ROOT / "articles" / a).read_text("utf-8") for a in sorted(os.listdir(ROOT / "articles")))
        * 12
    )
    (articles / "annote.txt").write_text(annotated, "utf-8")
    ws = Workspace.resolve(root)
    with Library(ws) as lib:
        lib.index.update()
        store = lib.ctx.store
        step = max(1, len(annotated) // annotations)
        items = [
            ("annote.txt", annotated, content_hash(annotated), i, i + min(40, step))
            for i in range(0, step * annotations, step)
        ]
        items = [it for it in items if annotated[it[3] : it[4]].strip()][:annotations]
        store.create_many(items, tags=["banc"])
        count = len(store.annotations())
    out: dict = {"annotations": count}
    lib = Library(ws, frontend="tui")
    app = GloseApp(lib)
    async with app.run_test(size=(120, 35)) as pilot:
        while not app.indexer.ready:
            await pilot.pause(0.01)
        reader = app.reader
        started = time.perf_counter()
        app.open_article("gros.txt", "left")
        while reader.article_id != "gros.txt":
            await pilot.pause(0.002)
        for y in range(reader.size.height):
            reader.render_line(y)
        out["open_big"] = time.perf_counter() - started
        out["big_lines"] = len(reader.layout_)
        app.open_article("annote.txt", "left")
        while reader.article_id != "annote.txt" or len(reader.marks) < count:
            await pilot.pause(0.002)
        times = []
        for _ in range(60):
            started = time.perf_counter()
            reader.action_page(1)
            for y in range(reader.size.height):
                reader.render_line(y)
            times.append((time.perf_counter() - started) * 1000)
        out["scroll_ms"] = (statistics.mean(times), max(times))
    lib.close()
    return out


def export_times(work: Path, count: int) -> dict:
    from tui.api import Library
    from tui.api.exchange import gather
    from tui.formats.export import render
    from tui.text.corpus import content_hash, read_canonical, scan
    from tui.workspace import Workspace

    root = work / "export"
    if root.exists():
        shutil.rmtree(root)
    generate(root / "articles", 200, seed=7)
    ws = Workspace.resolve(root)
    out = {}
    with Library(ws) as lib:
        lib.index.update()
        docs = [(f.id, read_canonical(f.path)[0]) for f in scan(ws.articles)]
        store = lib.ctx.store
        items = []
        per = count // len(docs) + 1
        for article, text in docs:
            h = content_hash(text)
            step = max(2, len(text) // per)
            for i in range(0, len(text) - 20, step):
                if text[i : i + 20].strip():
                    items.append((article, text, h, i, i + 20))
        items = items[:count]
        started = time.perf_counter()
        store.create_many(items, tags=["banc/essai"], note="une note")
        out["create"] = time.perf_counter() - started
        out["count"] = len(items)
        for fmt in ("markdown", "csv", "json", "qdpx"):
            started = time.perf_counter()
            payload = render(gather(lib.ctx, lib.articles), fmt)
            out[fmt] = (time.perf_counter() - started, len(payload))
            if fmt == "json":
                backup = root / "backup.jsonld"
                backup.write_bytes(payload)
    # a bulk import: the JSON backup into an empty store (one journaled event)
    with Library(Workspace.resolve(root, db=root / "restored.db")) as lib:
        started = time.perf_counter()
        report = lib.exchange.import_file(backup)
        out["import"] = (time.perf_counter() - started, report.added)
    return out


def journal_cost(work: Path, count: int, rounds: int = 2) -> str:
    """What the journal costs: the same creation, export and bulk import, alternately with the
    journal's writes and without them (stubbed here, in the benchmark only)."""
    from tui.store import journal

    record = journal.Journal.record
    runs: dict[str, list[dict]] = {"with": [], "without": []}
    for _ in range(rounds):
        for label in ("without", "with"):
            journal.Journal.record = record if label == "with" else (lambda self, *a, **k: 0)
            try:
                runs[label].append(export_times(work, count))
            finally:
                journal.Journal.record = record

    def median(label: str, key: str) -> float:
        values = sorted(r[key] if isinstance(r[key], float) else r[key][0] for r in runs[label])
        return values[len(values) // 2]

    lines = [f"Journal cost, {count:,} annotations, median of {rounds} alternating rounds:"]
    for key in ("create", "json", "import"):
        with_, without = median("with", key), median("without", key)
        lines.append(
            f"- {key}: {without:.2f} s without the journal, {with_:.2f} s with it ({with_ / without - 1:+.0%})"
        )
    return "\n".join(lines)
