"""BaseOperator: keyword-only construction, defaults, default_args precedence and templating."""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone

import jinja2
import pytest

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.dag import DAG
from tradewind.sdk.taskgroup import TaskGroup

START = datetime(2026, 1, 1)


class Echo(BaseOperator):
    """An operator with one templated argument of its own."""

    template_fields = ("message", "extra")
    template_ext = (".txt",)

    def __init__(self, *, message: str = "hi", extra: object = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.message = message
        self.extra = extra

    def execute(self, context: object) -> str:
        return self.message


def test_defaults_match_airflow() -> None:
    with DAG("defaults", start_date=START):
        op = Echo(task_id="t")
    assert (op.retries, op.retry_delay, op.owner, op.pool, op.pool_slots) == (0, timedelta(seconds=300), "airflow", "default_pool", 1)
    assert (op.priority_weight, op.weight_rule, op.queue, op.trigger_rule) == (1, "downstream", "default", "all_success")
    assert op.on_failure_callback == [] and op.operator_name == "Echo" and op.is_empty is False


def test_positional_arguments_are_refused() -> None:
    with DAG("positional", start_date=START), pytest.raises(TypeError, match="keyword arguments"):
        Echo("t")  # type: ignore[misc]


def test_unknown_keyword_is_named() -> None:
    with DAG("unknown", start_date=START), pytest.raises(TypeError, match="no_such_arg"):
        Echo(task_id="t", no_such_arg=1)


def test_provide_context_is_dropped_with_a_deprecation_warning() -> None:
    with DAG("legacy", start_date=START), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Echo(task_id="t", provide_context=True)
    warned = [w for w in caught if issubclass(w.category, DeprecationWarning) and "provide_context" in str(w.message)]
    assert warned and warned[0].filename == __file__  # the warning points at the DAG file's line


def test_default_args_precedence_through_every_level() -> None:
    dag_args = {"retries": 1, "owner": "dag", "queue": "q-dag", "pool": "p-dag", "message": "from-dag", "unused": 5}
    with DAG("precedence", start_date=START, default_args=dag_args):
        with TaskGroup("outer", default_args={"owner": "outer", "queue": "q-outer", "pool": "p-outer"}):
            with TaskGroup("inner", default_args={"owner": "inner", "queue": "q-inner"}):
                op = Echo(task_id="t", default_args={"owner": "own"}, retries=9)
    assert op.task_id == "outer.inner.t"
    assert op.retries == 9  # explicit
    assert op.owner == "own"  # the operator's own default_args
    assert op.queue == "q-inner"  # inner group over outer group
    assert op.pool == "p-outer"  # outer group over DAG
    assert op.message == "from-dag"  # a key some __init__ in the MRO declares
    assert not hasattr(op, "unused")  # keys nobody declares are ignored


def test_default_args_are_copied_per_task() -> None:
    args = {"retries": 2}
    with DAG("copied", start_date=START, default_args=args) as dag:
        Echo(task_id="a")
        args["retries"] = 7
        dag.default_args["retries"] = 3
        b = Echo(task_id="b")
    assert dag.get_task("a").retries == 2 and b.retries == 3


def test_trigger_rule_aliases_are_normalized_and_callbacks_become_lists() -> None:
    def callback(context: object) -> None:
        return None

    with DAG("rules", start_date=START):
        op = Echo(task_id="t", trigger_rule="none_failed_or_skipped", on_failure_callback=callback, retry_delay=5)
    assert op.trigger_rule == "none_failed_min_one_success"
    assert op.on_failure_callback == [callback] and op.retry_delay == timedelta(seconds=5)


def test_start_date_becomes_aware_utc() -> None:
    with DAG("dates", start_date=START):
        op = Echo(task_id="t", start_date=datetime(2026, 3, 1, 12))
    assert op.start_date == datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def test_render_template_fields_recurses_and_loads_template_files(tmp_path: object) -> None:
    folder = tmp_path  # type: ignore[assignment]
    (folder / "greeting.txt").write_text("hello {{ name }}")  # type: ignore[operator]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined)
    with DAG("render", start_date=START):
        nested = Echo(task_id="nested", message="{{ name }}!")
        op = Echo(task_id="t", message="greeting.txt",
                  extra={"list": ["{{ name }}", ("{{ name }}",)], "set": {"{{ 1 + 1 }}"}, "obj": nested, "empty": ""})
    op.render_template_fields({"name": "ada"}, env)
    assert op.message == "hello ada"
    assert op.extra["list"] == ["ada", ("ada",)] and op.extra["set"] == {"2"}
    assert nested.message == "ada!" and op.extra["empty"] == ""


def test_falsy_fields_are_not_rendered() -> None:
    with DAG("falsy", start_date=START):
        op = Echo(task_id="t", message="", extra=None)
    op.render_template_fields({}, None)  # no environment needed: nothing to render
    assert op.message == "" and op.extra is None


def test_xcomarg_in_a_templated_field_adds_the_dependency() -> None:
    with DAG("xcomdep", start_date=START):
        first = Echo(task_id="first")
        second = Echo(task_id="second", extra={"value": [first.output]})
    assert second.upstream_task_ids == {"first"}


def test_setup_and_teardown() -> None:
    with DAG("st", start_date=START):
        create = Echo(task_id="create").as_setup()
        delete = Echo(task_id="delete").as_teardown(setups=create)
    assert create.is_setup and delete.is_teardown
    assert delete.trigger_rule == "all_done_setup_success" and delete.upstream_task_ids == {"create"}


def test_deepcopy_keeps_the_dag_and_copies_the_arguments() -> None:
    import copy

    with DAG("copies", start_date=START) as dag:
        op = Echo(task_id="t", extra={"k": ["v"]})
    clone = copy.deepcopy(op)
    assert clone.dag is dag and clone.extra == {"k": ["v"]} and clone.extra is not op.extra
