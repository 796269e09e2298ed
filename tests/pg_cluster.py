"""A throwaway PostgreSQL cluster for the tests: ``initdb`` and ``pg_ctl`` in a temporary
folder, listening only on a Unix socket there, stopped and removed at the end.

PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
``postgres`` OS user (its folder too); the tests connect through the socket as the
cluster's superuser (trust authentication, nothing listens on the network).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"


class Unavailable(Exception):
    """No PostgreSQL can be started here (the reason says why)."""


def _bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise Unavailable("initdb not found (install PostgreSQL 15, e.g. apt-get install postgresql-15)")


class Cluster:
    def __init__(self) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise Unavailable("psycopg is not installed: pip install -e '.[test]'") from None
        self.bin = _bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="glose-pg-"))
        self.owner: str | None = None
        if os.geteuid() == 0:
            self.owner = SUPERUSER
            try:
                shutil.chown(self.dir, user=self.owner)
            except (LookupError, OSError) as exc:
                self.remove()
                raise Unavailable(
                    f"running as root, and no '{self.owner}' OS user to run PostgreSQL as ({exc})"
                ) from None
        self.data = self.dir / "data"
        self._names = itertools.count(1)
        self._started = False

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.dir)
        if done.returncode:
            log = self.dir / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise Unavailable(f"{args[0]} failed: {(done.stderr or done.stdout).strip()}\n{tail}")

    def start(self) -> Cluster:
        try:
            self._run(
                "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync"
            )
            self.start_server()
        except (Unavailable, OSError, subprocess.SubprocessError) as exc:
            self.stop()
            raise Unavailable(str(exc)) from None
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.dir}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        """A new empty database; returns its address."""
        name = f"glose_test_{os.getpid()}_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from psycopg.conninfo import conninfo_to_dict

        name = conninfo_to_dict(url)["dbname"]
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self._started:
            self._started = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except Unavailable:
                pass
        self.remove()

    def start_server(self) -> None:
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.dir}' "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o", options, "start")
        self._started = True

    def stop_server(self) -> None:
        """Stop the server, its data kept (every client's connection drops)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self._started = False

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
