"""@dag: the function's parameters become params; calling it builds and registers the DAG."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2

from tradewind.sdk import registry
from tradewind.sdk.decorators import dag, task
from tradewind.sdk.params import Param


def test_dag_decorator_builds_a_registered_dag_with_params() -> None:
    @task
    def show(n: int) -> int:
        return n

    @dag(schedule=None, start_date=datetime(2026, 1, 1), params={"label": "x"})
    def pipeline(n: int = 3, level: Param = Param(1, type="integer")) -> None:
        """The pipeline's documentation."""
        show(n)

    with registry.collecting() as collection:
        built = pipeline()
    assert collection.dags == {"pipeline": built}
    assert built.dag_id == "pipeline" and built.doc_md == "The pipeline's documentation."
    assert dict(built.params) == {"label": "x", "n": 3, "level": 1}
    assert built.params.get_param("level").schema == {"type": "integer"}
    op = built.get_task("show")
    op.render_template_fields({"params": {"n": 8}}, jinja2.Environment())
    assert op.execute({"params": {"n": 8}}) == 8


def test_dag_id_may_be_given() -> None:
    @dag("named_id")
    def ignored_name() -> Any:
        return None

    assert ignored_name().dag_id == "named_id"
