"""XComs: set/get/delete, and pull with Airflow's shapes (mapped results as a list by map_index)."""

from __future__ import annotations

from tradewind.store import xcoms
from tradewind.store.database import Database
from tradewind.store.keys import TaskInstanceKey

from .conftest import T0, make_run


def test_set_replaces_and_get_returns_json_values(db: Database) -> None:
    make_run(db)
    key = TaskInstanceKey("d", "r1", "a")
    with db.write() as conn:
        xcoms.set_xcom(conn, key, "return_value", {"x": [1, 2]}, now=T0)
        xcoms.set_xcom(conn, key, "return_value", {"x": [3]}, now=T0)
        assert xcoms.get(conn, key) == {"x": [3]}
        assert xcoms.get(conn, key, "missing", default="dflt") == "dflt"
        assert xcoms.delete_for_ti(conn, key) == 1
        assert xcoms.get(conn, key) is None


def test_pull_of_a_mapped_task_is_a_list_ordered_by_map_index(db: Database) -> None:
    make_run(db, task_ids=("m", "single"), map_counts={"m": 12})
    with db.write() as conn:
        # Written out of order, with indexes above 9, so that text ordering would be wrong.
        for i in (11, 2, 0, 10, 1, 5, 3, 4, 9, 6, 8, 7):
            xcoms.set_xcom(conn, ("d", "r1", "m", i), "return_value", f"v{i}", now=T0)
        xcoms.set_xcom(conn, ("d", "r1", "single"), "return_value", 7, now=T0)
    with db.read() as conn:
        assert xcoms.pull(conn, "d", "r1", "m", "return_value") == [f"v{i}" for i in range(12)]
        assert xcoms.pull(conn, "d", "r1", "m", "return_value", map_indexes=10) == "v10"
        assert xcoms.pull(conn, "d", "r1", "m", "return_value", map_indexes=[3, 1]) == ["v3", "v1"]
        assert xcoms.pull(conn, "d", "r1", "single") == 7
        assert xcoms.pull(conn, "d", "r1", ["single", "m"]) == [7, [f"v{i}" for i in range(12)]]
        assert xcoms.pull(conn, "d", "r1", "nothing") is None


def test_pull_of_a_mapped_task_without_results_is_an_empty_list(db: Database) -> None:
    make_run(db, task_ids=("m",), map_counts={"m": 2})
    with db.read() as conn:
        assert xcoms.pull(conn, "d", "r1", "m") == []


def test_pull_with_no_task_ids_returns_the_newest_value_of_any_task(db: Database) -> None:
    from datetime import timedelta

    make_run(db)
    with db.write() as conn:
        xcoms.set_xcom(conn, ("d", "r1", "a"), "k", "old", now=T0)
        xcoms.set_xcom(conn, ("d", "r1", "b"), "k", "new", now=T0 + timedelta(seconds=1))
        assert xcoms.pull(conn, "d", "r1", None, "k") == "new"
        assert [x["task_id"] for x in xcoms.list_for_run(conn, "d", "r1")] == ["a", "b"]
