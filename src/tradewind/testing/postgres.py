"""A throwaway PostgreSQL server for tests: initdb into a temp dir, listen on 127.0.0.1, stop at the end."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

BIN_GLOB_ROOT = Path("/usr/lib/postgresql")


class PostgresNotInstalled(RuntimeError):
    """PostgreSQL's server binaries were not found: install them (`apt-get install -y postgresql`)."""


def find_bin_dir() -> Path:
    """The bin folder of the newest PostgreSQL server installed (holding initdb and pg_ctl)."""
    candidates = []
    if BIN_GLOB_ROOT.is_dir():
        for child in BIN_GLOB_ROOT.iterdir():
            if (child / "bin" / "initdb").exists() and re.fullmatch(r"\d+(\.\d+)?", child.name):
                candidates.append((float(child.name), child / "bin"))
    if candidates:
        return max(candidates)[1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresNotInstalled(
        f"no PostgreSQL server binaries under {BIN_GLOB_ROOT}/*/bin nor initdb on PATH: "
        "install them with `apt-get install -y postgresql`; the tests that need PostgreSQL cannot run without it")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster in a temp dir; run as the `postgres` OS user when we are root."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="tradewind-pg-"))
        self.data_dir = self.root / "data"
        self.port = free_port()
        self._user: str | None = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root, so the cluster belongs to the postgres OS user.
            self._user = "postgres"
            entry = pwd.getpwnam(self._user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, *argv: str) -> None:
        result = subprocess.run([str(self.bin_dir / argv[0]), *argv[1:]], user=self._user, cwd=self.root,
                                capture_output=True, text=True)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(argv[:2])} failed ({result.returncode}): {result.stderr.strip()}\n{tail}")

    def start(self) -> "PostgresServer":
        """initdb and start the server; returns once it accepts connections."""
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        return self

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of one database of this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create an empty database (or a copy of `template`) and return its URL."""
        import psycopg

        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or (template and not re.fullmatch(r"[a-z_][a-z0-9_]*", template)):
            raise ValueError(f"database name {name!r} / template {template!r}: use lowercase letters, digits and _")
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A started PostgreSQL server, stopped when the block ends."""
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()
