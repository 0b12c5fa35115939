"""The timetable protocol: data intervals, scheduling restrictions, run infos and the Timetable base class."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from tradewind.schedule.zones import to_utc


@dataclass(frozen=True)
class DataInterval:
    """The period of data a run covers, [start, end); both aware UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", to_utc(self.start, field="data interval start"))
        object.__setattr__(self, "end", to_utc(self.end, field="data interval end"))
        if self.end < self.start:
            raise ValueError(f"data interval ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")

    @classmethod
    def exact(cls, at: datetime) -> DataInterval:
        """An empty interval at one instant."""
        return cls(start=at, end=at)


@dataclass(frozen=True)
class TimeRestriction:
    """What limits the next scheduled run: the DAG's start and end dates and its catchup flag."""

    earliest: datetime | None
    latest: datetime | None
    catchup: bool

    def __post_init__(self) -> None:
        if self.earliest is not None:
            object.__setattr__(self, "earliest", to_utc(self.earliest, field="start_date"))
        if self.latest is not None:
            object.__setattr__(self, "latest", to_utc(self.latest, field="end_date"))


@dataclass(frozen=True)
class DagRunInfo:
    """When the next run is due (`run_after`), the data it covers and its logical date.

    `logical_date` defaults to the start of the data interval, as Airflow's data-interval
    timetables define it; trigger timetables pass the tick explicitly.
    """

    run_after: datetime
    data_interval: DataInterval
    logical_date: datetime = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        object.__setattr__(self, "run_after", to_utc(self.run_after, field="run_after"))
        logical = self.data_interval.start if self.logical_date is None else to_utc(self.logical_date)
        object.__setattr__(self, "logical_date", logical)

    @classmethod
    def exact(cls, at: datetime) -> DagRunInfo:
        """A run at one instant, with an empty data interval there."""
        return cls(run_after=at, data_interval=DataInterval.exact(at))

    @classmethod
    def interval(cls, start: datetime, end: datetime) -> DagRunInfo:
        """A run covering [start, end), due once `end` has passed."""
        return cls(run_after=end, data_interval=DataInterval(start=start, end=end))


class Timetable:
    """Base class of every schedule; Airflow users subclass it with Airflow's method names.

    A subclass written for Airflow overrides `next_dagrun_info` without the `now` argument and
    reads the time itself; `next_dagrun_info_at` calls either form.
    """

    type_name: ClassVar[str] = ""
    summary: str = "Custom timetable"
    description: str = ""
    periodic: bool = True
    can_be_scheduled: bool = True
    run_ordering: tuple[str, ...] = ("data_interval_end", "logical_date")
    active_runs_limit: int | None = None

    @property
    def can_run(self) -> bool:
        """Airflow 2.0-2.3 name of `can_be_scheduled`."""
        return self.can_be_scheduled

    def validate(self) -> None:
        """Raise ValueError when the timetable cannot work; the base accepts everything."""

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
        now: datetime | None = None,
    ) -> DagRunInfo | None:
        """The next run to schedule after the last one, or None when no more runs are due."""
        raise NotImplementedError(f"{type(self).__name__} must implement next_dagrun_info")

    def infer_manual_data_interval(self, *, run_after: datetime) -> DataInterval:
        """The data interval of a run triggered by hand at `run_after`."""
        return DataInterval.exact(run_after)

    def generate_run_id(self, *, run_type: str, logical_date: datetime, **_: Any) -> str:
        """Airflow's run id: '<run_type>__<logical date ISO>'."""
        return f"{run_type}__{to_utc(logical_date).isoformat()}"

    def serialize(self) -> dict[str, Any]:
        """A JSON-able description of this timetable; `deserialize_timetable` reads it back."""
        return {"type": self.type_name or f"{type(self).__module__}.{type(self).__qualname__}"}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> Timetable:
        """Rebuild a timetable from `serialize()` output; the base needs no arguments."""
        return cls()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.serialize() == other.serialize()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(repr(sorted(self.serialize().items())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary!r})"


def next_dagrun_info_at(
    timetable: Timetable,
    *,
    last_automated_data_interval: DataInterval | None,
    restriction: TimeRestriction,
    now: datetime,
) -> DagRunInfo | None:
    """Call `timetable.next_dagrun_info`, passing `now` only when the method accepts it (Airflow subclasses do not)."""
    kwargs: dict[str, Any] = {"last_automated_data_interval": last_automated_data_interval, "restriction": restriction}
    if _accepts_now(type(timetable)):
        kwargs["now"] = now
    return timetable.next_dagrun_info(**kwargs)


_ACCEPTS_NOW: dict[type, bool] = {}


def _accepts_now(cls: type) -> bool:
    if cls not in _ACCEPTS_NOW:
        import inspect  # only needed once per timetable class; kept off the import path

        params = inspect.signature(cls.next_dagrun_info).parameters
        _ACCEPTS_NOW[cls] = "now" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
    return _ACCEPTS_NOW[cls]


def require_now(now: datetime | None, timetable: Timetable) -> datetime:
    """`now` in UTC; ValueError naming the timetable when the caller left it out."""
    if now is None:
        raise ValueError(f"{type(timetable).__name__}.next_dagrun_info needs `now` (the current time) for this restriction")
    return to_utc(now, field="now")
