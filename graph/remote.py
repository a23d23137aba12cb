"""Remote SPARQL 1.1 stores: the store setting, an HTTP client, and builds into them.

**The setting.** ``--store`` / ``UNKG_STORE`` names an embedded Oxigraph directory (the
default, ``data/store``), ``memory`` (a throwaway store, for tests), or a remote service by
one URL whose scheme says which server it is, so that one value names its three endpoints::

    oxigraph+http://HOST:7878[/PREFIX]   query /query, update /update, Graph Store /store
    virtuoso+http://HOST:8890            query /sparql, update /sparql-auth,
                                         Graph Store /sparql-graph-crud-auth (digest auth;
                                         without credentials /sparql and /sparql-graph-crud)
    sparql+http://HOST/PATH?update=…&gsp=…   any other SPARQL 1.1 service: the URL is the
                                         query endpoint, ``update`` and ``gsp`` name the others

(``+https`` alike.) ``?query=``, ``?update=`` and ``?gsp=`` override any endpoint, relative
to the URL or absolute. Credentials come from ``UNKG_STORE_USER`` / ``UNKG_STORE_PASSWORD``
(HTTP basic or digest, as the server asks), never from the URL, so they stay out of logs and
process lists.

**What the remote store holds.** The served graphs under their own names (one per source
document, as in the embedded store), and a catalog graph, ``CATALOG``, naming the build
version served and the graphs that belong to it. Readers query with exactly those graphs as
their dataset (the SPARQL Protocol's ``default-graph-uri`` and ``named-graph-uri``: the
default graph is their union, as ``use_default_graph_as_union`` gives in the embedded store),
so they never see a build's staged graphs nor the server's own (Virtuoso keeps system graphs
in the same quad store).

**Builds** (``build_remote``) are incremental, like those of the embedded store. The version
served is copied into a temporary embedded store (``copy_served``: each served graph read with
one CONSTRUCT through the query endpoint, its triple count checked against the store's), the
corpus is built into that copy (``graph.build.build_corpus``: only the files whose SHA-256 or
extractor differ from the build record, which is one of the served graphs, are read; the graph
of a file that left the corpus is removed) and the whole copy is validated with the SHACL
shapes. Only the graphs that changed are then uploaded, through the Graph Store Protocol under
a staging name that carries the build's version (``urn:unkg:staging:V:G``), in chunks of
``CHUNK`` triples (PUT, then POST): a file's graph when its record entry changed (it was read
again), a graph no file owns (the record, the curated tables) when its content did. The staged
triple counts are checked against the local ones; then one SPARQL Update request moves every
staged graph over the served one, drops the graphs that are gone and rewrites the catalog, whose
list names the graphs uploaded and those kept. Oxigraph runs an update request as one
transaction, and its queries read a snapshot, so a reader sees the old state or the new;
Virtuoso commits an update request as one transaction too (what it guarantees readers is in
README, "Deployment"). A build stopped before the switch leaves the served graphs as they were;
its staged graphs are dropped by the next build.

**One build at a time** (``BuildLock``): a build first takes the store's lock, a node of the
catalog graph naming its holder and when it lapses, with a conditional update (``INSERT … WHERE
{ FILTER NOT EXISTS { any lock } }``), then reads the locks back: it holds the store only if
its own is the only one (two builds inserting at once both see two, and both let go and try
again after a random pause, so two never both hold it). The holder renews the lapse time every
quarter of ``LOCK_TTL`` while it runs, checks that it still holds the lock just before its
switch, and the switch request deletes the lock with the catalog's old version: switch and
release are one transaction. A second build waits (saying who holds the store) at most
``LOCK_WAIT`` seconds, then fails with ``BuildLocked``; a lock whose holder died lapses after
``LOCK_TTL`` and the next build removes it, saying whose it was. Times are the building
machines' clocks, which only need to agree to well within ``LOCK_TTL``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import random
import re
import secrets
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.client import HTTPResponse
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, cast

import pyoxigraph as ox

from graph.namespaces import BASE
from graph.store import graph_sizes, named_graphs

if TYPE_CHECKING:
    from graph.build import Recorded, VersionBuild

log = logging.getLogger("unkg.remote")
MEMORY = "memory"
CATALOG = str(BASE) + "graph/catalog"
VERSION = str(BASE) + "store#version"
GRAPH = str(BASE) + "store#graph"
LOCK = str(BASE) + "store#lock"  # the catalog -> the lock of the build running
HOLDER = str(BASE) + "store#holder"  # a lock -> who holds it (host, process)
UNTIL = str(BASE) + "store#until"  # a lock -> when it lapses unless renewed
LOCKS = "urn:unkg:lock:"
LOCK_TTL = 120.0  # seconds a build's lock lasts without being renewed
LOCK_WAIT = 600.0  # seconds a build waits for another to finish
STAGING = "urn:unkg:staging:"
CHUNK = 50_000  # triples per Graph Store request
TIMEOUT = 300.0  # seconds for one upload or update request
RETRIES = 5  # times an update rolled back for a conflict (SQLSTATE 40001) is sent again
ENDPOINTS = {  # kind -> (query, update, Graph Store) paths; virtuoso: without, with credentials
    "oxigraph": (("query", "update", "store"),) * 2,
    "virtuoso": (("sparql", "sparql", "sparql-graph-crud"),
                 ("sparql", "sparql-auth", "sparql-graph-crud-auth")),
}
_SCHEME = re.compile(r"^(oxigraph|virtuoso|sparql)\+(https?)://", re.IGNORECASE)
NTRIPLES = "application/n-triples"
RESULTS_XML = "application/sparql-results+xml"


class RemoteUnavailable(ConnectionError):
    """The remote store did not answer (refused, reset, timed out): a 503, not a bug."""


class RemoteTimeout(TimeoutError):
    """The remote store took longer than the time given to answer."""


class BuildLocked(OSError):
    """Another build holds the remote store (``BuildLock``)."""


class RemoteError(OSError):
    """The remote store answered with an error status; ``status`` and its message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"the store answered {status}: {message}")
        self.status = status


@dataclass(frozen=True)
class RemoteSpec:
    """Where a remote store's three endpoints are, and how to log in (picklable)."""

    kind: str
    query: str
    update: str
    gsp: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        return f"{self.kind} store at {self.query}"


def is_remote(value: str | os.PathLike[str] | None) -> bool:
    """Whether a store setting names a remote service rather than a directory."""
    return value is not None and bool(_SCHEME.match(str(value)))


def setting(value: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """The store setting: ``--store``, else ``UNKG_STORE``; None for the default directory."""
    return value or environ.get("UNKG_STORE") or None


def parse_store(value: str, environ: Mapping[str, str] = os.environ) -> RemoteSpec:
    """The endpoints a remote store setting names; ``ValueError`` with the reason if it is
    not one."""
    match = _SCHEME.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a remote store (oxigraph+http://, "
                         "virtuoso+http://, sparql+http://)")
    kind, url = match.group(1).lower(), value[len(match.group(1)) + 1:]
    parts = urllib.parse.urlsplit(url)
    if parts.username or parts.password:
        raise ValueError("put the store's credentials in UNKG_STORE_USER and "
                         "UNKG_STORE_PASSWORD, not in its URL")
    if not parts.hostname:
        raise ValueError(f"{value!r} names no host")
    try:
        overrides = dict(urllib.parse.parse_qsl(parts.query, strict_parsing=bool(parts.query)))
    except ValueError:
        raise ValueError(f"{value!r}: the part after '?' is not query=…&update=…&gsp=…") from None
    unknown = set(overrides) - {"query", "update", "gsp"}
    if unknown:
        raise ValueError(f"{value!r}: unknown setting {', '.join(sorted(unknown))} (query, "
                         "update, gsp)")
    user = environ.get("UNKG_STORE_USER") or None
    password = environ.get("UNKG_STORE_PASSWORD") or None
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    defaults: tuple[str, ...] = (base, base, "")  # sparql+: update at the query URL
    if kind != "sparql":
        paths = ENDPOINTS[kind][user is not None]
        defaults = tuple(urllib.parse.urljoin(base.rstrip("/") + "/", path) for path in paths)
    relative_to = base if kind == "sparql" else base.rstrip("/") + "/"
    query, update, gsp = (urllib.parse.urljoin(relative_to, overrides[name])
                          if name in overrides else default
                          for name, default in zip(("query", "update", "gsp"), defaults))
    return RemoteSpec(kind, query, update, gsp, user, password)


# ---------------------------------------------------------------------------------------------
# The client


class Client:
    """Requests to one remote store, with urllib (basic or digest authentication on demand).

    A server that wants credentials says so by refusing the first request (401) with a
    challenge; urllib then sends it again with them. Virtuoso answers that 401 and closes the
    connection before reading the request body, so an upload of megabytes meets a broken pipe
    instead: a request with a body is therefore sent with its credentials at once, computed by
    urllib's own digest (or basic) handler from a challenge fetched by a body-less request.
    """

    def __init__(self, spec: RemoteSpec) -> None:
        self.spec = spec
        handlers: list[urllib.request.BaseHandler] = []
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        self._challenges: dict[str, tuple[str, dict[str, str]] | None] = {}  # url -> challenge
        if spec.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {spec.query, spec.update, spec.gsp} - {""}:
                passwords.add_password(None, url, spec.user, spec.password or "")
            self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
            handlers += [self._digest, urllib.request.HTTPBasicAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def _challenge(self, url: str) -> tuple[str, dict[str, str]] | None:
        """The authentication scheme and challenge the server answers a body-less request to
        ``url`` with; None when it asks for none."""
        if url not in self._challenges:
            probe = urllib.request.Request(url, method="HEAD")
            header = ""
            try:
                urllib.request.urlopen(probe, timeout=30).close()
            except urllib.error.HTTPError as error:
                header = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
                error.close()
            except (urllib.error.URLError, OSError):
                return None  # the request itself will report it
            if not header:
                self._challenges[url] = None
                return None
            scheme, _, rest = header.partition(" ")
            items = urllib.request.parse_http_list(rest)
            self._challenges[url] = (scheme.lower(), urllib.request.parse_keqv_list(
                [item for item in items if "=" in item]))
        return self._challenges[url]

    def _authorize(self, request: urllib.request.Request) -> None:
        """Give a request with a body its credentials before it is sent (see the class)."""
        if self._digest is None or request.data is None:
            return
        found = self._challenge(request.full_url.split("?")[0])
        if found is None:
            return
        scheme, challenge = found
        if scheme == "digest":
            value = self._digest.get_authorization(request, challenge)
            if value:
                request.add_unredirected_header("Authorization", f"Digest {value}")
        elif scheme == "basic":
            token = f"{self.spec.user}:{self.spec.password or ''}".encode("utf-8")
            request.add_unredirected_header(
                "Authorization", "Basic " + base64.b64encode(token).decode("ascii"))

    def _open(self, request: urllib.request.Request, timeout: float) -> HTTPResponse:
        try:
            self._authorize(request)
            response = self._opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            body = error.read(4000).decode("utf-8", "replace").strip()
            error.close()
            raise RemoteError(error.code, body or str(error.reason)) from None
        except (urllib.error.URLError, OSError) as error:
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            if isinstance(reason, TimeoutError):
                raise RemoteTimeout(f"the {self.spec.describe()} did not answer within "
                                    f"{timeout:g} s") from None
            raise RemoteUnavailable(f"the {self.spec.describe()} does not answer: "
                                    f"{reason}") from None
        return response  # type: ignore[no-any-return]

    def query(self, query: str, accept: str, *, graphs: Iterable[str] | None = None,
              named: Iterable[str] | None = None, timeout: float = TIMEOUT) -> HTTPResponse:
        """Send a query (POST form); the open response, to be read as a stream and closed.
        ``graphs`` and ``named`` are the request's dataset (default and named graphs): the
        Protocol's parameters, or for Virtuoso the ``define input:…`` pragmas it turns them
        into, since it echoes each parameter in a response header, and Python's HTTP client
        refuses a response of more than 100 headers."""
        if self.spec.kind == "virtuoso":
            query = "".join([f"define input:default-graph-uri {_iri(g)}\n" for g in graphs or ()]
                            + [f"define input:named-graph-uri {_iri(g)}\n" for g in named or ()]
                            ) + query
            graphs = named = None
        fields = [("query", query)]
        fields += [("default-graph-uri", g) for g in graphs or ()]
        fields += [("named-graph-uri", g) for g in named or ()]
        request = urllib.request.Request(
            self.spec.query, data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Accept": accept,
                     "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        return self._open(request, timeout)

    def select(self, query: str, *, graphs: Iterable[str] | None = None,
               named: Iterable[str] | None = None,
               timeout: float = TIMEOUT) -> list[dict[str, str]]:
        """The rows of a small SELECT query, as the values of their terms."""
        with self.query(query, RESULTS_XML, graphs=graphs, named=named,
                        timeout=timeout) as response:
            results = ox.parse_query_results(response, format=ox.QueryResultsFormat.XML)
            assert isinstance(results, ox.QuerySolutions)
            names = [v.value for v in results.variables]
            return [{n: s[n].value for n in names if s[n] is not None} for s in results]

    def update(self, update: str, *, timeout: float = TIMEOUT) -> None:
        """Run a SPARQL Update request (one request: one transaction where the server has
        them). A transaction the store rolled back for a conflict with another (SQLSTATE
        40001, Virtuoso's "Transaction deadlocked" when two builds contend for the lock) is
        sent again, at most ``RETRIES`` times, after a short random pause."""
        for attempt in range(RETRIES + 1):
            request = urllib.request.Request(
                self.spec.update, data=urllib.parse.urlencode({"update": update}).encode("utf-8"),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            try:
                self._open(request, timeout).close()
                return
            except RemoteError as error:
                if "40001" not in str(error) or attempt == RETRIES:
                    raise
            time.sleep(random.uniform(0.01, 0.1) * (attempt + 1))

    def upload(self, graph: str, data: bytes, *, replace: bool,
               timeout: float = TIMEOUT) -> None:
        """Send N-Triples to a named graph through the Graph Store Protocol: PUT replaces
        the graph, POST adds to it."""
        if not self.spec.gsp:
            raise RemoteError(0, f"no Graph Store endpoint for the {self.spec.describe()}; "
                                 "give one with ?gsp=URL")
        separator = "&" if "?" in self.spec.gsp else "?"
        url = f"{self.spec.gsp}{separator}{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=data, method="PUT" if replace else "POST",
                                         headers={"Content-Type": NTRIPLES})
        self._open(request, timeout).close()


# ---------------------------------------------------------------------------------------------
# The catalog: which version is served and which graphs belong to it


@dataclass(frozen=True)
class Catalog:
    """The version a remote store serves and its graphs (``version`` None: nothing built)."""

    version: str | None
    graphs: tuple[str, ...] = ()


def served_version(client: Client, *, timeout: float = TIMEOUT) -> str | None:
    """The id of the version the store serves (one tiny query), ``None`` before any build."""
    rows = client.select(f"SELECT ?v WHERE {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{VERSION}> ?v }} }}",
                         timeout=timeout)
    return rows[0]["v"] if rows else None


def read_catalog(client: Client, *, timeout: float = TIMEOUT) -> Catalog:
    """The served version and its graphs, read in one query."""
    rows = client.select(f"SELECT ?v ?g WHERE {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{VERSION}> ?v "
                         f"OPTIONAL {{ <{CATALOG}> <{GRAPH}> ?g }} }} }}", timeout=timeout)
    if not rows:
        return Catalog(None)
    return Catalog(rows[0]["v"], tuple(sorted({r["g"] for r in rows if "g" in r})))


def staged_name(version: str, graph: str) -> str:
    """The name a graph is uploaded under before the switch."""
    return f"{STAGING}{version}:{graph}"


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))  # raises ValueError for anything that is not an IRI


def switch_update(version: str, graphs: Iterable[str], drop: Iterable[str],
                  keep: Iterable[str], lock: str | None = None) -> str:
    """The one update request that serves ``version``: its staged ``graphs`` moved over the
    served ones, ``drop`` removed, the catalog naming ``graphs`` and ``keep``, and the build's
    ``lock`` (``BuildLock.node``) released. The catalog's old version and list are deleted,
    not its graph, which holds the lock."""
    graphs = sorted(graphs)
    operations = [f"MOVE SILENT GRAPH {_iri(staged_name(version, g))} TO GRAPH {_iri(g)}"
                  for g in graphs]
    operations += [f"DROP SILENT GRAPH {_iri(g)}" for g in sorted(drop)]
    operations += [f"DELETE WHERE {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{term}> ?old }} }}"
                   for term in (VERSION, GRAPH)]
    if lock is not None:
        operations += _unlock(lock)
    listed = " , ".join(_iri(g) for g in sorted(set(graphs) | set(keep)))
    operations += [f"INSERT DATA {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{VERSION}> "
                   f"{ox.Literal(version)} ; <{GRAPH}> {listed} . }} }}"]
    return " ;\n".join(operations)


# ---------------------------------------------------------------------------------------------
# The lock: one build at a time


@dataclass(frozen=True)
class Held:
    """A lock found in the catalog: its node, holder and when it lapses."""

    node: str
    holder: str
    until: datetime | None

    def describe(self) -> str:
        until = self.until.isoformat(timespec="seconds") if self.until else "an unknown time"
        return f"{self.holder} (its lock lapses at {until} unless renewed)"


def _unlock(node: str) -> list[str]:
    """The update operations that remove the lock ``node`` (none if it is gone)."""
    return [f"DELETE WHERE {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{LOCK}> {_iri(node)} }} }}",
            f"DELETE WHERE {{ GRAPH <{CATALOG}> {{ {_iri(node)} ?p ?o }} }}"]


def _timestamp(moment: datetime) -> str:
    return str(ox.Literal(moment.isoformat(), datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#dateTime")))


def read_locks(client: Client) -> list[Held]:
    """Every lock the catalog holds (one, or none, but for two builds inserting at once)."""
    rows = client.select(f"SELECT ?lock ?holder ?until WHERE {{ GRAPH <{CATALOG}> {{ "
                         f"<{CATALOG}> <{LOCK}> ?lock OPTIONAL {{ ?lock <{HOLDER}> ?holder }} "
                         f"OPTIONAL {{ ?lock <{UNTIL}> ?until }} }} }}")
    locks = {}
    for row in rows:
        try:
            until: datetime | None = datetime.fromisoformat(row["until"])
        except (KeyError, ValueError):
            until = None
        locks[row["lock"]] = Held(row["lock"], row.get("holder", "a build"), until)
    return sorted(locks.values(), key=lambda held: held.node)


class BuildLock:
    """The lock of one build into a remote store (the module's "One build at a time").

    ``with BuildLock(client): build()`` waits at most ``wait`` seconds for another build and
    raises ``BuildLocked`` if it does not finish; the lock is renewed while the block runs and
    released when it ends (or by the switch, ``switch_update(lock=node)``)."""

    def __init__(self, client: Client, *, ttl: float = LOCK_TTL, wait: float = LOCK_WAIT,
                 holder: str | None = None) -> None:
        self.client, self.ttl, self.wait = client, ttl, wait
        self.node = LOCKS + secrets.token_hex(8)
        self.holder = holder or f"unkg build on {socket.gethostname()}, process {os.getpid()}"
        self.held = False
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _until(self) -> str:
        return _timestamp(datetime.now(timezone.utc) + timedelta(seconds=self.ttl))

    def try_acquire(self) -> list[Held]:
        """Insert this lock unless there is one, read the locks back; ``[]`` when this build
        now holds the store, else the other locks (expired ones are removed, and said so)."""
        self.client.update(
            f"INSERT {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{LOCK}> {_iri(self.node)} . "
            f"{_iri(self.node)} <{HOLDER}> {ox.Literal(self.holder)} ; <{UNTIL}> "
            f"{self._until()} }} }} WHERE {{ FILTER NOT EXISTS {{ GRAPH <{CATALOG}> {{ "
            f"<{CATALOG}> <{LOCK}> ?other }} }} }}")
        locks = read_locks(self.client)
        others = [held for held in locks if held.node != self.node]
        if not others and len(locks) == 1:
            self.held = True
            self._renewer = threading.Thread(target=self._renew, daemon=True,
                                             name="unkg-build-lock")
            self._renewer.start()
            return []
        if len(locks) > len(others):  # two inserted at once: both let go
            self.client.update(" ;\n".join(_unlock(self.node)))
        now = datetime.now(timezone.utc)
        for held in others:
            if held.until is not None and held.until < now:
                log.warning("%s: removing the lock of %s, which lapsed at %s (a build that "
                            "died?)", self.client.spec.describe(), held.holder,
                            held.until.isoformat(timespec="seconds"))
                self.client.update(" ;\n".join(_unlock(held.node)))
        return [held for held in others if held.until is None or held.until >= now]

    def acquire(self) -> None:
        """Hold the store, waiting for another build at most ``wait`` seconds."""
        deadline = time.monotonic() + self.wait
        said = False
        while True:
            others = self.try_acquire()
            if self.held:
                return
            if others and time.monotonic() >= deadline:
                raise BuildLocked(f"another build holds the {self.client.spec.describe()}: "
                                  f"{others[0].describe()}; waited {self.wait:g} s")
            if others and not said:
                log.warning("%s: another build holds it, %s; waiting for it (at most %g s)",
                            self.client.spec.describe(), others[0].describe(), self.wait)
                said = True
            time.sleep(min(1.0, max(self.wait, 0.05)) * random.uniform(0.5, 1.0))

    def _renew(self) -> None:
        client = Client(self.client.spec)  # its own: urllib's digest handler counts its nonces
        while not self._stop.wait(self.ttl / 4):
            try:
                client.update(
                    f"DELETE {{ GRAPH <{CATALOG}> {{ {_iri(self.node)} <{UNTIL}> ?old }} }} "
                    f"INSERT {{ GRAPH <{CATALOG}> {{ {_iri(self.node)} <{UNTIL}> "
                    f"{self._until()} }} }} WHERE {{ GRAPH <{CATALOG}> {{ "
                    f"{_iri(self.node)} <{UNTIL}> ?old }} }}", timeout=self.ttl / 4)
            except OSError as error:  # check() says whether the lock survived
                log.warning("could not renew the build's lock: %s", error)

    def check(self) -> None:
        """Raise ``BuildLocked`` unless this build still holds the store (its lock lapsed and
        another build took it): called right before the switch."""
        locks = read_locks(self.client)
        if [held.node for held in locks] != [self.node]:
            others = [held.describe() for held in locks if held.node != self.node]
            raise BuildLocked(f"this build lost its lock on the {self.client.spec.describe()}"
                              f" ({'; '.join(others) or 'removed'}): nothing was switched")

    def release(self, *, switched: bool = False) -> None:
        """Stop renewing and remove the lock (``switched``: the switch removed it)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        if self.held and not switched:
            self.client.update(" ;\n".join(_unlock(self.node)))
        self.held = False

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            self.release()
        except OSError as failure:
            if error is None:
                raise
            log.warning("could not release the build's lock: %s", failure)


# ---------------------------------------------------------------------------------------------
# Builds


def chunks(store: ox.Store, graph: str, size: int = CHUNK) -> Iterator[bytes]:
    """The triples of one graph of ``store`` as N-Triples, ``size`` at a time. A graph holding
    blank nodes goes in one piece: a server gives the same label in two requests two nodes."""
    node = ox.NamedNode(graph)
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, node)]
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
           for t in triples):
        size = max(len(triples), 1)
    for start in range(0, max(len(triples), 1), size):
        yield cast(bytes, ox.serialize(triples[start:start + size],
                                       format=ox.RdfFormat.N_TRIPLES))


def staged_graphs(client: Client) -> dict[str, int]:
    """Every staged graph in the store (of any build) with its triple count."""
    rows = client.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                         f"FILTER(STRSTARTS(STR(?g), \"{STAGING}\")) }} GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}


def upload(client: Client, store: ox.Store, version: str, graphs: Iterable[str],
           progress: bool = False) -> None:
    """Upload ``graphs`` of the local ``store`` under their staging names, then check that
    the store holds every triple of each (``RemoteError`` if not)."""
    graphs = list(graphs)
    todo: Iterable[str] = graphs
    if progress:
        from tqdm import tqdm
        todo = tqdm(graphs, desc="uploading", unit="graph")
    expected = {}
    for graph in todo:
        name = staged_name(version, graph)
        expected[name] = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        for number, data in enumerate(chunks(store, graph)):
            client.upload(name, data, replace=number == 0)
    found = staged_graphs(client)
    wrong = {g: (n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n}
    if wrong:
        graph, (want, got) = sorted(wrong.items())[0]
        raise RemoteError(0, f"{len(wrong)} staged graphs are incomplete, e.g. {graph}: "
                             f"{got} of {want} triples; nothing was switched")


def remove_staged(client: Client) -> list[str]:
    """Drop staged graphs left by builds that did not switch (called under the lock, so no
    other build is uploading)."""
    names = list(staged_graphs(client))
    if names:
        client.update(" ;\n".join(f"DROP SILENT GRAPH {_iri(g)}" for g in names))
    return names


def served_sizes(client: Client, graphs: Iterable[str]) -> dict[str, int]:
    """The triple count of each of ``graphs`` in the remote store (absent: empty)."""
    graphs = list(graphs)
    if not graphs:
        return {}
    rows = client.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                         named=graphs)
    return {row["g"]: int(row["n"]) for row in rows}


def copy_served(client: Client, store: ox.Store, *, attempts: int = 3) -> Catalog:
    """Copy every graph of the version the remote store serves into the empty local ``store``
    (one CONSTRUCT per graph, through the query endpoint only); the catalog copied.

    Each graph's triple count is checked against the store's, so that an answer the store cut
    short (Virtuoso's ``ResultSetMaxRows``) is an error, not a smaller graph. A build switching
    while the copy is made starts it again (at most ``attempts`` times)."""
    for _ in range(attempts):
        catalog = read_catalog(client)
        if catalog.version is None:
            return catalog
        for graph in catalog.graphs:
            with client.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} "
                              "{ ?s ?p ?o } }", NTRIPLES) as response:
                # load, not bulk_load, which writes files at each call: the copy of the
                # corpus's 59 graphs from an Oxigraph server took 8.2 s with it, 2.9 s without
                store.load(response, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
        sizes = served_sizes(client, catalog.graphs)
        if served_version(client) == catalog.version:
            break
        store.clear()
    else:
        raise RemoteError(0, f"the {client.spec.describe()} switched versions during each of "
                             f"{attempts} attempts to copy the one it serves")
    copied = graph_sizes(store)
    short = {g: (n, copied.get(g, 0)) for g, n in sizes.items() if copied.get(g, 0) != n}
    if short:
        graph, (want, got) = sorted(short.items())[0]
        raise RemoteError(0, f"the {client.spec.describe()} sent {got} of the {want} triples of "
                             f"{graph} (and {len(short) - 1} more graphs short): raise its "
                             "limit on the rows of an answer (Virtuoso: ResultSetMaxRows)")
    return catalog


def _digest(store: ox.Store, graph: str) -> str:
    """The SHA-256 of a local graph's sorted N-Triples: equal digests, equal graphs. Blank
    nodes are given canonical labels first (rdflib's ``to_canonical_graph``), since a build
    labels them anew each time."""
    data = cast(bytes, ox.serialize(
        (q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))),
        format=ox.RdfFormat.N_TRIPLES))
    if b"_:" in data:  # or a literal holding it: canonical labels are then only slower
        from rdflib import Graph
        from rdflib.compare import to_canonical_graph

        canonical = to_canonical_graph(Graph().parse(data=data, format="nt"))
        data = canonical.serialize(format="nt", encoding="utf-8")
    return hashlib.sha256(b"\n".join(sorted(data.splitlines()))).hexdigest()


def _unowned(store: ox.Store, record: Mapping[str, Recorded]) -> dict[str, str]:
    """The digest of every graph of ``store`` that no file of ``record`` owns (the build
    record, the curated tables): such a graph changes with no file of its own changing."""
    owned = {entry.graph for entry in record.values()}
    return {graph: _digest(store, graph) for graph in named_graphs(store) if graph not in owned}


def changed_graphs(store: ox.Store, before: Mapping[str, Recorded], unowned: Mapping[str, str],
                   served: Iterable[str]) -> list[str]:
    """The graphs of ``store`` a build into it changed: not ``served`` before; a file's graph
    whose record entry is not the one of ``before`` (the file was read again); another graph
    whose content differs from its digest in ``unowned`` (taken before the build)."""
    from graph.build import read_record

    record = read_record(store)
    same = {entry.graph for name, entry in record.items() if before.get(name) == entry}
    owned = {entry.graph for entry in record.values()}
    served = set(served)
    return [graph for graph in named_graphs(store)
            if graph not in served or (graph not in same if graph in owned
                                       else _digest(store, graph) != unowned.get(graph))]


def validation_cache(spec: RemoteSpec) -> Path | None:
    """Where builds into the store ``spec`` names keep what the validation of each graph found
    (``graph.validate_graphs.Cache``, keyed by the SHA-256 of what it read or, for a graph the
    build record vouches for, by that record's entry: a copy of it only ever serves a build of
    the same graphs): a file per store in the user's cache directory (``XDG_CACHE_HOME``, else
    ``~/.cache``), since the remote store has no directory of its own here; ``None`` where
    that cannot be written (every graph is then validated)."""
    directory = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "unkg"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    name = hashlib.sha256(spec.query.encode("utf-8")).hexdigest()[:16]
    return directory / f"validation-{name}.json" if os.access(directory, os.W_OK) else None


def build_remote(corpus: str | Path, spec: RemoteSpec, *, validate: bool = True,
                 fresh: bool = False, progress: bool = False,
                 build_time: datetime | None = None, jobs: int = 1,
                 scheduler: str | None = None, wait: float | None = None) -> VersionBuild:
    """Build ``corpus`` into the remote store and switch its readers to it.

    Under the store's lock (``BuildLock``, waiting at most ``wait`` seconds, ``LOCK_WAIT`` by
    default, for another build), the served version is copied (``fresh``: not) and the corpus
    built into the copy incrementally by ``jobs`` processes or the Dask cluster at
    ``scheduler``, as ``unkg build`` builds the embedded store (a file that cannot be read
    keeps its graph; the graph of a file that left the corpus goes), validated whole, then
    only the graphs that changed are uploaded and switched in. Returns a
    ``graph.build.VersionBuild``: ``version`` None and ``report`` set when the shapes refused
    the build (nothing was uploaded).
    """
    from graph.build import VersionBuild, build_checked, read_record
    from graph.document import ReaderError
    from graph.store import _new_version_id

    if not Path(corpus).is_dir():
        raise ReaderError(f"{corpus}: no such corpus directory")
    client = Client(spec)
    with BuildLock(client, wait=LOCK_WAIT if wait is None else wait) as lock, \
            tempfile.TemporaryDirectory(prefix="unkg-remote-build-") as directory:
        store = ox.Store(directory)
        before = read_catalog(client) if fresh else copy_served(client, store)
        record = read_record(store)
        unowned = _unowned(store, record)
        summary, report = build_checked(corpus, store, validate=validate, build_time=build_time,
                                        progress=progress, jobs=jobs, scheduler=scheduler,
                                        cache=validation_cache(spec))
        if report is not None:
            return VersionBuild(summary, None, before.version, report)
        graphs = named_graphs(store)
        changed = changed_graphs(store, record, unowned, before.graphs)
        version = _new_version_id()
        remove_staged(client)
        upload(client, store, version, changed, progress)
        del store
        lock.check()
        client.update(switch_update(version, changed, set(before.graphs) - set(graphs),
                                    set(graphs) - set(changed), lock=lock.node))
        lock.release(switched=True)
    log.info("%s now serves version %s (%d graphs uploaded, %d kept)", spec.describe(), version,
             len(changed), len(graphs) - len(changed))
    return VersionBuild(summary, version, before.version)
