"""The one table of configuration options: section, key, type, default, description, secret.

It generates the commented airflow.cfg, `airflow config list` and validation. Keys are Airflow's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    """One configuration option and how to read it."""

    section: str
    key: str
    type: type
    default: Any
    description: str
    secret: bool = False


def _o(section: str, key: str, type_: type, default: Any, description: str, secret: bool = False) -> Option:
    return Option(section, key, type_, default, description, secret)


OPTIONS: tuple[Option, ...] = (
    _o("core", "dags_folder", str, "{AIRFLOW_HOME}/dags", "Folder holding the DAG files (searched recursively)."),
    _o("core", "executor", str, "LocalExecutor", "Executor that runs task tries: LocalExecutor, SequentialExecutor or CeleryExecutor."),
    _o("core", "parallelism", int, 32, "Most task instances running at once, per scheduler."),
    _o("core", "max_active_tasks_per_dag", int, 16, "Default max_active_tasks of a DAG."),
    _o("core", "max_active_runs_per_dag", int, 16, "Default max_active_runs of a DAG."),
    _o("core", "dags_are_paused_at_creation", bool, True, "New DAGs start paused."),
    _o("core", "load_examples", bool, False, "Load Tradewind's example DAGs beside the DAGs folder."),
    _o("core", "dagbag_import_timeout", float, 30.0, "Seconds a DAG file may take to import before it is an import error."),
    _o("core", "dag_file_processor_timeout", float, 50.0, "Seconds the DAG processor gives a DAG's on_success / "
       "on_failure callbacks (their file's import included) before it kills their process."),
    _o("core", "dag_discovery_safe_mode", bool, True, "Only parse files that mention both 'dag' and 'airflow'."),
    _o("core", "default_timezone", str, "utc", "Time zone of naive datetimes in DAG files."),
    _o("core", "default_task_retries", int, 0, "Retries of a task that sets none."),
    _o("core", "max_map_length", int, 1024, "Most mapped task instances one task may expand to."),
    _o("core", "dag_run_conf_overrides_params", bool, True, "A run's conf overrides the DAG's params."),
    _o("core", "fernet_key", str, "", "Key that encrypts connection passwords and secret variables.", secret=True),
    _o("core", "sensitive_var_conn_names", str, "", "Extra comma-separated words that mark a variable or connection field secret."),
    _o("core", "hide_sensitive_var_conn_fields", bool, True, "Mask secret values in logs and pages."),
    _o("database", "sql_alchemy_conn", str, "sqlite:///{AIRFLOW_HOME}/airflow.db", "Metadata database URL (SQLite file, or postgresql+psycopg://...).", secret=True),
    _o("database", "sql_alchemy_pool_size", int, 5, "Connections kept open to a server database."),
    _o("database", "sqlite_busy_timeout_ms", int, 30000, "How long SQLite waits for a lock before failing."),
    _o("logging", "base_log_folder", str, "{AIRFLOW_HOME}/logs", "Folder of task logs."),
    _o("logging", "logging_level", str, "INFO", "Log level of Tradewind's own components."),
    _o("scheduler", "catchup_by_default", bool, False, "catchup of a DAG that does not set it."),
    _o("scheduler", "standalone_dag_processor", bool, False, "Run DAG parsing as its own process (`airflow dag-processor`)."),
    _o("scheduler", "min_file_process_interval", float, 0.0,
       "Seconds after which an unchanged DAG file is parsed again, for files that build DAGs from outside "
       "state; 0 parses a file only when it changes (changes are seen within a second)."),
    _o("scheduler", "dag_dir_list_interval", float, 5.0, "Seconds between two scans of the DAGs folder for new files."),
    _o("scheduler", "parsing_processes", int, 2, "DAG files parsed at once."),
    _o("scheduler", "task_instance_heartbeat_timeout", float, 30.0, "Seconds without a heartbeat before a running try is declared dead."),
    _o("scheduler", "scheduler_heartbeat_sec", float, 5.0, "Seconds between the scheduler's heartbeats."),
    _o("scheduler", "scheduler_health_check_threshold", float, 30.0, "Seconds without a heartbeat before the scheduler is unhealthy."),
    _o("local_executor", "workers", int, 0, "Worker processes of the LocalExecutor, each running many tries in forked "
       "children (0: one per four CPU cores); never more than [core] parallelism."),
    _o("local_executor", "tries_per_process", int, 100, "Tries of one DAG file a task process may run, one after "
       "the other, before it exits. A process takes another try only when the last one succeeded and left "
       "nothing the next could see: environment variables, the working directory, sys.path, the umask and "
       "the warning filters are put back; a new import, a thread or process still running, or a change to "
       "a module of the DAGs folder, the DAG, the task, logging or a signal handler makes it exit. 1 gives "
       "every try a fresh process, as Airflow does, at about a third of the throughput for small tasks."),
    _o("sensors", "default_timeout", float, 604800.0, "Default timeout of sensors, in seconds."),
    _o("webserver", "web_server_host", str, "0.0.0.0", "Address the web server binds."),
    _o("webserver", "web_server_port", int, 8080, "Port of the web server."),
    _o("webserver", "secret_key", str, "", "Key that signs session cookies; generated when empty.", secret=True),
    _o("webserver", "default_ui_timezone", str, "UTC", "Time zone the UI shows first."),
    _o("webserver", "expose_config", bool, False, "Show the configuration in the UI and API."),
    _o("api", "port", int, 8080, "Port of the API server (`airflow api-server`)."),
    _o("celery", "broker_url", str, "redis://127.0.0.1:6379/0", "Celery broker for the CeleryExecutor.", secret=True),
    _o("celery", "worker_concurrency", int, 16, "Task tries a Celery worker runs at once."),
)

OPTIONS_BY_KEY: dict[tuple[str, str], Option] = {(o.section, o.key): o for o in OPTIONS}
