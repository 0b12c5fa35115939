"""Airflow's `airflow.timetables.simple` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.schedule.timetables import NullTimetable, OnceTimetable, ContinuousTimetable

__all__ = ["ContinuousTimetable", "NullTimetable", "OnceTimetable"]
