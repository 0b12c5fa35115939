"""StoreServices: what user code may ask of the metadata DB while a task runs (sdk.runtime.RuntimeServices).

It also reads XComs for `ti.xcom_pull`, and registers the secrets a task reads with the log masker.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.logs.masking import masker
from tradewind.runner.runtime_ti import XComRow
from tradewind.store import dag_runs, task_instances, variables, xcoms


class ConnectionView:
    """A connection's fields as attributes (`{{ conn.my_db.host }}`), with `extra_dejson` and `get_uri()`."""

    def __init__(self, conn_id: str, fields: dict[str, Any]) -> None:
        self.conn_id = conn_id
        self.conn_type = fields.get("conn_type")
        self.description = fields.get("description")
        self.host, self.schema = fields.get("host"), fields.get("schema")
        self.login, self.password, self.port = fields.get("login"), fields.get("password"), fields.get("port")
        self.extra = fields.get("extra")

    @property
    def extra_dejson(self) -> dict[str, Any]:
        """The `extra` field decoded from JSON ({} when empty or not JSON)."""
        if isinstance(self.extra, dict):
            return self.extra
        try:
            value = json.loads(self.extra) if self.extra else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def get_uri(self) -> str:
        """The connection as a URI."""
        from tradewind.store.connection_uri import build_uri

        return build_uri({k: getattr(self, k) for k in ("conn_type", "host", "schema", "login", "password", "port", "extra")})

    def __repr__(self) -> str:
        return f"<Connection {self.conn_id} ({self.conn_type})>"


class StoreServices:
    """RuntimeServices over the metadata DB, plus XCom reads for the running task instance."""

    def __init__(self, db: Any, settings: Settings, clock: Clock | None = None) -> None:
        self.db, self.settings, self.clock = db, settings, clock or Clock()
        self.fernet_key = str(settings.get("core", "fernet_key") or "")
        self.hide_secrets = bool(settings.get("core", "hide_sensitive_var_conn_fields"))
        masker.add_sensitive_words(str(settings.get("core", "sensitive_var_conn_names") or "").split(","))

    # Variables and connections -------------------------------------------------------------------

    def get_variable(self, key: str) -> str | None:
        with self.db.read() as conn:
            value = variables.get_variable(conn, key, fernet_key=self.fernet_key)
        if value is not None and self.hide_secrets and masker.is_sensitive_name(key):
            masker.add(value)
        return value

    def set_variable(self, key: str, value: str, description: str | None = None) -> None:
        with self.db.write() as conn:
            variables.set_variable(conn, key, value, description=description, fernet_key=self.fernet_key)

    def delete_variable(self, key: str) -> None:
        with self.db.write() as conn:
            variables.delete(conn, key)

    def get_connection(self, conn_id: str) -> ConnectionView | None:
        from tradewind.store import connections

        with self.db.read() as conn:
            fields = connections.get(conn, conn_id, fernet_key=self.fernet_key)
        if fields is None:
            return None
        if fields.get("password") and self.hide_secrets:
            masker.add(fields["password"])
        return ConnectionView(conn_id, dict(fields))

    # Other runs -------------------------------------------------------------------------------------

    def trigger_dag_run(self, dag_id: str, *, run_id: str | None, conf: dict[str, Any] | None,
                        logical_date: datetime | None) -> str:
        now = self.clock.now()
        run_after = logical_date or now
        run_id = run_id or f"manual__{run_after.isoformat()}"
        with self.db.write() as conn:
            dag_runs.create_run(conn, dag_id=dag_id, run_id=run_id, run_type="manual", run_after=run_after,
                                state="queued", logical_date=logical_date, conf=conf or {},
                                data_interval=(run_after, run_after) if logical_date else None,
                                triggered_by="operator", now=now)
        return run_id

    def get_dag_run_state(self, dag_id: str, run_id: str) -> str | None:
        with self.db.read() as conn:
            run = dag_runs.get(conn, dag_id, run_id)
        return None if run is None else run["state"]

    def get_task_states(self, dag_id: str, task_ids: list[str], logical_date: datetime) -> dict[str, Any]:
        with self.db.read() as conn:
            run = dag_runs.get_by_logical_date(conn, dag_id, logical_date)
            if run is None:
                return {}
            rows = task_instances.list_for_run(conn, dag_id, run["run_id"], task_ids=task_ids)
        states: dict[str, Any] = {}
        for row in rows:
            states.setdefault(row["task_id"], []).append(row["state"])
        return {task_id: s[0] if len(s) == 1 else s for task_id, s in states.items()}

    # XCom reads (runtime_ti.XComReader) -----------------------------------------------------------

    def read_xcoms(self, dag_id: str, run_id: str, task_id: str | None, key: str | None) -> list[XComRow]:
        with self.db.read() as conn:
            rows = xcoms.list_for_run(conn, dag_id, run_id, task_id=task_id)
        if key is not None:
            rows = [r for r in rows if r["key"] == key]
        if task_id is None:
            rows.sort(key=lambda r: (r["timestamp"], r["id"]), reverse=True)
        return [XComRow(r["task_id"], r["map_index"], r["key"], r["value"]) for r in rows]

    def prior_run_id(self, dag_id: str, run_id: str, task_id: str, key: str | None) -> str | None:
        with self.db.read() as conn:
            current = dag_runs.get(conn, dag_id, run_id)
            runs = dag_runs.list_runs(conn, dag_id)
            limit = current["logical_date"] if current else None
            candidates = sorted((r for r in runs if r["logical_date"] is not None
                                 and (limit is None or r["logical_date"] <= limit)),
                                key=lambda r: r["logical_date"], reverse=True)
            for run in candidates:
                found = [r for r in xcoms.list_for_run(conn, dag_id, run["run_id"], task_id=task_id)
                         if key is None or r["key"] == key]
                if found:
                    return str(run["run_id"])
        return None
