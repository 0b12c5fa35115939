"""The scheduler: `tick()` creates due runs, starts queued runs, advances running ones and queues tasks.

`run()` is the only loop. It sleeps until the first of: a finished try reported by the executor, a
wake-up from the CLI or the web server, the next timer (a schedule, a retry, a sensor reschedule),
or an idle poll of the database. One iteration's writes are one transaction.
"""

from __future__ import annotations

import logging
import select
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from tradewind.clock import Clock
from tradewind.executors.dead_tries import fail_dead_try
from tradewind.scheduler.dag_callbacks import request_dag_callback
from tradewind.scheduler.dag_cache import DagCache
from tradewind.scheduler.dag_versions import follow_latest_version
from tradewind.scheduler.limits import Candidate, Limits, select_to_queue
from tradewind.scheduler.schedule_run import schedule_run
from tradewind.scheduler.timetable_runs import create_due_runs, next_run_info
from tradewind.store import dag_runs
from tradewind.store import dags as dag_rows
from tradewind.store import scheduling
from tradewind.store.serialized_dag import SerializedDag

log = logging.getLogger("tradewind.scheduler")


@dataclass
class SchedulerConfig:
    """The options the scheduler reads, taken from Settings once by the caller."""

    parallelism: int = 32
    default_max_active_runs: int = 16
    default_max_active_tasks: int = 16
    heartbeat_timeout_s: float = 30.0
    idle_poll_s: float = 1.0
    housekeeping_every_s: float = 5.0


RunKey = tuple[str, str]  # (dag_id, run_id)


@dataclass(frozen=True)
class _NextRun:
    """When a DAG's next scheduled run is due, as computed for one version of it (None: not by time)."""

    version: int
    due_at: datetime | None


@dataclass
class TickReport:
    """What one iteration did, and when the loop must look again at the latest."""

    created_runs: list[tuple[str, str]] = field(default_factory=list)
    started_runs: list[tuple[str, str]] = field(default_factory=list)
    finished_runs: list[tuple[str, str, str]] = field(default_factory=list)
    queued: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    finished_tries: int = 0
    next_wake_at: datetime | None = None

    @property
    def did_work(self) -> bool:
        return bool(self.created_runs or self.started_runs or self.finished_runs or self.queued or self.finished_tries)


class Scheduler:
    """Decides what runs next; holds no state the database does not also hold."""

    def __init__(self, db: Any, executor: Any, clock: Clock, config: SchedulerConfig, *, wakeup: Any = None,
                 heartbeat: Callable[[Any, datetime], None] | None = None) -> None:
        self.db = db
        self.heartbeat = heartbeat
        self.executor = executor
        self.clock = clock
        self.config = config
        self.wakeup = wakeup
        self.dags = DagCache()
        self._next_runs: dict[str, _NextRun] = {}
        self._next_recorded: dict[str, tuple[int, datetime | None]] = {}
        self._last_housekeeping_at: datetime | None = None
        self._stopping = False
        # What needs looking at next tick: runs touched by events, runs whose timer is due, and runs
        # whose ready tasks wait for a free slot. A full scan looks at everything.
        self._full_scan_needed = True
        self._run_ended = False  # a run ended: max_active_runs may let the next one be created or started
        self._timers: dict[RunKey, datetime] = {}

    # --- the loop ------------------------------------------------------------------------------

    def adopt_queued_tries(self) -> int:
        """After a restart: hand tries that were queued but never started to this executor again.

        The runner's compare-and-set (queued -> running for that try number) makes sure a try that an
        old worker did pick up is not run a second time.
        """
        with self.db.read() as conn:
            rows = scheduling.queued_task_instances(conn)
        for row in rows:
            self.executor.queue(_key(row.dag_id, row.run_id, row.task_id, row.map_index), row.try_number)
        return len(rows)

    def stop(self) -> None:
        self._stopping = True

    def run(self, *, max_ticks: int | None = None, until: Callable[[], bool] | None = None) -> None:
        """Tick until stop() is called, max_ticks iterations have run, or `until()` holds after a run ends."""
        ticks = 0
        self.adopt_queued_tries()
        while not self._stopping and (max_ticks is None or ticks < max_ticks):
            report = self.tick()
            ticks += 1
            if report.finished_runs and until is not None and until():
                return
            if report.did_work:
                continue
            self._wait(report.next_wake_at)

    def _wait(self, wake_at: datetime | None) -> None:
        timeout = self.config.idle_poll_s
        if wake_at is not None:
            timeout = min(timeout, max(0.0, (wake_at - self.clock.now()).total_seconds()))
        fds = [f for f in (*_filenos(self.executor), _fileno(self.wakeup)) if f >= 0]
        if not fds:
            self.clock.sleep(timeout)
            return
        try:
            select.select(fds, [], [], timeout)
        except InterruptedError:
            pass
        if self.wakeup is not None and self.wakeup.drain():
            self.request_full_scan()  # a DAG was unpaused, a run triggered or cleared: look at everything

    # --- one iteration --------------------------------------------------------------------------

    def request_full_scan(self) -> None:
        """Look at every DAG, queued run and running run on the next tick (something changed outside)."""
        self._full_scan_needed = True
        self.forget_schedules()

    def tick(self) -> TickReport:
        """One scheduling iteration; its work is proportional to what changed since the last one."""
        report = TickReport()
        finished = self.executor.sync()
        report.finished_tries = len(finished)
        now = self.clock.now()
        full = self._full_scan_needed or self._housekeeping_due(now)
        self._full_scan_needed = False
        dirty = {(f.key.dag_id, f.key.run_id) for f in finished}
        dirty |= {run for run, due in self._timers.items() if due <= now}
        schedules_due = any(n.due_at is not None and n.due_at <= now for n in self._next_runs.values())
        runs_changed, self._run_ended = self._run_ended, False
        if not (full or dirty or schedules_due or runs_changed):
            report.next_wake_at = self._next_timer()
            return report
        with self.db.write() as conn:
            self._handle_dead_tries(conn, finished, now)
            if full:
                self._fail_silent_tries(conn, now)
                if self.heartbeat is not None:
                    self.heartbeat(conn, now)
            if full or schedules_due or runs_changed:
                self._create_runs(conn, now, report)
            if full:
                self._record_paused_next_runs(conn, now)
            if full or report.created_runs or runs_changed:
                self._start_queued_runs(conn, now, report)
            dirty |= set(report.started_runs)
            runs = scheduling.running_runs(conn) if full else scheduling.running_runs(conn, only=dirty)
            resumed = self._advance_running_runs(conn, runs, now, report)
            if not full:
                resumed += self._advance_running_runs(conn, self._later_runs_waiting_on(conn, runs), now, report)
            self._queue_work(conn, resumed, now, report)
        for dag_id, run_id, task_id, map_index, try_number in report.queued:
            self.executor.queue(_key(dag_id, run_id, task_id, map_index), try_number)
        report.next_wake_at = _min_time(report.next_wake_at, self._next_timer())
        return report

    def _next_timer(self) -> datetime | None:
        times = [*self._timers.values(), *(n.due_at for n in self._next_runs.values() if n.due_at is not None)]
        return min(times) if times else None

    def _housekeeping_due(self, now: datetime) -> bool:
        last = self._last_housekeeping_at
        if last is None or (now - last).total_seconds() >= self.config.housekeeping_every_s:
            self._last_housekeeping_at = now
            return True
        return False

    def _create_runs(self, conn: Any, now: datetime, report: TickReport) -> None:
        active = scheduling.queued_or_running_run_counts(conn)
        for row in scheduling.schedulable_dags(conn):
            known = self._next_runs.get(row.dag_id)
            if known is not None and known.version == row.latest_version and (known.due_at is None or known.due_at > now):
                if known.due_at is not None:
                    report.next_wake_at = _earliest(report.next_wake_at, known.due_at)
                continue
            dag = self.dags.get(conn, row.dag_id, row.latest_version)
            if dag is None:
                continue
            max_runs = dag.data.get("max_active_runs") or self.config.default_max_active_runs
            created, next_info = create_due_runs(conn, dag, now, active_runs=active.get(row.dag_id, 0),
                                                 max_active_runs=max_runs)
            next_due = None if next_info is None else next_info.run_after
            self._record_next_run(conn, row.dag_id, row.latest_version, next_info)
            report.created_runs.extend((row.dag_id, run_id) for run_id in created)
            # Remember when to look again; a new DAG version or forget_schedules() makes it recompute.
            self._next_runs[row.dag_id] = _NextRun(row.latest_version, next_due)
            if next_due is not None:
                report.next_wake_at = _earliest(report.next_wake_at, next_due)

    def _record_next_run(self, conn: Any, dag_id: str, version: int, info: Any) -> None:
        """Write the DAG's next run on its row (the DAG list shows it), when it changed."""
        marker = (version, None if info is None else info.logical_date)
        if self._next_recorded.get(dag_id) == marker:
            return
        interval = None if info is None else (info.data_interval.start, info.data_interval.end)
        dag_rows.set_next_dagrun(conn, dag_id, logical_at=None if info is None else info.logical_date,
                                 data_interval=interval, create_after=None if info is None else info.run_after)
        self._next_recorded[dag_id] = marker

    def _record_paused_next_runs(self, conn: Any, now: datetime) -> None:
        """Paused DAGs show their next run too; computed once per DAG version, to keep idle work flat."""
        for row in scheduling.paused_dags(conn):
            if self._next_recorded.get(row.dag_id, (None,))[0] == row.latest_version:
                continue
            dag = self.dags.get(conn, row.dag_id, row.latest_version)
            if dag is not None:
                self._record_next_run(conn, row.dag_id, row.latest_version, next_run_info(conn, dag, now))

    def forget_schedules(self) -> None:
        """Recompute every DAG's next run, and start queued runs, on the next tick (a run ended...)."""
        self._next_runs.clear()
        self._run_ended = True

    def _start_queued_runs(self, conn: Any, now: datetime, report: TickReport) -> None:
        running = dag_runs.active_run_counts(conn)
        for row in dag_runs.queued_runs(conn):
            dag = self.dags.get_latest(conn, row["dag_id"])
            if dag is None:
                continue
            max_runs = dag.data.get("max_active_runs") or self.config.default_max_active_runs
            if running.get(row["dag_id"], 0) >= max_runs:
                continue
            if scheduling.start_run(conn, row["dag_id"], row["run_id"], now):
                running[row["dag_id"]] = running.get(row["dag_id"], 0) + 1
                report.started_runs.append((row["dag_id"], row["run_id"]))

    def _advance_running_runs(self, conn: Any, runs: list[Any], now: datetime, report: TickReport) -> list[Candidate]:
        candidates: list[Candidate] = []
        for run in runs:
            self._timers.pop((run.dag_id, run.run_id), None)
            dag = self._dag_of_running_run(conn, run, now)
            if dag is None:
                continue
            timeout_s = dag.data.get("dagrun_timeout_s")
            if timeout_s and run.start_date and now - run.start_date > timedelta(seconds=timeout_s):
                if scheduling.set_run_state_if(conn, run.dag_id, run.run_id, expected=["running"], new="failed",
                                               end_date=now, updated_at=now):
                    scheduling.skip_unfinished(conn, run.dag_id, run.run_id, now)
                    request_dag_callback(conn, dag, run.run_id, state="failed", reason="timed_out", now=now)
                    report.finished_runs.append((run.dag_id, run.run_id, "failed"))
                    self.forget_schedules()
                continue
            progress = schedule_run(conn, dag, run.dag_id, run.run_id, now, running_run=run)
            if progress.finished_state is not None:
                report.finished_runs.append((run.dag_id, run.run_id, progress.finished_state))
                self.forget_schedules()
            if progress.next_wake_at is not None and progress.finished_state is None:
                self._timers[(run.dag_id, run.run_id)] = progress.next_wake_at
            for task_id, map_index in progress.resumed:
                row = progress.rows[(task_id, map_index)]
                candidates.append(Candidate(run.dag_id, run.run_id, task_id, map_index, row.priority_weight or 1,
                                            run.run_after, row.pool, row.pool_slots, dag))
        return candidates

    def _later_runs_waiting_on(self, conn: Any, runs: list[Any]) -> list[Any]:
        """The other running runs of DAGs with depends_on_past or wait_for_downstream tasks among `runs`.

        A try that ends in one run may let the same task go in the next run: those runs are looked at
        in the same tick, not at the next full scan.
        """
        dag_ids = set()
        for run in runs:
            dag = self.dags.get(conn, run.dag_id, run.dag_version)
            if dag is not None and dag.has_past_dependencies:
                dag_ids.add(run.dag_id)
        seen = {(run.dag_id, run.run_id) for run in runs}
        return [run for run in scheduling.running_runs_of_dags(conn, dag_ids) if (run.dag_id, run.run_id) not in seen]

    def _dag_of_running_run(self, conn: Any, run: Any, now: datetime) -> SerializedDag | None:
        """The DAG version a running run goes on with: the newest, which the run first moves onto if it is new to it."""
        if run.latest_version is None or run.latest_version == run.dag_version:
            return self.dags.get(conn, run.dag_id, run.dag_version)
        latest = self.dags.get(conn, run.dag_id, run.latest_version)
        if latest is not None:
            follow_latest_version(conn, run, latest, now)
        return latest

    def _queue_work(self, conn: Any, resumed: list[Candidate], now: datetime, report: TickReport) -> None:
        """Queue what fits: resumed sensors and the best `scheduled` instances, within every limit."""
        occupancy = scheduling.occupancy(conn)
        pools = scheduling.pool_sizes(conn)
        free = self.config.parallelism - occupancy.total
        candidates = list(resumed)
        if free > 0:
            open_pools = [p for p, size in pools.items() if occupancy.by_pool.get(p, 0) < size]
            # A few more than the free slots, so that instances held back by a DAG or task limit
            # do not hide the next ones in line.
            for row in scheduling.scheduled_candidates(conn, limit=free * 4 + 16, pools=open_pools):
                dag = self.dags.get(conn, row.dag_id, row.dag_version)
                if dag is not None and row.task_id in dag.tasks:
                    candidates.append(Candidate(row.dag_id, row.run_id, row.task_id, row.map_index,
                                                row.priority_weight or 1, row.run_after, row.pool, row.pool_slots, dag))
        if not candidates:
            return
        limits = Limits(self.config.parallelism, pools, self.config.default_max_active_tasks)
        chosen, _waiting = select_to_queue(candidates, occupancy, limits)
        for c in chosen:
            q = scheduling.queue_task_instance(conn, c.dag_id, c.run_id, c.task_id, c.map_index, now=now)
            if q is not None:
                report.queued.append((q.dag_id, q.run_id, q.task_id, q.map_index, q.try_number))

    # --- tries that ended badly -----------------------------------------------------------------

    def _handle_dead_tries(self, conn: Any, finished: list[Any], now: datetime) -> None:
        """Tries whose process ended without the runner recording an outcome: fail or retry them."""
        for item in finished:
            if item.state is not None:
                continue
            key = item.key
            self._fail_or_retry(conn, key.dag_id, key.run_id, key.task_id, key.map_index, item.try_number, now,
                                item.error or "the task process ended without reporting a result")

    def _fail_silent_tries(self, conn: Any, now: datetime) -> None:
        limit = now - timedelta(seconds=self.config.heartbeat_timeout_s)
        for row in scheduling.silent_running_task_instances(conn, limit):
            self._fail_or_retry(conn, row.dag_id, row.run_id, row.task_id, row.map_index, row.try_number, now,
                                f"no heartbeat for {self.config.heartbeat_timeout_s:.0f} s: the task process is gone")

    def _fail_or_retry(self, conn: Any, dag_id: str, run_id: str, task_id: str, map_index: int, try_number: int,
                       now: datetime, reason: str) -> None:
        dag = self.dags.get_latest(conn, dag_id)
        task = dag.tasks.get(task_id) if dag is not None else None
        key = _key(dag_id, run_id, task_id, map_index)
        new_state = fail_dead_try(conn, key, try_number, task, expected_states=("running", "queued"), now=now)
        if new_state is not None:
            log.warning("%s.%s (run %s, try %d): %s; now %s", dag_id, task_id, run_id, try_number, reason, new_state)


def _key(dag_id: str, run_id: str, task_id: str, map_index: int) -> Any:
    from tradewind.executors.base import TaskInstanceKey

    return TaskInstanceKey(dag_id, run_id, task_id, map_index)


def _filenos(executor: Any) -> list[int]:
    """What to select on to wake when the executor reports a finished try."""
    filenos = getattr(executor, "filenos", None)
    return list(filenos()) if filenos is not None else [_fileno(executor)]


def _fileno(obj: Any) -> int:
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        return -1
    try:
        return int(fileno())
    except (OSError, ValueError):
        return -1


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate < current else current


def _min_time(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)
