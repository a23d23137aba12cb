"""Reading a process tree's memory from /proc, for the benchmarks that watch a server and its
worker processes (bench/load.py, bench/scale.py). Linux only; a process gone meanwhile counts 0."""

from __future__ import annotations

import os


def status_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory field of /proc/PID/status in kB: ``VmRSS`` now, ``VmHWM`` at its peak."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children(pid: int, *, recursive: bool = False) -> list[int]:
    """The process's children (and theirs, with ``recursive``)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listed:
                for child in map(int, listed.read().split()):
                    found += [child, *(children(child, recursive=True) if recursive else [])]
    except (OSError, ValueError):
        pass
    return found
