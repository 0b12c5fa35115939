"""chain, chain_linear, cross_downstream and edge labels."""

from __future__ import annotations

from datetime import datetime

import pytest

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.chaining import chain, chain_linear, cross_downstream
from tradewind.sdk.dag import DAG
from tradewind.sdk.edges import Label


class Noop(BaseOperator):
    """Does nothing."""


def _edges(dag: DAG) -> set[tuple[str, str]]:
    return {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}


def test_chain_links_lists_pairwise() -> None:
    with DAG("chain", start_date=datetime(2026, 1, 1)) as dag:
        a, b, c, d, e, f, g = (Noop(task_id=x) for x in "abcdefg")
        chain(a, b, [c, d], [e, f], g)
    assert _edges(dag) == {("a", "b"), ("b", "c"), ("b", "d"), ("c", "e"), ("d", "f"), ("e", "g"), ("f", "g")}


def test_chain_refuses_lists_of_different_lengths() -> None:
    with DAG("chain_bad", start_date=datetime(2026, 1, 1)):
        a, b, c = (Noop(task_id=x) for x in "abc")
        with pytest.raises(ValueError, match="different lengths"):
            chain([a, b], [c])


def test_chain_linear_and_cross_downstream_link_every_pair() -> None:
    with DAG("linear", start_date=datetime(2026, 1, 1)) as dag:
        a, b, c, d, e = (Noop(task_id=x) for x in "abcde")
        chain_linear([a, b], [c, d], e)
    assert _edges(dag) == {("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "e"), ("d", "e")}
    with DAG("cross", start_date=datetime(2026, 1, 1)) as dag2:
        a, b, c, d = (Noop(task_id=x) for x in "abcd")
        cross_downstream([a, b], [c, d])
    assert _edges(dag2) == {("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")}


def test_shift_operators_with_lists_and_labels() -> None:
    with DAG("shift", start_date=datetime(2026, 1, 1)) as dag:
        a, b, c, d = (Noop(task_id=x) for x in "abcd")
        [a, b] >> c
        c >> Label("then") >> d
        d << a
    assert _edges(dag) == {("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")}
    assert dag.get_edge_info("c", "d") == {"label": "then"} and dag.get_edge_info("a", "d") == {}
    assert [t.task_id for t in d.get_flat_relatives(upstream=True)] == ["a", "b", "c"]
