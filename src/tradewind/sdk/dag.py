"""`DAG`: a workflow's tasks, schedule and settings, with Airflow's constructor arguments."""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from tradewind.sdk import dag_graph, defaults, registry, scopes
from tradewind.sdk.caller import caller_file, user_stacklevel
from tradewind.sdk.exceptions import AirflowDagCycleException, DuplicateTaskIdFound, InvalidScheduleError
from tradewind.sdk.ids import validate_id
from tradewind.sdk.params import ParamsDict, merge_params
from tradewind.sdk.taskgroup import TaskGroup
from tradewind.sdk.timezone import coerce_utc, timezone_name

_UNSET: Any = object()


class DAG:
    """A workflow: `with DAG("id", schedule=..., start_date=...) as dag:` attaches the tasks made inside."""

    def __init__(
        self,
        dag_id: str,
        description: str | None = None,
        schedule: Any = _UNSET,
        schedule_interval: Any = _UNSET,
        timetable: Any = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        full_filepath: str | None = None,
        template_searchpath: str | Iterable[str] | None = None,
        template_undefined: Any = None,
        user_defined_macros: dict[str, Any] | None = None,
        user_defined_filters: dict[str, Any] | None = None,
        default_args: dict[str, Any] | None = None,
        concurrency: int | None = None,
        max_active_tasks: int | None = None,
        max_active_runs: int | None = None,
        max_consecutive_failed_dag_runs: int = 0,
        dagrun_timeout: timedelta | float | None = None,
        sla_miss_callback: Any = None,
        default_view: str = "grid",
        orientation: str = "LR",
        catchup: bool | None = None,
        on_success_callback: Any = None,
        on_failure_callback: Any = None,
        doc_md: str | None = None,
        params: dict[str, Any] | None = None,
        access_control: dict[str, Any] | None = None,
        is_paused_upon_creation: bool | None = None,
        jinja_environment_kwargs: dict[str, Any] | None = None,
        render_template_as_native_obj: bool = False,
        tags: Iterable[str] | None = None,
        owner_links: dict[str, str] | None = None,
        auto_register: bool = True,
        fail_fast: bool = False,
        dag_display_name: str | None = None,
        deadline: Any = None,
        disable_bundle_versioning: bool = False,
    ) -> None:
        self.dag_id = validate_id("dag", dag_id, dag_id=dag_id)
        self.fileloc = full_filepath or caller_file()
        self.description, self.doc_md = description, _load_doc_md(doc_md, self.fileloc)
        self.default_args = dict(default_args or {})
        start_date = start_date if start_date is not None else self.default_args.get("start_date")
        end_date = end_date if end_date is not None else self.default_args.get("end_date")
        self.timezone = timezone_name(getattr(start_date, "tzinfo", None))
        self.start_date, self.end_date = coerce_utc(start_date), coerce_utc(end_date)
        self.catchup = defaults.CATCHUP_BY_DEFAULT if catchup is None else bool(catchup)
        self.params: ParamsDict = merge_params(self.default_args.get("params"), params)
        # None means "the configured default" ([core] max_active_runs_per_dag / max_active_tasks_per_dag),
        # which the serializer fills in: the sdk reads no configuration.
        self.max_active_runs = max_active_runs
        self.max_active_tasks = max_active_tasks if max_active_tasks is not None else concurrency
        self.max_consecutive_failed_dag_runs = max_consecutive_failed_dag_runs
        self.dagrun_timeout = timedelta(seconds=dagrun_timeout) if isinstance(dagrun_timeout, (int, float)) else dagrun_timeout
        self.template_searchpath = [template_searchpath] if isinstance(template_searchpath, str) else (
            list(template_searchpath) if template_searchpath else None)
        self.template_undefined = template_undefined
        self.user_defined_macros, self.user_defined_filters = user_defined_macros, user_defined_filters
        self.render_template_as_native_obj = render_template_as_native_obj
        self.jinja_environment_kwargs = jinja_environment_kwargs
        self.on_success_callback = _as_list(on_success_callback)
        self.on_failure_callback = _as_list(on_failure_callback)
        self.sla_miss_callback = sla_miss_callback
        self.tags = sorted(set(tags or []))
        self.owner_links = dict(owner_links or {})
        self.access_control, self.is_paused_upon_creation = access_control, is_paused_upon_creation
        self.auto_register, self.fail_fast, self.deadline = auto_register, fail_fast, deadline
        self.dag_display_name = dag_display_name or dag_id
        self.default_view, self.orientation = default_view, orientation
        self.disable_bundle_versioning = disable_bundle_versioning
        self.task_dict: dict[str, Any] = {}
        self.used_group_ids: set[str] = set()
        self.edge_info: dict[tuple[str, str], dict[str, Any]] = {}
        self.task_group = TaskGroup.create_root(self)
        self.schedule = _pick_schedule(dag_id, schedule, schedule_interval, timetable)
        self.timetable = _build_timetable(dag_id, self.schedule, self.timezone)
        registry.register_dag(self)

    # -- 2.x spellings -------------------------------------------------------------------------
    @property
    def schedule_interval(self) -> Any:
        """The schedule as given (Airflow 2's name)."""
        return self.schedule

    @property
    def concurrency(self) -> int | None:
        """Airflow 2's name for max_active_tasks."""
        return self.max_active_tasks

    # -- tasks ---------------------------------------------------------------------------------
    @property
    def tasks(self) -> list[Any]:
        """The tasks, in declaration order."""
        return list(self.task_dict.values())

    @property
    def task_ids(self) -> list[str]:
        """The task ids, in declaration order."""
        return list(self.task_dict)

    @property
    def task_count(self) -> int:
        """How many tasks the DAG has."""
        return len(self.task_dict)

    def has_task(self, task_id: str) -> bool:
        """Whether the DAG has a task with this id."""
        return task_id in self.task_dict

    def get_task(self, task_id: str) -> Any:
        """The task with this id; TaskNotFound naming it otherwise."""
        from tradewind.errors import TaskNotFound

        try:
            return self.task_dict[task_id]
        except KeyError:
            raise TaskNotFound(self.dag_id, task_id) from None

    def add_task(self, task: Any) -> None:
        """Attach a task (normally done by creating it inside `with DAG` or with dag=...)."""
        existing = self.task_dict.get(task.task_id)
        if existing is task:
            return
        if existing is not None or task.task_id in self.used_group_ids:
            raise DuplicateTaskIdFound(
                f"DAG {self.dag_id!r}: duplicate task id {task.task_id!r}; each task id must be unique in its DAG",
                dag_id=self.dag_id,
                task_id=task.task_id,
            )
        self.task_dict[task.task_id] = task
        if task.task_group is None or task.task_group.dag is not self:
            task.task_group = self.task_group
        task.task_group.add(task)
        if task.dag is not self:
            task.dag = self

    def add_tasks(self, tasks: Iterable[Any]) -> None:
        """Attach several tasks."""
        for task in tasks:
            self.add_task(task)

    def set_dependency(self, upstream_task_id: str, downstream_task_id: str) -> None:
        """`upstream >> downstream` by task ids."""
        self.get_task(upstream_task_id).set_downstream(self.get_task(downstream_task_id))

    @property
    def roots(self) -> list[Any]:
        """Tasks with no upstream."""
        return [t for t in self.task_dict.values() if not t.upstream_task_ids]

    @property
    def leaves(self) -> list[Any]:
        """Tasks with no downstream."""
        return [t for t in self.task_dict.values() if not t.downstream_task_ids]

    @property
    def owner(self) -> str:
        """The owners of the tasks, comma-separated."""
        return ", ".join(sorted({str(getattr(t, "owner", "airflow")) for t in self.task_dict.values()}))

    @property
    def folder(self) -> str:
        """The folder of the file that defines the DAG."""
        return os.path.dirname(self.fileloc)

    def get_task_group_dict(self) -> dict[str | None, TaskGroup]:
        """Every task group by full group id (None for the root group)."""
        return self.task_group.get_task_group_dict()

    def set_edge_info(self, upstream_task_id: str, downstream_task_id: str, info: dict[str, Any]) -> None:
        """Annotate an edge (a Label)."""
        self.edge_info[(upstream_task_id, downstream_task_id)] = dict(info)

    def get_edge_info(self, upstream_task_id: str, downstream_task_id: str) -> dict[str, Any]:
        """The annotation of an edge, or {}."""
        return self.edge_info.get((upstream_task_id, downstream_task_id), {})

    # -- validation and order ------------------------------------------------------------------
    def check_cycle(self) -> None:
        """Raise AirflowDagCycleException naming every task of a dependency cycle, if there is one."""
        cycle = dag_graph.find_cycle(self.task_dict)
        if cycle:
            path = " >> ".join([*cycle, cycle[0]])
            raise AirflowDagCycleException(
                f"DAG {self.dag_id!r} has a cycle among {', '.join(cycle)} ({path}): remove one of these dependencies",
                dag_id=self.dag_id,
                task_id=cycle[0],
            )

    def topological_sort(self) -> list[Any]:
        """The tasks with each after all its upstreams (declaration order among equals)."""
        self.check_cycle()
        return [self.task_dict[t] for t in dag_graph.topological_order(self.task_dict)]

    # -- use -----------------------------------------------------------------------------------
    def test(self, logical_date: datetime | None = None, run_conf: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Run the DAG once, in this process, as `airflow dags test` does; returns the finished run."""
        # This bends the layering on purpose: as in Airflow, an authoring object drives a full
        # in-process run, so the runner is found only when called and the sdk never imports it.
        module = importlib.import_module("tradewind.cli.dags_test")
        logical_date = logical_date or kwargs.get("execution_date")  # Airflow 2's name for it
        return module.test_dag_object(self, logical_date=logical_date, conf=run_conf)

    def __enter__(self) -> DAG:
        scopes.push_dag(self)
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        scopes.pop_dag()
        if exc_type is None:
            self.check_cycle()

    def __repr__(self) -> str:
        return f"<DAG: {self.dag_id}>"


def _pick_schedule(dag_id: str, schedule: Any, schedule_interval: Any, timetable: Any) -> Any:
    given = [v for v in (schedule, schedule_interval) if v is not _UNSET] + ([timetable] if timetable else [])
    if len(given) > 1:
        raise InvalidScheduleError(
            f"DAG {dag_id!r}: give only one of schedule, schedule_interval and timetable", dag_id=dag_id
        )
    if schedule_interval is not _UNSET:
        warnings.warn(f"DAG {dag_id!r}: schedule_interval is deprecated, use schedule", DeprecationWarning,
                      stacklevel=user_stacklevel())
        return schedule_interval
    if timetable is not None:
        return timetable
    # Airflow 3: no schedule argument means no schedule (Airflow 2 meant daily).
    return None if schedule is _UNSET else schedule


def _build_timetable(dag_id: str, schedule: Any, zone: str) -> Any:
    from tradewind.schedule.build import timetable_from_schedule
    from tradewind.sdk.assets import BaseAsset

    if isinstance(schedule, BaseAsset) or (
        isinstance(schedule, (list, tuple)) and schedule and all(isinstance(s, BaseAsset) for s in schedule)
    ):
        # Asset-triggered DAGs have no time-based schedule; runs come only from triggers.
        schedule = None
    try:
        return timetable_from_schedule(schedule, timezone=zone)
    except (ValueError, TypeError) as exc:
        raise InvalidScheduleError(f"DAG {dag_id!r}: {exc}", dag_id=dag_id) from None


def _load_doc_md(doc_md: str | None, fileloc: str) -> str | None:
    if doc_md and doc_md.endswith(".md") and "\n" not in doc_md:
        path = os.path.join(os.path.dirname(fileloc), doc_md)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    return doc_md


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
