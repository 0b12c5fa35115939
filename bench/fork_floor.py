"""The floor under per-try process isolation on this machine: how fast a fork server's forks can go.

A fork server holds what a task process needs (the runner, the store, the sdk). This script builds
a process like it, then, with one forker per CPU core, forks children that exit at once and
reaps them: the rate is the most tries per second any executor that runs each try in its own
forked process could reach here, with no work at all in the try. It also prints what copying one
shared page costs a child after a fork (the first write to each page a try touches).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

FORKS_PER_FORKER = 300
PAGES_WRITTEN = 2000


def _rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _forks_per_second(forkers: int) -> float:
    """Forks and reaps per second, with `forkers` processes forking at once; each child exits at once."""
    started = time.perf_counter()
    pids = []
    for _ in range(forkers):
        pid = os.fork()
        if pid == 0:
            for _ in range(FORKS_PER_FORKER):
                child = os.fork()
                if child == 0:
                    os._exit(0)
                os.waitpid(child, 0)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    return forkers * FORKS_PER_FORKER / (time.perf_counter() - started)


def _page_copy_us() -> float:
    """Microseconds a child spends on its first write to each of PAGES_WRITTEN pages shared with its parent."""
    buffer = bytearray(PAGES_WRITTEN * 4096)
    for offset in range(0, len(buffer), 4096):
        buffer[offset] = 1
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        started = time.perf_counter()
        for offset in range(0, len(buffer), 4096):
            buffer[offset] = 2
        os.write(write_end, str((time.perf_counter() - started) / PAGES_WRITTEN * 1e6).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    return float(os.read(read_end, 64))


def main() -> dict[str, float]:
    """The figures, measured in a fresh interpreter (one that ran other benchmarks holds more memory)."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def measure() -> dict[str, float]:
    import tradewind.executors.local  # noqa: F401  (what a worker and its fork server hold)
    import tradewind.runner.run_try  # noqa: F401
    import tradewind.store.scheduling  # noqa: F401

    gc.freeze()
    cores = os.cpu_count() or 1
    return {
        "forking_process_rss_mib": _rss_mib(),
        "forks_per_s_one_core": _forks_per_second(1),
        "forks_per_s_all_cores": _forks_per_second(cores),
        "page_copy_after_fork_us": _page_copy_us(),
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--json"]:
        import json

        print(json.dumps(measure()))
    else:
        for name, value in main().items():
            print(f"{name}: {value:.4g}")
