# Extract, transform, load with TaskFlow: return values travel between tasks as XComs.
import json
from datetime import datetime

from airflow.decorators import dag, task


@dag(schedule="@daily", start_date=datetime(2026, 1, 1), catchup=False, tags=["example"])
def taskflow_etl_example():
    @task
    def extract():
        return json.loads('{"1001": 301.27, "1002": 433.21, "1003": 502.22}')

    @task(multiple_outputs=True)
    def transform(orders: dict):
        return {"total_order_value": sum(orders.values()), "orders": len(orders)}

    @task
    def load(total_order_value: float, orders: int):
        print(f"{orders} orders, total value {total_order_value:.2f}")

    summary = transform(extract())
    load(summary["total_order_value"], summary["orders"])


taskflow_etl_example()
