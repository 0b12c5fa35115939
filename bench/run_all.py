"""`make bench`: run every benchmark module and print its figures."""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

MODULES = ["cli_speed", "handoff", "throughput", "fork_floor", "scheduler_figures", "web_pages"]


def main() -> int:
    failed = 0
    for name in MODULES:
        if not (BENCH / f"{name}.py").exists():
            continue
        print(f"== {name}")
        try:
            figures = importlib.import_module(name).main()
        except Exception:
            traceback.print_exc()
            failed += 1
            continue
        for key, value in (figures or {}).items():
            print(f"  {key}: {value:.4g}" if isinstance(value, float) else f"  {key}: {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
