"""The store setting's three kinds measured side by side: ``unkg serve`` on the embedded store,
on a remote Oxigraph server and on Virtuoso, with the same corpus, in one run.

    flock /tmp/unkg-bench.lock python bench/remote_bench.py [--rounds 20] [--switches 5]
        [--rebuilds 3] [--builds-only]

1. Starts ``oxigraph serve`` and Virtuoso on loopback ports (``tests/remote/servers.py``) and
   builds the corpus into each store with ``unkg build`` (embedded: a new version; remote: the
   build, its upload in staged graphs and the switch), timing each; then, ``--rebuilds`` times
   in turn on each store, builds it again unchanged and with one file changed (``CHANGED``, a
   line added then taken away), the incremental builds, against a full one (``--fresh``, its
   validation cache removed first), all validated and extracted in one process per core, as
   ``unkg build`` does.
2. Starts one ``unkg serve`` per store (2 query workers), and sends each request of the mix
   (every example query, a one-document query, ``/lookup``, a resource page as HTML and as
   Turtle, ``/health``) to the three servers in turn, ``--rounds`` times after two warm-up
   rounds, on keep-alive connections: p50 and p95 per request and store, and the ratio of
   each remote store's p50 to the embedded store's.
3. Switch atomicity, per remote store: ``--switches`` times, every graph of the corpus is
   uploaded again under staging names with a marker triple naming the round, then switched in
   by the one update request of ``graph.remote``, while two threads keep asking how many
   different markers the served graphs hold: an answer other than 1 mixed two versions.

Prints a table and writes ``bench/remote-results.json`` (with the load average and commit;
``--builds-only``: steps 1 only, into ``bench/remote-builds.json``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import remote  # noqa: E402
from graph.build import build_corpus, build_version  # noqa: E402
from graph.jobs import default_jobs  # noqa: E402
from graph.validate_graphs import CACHE_FILE  # noqa: E402
from graph.store import named_graphs  # noqa: E402
from server.home import examples  # noqa: E402
from tests.remote.servers import (CREDENTIALS, Server, free_port, start_oxigraph,  # noqa: E402
                                  start_virtuoso)

MARKER = "urn:unkg:bench:marker"
CHANGED = "A_RES_76_181.txt"  # the file a one-file rebuild changes (26 kB, a mid-sized one)


def requests() -> list[tuple[str, str, str, bytes | None, str]]:
    """(name, method, path, body, accept) of the mix."""
    mix: list[tuple[str, str, str, bytes | None, str]] = [(e.name, "POST", "/sparql", urllib.parse.urlencode({"query": e.query}).encode(),
            "application/sparql-results+json") for e in examples()]
    tiny = 'SELECT ?d WHERE { ?d dcterms:identifier "A/RES/70/174" }'
    mix += [("one document", "POST", "/sparql", urllib.parse.urlencode({"query": tiny}).encode(),
             "application/sparql-results+json"),
            ("/lookup", "GET", "/lookup?symbol=A/RES/70/174", None, "text/html"),
            ("resource page (HTML)", "GET", "/res/ga/70/174", None, "text/html"),
            ("resource (Turtle)", "GET", "/res/ga/70/174", None, "text/turtle"),
            ("/health", "GET", "/health", None, "application/json")]
    return mix


class Serve:
    """``unkg serve`` on a loopback port over one store setting."""

    def __init__(self, setting: str, log: Path) -> None:
        self.port = free_port()
        environment = {**os.environ, **CREDENTIALS, "UNKG_ANSWER_CACHE_MB": "0"}
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("unkg")), "--store", setting, "serve",
             "--port", str(self.port), "--workers", "2"],
            cwd=ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/health", None, "application/json")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"unkg serve --store {setting} did not start: {log.read_text()[-2000:]}")

    def call(self, method: str, path: str, body: bytes | None, accept: str) -> tuple[int, float]:
        connection = getattr(self, "_connection", None) or http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60)
        self._connection = connection
        headers = {"Accept": accept}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self._connection = None
            raise
        return response.status, time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def build_all(corpus: Path, work: Path, servers: dict[str, Server]) -> dict[str, Any]:
    """``unkg build`` of the corpus into each store: its setting and seconds."""
    built: dict[str, Any] = {}
    started = time.perf_counter()
    build_version(corpus, work / "store")
    built["embedded"] = {"setting": str(work / "store"), "seconds": time.perf_counter() - started}
    for name, server in servers.items():
        started = time.perf_counter()
        remote.build_remote(corpus, remote.parse_store(server.setting, CREDENTIALS))
        built[name] = {"setting": server.setting, "seconds": time.perf_counter() - started}
    return built


def rebuilds(corpus: Path, built: dict[str, Any], times: int) -> dict[str, Any]:
    """Seconds of each store's builds: ``full`` (``--fresh``: every file read and every graph
    uploaded), ``unchanged`` and ``one_file`` (incremental), ``times`` each, the stores and
    kinds taken in turn so that a busy moment of the machine is shared out; medians and the
    ratio of an incremental build to a full one. ``corpus`` is the run's own copy."""
    changed = corpus / CHANGED
    original = changed.read_bytes()
    seconds: dict[str, dict[str, list[float]]] = {
        store: {"full": [], "unchanged": [], "one_file": []} for store in built}
    for number in range(times):
        for store, record in built.items():
            for kind in ("full", "unchanged", "one_file"):
                if kind == "one_file":
                    # unlike what this store's last build read, whatever others read
                    changed.write_bytes(original + b"\n" if changed.read_bytes() == original
                                        else original)
                if kind == "full":  # everything validated too, as before builds kept caches
                    cache = (Path(record["setting"]) / CACHE_FILE if store == "embedded" else
                             remote.validation_cache(remote.parse_store(record["setting"])))
                    if cache is not None:
                        cache.unlink(missing_ok=True)
                started = time.perf_counter()
                if store == "embedded":
                    summary = build_version(corpus, record["setting"], fresh=kind == "full",
                                            jobs=default_jobs()).summary
                else:
                    summary = remote.build_remote(
                        corpus, remote.parse_store(record["setting"], CREDENTIALS),
                        fresh=kind == "full", jobs=default_jobs()).summary
                seconds[store][kind].append(time.perf_counter() - started)
                expected = {"full": summary.read, "unchanged": 0, "one_file": 1}[kind]
                if summary.read != expected:
                    raise RuntimeError(f"{store} {kind}: {summary.read} files read")
    results: dict[str, Any] = {}
    for store, by_kind in seconds.items():
        medians = {kind: statistics.median(values) for kind, values in by_kind.items()}
        results[store] = {**medians, "runs": by_kind,
                          "unchanged_to_full": medians["unchanged"] / medians["full"],
                          "one_file_to_full": medians["one_file"] / medians["full"]}
    return results


def latency(serves: dict[str, Serve], rounds: int) -> dict[str, dict[str, dict[str, float]]]:
    """p50 and p95 milliseconds per request and store, the stores asked in turn."""
    mix = requests()
    times: dict[str, dict[str, list[float]]] = {r[0]: {s: [] for s in serves} for r in mix}
    names = list(serves)
    for number in range(rounds + 2):
        for name, method, path, body, accept in mix:
            order = names[number % len(names):] + names[:number % len(names)]
            for store in order:
                status, seconds = serves[store].call(method, path, body, accept)
                if status >= 400:
                    raise RuntimeError(f"{store}: {name} answered {status}")
                if number >= 2:
                    times[name][store].append(seconds * 1000)
    return {request: {store: {"p50": statistics.median(values),
                              "p95": percentile(values, 0.95)}
                      for store, values in by_store.items()}
            for request, by_store in times.items()}


def atomicity(setting: str, local: ox.Store, switches: int) -> dict[str, Any]:
    """Switch ``switches`` versions in while two threads ask how many versions they see."""
    client = remote.Client(remote.parse_store(setting, CREDENTIALS))
    graphs = named_graphs(local)
    question = (f"SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE {{ GRAPH ?g {{ <{MARKER}> <{MARKER}> ?v "
                "} }")
    answers: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                rows = client.select(question, named=graphs)
            except OSError as error:
                errors.append(str(error))
                continue
            answers.append(int(rows[0]["n"]))

    upload_s, switch_s = [], []
    readers: list[threading.Thread] = []
    for number in range(switches):
        version = f"bench{number}"
        store = ox.Store()
        for quad in local:
            store.add(quad)
        store.extend(ox.Quad(ox.NamedNode(MARKER), ox.NamedNode(MARKER), ox.Literal(version),
                             ox.NamedNode(g)) for g in graphs)
        started = time.perf_counter()
        remote.upload(client, store, version, graphs)
        upload_s.append(time.perf_counter() - started)
        if number == 1:
            readers = [threading.Thread(target=ask) for _ in range(2)]
            for reader in readers:
                reader.start()
            time.sleep(0.5)
        started = time.perf_counter()
        client.update(remote.switch_update(version, graphs, [], []))
        switch_s.append(time.perf_counter() - started)
        time.sleep(0.5)
    stop.set()
    for reader in readers:
        reader.join()
    return {"switches": switches, "answers": len(answers), "errors": errors[:5],
            "failed": len(errors), "mixed": sum(1 for n in answers if n != 1),
            "upload_s": statistics.median(upload_s), "switch_s": statistics.median(switch_s)}


def print_rebuilds(results: dict[str, Any]) -> None:
    print(f"{'rebuild (s, median)':24} {'full':>8} {'unchanged':>16} {'one file':>16}")
    for store, r in results.items():
        print(f"{store:24} {r['full']:8.2f} {r['unchanged']:8.2f} ({r['unchanged_to_full']:4.2f}x)"
              f" {r['one_file']:8.2f} ({r['one_file_to_full']:4.2f}x)")


def write(out: Path, results: dict[str, Any]) -> None:
    """The results, with the commit measured, as JSON."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    out.write_text(json.dumps({"commit": commit, **results}, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--switches", type=int, default=5)
    parser.add_argument("--rebuilds", type=int, default=3)
    parser.add_argument("--builds-only", action="store_true",
                        help="only the builds and rebuilds (step 1)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / ("remote-builds.json" if args.builds_only
                                        else "remote-results.json")
    os.environ.update(CREDENTIALS)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="unkg-remote-bench-") as directory:
        work = Path(directory)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # the remote validation caches
        (work / "oxigraph").mkdir()
        (work / "virtuoso").mkdir()
        servers = {"oxigraph": start_oxigraph(work / "oxigraph"),
                   "virtuoso": start_virtuoso(work / "virtuoso")}
        serves: dict[str, Serve] = {}
        corpus = shutil.copytree(args.corpus, work / "corpus")  # what the run builds, alone
        try:
            built = build_all(corpus, work, servers)
            again = rebuilds(corpus, built, args.rebuilds)
            print_rebuilds(again)
            if args.builds_only:
                write(out, {"load_average": [load_before, os.getloadavg()],
                            "build_s": {n: r["seconds"] for n, r in built.items()},
                            "rebuild_s": again})
                return 0
            for name, record in built.items():
                serves[name] = Serve(record["setting"], work / f"serve-{name}.log")
            figures = latency(serves, args.rounds)
            local = ox.Store()
            build_corpus(corpus, local)
            switched = {name: atomicity(server.setting, local, args.switches)
                        for name, server in servers.items()}
        finally:
            for serve in serves.values():
                serve.stop()
            for server in servers.values():
                server.stop()
    write(out, {"quads": len(local), "rounds": args.rounds,
                "load_average": [load_before, os.getloadavg()], "build_s": {
                    name: record["seconds"] for name, record in built.items()},
                "rebuild_s": again, "latency_ms": figures, "atomicity": switched})
    print(f"{len(local)} quads; builds: " + ", ".join(
        f"{n} {r['seconds']:.1f} s" for n, r in built.items()))
    print(f"{'request':32} {'embedded':>16} {'oxigraph':>22} {'virtuoso':>22}")
    for request, by_store in figures.items():
        base = by_store["embedded"]["p50"]
        cells = [f"{by_store['embedded']['p50']:6.1f} / {by_store['embedded']['p95']:6.1f}"]
        cells += [f"{by_store[s]['p50']:6.1f} / {by_store[s]['p95']:6.1f} ({by_store[s]['p50'] / base:4.1f}x)"
                  for s in ("oxigraph", "virtuoso")]
        print(f"{request:32} {cells[0]:>16} {cells[1]:>22} {cells[2]:>22}")
    for name, record in switched.items():
        print(f"{name}: {record['switches']} switches, {record['answers']} answers during them, "
              f"{record['mixed']} mixing two versions, {record['failed']} failed; upload {record['upload_s']:.1f} s, "
              f"switch {record['switch_s']:.2f} s (medians)")
    print(f"load average before / after: {load_before} / {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
