"""FileSensor: base path from the fs connection, globs, directories, and a missing connection."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from tradewind.clock import ManualClock
from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowNotFoundException
from tradewind.sdk.runtime import install_services
from tradewind.sdk.sensors.filesystem import FileSensor

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


class Connections:
    """The connection part of the runtime services contract, from a dict."""

    def __init__(self, connections):
        self.connections = connections

    def get_connection(self, conn_id):
        return self.connections.get(conn_id)


@pytest.fixture
def base_dir(tmp_path):
    previous = install_services(
        Connections(
            {
                "fs_default": {"conn_type": "fs", "extra": json.dumps({"path": str(tmp_path)})},
                "fs_dict": {"conn_type": "fs", "extra": {"path": str(tmp_path / "sub")}},
                "fs_empty": {"conn_type": "fs", "extra": None},
            }
        )
    )
    yield tmp_path
    install_services(previous)


def file_sensor(filepath, **kwargs) -> FileSensor:
    with DAG("file_sensor_dag", schedule=None, start_date=START):
        op = FileSensor(task_id="wait_file", filepath=filepath, poke_interval=1, timeout=5, **kwargs)
    op._clock = ManualClock(datetime(2026, 1, 2, tzinfo=timezone.utc))
    return op


def test_file_under_the_connection_base_path(base_dir, make_context):
    op = file_sensor("data.csv")
    context = make_context(op)
    assert op.poke(context) is False
    (base_dir / "data.csv").write_text("x")
    assert op.poke(context) is True


def test_glob_and_recursive(base_dir, make_context):
    (base_dir / "a" / "b").mkdir(parents=True)
    (base_dir / "a" / "b" / "part-1.json").write_text("{}")
    assert file_sensor("*.json").poke(make_context(file_sensor("*.json"))) is False
    op = file_sensor("**/*.json", recursive=True)
    assert op.poke(make_context(op)) is True


def test_directory_counts_once_it_holds_a_file(base_dir, make_context):
    (base_dir / "incoming").mkdir()
    op = file_sensor("incoming")
    context = make_context(op)
    assert op.poke(context) is False
    (base_dir / "incoming" / "deep").mkdir()
    (base_dir / "incoming" / "deep" / "f").write_text("x")
    assert op.poke(context) is True


def test_extra_as_dict_and_absolute_paths(base_dir, make_context):
    (base_dir / "sub").mkdir()
    (base_dir / "sub" / "x").write_text("x")
    op = file_sensor("x", fs_conn_id="fs_dict")
    assert op.poke(make_context(op)) is True
    op = file_sensor(str(base_dir / "sub" / "x"), fs_conn_id="fs_empty")
    assert op.poke(make_context(op)) is True


def test_missing_connection_names_it(base_dir, make_context):
    op = file_sensor("x", fs_conn_id="nope")
    with pytest.raises(AirflowNotFoundException, match="nope"):
        op.execute(make_context(op))


class ConnectionObject:
    """A connection offered as an object with extra_dejson, the other shape the contract allows."""

    def __init__(self, path):
        self.extra_dejson = {"path": path}


def test_connection_given_as_an_object(tmp_path, make_context):
    (tmp_path / "ready").write_text("x")
    previous = install_services(Connections({"fs_default": ConnectionObject(str(tmp_path))}))
    try:
        op = file_sensor("ready")
        assert op.poke(make_context(op)) is True
    finally:
        install_services(previous)
