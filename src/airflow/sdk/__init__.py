"""Airflow's `airflow.sdk` path: re-exports Tradewind's objects under their Airflow names."""

from tradewind.sdk import timezone
from tradewind.sdk import macros
from tradewind.sdk.dag import DAG
from tradewind.sdk.decorators import dag, task, task_group, setup, teardown
from tradewind.sdk.taskgroup import TaskGroup
from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.sensors.base import BaseSensorOperator, PokeReturnValue
from tradewind.sdk.params import Param, ParamsDict
from tradewind.rules.trigger_rule_names import TriggerRule
from tradewind.sdk.edges import Label, EdgeModifier
from tradewind.sdk.xcom_arg import XComArg
from tradewind.sdk.chaining import chain, chain_linear, cross_downstream
from tradewind.sdk.context import get_current_context, Context, get_parsing_context
from tradewind.sdk.assets import Asset, AssetAlias, AssetAll, AssetAny, Metadata
from tradewind.schedule.timetables import (
    CronTriggerTimetable,
    CronDataIntervalTimetable,
    DeltaTriggerTimetable,
    DeltaDataIntervalTimetable,
    EventsTimetable,
)
from tradewind.sdk.variables import Variable
from tradewind.sdk.connections import Connection, BaseHook
from tradewind.sdk.notifier import BaseNotifier
from tradewind.sdk.operators.branch import BaseBranchOperator, BranchMixIn, SkipMixin
from tradewind.rules.states import TaskInstanceState, DagRunState
from tradewind.sdk.weight_rule import WeightRule
from tradewind.sdk.template_rendering import literal
from tradewind.sdk.configuration import conf

__all__ = [
    "Asset",
    "AssetAlias",
    "AssetAll",
    "AssetAny",
    "BaseBranchOperator",
    "BaseHook",
    "BaseNotifier",
    "BaseOperator",
    "BaseSensorOperator",
    "BranchMixIn",
    "Connection",
    "Context",
    "CronDataIntervalTimetable",
    "CronTriggerTimetable",
    "DAG",
    "DagRunState",
    "DeltaDataIntervalTimetable",
    "DeltaTriggerTimetable",
    "EdgeModifier",
    "EventsTimetable",
    "Label",
    "Metadata",
    "Param",
    "ParamsDict",
    "PokeReturnValue",
    "SkipMixin",
    "TaskGroup",
    "TaskInstanceState",
    "TriggerRule",
    "Variable",
    "WeightRule",
    "XComArg",
    "chain",
    "chain_linear",
    "conf",
    "cross_downstream",
    "dag",
    "get_current_context",
    "get_parsing_context",
    "literal",
    "macros",
    "setup",
    "task",
    "task_group",
    "teardown",
    "timezone",
]
