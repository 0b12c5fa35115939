"""Template rendering of the context keys for a known logical date, StrictUndefined, template files, params."""

from __future__ import annotations

import json
from datetime import datetime, timezone

TEMPLATES = {
    "ds": "{{ ds }}", "ds_nodash": "{{ ds_nodash }}", "ts": "{{ ts }}", "ts_nodash": "{{ ts_nodash }}",
    "logical_date": "{{ logical_date.isoformat() }}", "execution_date": "{{ execution_date | ds }}",
    "dis": "{{ data_interval_start | ts }}", "die": "{{ data_interval_end | ds_nodash }}",
    "prev_dis": "{{ prev_data_interval_start_success }}", "prev_die": "{{ prev_data_interval_end_success }}",
    "dag": "{{ dag.dag_id }}", "task": "{{ task.task_id }}", "ti": "{{ ti.try_number }}", "run_id": "{{ run_id }}",
    "params": "{{ params.n }}-{{ params.who }}", "var_value": "{{ var.value.plain }}", "var_json": "{{ var.json.cfg.k }}",
    "conn": "{{ conn.my_db.host }}", "ds_add": "{{ macros.ds_add(ds, 5) }}",
    "ds_format": "{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}", "key_str": "{{ task_instance_key_str }}",
    "yesterday": "{{ yesterday_ds }}", "tomorrow": "{{ tomorrow_ds_nodash }}", "conf": "{{ dag_run.conf['c'] }}",
    "try_number": "{{ try_number }}", "tz": "{{ ts_nodash_with_tz }}",
}

RENDER_DAG = f"""
def echo(**kwargs): return kwargs["t"]
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), params={{"n": 1, "who": "dag"}}) as dag:
    PythonOperator(task_id="render", python_callable=echo, op_kwargs={{"t": {TEMPLATES!r}}}, params={{"who": "task"}})
    PythonOperator(task_id="strict", python_callable=echo, op_kwargs={{"t": "{{{{ params.missing }}}}"}})
    BashOperator(task_id="script", bash_command="hello.sh")
    BashOperator(task_id="missing_file", bash_command="absent.sh")
"""


def seed_secrets(env):
    from tradewind.store import connections, variables
    with env.db.write() as conn:
        variables.set_variable(conn, "plain", "pv")
        variables.set_variable(conn, "cfg", json.dumps({"k": "jv"}))
        connections.set_connection(conn, {"conn_id": "my_db", "conn_type": "postgres", "host": "db.example"})


def test_every_context_key_renders_for_a_known_logical_date(env):
    seed_secrets(env)
    dag = env.load_dag(RENDER_DAG)
    env.create_run(dag, conf={"c": "from-conf", "n": 7},
                   interval=(datetime(2026, 1, 2, tzinfo=timezone.utc), datetime(2026, 1, 3, tzinfo=timezone.utc)))
    outcome = env.run(dag, "render")
    assert outcome.state == "success", outcome.error
    got = env.xcom("t", "render")
    expected = {
        "ds": "2026-01-02", "ds_nodash": "20260102", "ts": "2026-01-02T00:00:00+00:00", "ts_nodash": "20260102T000000",
        "logical_date": "2026-01-02T00:00:00+00:00", "execution_date": "2026-01-02",
        "dis": "2026-01-02T00:00:00+00:00", "die": "20260103", "prev_dis": "None", "prev_die": "None",
        "dag": "t", "task": "render", "ti": "1", "run_id": "scheduled__2026-01-02", "params": "7-task",
        "var_value": "pv", "var_json": "jv", "conn": "db.example", "ds_add": "2026-01-07",
        "ds_format": "02/01/2026", "key_str": "t__render__20260102", "yesterday": "2026-01-01",
        "tomorrow": "20260103", "conf": "from-conf", "try_number": "1", "tz": "20260102T000000+0000",
    }
    assert {k: got[k] for k in got} == {k: expected[k] for k in got}
    rendered = env.ti("t", "render")["rendered_fields"]
    assert rendered["op_kwargs"]["t"]["ds"] == "2026-01-02"


def test_an_undefined_name_fails_the_task(env):
    dag = env.load_dag(RENDER_DAG)
    env.create_run(dag)
    outcome = env.run(dag, "strict")
    assert outcome.state == "failed" and "missing" in outcome.error


def test_a_sh_template_file_is_rendered_from_the_dag_folder(env):
    (env.settings.dags_folder / "hello.sh").write_text("echo 'day {{ ds }}'\n")
    dag = env.load_dag(RENDER_DAG)
    env.create_run(dag)
    assert env.run(dag, "script").state == "success"
    assert env.xcom("t", "script") == "day 2026-01-02"
    assert env.run(dag, "missing_file").state == "failed"


def test_a_run_without_logical_date_has_no_ds(env):
    dag = env.load_dag(RENDER_DAG)
    env.create_run(dag, run_id="manual__x", run_type="manual", logical_date=None)
    dag.get_task("render").op_kwargs["t"] = {"key_str": "{{ task_instance_key_str }}"}
    assert env.run(dag, "render", run_id="manual__x").state == "success"
    assert env.xcom("t", "render", run_id="manual__x") == {"key_str": "t__render__manual__x"}
    dag.get_task("render").op_kwargs["t"] = {"ds": "{{ ds }}"}
    env.clock.advance(1)
    from tradewind.store import task_instances
    with env.db.write() as conn:
        task_instances.set_state_if(conn, ("t", "manual__x", "render", -1), expected_states=("success",), new_state=None)
    assert env.run(dag, "render", run_id="manual__x").state == "failed"


NATIVE_DAG = """
def kind(v): return type(v).__name__
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc), render_template_as_native_obj=True,
         user_defined_macros={"three": 3}, user_defined_filters={"twice": lambda v: v * 2}) as dag:
    PythonOperator(task_id="native", python_callable=kind, op_args=["{{ [three] | twice }}"])
"""


def test_native_rendering_and_user_macros_and_filters(env):
    dag = env.load_dag(NATIVE_DAG)
    env.create_run(dag)
    assert env.run(dag, "native").state == "success"
    assert env.xcom("t", "native") == "list"
