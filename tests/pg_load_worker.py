"""One coder of the load test (tests/test_shared_load.py), run as its own process:
``python -m tests.pg_load_worker URL CODER COUNT [HANG_AT]``.

Writes COUNT annotations to the PostgreSQL store at URL, one transaction each, printing
``ok <id>`` once each is committed. With HANG_AT, the annotation of that number is written
inside a transaction that never commits: it prints ``pending <id>`` and waits to be killed.
"""

from __future__ import annotations

import sys
import time

from tui.store import Actor, open_store

ARTICLES = 20
TEXT = "".join(f"mot{i:03d} " for i in range(60))  # 7-character words, one span each
TAGS = ("accord", "désaccord", "neutre")


def span(i: int) -> tuple[str, int, int]:
    """The i-th span: the same for every coder (so they can agree or not)."""
    word = i // ARTICLES
    return f"article{i % ARTICLES:02d}.txt", word * 7, word * 7 + 6


def tag(coder: str, i: int) -> str:
    """Coders agree on most spans and differ on some."""
    return TAGS[(i + (i % 7 == 0) * len(coder)) % len(TAGS)]


def main(url: str, coder: str, count: int, hang_at: int | None = None) -> None:
    from pathlib import Path

    with open_store(url, Path("unused.db"), actor=Actor("cli", coder)) as store:
        for i in range(count):
            article, start, end = span(i)
            if i == hang_at:
                with store.transaction():
                    made = store.create(article, TEXT, "h", start, end, tags=[tag(coder, i)])
                    print("pending", made.id, flush=True)
                    time.sleep(600)
            made = store.create(article, TEXT, "h", start, end, tags=[tag(coder, i)])
            print("ok", made.id, flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], args[1], int(args[2]), int(args[3]) if len(args) > 3 else None)
