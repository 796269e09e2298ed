"""Wire families at scale: ``python -m bench.families [--size N] [--sources S]``.

A generated corpus of N articles plus 4 near-copies of S of them (:func:`bench.corpus.
near_copies`), indexed with tantivy; then, each in a fresh process, ``lib.families.find()``
over the whole corpus (seconds, peak memory, how many planted families were found whole and
alone), and the candidate stage against datasketch's MinHash LSH on the same articles (when
datasketch can be imported: ``PYTHONPATH=/path/to/datasketch``)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .corpus import generate, near_copies

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def prepare(size: int, sources: int) -> tuple[Path, dict]:
    work = CACHE / f"families-{size}-{sources}"
    articles = work / "articles"
    planted_file = work / "planted.json"
    if not planted_file.exists():
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        generate(articles, size)
        planted = near_copies(articles, sources)
        planted_file.write_text(json.dumps(planted), "utf-8")
    if not (work / "index" / "state.json").exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tui.cli", "--workspace", str(work), "index", "--engine", "tantivy", "-q"],
            check=True,
            cwd=ROOT,
        )
        print(f"indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return work, json.loads(planted_file.read_text("utf-8"))


def measure_families(work: str, planted: str) -> dict:
    """In a fresh process: the whole run as ``glose families`` does it (no cache)."""
    import resource

    from tui.api import Library

    (Path(work) / "index" / "families-cache.json").unlink(missing_ok=True)
    started = time.perf_counter()
    with Library.open(work) as lib:
        found = lib.families.find()
    seconds = time.perf_counter() - started
    expected = {frozenset([s, *c]) for s, c in json.loads(Path(planted).read_text("utf-8")).items()}
    got = {frozenset(f.articles) for f in found}
    sources = {f.source for f in found}
    return {
        "seconds": round(seconds, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "families": len(found),
        "planted": len(expected),
        "found_whole": len(expected & got),
        "other_families": len(got - expected),
        "source_right": sum(1 for s in json.loads(Path(planted).read_text("utf-8")) if s in sources),
    }


def measure_candidates(work: str, planted: str, limit: int) -> dict:
    """The candidate stage alone on the first ``limit`` articles (planted ones included):
    Glose's sampled shingles against datasketch's MinHash LSH (128 permutations, threshold
    0.3 and 0.5), time and recall of the planted pairs."""
    import numpy as np

    from tui.families.candidates import Pool, Sketches, boilerplate_limit
    from tui.text.corpus import article_text
    from tui.text.passages import norms

    root = Path(work) / "articles"
    plant = json.loads(Path(planted).read_text("utf-8"))
    ids = sorted({*[s for s in plant], *[c for cs in plant.values() for c in cs]})
    others = sorted(p.relative_to(root).as_posix() for p in root.glob("0*/*.txt"))
    ids = sorted(set(ids) | set(others[: max(0, limit - len(ids))]))
    texts = {i: article_text(root, i).text for i in ids}
    truth = {tuple(sorted((s, c))) for s, cs in plant.items() for c in cs if s in texts}
    out: dict = {"articles": len(ids), "planted_pairs": len(truth)}
    started = time.perf_counter()
    sk = Sketches.build(ids, texts.get)
    pool = Pool.of(sk, boilerplate_limit(len(sk.ids)))
    pairs = pool.pairs(0.5)
    found = {tuple(sorted((sk.ids[i], sk.ids[j]))) for i, j, _ in pairs}
    out["glose"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "candidates": len(found),
        "recall": round(len(truth & found) / len(truth), 3),
    }
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        out["datasketch"] = "not importable"
        return out
    for threshold in (0.3, 0.5):
        started = time.perf_counter()
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        hashes = {}
        for i in ids:
            words = norms(texts[i])
            shingles = {" ".join(words[k : k + 5]).encode() for k in range(len(words) - 4)}
            m = MinHash(num_perm=128)
            m.update_batch(list(shingles))
            hashes[i] = m
            lsh.insert(i, m)
        got = set()
        for i, m in hashes.items():
            for j in lsh.query(m):
                if j != i:
                    got.add(tuple(sorted((i, j))))
        out[f"datasketch_{threshold}"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "candidates": len(got),
            "recall": round(len(truth & got) / len(truth), 3),
        }
    del np
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.families", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--compare", type=int, default=10_000, help="articles in the candidate comparison")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        result = (
            measure_families(*rest)
            if kind == "families"
            else measure_candidates(rest[0], rest[1], int(rest[2]))
        )
        print(json.dumps(result))
        return
    work, _ = prepare(args.size, args.sources)
    planted = str(work / "planted.json")
    for kind, extra in (("families", []), ("candidates", [str(args.compare)])):
        got = subprocess.run(
            [sys.executable, "-m", "bench.families", "--worker", kind, str(work), planted, *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if got.returncode != 0:
            print(got.stderr, file=sys.stderr)
            continue
        print(kind, got.stdout.strip())


if __name__ == "__main__":
    main()
