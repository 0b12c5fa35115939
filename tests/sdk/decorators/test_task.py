"""@task and its variants: naming, context injection, overrides and validation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2
import pytest

from tradewind.sdk.dag import DAG
from tradewind.sdk.decorators import setup, task, teardown

START = datetime(2026, 1, 1)
ENV = jinja2.Environment(undefined=jinja2.StrictUndefined)


class StoredXComs:
    """A task instance's xcom_pull over a dict of task_id -> return value."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def xcom_pull(self, task_ids: str, key: str = "return_value") -> Any:
        return self.values.get(task_ids)


def _run(operator: Any, context: dict[str, Any]) -> Any:
    operator.render_template_fields(context, ENV)
    return operator.execute(dict(context))


def test_repeated_calls_get_suffixes_and_override_changes_arguments() -> None:
    @task
    def step() -> None:
        """Does one step."""

    with DAG("names", start_date=START) as dag:
        step()
        step()
        step.override(task_id="custom", retries=4)()
        step()
    assert dag.task_ids == ["step", "step__1", "custom", "step__2"]
    assert dag.get_task("custom").retries == 4 and dag.get_task("step").doc_md == "Does one step."
    assert dag.get_task("step").operator_name == "_PythonDecoratedOperator"
    assert dag.get_task("step").custom_operator_name == "@task"


def test_context_injection_and_explicit_values_win() -> None:
    @task
    def show(value: int, ds: str | None = None, run_id: str | None = None, **kwargs: Any) -> dict[str, Any]:
        return {"value": value, "ds": ds, "run_id": run_id, "has_ti": "ti" in kwargs}

    @task
    def source() -> int:
        return 41

    with DAG("inject", start_date=START) as dag:
        show(source(), run_id="explicit")
    context = {"ds": "2026-01-02", "run_id": "manual__x", "ti": StoredXComs({"source": 41}), "params": {}}
    op = dag.get_task("show")
    assert op.upstream_task_ids == {"source"}
    assert _run(op, context) == {"value": 41, "ds": "2026-01-02", "run_id": "explicit", "has_ti": True}


def test_arguments_are_templated() -> None:
    @task
    def echo(text: str) -> str:
        return text

    with DAG("templated", start_date=START) as dag:
        echo("run {{ run_id }}")
    assert _run(dag.get_task("echo"), {"run_id": "r1"}) == "run r1"


def test_context_parameters_must_default_to_none() -> None:
    @task
    def bad(ds: str = "2020-01-01") -> None:
        return None

    with DAG("bad_default", start_date=START), pytest.raises(ValueError, match="'ds' is a context key"):
        bad()


def test_missing_arguments_and_methods_are_refused() -> None:
    @task
    def needs(x: int) -> int:
        return x

    with DAG("missing", start_date=START), pytest.raises(TypeError, match="missing argument"):
        needs()
    with pytest.raises(TypeError, match="method"):
        task(lambda self: None)


def test_multiple_outputs_from_annotation_and_default_args_feed_parameters() -> None:
    @task
    def split() -> dict[str, int]:
        return {"a": 1}

    @task
    def uses(owner: str | None = None, limit: int = 1) -> int:
        return limit

    with DAG("outputs", start_date=START, default_args={"limit": 5}) as dag:
        split()
        uses()
    assert dag.get_task("split").multiple_outputs is True
    assert dag.get_task("uses").op_kwargs == {"limit": 5}


def test_variants_use_the_standard_operators() -> None:
    from tradewind.sdk.operators.python import BranchPythonOperator, ShortCircuitOperator
    from tradewind.sdk.sensors.python import PythonSensor

    @task.branch
    def choose() -> str:
        return "x"

    @task.short_circuit()
    def gate() -> bool:
        return True

    @task.sensor(poke_interval=5, timeout=10)
    def wait() -> bool:
        return True

    with DAG("variants", start_date=START) as dag:
        choose(), gate(), wait()
    assert isinstance(dag.get_task("choose"), BranchPythonOperator)
    assert isinstance(dag.get_task("gate"), ShortCircuitOperator)
    assert isinstance(dag.get_task("wait"), PythonSensor)


def test_bash_variant_renders_the_returned_command() -> None:
    @task.bash
    def say(word: str) -> str:
        return "echo " + word + " {{ ds }}"

    @task.bash
    def nothing() -> str:
        return ""

    with DAG("bash", start_date=START) as dag:
        say("hello")
        nothing()
    op = dag.get_task("say")
    op.render_template_fields({"ds": "2026-01-02"}, ENV)
    assert op.bash_command == "echo hello 2026-01-02"
    with pytest.raises(TypeError, match="non-empty command"):
        dag.get_task("nothing").render_template_fields({}, ENV)


def test_setup_and_teardown_decorators() -> None:
    @setup
    def create() -> None:
        return None

    @teardown(on_failure_fail_dagrun=True)
    def delete() -> None:
        return None

    @task
    def work() -> None:
        return None

    with DAG("setup_teardown", start_date=START) as dag:
        with delete().as_teardown(setups=create()):
            work()
    made, removed, worked = dag.get_task("create"), dag.get_task("delete"), dag.get_task("work")
    assert made.is_setup and removed.is_teardown and removed.on_failure_fail_dagrun
    assert removed.trigger_rule == "all_done_setup_success"
    assert worked.upstream_task_ids == {"create"} and worked.downstream_task_ids == {"delete"}


def test_run_if_and_skip_if_skip_at_run_time() -> None:
    from tradewind.sdk.exceptions import AirflowSkipException

    @task.run_if(lambda context: context["ds"] > "2026")
    @task
    def later() -> None:
        return None

    @task.skip_if(lambda context: True, skip_message="never today")
    @task
    def never() -> None:
        return None

    with DAG("conditional", start_date=START) as dag:
        later()
        never()
    dag.get_task("later").pre_execute({"ds": "2027-01-01"})
    with pytest.raises(AirflowSkipException, match="condition"):
        dag.get_task("later").pre_execute({"ds": "2025-01-01"})
    with pytest.raises(AirflowSkipException, match="never today"):
        dag.get_task("never").pre_execute({})
