"""Queries run in a small pool of worker processes, so a runaway query can be stopped.

pyoxigraph has no query timeout, and a thread running a query cannot be stopped from outside
(Python has no way to kill a thread, and Oxigraph does not check for cancellation). A process
can be killed. Each worker process opens the store itself (read-only, see ``server.store``),
takes one job at a time over a pipe, and sends back the serialized result. When a job outlives
the timeout, the request thread kills that worker (SIGKILL: the query is in Rust and would not
see a gentler signal), answers the client at once, and a background thread starts a
replacement; the other workers keep answering meanwhile. A request waits for a free worker for
at most the timeout too, then gets a 503.

Workers are started with ``spawn``, not ``fork``: the server process runs threads (waitress,
this pool) and a forked child could inherit a lock held by one of them.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Callable

import pyoxigraph as ox

from server.errors import QueryFailed, QueryTimeout, ServerBusy
from server.worker import Answer, Failure, Job, serve

log = logging.getLogger("unkg.server")
START_TIMEOUT = 120.0  # seconds a new worker may take to open a large store


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        """Kill the process and reap it, so no zombie and no CPU is left behind."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``size`` worker processes answering ``Job``s, each job limited to ``timeout`` seconds."""

    def __init__(self, open_store: Callable[[], ox.Store], size: int, timeout: float) -> None:
        self._open_store = open_store
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for worker in [self._spawn() for _ in range(size)]:
            self._ready(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=serve, args=(child, self._open_store),
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
            raise RuntimeError("a query worker could not open the store")
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        with self._lock:
            self._all.remove(worker)
        worker.stop()

        def start() -> None:
            try:
                self._ready(self._spawn())
            except (RuntimeError, OSError) as error:
                if not self._closed:
                    log.error("could not replace a query worker: %s", error)
        threading.Thread(target=start, name="unkg-worker-restart", daemon=True).start()

    def pids(self) -> list[int]:
        """The process ids of the live workers (for /health and tests)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def idle(self) -> int:
        """How many workers are waiting for a job."""
        return self._idle.qsize()

    def run(self, job: Job) -> Answer:
        """Answer ``job`` in a worker; raises QueryTimeout, ServerBusy or QueryFailed."""
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise ServerBusy(self.timeout) from None
        remaining = max(self.timeout - (time.monotonic() - started), 0.0)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(remaining):
                self._replace(worker)
                raise QueryTimeout(self.timeout)
            result = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise QueryFailed("the query worker stopped unexpectedly (out of memory?)",
                              syntax=False) from None
        self._idle.put(worker)
        if isinstance(result, Failure):
            raise QueryFailed(result.message, syntax=result.syntax)
        return result

    def close(self) -> None:
        """Stop every worker (at application shutdown and between tests)."""
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()
