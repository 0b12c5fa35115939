"""XCom push rules and xcom_pull semantics of the running task instance."""

from __future__ import annotations

XCOM_DAG = """
def none(): return None
def value(): return {"a": 1, "b": [1, 2]}
def pushes(ti):
    ti.xcom_push(key="extra", value="x")
    return "r"
def pull_one(ti): return ti.xcom_pull(task_ids="value")
def pull_list(ti): return ti.xcom_pull(task_ids=["pushes", "value", "nothing"], default="d")
def pull_none(ti): return ti.xcom_pull(key="extra")
def pull_own(ti):
    ti.xcom_push(key="mine", value=5)
    return ti.xcom_pull(key="mine")
def too_many(): return list(range(6))
def scalar(): return 3
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="none", python_callable=none)
    PythonOperator(task_id="value", python_callable=value)
    PythonOperator(task_id="multi", python_callable=value, multiple_outputs=True)
    PythonOperator(task_id="nopush", python_callable=value, do_xcom_push=False)
    PythonOperator(task_id="pushes", python_callable=pushes)
    PythonOperator(task_id="nothing", python_callable=none)
    PythonOperator(task_id="pull_one", python_callable=pull_one)
    PythonOperator(task_id="pull_list", python_callable=pull_list)
    PythonOperator(task_id="pull_none", python_callable=pull_none)
    PythonOperator(task_id="pull_own", python_callable=pull_own)
"""


def test_none_is_not_pushed(env):
    dag = env.load_dag(XCOM_DAG)
    env.create_run(dag)
    env.run(dag, "none")
    assert env.xcom("t", "none") == "<none>"


def test_return_value_and_multiple_outputs(env):
    dag = env.load_dag(XCOM_DAG)
    env.create_run(dag)
    env.run(dag, "value")
    env.run(dag, "multi")
    assert env.xcom("t", "value") == {"a": 1, "b": [1, 2]}
    assert env.xcom("t", "multi") == {"a": 1, "b": [1, 2]}
    assert env.xcom("t", "multi", "a") == 1 and env.xcom("t", "multi", "b") == [1, 2]
    assert env.xcom("t", "value", "a") == "<none>"


def test_do_xcom_push_false_pushes_nothing(env):
    dag = env.load_dag(XCOM_DAG)
    env.create_run(dag)
    env.run(dag, "nopush")
    assert env.xcom("t", "nopush") == "<none>"


def test_pull_single_list_and_any_task(env):
    dag = env.load_dag(XCOM_DAG)
    env.create_run(dag)
    for task_id in ("value", "pushes", "nothing", "pull_one", "pull_list", "pull_none", "pull_own"):
        assert env.run(dag, task_id).state == "success", task_id
    assert env.xcom("t", "pull_one") == {"a": 1, "b": [1, 2]}
    assert env.xcom("t", "pull_list") == ["r", {"a": 1, "b": [1, 2]}, "d"]
    assert env.xcom("t", "pull_none") == "x"
    assert env.xcom("t", "pull_own") == 5


MAPPED_DAG = """
def make(): return [1, 2, 3]
def double(x): return x * 2
def total(ti): return sum(ti.xcom_pull(task_ids="double"))
def listing(ti): return ti.xcom_pull(task_ids="double")
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    m = PythonOperator(task_id="make", python_callable=make)
    d = PythonOperator.partial(task_id="double", python_callable=double).expand(op_args=m.output.map(lambda v: [v]))
    t = PythonOperator(task_id="total", python_callable=total)
    l = PythonOperator(task_id="listing", python_callable=listing)
    d >> [t, l]
"""


def test_mapped_upstream_is_pulled_as_a_list_in_map_index_order(env):
    dag = env.load_dag(MAPPED_DAG)
    env.create_run(dag, map_lengths={"double": 3})
    assert env.run(dag, "make").state == "success"
    for i in (2, 0, 1):
        outcome = env.run(dag, "double", map_index=i)
        assert outcome.state == "success", outcome.error
    assert env.xcom("t", "double", map_index=2) == 6
    env.run(dag, "total")
    env.run(dag, "listing")
    assert env.xcom("t", "total") == 12
    assert env.xcom("t", "listing") == [2, 4, 6]


FEEDS_MAPPED_DAG = """
def too_many(): return list(range(6))
def scalar(): return 3
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    a = PythonOperator(task_id="too_many", python_callable=too_many)
    b = PythonOperator(task_id="scalar", python_callable=scalar)
    PythonOperator.partial(task_id="ma", python_callable=print).expand(op_args=a.output)
    PythonOperator.partial(task_id="mb", python_callable=print).expand(op_args=b.output)
"""


def test_a_task_feeding_a_mapped_task_must_return_a_short_list(env, monkeypatch):
    monkeypatch.setenv("AIRFLOW__CORE__MAX_MAP_LENGTH", "5")
    from tradewind.config.settings import load_settings
    import os
    env.settings = load_settings(os.environ | {"AIRFLOW_HOME": str(env.home)})
    dag = env.load_dag(FEEDS_MAPPED_DAG)
    env.create_run(dag)
    long = env.run(dag, "too_many")
    assert long.state == "failed" and "6 items" in long.error and "max_map_length = 5" in long.error
    scalar = env.run(dag, "scalar")
    assert scalar.state == "failed" and "list or a dict" in scalar.error
