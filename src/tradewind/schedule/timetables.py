"""Every timetable Tradewind knows, and `deserialize_timetable` to rebuild one from its JSON form."""

from __future__ import annotations

from typing import Any, Mapping

from tradewind.schedule.base import DagRunInfo, DataInterval, TimeRestriction, Timetable, next_dagrun_info_at
from tradewind.schedule.events import EventsTimetable
from tradewind.schedule.interval import CronDataIntervalTimetable, DeltaDataIntervalTimetable
from tradewind.schedule.simple import ContinuousTimetable, NullTimetable, OnceTimetable
from tradewind.schedule.trigger import CronTriggerTimetable, DeltaTriggerTimetable

__all__ = [
    "ContinuousTimetable",
    "CronDataIntervalTimetable",
    "CronTriggerTimetable",
    "DagRunInfo",
    "DataInterval",
    "DeltaDataIntervalTimetable",
    "DeltaTriggerTimetable",
    "EventsTimetable",
    "NullTimetable",
    "OnceTimetable",
    "TimeRestriction",
    "Timetable",
    "deserialize_timetable",
    "next_dagrun_info_at",
]

BUILTIN_TIMETABLES: dict[str, type[Timetable]] = {
    cls.type_name: cls
    for cls in (
        NullTimetable,
        OnceTimetable,
        ContinuousTimetable,
        CronDataIntervalTimetable,
        DeltaDataIntervalTimetable,
        CronTriggerTimetable,
        DeltaTriggerTimetable,
        EventsTimetable,
    )
}
"""Serialized "type" -> class, for the timetables Tradewind ships."""


def deserialize_timetable(data: dict[str, Any], *, extra_types: Mapping[str, type[Timetable]] | None = None) -> Timetable:
    """Rebuild a timetable from `Timetable.serialize()` output.

    Custom timetables serialize under their dotted class path; the caller resolves those
    classes (this layer imports no user code) and passes them in `extra_types`.
    """
    type_name = data.get("type")
    cls = BUILTIN_TIMETABLES.get(type_name) or (extra_types or {}).get(type_name)  # type: ignore[arg-type]
    if cls is None:
        raise ValueError(
            f"unknown timetable type {type_name!r}: expected one of {', '.join(sorted(BUILTIN_TIMETABLES))} "
            "or a custom timetable class registered by its dotted path"
        )
    return cls.deserialize(data)
