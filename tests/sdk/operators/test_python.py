"""PythonOperator and ShortCircuitOperator: context injection, arguments and short-circuit skips."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timezone

import pytest

from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowException
from tradewind.sdk.operators import python as python_module
from tradewind.sdk.operators.empty import EmptyOperator
from tradewind.sdk.operators.python import (
    BranchPythonVirtualenvOperator,
    ExternalPythonOperator,
    PythonOperator,
    PythonVirtualenvOperator,
    ShortCircuitOperator,
    is_venv_installed,
)

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def python_task(fn, **kwargs) -> PythonOperator:
    with DAG("python_dag", schedule=None, start_date=START):
        return PythonOperator(task_id="call", python_callable=fn, **kwargs)


def test_context_values_are_passed_by_parameter_name(make_context):
    def fn(ds, ti, params, other=None):
        return (ds, ti.task_id, params, other)

    op = python_task(fn)
    assert op.execute(make_context(op, params={"p": 1})) == ("2026-01-02", "call", {"p": 1}, None)


def test_var_kwargs_receive_the_whole_context(make_context):
    op = python_task(lambda **kwargs: sorted(k for k in ("ds", "ti", "run_id", "logical_date") if k in kwargs))
    assert op.execute(make_context(op)) == ["ds", "logical_date", "run_id", "ti"]


def test_op_kwargs_override_context_values(make_context):
    op = python_task(lambda ds, fruit: (ds, fruit), op_kwargs={"ds": "mine", "fruit": "apple"})
    assert op.execute(make_context(op)) == ("mine", "apple")


def test_op_args_are_positional(make_context):
    op = python_task(lambda a, b, *rest, ds=None: (a, b, rest, ds), op_args=[1, 2, 3])
    assert op.execute(make_context(op)) == (1, 2, (3,), "2026-01-02")


def test_positional_op_arg_on_a_context_name_is_refused(make_context):
    op = python_task(lambda ds: ds, op_args=["x"])
    with pytest.raises(ValueError, match="'ds'"):
        op.execute(make_context(op))


def test_templates_dict_reaches_the_callable(make_context):
    op = python_task(lambda templates_dict: templates_dict["k"], templates_dict={"k": "v"})
    assert op.execute(make_context(op)) == "v"


def test_provide_context_is_accepted_and_ignored(make_context):
    with pytest.warns(DeprecationWarning):
        op = python_task(lambda fruit_name, **kwargs: fruit_name, provide_context=True, op_kwargs={"fruit_name": "apple"})
    assert op.execute(make_context(op)) == "apple"


def test_templates_exts_replace_template_ext():
    op = python_task(lambda: None, templates_exts=[".sql"])
    assert op.template_ext == (".sql",)
    assert PythonOperator.template_fields == ("templates_dict", "op_args", "op_kwargs")


def test_python_callable_must_be_callable():
    with pytest.raises(AirflowException, match="callable"):
        python_task("not callable")


def test_get_current_context_is_re_exported():
    from tradewind.sdk.context import get_current_context

    assert python_module.get_current_context is get_current_context


def test_is_venv_installed_answers_honestly():
    assert is_venv_installed() == (importlib.util.find_spec("virtualenv") is not None)


@pytest.mark.parametrize("cls", [PythonVirtualenvOperator, ExternalPythonOperator, BranchPythonVirtualenvOperator])
def test_interpreter_operators_import_but_refuse_to_run(cls, make_context):
    with DAG("venv_dag", schedule=None, start_date=START):
        op = cls(task_id="venv", python_callable=lambda: 1, requirements=["x"], python="/usr/bin/python3")
    with pytest.raises(AirflowException, match=f"{cls.__name__} is not supported yet"):
        op.execute(make_context(op))


def short_circuit_dag(condition, **kwargs):
    """start >> gate >> a >> b >> final(all_done), and gate >> cleanup (a teardown)."""
    with DAG("sc_dag", schedule=None, start_date=START) as dag:
        gate = ShortCircuitOperator(task_id="gate", python_callable=lambda: condition, **kwargs)
        a, b = EmptyOperator(task_id="a"), EmptyOperator(task_id="b")
        final = EmptyOperator(task_id="final", trigger_rule="all_done")
        cleanup = EmptyOperator(task_id="cleanup").as_teardown()
        gate >> a >> b >> final
        gate >> cleanup
    return dag, gate


def test_truthy_short_circuit_skips_nothing_and_returns_the_value(make_context):
    _, gate = short_circuit_dag("yes")
    context = make_context(gate)
    assert gate.execute(context) == "yes"
    assert context["ti"].skipped == []


def test_falsy_short_circuit_skips_everything_downstream_but_teardowns(make_context):
    _, gate = short_circuit_dag(0)
    context = make_context(gate)
    assert gate.execute(context) is None
    assert sorted(context["ti"].skipped) == ["a", "b", "final"]


def test_falsy_short_circuit_respecting_trigger_rules_skips_direct_downstreams(make_context):
    _, gate = short_circuit_dag(False, ignore_downstream_trigger_rules=False)
    context = make_context(gate)
    gate.execute(context)
    assert context["ti"].skipped == ["a"]


def test_short_circuit_in_a_mapped_instance_records_instead_of_skipping(make_context):
    _, gate = short_circuit_dag(False)
    context = make_context(gate)
    context["ti"].map_index = 2
    gate.execute(context)
    assert context["ti"].skipped == []
    assert context["ti"].xcoms[("gate", "skipmixin_key")] == {"skipped": ["a", "b", "final"]}


class Doubling(PythonOperator):
    def execute_callable(self):
        return 2 * self.python_callable(*self.op_args, **self.op_kwargs)


def test_subclass_execute_callable_sees_the_final_arguments(make_context):
    with DAG("subclass_dag", schedule=None, start_date=START):
        op = Doubling(task_id="double", python_callable=lambda n, ds: f"{n}{ds[:4]}", op_kwargs={"n": 1})
    assert op.execute(make_context(op)) == "12026" * 2
