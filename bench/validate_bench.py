"""Validation time and peak memory at about 10k, 100k and 1M triples, engine against engine.

The data is the corpus graph (``unkg build`` into a memory store) scaled by replication: replica
``k`` is the whole graph with ``x{k}/`` inserted after the instance base in every instance IRI
(``.../unkg/x3/res/ga/70/174``), so every replica is a consistent copy whose identity checks
(part IRIs below their container, treaty IRIs from UNTS numbers) still hold. The smallest size
takes whole named graphs of the first replica until it reaches its target. The ontology's class
hierarchy is added once, as ``graph.validate.data_graph`` does.

Each (size, engine) runs in a fresh subprocess: it loads the N-Triples file into an rdflib memory
graph, times the validation call alone, and reports the process's peak RSS (load included) and
a digest of its results (``graph.validate.collect_results``). The reference is plain pySHACL
(``pyshacl.validate`` with its defaults; ``advanced=True`` because the shapes use SPARQL
targets). An engine counts only where its digest equals the reference's.

    python bench/validate_bench.py --sizes 10000 100000 1000000 --out bench/results.json

**Methods** (``--methods``): validation graph by graph (``graph.validate_graphs``, the default of
``unkg validate`` and of builds) against the union in one rdflib graph (``--whole``, the method
before), each run in a fresh process whose CPU and resident memory are summed over its process
tree (the pool's workers included) and sampled every 50 ms (``bench/build_bench.measured``),
with a digest of its results so that the two reports are compared at every size:

* ``corpus``: the corpus built ``--no-validate``; its full validation, both methods, alternated
  ``--rounds`` times (graph by graph with an empty cache); then one file changed, the rebuild
  ``--no-validate``, and its validation both ways (graph by graph with the cache the full
  validation left, which is what ``unkg build`` does); and ``unkg build`` end to end, fresh and
  then incremental, whose validation is graph by graph;
* ``1m``: the replicated store of ``bench/scale.py`` at ``--store-1m`` (opened read-only, not
  modified), both methods once;
* ``1m-incremental``: a copy of that store rebuilt ``--no-validate`` from ``--corpus`` (so that
  the build record names this code's extractor), validated graph by graph to fill the cache;
  then one file changed, the rebuild ``--no-validate``, and graph by graph validation with no
  cache (full) and with the cache (incremental) alternated ``--rounds`` times.

    flock /tmp/unkg-bench.lock python bench/validate_bench.py --methods --parts corpus
    flock /tmp/unkg-bench.lock python bench/validate_bench.py --methods --parts 1m
    flock /tmp/unkg-bench.lock python bench/validate_bench.py --methods --parts 1m-incremental
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.namespaces import BASE, UNKG  # noqa: E402

# name -> how the child process validates; "reference" first.
ENGINES = {
    "reference": "plain pySHACL: pyshacl.validate(g, shacl_graph=shapes, advanced=True)",
    "pyshacl-opts": "pySHACL with unkg's options: inference none, inplace, no meta-SHACL",
    "turbo": "pyshacl-turbo with unkg's options (graph.validate's default engine)",
    "shifty": "shifty (pyshifty), graph_mode='data'",
}


def corpus_nquads(corpus: Path) -> list[str]:
    """The corpus built into a memory store, as N-Quads lines."""
    import pyoxigraph as ox

    from graph.build import build_corpus
    from graph.store import open_store

    store = open_store(memory=True)
    summary = build_corpus(corpus, store)
    if summary.errors:
        print(f"warning: {len(summary.errors)} documents skipped", file=sys.stderr)
    data = ox.serialize(store.quads_for_pattern(None, None, None), format=ox.RdfFormat.N_QUADS)
    return sorted(line for line in data.decode("utf-8").splitlines() if line)


def hierarchy_ntriples() -> list[str]:
    from graph.validate import class_hierarchy, load_ontology

    return sorted(line for line in class_hierarchy(load_ontology()).serialize(format="nt").splitlines() if line)


_GRAPH = re.compile(r"\s<([^>]*)>\s\.$")


def replicate(quads: list[str], target: int) -> list[str]:
    """N-Triples lines of replicas of the corpus, whole named graphs, until ``target`` triples."""
    base, ontology = f"<{BASE}", f"<{UNKG}"
    by_graph: dict[str, list[str]] = {}
    for line in quads:
        match = _GRAPH.search(line)
        name = match.group(1) if match else ""
        triple = line[:match.start()] + " ." if match else line
        by_graph.setdefault(name, []).append(triple)
    # The reference and build graphs first (every document graph needs the bodies they
    # describe), then the documents from the smallest, so small targets are met closely.
    order = sorted(by_graph, key=lambda g: (not g.endswith(("/reference", "/build")),
                                            len(by_graph[g]), g))
    lines: list[str] = []
    replica = 0
    while len(lines) < target:
        for name in order:
            if len(lines) >= target:
                break
            for triple in by_graph[name]:
                protected = triple.replace(ontology, "\0")
                lines.append(protected.replace(base, f"{base}x{replica}/").replace("\0", ontology))
        replica += 1
    return lines


def child(engine: str, data: str) -> dict:
    """Run in a subprocess: load, validate with one engine, report time, memory, results."""
    from rdflib import Graph

    from graph.validate import collect_results, load_shapes

    shapes = load_shapes()
    graph = Graph().parse(data, format="nt")
    start = time.perf_counter()
    if engine == "reference":
        from pyshacl import validate

        conforms, report, _ = validate(graph, shacl_graph=shapes, advanced=True)
    elif engine == "pyshacl-opts":
        from pyshacl import validate

        conforms, report, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                       inplace=True, meta_shacl=False, allow_warnings=True)
    elif engine == "turbo":
        from pyshacl_turbo import validate

        conforms, report, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                       inplace=True, meta_shacl=False, allow_warnings=True)
    else:
        import shifty

        conforms, report, _ = shifty.validate(graph, shacl_graph=shapes, graph_mode="data")
    seconds = time.perf_counter() - start
    results = collect_results(report, shapes, graph)
    # shifty re-serialises the shapes, so its blank-node shape names differ: compare without them.
    rows = sorted(json.dumps([r.path, r.focus, r.value, r.message, r.severity, r.component])
                  for r in results)
    full = sorted(json.dumps(list(r.__dict__.values())) for r in results)
    return {
        "engine": engine, "triples": len(graph), "seconds": round(seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "conforms": bool(conforms), "results": len(results),
        "digest": hashlib.sha256("\n".join(full).encode()).hexdigest()[:16],
        "digest_without_shape": hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16],
    }


def measure(engine: str, data: Path, timeout: float) -> dict:
    """One (size, engine) run in a fresh interpreter, so peak memory is its own."""
    try:
        done = subprocess.run([sys.executable, __file__, "--child", engine, str(data)],
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "error": f"timeout after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    """Markdown: per size, each engine's time, memory, ratio to the reference, same report."""
    out = ["| triples | engine | validation s | peak RSS MB | time vs reference | results | same report |",
           "|---:|---|---:|---:|---:|---:|---|"]
    reference = {r["size"]: r for r in rows if r["engine"] == "reference" and "error" not in r}
    for r in rows:
        if "error" in r:
            out.append(f"| {r['size']:,} | {r['engine']} | {r['error']} | | | | |")
            continue
        ref = reference.get(r["size"])
        ratio = f"{r['seconds'] / ref['seconds']:.2f}" if ref else "n/a"
        same = "n/a" if not ref else "yes" if r["digest"] == ref["digest"] else \
            "yes, except shape names" if r["digest_without_shape"] == ref["digest_without_shape"] else "NO"
        out.append(f"| {r['triples']:,} | {r['engine']} | {r['seconds']:.2f} | {r['peak_rss_mb']:.0f} "
                   f"| {ratio} | {r['results']} | {same} |")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Methods: graph by graph against the union in memory


def method_child(method: str, store_path: str, cache: str, jobs: int) -> dict:
    """Run in a subprocess: validate a store with one method; time, work, result digest."""
    import pyoxigraph as ox

    from graph.store import current_version, version_dir
    from graph.validate import validate
    from graph.validate_graphs import Work, validate_graphs

    root = Path(store_path)
    version = current_version(root)
    location = version_dir(root, version) if version and version != "legacy" else root
    store = ox.Store.read_only(str(location))
    work = Work()
    start = time.perf_counter()
    if method == "whole":
        report = validate(store, whole=True)
    else:
        report = validate_graphs(store, jobs=jobs, cache=Path(cache) if cache else None, work=work)
    seconds = time.perf_counter() - start
    rows = sorted(json.dumps([r.shape, r.path, re.sub(r"_:\w+", "_:b", r.focus),
                              re.sub(r"_:\w+", "_:b", r.value or ""), r.message, r.severity,
                              r.component]) for r in report.results)
    return {"method": method, "seconds": round(seconds, 2), "conforms": report.conforms,
            "results": len(report.results), "work": work.__dict__,
            "digest": hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]}


def measure_method(method: str, store: Path, cache: Path | None = None, jobs: int = 2) -> dict:
    """``method_child`` in a fresh interpreter, measured over its process tree."""
    from build_bench import measured

    run = measured([sys.executable, __file__, "--method-child", method, str(store),
                    str(cache or ""), str(jobs)])
    row = json.loads(run.pop("stdout").splitlines()[-1])
    row.update(run)
    return row


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def rebuild_one_changed(corpus: Path, store: Path, jobs: int) -> dict:
    """One file of ``corpus`` changed (a line added), then ``unkg build --no-validate``: what
    an incremental validation then has before it."""
    from build_bench import CHANGED, measured, unkg

    path = corpus / CHANGED
    path.write_bytes(path.read_bytes() + b"\n")
    return measured(unkg("--store", str(store), "build", "-q", "--no-validate", "--jobs",
                         str(jobs), str(corpus)))


def methods_corpus(work: Path, corpus: Path, rounds: int, jobs: int) -> dict:
    """Full and incremental validation of the corpus, both methods, and builds end to end."""
    import shutil

    from build_bench import CHANGED, measured, unkg

    copy, store, built = work / "corpus", work / "store", work / "built"
    shutil.copytree(corpus, copy)
    out: dict = {"load_before": load_average()}
    out["build_no_validate"] = measured(unkg("--store", str(store), "build", "-q", "--fresh",
                                             "--no-validate", "--jobs", str(jobs), str(copy)))
    cache = work / "cache.json"
    full = []
    for _ in range(rounds):
        full.append(measure_method("whole", store))
        cache.unlink(missing_ok=True)
        full.append(measure_method("split", store, cache, jobs))
    out["full"] = full
    seeded = work / "cache-full.json"
    shutil.copy(cache, seeded)
    out["rebuild_no_validate"] = rebuild_one_changed(copy, store, jobs)
    incremental = []
    for _ in range(rounds):
        incremental.append(measure_method("whole", store))
        shutil.copy(seeded, cache)
        incremental.append(measure_method("split", store, cache, jobs))
    out["incremental"] = incremental
    # unkg build end to end (validation graph by graph): fresh, then one file changed.
    out["build_fresh_validated"] = measured(unkg("--store", str(built), "build", "-q", "--fresh",
                                                 "--jobs", str(jobs), str(copy)))
    path = copy / CHANGED
    path.write_bytes(path.read_bytes() + b"\n")
    out["build_incremental_validated"] = measured(unkg("--store", str(built), "build", "-q",
                                                       "--jobs", str(jobs), str(copy)))
    for key in ("build_no_validate", "rebuild_no_validate", "build_fresh_validated",
                "build_incremental_validated"):
        out[key].pop("stdout", None)
    out["load_after"] = load_average()
    return out


def methods_1m(store: Path, jobs: int) -> dict:
    """The replicated store, both methods once (split first: it leaves the machine as it was)."""
    out: dict = {"load_before": load_average()}
    out["split"] = measure_method("split", store, None, jobs)
    out["whole"] = measure_method("whole", store)
    out["load_after"] = load_average()
    return out


def methods_1m_incremental(work: Path, store: Path, corpus: Path, rounds: int,
                           jobs: int) -> dict:
    """A copy of the replicated store with one file of replica 0 changed: graph by graph, full
    against incremental (the cache filled before the change), on the same store."""
    import shutil

    from build_bench import measured, unkg

    copy, files, cache = work / "store-1m", work / "corpus-1m", work / "cache-1m.json"
    shutil.copytree(store, copy)
    shutil.copytree(corpus, files)
    out: dict = {"load_before": load_average()}
    out["build_no_validate"] = measured(unkg("--store", str(copy), "build", "-q",
                                             "--no-validate", "--jobs", str(jobs), str(files)))
    out["before_change"] = measure_method("split", copy, cache, jobs)
    seeded = work / "cache-1m-full.json"
    shutil.copy(cache, seeded)
    out["rebuild_no_validate"] = rebuild_one_changed(files, copy, jobs)
    runs = []
    for _ in range(rounds):
        runs.append(measure_method("split", copy, None, jobs))
        shutil.copy(seeded, cache)
        runs.append(measure_method("split", copy, cache, jobs) | {"method": "incremental"})
    out["after_change"] = runs
    for key in ("build_no_validate", "rebuild_no_validate"):
        out[key].pop("stdout", None)
    out["load_after"] = load_average()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", choices=sorted(ENGINES), default=list(ENGINES))
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run (default 3600)")
    parser.add_argument("--out", type=Path, help="also write the measurements as JSON")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "DATA"), help=argparse.SUPPRESS)
    parser.add_argument("--methods", action="store_true",
                        help="graph by graph against the union in memory (see the docstring)")
    parser.add_argument("--parts", nargs="+", choices=["corpus", "1m", "1m-incremental"],
                        default=["corpus", "1m"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--store-1m", type=Path, default=Path("/var/tmp/unkg-scale/q1000000/unkg"))
    parser.add_argument("--method-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    if args.method_child:
        method, store, cache, jobs = args.method_child
        print(json.dumps(method_child(method, store, cache, int(jobs))))
        return 0
    if args.methods:
        sys.path.insert(0, str(ROOT / "bench"))
        results = {}
        with tempfile.TemporaryDirectory(prefix="unkg-validate-") as tmp:
            if "corpus" in args.parts:
                results["corpus"] = methods_corpus(Path(tmp), args.corpus, args.rounds, args.jobs)
            if "1m" in args.parts:
                results["1m"] = methods_1m(args.store_1m, args.jobs)
            if "1m-incremental" in args.parts:
                results["1m-incremental"] = methods_1m_incremental(
                    Path(tmp), args.store_1m, args.corpus, args.rounds, args.jobs)
        print(json.dumps(results, indent=1))
        if args.out:
            args.out.write_text(json.dumps(results, indent=1) + "\n")
        return 0
    quads = corpus_nquads(args.corpus)
    hierarchy = hierarchy_ntriples()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            data = Path(tmp) / f"data-{size}.nt"
            data.write_text("\n".join(replicate(quads, size) + hierarchy) + "\n", encoding="utf-8")
            for engine in args.engines:
                row = {"size": size, **measure(engine, data, args.timeout)}
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
                if args.out:
                    args.out.write_text(json.dumps(rows, indent=1) + "\n")
            os.unlink(data)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
