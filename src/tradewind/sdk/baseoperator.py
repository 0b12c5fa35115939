"""`BaseOperator`: the task class every operator derives from, with Airflow's constructor surface."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from tradewind.rules.trigger_rule_names import TriggerRule, normalize_trigger_rule
from tradewind.sdk import defaults, registry, scopes, template_rendering
from tradewind.sdk.caller import user_stacklevel
from tradewind.sdk.chaining import chain, chain_linear, cross_downstream
from tradewind.sdk.exceptions import InvalidTriggerRuleError, TaskDeferred
from tradewind.sdk.ids import validate_id
from tradewind.sdk.operator_args import OperatorMeta
from tradewind.sdk.params import ParamsDict
from tradewind.sdk.task_node import TaskNode
from tradewind.sdk.timezone import coerce_utc

WEIGHT_RULES = frozenset({"downstream", "upstream", "absolute"})
CALLBACK_NAMES = (
    "on_execute_callback",
    "on_failure_callback",
    "on_success_callback",
    "on_retry_callback",
    "on_skipped_callback",
)


class BaseOperator(TaskNode, metaclass=OperatorMeta):
    """A task: subclasses implement `execute(context)`; all arguments are keyword-only."""

    template_fields: ClassVar[tuple[str, ...]] = ()
    template_ext: ClassVar[tuple[str, ...]] = ()
    template_fields_renderers: ClassVar[dict[str, str]] = {}
    shallow_copy_attrs: ClassVar[tuple[str, ...]] = ()
    ui_color: str = "#fff"
    ui_fgcolor: str = "#000"
    is_empty: bool = False
    """True only for EmptyOperator without callbacks: the scheduler marks it success without running it."""

    def __init__(
        self,
        *,
        task_id: str,
        owner: str = "airflow",
        email: str | list[str] | None = None,
        email_on_retry: bool = True,
        email_on_failure: bool = True,
        retries: int | None = None,
        retry_delay: timedelta | float = timedelta(seconds=300),
        retry_exponential_backoff: bool | float = False,
        max_retry_delay: timedelta | float | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        depends_on_past: bool = False,
        ignore_first_depends_on_past: bool = True,
        wait_for_past_depends_before_skipping: bool = False,
        wait_for_downstream: bool = False,
        dag: Any = None,
        params: dict[str, Any] | None = None,
        default_args: dict[str, Any] | None = None,
        priority_weight: int = 1,
        weight_rule: Any = "downstream",
        queue: str = "default",
        pool: str | None = None,
        pool_slots: int = 1,
        sla: timedelta | None = None,
        execution_timeout: timedelta | float | None = None,
        on_execute_callback: Any = None,
        on_failure_callback: Any = None,
        on_success_callback: Any = None,
        on_retry_callback: Any = None,
        on_skipped_callback: Any = None,
        pre_execute: Callable[..., Any] | None = None,
        post_execute: Callable[..., Any] | None = None,
        trigger_rule: str = TriggerRule.ALL_SUCCESS.value,
        resources: dict[str, Any] | None = None,
        run_as_user: str | None = None,
        task_concurrency: int | None = None,
        max_active_tis_per_dag: int | None = None,
        max_active_tis_per_dagrun: int | None = None,
        executor: str | None = None,
        executor_config: dict[str, Any] | None = None,
        do_xcom_push: bool = True,
        multiple_outputs: bool = False,
        inlets: Any = None,
        outlets: Any = None,
        task_group: Any = None,
        doc: str | None = None,
        doc_md: str | None = None,
        doc_json: str | None = None,
        doc_yaml: str | None = None,
        doc_rst: str | None = None,
        task_display_name: str | None = None,
        logger_name: str | None = None,
        allow_nested_operators: bool = True,
        render_template_as_native_obj: bool | None = None,
        map_index_template: str | None = None,
        retry_policy: Any = None,
        on_failure_fail_dagrun: bool = False,
        **kwargs: Any,
    ) -> None:
        args = dict(locals())  # the whole constructor surface, stored by the helpers below
        _reject_unknown_kwargs(type(self).__name__, task_id, kwargs)
        if dag is None:
            dag = task_group.dag if task_group is not None else scopes.current_dag()
        validate_id("task", task_id, dag_id=dag.dag_id if dag is not None else None)
        self.task_group = task_group if task_group is not None else scopes.current_group(dag)
        self.task_id = self.task_group.child_id(task_id) if self.task_group is not None else task_id
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        for name in _STORED_AS_GIVEN:
            setattr(self, name, args[name])
        _store_scheduling_args(self, args)
        for name in CALLBACK_NAMES:
            setattr(self, name, _as_callback_list(args[name]))
        self._pre_execute_hook, self._post_execute_hook = pre_execute, post_execute
        self.trigger_rule = _check_trigger_rule(trigger_rule, self.task_id, dag)
        self.params = ParamsDict(params)
        self.executor_config = executor_config or {}
        self.inlets, self.outlets = _as_list(inlets), _as_list(outlets)
        if sla is not None:
            warnings.warn(f"task {self.task_id!r}: sla is ignored (Airflow 3 removed SLAs)", UserWarning,
                          stacklevel=user_stacklevel())
        self.is_setup = False
        self.is_teardown = False
        self._dag = None
        if dag is not None:
            self.dag = dag
        elif not _DETACHED:
            registry.record_orphan_task(self)

    def _tw_finish_init(self) -> None:
        """Run once after the outermost __init__: link XComArgs found in templated fields."""
        from tradewind.sdk.xcom_arg import iter_xcom_references

        if not _DETACHED:
            for field in self.template_fields:
                for operator, _key in iter_xcom_references(getattr(self, field, None)):
                    if operator is not self:
                        self.set_upstream(operator)
            scopes.note_task_created(self)

    @property
    def operator_name(self) -> str:
        """The operator's class name, as the UI shows it."""
        return type(self).__name__

    @property
    def task_type(self) -> str:
        """The operator's class name (Airflow's older spelling of operator_name)."""
        return type(self).__name__

    @property
    def output(self) -> Any:
        """The XComArg of this task's return value."""
        from tradewind.sdk.xcom_arg import XComArg

        return XComArg(self)

    @classmethod
    def partial(cls, **kwargs: Any) -> Any:
        """Fix the arguments every mapped task instance shares; then call `.expand(...)`."""
        from tradewind.sdk.mapping import OperatorPartial

        return OperatorPartial(cls, kwargs)

    def execute(self, context: Any) -> Any:
        """Do the task's work; the return value is pushed as the `return_value` XCom."""
        raise NotImplementedError(f"{type(self).__name__} must implement execute(context)")

    def pre_execute(self, context: Any) -> None:
        """Run just before execute: calls the `pre_execute` hook given to the constructor."""
        if self._pre_execute_hook is not None:
            self._pre_execute_hook(context)

    def post_execute(self, context: Any, result: Any = None) -> None:
        """Run just after execute: calls the `post_execute` hook given to the constructor."""
        if self._post_execute_hook is not None:
            self._post_execute_hook(context, result)

    def on_kill(self) -> None:
        """Called when the task is killed; override to release external resources."""

    def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
        """Render every attribute named in template_fields, in place, with `jinja_env`."""
        # Kept so that an execute() calling self.render_template(...) without an environment works.
        self._tw_jinja_env = jinja_env
        template_rendering.render_template_fields(self, context, jinja_env)

    def render_template(self, content: Any, context: Any, jinja_env: Any = None, seen_oids: set[int] | None = None) -> Any:
        """Render `content` (a string, a container, or an object with template_fields)."""
        env = jinja_env if jinja_env is not None else getattr(self, "_tw_jinja_env", None)
        return template_rendering.render_template(self, content, context, env, seen_oids)

    def xcom_push(self, context: Any, key: str, value: Any) -> None:
        """Push an XCom for the running task instance."""
        context["ti"].xcom_push(key=key, value=value)

    def xcom_pull(self, context: Any, task_ids: Any = None, key: str = "return_value", **kwargs: Any) -> Any:
        """Pull an XCom through the running task instance."""
        return context["ti"].xcom_pull(task_ids=task_ids, key=key, **kwargs)

    def defer(self, *, trigger: Any, method_name: str, kwargs: dict[str, Any] | None = None, timeout: Any = None) -> None:
        """Suspend the task until `trigger` fires; it then resumes in `method_name`."""
        raise TaskDeferred(trigger=trigger, method_name=method_name, kwargs=kwargs, timeout=timeout)

    def __deepcopy__(self, memo: dict[int, Any]) -> BaseOperator:
        # The DAG and the group are shared, not copied: a copied task still belongs to its DAG.
        result = type(self).__new__(type(self))
        memo[id(self)] = result
        shared = {"_dag", "task_group", "_tw_jinja_env", *self.shallow_copy_attrs}
        for key, value in self.__dict__.items():
            result.__dict__[key] = value if key in shared else copy.deepcopy(value, memo)
        return result

    def has_callbacks(self) -> bool:
        """Whether any callback is set."""
        return any(getattr(self, name) for name in CALLBACK_NAMES)


_STORED_AS_GIVEN = (
    "owner", "email", "email_on_retry", "email_on_failure", "retry_exponential_backoff",
    "ignore_first_depends_on_past", "wait_for_past_depends_before_skipping", "wait_for_downstream", "queue",
    "sla", "resources", "run_as_user", "max_active_tis_per_dagrun", "executor", "do_xcom_push",
    "multiple_outputs", "doc", "doc_md", "doc_json", "doc_yaml", "doc_rst", "task_display_name", "logger_name",
    "allow_nested_operators", "render_template_as_native_obj", "map_index_template", "retry_policy",
    "on_failure_fail_dagrun",
)


def _store_scheduling_args(task: BaseOperator, args: dict[str, Any]) -> None:
    """The arguments the scheduler reads, converted and checked."""
    task.retries = defaults.DEFAULT_TASK_RETRIES if args["retries"] is None else int(args["retries"])
    task.retry_delay = _as_timedelta(args["retry_delay"])
    task.max_retry_delay = _as_timedelta(args["max_retry_delay"])
    task.execution_timeout = _as_timedelta(args["execution_timeout"])
    task.start_date, task.end_date = coerce_utc(args["start_date"]), coerce_utc(args["end_date"])
    task.depends_on_past = bool(args["depends_on_past"] or args["wait_for_downstream"])
    task.priority_weight = int(args["priority_weight"])
    task.weight_rule = _check_weight_rule(args["weight_rule"], task.task_id)
    task.pool = args["pool"] or "default_pool"
    task.pool_slots = _check_pool_slots(args["pool_slots"], task.task_id)
    concurrency = args["max_active_tis_per_dag"]
    task.max_active_tis_per_dag = concurrency if concurrency is not None else args["task_concurrency"]


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] if value else []


_DETACHED = False
"""True while MappedOperator.unmap builds a concrete operator that must not join the DAG."""


def build_detached(cls: type, kwargs: dict[str, Any]) -> Any:
    """Create an operator without attaching it to any DAG or registry (used to unmap mapped tasks)."""
    global _DETACHED
    previous, _DETACHED = _DETACHED, True
    try:
        # Open `with DAG` / `with TaskGroup` blocks must not adopt the operator either.
        with scopes.outside_any_dag():
            return cls(**kwargs)
    finally:
        _DETACHED = previous


def _reject_unknown_kwargs(class_name: str, task_id: Any, kwargs: dict[str, Any]) -> None:
    if "provide_context" in kwargs:
        kwargs.pop("provide_context")
        warnings.warn(
            f"task {task_id!r}: provide_context is deprecated and ignored; the context is always passed "
            "to callables that accept it",
            DeprecationWarning,
            stacklevel=user_stacklevel(),
        )
    if kwargs:
        raise TypeError(
            f"Invalid arguments were passed to {class_name} (task_id: {task_id}). "
            f"Invalid arguments were: **kwargs: {kwargs}"
        )


def _check_trigger_rule(rule: Any, task_id: str, dag: Any) -> str:
    try:
        return normalize_trigger_rule(rule)
    except (ValueError, TypeError) as exc:
        raise InvalidTriggerRuleError(
            f"task {task_id!r}: {exc}", dag_id=dag.dag_id if dag is not None else None, task_id=task_id
        ) from None


def _check_weight_rule(rule: Any, task_id: str) -> Any:
    rule = getattr(rule, "value", rule)
    if isinstance(rule, str) and rule not in WEIGHT_RULES:
        raise ValueError(f"task {task_id!r}: unknown weight_rule {rule!r}; use one of {sorted(WEIGHT_RULES)}")
    return rule


def _check_pool_slots(slots: Any, task_id: str) -> int:
    if int(slots) < 1:
        raise ValueError(f"task {task_id!r}: pool_slots must be at least 1, got {slots!r}")
    return int(slots)


def _as_timedelta(value: Any) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(seconds=float(value))


def _as_callback_list(value: Any) -> list[Callable[..., Any]]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


__all__ = ["BaseOperator", "chain", "chain_linear", "cross_downstream", "build_detached"]
