"""Processes as /proc shows them, for tests and benchmarks: a process's stat fields, parent, children and tree."""

from __future__ import annotations

import os
from pathlib import Path


def stat_fields(pid: int | str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state, ppid, pgrp, session, ...); None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def parent_pid(pid: int) -> int | None:
    """The parent of a live process; None when it is gone."""
    fields = stat_fields(pid)
    return None if fields is None else int(fields[1])


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        fields = stat_fields(entry) if entry.isdigit() else None
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is `pid`."""
    return _children_by_parent().get(pid, [])


def process_tree(root: int) -> list[int]:
    """The pids of `root` (while it lives) and all its live descendants, parents before their children."""
    children = _children_by_parent()
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        if Path(f"/proc/{pid}").exists():
            tree.append(pid)
        frontier.extend(children.get(pid, []))
    return tree
