"""The layer direction of STYLE.md, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "tradewind"

# Lower numbers are lower layers; a module may import its own layer or below.
LAYERS = {
    "errors": 1, "clock": 1, "config": 1, "version": 1, "wakeup": 1,
    "schedule": 2, "rules": 2,
    "sdk": 3,
    "store": 4,
    "dagfiles": 5, "runner": 5, "logs": 5, "executors": 5,
    "scheduler": 6,
    "api": 7, "web": 7, "security": 7,
    "cli": 8, "dagtest": 8, "testing": 8,
}
# The scheduler and the web side read serialized DAGs only: they never import user-code packages.
FORBIDDEN = {
    "scheduler": {"dagfiles", "runner"},
    "web": {"dagfiles", "runner"},
    "api": {"dagfiles", "runner"},
    "security": {"dagfiles", "runner"},
}
# Deliberate exceptions, each with its reason in the importing module.
ALLOWED = {
    ("sdk", "cli"),  # DAG.test() runs `dags test` on the DAG object, as Airflow's own dag.test does
}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imported_packages(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "tradewind" and len(parts) > 1:
                found.add(parts[1])
    # Strings handed to importlib count too: "tradewind.x.y" or "tradewind.x.y:function".
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("tradewind."):
            found.add(node.value.split(".")[1].split(":")[0])
    return found


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_every_package_has_a_layer() -> None:
    packages = {_package_of(p) for p in _modules()} - {"__init__"}
    assert packages <= set(LAYERS), f"packages without a layer: {sorted(packages - set(LAYERS))}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_downward(path: Path) -> None:
    own = _package_of(path)
    if own == "__init__":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    wrong = []
    for target in _imported_packages(tree):
        if target not in LAYERS or target == own or (own, target) in ALLOWED:
            continue
        if LAYERS[target] > LAYERS[own] or target in FORBIDDEN.get(own, set()):
            wrong.append(target)
    assert not wrong, f"{path.relative_to(SRC)} ({own}, layer {LAYERS[own]}) imports {sorted(wrong)}"
