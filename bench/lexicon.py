"""Lexicometry at scale (issue 27): the cost of the form counts kept beside the index, and the
time of a frequency list and of the specificities by outlet, on a generated corpus whose
articles carry an outlet and a date in their metadata block.

    python -m bench.lexicon [--size 50000] [--engine tantivy]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .corpus import generate

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
OUTLETS = [
    "Le Monde",
    "Libération",
    "Le Figaro",
    "Les Echos",
    "La Croix",
    "L'Humanité",
    "Ouest-France",
    "Mediapart",
    "Le Parisien",
    "20 Minutes",
]


def corpus(size: int) -> Path:
    """The generated corpus of ``size`` articles, each with an outlet and a date."""
    folder = CACHE / f"lex-{size}"
    marker = folder / ".ready"
    if marker.exists():
        return folder
    plain = generate(CACHE / f"gen-{size}", size)
    if folder.exists():
        shutil.rmtree(folder)
    rng = random.Random(27)
    for path in sorted(plain.rglob("*.txt")):
        target = folder / "articles" / path.relative_to(plain)
        target.parent.mkdir(parents=True, exist_ok=True)
        month = rng.randint(1, 12)
        head = f"---\ntitle: {path.stem}\ndate: 2025-{month:02d}-15\nsource: {rng.choice(OUTLETS)}\n---\n"
        target.write_text(head + path.read_text("utf-8"), "utf-8")
    marker.write_text("ok")
    return folder


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def wall(args: list[str], cwd: Path) -> float:
    glose = shutil.which("glose") or str(Path(sys.executable).with_name("glose"))
    started = time.perf_counter()
    subprocess.run([glose, *args], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lexicon")
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--reuse", action="store_true", help="keep the index built by a previous run")
    args = parser.parse_args()

    from tui.api import Library
    from tui.api.indexing import keep_counts
    from tui.lexicon.kept import FILE
    from tui.search.index import update
    from tui.workspace import Workspace

    root = corpus(args.size)
    (root / "glose.toml").write_text(f'engine = "{args.engine}"\n')
    ws = Workspace.resolve(root)
    if not args.reuse:
        shutil.rmtree(root / "index", ignore_errors=True)
    (ws.index / FILE).unlink(missing_ok=True)
    started = time.perf_counter()
    report = update(ws.articles, ws.index, ws.language, engine=args.engine)
    engine_s = time.perf_counter() - started
    started = time.perf_counter()
    keep_counts(ws, report)
    keep_s = time.perf_counter() - started
    kept = (ws.index / FILE).stat().st_size
    print(f"articles {args.size:,}: {size_of(ws.articles) / 2**20:.1f} MiB; engine {args.engine}")
    print(f"index build (engine) {engine_s:.1f} s, index {(size_of(ws.index) - kept) / 2**20:.1f} MiB")
    print(f"form counts kept: +{keep_s:.1f} s, {kept / 2**20:.1f} MiB ({FILE})", flush=True)
    with Library(ws) as lib:
        for label, call in (
            ("words (cold: counts loaded)", lambda: lib.lexicon.words(top=50)),
            ("words (warm)", lambda: lib.lexicon.words(top=50)),
            ("words --unit lemma", lambda: lib.lexicon.words(unit="lemma", top=50)),
            ("specif --by source", lambda: lib.lexicon.specif("source", top=20)),
            ("specif --by date.month", lambda: lib.lexicon.specif("date.month", top=20)),
            ("words --where source:Mediapart", lambda: lib.lexicon.words(where='source:"Mediapart"', top=50)),
        ):
            started = time.perf_counter()
            call()
            print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    for cmd in (["words", "--top", "50"], ["specif", "--by", "source", "--top", "20"]):
        print(f"one-shot glose {' '.join(cmd)}: {wall(cmd, root):.2f} s")


if __name__ == "__main__":
    main()
