# A first DAG in the Airflow 2 style: three Bash tasks, templated with the run's date.
from datetime import datetime, timedelta
from textwrap import dedent

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG(
    "tutorial",
    description="A first DAG: print the date, sleep, render a template",
    schedule=timedelta(days=1),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(seconds=10)},
    tags=["example"],
) as dag:
    print_date = BashOperator(task_id="print_date", bash_command="date")
    sleep = BashOperator(task_id="sleep", bash_command="sleep 2", retries=3)
    templated = BashOperator(
        task_id="templated",
        bash_command=dedent(
            """
            {% for i in range(3) %}
                echo "ds={{ ds }} plus a week={{ macros.ds_add(ds, 7) }}"
            {% endfor %}
            """
        ),
    )
    print_date >> [sleep, templated]
