"""The `airflow.providers.common` namespace of the Airflow compatibility package."""
