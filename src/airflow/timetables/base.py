"""Airflow's `airflow.timetables.base` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.schedule.timetables import Timetable, DataInterval, DagRunInfo, TimeRestriction

__all__ = ["DagRunInfo", "DataInterval", "TimeRestriction", "Timetable"]
