"""A process forked from one that used the SQLite database gets connections, and file locks, of its own.

The scheduler forks its DAG processor and workers, and a worker outlives a scheduler killed with
SIGKILL. Had the child inherited the parent's open connections, SQLite would believe the parent's
locks were its own and take none: the parent's last close would then see no other user, delete the
WAL, and the child's later commits would go to the deleted file.
"""

from __future__ import annotations

import os
from pathlib import Path

from tradewind.store.database import Database


def _locked_inodes(pid: int) -> set[int]:
    """The inodes on which process `pid` holds POSIX locks (from /proc/locks)."""
    inodes = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if fields[1] == "POSIX" and int(fields[4]) == pid:
            inodes.add(int(fields[5].split(":")[2]))
    return inodes


def _rows(path: Path) -> list[int]:
    fresh = Database(f"sqlite:///{path}")
    try:
        with fresh.read() as conn:
            return [row[0] for row in conn.exec_driver_sql("SELECT x FROM t ORDER BY x")]
    finally:
        fresh.dispose()


def test_a_forked_child_keeps_its_commits_after_the_parent_closes(tmp_path: Path) -> None:
    path = tmp_path / "airflow.db"
    db = Database(f"sqlite:///{path}")
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with db.read() as conn:  # the pooled connection stays open in the parent
        conn.exec_driver_sql("SELECT count(*) FROM t").scalar()

    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write, report its locks' inode, wait for the parent to close, write again
        code = 1
        try:
            os.close(to_child_w)
            os.close(to_parent_r)
            with db.write() as conn:
                conn.exec_driver_sql("INSERT INTO t VALUES (1)")
            os.write(to_parent_w, b"1")
            os.read(to_child_r, 1)
            with db.write() as conn:
                conn.exec_driver_sql("INSERT INTO t VALUES (2)")
            db.dispose()
            code = 0
        finally:
            os._exit(code)
    os.close(to_child_r)
    os.close(to_parent_w)
    try:
        assert os.read(to_parent_r, 1) == b"1", "the child did not write"
        assert os.stat(path).st_ino in _locked_inodes(pid), "the child holds no lock on the database file"
        db.dispose()  # the parent's last connection closes, as when it exits
        os.write(to_child_w, b"go")
    finally:
        os.close(to_child_w)  # a child still waiting reads end of file and ends
        os.close(to_parent_r)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert _rows(path) == [1, 2]
