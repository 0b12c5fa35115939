"""The `airflow.timetables` namespace of the Airflow compatibility package."""
