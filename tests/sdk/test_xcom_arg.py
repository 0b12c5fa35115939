"""XComArg: template form, resolution through the task instance, map/zip/concat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.dag import DAG
from tradewind.sdk.xcom_arg import XComArg


class Noop(BaseOperator):
    """Does nothing."""


class StoredXComs:
    """A task instance's xcom_pull over a dict of (task_id, key) -> value."""

    def __init__(self, values: dict[tuple[str, str], Any]) -> None:
        self.values = values

    def xcom_pull(self, task_ids: str, key: str = "return_value") -> Any:
        return self.values.get((task_ids, key))


def _dag() -> tuple[Noop, Noop]:
    with DAG("xcoms", start_date=datetime(2026, 1, 1)):
        return Noop(task_id="a"), Noop(task_id="b")


def test_str_is_a_jinja_pull_with_the_key_only_when_set() -> None:
    a, _ = _dag()
    assert str(a.output) == "{{ task_instance.xcom_pull(task_ids='a', dag_id='xcoms', key='return_value') }}"
    assert str(XComArg(a, key=None)) == "{{ task_instance.xcom_pull(task_ids='a', dag_id='xcoms') }}"


def test_resolve_getitem_map_zip_concat() -> None:
    a, b = _dag()
    ti = StoredXComs({("a", "return_value"): [1, 2, 3], ("b", "return_value"): ["x", "y"], ("a", "total"): 6})
    context = {"ti": ti}
    assert a.output.resolve(context) == [1, 2, 3]
    assert a.output["total"].resolve(context) == 6
    assert list(a.output.map(lambda v: v * 10).map(str).resolve(context)) == ["10", "20", "30"]
    assert a.output.zip(b.output).resolve(context) == [(1, "x"), (2, "y")]
    assert a.output.zip(b.output, fillvalue=None).resolve(context)[-1] == (3, None)
    assert a.output.concat(b.output).resolve(context) == [1, 2, 3, "x", "y"]


def test_xcomarg_links_like_its_operator() -> None:
    a, b = _dag()
    a.output >> b
    assert b.upstream_task_ids == {"a"}
