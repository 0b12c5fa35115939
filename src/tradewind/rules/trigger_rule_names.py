"""The trigger-rule names a task may declare, with the 1.10/2.x aliases mapped to today's names."""

from __future__ import annotations

from enum import Enum


class TriggerRule(str, Enum):
    """Airflow's trigger rules, spelled as in DAG files."""

    ALL_SUCCESS = "all_success"
    ALL_FAILED = "all_failed"
    ALL_DONE = "all_done"
    ALL_DONE_MIN_ONE_SUCCESS = "all_done_min_one_success"
    ALL_DONE_SETUP_SUCCESS = "all_done_setup_success"
    ONE_SUCCESS = "one_success"
    ONE_FAILED = "one_failed"
    ONE_DONE = "one_done"
    NONE_FAILED = "none_failed"
    NONE_FAILED_MIN_ONE_SUCCESS = "none_failed_min_one_success"
    NONE_SKIPPED = "none_skipped"
    ALL_SKIPPED = "all_skipped"
    ALWAYS = "always"
    # Deprecated spellings kept so that 1.10 and 2.x files import; normalize() maps them.
    DUMMY = "dummy"
    NONE_FAILED_OR_SKIPPED = "none_failed_or_skipped"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def is_valid(cls, rule: str) -> bool:
        return rule in _ALL_NAMES

    @classmethod
    def all_triggers(cls) -> set[str]:
        return set(_ALL_NAMES)


_ALIASES = {"dummy": "always", "none_failed_or_skipped": "none_failed_min_one_success"}
_ALL_NAMES = frozenset(r.value for r in TriggerRule)


def normalize_trigger_rule(rule: str) -> str:
    """The canonical name of `rule`, or ValueError naming it when it is not a trigger rule."""
    value = rule.value if isinstance(rule, TriggerRule) else rule
    if value not in _ALL_NAMES:
        raise ValueError(f"unknown trigger rule {value!r}; valid rules: {', '.join(sorted(_ALL_NAMES - set(_ALIASES)))}")
    return _ALIASES.get(value, value)
