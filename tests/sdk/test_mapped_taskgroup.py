"""Mapped task groups: every task of the group expands like the group and reads its own element."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2

from tradewind.sdk.dag import DAG
from tradewind.sdk.decorators import task, task_group


class InstanceXComs:
    """A mapped task instance: its map index and xcom_pull over task_id -> value."""

    def __init__(self, map_index: int, values: dict[str, Any]) -> None:
        self.map_index, self.values = map_index, values

    def xcom_pull(self, task_ids: str, key: str = "return_value") -> Any:
        return self.values.get(task_ids)


def test_tasks_of_a_mapped_group_are_expanded_with_the_group() -> None:
    @task
    def numbers() -> list[int]:
        return [1, 2, 3]

    @task
    def double(num: int) -> int:
        return num * 2

    @task
    def label(value: int, prefix: str) -> str:
        return f"{prefix}{value}"

    @task_group
    def per_number(num: int, prefix: str) -> None:
        label(double(num), prefix)

    with DAG("mapped_group", start_date=datetime(2026, 1, 1)) as dag:
        group = per_number.partial(prefix="n=").expand(num=numbers())
    spec = {"kind": "product", "args": {"num": {"xcom": {"task_id": "numbers", "key": "return_value"}}}}
    assert group.is_mapped and group.expand_input_spec() == spec
    doubled = dag.get_task("per_number.double")
    assert doubled.is_mapped and doubled.expand_input_spec() == spec
    assert doubled.upstream_task_ids == {"numbers"}
    assert dag.get_task("per_number.label").upstream_task_ids == {"numbers", "per_number.double"}
    context = {"ti": InstanceXComs(2, {"numbers": [1, 2, 3]})}
    doubled.render_template_fields(context, jinja2.Environment())
    assert doubled.op_args == [3] and doubled.execute(context) == 6
