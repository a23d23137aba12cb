"""Serving from a remote SPARQL store (``graph.remote``): queries forwarded, answers streamed.

The server checks a client's query exactly as for the embedded store (``server.protocol``:
read-only, no SERVICE, bounded nesting) and then, instead of handing it to a worker process,
sends it from the request thread to the remote store's query endpoint, with the graphs of the
served version as its dataset (``graph.remote``: never a build's staged graphs, nor the
server's own). The answer is read as it arrives and re-serialized by the same code as a
worker's (``server.worker.execute``):

- **Row cap.** Solutions come as SPARQL XML, parsed lazily by pyoxigraph while they are written
  into the worker's line-capped TSV writer, which stops the parse, and so the reading, at the
  cap; the connection is then closed, so the store stops sending. Triples come as N-Triples
  and at most cap + 1 lines are read. A cut answer carries ``X-Result-Truncated`` as usual.
- **Timeout.** The HTTP request waits at most the query timeout for the answer to start, and
  reading stops at the same deadline: the client gets 503 Query Timeout and the connection
  is closed. The store may go on computing an answer nobody reads until it notices (Oxigraph
  when it writes; start ``oxigraph serve --timeout-s`` and Virtuoso's ``MaxQueryExecutionTime``
  at the same limit). A Virtuoso "anytime" answer (partial results, ``X-SQL-State``) is a
  timeout too, never a short answer.
- **At most ``QUERY_WORKERS`` queries are forwarded at once**, each waiting at most the timeout
  for its turn (503 Service Busy), so a crowd of clients cannot pile onto the store.
- **A store that does not answer** gives 503 with ``Retry-After`` on every route that needs it,
  and ``/health`` reports it ``unavailable``.

Pages, lookups, ``/stats`` and the service description run their own queries on the same
``RemoteStore``, which stands in for the ``pyoxigraph.Store`` they are written against. Each
request is pinned to the version the store served when it started (one small query reads it),
so figures are cached and entity tags are named per version as with the embedded store; a page
making several queries can still read two versions if a build switches between them.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import IO, Any, Mapping, cast

import pyoxigraph as ox
from flask import Flask, Response

from graph.remote import (NTRIPLES, RESULTS_XML, Catalog, Client, RemoteError, RemoteSpec,
                          RemoteTimeout, RemoteUnavailable, parse_store, read_catalog,
                          served_version)
from server.errors import QueryFailed, QueryTimeout, ServerBusy, error_response
from server.lexer import inspect_query
from server.pool import QueryPool
from server.store import LiveStore, Resources, Version, compute_figures, get_store
from server.worker import Answer, Job, execute

RETRY_AFTER = 5
NONE = "urn:unkg:no-graph"  # a dataset of no served graph: a graph no store holds
log = logging.getLogger("unkg.server")
_VIRTUOSO_BNODE = (b"<bnode>nodeID://", b"<bnode>")  # not a valid blank node label


class _Stream:
    """The body of a remote answer as pyoxigraph reads it: stops at ``deadline`` (and says
    so), and rewrites what a store writes that pyoxigraph would refuse (``fix``)."""

    def __init__(self, response: Any, deadline: float | None,
                 fix: tuple[bytes, bytes] | None) -> None:
        self.response, self.deadline, self.fix = response, deadline, fix
        self.timed_out = False
        self._held = b""  # the end of the last chunk, which may hold the start of ``fix[0]``

    def _check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.timed_out = True
            raise TimeoutError("the query's time limit passed while its answer was read")

    def read(self, size: int = -1) -> bytes:
        self._check()
        size = size if size and size > 0 else 65536
        if self.fix is None:
            return cast(bytes, self.response.read(size))
        keep = len(self.fix[0]) - 1
        while True:
            chunk = self.response.read(size)
            if not chunk:
                rest, self._held = self._held, b""
                return rest
            data = (self._held + chunk).replace(*self.fix)
            self._held, data = data[-keep:], data[:-keep]
            if data:
                return data

    def readline(self) -> bytes:
        self._check()
        return cast(bytes, self.response.readline())


class RemoteStore:
    """The remote store as the server's code sees a ``pyoxigraph.Store``: queries over the
    graphs of one served version (``catalog``; None while the store does not answer). ``max_triples`` caps the triples read of a
    graph answer; ``deadline`` (``time.monotonic()``) bounds the reading of every answer."""

    def __init__(self, client: Client, catalog: Catalog | None, timeout: float, *,
                 max_triples: int | None = None, deadline: float | None = None) -> None:
        self.client, self.catalog, self.timeout = client, catalog, timeout
        self.max_triples, self.deadline = max_triples, deadline
        self.streams: list[_Stream] = []
        self._quads: int | None = None

    def bounded(self, max_triples: int, timeout: float) -> RemoteStore:
        """The same store for one forwarded query: capped, and stopped at the timeout."""
        return RemoteStore(self.client, self.catalog, timeout, max_triples=max_triples,
                           deadline=time.monotonic() + timeout)

    def _graphs(self) -> tuple[str, ...]:
        if self.catalog is None:
            raise RemoteUnavailable(f"the {self.client.spec.describe()} does not answer")
        if self.catalog.version is None:
            raise RemoteUnavailable(f"nothing has been built into the {self.client.spec.describe()} "
                                    "yet: run `unkg build` with this store")
        return self.catalog.graphs

    def _dataset(self, union: bool, default: list[ox.NamedNode] | None,
                 named: list[ox.NamedNode] | None) -> dict[str, Any]:
        """The request's dataset: the served graphs for the union default graph; graphs the
        request names, less any that are not served; none when the query states its own."""
        served = self._graphs()
        if default is not None or named is not None:
            allowed = set(served)
            return {"graphs": [g.value for g in default or () if g.value in allowed] or [NONE],
                    "named": [g.value for g in named or () if g.value in allowed] or [NONE]}
        if union:
            return {"graphs": served, "named": served}
        return {}

    def query(self, query: str, *, base_iri: str | None = None,
              prefixes: Mapping[str, str] | None = None,
              use_default_graph_as_union: bool = False,
              default_graph: list[ox.NamedNode] | None = None,
              named_graphs: list[ox.NamedNode] | None = None,
              substitutions: Mapping[ox.Variable, Any] | None = None) -> Any:
        """Run ``query`` on the remote store: ``QuerySolutions`` (read lazily),
        ``QueryBoolean`` or ``QueryTriples``, as ``pyoxigraph.Store.query`` returns."""
        text = f"BASE <{base_iri}>\n" if base_iri else ""  # first: Virtuoso wants it so
        text += "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
        text += _substitute(query, substitutions) if substitutions else query
        form = inspect_query(query).form
        graph = form in ("CONSTRUCT", "DESCRIBE")
        dataset = self._dataset(use_default_graph_as_union, default_graph, named_graphs)
        timeout = self.timeout if self.deadline is None else max(
            self.deadline - time.monotonic(), 0.001)
        response = self.client.query(text, NTRIPLES if graph else RESULTS_XML, timeout=timeout,
                                     **dataset)
        if response.headers.get("X-SQL-State"):  # Virtuoso's partial "anytime" answer
            response.close()
            raise TimeoutError(f"the store stopped the query: {response.headers['X-SQL-State']}")
        fix = _VIRTUOSO_BNODE if self.client.spec.kind == "virtuoso" else None
        stream = _Stream(response, self.deadline, fix)
        if self.deadline is not None:  # one forwarded job's store: ``close`` ends its answers
            self.streams.append(stream)
        if not graph:
            results = ox.parse_query_results(cast(IO[bytes], stream),
                                             format=ox.QueryResultsFormat.XML)
            if form == "ASK" and isinstance(results, ox.QuerySolutions):
                return _boolean(results)
            return results
        lines: list[bytes] = []
        while self.max_triples is None or len(lines) < self.max_triples:
            line = stream.readline()
            if not line:
                break
            lines.append(line)
        response.close()
        triples = ox.Store()
        triples.load(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)
        return triples.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def named_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in self._graphs()]

    def __len__(self) -> int:
        """The quads of the served graphs (what ``len`` of an embedded store counts), counted
        once per version (Virtuoso takes 0.7 s on the corpus); the store is still asked, so a
        store that does not answer is reported."""
        graphs = self._graphs()
        if self._quads is None:
            rows = self.client.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                      graphs=graphs, named=graphs, timeout=self.timeout)
            self._quads = int(rows[0]["n"])
        elif served_version(self.client, timeout=self.timeout) is None:
            raise RemoteUnavailable(f"the {self.client.spec.describe()} serves nothing any more")
        return self._quads

    def close(self) -> None:
        """Close the answers still open (a capped one is left unread)."""
        for stream in self.streams:
            stream.response.close()
        self.streams.clear()


def _boolean(results: ox.QuerySolutions) -> ox.QueryBoolean:
    """Virtuoso answers ASK with a table of one variable, ``__ASK_RETVAL``: no row for false,
    a row holding 1 for true. The boolean, as pyoxigraph reads a standard answer."""
    true = any(s[0] is not None and s[0].value not in ("0", "false") for s in results)
    answer = ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if true else b"false"),
                                    format=ox.QueryResultsFormat.JSON)
    assert isinstance(answer, ox.QueryBoolean)
    return answer


def _substitute(query: str, substitutions: Mapping[ox.Variable, Any]) -> str:
    """``query`` with its variables bound by a VALUES block at the top of its WHERE clause
    (what pyoxigraph's ``substitutions`` do; only the server's own queries use it)."""
    names = " ".join(str(v) for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    at = query.find("WHERE {")
    at = at + len("WHERE {") if at >= 0 else query.index("{") + 1
    return f"{query[:at]} VALUES ({names}) {{ ({values}) }} {query[at:]}"


class RemoteLive(LiveStore):
    """The version the remote store serves, read when a request starts (one small query)
    and its graphs read again when it changes. While the store does not answer, the last
    version known stays current, and its queries fail with ``RemoteUnavailable`` (503)."""

    def __init__(self, spec: RemoteSpec, timeout: float) -> None:  # no directory to open
        self.client, self.timeout = Client(spec), timeout
        self._lock = threading.Lock()
        self._current = self._version(None)

    def _version(self, catalog: Catalog | None) -> Version:
        name = "unavailable" if catalog is None else catalog.version or "none"
        store = RemoteStore(self.client, catalog, self.timeout)
        return Version(Path(), name, cast(ox.Store, store), None)

    def current(self) -> Version:
        try:
            wanted = served_version(self.client, timeout=self.timeout)
            catalog = None if wanted == self._current.id else read_catalog(
                self.client, timeout=self.timeout)
        except OSError as error:  # down, hung or failing: keep the version known
            log.warning("%s", error)
            catalog = None
        with self._lock:
            if catalog is not None:
                old, self._current = self._current, self._version(catalog)
                old.drop()
                if catalog.version is not None:
                    compute_figures(self._current)
            return self._current.hold()


class RemotePool:
    """Stands in for ``server.pool.QueryPool``: forwards a job to the remote store from the
    request thread, at most ``size`` at once, each within ``timeout`` seconds."""

    def __init__(self, size: int, timeout: float) -> None:
        self.size, self.timeout = max(size, 1), timeout
        self._slots = threading.Semaphore(self.size)
        self._busy = 0
        self._lock = threading.Lock()

    def run(self, job: Job) -> Answer:
        if not self._slots.acquire(timeout=self.timeout):
            raise ServerBusy(self.timeout)
        with self._lock:
            self._busy += 1
        store = cast(RemoteStore, get_store()).bounded(job.row_limit + 1, self.timeout)
        try:
            return execute(cast(ox.Store, store), job)
        except RemoteUnavailable:
            raise
        except RemoteError as error:
            raise QueryFailed(str(error), syntax=error.status == 400) from None
        except (OSError, SyntaxError, ValueError) as error:
            if isinstance(error, TimeoutError) or any(s.timed_out for s in store.streams):
                raise QueryTimeout(self.timeout) from None
            raise QueryFailed(f"the store's answer could not be read: {error}",
                              syntax=False) from None
        finally:
            store.close()
            with self._lock:
                self._busy -= 1
            self._slots.release()

    def pids(self) -> list[int]:
        return []  # no worker processes: the store runs the queries

    def idle(self) -> int:
        with self._lock:
            return self.size - self._busy

    def close(self) -> None:
        """Nothing to stop."""


def ensure_built(setting: str, corpus: Path, jobs: int = 1) -> None:
    """``unkg serve`` on a remote store that serves nothing yet: build ``corpus`` into it
    first, extracted by ``jobs`` processes (a store that does not answer is served anyway, and
    answers 503 until it does)."""
    from graph.cli import UserError
    from graph.document import ReaderError
    from graph.jobs import JobError
    from graph.remote import BuildLocked, build_remote

    try:
        spec = parse_store(setting)
    except ValueError as error:
        raise UserError(f"--store: {error}") from None
    try:
        if served_version(Client(spec)) is not None:
            return
        log.info("the %s serves nothing yet: building %s first", spec.describe(), corpus)
        built = build_remote(corpus, spec, jobs=jobs)
    except (RemoteUnavailable, RemoteTimeout) as error:
        log.warning("%s", error)
        return
    except (ReaderError, RemoteError, BuildLocked, JobError) as error:
        raise UserError(str(error)) from None
    if built.report is not None:
        raise UserError(f"the build of {corpus} does not conform to the shapes: nothing served")
    log.info("built %d documents, %d triples, %d errors", built.summary.documents,
             built.summary.triples, len(built.summary.errors))


def _unavailable(error: RemoteUnavailable) -> Response:
    return error_response(503, "Store Unavailable", str(error),
                          {"Retry-After": str(RETRY_AFTER)})


def resources(setting: str, config: Mapping[str, Any]) -> Resources:
    """What ``server.store.init_app`` holds for a remote store (credentials from the
    environment, ``graph.remote``)."""
    spec = parse_store(setting)
    workers, timeout = int(config["QUERY_WORKERS"]), float(config["QUERY_TIMEOUT"])
    return Resources(None, None, workers, timeout, live=RemoteLive(spec, timeout),
                     _pool=cast(QueryPool, RemotePool(workers, timeout)))


def _slow(error: RemoteTimeout) -> Response:
    return error_response(503, "Query Timeout", str(error), {"Retry-After": str(RETRY_AFTER)})


def init_app(app: Flask) -> None:
    """Answer a store that does not answer, or not in time, with 503 wherever it is met."""
    app.register_error_handler(RemoteUnavailable, _unavailable)
    app.register_error_handler(RemoteTimeout, _slow)
