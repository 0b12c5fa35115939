"""Find the DAG files under a folder: `.py` files, minus what `.airflowignore` files and safe mode leave out.

An `.airflowignore` holds one regular expression per line (`#` starts a comment). A pattern applies to
the folder that holds the file and to everything below it; it is searched (not anchored) in the path
relative to that folder, as Airflow does. A folder that matches is not entered at all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tradewind.errors import TradewindError

IGNORE_FILE = ".airflowignore"
_SKIPPED_FOLDERS = {"__pycache__"}


@dataclass(frozen=True)
class IgnoreRule:
    """One `.airflowignore` pattern and the folder it is relative to."""

    pattern: re.Pattern[str]
    base: Path

    def matches(self, path: Path) -> bool:
        """True when the pattern occurs in `path` relative to the rule's folder."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return False
        return self.pattern.search(relative) is not None


def read_ignore_file(folder: Path) -> list[IgnoreRule]:
    """The rules of `folder/.airflowignore`, or none when there is no such file."""
    ignore_path = folder / IGNORE_FILE
    if not ignore_path.is_file():
        return []
    rules = []
    for number, raw in enumerate(ignore_path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            rules.append(IgnoreRule(re.compile(line), folder))
        except re.error as exc:
            raise TradewindError(f"{ignore_path} line {number}: {line!r} is not a regular expression ({exc}); "
                                 "fix or remove the line") from None
    return rules


def might_contain_dag(path: Path) -> bool:
    """Safe mode's test: the file's bytes mention both "dag" and "airflow", in any case."""
    try:
        content = path.read_bytes().lower()
    except OSError:
        return False
    return b"dag" in content and b"airflow" in content


def _is_ignored(path: Path, rules: list[IgnoreRule]) -> bool:
    return any(rule.matches(path) for rule in rules)


def list_dag_files(folder: Path | str, *, safe_mode: bool = True) -> list[Path]:
    """Every DAG file under `folder`, recursively and sorted; a single file is returned as itself."""
    paths = [Path(p) for p in dag_file_mtimes(folder)]
    return sorted(p for p in paths if not safe_mode or might_contain_dag(p))


def dag_file_mtimes(folder: Path | str) -> dict[str, float]:
    """Every `.py` file under `folder` that no `.airflowignore` excludes, with its modification time.

    One stat per file and no Path objects on the way: the DAG processor calls this every second.
    Hidden folders and __pycache__ are skipped; a symlink back up the tree is walked once.
    """
    root = Path(folder)
    if root.is_file():
        return {str(root): root.stat().st_mtime} if root.suffix == ".py" else {}
    if not root.is_dir():
        return {}
    found: dict[str, float] = {}
    _walk(str(root), [], found, set())
    return found


def _walk(folder: str, inherited: list[IgnoreRule], found: dict[str, float], visited: set[str]) -> None:
    real = os.path.realpath(folder)
    if real in visited:
        return
    visited.add(real)
    rules = inherited + read_ignore_file(Path(folder))
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks, as Airflow does
        except OSError:
            continue
        if is_dir:
            if not (name.startswith(".") or name in _SKIPPED_FOLDERS or (rules and _is_ignored(Path(entry.path), rules))):
                _walk(entry.path, rules, found, visited)
        elif name.endswith(".py") and not (rules and _is_ignored(Path(entry.path), rules)):
            try:
                found[entry.path] = entry.stat().st_mtime
            except OSError:
                continue
