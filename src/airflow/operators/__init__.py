"""The `airflow.operators` namespace of the Airflow compatibility package."""
