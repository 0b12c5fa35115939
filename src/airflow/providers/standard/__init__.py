"""The `airflow.providers.standard` namespace of the Airflow compatibility package."""
