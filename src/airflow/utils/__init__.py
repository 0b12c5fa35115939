"""The `airflow.utils` namespace of the Airflow compatibility package."""
