"""Airflow's `airflow.timetables.trigger` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.schedule.timetables import CronTriggerTimetable, DeltaTriggerTimetable

__all__ = ["CronTriggerTimetable", "DeltaTriggerTimetable"]
