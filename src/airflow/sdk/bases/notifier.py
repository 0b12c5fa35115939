"""Airflow's `airflow.sdk.bases.notifier` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.notifier import BaseNotifier

__all__ = ["BaseNotifier"]
