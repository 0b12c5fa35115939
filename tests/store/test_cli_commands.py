"""The db, variables, connections and pools commands, end to end in real processes on a temp AIRFLOW_HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet


@pytest.fixture
def home(airflow_home, db_url: str):  # noqa: ANN001, ANN201  (AirflowHome from the suite's conftest)
    """An AIRFLOW_HOME whose metadata DB is the backend under test (not initialised yet)."""
    airflow_home.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = db_url
    return airflow_home


def test_db_init_then_check(home) -> None:  # noqa: ANN001
    if home.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("sqlite"):
        del home.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]  # the default: $AIRFLOW_HOME/airflow.db
    before = home.cli("db", "check", check=False)
    assert before.returncode == 1 and "airflow db init" in before.stderr
    out = home.cli("db", "init").stdout
    assert "Initialization done" in out and "DB: " in out
    assert (home.path / "airflow.cfg").exists() and (home.path / "dags").is_dir() and (home.path / "logs").is_dir()
    assert "Connection successful" in home.cli("db", "check").stdout
    home.cli("db", "init")  # idempotent
    assert "Database migrating done!" in home.cli("db", "migrate").stdout
    pools = home.cli_json("pools", "list")
    assert pools == [{"pool": "default_pool", "slots": 128, "description": "Default pool", "include_deferred": False}]


def test_db_reset_asks_unless_yes(home) -> None:  # noqa: ANN001
    home.cli("db", "init")
    home.cli("variables", "set", "k", "v")
    assert "Database reset done" in home.cli("db", "reset", "-y").stdout
    assert home.cli("variables", "get", "k", check=False).returncode == 1
    assert home.cli_json("connections", "get", "fs_default")[0]["extra_dejson"] == {"path": "/"}


def test_variables_set_get_export_import(home, tmp_path: Path) -> None:  # noqa: ANN001
    home.cli("db", "init")
    assert home.cli("variables", "set", "plain", "hello").stdout.strip() == "Variable plain created"
    home.cli("variables", "set", "conf", '{"a": [1, 2]}', "-j")
    assert home.cli("variables", "get", "plain").stdout.strip() == "hello"
    assert json.loads(home.cli("variables", "get", "conf", "-j").stdout) == {"a": [1, 2]}
    missing = home.cli("variables", "get", "nope", check=False)
    assert missing.returncode == 1 and "nope" in missing.stderr
    assert home.cli("variables", "get", "nope", "-d", "fallback").stdout.strip() == "fallback"
    exported = tmp_path / "vars.json"
    home.cli("variables", "export", str(exported))
    assert json.loads(exported.read_text()) == {"conf": {"a": [1, 2]}, "plain": "hello"}
    (tmp_path / "in.json").write_text(json.dumps({"plain": "changed", "n": 3, "obj": {"x": 1}}))
    assert "3 of 3 variables successfully updated." in home.cli("variables", "import", str(tmp_path / "in.json")).stdout
    assert home.cli("variables", "get", "plain").stdout.strip() == "changed"
    assert json.loads(home.cli("variables", "get", "obj").stdout) == {"x": 1}
    assert [r["key"] for r in home.cli_json("variables", "list")] == ["conf", "n", "obj", "plain"]
    home.cli("variables", "delete", "n")
    assert home.cli("variables", "delete", "n", check=False).returncode == 1


def test_connections_add_get_list_delete_with_a_fernet_key(home) -> None:  # noqa: ANN001
    home.env["AIRFLOW__CORE__FERNET_KEY"] = Fernet.generate_key().decode()
    home.cli("db", "init")
    out = home.cli("connections", "add", "my_pg", "--conn-uri", "postgres://u:p%40ss@db:5432/app?sslmode=require").stdout
    assert "Successfully added `conn_id`=my_pg" in out
    home.cli("connections", "add", "by_fields", "--conn-type", "http", "--conn-host", "example.com",
             "--conn-port", "8080", "--conn-password", "pw", "--conn-extra", '{"token": "t"}')
    again = home.cli("connections", "add", "my_pg", "--conn-uri", "postgres://x", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    both = home.cli("connections", "add", "bad", "--conn-uri", "http://x", "--conn-type", "http", check=False)
    assert both.returncode == 1
    got = home.cli_json("connections", "get", "my_pg")[0]
    assert (got["conn_type"], got["host"], got["login"], got["password"], got["port"], got["schema"]) == (
        "postgres", "db", "u", "p@ss", 5432, "app")
    assert got["extra_dejson"] == {"sslmode": "require"} and got["is_encrypted"] is True
    listed = {c["conn_id"]: c for c in home.cli_json("connections", "list")}
    assert listed["by_fields"]["password"] == "***" and listed["by_fields"]["extra_dejson"] == {"token": "***"}
    assert listed["by_fields"]["port"] == 8080
    assert "fs_default" in listed
    home.cli("connections", "delete", "my_pg")
    assert home.cli("connections", "get", "my_pg", check=False).returncode == 1


def test_pools_set_list_delete(home) -> None:  # noqa: ANN001
    home.cli("db", "init")
    created = home.cli_json("pools", "set", "etl", "4", "ETL jobs")
    assert created == [{"pool": "etl", "slots": 4, "description": "ETL jobs", "include_deferred": False}]
    home.cli("pools", "set", "etl", "6", "more ETL", "--include-deferred")
    pools = {p["pool"]: p for p in home.cli_json("pools", "list")}
    assert pools["etl"] == {"pool": "etl", "slots": 6, "description": "more ETL", "include_deferred": True}
    refused = home.cli("pools", "delete", "default_pool", check=False)
    assert refused.returncode == 1 and "default_pool cannot be deleted" in refused.stderr
    home.cli("pools", "delete", "etl")
    assert [p["pool"] for p in home.cli_json("pools", "list")] == ["default_pool"]


def test_db_init_and_migrate_bring_an_older_database_up_to_date(home) -> None:  # noqa: ANN001
    from tradewind.store import migrate
    from tradewind.store.database import Database

    url = home.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    database = Database(url)
    migrate.upgrade(database, "0001")
    assert "airflow db migrate" in home.cli("db", "check", check=False).stderr
    home.cli("db", "init")
    assert migrate.check(database) == migrate.head_revision()
    with database.write() as conn:
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('0001')")
        conn.exec_driver_sql("DROP TABLE callback_request")
    assert "from revision 0001 to 0002" in home.cli("db", "migrate").stdout
    assert migrate.check(database) == migrate.head_revision()
    database.dispose()
