"""Under load: four coders, each its own process, write 1,000 annotations each at once to
one PostgreSQL store; one is killed (SIGKILL) inside a transaction. Every annotation a coder
was told was saved is there, once; the killed transaction left nothing; agreement computes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tui.coders.agreement import disagreements
from tui.store import open_store

from .conftest import ROOT
from .pg_load_worker import span

CODERS = ("ana", "ben", "chloé", "dan")
COUNT = 1000
VICTIM, HANG_AT = "ben", 300


def test_four_coders_write_at_once_and_a_killed_one_loses_only_its_open_transaction(pg_url, tmp_path):
    open_store(pg_url, tmp_path / "unused.db").close()  # the schema, made once
    outputs = {c: tmp_path / f"{c}.out" for c in CODERS}
    workers = {}
    for coder in CODERS:
        args = [sys.executable, "-m", "tests.pg_load_worker", pg_url, coder, str(COUNT)]
        if coder == VICTIM:
            args.append(str(HANG_AT))
        with open(outputs[coder], "w") as out:
            workers[coder] = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)

    victim = workers[VICTIM]
    while "pending" not in outputs[VICTIM].read_text() and victim.poll() is None:
        time.sleep(0.05)
    assert victim.poll() is None, victim.stderr.read()
    os.kill(victim.pid, signal.SIGKILL)  # mid-transaction: its rows are written, not committed
    victim.wait()
    for coder, worker in workers.items():
        if coder != VICTIM:
            _, err = worker.communicate(timeout=600)
            assert worker.returncode == 0, err

    reported = {c: [line.split() for line in outputs[c].read_text().splitlines()] for c in CODERS}
    committed = {c: [i for word, i in reported[c] if word == "ok"] for c in CODERS}
    (pending,) = [i for word, i in reported[VICTIM] if word == "pending"]
    assert len(committed[VICTIM]) == HANG_AT
    assert all(len(committed[c]) == COUNT for c in CODERS if c != VICTIM)

    with open_store(pg_url, tmp_path / "unused.db") as store:
        anns = store.annotations()
        assert store.annotations(ids=[pending]) == []  # the killed transaction left nothing
        duplicated = store._rows(
            'SELECT coder, article, start, "end" FROM annotations GROUP BY coder, article, start, "end" '
            "HAVING count(*) > 1"
        )
        events = store._rows("SELECT count(*) FROM events")[0][0]
    by_id = {a.id: a for a in anns}
    assert len(by_id) == len(anns) == sum(len(ids) for ids in committed.values())  # every one, once
    for coder, ids in committed.items():
        assert all(by_id[i].coder == coder for i in ids)
    assert duplicated == []
    assert events == len(anns)  # one journal event per committed annotation, none for the killed one
    assert {(a.article, a.start, a.end) for a in anns} == {span(i) for i in range(COUNT)}

    found = disagreements(anns, list(CODERS))
    assert found  # the coders differ on some spans...
    assert all(set(d.coded_by) | set(d.not_coded_by) <= set(CODERS) for d in found)
    first = span(0)  # ...and agree on others: span 0 (i % 7 == 0) differs, span 1 agrees
    second = span(1)
    assert any((d.article, d.start, d.end) == first for d in found)
    assert not any(d.article == second[0] and d.start < second[2] and d.end > second[1] for d in found)
