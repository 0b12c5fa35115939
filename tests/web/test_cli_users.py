"""`airflow users create|list|delete` as real processes on a fresh AIRFLOW_HOME."""

from __future__ import annotations


def test_users_create_list_delete(airflow_home):
    airflow_home.cli("db", "init")
    out = airflow_home.cli("users", "create", "-u", "ada", "-p", "pw", "-r", "Op", "-e", "ada@example.com",
                           "-f", "Ada", "-l", "Lovelace").stdout
    assert 'User "ada" created with role "Op"' in out
    listed = airflow_home.cli_json("users", "list")
    assert [(u["username"], u["roles"], u["email"]) for u in listed] == [("ada", "Op", "ada@example.com")]
    again = airflow_home.cli("users", "create", "-u", "ada", "-p", "pw", "-r", "Op", "-e", "a@b", "-f", "A", "-l", "L",
                             check=False)
    assert again.returncode == 1 and "exists already" in again.stderr
    bad_role = airflow_home.cli("users", "create", "-u", "bob", "-p", "pw", "-r", "Boss", "-e", "b@b", "-f", "B",
                                "-l", "B", check=False)
    assert bad_role.returncode == 1 and "Viewer, User, Op, Admin" in bad_role.stderr
    airflow_home.cli("users", "delete", "-u", "ada")
    assert airflow_home.cli_json("users", "list") == []
