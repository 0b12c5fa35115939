# Dynamic task mapping: one task instance per file found, then a total over their results.
from datetime import datetime

from airflow.decorators import dag, task


@dag(schedule=None, start_date=datetime(2026, 1, 1), catchup=False, tags=["example"])
def mapping_example():
    @task
    def list_files():
        return [f"part-{i}.csv" for i in range(4)]

    @task
    def count_rows(name: str):
        return len(name) * 10

    @task
    def total(counts):
        print("rows:", sum(counts))

    total(count_rows.expand(name=list_files()))


mapping_example()
