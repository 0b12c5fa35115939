"""The `airflow.providers.common.compat` namespace of the Airflow compatibility package."""
