"""Scale: the example queries, /lookup, DESCRIBE, a resource page and a tiny query at about 1M
and 10M quads, through ``unkg serve`` and through Oxigraph's own server, interleaved in one run.

    pip install -e '.[bench]'          # the ``oxigraph`` command (PyPI ``oxigraph``)
    python bench/scale.py                                   # 1M and 10M quads, 20 rounds
    python bench/scale.py --sizes 1000000 3000000 --rounds 10 --out bench/scale-results.json
    python bench/scale.py --workdir /var/tmp/unkg-scale     # keep the stores and reuse them
    python bench/scale.py --quick                           # everything runs (~200k quads)

**Data.** The corpus is built with ``unkg build`` into a temporary store. Its N-Quads are then
replicated: replica 0 is the corpus as built, replica ``k`` > 0 is every named graph with
``r{k}/`` inserted after the instance base in every instance IRI (the graph names too:
``https://w3id.org/unkg/r17/res/ga/70/174``), blank nodes renamed apart. Shared, so every
replica points at the same nodes: the ontology's terms (``unkg:``) and the IRIs the curated
reference graph describes (organizations, treaties with their UNTS numbers, sources), whose
graph is loaded once. Literals are not changed, so a query naming a symbol ("A/RES/70/174",
"46/152") finds it in every replica and its answer grows with the graph, as it would with a
corpus that large. The copies are streamed into Oxigraph's bulk loader (``Store.bulk_load``)
in a subprocess that reports its time and peak memory; the replicated store's statistics are
then counted by the code a build runs once its data is complete (``graph.statistics.derive``:
the corpus build's own statistics graph is not replicated), ``Store.optimize`` compacts the
store and ``Store.backup`` checkpoints it into a second directory for the native server, which
so answers over the same statistics graph.

**Servers.** ``unkg serve`` (``--store`` the first directory, a loopback port, defaults but a
longer timeout, a row cap above every answer and ``--cache-mb 0``: every request is computed)
and ``oxigraph serve-read-only --location <copy> --bind 127.0.0.1:PORT --union-default-graph``
run side by side, with a second ``unkg serve`` on the same store with its answer cache
(``server/answers.py``, its default budget): the ``cached`` column, a request asked again.

**Requests.** Each probe is one request to ``unkg serve`` and its counterpart on the native
server, which answers the same SPARQL over the same data:

* every example query of ``server/queries/`` (the native server gets the project's PREFIX
  lines, which ``unkg serve`` predeclares), POSTed as a form, SPARQL JSON;
* ``tiny query``: one triple pattern with a constant subject (the fixed cost of a request);
* ``DESCRIBE`` of a resolution, as N-Triples;
* ``/lookup?symbol=``: the 303 redirect; native: the SPARQL the lookup runs (captured from
  ``server.pages.by_symbol`` on the same store);
* ``resource page (HTML)`` of a resolution; native: the SPARQL queries the page runs
  (captured from ``server.pages`` on the same store), sent one after another on one connection.
  The ratio is then what the page costs beyond getting its data from a SPARQL server.

Before anything is sent, the ``unkg serve`` processes are left to finish their start-up work
(reading the /stats figures of the version in the background) until they are idle. One warm-up pass
checks that both servers give the same answers (same rows, same triples, same
redirect target) and fills the cache of the cached server (its answer must be the cold one's).
Then ``--rounds`` rounds, each sending every probe to the three servers, probes in a shuffled
order and the order of the servers drawn each time (seeded), one request at a time over
keep-alive connections; the cached server's answers must say ``X-Cache: hit``. A probe whose time on either server passes
``--probe-budget`` seconds stops after at least 3 rounds, and a size stops after
``--size-budget`` seconds, so every loop ends. p50 and p95 are nearest-rank over the rounds.

Everything runs on 127.0.0.1 and the servers are stopped and the temporary directories
removed at the end (``--workdir`` keeps the stores and reuses them on the next run; ``--rebuild``
rebuilds them). Exit status 0 when every answer agreed, nothing failed and the cached server
answered every measured request from its cache (``/lookup``, a redirect, is not cached); 1
otherwise; the goals are reported, not asserted.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procstat import children, status_kb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

HOST = "127.0.0.1"  # loopback only: nothing here sends a request anywhere else
DEFAULT_SIZES = (1_000_000, 10_000_000)
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
REFERENCE_GRAPH_PATH = "graph/reference"
RESOURCE = "res/ga/70/174"           # page, DESCRIBE and tiny query: a resolution of replica 0
SYMBOL = "A/RES/70/174"               # /lookup
MARK_IRI, MARK_BLANK = "\x00", "\x01"  # never raw in N-Quads (the serializer escapes them)
SERVER_TIMEOUT = 120.0                # seconds: both servers' query timeout
CLIENT_TIMEOUT = SERVER_TIMEOUT + 30


# ---------------------------------------------------------------------------------------------
# Replication


@dataclass
class Template:
    """The corpus as N-Quads text with markers where a replica's prefix goes."""

    replicated: str      # every quad of every replicated graph, one per line, with markers
    shared: str          # the reference graph, loaded once
    replicated_quads: int
    shared_quads: int


def _default_base() -> str:
    from graph.namespaces import BASE
    return str(BASE)


def _ontology() -> str:
    from graph.namespaces import UNKG
    return str(UNKG)


def make_template(quads: Iterable[ox.Quad], base: str | None = None,
                  ontology: str | None = None) -> Template:
    """Split ``quads`` into the shared reference graph and a template of the rest in which
    every instance IRI (under ``base``, not an ontology term, not described by the reference
    graph) and every blank node carries a marker that ``replica`` fills in."""
    from graph.statistics import GRAPH as STATISTICS

    base = base or _default_base()
    ontology = ontology or _ontology()
    # The corpus build's statistics count the corpus: the replicated store counts its own.
    quads = [q for q in quads if not (isinstance(q.graph_name, ox.NamedNode)
                                      and q.graph_name.value == STATISTICS)]
    reference = base + REFERENCE_GRAPH_PATH
    shared_iris = {q.subject.value for q in quads
                   if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == reference
                   and isinstance(q.subject, ox.NamedNode)}

    def term(t: Any) -> str:
        if isinstance(t, ox.NamedNode):
            iri = t.value
            if iri.startswith(base) and not iri.startswith(ontology) and iri not in shared_iris:
                return f"<{MARK_IRI}{iri[len(base):]}>"
            return str(t)
        if isinstance(t, ox.BlankNode):
            return f"_:{MARK_BLANK}{t.value}"
        return str(t)

    replicated: list[str] = []
    shared: list[str] = []
    for q in quads:
        graph = q.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value == reference:
            shared.append(f"{q.subject} {q.predicate} {q.object} {graph} .\n")
        else:
            where = "" if isinstance(graph, ox.DefaultGraph) else " " + term(graph)
            replicated.append(f"{term(q.subject)} {q.predicate} {term(q.object)}{where} .\n")
    return Template("".join(replicated), "".join(shared), len(replicated), len(shared))


def replica(template: Template, k: int, base: str | None = None) -> str:
    """Replica ``k`` of the template as N-Quads: 0 keeps the instance IRIs, ``k`` > 0 puts
    ``r{k}/`` after the base."""
    base = base or _default_base()
    prefix = base if k == 0 else f"{base}r{k}/"
    return (template.replicated.replace(MARK_IRI, prefix)
            .replace(MARK_BLANK, f"r{k}x"))


def copies_for(template: Template, quads: int) -> int:
    """How many replicas make about ``quads`` quads (at least one)."""
    return max(1, round((quads - template.shared_quads) / max(template.replicated_quads, 1)))


class _Stream(io.RawIOBase):
    """A readable byte stream over an iterator of byte strings (fed to the bulk loader so
    the whole replicated text never sits in memory)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._chunk:
            try:
                self._chunk = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._chunk))
        buffer[:n] = self._chunk[:n]
        self._chunk = self._chunk[n:]
        return n


def load_replicas(store: ox.Store, template: Template, copies: int,
                  base: str | None = None) -> None:
    """Bulk-load the shared graph and ``copies`` replicas into ``store``."""
    def chunks() -> Iterator[bytes]:
        yield template.shared.encode()
        for k in range(copies):
            yield replica(template, k, base).encode()
    stream = io.BufferedReader(_Stream(chunks()), buffer_size=1 << 20)
    store.bulk_load(stream, format=ox.RdfFormat.N_QUADS)


def replicate(source: Path, target: Path, quads: int) -> dict[str, Any]:
    """Replicate the store at ``source`` into a new plain Oxigraph directory ``target``,
    then count its statistics as a build does once its data is complete
    (``graph.statistics.derive``, what ``graph.build.build_corpus`` runs)."""
    from graph.statistics import derive
    from graph.store import open_store

    started = time.perf_counter()
    template = make_template(open_store(source, read_only=True))
    copies = copies_for(template, quads)
    store = ox.Store(str(target))
    load_replicas(store, template, copies)
    loaded = time.perf_counter()
    derive(store)
    derived = time.perf_counter()
    store.optimize()
    store.flush()
    count = len(store)
    del store
    done = time.perf_counter()
    return {"copies": copies, "quads": count, "load_s": round(loaded - started, 1),
            "statistics_s": round(derived - loaded, 1),
            "optimize_s": round(done - derived, 1), "total_s": round(done - started, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "corpus_quads": template.replicated_quads + template.shared_quads}


def _run_measured(command: list[str], **kwargs: Any) -> tuple[int, float, float, str]:
    """Run ``command``; its exit status, wall seconds, peak RSS (MB) and stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, **kwargs)
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda: out.append(process.stdout.read())),  # type: ignore[union-attr]
               threading.Thread(target=lambda: err.append(process.stderr.read()))]  # type: ignore[union-attr]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    if process.returncode:
        sys.stderr.write("".join(err)[-3000:])
    return (process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024,
            "".join(out))


def _du_mb(path: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return round(total / 2**20)


def _check_disk(where: Path, sizes: list[int]) -> None:
    """Refuse to start when the stores may not fit (about 400 bytes a quad, twice over for the
    checkpoint to be safe, plus 2 GB)."""
    free = shutil.disk_usage(where).free
    needed = sum(sizes) * 400 * 2 + 2 * 2**30
    print(f"disk: {free / 2**30:.1f} GB free at {where}, about {needed / 2**30:.1f} GB needed",
          file=sys.stderr)
    if free < needed:
        raise SystemExit(f"not enough disk space at {where}: {free / 2**30:.1f} GB free, "
                         f"{needed / 2**30:.1f} GB needed")


def prepare(workdir: Path, sizes: list[int], rebuild: bool) -> dict[str, Any]:
    """The corpus store and one replicated store (plus its native copy) per size."""
    info: dict[str, Any] = {"sizes": {}}
    corpus = workdir / "corpus"
    stamp = workdir / "corpus.json"
    if rebuild or not stamp.is_file():
        shutil.rmtree(corpus, ignore_errors=True)
        print("building the corpus (unkg build) ...", file=sys.stderr, flush=True)
        status, seconds, rss, _ = _run_measured(
            [sys.executable, "-m", "graph.cli", "--store", str(corpus), "build", "-q",
             str(ROOT / "corpus")], cwd=ROOT)
        if status:
            raise SystemExit(f"unkg build failed ({status})")
        stamp.write_text(json.dumps({"build_s": round(seconds, 1), "peak_rss_mb": round(rss)}))
        rebuild = True
    info["corpus_build"] = json.loads(stamp.read_text())
    for size in sizes:
        folder = workdir / f"q{size}"
        done = folder / "replica.json"
        if rebuild or not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            print(f"replicating to about {size:,} quads ...", file=sys.stderr, flush=True)
            status, seconds, rss, out = _run_measured(
                [sys.executable, __file__, "_replicate", str(corpus), str(folder / "unkg"),
                 str(size)], cwd=ROOT)
            if status:
                raise SystemExit(f"replication to {size} quads failed ({status})")
            record = json.loads(out.strip().splitlines()[-1])
            record["wall_s"] = round(seconds, 1)
            record["peak_rss_mb"] = round(rss)
            started = time.perf_counter()
            store = ox.Store.read_only(str(folder / "unkg"))
            store.backup(str(folder / "native"))
            del store
            record["copy_s"] = round(time.perf_counter() - started, 1)
            record["disk_mb"] = _du_mb(folder / "unkg")
            done.write_text(json.dumps(record))
        info["sizes"][size] = json.loads(done.read_text())
        print(f"  {size:,}: {info['sizes'][size]}", file=sys.stderr, flush=True)
    return info


# ---------------------------------------------------------------------------------------------
# Servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, ValueError, IndexError):
        return 0.0


class Server:
    name = ""
    process: subprocess.Popen[str]
    port: int

    def cpu_s(self) -> float:
        """CPU seconds used so far by the server and its live child processes (query
        workers): what a request costs whatever else the machine is doing."""
        return sum(_cpu_s(p) for p in self._tree())

    def wait_quiet(self, *, idle_cpu_s: float = 0.1, every_s: float = 3.0,
                   most_s: float = 1800.0) -> float:
        """Wait until the server has finished what it does after starting (``unkg serve``
        prepares the /stats figures of the store in the background: minutes of a core at 10M
        quads when it had to count them, before builds stored them) -- until it uses under
        ``idle_cpu_s`` of CPU
        in ``every_s`` seconds, at most ``most_s``; the seconds it took."""
        started = time.monotonic()
        used = self.cpu_s()
        while time.monotonic() - started < most_s:
            time.sleep(every_s)
            now = self.cpu_s()
            if now - used < idle_cpu_s:
                break
            used = now
        return round(time.monotonic() - started, 1)

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server and its current child processes, summed."""
        return round(sum(status_kb(p, "VmHWM") / 1024 for p in self._tree()))

    def _tree(self) -> list[int]:
        """The server and every process below it (its query workers)."""
        return [self.process.pid, *children(self.process.pid, recursive=True)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(20)


class Unkg(Server):
    """``unkg serve`` on a loopback port."""

    name = "unkg"

    def __init__(self, store: Path, workers: int | None = None, *, cache: bool = False) -> None:
        command = [sys.executable, "-m", "graph.cli", "--store", str(store), "serve",
                   "--host", HOST, "--port", "0", "--timeout", str(SERVER_TIMEOUT),
                   "--row-limit", "100000000"]
        if workers:
            command += ["--workers", str(workers)]
        if cache:
            self.name = "cached"
        else:
            command += ["--cache-mb", "0"]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.log: list[str] = []
        assert self.process.stderr is not None
        deadline = time.monotonic() + 300
        line = ""
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError("unkg serve stopped:\n" + "".join(self.log[-20:]))
            self.log.append(line)
            if "Serving on " in line:
                break
        else:
            self.stop()
            raise RuntimeError("unkg serve did not start in 300 s")
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if len(self.log) < 10000:
                self.log.append(line)


def oxigraph_command() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).is_file():
        raise SystemExit("the oxigraph command is missing: pip install -e '.[bench]'")
    return found


class Native(Server):
    """``oxigraph serve-read-only`` on a loopback port."""

    name = "native"

    def __init__(self, location: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [oxigraph_command(), "serve-read-only", "--location", str(location),
             "--bind", f"{HOST}:{self.port}", "--union-default-graph",
             "--timeout-s", str(int(SERVER_TIMEOUT))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve-read-only exited ({self.process.returncode})")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve-read-only did not start in 120 s")


# ---------------------------------------------------------------------------------------------
# Requests


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Client:
    """One keep-alive connection to a server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, call: Call) -> Answer:
        for attempt in (0, 1):  # a keep-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=CLIENT_TIMEOUT)
            try:
                self.conn.request(call.method, call.path, call.body, dict(call.headers))
                response = self.conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
                continue
            if response.will_close:
                self.close()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                          body)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def sparql_call(endpoint: str, query: str, accept: str, *, post: bool) -> Call:
    if post:
        return Call("POST", endpoint, (("Accept", accept),
                                       ("Content-Type", "application/x-www-form-urlencoded")),
                    urlencode({"query": query}).encode())
    return Call("GET", f"{endpoint}?{urlencode({'query': query})}", (("Accept", accept),))


@dataclass
class Probe:
    name: str
    kind: str                 # example | tiny | describe | lookup | page
    ours: list[Call]
    native: list[Call]
    compare: str              # rows | triples | redirect | none


def prologue() -> str:
    from graph.namespaces import PREFIXES
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def example_queries() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "server" / "queries").glob("*.rq"))]


class _Recorder:
    """A store that records the SPARQL it is asked (substitutions written into the text)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.queries: list[str] = []

    def query(self, query: str, **options: Any) -> Any:
        text = query
        for variable, term in (options.get("substitutions") or {}).items():
            text = re.sub(rf"\?{re.escape(variable.value)}\b", str(term), text)
        self.queries.append(text)
        return self.store.query(query, **options)


def captured_queries(store: ox.Store, base: str) -> tuple[list[str], list[str]]:
    """The SPARQL ``unkg serve`` runs for ``/lookup?symbol=SYMBOL`` and for the HTML page of
    ``RESOURCE``, in order."""
    from server import pages

    lookup = _Recorder(store)
    pages.by_symbol(lookup, SYMBOL)  # type: ignore[arg-type]
    page = _Recorder(store)
    iri = base + RESOURCE
    pages.exists(page, iri)  # type: ignore[arg-type]
    pages.resource_page(page, iri)  # type: ignore[arg-type]
    return lookup.queries, page.queries


def make_probes(lookup_queries: list[str], page_queries: list[str], base: str) -> list[Probe]:
    iri = base + RESOURCE
    probes = []
    for name, query in example_queries():
        probes.append(Probe(name, "example", [sparql_call("/sparql", query, JSON_RESULTS,
                                                          post=True)],
                            [sparql_call("/query", prologue() + query, JSON_RESULTS, post=True)],
                            "rows"))
    tiny = f"SELECT ?symbol WHERE {{ <{iri}> <http://purl.org/dc/terms/identifier> ?symbol }}"
    probes.append(Probe("tiny query", "tiny", [sparql_call("/sparql", tiny, JSON_RESULTS,
                                                           post=False)],
                        [sparql_call("/query", tiny, JSON_RESULTS, post=False)], "rows"))
    describe = f"DESCRIBE <{iri}>"
    probes.append(Probe("DESCRIBE", "describe",
                        [sparql_call("/sparql", describe, NTRIPLES, post=False)],
                        [sparql_call("/query", describe, NTRIPLES, post=False)], "triples"))
    probes.append(Probe("/lookup", "lookup",
                        [Call("GET", "/lookup?" + urlencode({"symbol": SYMBOL}))],
                        [sparql_call("/query", q, JSON_RESULTS, post=True)
                         for q in lookup_queries], "redirect"))
    probes.append(Probe("resource page (HTML)", "page",
                        [Call("GET", "/" + quote(RESOURCE), (("Accept", "text/html"),))],
                        [sparql_call("/query", q, JSON_RESULTS, post=True)
                         for q in page_queries], "none"))
    return probes


def _rows(body: bytes) -> list[tuple[tuple[str, ...], ...]]:
    data = json.loads(body)
    if "boolean" in data:
        return [((str(data["boolean"]),),)]
    return sorted(tuple(sorted((k, v.get("type", ""), v.get("value", ""),
                                v.get("datatype", ""), v.get("xml:lang", ""))
                               for k, v in b.items()))
                  for b in data["results"]["bindings"])


def _triples(body: bytes) -> list[str]:
    return sorted(line.strip() for line in body.decode().splitlines() if line.strip())


def _size(probe: Probe, answer: Answer) -> int:
    if probe.compare == "rows" and answer.status == 200:
        return len(_rows(answer.body))
    if probe.compare == "triples" and answer.status == 200:
        return len(_triples(answer.body))
    return len(answer.body)


def agree(probe: Probe, ours: list[Answer], native: list[Answer], base: str) -> str:
    """'' when both servers gave the same answer, else what differs."""
    if probe.compare == "redirect":
        location = ours[-1].headers.get("location", "")
        found = json.loads(native[-1].body)["results"]["bindings"]
        target = "/" + found[0]["r"]["value"][len(base):] if found else ""
        return "" if ours[-1].status == 303 and location.endswith(target) and target else \
            f"redirect {ours[-1].status} {location!r} vs {target!r}"
    if probe.compare == "none":
        return "" if ours[-1].status == 200 else f"status {ours[-1].status}"
    if ours[-1].status != 200 or native[-1].status != 200:
        return (f"status {ours[-1].status} vs {native[-1].status}: "
                f"{ours[-1].body[:200]!r} / {native[-1].body[:200]!r}")
    if ours[-1].headers.get("x-result-truncated") == "true":
        return "our answer was truncated"
    if probe.compare == "rows":
        a, b = _rows(ours[-1].body), _rows(native[-1].body)
    else:
        a, b = _triples(ours[-1].body), _triples(native[-1].body)  # type: ignore[assignment]
    return "" if a == b else f"{len(a)} rows vs {len(b)}"


def timed(client: Client, calls: list[Call]) -> tuple[float, list[Answer]]:
    started = time.perf_counter()
    answers = [client.send(call) for call in calls]
    return time.perf_counter() - started, answers


def percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile (0..1) by the nearest-rank method."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


@dataclass
class Result:
    name: str
    kind: str
    requests: int                          # HTTP requests per probe on the native side
    size: int = 0                          # rows / triples / bytes of our answer
    same: str = ""                         # '' or what differed
    failures: list[str] = field(default_factory=list)
    ours_s: list[float] = field(default_factory=list)
    native_s: list[float] = field(default_factory=list)
    cached_s: list[float] = field(default_factory=list)
    ours_cpu_s: float = 0.0                # CPU seconds of the server, summed over the rounds
    native_cpu_s: float = 0.0
    cached_cpu_s: float = 0.0
    cache: str = ""                        # X-Cache of the cached server's answers in the rounds

    def figures(self) -> dict[str, Any]:
        ours50, ours95 = percentile(self.ours_s, .5), percentile(self.ours_s, .95)
        nat50, nat95 = percentile(self.native_s, .5), percentile(self.native_s, .95)
        return {"name": self.name, "kind": self.kind, "rounds": min(len(self.ours_s),
                                                                       len(self.native_s)),
                "answer_size": self.size, "same_answer": not self.same, "difference": self.same,
                "failures": self.failures[:5], "native_requests": self.requests,
                "ours_p50_ms": round(ours50 * 1000, 2), "ours_p95_ms": round(ours95 * 1000, 2),
                "native_p50_ms": round(nat50 * 1000, 2), "native_p95_ms": round(nat95 * 1000, 2),
                "ratio_p50": round(ours50 / nat50, 2) if nat50 else None,
                "ratio_p95": round(ours95 / nat95, 2) if nat95 else None,
                "ours_cpu_ms": round(1000 * self.ours_cpu_s / max(len(self.ours_s), 1), 1),
                "native_cpu_ms": round(1000 * self.native_cpu_s / max(len(self.native_s), 1),
                                       1),
                "cached_p50_ms": round(percentile(self.cached_s, .5) * 1000, 2),
                "cached_p95_ms": round(percentile(self.cached_s, .95) * 1000, 2),
                "cached_cpu_ms": round(1000 * self.cached_cpu_s / max(len(self.cached_s), 1),
                                       1),
                "cache": self.cache}


def _cache_status(answers: list[Answer]) -> str:
    """What the cached server's ``X-Cache`` said for a probe's request ('none': no header)."""
    return "/".join(sorted({a.headers.get("x-cache", "none") for a in answers}))


def measure(ours: Server, native: Server, probes: list[Probe], base: str, *, rounds: int,
            probe_budget: float, size_budget: float, seed: int,
            cached: Server | None = None) -> list[dict[str, Any]]:
    """Warm-up, then the rounds; ``cached``: a server with its answer cache, asked the same
    requests as ``ours`` (it must answer as ``ours`` did, from its cache)."""
    rng = random.Random(seed)
    servers = [s for s in (ours, native, cached) if s is not None]
    clients = {s.name: Client(s.port) for s in servers}
    results = {p.name: Result(p.name, p.kind, len(p.native)) for p in probes}
    deadline = time.monotonic() + size_budget

    def run(probe: Probe, server: Server) -> tuple[float, list[Answer]] | None:
        calls = probe.native if server is native else probe.ours
        try:
            seconds, answers = timed(clients[server.name], calls)
        except (OSError, http.client.HTTPException) as error:
            results[probe.name].failures.append(f"{server.name}: {type(error).__name__}: {error}")
            return None
        bad = [a for a in answers if a.status >= 400]
        if bad:
            results[probe.name].failures.append(
                f"{server.name}: {bad[0].status} {bad[0].body[:300]!r}")
            return None
        return seconds, answers

    active = []
    for probe in probes:  # warm-up and answer check
        print(f"    warm-up {probe.name} ...", file=sys.stderr, flush=True)
        got_ours, got_native = run(probe, ours), run(probe, native)
        result = results[probe.name]
        if got_ours and got_native:
            result.same = agree(probe, got_ours[1], got_native[1], base)
            result.size = _size(probe, got_ours[1][-1])
            if cached is not None:
                filled = run(probe, cached)
                if filled is None or [a.body for a in filled[1]] != [a.body for a in got_ours[1]]:
                    result.same = result.same or "the cached server answered otherwise"
            active.append(probe)
        else:
            result.same = "failed in the warm-up"
    spent = {p.name: 0.0 for p in probes}
    for round_number in range(rounds):
        if time.monotonic() > deadline or not active:
            break
        order = active[:]
        rng.shuffle(order)
        for probe in order:
            if time.monotonic() > deadline:
                break
            order_of_servers = servers[:]
            rng.shuffle(order_of_servers)
            for server in order_of_servers:
                cpu = server.cpu_s()
                got = run(probe, server)
                if got is None:
                    continue
                result = results[probe.name]
                if server is ours:
                    result.ours_s.append(got[0])
                    result.ours_cpu_s += server.cpu_s() - cpu
                elif server is native:
                    result.native_s.append(got[0])
                    result.native_cpu_s += server.cpu_s() - cpu
                else:
                    result.cached_s.append(got[0])
                    result.cached_cpu_s += server.cpu_s() - cpu
                    status = _cache_status(got[1])
                    result.cache = status if result.cache in ("", status) else "mixed"
                    continue  # a cached answer's time does not decide the probe's budget
                spent[probe.name] = max(spent[probe.name], got[0])
        active = [p for p in active
                  if not (round_number >= 2 and spent[p.name] * (round_number + 1) > probe_budget)
                  and len(results[p.name].failures) < 3]
        print(f"    round {round_number + 1}/{rounds} done", file=sys.stderr, flush=True)
    for client in clients.values():
        client.close()
    return [results[p.name].figures() for p in probes]


# ---------------------------------------------------------------------------------------------
# Report


def goals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    examples = [r for r in rows if r["kind"] == "example"]
    tiny = next((r for r in rows if r["kind"] == "tiny"), None)
    return {
        "examples_over_1s_p50": [r["name"] for r in examples if not r["ours_p50_ms"] < 1000],
        "over_1.3x_native_p50": [r["name"] for r in rows
                                 if r["ratio_p50"] is not None and r["ratio_p50"] > 1.3],
        "tiny_fixed_cost_ms": round(tiny["ours_p50_ms"] - tiny["native_p50_ms"], 2)
        if tiny else None,
    }


def markdown(result: dict[str, Any]) -> str:
    lines = []
    for size, block in result["sizes"].items():
        store = block["store"]
        lines += [f"### {store['quads']:,} quads ({store['copies']} copies of the corpus)", "",
                  "| request | rows | ours p50 ms | ours p95 ms | native p50 ms | native p95 ms "
                  "| p50 ratio | p95 ratio | CPU ms ours / native | cached p50 ms | cached p95 ms "
                  "| rounds | same answer |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in block["results"]:
            same = "yes" if r["same_answer"] else f"no: {r['difference']}"
            if r["kind"] == "page":
                same = f"(native: {r['native_requests']} queries)"
            elif r["kind"] == "lookup":
                same += f" (native: {r['native_requests']} query)"
            if r.get("cache") == "none":
                same += " (not cached)"
            elif r.get("cache") not in (None, "", "hit"):
                same += f" (cache: {r['cache']})"
            lines.append(f"| {r['name']} | {r['answer_size']} | {r['ours_p50_ms']} | "
                         f"{r['ours_p95_ms']} | {r['native_p50_ms']} | {r['native_p95_ms']} | "
                         f"{r['ratio_p50']} | {r['ratio_p95']} | "
                         f"{r['ours_cpu_ms']:.0f} / {r['native_cpu_ms']:.0f} | "
                         f"{r.get('cached_p50_ms', '–')} | {r.get('cached_p95_ms', '–')} | "
                         f"{r['rounds']} | {same} |")
            for failure in r["failures"]:
                lines.append(f"|  ↳ failure: {failure[:200]} ||||||||||||")
        g = block["goals"]
        lines += ["", f"over 1 s p50: {', '.join(g['examples_over_1s_p50']) or 'none'}; "
                      f"over 1.3× native p50: {', '.join(g['over_1.3x_native_p50']) or 'none'}; "
                      f"tiny query fixed cost: {g['tiny_fixed_cost_ms']} ms; peak RSS: unkg "
                      f"{block['peak_rss_mb']['unkg']} MB (server + workers), native "
                      f"{block['peak_rss_mb']['native']} MB, cached "
                      f"{block['peak_rss_mb'].get('cached', '–')} MB; start-up work waited for: "
                      f"{block.get('start_up_s', '–')} s; load average (1 min) "
                      "before and "
                      f"after: {block['load_1min'][0]}, {block['load_1min'][1]}", ""]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from graph.namespaces import BASE

    base = str(BASE)
    sizes = sorted(args.sizes)
    keep = args.workdir is not None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="unkg-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    oxigraph_command()
    _check_disk(workdir, sizes)
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M"), "commit": commit,
                              "machine": {"cores": os.cpu_count(),
                                          "load_1min": round(os.getloadavg()[0], 2)},
                              "rounds": args.rounds, "sizes": {}}
    ok = True
    try:
        info = prepare(workdir, sizes, args.rebuild)
        result["corpus_build"] = info["corpus_build"]
        for size in sizes:
            folder = workdir / f"q{size}"
            print(f"measuring at {size:,} quads ...", file=sys.stderr, flush=True)
            store = ox.Store.read_only(str(folder / "unkg"))
            lookup_queries, page_queries = captured_queries(store, base)
            del store
            probes = make_probes(lookup_queries, page_queries, base)
            if args.only:
                probes = [p for p in probes if any(o in p.name for o in args.only)]
            ours = native = cached = None
            load_before = round(os.getloadavg()[0], 2)
            try:
                ours = Unkg(folder / "unkg", args.workers)
                native = Native(folder / "native")
                cached = Unkg(folder / "unkg", args.workers, cache=True)
                print("    waiting for the servers' start-up work ...", file=sys.stderr,
                      flush=True)
                quiet = {s.name: s.wait_quiet() for s in (ours, cached)}
                rows = measure(ours, native, probes, base, rounds=args.rounds,
                               probe_budget=args.probe_budget, size_budget=args.size_budget,
                               seed=args.seed, cached=cached)
                rss = {"unkg": ours.peak_rss_mb(), "native": native.peak_rss_mb(),
                       "cached": cached.peak_rss_mb()}
            finally:
                for server in (ours, native, cached):
                    if server is not None:
                        server.stop()
            result["sizes"][str(size)] = {"store": info["sizes"][size], "results": rows,
                                          "goals": goals(rows), "peak_rss_mb": rss,
                                          "start_up_s": quiet,
                                          "load_1min": [load_before,
                                                        round(os.getloadavg()[0], 2)]}
            ok = ok and all(r["same_answer"] and not r["failures"]
                            and r["cache"] in ("hit", "none") for r in rows)
            print(markdown({"sizes": {str(size): result["sizes"][str(size)]}}), flush=True)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    result["machine"]["load_1min_after"] = round(os.getloadavg()[0], 2)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_replicate"]:  # the subprocess that bulk-loads one size
        source, target, quads = argv[1:4]
        print(json.dumps(replicate(Path(source), Path(target), int(quads))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="target quads per store (default: 1M and 10M)")
    parser.add_argument("--rounds", type=int, default=20, help="measured rounds (default 20)")
    parser.add_argument("--probe-budget", type=float, default=120.0,
                        help="seconds one probe may take in all before it stops (after 3 "
                             "rounds; default 120)")
    parser.add_argument("--size-budget", type=float, default=1800.0,
                        help="seconds of measuring per size (default 1800)")
    parser.add_argument("--workers", type=int, help="unkg serve --workers (default: its own)")
    parser.add_argument("--workdir", help="keep the stores here and reuse them on the next run")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the stores in --workdir")
    parser.add_argument("--only", nargs="+", help="only the probes whose name contains one of "
                                                  "these")
    parser.add_argument("--quick", action="store_true",
                        help="a check that everything runs, not a measurement: about 200k "
                             "quads, 2 rounds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds, args.probe_budget = [200_000], 2, 30.0
    if args.rounds < 1 or args.rounds > 1000:
        parser.error("--rounds: 1 to 1000")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
