"""DAG source code: stored once per content."""

from __future__ import annotations

from tradewind.store import dag_code
from tradewind.store.database import Database


def test_write_if_changed_get_and_remove(db: Database) -> None:
    with db.write() as conn:
        assert dag_code.write_if_changed(conn, "/a.py", "print(1)\n")
        assert not dag_code.write_if_changed(conn, "/a.py", "print(1)\n")
        assert dag_code.write_if_changed(conn, "/a.py", "print(2)\n")
        assert dag_code.get_source(conn, "/a.py") == "print(2)\n"
        assert dag_code.remove(conn, ["/a.py"]) == 1
        assert dag_code.get_source(conn, "/a.py") is None
