"""The `airflow.providers` namespace of the Airflow compatibility package."""
