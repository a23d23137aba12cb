"""Rebuild while serving, measured: ``unkg serve`` answers clients while ``unkg build`` writes
a new version of its store and switches to it.

    python bench/rebuild_bench.py [--clients 4] [--rounds 3]

The store is built from the real corpus without its five last files (version A); a server
(``unkg serve``, 2 query workers) starts on it; ``--clients`` threads loop, half over a SPARQL
query answered by the workers (the build record: the files and time of the build, unique to a
version), half over ``/health`` (the web process's own store: its triple count); then ``unkg build`` of the whole corpus
(version B) runs in another process, and the next rounds rebuild A and B in turn. Reported:
answers, errors, answers that are neither version's, per-query latency before, during and
after the build, the build's time, the time from the switch to the last answer of the old
version and to the first of the new, and when the old version's directory was removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults import ROOT, _get, _serve, cli, store_state  # noqa: E402
from graph.store import POINTER, current_version, versions  # noqa: E402

# The build record: which files the version was built from, and when (unique per build).
BUILD = ("SELECT ?f ?t WHERE { GRAPH <https://w3id.org/unkg/graph/build> { "
         "?x <http://www.w3.org/ns/prov#generated> ?g ; <http://www.w3.org/ns/prov#endedAtTime> ?t . "
         "?g <http://purl.org/dc/terms/source> ?f } } ORDER BY ?f")


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corpus = ROOT / "corpus"
    files = sorted(p.name for p in corpus.iterdir() if p.suffix in (".txt", ".md"))
    with tempfile.TemporaryDirectory(prefix="unkg-rebuild-") as work_dir:
        work = Path(work_dir)
        corpora = {"A": work / "A", "B": work / "B"}
        for name, chosen in (("A", files[:-5]), ("B", files)):
            corpora[name].mkdir()
            for file in chosen + ["manifest.json"]:
                shutil.copy(corpus / file, corpora[name] / file)
        root = work / "store"

        def build(name: str) -> float:
            started = time.monotonic()
            subprocess.run(cli("--store", str(root), "build", "-q", "--fresh", str(corpora[name])),
                           cwd=ROOT, check=True, capture_output=True)
            return time.monotonic() - started

        build("A")
        server, url = _serve(root)
        rows = []
        try:
            for round_number in range(args.rounds):
                target = "B" if round_number % 2 == 0 else "A"
                old_version = current_version(root)
                old_state = store_state(root)
                log: list[tuple[float, float, str, object]] = []  # start, seconds, kind, answer
                errors: list[str] = []
                stop = threading.Event()

                def client(number: int) -> None:
                    while not stop.is_set():
                        kind = "sparql" if number % 2 == 0 else "health"
                        started = time.monotonic()
                        try:
                            if kind == "sparql":
                                status, body = _get(url, "/sparql", query=BUILD)
                                answer: object = tuple(
                                    (b["f"]["value"], b["t"]["value"])
                                    for b in json.loads(body)["results"]["bindings"])
                            else:
                                status, body = _get(url, "/health")
                                answer = json.loads(body)["triples"]
                        except Exception as error:  # noqa: BLE001
                            errors.append(f"{type(error).__name__}: {error}")
                            continue
                        if status != 200:
                            errors.append(f"{kind} {status}")
                        log.append((started, time.monotonic() - started, kind, answer))

                threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
                for thread in threads:
                    thread.start()
                while not any(kind == "sparql" for _, _, kind, _ in log):
                    time.sleep(0.05)  # the first query starts the query workers
                time.sleep(3)
                pointer = (root / POINTER).read_bytes()
                build_started = time.monotonic()
                builder = threading.Thread(target=build, args=(target,))
                builder.start()
                while (root / POINTER).read_bytes() == pointer:
                    time.sleep(0.0005)
                switched = time.monotonic()
                builder.join()
                build_seconds = time.monotonic() - build_started
                new_version = current_version(root)
                removed_after = None
                while time.monotonic() - switched < 15:
                    if old_version not in versions(root):
                        removed_after = time.monotonic() - switched
                        break
                    time.sleep(0.01)
                time.sleep(1)
                stop.set()
                for thread in threads:
                    thread.join()
                new_state = store_state(root)
                neither, old_last, new_first = 0, None, None
                for kind in ("sparql", "health"):
                    mine = sorted((t, a) for t, _, k, a in log if k == kind)
                    first, last = mine[0][1], mine[-1][1]
                    neither += sum(a not in (first, last) for _, a in mine)
                    if kind == "sparql":
                        old_last = max(t for t, a in mine if a == first) - switched
                        new_first = min(t for t, a in mine if a == last) - switched
                phases = {"before": [s for t, s, k, _ in log
                                     if k == "sparql" and build_started - 2 <= t < build_started],
                          "during": [s for t, s, k, _ in log
                                     if k == "sparql" and build_started <= t < switched],
                          "after": [s for t, s, k, _ in log if k == "sparql" and t >= switched]}
                rows.append({
                    "round": round_number + 1, "to": target, "answers": len(log),
                    "errors": len(errors), "neither version": neither,
                    "state changed": old_state != new_state,
                    "build s": round(build_seconds, 2),
                    "last old query started after switch ms": round(old_last * 1000, 1),
                    "first new query started after switch ms": round(new_first * 1000, 1),
                    "old version removed after s": round(removed_after, 2) if removed_after is not None else None,
                    **{f"p50/p95 {name} ms": (round(statistics.median(v) * 1000, 1),
                                             round(percentile(v, 0.95) * 1000, 1)) if v else None
                       for name, v in phases.items()},
                    "versions": (old_version, new_version), "first errors": errors[:3]})
                print(json.dumps(rows[-1]), flush=True)
        finally:
            server.kill()
            server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
