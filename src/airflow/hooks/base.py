"""Airflow's `airflow.hooks.base` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk.connections import BaseHook

__all__ = ["BaseHook"]
