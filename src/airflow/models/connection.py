"""Airflow's `airflow.models.connection` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.connections import Connection

__all__ = ["Connection"]
