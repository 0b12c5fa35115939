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
    root = Path(folder)
    if root.is_file():
        return [root] if root.suffix == ".py" else []
    if not root.is_dir():
        return []
    found: list[Path] = []
    rules_by_folder: dict[Path, list[IgnoreRule]] = {}
    visited: set[str] = set()
    for current, dirs, files in os.walk(root, followlinks=True):
        here = Path(current)
        real = os.path.realpath(current)
        if real in visited:  # a symlink back up the tree: walking it again would never end
            dirs[:] = []
            continue
        visited.add(real)
        rules = rules_by_folder.get(here, []) + read_ignore_file(here)
        kept = []
        for name in sorted(dirs):
            sub = here / name
            if name.startswith(".") or name in _SKIPPED_FOLDERS or _is_ignored(sub, rules):
                continue
            rules_by_folder[sub] = rules
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if not name.endswith(".py") or _is_ignored(path, rules) or not path.is_file():
                continue
            if safe_mode and not might_contain_dag(path):
                continue
            found.append(path)
    return sorted(found)
