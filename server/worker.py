"""Running one query in a worker process: evaluate, cap the rows, serialize.

This module is what a worker process imports and runs; it needs only pyoxigraph. Rows are
capped while results stream out of Oxigraph: results are first written in a line-based format
(TSV for solutions, N-Triples for triples: one row or triple per line) into a writer that stops
the serializer, and with it the evaluation, once the cap is passed. The capped text is then
re-serialized in the requested format, again by pyoxigraph. Both steps run in Rust; measured on
25k rows this costs the same as serializing straight to SPARQL JSON.
"""

from __future__ import annotations

import marshal
import resource
import select
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import IO, Callable, cast

import pyoxigraph as ox

from server.negotiation import ALL_FORMATS, write_graph


@dataclass(frozen=True)
class Job:
    """One query with everything needed to run it (picklable, sent to a worker)."""

    query: str
    format: str
    returns_graph: bool
    base_iri: str
    row_limit: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    """A serialized result; ``truncated`` when the row cap cut it; ``cpu``: the seconds of CPU
    the worker spent on it (what the pool's lanes go by: unlike the time it took, it does not
    grow when the machine is busy)."""

    body: bytes
    rows: int
    truncated: bool
    cpu: float = 0.0


@dataclass(frozen=True)
class Failure:
    """Why a query failed: ``syntax`` errors are the client's, others the server's;
    ``memory`` when it ran out of the worker's memory (the pool then replaces the worker)."""

    message: str
    syntax: bool
    memory: bool = False
    cpu: float = 0.0


# Seconds between two empty queries of an idle worker. A store that follows the versions a
# build writes (server.store) moves to the current one when a query starts; an idle worker, or
# the pool's spare, would otherwise keep an old version open, and so on disk, until its next job.
IDLE_CHECK = 1.0


class _Full(Exception):
    """Raised inside the serializer's writer to stop evaluation at the row cap."""


class _LineCap:
    """A binary writer that keeps at most ``limit`` lines and then stops its producer."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0
        self.parts: list[bytes] = []
        self.truncated = False

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        count = chunk.count(b"\n")
        if self.lines + count > self.limit:
            end = -1
            for _ in range(self.limit - self.lines):
                end = chunk.index(b"\n", end + 1)
            self.parts.append(chunk[:end + 1])
            self.lines, self.truncated = self.limit, True
            raise _Full
        self.parts.append(chunk)
        self.lines += count
        return len(chunk)

    def flush(self) -> None:
        """Nothing is buffered here; pyoxigraph calls it when it finishes."""

    def value(self) -> bytes:
        return b"".join(self.parts)


def _capped(write: Callable[[IO[bytes]], object], limit: int) -> _LineCap:
    writer = _LineCap(limit)
    try:
        write(cast(IO[bytes], writer))
    except _Full:
        pass
    except OSError:
        if not writer.truncated:  # pyoxigraph may wrap our exception in an OSError
            raise
    return writer


def _dataset(job: Job) -> dict:
    """The query's dataset as pyoxigraph arguments (SPARQL 1.1 Protocol §2.1.4).

    Graphs given in the request replace the query's own FROM / FROM NAMED; naming only named
    graphs leaves the default graph empty. With neither, the default graph is the union of
    all graphs (the store keeps every source file in a graph of its own) unless the query
    states its dataset, which pyoxigraph's union flag would otherwise override.
    """
    if job.default_graphs is None and job.named_graphs is None:
        return {"use_default_graph_as_union": job.union_default_graph}
    return {"default_graph": [ox.NamedNode(g) for g in job.default_graphs or ()],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()]}


def execute(store: ox.Store, job: Job) -> Answer:
    """Run ``job`` on ``store``; raises SyntaxError for a malformed query."""
    fmt = ALL_FORMATS[job.format]
    prefixes = dict(job.prefixes)
    results = store.query(job.query, base_iri=job.base_iri, prefixes=prefixes, **_dataset(job))
    if isinstance(results, ox.QueryBoolean):
        return Answer(cast(bytes, results.serialize(format=fmt.results)), 1, False)
    if isinstance(results, ox.QueryTriples):
        lines = _capped(lambda w: results.serialize(w, format=ox.RdfFormat.N_TRIPLES),
                        job.row_limit)
        if fmt.rdf == ox.RdfFormat.N_TRIPLES:  # already what was asked: not parsed again
            return Answer(lines.value(), lines.lines, lines.truncated)
        triples = ox.parse(lines.value(), format=ox.RdfFormat.N_TRIPLES)
        body = write_graph(triples, fmt, prefixes)
        return Answer(body, lines.lines, lines.truncated)
    table = _capped(lambda w: results.serialize(w, format=ox.QueryResultsFormat.TSV),
                    job.row_limit + 1)  # + the header line
    if fmt.results == ox.QueryResultsFormat.TSV:
        body = table.value()
    else:
        body = cast(bytes, ox.parse_query_results(
            table.value(), format=ox.QueryResultsFormat.TSV).serialize(format=fmt.results))
    return Answer(body, max(table.lines - 1, 0), table.truncated)


def answer(store: ox.Store, job: Job) -> Answer | Failure:
    """``execute`` with its errors turned into values that can cross a process boundary."""
    try:
        return execute(store, job)
    except SyntaxError as error:
        return Failure(str(error), syntax=True)
    except MemoryError:
        return Failure("out of memory", syntax=False, memory=True)
    except (OSError, ValueError, RuntimeError) as error:
        return Failure(f"{type(error).__name__}: {error}", syntax=False)


def address_space() -> int:
    """Bytes of address space this process holds now (``VmSize``; 0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def limit_memory(megabytes: int) -> None:
    """Let this process's address space grow by at most ``megabytes`` more (``RLIMIT_AS``;
    0: no cap).

    Called once the store is open, so the cap is what a query may use, whatever opening the
    store took (a few hundred MB of address space: RocksDB's threads and caches, the allocator's
    arenas) on this machine. An allocation past it fails: Python raises MemoryError, Oxigraph
    (Rust) aborts the process. Address space is more than resident memory, so the cap is a
    bound on memory, never less.
    """
    if megabytes > 0:
        cap = address_space() + megabytes * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _follow(store: ox.Store) -> None:
    """An empty query, for a store that follows versions to move to the current one."""
    try:
        store.query("ASK {}")
    except (OSError, RuntimeError, ValueError):
        pass  # the next job will meet the same problem and report it


READY = b"ready"  # what a worker sends once its store is open


def encode(message: Job | Answer | Failure) -> bytes:
    """A job or its result as bytes for the pipe: its kind and field values, by ``marshal``.

    Both ends run the same interpreter, and every field is a string, number, bytes or tuple,
    which ``marshal`` writes in a few microseconds; pickling the dataclasses cost 20 µs a job
    (mostly its prefixes) at each end of every query.
    """
    return marshal.dumps((type(message).__name__, tuple(vars(message).values())))


def decode(data: bytes) -> Job | Answer | Failure:
    """The message ``encode`` wrote."""
    kind, values = marshal.loads(data)
    return _MESSAGES[kind](*values)


_MESSAGES: dict[str, Callable[..., Job | Answer | Failure]] = {
    cls.__name__: cls for cls in (Job, Answer, Failure)}


def serve(conn: Connection, open_store: Callable[[], ox.Store], memory_mb: int = 0) -> None:
    """A worker's life: open the store, cap what queries may add to its memory, say it is
    ready, then answer jobs until the pipe closes. A job that ran out of memory is answered,
    then the worker waits to be replaced (the pool kills it)."""
    store = open_store()
    limit_memory(memory_mb)
    conn.send_bytes(READY)
    jobs = select.poll()  # made once: ``Connection.poll`` builds a selector every call
    jobs.register(conn.fileno(), select.POLLIN)
    while True:
        try:
            while not jobs.poll(IDLE_CHECK * 1000):
                _follow(store)
            job = decode(conn.recv_bytes())
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            started = time.process_time()
            result = answer(store, cast(Job, job))
            conn.send_bytes(encode(replace(result, cpu=time.process_time() - started)))
        except MemoryError:  # encoding the answer for the pipe
            conn.send_bytes(encode(Failure("out of memory", syntax=False, memory=True)))
