"""Serialized DAGs the scheduler has read, kept by (dag_id, version): a version never changes."""

from __future__ import annotations

from typing import Any

from tradewind.store import scheduling
from tradewind.store.serialized_dag import SerializedDag


class DagCache:
    """Read each serialized DAG version once; ask the database only which version is the latest."""

    def __init__(self) -> None:
        self._by_version: dict[tuple[str, int], SerializedDag] = {}

    def get(self, conn: Any, dag_id: str, version: int | None) -> SerializedDag | None:
        """A given version of a DAG (the latest when `version` is None)."""
        if version is not None and (dag_id, version) in self._by_version:
            return self._by_version[(dag_id, version)]
        row = scheduling.latest_serialized(conn, dag_id, version)
        if row is None:
            return None
        dag = SerializedDag(row["data"], version_number=row["version_number"])
        self._by_version[(dag_id, row["version_number"])] = dag
        return dag

    def get_latest(self, conn: Any, dag_id: str) -> SerializedDag | None:
        version = scheduling.latest_version_number(conn, dag_id)
        return None if version is None else self.get(conn, dag_id, version)
