"""Waiting on worker processes, shared by the timeout and limit tests: whether a process is
alive, and polling a condition with a deadline (behaviour, never a timing assertion)."""

from __future__ import annotations

import os
import time
from typing import Callable


def alive(pid: int) -> bool:
    """Whether a process of that id still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(condition: Callable[[], bool], seconds: float = 60.0, step: float = 0.02) -> None:
    """Poll ``condition`` until it holds; fail the test if it has not after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(step)
