"""Airflow's `airflow.models.param` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.params import Param, ParamsDict

__all__ = ["Param", "ParamsDict"]
