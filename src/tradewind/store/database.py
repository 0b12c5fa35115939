"""The metadata database handle: an engine plus read and write transactions that behave on SQLite and servers.

SQLite gets WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for writes: a writer takes the
write lock when its transaction starts, so two processes can never both hold a read lock and then
deadlock upgrading it. That needs pysqlite's own transaction handling off (isolation_level=None) and
our own BEGIN emitted from SQLAlchemy's "begin" event.

No SQLite connection may be open across a fork: the child would inherit the library's record of
the parent's file locks, take none of its own, and a process left alone with the database after
the parent died could then be taken for its last user, and its recent commits lost to WAL recovery.
Every fork (os.fork, multiprocessing) therefore first closes this process's idle pooled connections.
"""

from __future__ import annotations

import logging
import os
import weakref
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

import sqlalchemy as sa
from sqlalchemy import event

if TYPE_CHECKING:
    from tradewind.config.settings import Settings

_WRITE_OPTION = "tradewind_write"

log = logging.getLogger("tradewind.store.database")


class Database:
    """The metadata database: `.read()` and `.write()` give a Connection inside a transaction."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 30000, pool_size: int = 5) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.engine = self._create_engine(url, busy_timeout_ms, pool_size)
        self._pid = os.getpid()
        _databases.add(self)

    @classmethod
    def from_settings(cls, settings: "Settings") -> "Database":
        """The database named by [database] sql_alchemy_conn, with the configured pool and busy timeout."""
        return cls(settings.sql_alchemy_conn,
                   busy_timeout_ms=settings.get("database", "sqlite_busy_timeout_ms"),
                   pool_size=settings.get("database", "sql_alchemy_pool_size"))

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database (one machine only)."""
        return self.engine.dialect.name == "sqlite"

    @property
    def dialect_name(self) -> str:
        """SQLAlchemy's name of the database kind: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @staticmethod
    def _create_engine(url: str, busy_timeout_ms: int, pool_size: int) -> sa.Engine:
        parsed = sa.make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return sa.create_engine(parsed, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False})
        _install_sqlite_hooks(engine, busy_timeout_ms, in_memory=parsed.database in (None, "", ":memory:"))
        return engine

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A Connection for reads; its transaction is rolled back when the block ends."""
        self._check_process()
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A Connection inside one write transaction: committed on exit, rolled back on error."""
        self._check_process()
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        """Close every pooled connection (at the end of a process)."""
        self.engine.dispose()

    def after_fork(self) -> None:
        """In a forked child: drop the parent's pooled connections without closing them under the parent."""
        self.engine.dispose(close=False)
        self._pid = os.getpid()

    def close_before_fork(self) -> None:
        """Close the idle pooled connections of a file database: a fork must not copy an open one."""
        if self._pid != os.getpid() or not self._is_shared_file:
            return
        in_use = self.engine.pool.checkedout() if hasattr(self.engine.pool, "checkedout") else 0
        if in_use:
            log.warning("%r: forking with %d connection(s) in use; the child must not use the database "
                        "before it exits or execs", self, in_use)
        self.engine.dispose()

    @property
    def _is_shared_file(self) -> bool:
        # An in-memory SQLite database lives in its connection: closing it would lose it.
        return not (self.is_sqlite and self.engine.url.database in (None, "", ":memory:"))

    def _check_process(self) -> None:
        # A connection never crosses a fork. Done at first use, not at the fork: a forked task
        # process that never reads the database never pays for a new pool.
        if self._pid != os.getpid():
            self.after_fork()

    def __repr__(self) -> str:
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"


_databases: "weakref.WeakSet[Database]" = weakref.WeakSet()


def _close_connections_before_fork() -> None:
    for database in list(_databases):
        database.close_before_fork()


os.register_at_fork(before=_close_connections_before_fork)


def _install_sqlite_hooks(engine: sa.Engine, busy_timeout_ms: int, *, in_memory: bool) -> None:
    """Pragmas on every new connection; our own BEGIN (IMMEDIATE for writes) on every transaction."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION, False):
            _begin_immediate(conn.connection.dbapi_connection, busy_timeout_ms)
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(raw: Any, busy_timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, retried every fraction of a millisecond while another process writes.

    SQLite's own busy handler sleeps in steps of 1, 2, 5, 10... up to 100 ms, so a write lock held
    for one millisecond can cost a waiting writer ten. Between a scheduler and its workers that is
    most of a task hand-off; polling the lock ourselves keeps the wait close to the lock's hold time.
    """
    import sqlite3

    from tradewind.clock import Clock

    clock = Clock()
    deadline = clock.monotonic() + busy_timeout_ms / 1000
    delay_s = 0.0002
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or clock.monotonic() >= deadline:
                    raise
                clock.sleep(delay_s)
                delay_s = min(delay_s * 2, 0.004)
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
