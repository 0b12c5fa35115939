"""The `airflow.sensors` namespace of the Airflow compatibility package."""
