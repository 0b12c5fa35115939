"""Airflow's `airflow.providers.common.compat.sdk` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk import timezone
from tradewind.rules.trigger_rule_names import TriggerRule
from tradewind.sdk.context import Context, get_current_context
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.sensors.base import BaseSensorOperator, PokeReturnValue
from tradewind.sdk.exceptions import AirflowSkipException, AirflowException, AirflowFailException

__all__ = [
    "AirflowException",
    "AirflowFailException",
    "AirflowSkipException",
    "BaseOperator",
    "BaseSensorOperator",
    "Context",
    "PokeReturnValue",
    "TriggerRule",
    "get_current_context",
    "timezone",
]
