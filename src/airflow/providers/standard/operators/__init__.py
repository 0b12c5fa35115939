"""The `airflow.providers.standard.operators` namespace of the Airflow compatibility package."""
