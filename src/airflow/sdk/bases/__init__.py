"""The `airflow.sdk.bases` namespace of the Airflow compatibility package."""
