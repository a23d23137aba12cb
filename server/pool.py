"""Queries run in a small pool of worker processes, so a runaway query can be stopped.

pyoxigraph has no query timeout, and a thread running a query cannot be stopped from outside
(Python has no way to kill a thread, and Oxigraph does not check for cancellation). A process
can be killed. Each worker process opens the store itself (read-only, see ``server.store``),
takes one job at a time over a pipe, and sends back the serialized result. When a job outlives
the timeout, the request thread kills that worker (SIGKILL: the query is in Rust and would not
see a gentler signal), answers the client at once, and a background thread starts a
replacement; the other workers keep answering meanwhile. One more worker than ``size`` is
kept started as a spare and takes the killed one's place at once: starting a process and
opening the store takes a second or more, and a pool short of a worker for that long would
make every query wait behind the next slow one.

**Memory.** A query may add at most ``memory_mb`` MB to its worker's address space
(``RLIMIT_AS``, set in the worker once it has opened the store; ``server.worker.limit_memory``).
A query whose intermediate results grow without bound (an ORDER BY or GROUP_CONCAT over a
cartesian product) then fails an allocation long before the machine runs short: Oxigraph aborts the process (Rust aborts on a failed allocation), Python
raises MemoryError. Either way the worker is replaced and the client gets a 503 that says so.
The web process never holds more than one capped result per request thread, so the server's
own memory stays bounded too.

**Waiting.** A query that finds every worker busy waits in a bounded first-come first-served
queue (``queue`` places) for at most the timeout, then gets a 503; past the queue's bound it
gets a 503 with ``Retry-After`` at once, so an overloaded server sheds load instead of piling up
request threads that would hang. A free worker is handed straight to the longest-waiting
request, so a request arriving later never overtakes one that waits. Once it has a worker, a
query has the whole timeout to run.

Workers are started with ``spawn``, not ``fork``: the server process runs threads (waitress,
this pool) and a forked child could inherit a lock held by one of them.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Callable, Mapping

import pyoxigraph as ox

from server.errors import QueryFailed, QueryTimeout, ServerBusy, SparqlError
from server.worker import Answer, Failure, Job, serve

log = logging.getLogger("unkg.server")
START_TIMEOUT = 120.0  # seconds a new worker may take to open a large store
DEFAULT_QUEUE = 32     # queries that may wait for a worker
DEFAULT_MEMORY_MB = 1024  # address space a query may add to its worker (RLIMIT_AS); 0: no cap
SPARES = 1  # workers kept started, so a killed worker is replaced at once


class QueueFull(ServerBusy):
    """Every worker is busy and the queue of waiting queries is full: refused at once."""

    def __init__(self, workers: int, waiting: int) -> None:
        SparqlError.__init__(
            self, f"all {workers} query workers are busy and {waiting} queries are already "
                  "waiting for one; try again in a few seconds")


class QueryOutOfMemory(SparqlError):
    """The query needed more memory than a worker may use; its worker was replaced."""

    status = 503
    title = "Query Out of Memory"

    def __init__(self, memory_mb: int) -> None:
        super().__init__(
            f"the query was stopped because it needed more than the memory limit of a query "
            f"({memory_mb} MB); narrow it down (a LIMIT, fewer unbound patterns, no "
            "ORDER BY or GROUP_CONCAT over a large result) or run it on a downloaded release")


def pool_options(config: Mapping[str, Any]) -> dict[str, int]:
    """The pool's keyword arguments from the app config (``QUERY_QUEUE``, ``WORKER_MEMORY``)."""
    return {"queue": int(config.get("QUERY_QUEUE", DEFAULT_QUEUE)),
            "memory_mb": int(config.get("WORKER_MEMORY", DEFAULT_MEMORY_MB))}


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        """Kill the process and reap it, so no zombie and no CPU is left behind."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def exit_status(self) -> int | None:
        """The exit code of a worker that ended by itself (negative: killed by that signal)."""
        self.process.join(2)
        return self.process.exitcode


@dataclass
class _Waiter:
    """A request waiting for a worker; ``worker`` is set by whoever hands it one."""

    ready: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


class QueryPool:
    """``size`` worker processes answering ``Job``s, each job limited to ``timeout`` seconds
    and to ``memory_mb`` MB more address space than its worker holds with the store open
    (0: unlimited), at most ``queue`` requests waiting for a worker."""

    def __init__(self, open_store: Callable[[], ox.Store], size: int, timeout: float, *,
                 queue: int = DEFAULT_QUEUE, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        self._open_store = open_store
        self.size = size
        self.timeout = timeout
        self.queue = max(queue, 0)
        self.memory_mb = max(memory_mb, 0)
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._waiters: deque[_Waiter] = deque()
        self._all: list[_Worker] = []    # the workers in service (busy or idle)
        self._spares: list[_Worker] = []  # started and ready, waiting to replace one
        self._lock = threading.Lock()
        self._closed = False
        for worker in [self._spawn() for _ in range(size + SPARES)]:
            self._ready(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=serve, args=(child, self._open_store,
                                                             self.memory_mb),
                                        name="unkg-query-worker", daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _ready(self, worker: _Worker) -> None:
        """Wait for a new worker to open the store, then make it available."""
        try:
            ready = worker.conn.poll(START_TIMEOUT) and worker.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            worker.stop()
            hint = (f" within the memory limit of {self.memory_mb} MB (--worker-memory)"
                    if self.memory_mb else "")
            raise RuntimeError(f"a query worker could not open the store{hint}")
        with self._lock:
            if self._closed:
                worker.stop()
                return
            if len(self._all) >= self.size:
                self._spares.append(worker)
                return
            self._all.append(worker)
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        """Hand a free worker to the longest-waiting request, or keep it idle."""
        with self._lock:
            if self._closed:
                return
            while self._waiters:
                waiter = self._waiters.popleft()
                waiter.worker = worker
                waiter.ready.set()
                return
            self._idle.append(worker)

    def _acquire(self) -> _Worker:
        """A free worker: at once, after waiting in the queue, or ServerBusy."""
        with self._lock:
            if self._idle and not self._waiters:
                return self._idle.pop()
            if len(self._waiters) >= self.queue:
                raise QueueFull(self.size, len(self._waiters))
            waiter = _Waiter()
            self._waiters.append(waiter)
        waiter.ready.wait(self.timeout)
        with self._lock:
            if waiter.worker is None:  # not served in time: leave the queue
                self._waiters.remove(waiter)
                raise ServerBusy(self.timeout)
            return waiter.worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker``, put the spare in its place, and start another in the background
        (which becomes the spare, or takes the place itself if there was no spare)."""
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            spare = self._spares.pop() if self._spares else None
            if spare is not None:
                self._all.append(spare)
        if spare is not None:
            self._release(spare)
        worker.process.kill()  # at once; reaping it (a large process takes a while) waits below

        def start() -> None:
            worker.stop()
            try:
                self._ready(self._spawn())
            except (RuntimeError, OSError) as error:
                if not self._closed:
                    log.error("could not replace a query worker: %s", error)
        threading.Thread(target=start, name="unkg-worker-restart", daemon=True).start()

    def pids(self) -> list[int]:
        """The process ids of the workers in service (for /health and tests)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def idle(self) -> int:
        """How many workers are waiting for a job."""
        with self._lock:
            return len(self._idle)

    def waiting(self) -> int:
        """How many requests are waiting for a worker."""
        with self._lock:
            return len(self._waiters)

    def _died(self, worker: _Worker) -> SparqlError:
        """The error for a worker that ended during a job, which is then replaced."""
        status = worker.exit_status()
        self._replace(worker)
        if self.memory_mb and status == -signal.SIGABRT:  # Rust aborts on a failed allocation
            return QueryOutOfMemory(self.memory_mb)
        how = f"signal {-status}" if status is not None and status < 0 else f"status {status}"
        return QueryFailed(f"the query worker stopped unexpectedly ({how}); it has been "
                           "replaced", syntax=False)

    def run(self, job: Job) -> Answer:
        """Answer ``job`` in a worker; raises QueryTimeout, ServerBusy, QueryOutOfMemory or
        QueryFailed."""
        worker = self._acquire()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                raise QueryTimeout(self.timeout)
            result = worker.conn.recv()
        except (EOFError, OSError):
            raise self._died(worker) from None
        if isinstance(result, Failure) and result.memory:
            self._replace(worker)  # a MemoryError may leave the worker's heap fragmented
            raise QueryOutOfMemory(self.memory_mb)
        self._release(worker)
        if isinstance(result, Failure):
            raise QueryFailed(result.message, syntax=result.syntax)
        return result

    def close(self) -> None:
        """Stop every worker (at application shutdown and between tests)."""
        with self._lock:
            self._closed = True
            workers, self._all = self._all + self._spares, []
            self._spares = []
            self._idle.clear()
            waiters, self._waiters = list(self._waiters), deque()
        for waiter in waiters:
            waiter.ready.set()
        for worker in workers:
            worker.stop()
