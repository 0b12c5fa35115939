"""Wall time of the everyday commands: `airflow version`, `airflow dags list` over the corpus,
parse time per simple DAG file, and `dags test` of a 40-task chain of no-op tasks."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHAIN_40 = '''
from datetime import datetime
from airflow import DAG
from airflow.operators.python import PythonOperator

def noop():
    return None

with DAG("chain_40", schedule=None, start_date=datetime(2026, 1, 1)) as dag:
    previous = None
    for i in range(40):
        task = PythonOperator(task_id=f"t{i:02d}", python_callable=noop)
        if previous is not None:
            previous >> task
        previous = task
'''


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "TRADEWIND"))}
    env["AIRFLOW_HOME"] = str(home)
    return env


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _median(args: list[str], env: dict[str, str], n: int) -> float:
    return statistics.median(_timed(args, env) for _ in range(n))


def _seconds(duration: str) -> float:
    """`dags report` prints durations as Airflow does, H:MM:SS.ffffff."""
    hours, minutes, seconds = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def main() -> dict[str, float]:
    from tests.corpus.locate import corpus_dir

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "airflow"
        (home / "dags").mkdir(parents=True)
        env = _env(home)
        figures["airflow version, median of 10 (s)"] = _median([AIRFLOW, "version"], env, 10)
        subprocess.run([AIRFLOW, "db", "init"], env=env, check=True, capture_output=True)
        for path in (corpus_dir() / "good").glob("*.py"):
            shutil.copy(path, home / "dags" / path.name)
        figures["airflow dags list, good corpus, median of 5 (s)"] = _median([AIRFLOW, "dags", "list"], env, 5)
        report = subprocess.run([AIRFLOW, "dags", "report", "-o", "json"], env=env, check=True,
                                capture_output=True, text=True).stdout
        import json

        durations = [_seconds(row["duration"]) for row in json.loads(report.strip().splitlines()[-1])]
        figures["parse time per DAG file, median (s)"] = statistics.median(durations)
        (home / "dags" / "chain_40.py").write_text(CHAIN_40)
        subprocess.run([AIRFLOW, "dags", "list"], env=env, check=True, capture_output=True)
        figures["dags test of a 40-task no-op chain, median of 3 (s)"] = _median(
            [AIRFLOW, "dags", "test", "chain_40", "2026-01-02"], env, 3)
    return figures


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}: {value:.3f}")
