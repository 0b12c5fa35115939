"""Airflow's `airflow.timetables.events` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.schedule.timetables import EventsTimetable

__all__ = ["EventsTimetable"]
