"""Airflow's `airflow.timetables.interval` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.schedule.timetables import CronDataIntervalTimetable, DeltaDataIntervalTimetable

__all__ = ["CronDataIntervalTimetable", "DeltaDataIntervalTimetable"]
