"""Airflow's `airflow.datasets` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.assets import Dataset, DatasetAlias, DatasetAll, DatasetAny

__all__ = ["Dataset", "DatasetAlias", "DatasetAll", "DatasetAny"]
