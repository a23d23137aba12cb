"""Load: concurrent clients against ``unkg serve`` on loopback, with runaway queries.

Starts ``unkg serve`` (a subprocess, 127.0.0.1, a free port) on a store, then runs ``--clients``
client threads for ``--duration`` seconds, each sending one request after another over a
keep-alive connection, drawn from a fixed mix: the example queries of ``server/queries/``, a
simple SPARQL query (one document by its symbol), ``/lookup`` by symbol, resource pages as HTML
and as Turtle, and ``/stats``. With ``--runaway`` one more client sends, one after another,
queries that must be stopped: a cartesian product and a deep property path (stopped at the
timeout, or by the memory cap where their hash tables grow first) and a query whose
intermediate result grows without bound (stopped by the per-query memory cap). A sampler reads
the resident memory of the server process and of its query workers twice a second; the CPU used
by the server, by this script and by every other process is counted, so a run on a busy machine
says so; the server's request log gives the simple query's time inside the server. Everything
stops by itself at the deadline (the runaway client finishes its first round of three); the
server is stopped and the temporary stores removed. Requests go to 127.0.0.1 only.

The store is the real corpus built with ``unkg build`` into a temporary directory, or, with
``--triples N``, that graph replicated until it holds about N triples (replica ``k`` > 0 is the
corpus with ``x{k}/`` inserted after the instance base in every instance IRI, as
``bench/validate_bench.py`` and issue 10 do; replica 0 keeps the original IRIs, so the example
queries find what they ask for), or an existing store (``--store``).

Example queries that take longer than ``--slow`` seconds when run alone are left out of the
mix and reported with their time: with 50 clients a query of several seconds only measures how
long it takes, and would turn the run into a queue of timeouts. (None is left out today: alone,
they take 3-40 ms on the corpus and 13-620 ms at 1M.)

    python bench/load.py                                  # real corpus, 50 clients, 60 s
    python bench/load.py --triples 1000000                # ~1M-triple replicated graph
    python bench/load.py --runaway --duration 120         # with runaway queries
    python bench/load.py --store data/store --clients 10 --duration 5 --json out.json
    python bench/load.py --cache-mb 0                     # every query reaches the pool

The figures are in the README, "Reliability".

Exit status 0 when no request failed (connection error, 5xx, or any status other than the
expected one) and every runaway query was stopped as expected; 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procstat import children, status_kb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # loopback only: this script never sends a request elsewhere
MAX_CLIENTS, MAX_DURATION = 500, 3600.0
JSON_RESULTS = "application/sparql-results+json"
INSTANCE_BASE = os.environ.get("UNKG_BASE", "https://w3id.org/unkg/")

# Runaway queries: (name, query, the reasons the server may give when it stops it). A
# cartesian product or a path over a large graph may also build hash tables past the memory
# cap before the timeout: stopped either way, and the report says which.
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n1 ?o . ?q ?r ?s }")
_ANY = "(<urn:x:none>|^<urn:x:none>|!<urn:x:none>|!^<urn:x:none>)*"  # any edge, either way
DEEP_PATH = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a {_ANY}/{_ANY}/{_ANY} ?b }}"
GROWING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"
RUNAWAYS = [("cartesian product", CARTESIAN, ("time limit", "memory limit")),
            ("deep property path", DEEP_PATH, ("time limit", "memory limit")),
            ("growing result", GROWING, ("memory limit",))]


# ---------------------------------------------------------------------------------------------
# Stores


def build_corpus(corpus: Path, target: Path) -> None:
    """``unkg build CORPUS`` into ``target`` (the real command, as a user runs it)."""
    print(f"building {corpus} into {target} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(target), "build",
                    str(corpus)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def replicate(source: Path, target: Path, triples: int) -> int:
    """Copies of the graph at ``source`` in a new store at ``target`` until about ``triples``;
    the number of quads written."""
    import pyoxigraph as ox

    from graph.namespaces import UNKG
    from graph.store import open_store

    data = open_store(source, read_only=True).dump(format=ox.RdfFormat.N_QUADS).decode()
    size = data.count("\n")
    copies = max(1, round(triples / max(size, 1)))
    print(f"replicating {size} quads {copies} times into {target} ...", file=sys.stderr,
          flush=True)
    base, ontology = f"<{INSTANCE_BASE}", f"<{UNKG}"
    protected = data.replace(ontology, "\0")
    store = open_store(target)
    for k in range(copies):
        chunk = data if k == 0 else protected.replace(base, f"{base}x{k}/").replace("\0",
                                                                                   ontology)
        store.bulk_load(chunk.encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    count = len(store)
    del store
    return count


# ---------------------------------------------------------------------------------------------
# The server


class Server:
    """``unkg serve`` on a free loopback port, its log collected."""

    def __init__(self, store: Path, options: list[str],
                 environment: dict[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "graph.cli", "--store", str(store), "serve",
                   "--host", HOST, "--port", "0", *options]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, **(environment or {})})
        self.log: list[str] = []
        assert self.process.stderr is not None
        while True:
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError("unkg serve stopped:\n" + "".join(self.log[-20:]))
            self.log.append(line)
            if "Serving on " in line:
                break
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(15)


_TICK = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float:
    """CPU seconds of ``pid``, its live children and the children it has reaped."""
    def stat(p: int) -> list[str]:
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as file:
                return file.read().rsplit(")", 1)[1].split()
        except OSError:
            return []
    own = stat(pid)
    if not own:
        return 0.0
    ticks = sum(int(v) for v in own[11:15])  # utime stime cutime cstime
    for child in children(pid):
        fields = stat(child)
        ticks += sum(int(v) for v in fields[11:13]) if fields else 0
    return ticks / _TICK


def _machine_cpu() -> float:
    """CPU seconds all processes of the machine have used (busy time of /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as file:
        values = [int(v) for v in file.readline().split()[1:9]]
    return (sum(values) - values[3] - values[4]) / _TICK  # without idle and iowait


@dataclass
class CpuMark:
    at: float
    server: float
    machine: float
    own: float

    @classmethod
    def now(cls, pid: int) -> "CpuMark":
        times = os.times()
        return cls(time.monotonic(), _process_cpu(pid), _machine_cpu(), times.user + times.system)


def cpu_shares(start: CpuMark, end: CpuMark) -> dict[str, float]:
    """Cores used on average by the server (with its workers), this script, everything else."""
    seconds = max(end.at - start.at, 1e-9)
    server = (end.server - start.server) / seconds
    own = (end.own - start.own) / seconds
    machine = (end.machine - start.machine) / seconds
    return {"cores": os.cpu_count() or 0, "server_cores": round(server, 2),
            "load_script_cores": round(own, 2),
            "other_processes_cores": round(max(machine - server - own, 0.0), 2)}


def load_average() -> float:
    with open("/proc/loadavg", encoding="ascii") as file:
        return float(file.read().split()[0])


@dataclass
class MemorySample:
    at: float
    server_kb: int
    workers_kb: list[int]


def sample_memory(pid: int, stop: threading.Event, samples: list[MemorySample],
                  started: float, every: float = 0.5) -> None:
    """RSS of the server process and of each of its children until ``stop``."""
    while not stop.is_set():
        samples.append(MemorySample(round(time.monotonic() - started, 2), status_kb(pid),
                                    [status_kb(c) for c in children(pid)]))
        stop.wait(every)


# ---------------------------------------------------------------------------------------------
# Requests


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expect: int


@dataclass
class Outcome:
    kind: str
    start: float
    seconds: float
    status: int          # 0: no HTTP answer (connection error, client timeout)
    detail: str = ""


def sparql(kind: str, query: str, *, post: bool = False) -> Request:
    headers = {"Accept": JSON_RESULTS}
    if post:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return Request(kind, "POST", "/sparql", headers, urlencode({"query": query}).encode(),
                       200)
    return Request(kind, "GET", "/sparql?" + urlencode({"query": query}), headers, None, 200)


def send(conn: http.client.HTTPConnection | None, port: int, request: Request,
         timeout: float) -> tuple[http.client.HTTPConnection | None, int, bytes, str]:
    """One request on a keep-alive connection (opened when ``conn`` is None)."""
    try:
        if conn is None:
            conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request(request.method, request.path, request.body, request.headers)
        response = conn.getresponse()
        body = response.read()
        if response.will_close:
            conn.close()
            conn = None
        return conn, response.status, body, ""
    except (OSError, http.client.HTTPException) as error:
        if conn is not None:
            conn.close()
        return None, 0, b"", f"{type(error).__name__}: {error}"


def one(port: int, request: Request, timeout: float) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn, status, body, detail = send(None, port, request, timeout)
    if conn is not None:
        conn.close()
    if status == 0:
        raise RuntimeError(f"{request.path[:80]}: {detail}")
    return status, body, time.perf_counter() - started


def discover(port: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Documents (IRI, symbol) and a sample of paragraph and footnote IRIs of the store."""
    found = []
    for query in ("SELECT DISTINCT ?d ?s WHERE { ?d dcterms:identifier ?s ; "
                  "a unkg:Document } ORDER BY ?s LIMIT 5000",
                  "SELECT DISTINCT ?p WHERE { ?p eli:is_part_of ?d } LIMIT 5000"):
        status, body, _ = one(port, sparql("discover", query), 300)
        if status != 200:
            raise RuntimeError(f"discovery query answered {status}: {body[:300]!r}")
        found.append(json.loads(body)["results"]["bindings"])
    documents = [(b["d"]["value"], b["s"]["value"]) for b in found[0]
                 if b["d"]["value"].startswith(INSTANCE_BASE)]
    parts = [b["p"]["value"] for b in found[1] if b["p"]["value"].startswith(INSTANCE_BASE)]
    if not documents:
        raise RuntimeError("the store holds no document with a symbol")
    return documents, parts


def examples() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "server" / "queries").glob("*.rq"))]


def local(iri: str) -> str:
    return "/" + quote(iri[len(INSTANCE_BASE):], safe="/%:@!$&'()*+,;=-._~")


def make_mix(fast: list[tuple[str, str]], documents: list[tuple[str, str]],
             parts: list[str]) -> Callable[[random.Random], Request]:
    """A function drawing one request of the mix (weights in percent)."""
    resources = [d for d, _ in documents] + parts
    symbols = [s for _, s in documents]

    def simple(rng: random.Random) -> Request:
        symbol = rng.choice(symbols).replace("\\", "\\\\").replace('"', '\\"')
        return sparql("simple query", f'SELECT ?d WHERE {{ ?d dcterms:identifier "{symbol}" }}')

    def example(rng: random.Random) -> Request:
        name, query = rng.choice(fast)
        return sparql("example queries", query, post=True)

    def lookup(rng: random.Random) -> Request:
        return Request("/lookup", "GET", "/lookup?" + urlencode({"symbol": rng.choice(symbols)}),
                       {}, None, 303)

    def page(rng: random.Random) -> Request:
        return Request("resource page (HTML)", "GET", local(rng.choice(resources)),
                       {"Accept": "text/html"}, None, 200)

    def data(rng: random.Random) -> Request:
        return Request("resource (Turtle)", "GET", local(rng.choice(resources)),
                       {"Accept": "text/turtle"}, None, 200)

    def stats(rng: random.Random) -> Request:
        return Request("/stats", "GET", "/stats", {"Accept": "text/html"}, None, 200)

    table = [(example, 30 if fast else 0), (simple, 10), (lookup, 15), (page, 25), (data, 10),
             (stats, 10)]
    makers = [m for m, w in table if w]
    weights = [w for _, w in table if w]

    def draw(rng: random.Random) -> Request:
        return rng.choices(makers, weights)[0](rng)
    return draw


def client(port: int, draw: Callable[[random.Random], Request], seed: int, deadline: float,
           timeout: float, out: list[Outcome], started: float) -> None:
    rng = random.Random(seed)
    conn = None
    while time.monotonic() < deadline:
        request = draw(rng)
        begin = time.perf_counter()
        conn, status, body, detail = send(conn, port, request, timeout)
        seconds = time.perf_counter() - begin
        if status != request.expect and not detail:
            detail = f"{request.method} {request.path[:100]}: {body[:200]!r}"
        out.append(Outcome(request.kind, round(time.monotonic() - started - seconds, 4),
                           seconds, status, detail if status != request.expect else ""))
    if conn is not None:
        conn.close()


@dataclass
class Runaway:
    name: str
    start: float
    seconds: float
    status: int
    reasons_expected: tuple[str, ...]
    message: str
    retry_after: str | None = None

    @property
    def stopped_as_expected(self) -> bool:
        return self.status == 503 and any(r in self.message for r in self.reasons_expected)


def run_away(port: int, deadline: float, timeout: float, out: list[Runaway],
             started: float) -> None:
    """Send the runaway queries one after another: each once, then again while a whole one
    fits before the deadline."""
    index = 0
    time.sleep(min(0.5, max(deadline - time.monotonic(), 0)))
    while index < len(RUNAWAYS) or time.monotonic() + timeout + 1 < deadline:
        name, query, reasons = RUNAWAYS[index % len(RUNAWAYS)]
        index += 1
        begin = time.monotonic()
        request = sparql(name, query, post=True)
        _, status, body, detail = send(None, port, request, timeout + 60)
        out.append(Runaway(name, round(begin - started, 2), time.monotonic() - begin, status,
                           reasons, (body.decode("utf-8", "replace") or detail).strip()[:300]))


# ---------------------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile (0..1) by the nearest-rank method."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def latency(outcomes: list[Outcome]) -> dict[str, Any]:
    ms = [o.seconds * 1000 for o in outcomes]
    return {"requests": len(outcomes),
            "errors": sum(1 for o in outcomes if o.detail),
            "5xx": sum(1 for o in outcomes if o.status >= 500),
            "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms, default=0), 1)}


def during(outcomes: list[Outcome], runaways: list[Runaway]) -> list[Outcome]:
    """The requests that started while a runaway query was running."""
    spans = [(r.start, r.start + r.seconds) for r in runaways]
    return [o for o in outcomes if any(a <= o.start <= b for a, b in spans)]


def report(result: dict[str, Any]) -> str:
    lines = [f"store: {result['store']} ({result['triples']} triples); "
             f"{result['clients']} clients for {result['duration']} s; server: "
             + " ".join(result["server_options"]),
             f"example queries in the mix: {', '.join(result['examples_in_mix']) or 'none'}"]
    lines.append("  alone, ms: " + ", ".join(f"{name.split('-')[0]} {ms}"
                                            for name, ms in result["examples_alone_ms"].items()))
    for name, seconds in result["examples_left_out"].items():
        lines.append(f"  left out (alone took {seconds}): {name}")
    lines.append(f"/stats: figures computed in the background from the server's start in "
                 f"{result.get('stats_background_seconds')} s; the first request (after the "
                 f"example queries) took {result['stats_cold_seconds']} s")
    lines += ["", "| request | requests | errors | 5xx | p50 ms | p95 ms | p99 ms | max ms |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, row in result["latency"].items():
        lines.append(f"| {kind} | {row['requests']} | {row['errors']} | {row['5xx']} | "
                     f"{row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['max_ms']} |")
    lines.append(f"\nthroughput: {result['throughput']} requests/s")
    if result["runaways"]:
        lines.append("\n| runaway query | started at s | status | stopped by | after s |")
        lines.append("|---|---:|---:|---|---:|")
        for r in result["runaways"]:
            by = ("the timeout" if "time limit" in r["message"] else
                  "the memory cap" if "memory limit" in r["message"] else r["message"][:60])
            lines.append(f"| {r['name']} | {r['start']:g} | {r['status']} | {by} | "
                         f"{r['seconds']:.2f} |")
        simple = result["simple_during_runaways"]
        lines.append(f"\nsimple query while a runaway ran: {simple['requests']} requests, "
                     f"{simple['errors']} errors, p50 {simple['p50_ms']} ms, "
                     f"p95 {simple['p95_ms']} ms, p99 {simple['p99_ms']} ms")
    memory = result["memory"]
    lines.append("\nserver RSS MB over the run: " + ", ".join(
        f"{at:g} s {mb}" for at, mb in memory["server_by_quarter"]))
    lines.append(f"server RSS MB: start {memory['server_start_mb']}, max "
                 f"{memory['server_max_mb']}, end {memory['server_end_mb']}; largest worker "
                 f"{memory['worker_max_mb']} MB; server + workers max {memory['total_max_mb']} MB "
                 f"({memory['samples']} samples)")
    inside = result.get("simple_in_server")
    if inside:
        lines.append(f"simple query inside the server (request log, whole run): "
                     f"p50 {inside['p50_ms']} ms, p95 {inside['p95_ms']} ms, "
                     f"p99 {inside['p99_ms']} ms")
    cpu = result["cpu"]
    lines.append(f"CPU, cores of {cpu['cores']} on average: server and workers "
                 f"{cpu['server_cores']}, this script {cpu['load_script_cores']}, other "
                 f"processes {cpu['other_processes_cores']} (load average before: "
                 f"{cpu['load_average_before']})")
    lines.append(f"server log: {result['log']['tracebacks']} tracebacks, "
                 f"{result['log']['errors']} ERROR lines, {result['log']['warnings']} WARNING "
                 f"lines ({result['log']['waitress_queue']} of them waitress's task queue)")
    for line in result["problems"][:20]:
        lines.append(f"PROBLEM: {line}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the corpus)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--triples", type=int, help="replicate the corpus to about N triples")
    parser.add_argument("--workdir", type=Path,
                        help="keep built stores here and reuse them (default: a temporary "
                             "directory, removed at the end)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--runaway", action="store_true", help="send runaway queries too")
    parser.add_argument("--slow", type=float, default=1.0,
                        help="leave out example queries slower than this alone (s), 1")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, help="default: the server's (enough for "
                        "every page and query admitted or waiting)")
    parser.add_argument("--page-slots", type=int, default=2)
    parser.add_argument("--page-queue", type=int, default=48)
    parser.add_argument("--page-wait", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--queue", type=int, default=48)
    parser.add_argument("--worker-memory", type=int, default=1024, metavar="MB")
    parser.add_argument("--cache-mb", type=float, metavar="MB",
                        help="the server's answer cache (UNKG_ANSWER_CACHE_MB; 0: none, so "
                             "every query reaches the pool); default: the server's")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--server-log", type=Path, help="write the server's log here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--clients 1..{MAX_CLIENTS}, --duration up to {MAX_DURATION:g} s")

    temporary = None
    if args.workdir is None:
        temporary = Path(tempfile.mkdtemp(prefix="unkg-load-"))
    workdir = args.workdir or temporary
    assert workdir is not None
    server = None
    try:
        store = args.store
        if store is None:
            store = workdir / "corpus-store"
            if not (args.workdir and store.exists()):
                build_corpus(args.corpus, store)
            if args.triples:
                source, store = store, workdir / f"replicated-{args.triples}"
                if not (args.workdir and store.exists()):
                    replicate(source, store, args.triples)
        options = ["--workers", str(args.workers), *(["--threads", str(args.threads)]
                                                      if args.threads else []),
                   "--timeout", f"{args.timeout:g}", "--queue", str(args.queue),
                   "--worker-memory", str(args.worker_memory),
                   "--page-slots", str(args.page_slots), "--page-queue", str(args.page_queue),
                   "--page-wait", f"{args.page_wait:g}"]
        environment = ({} if args.cache_mb is None
                       else {"UNKG_ANSWER_CACHE_MB": f"{args.cache_mb:g}"})
        options += [f"(UNKG_ANSWER_CACHE_MB={args.cache_mb:g})"] if environment else []
        server = Server(store, [o for o in options if not o.startswith("(")], environment)
        result = exercise(server, args, store, options)
    finally:
        if server is not None:
            server.stop()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    log = "".join(server.log) if server else ""
    if args.server_log:
        args.server_log.write_text(log, encoding="utf-8")
    result["log"] = {"tracebacks": log.count("Traceback"),
                     "errors": len(re.findall(r" ERROR ", log)),
                     "warnings": len(re.findall(r" WARNING ", log)),
                     "waitress_queue": log.count("Task queue depth")}
    if result["log"]["tracebacks"]:
        result["problems"].append("tracebacks in the server log")
    ready = re.search(r"figures ready after ([0-9.]+) s", log)
    result["stats_background_seconds"] = float(ready.group(1)) if ready else None
    inside = [float(ms) for ms in re.findall(
        r"GET /sparql\?query=SELECT\+%3Fd\+WHERE\S* 200 ([0-9.]+) ms", log)]
    result["simple_in_server"] = {"requests": len(inside),
                                  "p50_ms": round(percentile(inside, 0.50), 1),
                                  "p95_ms": round(percentile(inside, 0.95), 1),
                                  "p99_ms": round(percentile(inside, 0.99), 1)}
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 1 if result["problems"] else 0


def exercise(server: Server, args: argparse.Namespace, store: Path,
             options: list[str]) -> dict[str, Any]:
    port = server.port
    status, body, _ = one(port, Request("health", "GET", "/health", {}, None, 200), 60)
    triples = json.loads(body)["triples"]
    documents, parts = discover(port)

    fast, slow, alone = [], {}, {}
    for name, query in examples():  # alone, one after another, before the load
        status, body, seconds = one(port, sparql(name, query, post=True), args.timeout + 60)
        alone[name] = round(seconds * 1000, 1) if status == 200 else None
        if status == 200 and seconds <= args.slow:
            fast.append((name, query))
        else:
            slow[name] = f"{seconds:.2f} s" if status == 200 else f"{status} after {seconds:.1f} s"
    stats_status, _, stats_cold = one(port, Request("/stats", "GET", "/stats", {}, None, 200),
                                      600)

    draw = make_mix(fast, documents, parts)
    busy_before = load_average()
    cpu_start = CpuMark.now(server.process.pid)
    started = time.monotonic()
    deadline = started + args.duration
    stop = threading.Event()
    samples: list[MemorySample] = []
    sampler = threading.Thread(target=sample_memory,
                               args=(server.process.pid, stop, samples, started))
    sampler.start()
    outcomes: list[list[Outcome]] = [[] for _ in range(args.clients)]
    runaways: list[Runaway] = []
    threads = [threading.Thread(target=client, args=(port, draw, args.seed * 1000 + i, deadline,
                                                     args.timeout * 2 + 60, outcomes[i],
                                                     started))
               for i in range(args.clients)]
    if args.runaway:
        threads.append(threading.Thread(target=run_away,
                                        args=(port, deadline, args.timeout, runaways, started)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cpu = cpu_shares(cpu_start, CpuMark.now(server.process.pid))
    cpu["load_average_before"] = busy_before
    time.sleep(1.0)  # a last memory sample after the load
    stop.set()
    sampler.join()

    done = [o for per_client in outcomes for o in per_client]
    kinds = sorted({o.kind for o in done})
    table = {kind: latency([o for o in done if o.kind == kind]) for kind in kinds}
    table["all"] = latency(done)
    problems = [o.detail for o in done if o.detail][:50]
    problems += [f"{r.name}: {r.status} {r.message[:150]}" for r in runaways
                 if not r.stopped_as_expected]
    if stats_status != 200:
        problems.append(f"/stats answered {stats_status} before the load")
    simple = [o for o in done if o.kind == "simple query"]
    mb = 1024
    server_kb = [s.server_kb for s in samples if s.server_kb]
    worker_kb = [kb for s in samples for kb in s.workers_kb]
    return {
        "store": str(args.store or (f"corpus replicated to ~{args.triples} triples"
                                    if args.triples else "corpus (unkg build)")),
        "triples": triples, "clients": args.clients, "duration": args.duration,
        "server_options": options, "examples_in_mix": [n for n, _ in fast],
        "examples_left_out": slow, "examples_alone_ms": alone,
        "stats_cold_seconds": round(stats_cold, 2),
        "latency": table, "throughput": round(len(done) / elapsed, 1),
        "runaways": [{**asdict(r), "seconds": round(r.seconds, 2)} for r in runaways],
        "simple_during_runaways": latency(during(simple, runaways)),
        "memory": {
            "samples": len(samples),
            "server_start_mb": round(server_kb[0] / mb, 1) if server_kb else None,
            "server_max_mb": round(max(server_kb, default=0) / mb, 1),
            "server_end_mb": round(server_kb[-1] / mb, 1) if server_kb else None,
            "worker_max_mb": round(max(worker_kb, default=0) / mb, 1),
            "total_max_mb": round(max((s.server_kb + sum(s.workers_kb) for s in samples),
                                      default=0) / mb, 1),
            "server_by_quarter": [
                [round(s.at), round(s.server_kb / mb, 1)]
                for s in (min(samples, key=lambda s: abs(s.at - args.duration * q / 4))
                          for q in range(5))] if samples else [],
            "series": [[s.at, round(s.server_kb / mb, 1), round(sum(s.workers_kb) / mb, 1)]
                       for s in samples[::4]]},
        "cpu": cpu,
        "problems": problems,
    }


if __name__ == "__main__":
    sys.exit(main())
