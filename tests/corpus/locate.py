"""Where the shared DAG corpus lives: ../shared/dags beside the checkout, else the copy in tests/corpus/data."""

from __future__ import annotations

import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENDORED = REPO / "tests" / "corpus" / "data"


def corpus_dir() -> Path:
    """The corpus folder holding good/, bad/ and expected.json."""
    override = os.environ.get("TRADEWIND_CORPUS")
    if override:
        return Path(override)
    shared = REPO.parent / "shared" / "dags"
    return shared if (shared / "expected.json").exists() else VENDORED


def expected() -> dict:
    return json.loads((corpus_dir() / "expected.json").read_text())
