"""The DAG processor's loop: notice new, changed and removed DAG files and re-parse only those; run DAG callbacks.

A scan is a directory walk plus one stat per file (a file's content is read for safe mode only when
it changed), cheap enough to do every second, so a new DAG file is runnable about a second after it
is saved. With [scheduler] min_file_process_interval > 0, unchanged files are parsed again after that
many seconds too, for DAGs built from outside state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tradewind.clock import Clock
from tradewind.config.settings import Settings
from tradewind.dagfiles.dag_callbacks import DagCallbackRunner
from tradewind.dagfiles.discover import dag_file_mtimes, might_contain_dag
from tradewind.dagfiles.processor import ParseReport, parse_and_sync
from tradewind.store.database import Database

log = logging.getLogger("tradewind.dag_processor")

SCAN_INTERVAL_S = 1.0
# On a stop, running DAG callbacks get this long to end before they are killed (and run again later).
STOP_GRACE_S = 5.0


@dataclass
class FolderState:
    """What the last scan saw: each file's modification time, and when it was last parsed."""

    mtimes: dict[str, float] = field(default_factory=dict)
    parsed_at: dict[str, float] = field(default_factory=dict)
    looks_like_dag: dict[str, tuple[float, bool]] = field(default_factory=dict)  # safe mode's verdict by mtime
    has_scanned: bool = False


def _scan(settings: Settings, state: FolderState) -> dict[str, float]:
    """The DAG files of the folder with their modification times; safe mode re-reads changed files only."""
    found: dict[str, float] = {}
    safe_mode = bool(settings.get("core", "dag_discovery_safe_mode"))
    verdicts: dict[str, tuple[float, bool]] = {}
    for name, mtime in dag_file_mtimes(settings.dags_folder.absolute()).items():
        if safe_mode:
            known = state.looks_like_dag.get(name)
            verdict = known[1] if known is not None and known[0] == mtime else might_contain_dag(Path(name))
            verdicts[name] = (mtime, verdict)
            if not verdict:
                continue
        found[name] = mtime
    state.looks_like_dag = verdicts
    return found


def files_to_parse(state: FolderState, current: dict[str, float], now_s: float, reparse_after_s: float) -> list[str]:
    """New or changed files, files gone since the last scan, and files not parsed for a while."""
    changed = [p for p, m in current.items() if state.mtimes.get(p) != m]
    gone = [p for p in state.mtimes if p not in current]
    if reparse_after_s <= 0:
        return changed + gone
    stale = [p for p in current if p not in changed and now_s - state.parsed_at.get(p, 0.0) >= reparse_after_s]
    return changed + gone + stale


def process_once(settings: Settings, db: Database, state: FolderState, clock: Clock) -> ParseReport | None:
    """One scan; parses and syncs what changed. Returns the report, or None when nothing changed.

    The first scan parses the whole folder, so DAGs whose files vanished while no processor ran
    become stale too.
    """
    current = _scan(settings, state)
    now_s = clock.monotonic()
    reparse_after = float(settings.get("scheduler", "min_file_process_interval"))
    todo = files_to_parse(state, current, now_s, reparse_after)
    if state.has_scanned and not todo:
        return None
    report = parse_and_sync(settings, db, files=[Path(p) for p in todo] if state.has_scanned else None)
    state.has_scanned = True
    state.mtimes = current
    for path in todo:
        if path in current:
            state.parsed_at[path] = now_s
        else:
            state.parsed_at.pop(path, None)
    return report


def run_dag_processor(settings: Settings, db: Database, *, clock: Clock, should_stop: Callable[[], bool],
                      on_scan: Callable[[ParseReport | None], None] = lambda report: None) -> None:
    """Scan every second until `should_stop()`; `on_scan` gets each scan's report (None: nothing changed).

    Each pass also runs the DAG callbacks the scheduler asked for (in children, without waiting for
    them). A failing scan or callback pass is logged and retried, never fatal.
    """
    state = FolderState()
    callbacks = DagCallbackRunner(settings, db, clock)
    try:
        while not should_stop():
            try:
                on_scan(process_once(settings, db, state, clock))
            except Exception:  # a broken folder or a DB hiccup must not end parsing for good
                log.exception("scanning %s failed; retrying", settings.dags_folder)
            try:
                callbacks.poll()
            except Exception:  # nor may a DB hiccup end the running of callbacks
                log.exception("running DAG callbacks failed; retrying")
            clock.sleep(SCAN_INTERVAL_S)
    finally:
        callbacks.stop(grace_s=STOP_GRACE_S)
