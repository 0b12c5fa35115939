"""The DAG processor's side of DAG callbacks: claim the scheduler's requests and run each in a forked child.

A child imports the DAG file, finds the DAG, builds the callbacks' context from the metadata DB and
calls them, writing what they print and log (and any traceback) to the file's DAG-processor log. It
runs with [core] dag_file_processor_timeout, so a callback that hangs or kills its process ends only
its child. The processor never blocks on a child: it looks at them once per loop, and parsing goes on.

Each request is deleted once its child ended, however it ended: a callback runs once. Only a
processor that dies leaves its claims behind; those are taken again once older than the timeout.
"""

from __future__ import annotations

import logging
import select
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.dagfiles.error_messages import describe_wait_status
from tradewind.dagfiles.forked_child import ForkedChild
from tradewind.logs.paths import dag_processor_log_path
from tradewind.store import callback_requests
from tradewind.store.database import Database

log = logging.getLogger("tradewind.dag_processor")

# A claim is taken again this long after the child's deadline: by then its processor, had it lived,
# would have killed the child and deleted the request.
CLAIM_GRACE_S = 10.0
_NEVER_STALE = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class _InFlight:
    request: dict[str, Any]
    child: ForkedChild


class DagCallbackRunner:
    """The DAG callbacks this processor runs: at most [scheduler] parsing_processes children at once."""

    def __init__(self, settings: Settings, db: Database, clock: Clock) -> None:
        self.settings, self.db, self.clock = settings, db, clock
        self.timeout_s = float(settings.get("core", "dag_file_processor_timeout"))
        self.slots = max(1, int(settings.get("scheduler", "parsing_processes")))
        self.running: dict[int, _InFlight] = {}

    def poll(self) -> None:
        """Conclude the children that ended or ran out of time, then start the requests that wait."""
        self._reap(wait_s=0.0)
        self._start_waiting()

    def join(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for the running callbacks to end or be killed; True when none is left."""
        deadline = self.clock.monotonic() + timeout_s
        while self.running and self.clock.monotonic() < deadline:
            self._reap(wait_s=max(0.0, min(0.2, deadline - self.clock.monotonic())))
        return not self.running

    def stop(self, grace_s: float) -> None:
        """Give running callbacks up to `grace_s` to end; kill the others and hand their requests back."""
        self.join(grace_s)
        for job in list(self.running.values()):
            job.child.kill()
            with self.db.write() as conn:
                callback_requests.release(conn, job.request["id"])
            log.warning("stopping: the callback of DAG %r, run %r, was interrupted and will run again",
                        job.request["dag_id"], job.request["run_id"])
        self.running.clear()

    def _stale_before(self, now: datetime) -> datetime:
        if self.timeout_s <= 0:  # no deadline: a claim is never known to be abandoned
            return _NEVER_STALE
        return now - timedelta(seconds=self.timeout_s + CLAIM_GRACE_S)

    def _start_waiting(self) -> None:
        free = self.slots - len(self.running)
        if free <= 0:
            return
        now = self.clock.now()
        stale_before = self._stale_before(now)
        with self.db.read() as conn:  # a read first: no write lock taken every second for nothing
            if not callback_requests.has_claimable(conn, stale_before=stale_before):
                return
        with self.db.write() as conn:
            requests = callback_requests.claim_pending(conn, now=now, stale_before=stale_before, limit=free)
        for request in requests:
            settings = self.settings
            child = ForkedChild(lambda r=request: run_request(settings, r), self.timeout_s, self.clock)
            self.running[child.fd] = _InFlight(request, child)

    def _reap(self, wait_s: float) -> None:
        if not self.running:
            return
        readable, _, _ = select.select(list(self.running), [], [], wait_s)
        for fd in readable:
            job = self.running[fd]
            if job.child.read():
                del self.running[fd]
                report, status = job.child.finish()
                if report is None:
                    report = {"outcome": "died", "message": f"the callback process {describe_wait_status(status)}"}
                self._conclude(job.request, report)
        now_s = self.clock.monotonic()
        for fd, job in list(self.running.items()):
            if job.child.is_overdue(now_s):
                del self.running[fd]
                job.child.kill()
                self._conclude(job.request, {"outcome": "died", "message": (
                    f"the callback ran past [core] dag_file_processor_timeout ({self.timeout_s:g} s) and was killed")})

    def _conclude(self, request: dict[str, Any], report: dict[str, Any]) -> None:
        where = report.get("log_path") or dag_processor_log_path(self.settings, request["fileloc"], self.clock.now())
        what = f"DAG {request['dag_id']!r}, run {request['run_id']!r} ({request['reason']})"
        outcome = report.get("outcome")
        if outcome == "called":
            log.info("ran the DAG callbacks of %s; log: %s", what, where)
        elif outcome == "dropped":
            log.warning("dropped the DAG callback request of %s: %s", what, report.get("message"))
        else:
            log.error("the DAG callbacks of %s did not finish: %s; see %s", what, report.get("message"), where)
        with self.db.write() as conn:
            callback_requests.delete(conn, request["id"])


def run_request(settings: Settings, request: dict[str, Any]) -> dict[str, Any]:
    """In the child: call the callbacks of one request, its output going to the file's DAG-processor log."""
    from tradewind.logs.capture import capture_task_output

    clock = Clock()
    log_path = dag_processor_log_path(settings, request["fileloc"], clock.now())
    with capture_task_output(log_path, clock=clock):
        try:
            report = _call_callbacks(settings, request, clock)
        except Exception as exc:  # not the callbacks' own errors (those are logged): the file, the DB, the context
            log.exception("the DAG callbacks of DAG %r, run %r could not run", request["dag_id"], request["run_id"])
            report = {"outcome": "failed", "message": f"{type(exc).__name__}: {exc}"}
        if report["outcome"] == "dropped":
            log.warning("dropped: %s", report["message"])
    report["log_path"] = str(log_path)
    return report


def _call_callbacks(settings: Settings, request: dict[str, Any], clock: Clock) -> dict[str, Any]:
    from tradewind.dagfiles.importer import load_dags_from_file
    from tradewind.dagfiles.loader import DagFileImportError
    from tradewind.runner.dag_callbacks import callback_name, dag_callback_context, run_dag_callbacks
    from tradewind.runner.services import StoreServices
    from tradewind.sdk.runtime import install_services

    dag_id, run_id, fileloc = request["dag_id"], request["run_id"], request["fileloc"]
    is_failure = bool(request["is_failure_callback"])
    log.info("Running the %s of DAG %r for run %r (reason: %s), from %s", callback_name(is_failure), dag_id,
             run_id, request["reason"], fileloc)
    db = Database.from_settings(settings)
    install_services(StoreServices(db, settings, clock))  # Variable.get at the file's top level, in callbacks
    try:
        dags = load_dags_from_file(Path(fileloc), settings)
    except DagFileImportError as exc:
        return {"outcome": "dropped", "message": f"{fileloc} no longer imports, so DAG {dag_id!r} has no "
                                                 f"callbacks to run: {exc.message}"}
    dag = dags.get(dag_id)
    if dag is None:
        return {"outcome": "dropped", "message": f"{fileloc} no longer defines DAG {dag_id!r}"}
    name = callback_name(is_failure)
    if not getattr(dag, name, None):
        return {"outcome": "dropped", "message": f"DAG {dag_id!r} in {fileloc} no longer has an {name}"}
    context = dag_callback_context(db, settings, dag, run_id, str(request["reason"]), clock=clock)
    if context is None:
        return {"outcome": "dropped", "message": f"DAG {dag_id!r} has no run {run_id!r} any more"}
    run_dag_callbacks(dag, is_failure, context)
    return {"outcome": "called"}
