"""Queries run in a small pool of worker processes, so a runaway query can be stopped.

pyoxigraph has no query timeout, and a thread running a query cannot be stopped from outside
(Python has no way to kill a thread, and Oxigraph does not check for cancellation). A process
can be killed. Each worker process opens the store itself (read-only, see ``server.store``),
takes one job at a time over a pipe, and sends back the serialized result. When a job outlives
the timeout, the request thread kills that worker (SIGKILL: the query is in Rust and would not
see a gentler signal) and answers the client at once; a background thread reaps it and starts
a replacement, and the other workers keep answering meanwhile. One more worker than ``size``
is kept started as a spare and takes the killed one's place at once: starting a process and
opening the store takes a second or more, and a pool short of a worker for that long would
make every query wait behind the next slow one.

**Memory.** A query may add at most ``memory_mb`` MB to its worker's address space
(``RLIMIT_AS``, set in the worker once it has opened the store; ``server.worker.limit_memory``).
A query whose intermediate results grow without bound (an ORDER BY or GROUP_CONCAT over a
cartesian product) then fails an allocation long before the machine runs short: Oxigraph
aborts the process (Rust aborts on a failed allocation), Python raises MemoryError. Either way
the worker is replaced and the client gets a 503 that says so. Results are capped in rows, and
the web process holds at most one per request thread, so its own memory stays bounded too.

**Waiting.** A query that finds every worker busy waits in a bounded first-come first-served
queue (``queue`` places) for at most the timeout, then gets a 503; past the queue's bound it
gets a 503 with ``Retry-After`` at once, so an overloaded server sheds load instead of piling up
request threads that would hang. A free worker is handed straight to the longest-waiting
request, so a request arriving later never overtakes one that waits in the same lane. Once it
has a worker, a query has the whole timeout to run.

**Three lanes.** The pool remembers how much CPU each shape of query takes (the text with its
literals, IRIs and numbers blanked: the same question about another resolution has the same
shape; CPU time, because the time a query takes grows with everything else the machine runs),
as an average weighted to recent runs, for the last ``COSTS`` shapes. A query whose shape
takes more than ``QUICK`` seconds of CPU, or was stopped, waits in the slow lane; a shape known
to take less than ``EXPRESS`` seconds (a lookup by symbol: half a millisecond) in the express
lane; any other, including one never seen, in the quick lane. A free worker goes to the
express lane first, then the quick lane, and slow queries may hold at most all workers but one,
so a quick query never waits behind analytical queries or runaways. Beside the ``size``
workers the pool keeps ``EXPRESS_WORKERS`` worker that runs express queries only: on a machine
whose cores are full, quick queries of 10-50 ms (the example queries at 1M triples) kept every
worker busy, and a lookup waited behind them (p95 about 300 ms); now it waits at most for
another express query. Only a shape that has run and stayed cheap reaches the express worker:
a new kind of runaway is a quick query once, and after its first stop it is known; a shape
cheap for one IRI and costly for another leaves the express lane after its first costly run.

**Priority.** A slow-lane query runs at niceness ``NICE``, and so does any other still running
after ``DEMOTE_AFTER`` seconds: a runaway, or a long analytical query, then takes a core only
when pages and quick queries leave it one, instead of halving a two-core server for the whole
timeout. Its worker gets its priority back afterwards where the server may raise priorities
(CAP_SYS_NICE); elsewhere it is replaced by the spare like a killed one.

**Hand-over.** A query crosses to its worker and back in four system calls (the write of the
job, the wait, two reads of the answer), and a thread takes the GIL back after each. While
another thread of the web process computes (a page, the ``/stats`` figures), Python makes it
wait up to the switch interval for that (5 ms by default), so a hand-over that takes 0.3 ms
on an idle process took 7.3 ms on average, 11.8 ms at p95, beside one busy thread. The pool
lowers the process's switch interval to ``SWITCH_INTERVAL``: 1.7 ms on average, 3.6 ms at p95
(``bench/handoff.py``). Jobs and answers cross as their fields encoded by ``marshal``
(``server.worker.encode``; pickling a job's dataclass took 20 µs at each end) and each worker's
pipe is watched by a poll object made once. What a hand-over costs beyond that is waking a
process that sleeps: a tiny query's round trip, 0.3 ms back to back, takes about three times
that when the worker and the request thread have slept a few milliseconds on a busy machine
(``bench/handoff.py --gap``), and no encoding can save it; only keeping the query in the web
process could, at the price of a query that can no longer be stopped.

Workers are started with ``spawn``, not ``fork``: the server process runs threads (waitress,
this pool) and a forked child could inherit a lock held by one of them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import select
import signal
import sys
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Callable, Mapping, cast

import pyoxigraph as ox

from server.errors import QueryFailed, QueryTimeout, ServerBusy, SparqlError
from server.worker import READY, Answer, Failure, Job, decode, encode, serve

log = logging.getLogger("unkg.server")
START_TIMEOUT = 120.0  # seconds a new worker may take to open a large store
DEFAULT_QUEUE = 48     # queries that may wait for a worker
DEFAULT_MEMORY_MB = 1024  # address space a query may add to its worker (RLIMIT_AS); 0: no cap
SPARES = 1  # workers kept started, so a killed worker is replaced at once
QUICK = 0.05  # seconds of CPU: a query shape that takes more waits in the slow lane
EXPRESS = 0.005  # seconds of CPU: a known shape that takes less may use the express worker
EXPRESS_WORKERS = 1  # workers, besides ``size``, kept for express queries
SWITCH_INTERVAL = 0.001  # seconds: the longest a thread waits for the GIL after a system call
DEMOTE_AFTER = 1.0  # seconds: a query running longer yields the CPU to the others
NICE = 10  # the niceness it runs at from then on
COSTS = 1024  # query shapes whose run time the pool remembers
SMOOTHING = 0.3  # weight of the last run in a shape's average run time
_SHAPE = re.compile(r'''
      "{3}.*?"{3} | '{3}.*?'{3}                   # long strings
    | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'   # strings
    | <[^<>"{}|^`\\\s]*>                        # IRIs
    | [+-]?\b\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\b     # numbers
    | \#[^\n]*                                  # comments
    | \s+
''', re.VERBOSE | re.DOTALL)


SHAPE_MEMO = 1024  # queries (of at most SHAPE_MEMO_LENGTH characters) whose shape is kept
SHAPE_MEMO_LENGTH = 4096


def shape(query: str) -> str:
    """The query with literals, IRIs, numbers and comments blanked and spaces collapsed
    (remembered for short queries, which come again and again: blanking one costs about as
    much CPU as running a tiny one)."""
    return _known_shape(query) if len(query) <= SHAPE_MEMO_LENGTH else _blanked(query)


def _blanked(query: str) -> str:
    return _SHAPE.sub(lambda m: " " if m.group()[0] in "# \t\r\n" else "_", query).strip()


_known_shape = lru_cache(maxsize=SHAPE_MEMO)(_blanked)


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
        limit = (f"the memory limit of a query ({memory_mb} MB)" if memory_mb
                 else "the memory left")
        super().__init__(
            f"the query was stopped because it needed more than {limit}; narrow it down (a "
            "LIMIT, fewer unbound patterns, no ORDER BY or GROUP_CONCAT over a large result) or "
            "run it on a downloaded release")


def pool_options(config: Mapping[str, Any]) -> dict[str, int]:
    """The pool's keyword arguments from the app config (``QUERY_QUEUE``, ``WORKER_MEMORY``)."""
    return {"queue": int(config.get("QUERY_QUEUE", DEFAULT_QUEUE)),
            "memory_mb": int(config.get("WORKER_MEMORY", DEFAULT_MEMORY_MB))}


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    express: bool = False  # kept for express queries
    _answers: Any = None  # a select.poll on the pipe, made once (Connection.poll makes one a call)

    def __post_init__(self) -> None:
        self._answers = select.poll()
        self._answers.register(self.conn.fileno(), select.POLLIN)

    def answered(self, timeout: float) -> bool:
        """Whether the worker has written something (an answer, or EOF) within ``timeout`` s."""
        return bool(self._answers.poll(max(timeout, 0) * 1000))

    def stop(self) -> None:
        """Kill the process and reap it, so no zombie and no CPU is left behind."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def demote(self) -> int | None:
        """Lower the CPU priority of the worker's query; the niceness to restore, or None."""
        try:
            was = os.getpriority(os.PRIO_PROCESS, self.process.pid or 0)
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, max(was, NICE))
        except OSError:
            return None
        return was

    def restore(self, nice: int) -> bool:
        """Give the worker its priority back (needs CAP_SYS_NICE); False if not allowed."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, nice)
        except OSError:
            return False
        return True

    def exit_status(self) -> int | None:
        """The exit code of a worker that ended by itself (negative: killed by that signal)."""
        self.process.join(2)
        return self.process.exitcode


@dataclass
class _Waiter:
    """A request waiting for a worker; ``worker`` is set by whoever hands it one."""

    lane: str
    ready: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


EXPRESS_LANE, QUICK_LANE, SLOW_LANE = "express", "quick", "slow"  # in the order served


class QueryPool:
    """``size`` worker processes (and ``EXPRESS_WORKERS`` kept for express queries) answering
    ``Job``s, each job limited to ``timeout`` seconds and to ``memory_mb`` MB more address
    space than its worker holds with the store open (0: unlimited), at most ``queue`` requests
    waiting for a worker."""

    def __init__(self, open_store: Callable[[], ox.Store], size: int, timeout: float, *,
                 queue: int = DEFAULT_QUEUE, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        self._open_store = open_store
        self.size = size
        self.timeout = timeout
        self.queue = max(queue, 0)
        self.memory_mb = max(memory_mb, 0)
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._express_idle: list[_Worker] = []
        self._lanes: dict[str, deque[_Waiter]] = {
            lane: deque() for lane in (EXPRESS_LANE, QUICK_LANE, SLOW_LANE)}  # waiting
        self._slow_running = 0
        self._slow_limit = max(size - 1, 1)
        self._costs: OrderedDict[str, float] = OrderedDict()
        self._all: list[_Worker] = []    # the workers in service (busy or idle)
        self._spares: list[_Worker] = []  # started and ready, waiting to replace one
        self._lock = threading.Lock()
        self._closed = False
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        for worker in [self._spawn() for _ in range(size + EXPRESS_WORKERS + SPARES)]:
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
            ready = worker.answered(START_TIMEOUT) and worker.conn.recv_bytes() == READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            worker.stop()
            raise RuntimeError("a query worker could not open the store")
        with self._lock:
            if self._closed:
                worker.stop()
                return
            express = sum(w.express for w in self._all)
            if express < EXPRESS_WORKERS:
                worker.express = True
            elif len(self._all) - express >= self.size:
                self._spares.append(worker)
                return
            self._all.append(worker)
        self._release(worker)

    def _release(self, worker: _Worker, lane: str = QUICK_LANE) -> None:
        """Make a free worker (which ran a query of ``lane``) available."""
        with self._lock:
            if lane == SLOW_LANE and not worker.express:
                self._slow_running -= 1
            if not self._closed:
                (self._express_idle if worker.express else self._idle).append(worker)
                self._dispatch()

    def _dispatch(self) -> None:
        """Hand idle express workers to the longest-waiting express requests; hand idle workers
        to the longest-waiting express requests, then quick ones, then slow ones while slow
        queries may take one more worker (under the lock)."""
        express, quick, slow = (self._lanes[lane] for lane in (EXPRESS_LANE, QUICK_LANE,
                                                               SLOW_LANE))
        while self._express_idle and express:
            self._hand(express.popleft(), self._express_idle.pop())
        while self._idle:
            if express:
                waiter = express.popleft()
            elif quick:
                waiter = quick.popleft()
            elif slow and self._slow_running < self._slow_limit:
                waiter = slow.popleft()
                self._slow_running += 1
            else:
                return
            self._hand(waiter, self._idle.pop())

    @staticmethod
    def _hand(waiter: _Waiter, worker: _Worker) -> None:
        waiter.worker = worker
        waiter.ready.set()

    def _free(self, lane: str) -> _Worker | None:
        """An idle worker a query of ``lane`` may take now without overtaking anyone: an
        express worker for an express query, else a worker left once the lanes before it and
        the slow queries' limit are served (under the lock)."""
        if self._lanes[lane]:
            return None  # others of its lane wait: first come first served
        if lane == EXPRESS_LANE and self._express_idle:
            return self._express_idle.pop()
        if not self._idle:
            return None
        if lane != EXPRESS_LANE and self._lanes[EXPRESS_LANE]:
            return None
        if lane == SLOW_LANE:
            if self._lanes[QUICK_LANE] or self._slow_running >= self._slow_limit:
                return None
            self._slow_running += 1
        return self._idle.pop()

    def _acquire(self, lane: str) -> _Worker:
        """A free worker for a query of ``lane``: at once, after waiting in its lane, or
        ServerBusy."""
        with self._lock:
            worker = self._free(lane)
            if worker is not None:
                return worker
            waiting = sum(len(q) for q in self._lanes.values())
            if waiting >= self.queue:
                raise QueueFull(self.size, waiting)
            waiter = _Waiter(lane)
            self._lanes[lane].append(waiter)
        waiter.ready.wait(self.timeout)
        with self._lock:
            if waiter.worker is None:  # not served in time: leave the queue
                self._lanes[lane].remove(waiter)
                raise ServerBusy(self.timeout)
            return waiter.worker

    def lane(self, query: str) -> str:
        """The lane a query waits in, by what its shape cost before: ``express`` (known and
        under ``EXPRESS`` s of CPU), ``slow`` (over ``QUICK`` s, or stopped) or ``quick``."""
        return self._lane(shape(query))

    def _lane(self, key: str) -> str:
        """``lane`` for a query whose shape is ``key``."""
        with self._lock:
            cost = self._costs.get(key)
        if cost is None:
            return QUICK_LANE  # never seen: it may be a runaway, so not express
        return EXPRESS_LANE if cost < EXPRESS else QUICK_LANE if cost <= QUICK else SLOW_LANE

    def _cost(self, key: str, seconds: float, *, stopped: bool = False) -> None:
        """Record a run time: averaged with the earlier ones (a run slowed by a busy machine
        does not move a quick shape to the slow lane), or at once for a stopped query."""
        with self._lock:
            known = self._costs.get(key)
            self._costs[key] = (seconds if known is None or stopped
                                else (1 - SMOOTHING) * known + SMOOTHING * seconds)
            self._costs.move_to_end(key)
            if len(self._costs) > COSTS:
                self._costs.popitem(last=False)

    def _replace(self, worker: _Worker, lane: str = QUICK_LANE) -> None:
        """Kill ``worker`` (which ran a query of ``lane``), put the spare in its place (as an
        express worker if it was one), and start another in the background (which becomes the
        spare, or takes the place itself if there was no spare)."""
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            spare = self._spares.pop() if self._spares else None
            if spare is not None:
                spare.express = worker.express
                self._all.append(spare)
            elif lane == SLOW_LANE and not worker.express:
                self._slow_running -= 1
                self._dispatch()
        if spare is not None:
            self._release(spare, lane)
        worker.process.kill()  # at once; reaping it (a large process takes a while) waits below

        def start() -> None:
            worker.stop()
            try:
                self._ready(self._spawn())
            except (RuntimeError, OSError) as error:
                if not self._closed:
                    log.error("could not replace a query worker: %s", error)
        threading.Thread(target=start, name="unkg-worker-restart", daemon=True).start()

    def pids(self, *, express: bool | None = None) -> list[int]:
        """The process ids of the workers in service (for /health and tests): all, or only the
        express ones (``express=True``) or the others (``False``)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None
                    and express in (None, w.express)]

    def idle(self, *, express: bool = False) -> int:
        """How many workers (express workers, if ``express``) are waiting for a job."""
        with self._lock:
            return len(self._express_idle if express else self._idle)

    def waiting(self) -> int:
        """How many requests are waiting for a worker."""
        with self._lock:
            return sum(len(q) for q in self._lanes.values())

    def _died(self, worker: _Worker, lane: str) -> SparqlError:
        """The error for a worker that ended during a job, which is then replaced."""
        status = worker.exit_status()
        self._replace(worker, lane)
        if self.memory_mb and status == -signal.SIGABRT:  # Rust aborts on a failed allocation
            return QueryOutOfMemory(self.memory_mb)
        how = f"signal {-status}" if status is not None and status < 0 else f"status {status}"
        return QueryFailed(f"the query worker stopped unexpectedly ({how}); it has been "
                           "replaced", syntax=False)

    def run(self, job: Job) -> Answer:
        """Answer ``job`` in a worker; raises QueryTimeout, ServerBusy, QueryOutOfMemory or
        QueryFailed."""
        key = shape(job.query)
        lane = self._lane(key)
        worker = self._acquire(lane)
        demoted = worker.demote() if lane == SLOW_LANE else None
        try:
            worker.conn.send_bytes(encode(job))
            first = min(DEMOTE_AFTER, self.timeout)
            if not worker.answered(first):
                if demoted is None:
                    demoted = worker.demote()
                if not worker.answered(self.timeout - first):
                    self._cost(key, self.timeout, stopped=True)
                    self._replace(worker, lane)
                    raise QueryTimeout(self.timeout)
            result = cast(Answer | Failure, decode(worker.conn.recv_bytes()))
        except (EOFError, OSError):
            self._cost(key, self.timeout, stopped=True)
            raise self._died(worker, lane) from None
        self._cost(key, result.cpu)
        if isinstance(result, Failure) and result.memory:
            self._replace(worker, lane)  # a MemoryError may leave its heap fragmented
            raise QueryOutOfMemory(self.memory_mb)
        if demoted is not None and not worker.restore(demoted):
            self._replace(worker, lane)  # a worker left at low priority is not reused
        else:
            self._release(worker, lane)
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
            self._express_idle.clear()
            waiters = [w for queue in self._lanes.values() for w in queue]
            for queue in self._lanes.values():
                queue.clear()
        for waiter in waiters:
            waiter.ready.set()
        for worker in workers:
            worker.stop()
