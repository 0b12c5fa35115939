"""Dynamic task mapping: expand specs for the scheduler and unmap order for the runner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tradewind.sdk import defaults
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.dag import DAG
from tradewind.sdk.decorators import task
from tradewind.sdk.exceptions import UnmappableXComLengthPushed, UnmappableXComTypePushed
from tradewind.sdk.mapping import MappedOperator


class Pair(BaseOperator):
    """Holds two mappable arguments."""

    template_fields = ("x", "y")

    def __init__(self, *, x: Any = None, y: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.x, self.y = x, y


class StoredXComs:
    """A task instance's xcom_pull over a dict of task_id -> return value."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def xcom_pull(self, task_ids: str, key: str = "return_value") -> Any:
        return self.values.get(task_ids)


def test_cross_product_varies_the_last_argument_fastest() -> None:
    with DAG("product", start_date=datetime(2026, 1, 1)):
        mapped = Pair.partial(task_id="p", retries=2).expand(x=[1, 2], y={"a": 10, "b": 20, "c": 30})
    assert isinstance(mapped, MappedOperator) and mapped.retries == 2
    assert mapped.expand_input_spec() == {"kind": "product", "args": {"x": {"literal_length": 2}, "y": {"literal_length": 3}}}
    assert mapped.expanded_length() == 6
    combos = [(op.x, op.y) for op in (mapped.unmap(i) for i in range(6))]
    assert combos == [(1, ("a", 10)), (1, ("b", 20)), (1, ("c", 30)), (2, ("a", 10)), (2, ("b", 20)), (2, ("c", 30))]
    one = mapped.unmap(4)
    assert one.task_id == "p" and one.retries == 2 and one.map_index == 4 and type(one) is Pair


def test_xcom_specs_zip_concat_and_expand_kwargs() -> None:
    with DAG("specs", start_date=datetime(2026, 1, 1)) as dag:
        a, b = Pair(task_id="a"), Pair(task_id="b")
        zipped = Pair.partial(task_id="z").expand(x=a.output.zip(b.output, fillvalue=0))
        joined = Pair.partial(task_id="c").expand(x=a.output.concat(b.output["k"]))
        listed = Pair.partial(task_id="l").expand_kwargs(a.output.map(lambda v: {"x": v, "y": -v}))
    a_spec = {"xcom": {"task_id": "a", "key": "return_value"}}
    assert zipped.expand_input_spec()["args"]["x"] == {"zip": [a_spec, {"xcom": {"task_id": "b", "key": "return_value"}}], "longest": True}
    assert joined.expand_input_spec()["args"]["x"] == {"concat": [a_spec, {"xcom": {"task_id": "b", "key": "k"}}]}
    assert listed.expand_input_spec() == {"kind": "list", "source": a_spec}
    assert dag.get_task("z").upstream_task_ids == {"a", "b"}
    context = {"ti": StoredXComs({"a": [1, 2, 3], "b": [4]})}
    assert zipped.unmap(2, context).x == (3, 0)
    third = listed.unmap(2, context)
    assert (third.x, third.y) == (3, -3)
    assert listed.expanded_length({"source": [1, 2]}) == 2


def test_length_limit_and_unmappable_values() -> None:
    with DAG("limits", start_date=datetime(2026, 1, 1)):
        source = Pair(task_id="source")
        mapped = Pair.partial(task_id="m").expand(x=source.output)
    with pytest.raises(UnmappableXComLengthPushed, match="max_map_length"):
        mapped.expanded_length({"x": list(range(defaults.MAX_MAP_LENGTH + 1))})
    with pytest.raises(UnmappableXComTypePushed, match="cannot map over 5"):
        mapped.expanded_length({"x": 5})


def test_mapping_refuses_non_mappable_names() -> None:
    with DAG("refuse", start_date=datetime(2026, 1, 1)):
        with pytest.raises(ValueError, match="'task_id' cannot be mapped"):
            Pair.partial(task_id="p").expand(task_id=["a"])
        with pytest.raises(TypeError, match="no argument 'nope'"):
            Pair.partial(task_id="q").expand(nope=[1])


def test_taskflow_mapping() -> None:
    @task
    def numbers() -> list[int]:
        return [1, 2, 3]

    @task
    def add(x: int, y: int) -> int:
        return x + y

    with DAG("taskflow_map", start_date=datetime(2026, 1, 1)) as dag:
        result = add.partial(y=10).expand(x=numbers())
        with pytest.raises(ValueError, match="'ti' is a context key"):
            add.expand(ti=[1])
    mapped = dag.get_task("add")
    assert result.operator is mapped and mapped.upstream_task_ids == {"numbers"}
    concrete = mapped.unmap(1, {"ti": StoredXComs({"numbers": [1, 2, 3]})})
    assert concrete.op_kwargs == {"y": 10, "x": 2} and concrete.python_callable(**concrete.op_kwargs) == 12
