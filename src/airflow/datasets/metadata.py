"""Airflow's `airflow.datasets.metadata` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.assets import Metadata

__all__ = ["Metadata"]
