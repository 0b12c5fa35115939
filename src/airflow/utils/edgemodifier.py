"""Airflow's `airflow.utils.edgemodifier` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.edges import Label, EdgeModifier

__all__ = ["EdgeModifier", "Label"]
