"""The `airflow.hooks` namespace of the Airflow compatibility package."""
