"""Where the extraction runs: results come back in the order given, with a bounded number in
flight, and a worker that dies is a clear error, not a hang."""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph import jobs
from graph.jobs import JobError, _in_order, default_jobs, run


def test_results_come_back_in_order_with_at_most_a_window_in_flight():
    running, most = 0, 0
    lock = threading.Lock()

    def slow_first(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02 * (10 - n))  # the first items finish last
        with lock:
            running -= 1
        return n * n

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(_in_order(lambda item: pool.submit(slow_first, *item),
                                 ((n,) for n in range(10)), window=3))
    assert results == [n * n for n in range(10)]
    assert most <= 3


def test_one_job_runs_here_and_many_in_processes():
    assert list(run(os.getpid, [(), ()], jobs=1)) == [os.getpid()] * 2
    pids = list(run(os.getpid, [()] * 4, jobs=2))
    assert len(pids) == 4 and os.getpid() not in pids


def test_a_worker_that_dies_is_a_job_error():
    with pytest.raises(JobError, match="an extraction process died"):
        list(run(os._exit, [(3,), (3,)], jobs=2))


def test_default_jobs_is_the_cores_this_process_may_use():
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_a_scheduler_that_cannot_be_reached_is_a_job_error(monkeypatch):
    monkeypatch.setattr(jobs, "CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(JobError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(run(abs, [(1,)], scheduler="tcp://127.0.0.1:9"))


def test_without_dask_installed_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(JobError, match=r"pip install 'unkg\[dask\]'"):
        list(run(abs, [(1,)], scheduler="tcp://127.0.0.1:8786"))
