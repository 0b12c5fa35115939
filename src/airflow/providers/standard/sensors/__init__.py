"""The `airflow.providers.standard.sensors` namespace of the Airflow compatibility package."""
