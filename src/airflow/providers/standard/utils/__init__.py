"""The `airflow.providers.standard.utils` namespace of the Airflow compatibility package."""
