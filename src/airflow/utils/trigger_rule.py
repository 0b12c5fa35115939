"""Airflow's `airflow.utils.trigger_rule` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.rules.trigger_rule_names import TriggerRule

__all__ = ["TriggerRule"]
