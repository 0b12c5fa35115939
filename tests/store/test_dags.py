"""DAG rows: upsert from a serialized DAG with tags, pause, list filters, stale marking."""

from __future__ import annotations

from tradewind.store import dags, import_errors, serialized_dags
from tradewind.store.database import Database

from .conftest import T0


def doc(dag_id: str, *, tags: list[str] | None = None, fileloc: str = "/dags/f.py", **extra: object) -> dict:
    return {"format": 1, "dag_id": dag_id, "fileloc": fileloc, "description": f"about {dag_id}", "tags": tags or [],
            "timetable_summary": "@daily", "max_active_runs": 16, "max_active_tasks": 16,
            "tasks": [{"task_id": "t", "owner": "alice", "upstream": [], "downstream": []}], **extra}


def test_upsert_creates_then_refreshes_keeping_the_paused_flag(db: Database) -> None:
    with db.write() as conn:
        assert dags.upsert_from_serialized(conn, doc("x", tags=["b", "a"]), version_number=1, now=T0)
        dags.set_paused(conn, "x", False)
        assert not dags.upsert_from_serialized(conn, doc("x", tags=["c"], description="new"), now=T0)
        row = dags.get(conn, "x")
    assert (row["is_paused"], row["description"], row["tags"], row["owners"]) == (False, "new", ["c"], "alice")
    assert row["latest_version"] == 1


def test_is_paused_upon_creation_wins_over_the_default(db: Database) -> None:
    with db.write() as conn:
        dags.upsert_from_serialized(conn, doc("x", is_paused_upon_creation=False), paused_at_creation=True)
        dags.upsert_from_serialized(conn, doc("y"), paused_at_creation=False)
        assert dags.get(conn, "x")["is_paused"] is False
        assert dags.get(conn, "y")["is_paused"] is False
        assert not dags.set_paused(conn, "missing", True)


def test_list_filters_by_tags_paused_pattern_and_pages(db: Database) -> None:
    with db.write() as conn:
        for i, tags in enumerate((["etl"], ["ml"], ["etl", "ml"], [])):
            dags.upsert_from_serialized(conn, doc(f"dag_{i}", tags=tags))
        dags.set_paused(conn, "dag_3", False)
    with db.read() as conn:
        ids = lambda **kw: [d["dag_id"] for d in dags.list_dags(conn, **kw)]  # noqa: E731
        assert ids() == ["dag_0", "dag_1", "dag_2", "dag_3"]
        assert ids(tags=["etl"]) == ["dag_0", "dag_2"]
        assert ids(paused=False) == ["dag_3"]
        assert ids(pattern="G_1") == ["dag_1"]
        assert ids(limit=2, offset=1) == ["dag_1", "dag_2"]
        assert dags.count_dags(conn, tags=["ml"]) == 2
        assert dags.list is dags.list_dags


def test_mark_stale_hides_dags_no_longer_in_their_files(db: Database) -> None:
    with db.write() as conn:
        dags.upsert_from_serialized(conn, doc("keep", fileloc="/a.py"))
        dags.upsert_from_serialized(conn, doc("gone", fileloc="/a.py"))
        dags.upsert_from_serialized(conn, doc("other", fileloc="/b.py"))
        assert dags.mark_stale(conn, keep_dag_ids=["keep"], filelocs=["/a.py"]) == 1
        assert [d["dag_id"] for d in dags.list_dags(conn)] == ["keep", "other"]
        assert [d["dag_id"] for d in dags.list_dags(conn, include_stale=True)] == ["gone", "keep", "other"]
        dags.upsert_from_serialized(conn, doc("gone", fileloc="/a.py"))
        assert dags.get(conn, "gone")["is_stale"] is False


def test_serialized_versions_change_only_with_the_content(db: Database) -> None:
    with db.write() as conn:
        dags.upsert_from_serialized(conn, doc("x"))
        assert serialized_dags.write_if_changed(conn, "x", doc("x"), "/dags/f.py", now=T0) == (1, True)
        assert serialized_dags.write_if_changed(conn, "x", doc("x"), "/dags/f.py", now=T0) == (1, False)
        assert serialized_dags.write_if_changed(conn, "x", doc("x", tags=["t"]), "/dags/f.py", now=T0) == (2, True)
        serialized_dags.write_if_changed(conn, "y", doc("y"), "/dags/f.py", now=T0)
    with db.read() as conn:
        latest = serialized_dags.latest(conn, "x")
        assert (latest.version_number, latest.data["tags"]) == (2, ["t"])
        assert serialized_dags.latest(conn, "x", version_number=1).data["tags"] == []
        assert serialized_dags.latest(conn, "nope") is None
        many = serialized_dags.latest_many(conn)
        assert {k: v.version_number for k, v in many.items()} == {"x": 2, "y": 1}
        assert set(serialized_dags.latest_many(conn, ["y"])) == {"y"}
        assert dags.get(conn, "x")["latest_version"] == 2
        assert [v["version_number"] for v in serialized_dags.versions(conn, "x")] == [2, 1]


def test_import_errors_replace_clear_and_flag_dags(db: Database) -> None:
    with db.write() as conn:
        dags.upsert_from_serialized(conn, doc("x", fileloc="/a.py"))
        import_errors.replace_for_files(conn, {"/a.py": "Traceback 1", "/b.py": "SyntaxError"}, now=T0)
        import_errors.replace_for_files(conn, {"/a.py": "Traceback 2"}, now=T0)
        listed = import_errors.list_import_errors(conn)
        assert dags.get(conn, "x")["has_import_errors"] is True
        assert import_errors.clear_for_files(conn, ["/a.py"]) == 1
        assert dags.get(conn, "x")["has_import_errors"] is False
        assert [e["filename"] for e in import_errors.list_import_errors(conn)] == ["/b.py"]
    assert [(e["filename"], e["stack_trace"]) for e in listed] == [("/a.py", "Traceback 2"), ("/b.py", "SyntaxError")]
    assert set(listed[0]) == {"import_error_id", "timestamp", "filename", "stack_trace"}
