# Branching: pick one path by the weekday of the run; the other path is skipped, the join still runs.
from datetime import datetime

from airflow.decorators import dag, task
from airflow.operators.empty import EmptyOperator


@dag(schedule="@daily", start_date=datetime(2026, 1, 1), catchup=False, tags=["example"])
def branching_example():
    @task.branch
    def choose(logical_date=None):
        return "weekend" if logical_date.weekday() >= 5 else "weekday"

    weekday = EmptyOperator(task_id="weekday")
    weekend = EmptyOperator(task_id="weekend")
    join = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")
    choose() >> [weekday, weekend] >> join


branching_example()
