"""The one table of Airflow import paths: (module, name, Tradewind home).

A home is "package.module:attribute", or "package.module" when the name is a module itself.
`src/airflow/` holds one file per module below; tests/compat/test_import_paths.py imports every
row in a fresh interpreter and checks the name is the very object at its home.
"""

from __future__ import annotations

SDK = "tradewind.sdk"
OPS = "tradewind.sdk.operators"
SENS = "tradewind.sdk.sensors"
TT = "tradewind.schedule.timetables"


def _rows(module: str, home_module: str, *names: str) -> list[tuple[str, str, str]]:
    return [(module, name, f"{home_module}:{name}") for name in names]


_PYTHON_OPS = ("PythonOperator", "BranchPythonOperator", "ShortCircuitOperator", "PythonVirtualenvOperator",
               "ExternalPythonOperator", "BranchExternalPythonOperator", "BranchPythonVirtualenvOperator",
               "get_current_context", "is_venv_installed")
_EXCEPTIONS = ("AirflowException", "AirflowSkipException", "AirflowFailException", "AirflowSensorTimeout",
               "AirflowTaskTimeout", "AirflowRescheduleException", "AirflowNotFoundException", "TaskDeferred",
               "DownstreamTasksSkipped", "DuplicateTaskIdFound", "AirflowDagCycleException", "ParamValidationError")
_TIMEZONE = ("utc", "utcnow", "datetime", "make_aware", "make_naive", "parse", "convert_to_utc", "is_localized",
             "is_naive", "coerce_datetime")
_SENSOR_MODULES = {
    "bash": ("bash", ("BashSensor",)),
    "python": ("python", ("PythonSensor",)),
    "filesystem": ("filesystem", ("FileSensor",)),
    "time_delta": ("time_delta", ("TimeDeltaSensor", "TimeDeltaSensorAsync", "WaitSensor")),
    "date_time": ("date_time", ("DateTimeSensor", "DateTimeSensorAsync")),
    "weekday": ("weekday", ("DayOfWeekSensor",)),
    "external_task": ("external_task", ("ExternalTaskSensor", "ExternalTaskMarker")),
}
_OPERATOR_MODULES = {
    "bash": ("bash", ("BashOperator",)),
    "python": ("python", _PYTHON_OPS),
    "empty": ("empty", ("EmptyOperator",)),
    "branch": ("branch", ("BaseBranchOperator", "BranchMixIn")),
    "latest_only": ("latest_only", ("LatestOnlyOperator",)),
    "trigger_dagrun": ("trigger_dagrun", ("TriggerDagRunOperator",)),
    "datetime": ("datetime", ("BranchDateTimeOperator",)),
    "weekday": ("weekday", ("BranchDayOfWeekOperator",)),
}

PATHS: list[tuple[str, str, str]] = [
    ("airflow", "DAG", f"{SDK}.dag:DAG"),
    ("airflow", "XComArg", f"{SDK}.xcom_arg:XComArg"),
    ("airflow", "Asset", f"{SDK}.assets:Asset"),
    ("airflow", "Dataset", f"{SDK}.assets:Asset"),
    ("airflow", "__version__", "tradewind.version:__version__"),
    # -- Airflow 3: airflow.sdk ----------------------------------------------------------------
    *_rows("airflow.sdk", f"{SDK}.dag", "DAG"),
    *_rows("airflow.sdk", f"{SDK}.decorators", "dag", "task", "task_group", "setup", "teardown"),
    *_rows("airflow.sdk", f"{SDK}.taskgroup", "TaskGroup"),
    *_rows("airflow.sdk", f"{SDK}.baseoperator", "BaseOperator"),
    *_rows("airflow.sdk", f"{SENS}.base", "BaseSensorOperator", "PokeReturnValue"),
    *_rows("airflow.sdk", f"{SDK}.params", "Param", "ParamsDict"),
    *_rows("airflow.sdk", "tradewind.rules.trigger_rule_names", "TriggerRule"),
    *_rows("airflow.sdk", f"{SDK}.edges", "Label", "EdgeModifier"),
    *_rows("airflow.sdk", f"{SDK}.xcom_arg", "XComArg"),
    *_rows("airflow.sdk", f"{SDK}.chaining", "chain", "chain_linear", "cross_downstream"),
    *_rows("airflow.sdk", f"{SDK}.context", "get_current_context", "Context", "get_parsing_context"),
    *_rows("airflow.sdk", f"{SDK}.assets", "Asset", "AssetAlias", "AssetAll", "AssetAny", "Metadata"),
    *_rows("airflow.sdk", TT, "CronTriggerTimetable", "CronDataIntervalTimetable", "DeltaTriggerTimetable",
           "DeltaDataIntervalTimetable", "EventsTimetable"),
    *_rows("airflow.sdk", f"{SDK}.variables", "Variable"),
    *_rows("airflow.sdk", f"{SDK}.connections", "Connection", "BaseHook"),
    *_rows("airflow.sdk", f"{SDK}.notifier", "BaseNotifier"),
    *_rows("airflow.sdk", f"{OPS}.branch", "BaseBranchOperator", "BranchMixIn", "SkipMixin"),
    *_rows("airflow.sdk", "tradewind.rules.states", "TaskInstanceState", "DagRunState"),
    *_rows("airflow.sdk", f"{SDK}.weight_rule", "WeightRule"),
    *_rows("airflow.sdk", f"{SDK}.template_rendering", "literal"),
    *_rows("airflow.sdk", f"{SDK}.configuration", "conf"),
    ("airflow.sdk", "timezone", f"{SDK}.timezone"),
    ("airflow.sdk", "macros", f"{SDK}.macros"),
    *_rows("airflow.sdk.exceptions", f"{SDK}.exceptions", *_EXCEPTIONS),
    *_rows("airflow.sdk.bases.notifier", f"{SDK}.notifier", "BaseNotifier"),
    *_rows("airflow.sdk.timezone", f"{SDK}.timezone", *_TIMEZONE),
    # -- Airflow 2: decorators, models, exceptions, utils ----------------------------------------
    *_rows("airflow.decorators", f"{SDK}.decorators", "dag", "task", "task_group", "setup", "teardown"),
    *_rows("airflow.models", f"{SDK}.dag", "DAG"),
    *_rows("airflow.models", f"{SDK}.baseoperator", "BaseOperator"),
    *_rows("airflow.models", f"{SDK}.variables", "Variable"),
    *_rows("airflow.models", f"{SDK}.connections", "Connection"),
    *_rows("airflow.models", f"{SDK}.params", "Param"),
    *_rows("airflow.models", f"{OPS}.branch", "SkipMixin"),
    *_rows("airflow.models", f"{SDK}.mapping", "MappedOperator"),
    *_rows("airflow.models.dag", f"{SDK}.dag", "DAG"),
    *_rows("airflow.models.baseoperator", f"{SDK}.baseoperator", "BaseOperator"),
    *_rows("airflow.models.baseoperator", f"{SDK}.chaining", "chain", "chain_linear", "cross_downstream"),
    *_rows("airflow.models.param", f"{SDK}.params", "Param", "ParamsDict"),
    *_rows("airflow.models.xcom_arg", f"{SDK}.xcom_arg", "XComArg"),
    *_rows("airflow.models.variable", f"{SDK}.variables", "Variable"),
    *_rows("airflow.models.connection", f"{SDK}.connections", "Connection"),
    *_rows("airflow.models.mappedoperator", f"{SDK}.mapping", "MappedOperator"),
    *_rows("airflow.models.skipmixin", f"{OPS}.branch", "SkipMixin"),
    *_rows("airflow.models.taskmixin", f"{SDK}.dependencies", "DependencyMixin"),
    ("airflow.models", "TaskInstance", "tradewind.runner.runtime_ti:RuntimeTaskInstance"),
    ("airflow.models", "DagRun", "tradewind.runner.runtime_dag_run:RuntimeDagRun"),
    ("airflow.models.taskinstance", "TaskInstance", "tradewind.runner.runtime_ti:RuntimeTaskInstance"),
    ("airflow.models.dagrun", "DagRun", "tradewind.runner.runtime_dag_run:RuntimeDagRun"),
    *_rows("airflow.exceptions", f"{SDK}.exceptions", *_EXCEPTIONS),
    *_rows("airflow.utils.trigger_rule", "tradewind.rules.trigger_rule_names", "TriggerRule"),
    *_rows("airflow.utils.task_group", f"{SDK}.taskgroup", "TaskGroup"),
    *_rows("airflow.utils.edgemodifier", f"{SDK}.edges", "Label", "EdgeModifier"),
    *_rows("airflow.utils.context", f"{SDK}.context", "Context", "get_current_context"),
    *_rows("airflow.utils.weekday", f"{SDK}.weekday", "WeekDay"),
    *_rows("airflow.utils.dates", f"{SDK}.dates", "days_ago", "cron_presets", "date_range"),
    *_rows("airflow.utils.timezone", f"{SDK}.timezone", *_TIMEZONE),
    *_rows("airflow.utils.state", "tradewind.rules.states", "State", "TaskInstanceState", "DagRunState"),
    *_rows("airflow.utils.helpers", f"{SDK}.chaining", "chain", "cross_downstream"),
    *_rows("airflow.utils.decorators", f"{SDK}.operator_args", "apply_defaults"),
    *_rows("airflow.configuration", f"{SDK}.configuration", "conf"),
    *_rows("airflow.hooks.base", f"{SDK}.connections", "BaseHook"),
    *_rows("airflow.hooks.base_hook", f"{SDK}.connections", "BaseHook"),
    *_rows("airflow.macros", f"{SDK}.macros", "ds_add", "ds_format", "ds_format_locale",
           "datetime_diff_for_humans", "datetime", "timedelta", "time", "uuid", "random", "json"),
    *_rows("airflow.datasets", f"{SDK}.assets", "Dataset", "DatasetAlias", "DatasetAll", "DatasetAny"),
    *_rows("airflow.datasets.metadata", f"{SDK}.assets", "Metadata"),
    # -- timetables ------------------------------------------------------------------------------
    *_rows("airflow.timetables.base", TT, "Timetable", "DataInterval", "DagRunInfo", "TimeRestriction"),
    *_rows("airflow.timetables.trigger", TT, "CronTriggerTimetable", "DeltaTriggerTimetable"),
    *_rows("airflow.timetables.interval", TT, "CronDataIntervalTimetable", "DeltaDataIntervalTimetable"),
    *_rows("airflow.timetables.simple", TT, "NullTimetable", "OnceTimetable", "ContinuousTimetable"),
    *_rows("airflow.timetables.events", TT, "EventsTimetable"),
    # -- operators and sensors: 1.10, 2.x and providers.standard (3.x) ---------------------------
    *[row for mod, (home, names) in _OPERATOR_MODULES.items()
      for row in _rows(f"airflow.operators.{mod}", f"{OPS}.{home}", *names)],
    *[row for mod, (home, names) in _OPERATOR_MODULES.items()
      for row in _rows(f"airflow.providers.standard.operators.{mod}", f"{OPS}.{home}", *names)],
    *_rows("airflow.operators.empty", f"{OPS}.empty", "EmptyOperator"),
    *_rows("airflow.operators.dummy", f"{OPS}.empty", "DummyOperator", "EmptyOperator"),
    *_rows("airflow.operators.dummy_operator", f"{OPS}.empty", "DummyOperator"),
    *_rows("airflow.operators.bash_operator", f"{OPS}.bash", "BashOperator"),
    *_rows("airflow.operators.python_operator", f"{OPS}.python", "PythonOperator", "BranchPythonOperator",
           "ShortCircuitOperator", "PythonVirtualenvOperator"),
    *_rows("airflow.operators.dagrun_operator", f"{OPS}.trigger_dagrun", "TriggerDagRunOperator"),
    *_rows("airflow.sensors.base", f"{SENS}.base", "BaseSensorOperator", "PokeReturnValue", "poke_mode_only"),
    *_rows("airflow.sensors.base_sensor_operator", f"{SENS}.base", "BaseSensorOperator"),
    *[row for mod, (home, names) in _SENSOR_MODULES.items()
      for row in _rows(f"airflow.sensors.{mod}", f"{SENS}.{home}", *names)],
    *_rows("airflow.sensors.time_sensor", f"{SENS}.time", "TimeSensor", "TimeSensorAsync"),
    *[row for mod, (home, names) in _SENSOR_MODULES.items()
      for row in _rows(f"airflow.providers.standard.sensors.{mod}", f"{SENS}.{home}", *names)],
    *_rows("airflow.providers.standard.sensors.time", f"{SENS}.time", "TimeSensor", "TimeSensorAsync"),
    *_rows("airflow.providers.standard.utils.weekday", f"{SDK}.weekday", "WeekDay"),
    *_rows("airflow.providers.common.compat.sdk", "tradewind.rules.trigger_rule_names", "TriggerRule"),
    *_rows("airflow.providers.common.compat.sdk", f"{SDK}.context", "Context", "get_current_context"),
    *_rows("airflow.providers.common.compat.sdk", f"{SDK}.baseoperator", "BaseOperator"),
    *_rows("airflow.providers.common.compat.sdk", f"{SENS}.base", "BaseSensorOperator", "PokeReturnValue"),
    *_rows("airflow.providers.common.compat.sdk", f"{SDK}.exceptions", "AirflowSkipException",
           "AirflowException", "AirflowFailException"),
    ("airflow.providers.common.compat.sdk", "timezone", f"{SDK}.timezone"),
]

DEPRECATED: dict[str, str] = {
    # 1.10 paths that Airflow 2 deprecated
    "airflow.operators.bash_operator": "airflow.operators.bash",
    "airflow.operators.python_operator": "airflow.operators.python",
    "airflow.operators.dummy_operator": "airflow.operators.empty",
    "airflow.operators.dummy": "airflow.operators.empty",
    "airflow.operators.dagrun_operator": "airflow.operators.trigger_dagrun",
    "airflow.sensors.base_sensor_operator": "airflow.sensors.base",
    "airflow.hooks.base_hook": "airflow.hooks.base",
    "airflow.utils.helpers": "airflow.models.baseoperator",
    # 2.x paths that Airflow 3 deprecated
    "airflow.decorators": "airflow.sdk",
    "airflow.utils.dates": "pendulum or datetime (Airflow 3 removed days_ago)",
    **{f"airflow.operators.{m}": f"airflow.providers.standard.operators.{m}" for m in _OPERATOR_MODULES},
    **{f"airflow.sensors.{m}": f"airflow.providers.standard.sensors.{m}" for m in _SENSOR_MODULES},
    "airflow.sensors.time_sensor": "airflow.providers.standard.sensors.time",
    "airflow.sensors.base": "airflow.sdk",
}
"""Module -> the path Airflow told users to use instead; importing the module warns with it."""
