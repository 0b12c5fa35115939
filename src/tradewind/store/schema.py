"""The metadata database's tables, in SQLAlchemy Core; migrations/ creates them in this shape.

Names follow Airflow's metadata DB where one exists, so that people who know Airflow find their way.
Every instant is an aware UTC datetime (UtcDateTime), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

metadata = sa.MetaData(
    naming_convention={
        "ix": "idx_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back as an aware UTC datetime."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column; attach a time zone")
        value = value.astimezone(timezone.utc)
        # SQLite keeps text; dropping the zone there keeps comparisons between stored values textual and correct.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


ID_LEN = 250

dag = sa.Table(
    "dag",
    metadata,
    sa.Column("dag_id", sa.String(ID_LEN), primary_key=True),
    sa.Column("fileloc", sa.String(2000), nullable=False),
    sa.Column("is_paused", sa.Boolean, nullable=False, default=True),
    sa.Column("is_stale", sa.Boolean, nullable=False, default=False),
    sa.Column("last_parsed_at", UtcDateTime),
    sa.Column("last_parse_duration_s", sa.Float),
    sa.Column("description", sa.Text),
    sa.Column("owners", sa.String(2000)),
    sa.Column("timetable_summary", sa.String(1000)),
    sa.Column("timetable_description", sa.String(1000)),
    sa.Column("max_active_runs", sa.Integer),
    sa.Column("max_active_tasks", sa.Integer),
    sa.Column("has_import_errors", sa.Boolean, nullable=False, default=False),
    # Where the scheduler's timetable walk stands: the next run to create and when it is due.
    sa.Column("next_dagrun_logical_at", UtcDateTime),
    sa.Column("next_dagrun_data_interval_start", UtcDateTime),
    sa.Column("next_dagrun_data_interval_end", UtcDateTime),
    sa.Column("next_dagrun_create_after", UtcDateTime),
    sa.Column("latest_version", sa.Integer),
)

dag_tag = sa.Table(
    "dag_tag",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("dag_id", sa.String(ID_LEN), sa.ForeignKey("dag.dag_id", ondelete="CASCADE"), primary_key=True),
    sa.Index("idx_dag_tag_dag_id", "dag_id"),
)

serialized_dag = sa.Table(
    "serialized_dag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dag_id", sa.String(ID_LEN), nullable=False),
    sa.Column("version_number", sa.Integer, nullable=False),
    sa.Column("dag_hash", sa.String(64), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("fileloc", sa.String(2000), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("dag_id", "version_number"),
)

dag_code = sa.Table(
    "dag_code",
    metadata,
    sa.Column("fileloc", sa.String(2000), primary_key=True),
    sa.Column("source_code", sa.Text, nullable=False),
    sa.Column("source_hash", sa.String(64), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

import_error = sa.Table(
    "import_error",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("filename", sa.String(2000), nullable=False, unique=True),
    sa.Column("stack_trace", sa.Text, nullable=False),
    sa.Column("timestamp", UtcDateTime, nullable=False),
)

dag_run = sa.Table(
    "dag_run",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dag_id", sa.String(ID_LEN), nullable=False),
    sa.Column("run_id", sa.String(ID_LEN), nullable=False),
    sa.Column("logical_date", UtcDateTime),
    sa.Column("data_interval_start", UtcDateTime),
    sa.Column("data_interval_end", UtcDateTime),
    sa.Column("run_after", UtcDateTime, nullable=False),
    sa.Column("queued_at", UtcDateTime),
    sa.Column("start_date", UtcDateTime),
    sa.Column("end_date", UtcDateTime),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("run_type", sa.String(50), nullable=False),
    sa.Column("triggered_by", sa.String(50)),
    sa.Column("conf", sa.JSON),
    sa.Column("dag_version", sa.Integer),
    sa.Column("last_scheduling_decision", UtcDateTime),
    sa.Column("clear_number", sa.Integer, nullable=False, default=0),
    sa.Column("note", sa.Text),
    sa.Column("updated_at", UtcDateTime),
    sa.UniqueConstraint("dag_id", "run_id"),
    sa.UniqueConstraint("dag_id", "logical_date"),
    sa.Index("idx_dag_run_state", "state"),
    sa.Index("idx_dag_run_dag_id_run_after", "dag_id", "run_after"),
)

_TI_KEY = (
    sa.Column("dag_id", sa.String(ID_LEN), nullable=False),
    sa.Column("run_id", sa.String(ID_LEN), nullable=False),
    sa.Column("task_id", sa.String(ID_LEN), nullable=False),
    sa.Column("map_index", sa.Integer, nullable=False, default=-1),
)


def _ti_columns() -> list[sa.Column]:
    """Columns shared by a task instance and each row of its try history."""
    return [
        *(c._copy() for c in _TI_KEY),
        sa.Column("try_number", sa.Integer, nullable=False, default=0),
        sa.Column("max_tries", sa.Integer, nullable=False, default=0),
        sa.Column("state", sa.String(20)),
        sa.Column("start_date", UtcDateTime),
        sa.Column("end_date", UtcDateTime),
        sa.Column("duration", sa.Float),
        sa.Column("hostname", sa.String(1000)),
        sa.Column("unixname", sa.String(1000)),
        sa.Column("pid", sa.Integer),
        sa.Column("pool", sa.String(256), nullable=False, default="default_pool"),
        sa.Column("pool_slots", sa.Integer, nullable=False, default=1),
        sa.Column("queue", sa.String(256)),
        sa.Column("priority_weight", sa.Integer),
        sa.Column("operator", sa.String(1000)),
        sa.Column("queued_at", UtcDateTime),
        sa.Column("scheduled_at", UtcDateTime),
        sa.Column("executor", sa.String(1000)),
        sa.Column("rendered_fields", sa.JSON),
        sa.Column("rendered_map_index", sa.String(250)),
        sa.Column("note", sa.Text),
        sa.Column("updated_at", UtcDateTime),
    ]


task_instance = sa.Table(
    "task_instance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_ti_columns(),
    # When an up_for_retry or up_for_reschedule instance may be queued again.
    sa.Column("next_try_at", UtcDateTime),
    sa.Column("last_heartbeat_at", UtcDateTime),
    sa.Column("external_executor_id", sa.String(250)),
    sa.UniqueConstraint("dag_id", "run_id", "task_id", "map_index"),
    sa.Index("idx_task_instance_state", "state"),
    sa.Index("idx_task_instance_dag_id_task_id", "dag_id", "task_id"),
)

task_instance_history = sa.Table(
    "task_instance_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_ti_columns(),
    sa.UniqueConstraint("dag_id", "run_id", "task_id", "map_index", "try_number"),
)

task_reschedule = sa.Table(
    "task_reschedule",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *(c._copy() for c in _TI_KEY),
    sa.Column("try_number", sa.Integer, nullable=False),
    sa.Column("start_date", UtcDateTime, nullable=False),
    sa.Column("end_date", UtcDateTime, nullable=False),
    sa.Column("reschedule_date", UtcDateTime, nullable=False),
    sa.Index("idx_task_reschedule_key", "dag_id", "run_id", "task_id", "map_index"),
)

xcom = sa.Table(
    "xcom",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *(c._copy() for c in _TI_KEY),
    sa.Column("key", sa.String(512), nullable=False),
    sa.Column("value", sa.JSON),
    sa.Column("timestamp", UtcDateTime, nullable=False),
    sa.UniqueConstraint("dag_id", "run_id", "task_id", "map_index", "key"),
)

variable = sa.Table(
    "variable",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(ID_LEN), nullable=False, unique=True),
    sa.Column("val", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("is_encrypted", sa.Boolean, nullable=False, default=False),
)

connection = sa.Table(
    "connection",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conn_id", sa.String(ID_LEN), nullable=False, unique=True),
    sa.Column("conn_type", sa.String(500), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("host", sa.String(500)),
    sa.Column("schema", sa.String(500)),
    sa.Column("login", sa.Text),
    sa.Column("password", sa.Text),
    sa.Column("port", sa.Integer),
    sa.Column("extra", sa.Text),
    sa.Column("is_encrypted", sa.Boolean, nullable=False, default=False),
    sa.Column("is_extra_encrypted", sa.Boolean, nullable=False, default=False),
)

slot_pool = sa.Table(
    "slot_pool",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pool", sa.String(256), nullable=False, unique=True),
    sa.Column("slots", sa.Integer, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("include_deferred", sa.Boolean, nullable=False, default=False),
)

log = sa.Table(
    "log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dttm", UtcDateTime, nullable=False),
    sa.Column("event", sa.String(60), nullable=False),
    sa.Column("dag_id", sa.String(ID_LEN)),
    sa.Column("task_id", sa.String(ID_LEN)),
    sa.Column("run_id", sa.String(ID_LEN)),
    sa.Column("map_index", sa.Integer),
    sa.Column("try_number", sa.Integer),
    sa.Column("logical_date", UtcDateTime),
    sa.Column("owner", sa.String(500)),
    sa.Column("extra", sa.Text),
    sa.Index("idx_log_dttm", "dttm"),
    sa.Index("idx_log_dag_id", "dag_id"),
)

job = sa.Table(
    "job",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_type", sa.String(30), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("hostname", sa.String(500)),
    sa.Column("pid", sa.Integer),
    sa.Column("start_date", UtcDateTime, nullable=False),
    sa.Column("end_date", UtcDateTime),
    sa.Column("latest_heartbeat", UtcDateTime, nullable=False),
    sa.Index("idx_job_type_heartbeat", "job_type", "latest_heartbeat"),
)

# A DAG callback the scheduler asked for when it ended a run; the DAG processor runs it, then deletes
# the row. A claim older than the callback timeout is taken again: its processor died mid-callback.
callback_request = sa.Table(
    "callback_request",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("dag_id", sa.String(ID_LEN), nullable=False),
    sa.Column("run_id", sa.String(ID_LEN), nullable=False),
    sa.Column("fileloc", sa.String(2000), nullable=False),
    sa.Column("is_failure_callback", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(50), nullable=False),
    sa.Column("claimed_at", UtcDateTime),
)

ab_user = sa.Table(
    "ab_user",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(256), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(512), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("email", sa.String(512)),
    sa.Column("first_name", sa.String(256)),
    sa.Column("last_name", sa.String(256)),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_login_at", UtcDateTime),
)
