"""Task groups: prefixed ids, linking by roots and leaves, unique ids and the @task_group decorator."""

from __future__ import annotations

from datetime import datetime

import pytest

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.dag import DAG
from tradewind.sdk.decorators import task, task_group
from tradewind.sdk.exceptions import DuplicateTaskIdFound
from tradewind.sdk.taskgroup import TaskGroup

START = datetime(2026, 1, 1)


class Noop(BaseOperator):
    """Does nothing."""


def test_ids_links_and_group_dict() -> None:
    with DAG("groups", start_date=START) as dag:
        start = Noop(task_id="start")
        with TaskGroup("outer", tooltip="tip") as outer:
            with TaskGroup("inner") as inner:
                a = Noop(task_id="a")
                b = Noop(task_id="b")
            c = Noop(task_id="c")
            a >> c
        with TaskGroup("flat", prefix_group_id=False):
            bare = Noop(task_id="bare")
        end = Noop(task_id="end")
        start >> outer >> end
    assert (a.task_id, inner.group_id, c.task_id, bare.task_id) == ("outer.inner.a", "outer.inner", "outer.c", "bare")
    assert {t.task_id for t in outer.roots} == {"outer.inner.a", "outer.inner.b"}
    assert {t.task_id for t in outer.leaves} == {"outer.inner.b", "outer.c"}
    assert start.downstream_task_ids == {"outer.inner.a", "outer.inner.b"}
    assert end.upstream_task_ids == {"outer.inner.b", "outer.c"}
    assert set(dag.get_task_group_dict()) == {None, "outer", "outer.inner", "flat"}
    assert a.task_group is inner and outer.tooltip == "tip" and inner.parent_group is outer
    assert b.label == "b"


def test_group_ids_are_unique() -> None:
    with DAG("unique", start_date=START):
        TaskGroup("g")
        with pytest.raises(DuplicateTaskIdFound, match="duplicate group id 'g'"):
            TaskGroup("g")


def test_task_group_decorator_suffixes_repeated_calls_and_returns_the_task() -> None:
    @task
    def work() -> int:
        return 1

    @task_group
    def section() -> None:
        work()

    @task_group(group_id="returns")
    def returning():  # type: ignore[no-untyped-def]
        return work()

    with DAG("decorated_groups", start_date=START) as dag:
        first, second = section(), section()
        out = returning()
    assert (first.group_id, second.group_id) == ("section", "section__1")
    assert {"section.work", "section__1.work", "returns.work"} <= set(dag.task_ids)
    assert out.operator.task_id == "returns.work"
