"""Where the build's extraction runs: in this process, in a pool of local processes, or on a
Dask cluster; results always come back in the order the work was given.

Order matters because the build decides in corpus order which of two files naming the same
document is refused, so a parallel build writes what a serial one writes. At most ``window``
tasks are in flight, so a corpus far larger than memory never has all its N-Quads waiting in
the parent at once; a slow file only holds back the results after it.

The pool and the cluster run module-level functions of the ``graph`` package, so a Dask worker
needs unkg installed in the same version (the build records which extractor each worker
reported, see ``graph.build``).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar

# How long to try reaching a Dask scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = "20s"
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class JobError(Exception):
    """The machinery running the extraction failed (not a document): a worker process died,
    the Dask scheduler cannot be reached or is not installed."""


class _Result(Protocol[R_co]):  # concurrent.futures.Future and distributed.Future alike
    def result(self) -> R_co: ...


def default_jobs() -> int:
    """One process per core this process may run on (``os.process_cpu_count`` from Python
    3.13, the CPU affinity before it)."""
    if hasattr(os, "process_cpu_count"):
        return int(os.process_cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run(function: Callable[..., R], items: Iterable[tuple[Any, ...]], *, jobs: int = 1,
        scheduler: str | None = None, count: int | None = None) -> Iterator[R]:
    """``function(*item)`` for every item, in order.

    ``scheduler`` (a Dask scheduler address) sends the calls to that cluster; else ``jobs`` > 1
    runs them in as many local processes, and ``jobs`` 1 (or a single item, ``count``) here, which
    is what a debugger wants."""
    if scheduler is not None:
        yield from _on_dask(function, items, scheduler)
    elif jobs <= 1 or (count is not None and count <= 1):
        for item in items:
            yield function(*item)
    else:
        yield from _in_processes(function, items, min(jobs, count or jobs))


def _in_order(submit: Callable[[tuple[Any, ...]], _Result[R]], items: Iterable[tuple[Any, ...]],
              window: int) -> Iterator[R]:
    """Keep ``window`` calls in flight and hand their results back in submission order."""
    pending: deque[_Result[R]] = deque()
    remaining = iter(items)
    pending.extend(submit(item) for item in islice(remaining, window))
    while pending:
        result = pending.popleft().result()
        pending.extend(submit(item) for item in islice(remaining, 1))
        yield result


def _in_processes(function: Callable[..., R], items: Iterable[tuple[Any, ...]],
                  jobs: int) -> Iterator[R]:
    # forkserver, not fork: the parent has an Oxigraph store open, whose RocksDB threads a
    # forked child would inherit half-copied. The server process imports the function's
    # module once, and every worker is forked from it already warm.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([function.__module__])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_watch_parent,
                             initargs=(os.getpid(),)) as pool:
        def submit(item: tuple[Any, ...]) -> Future[R]:
            return pool.submit(function, *item)
        try:
            yield from _in_order(submit, items, 2 * jobs)
        except BrokenProcessPool as error:
            raise JobError(f"an extraction process died ({error}); run with --jobs 1 to see "
                           "which file kills it") from None


def _watch_parent(pid: int) -> None:
    """Pool initializer: end this worker once the build that started it is gone. A worker
    holds both ends of its own task queue, so when the build is killed (SIGKILL: no clean-up
    runs) it would wait for work forever, and keep the forkserver alive with it."""
    def watch() -> None:
        while _alive(pid):
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="unkg-watch-build", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs: it exists and is not a zombie awaiting its parent."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc: existing is all we can tell


def _on_dask(function: Callable[..., R], items: Iterable[tuple[Any, ...]],
             address: str) -> Iterator[R]:
    try:
        from distributed import Client
    except ImportError:
        raise JobError("--scheduler needs dask.distributed: pip install 'unkg[dask]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        raise JobError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        threads = sum(client.nthreads().values()) or 1

        def submit(item: tuple[Any, ...]) -> _Result[R]:
            return client.submit(function, *item, pure=False)  # type: ignore[no-any-return]
        yield from _in_order(submit, items, 2 * threads)
    finally:
        client.close()
