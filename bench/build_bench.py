"""How fast ``unkg build`` runs: extraction in one process against a pool, incremental
rebuilds against full ones, and Oxigraph's bulk loader against transactional inserts.

    flock /tmp/unkg-bench.lock python bench/build_bench.py [--rounds 2] [--quads 1000000]

**Builds** run the command line, ``unkg build --fresh --no-validate --jobs N`` on the real
corpus, ``--jobs 1`` and ``--jobs 2`` alternating for ``--rounds`` rounds: wall time, corpus MB
and triples per second, and the speed-up of 2 jobs as a ratio measured in the same run. CPU is
the user and system time of the command and its processes (the machine is shared: a second job
speeds a build up only where a core is free). Peak memory is the largest sum of the resident
sizes of the command and all its processes (the pool's workers and forkserver), sampled every
50 ms, and the largest single process (its own high-water mark, from ``wait4``). One build
with validation (the command's default) gives the whole command's time. Interleaved with the
builds: **extraction alone** (the corpus's files three times over through ``graph.jobs.run``,
no store; the copies are honest work for the extractor, only the store would merge them), and
**the machine's own speed-up**, four equal pure-Python loops in one process and in two: on a
machine shared with other work that, not 2, is the most a second job can give.

**Incremental** rebuilds on a copy of the current version: nothing changed, one file changed,
with and without validation, against the full build.

**Loading** is measured apart from extraction because copies of the corpus are the same
documents (same IRIs): a build of a corpus copied k times is not k times the work of the store.
The corpus's N-Quads are replicated to about ``--quads`` quads with every instance IRI under a
replica prefix (``bench/scale.py``), and loaded into a new on-disk store three ways, each in its
own process: the bulk loader (what the build uses), ``Store.load`` (one transaction), and
``Store.extend`` per named graph (what builds did before).

Results go to ``bench/build-results.json`` (``--out``); bench/README.md, "Builds", has a run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procstat import children, status_kb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "corpus"
CHANGED = "A_RES_76_150.txt"  # the file the incremental build sees changed


def measured(command: list[str]) -> dict[str, Any]:
    """Run ``command``; exit status, wall seconds, peak tree and process RSS (MB), stdout."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
    stop = threading.Event()
    peak = [0]
    cpu: dict[int, float] = {}

    def sample() -> None:
        while not stop.is_set():
            tree = [process.pid, *children(process.pid, recursive=True)]
            peak[0] = max(peak[0], sum(status_kb(pid) for pid in tree))
            cpu.update((pid, cpu_seconds(pid) or cpu.get(pid, 0.0)) for pid in tree)
            stop.wait(0.05)
    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    out.seek(0)
    err.seek(0)
    code = process.returncode
    if code not in (0, 1):
        sys.stderr.write(err.read().decode(errors="replace")[-3000:])
        raise SystemExit(f"{' '.join(command)}: exit status {code}")
    return {"status": code, "wall_s": round(wall, 2), "cpu_s": round(sum(cpu.values()), 2),
            "tree_peak_mb": round(peak[0] / 1024),
            "process_peak_mb": round(usage.ru_maxrss / 1024), "stdout": out.read().decode().strip()}


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def unkg(*args: str) -> list[str]:
    return [sys.executable, "-m", "graph.cli", *args]


def summary_numbers(stdout: str) -> dict[str, int]:
    """The counts ``unkg build`` prints: ``files read: 57  kept: 0 … triples: 93880 …``."""
    words = stdout.replace("files read:", "read:").split()
    return {words[i].rstrip(":"): int(words[i + 1]) for i in range(0, len(words) - 1)
            if words[i].endswith(":") and words[i + 1].isdigit()}


def corpus_megabytes(corpus: Path) -> float:
    from graph.build import corpus_files
    return sum(p.stat().st_size for p in corpus_files(corpus)) / 1e6


BUSY_LOOP = 15_000_000


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def busy(jobs: int) -> dict[str, float]:
    """The machine's own speed-up: four equal pure-Python loops, here or in ``jobs``
    processes. On a shared machine this, not 2, is what a second job can give."""
    from graph.jobs import run
    started = time.perf_counter()
    list(run(_spin, [(BUSY_LOOP,)] * 4, jobs=jobs))
    return {"seconds": round(time.perf_counter() - started, 2)}


def extract_only(jobs: int, copies: int) -> dict[str, Any]:
    """Extraction alone (no store): the corpus's files ``copies`` times over, in ``jobs``
    processes, through the build's own ``graph.jobs.run``."""
    from graph.build import corpus_files, extract_file, load_manifest
    from graph.jobs import run
    manifest = load_manifest(CORPUS)
    paths = corpus_files(CORPUS) * copies
    started = time.perf_counter()
    quads = sum(r.quads for r in run(extract_file, ((p, manifest) for p in paths), jobs=jobs,
                                     count=len(paths)))
    seconds = time.perf_counter() - started
    return {"files": len(paths), "mb": round(corpus_megabytes(CORPUS) * copies, 2),
            "quads": quads, "seconds": round(seconds, 2)}


def builds(work: Path, rounds: int, copies: int = 3) -> dict[str, Any]:
    """Each round runs the loop, the extraction and the build with 1 job then 2, side by
    side, so each speed-up is a ratio of two runs under the same load; the figures are the
    median over rounds."""
    megabytes = corpus_megabytes(CORPUS)
    runs: dict[str, dict[int, list[dict[str, Any]]]] = {
        kind: {1: [], 2: []} for kind in ("loop", "extraction", "build")}
    for _ in range(rounds):
        for jobs in (1, 2):
            run = measured([sys.executable, __file__, "--busy", str(jobs)])
            run.update(json.loads(run.pop("stdout")))
            runs["loop"][jobs].append(run)
        for jobs in (1, 2):
            run = measured([sys.executable, __file__, "--extract-only", str(jobs), str(copies)])
            run.update(json.loads(run.pop("stdout")))
            runs["extraction"][jobs].append(run)
        for jobs in (1, 2):
            store = work / f"jobs{jobs}"
            shutil.rmtree(store, ignore_errors=True)
            run = measured(unkg("--store", str(store), "build", "-q", "--fresh", "--no-validate",
                                "--jobs", str(jobs), str(CORPUS)))
            run.update(summary_numbers(run.pop("stdout")))
            run["seconds"] = run["wall_s"]
            runs["build"][jobs].append(run)
    triples = runs["build"][1][0]["triples"]
    extracted_mb = runs["extraction"][1][0]["mb"]
    extracted_quads = runs["extraction"][1][0]["quads"]
    table: dict[str, Any] = {}
    for kind, found in runs.items():
        ratios = [round(one["seconds"] / two["seconds"], 2) for one, two in zip(found[1], found[2])]
        row: dict[str, Any] = {"speedup_2_jobs": statistics.median(ratios), "per_round": ratios}
        for jobs in (1, 2):
            seconds = statistics.median(r["seconds"] for r in found[jobs])
            row[jobs] = {"seconds": seconds,
                         "cpu_s": statistics.median(r["cpu_s"] for r in found[jobs]),
                         "tree_peak_mb": max(r["tree_peak_mb"] for r in found[jobs]),
                         "process_peak_mb": max(r["process_peak_mb"] for r in found[jobs])}
            if kind == "build":
                row[jobs].update(mb_per_s=round(megabytes / seconds, 3),
                                 triples_per_s=round(triples / seconds))
            if kind == "extraction":
                row[jobs].update(mb_per_s=round(extracted_mb / seconds, 3),
                                 quads_per_s=round(extracted_quads / seconds))
        table[kind] = row
    validated = measured(unkg("--store", str(work / "validated"), "build", "-q", "--fresh",
                              "--jobs", "2", str(CORPUS)))
    validated.pop("stdout")
    return {"corpus_mb": round(megabytes, 2), "files": runs["build"][1][0]["read"],
            "triples": triples, "extraction_copies": copies, "extraction_mb": extracted_mb,
            "median": table, "runs": runs, "with_validation_jobs_2": validated}


def incremental(work: Path, full_s: float) -> dict[str, Any]:
    """Rebuilds of the store ``builds`` left in ``work/jobs2``."""
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(CORPUS, corpus)
    store = str(work / "incremental")
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(work / "jobs2", store)
    # One rebuild first, so that the record names the extractor as it is now (an edit to the
    # graph package since the full build would otherwise make every file read again).
    measured(unkg("--store", store, "build", "-q", "--no-validate", str(corpus)))
    results: dict[str, Any] = {}
    for name, change, validate in (("unchanged", False, False), ("one file changed", True, False),
                                   ("unchanged, validated", False, True),
                                   ("one file changed, validated", True, True)):
        if change:
            path = corpus / CHANGED
            path.write_bytes(path.read_bytes() + b"\n")
        run = measured(unkg("--store", store, "build", "-q", "--jobs", "2",
                            *([] if validate else ["--no-validate"]), str(corpus)))
        run.update(summary_numbers(run.pop("stdout")))
        run["vs_full_build"] = round(run["wall_s"] / full_s, 3)
        results[name] = run
    return results


# ---------------------------------------------------------------------------------------------
# Loading


def load_one(method: str, nquads: Path, target: Path) -> dict[str, Any]:
    """In a process of its own: load ``nquads`` into a new store at ``target``."""
    import pyoxigraph as ox

    store = ox.Store(str(target))
    started = time.perf_counter()
    if method == "bulk_load":
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    elif method == "load":
        store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:  # extend, one transaction per named graph, as replace_graph did
        graphs: dict[Any, list[Any]] = {}
        for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
            graphs.setdefault(quad.graph_name, []).append(quad)
        started = time.perf_counter()  # the parse belonged to the build's workers
        for quads in graphs.values():
            store.extend(quads)
    store.flush()
    seconds = time.perf_counter() - started
    return {"quads": len(store), "load_s": round(seconds, 2)}


def loading(work: Path, quads: int) -> dict[str, Any]:
    from scale import copies_for, make_template, replica

    from graph.store import open_store

    template = make_template(open_store(work / "jobs2", read_only=True))
    results: dict[str, Any] = {}
    for size in sorted({template.replicated_quads + template.shared_quads, quads}):
        copies = copies_for(template, size)
        path = work / f"load-{size}.nq"
        with path.open("w", encoding="utf-8") as out:
            out.write(template.shared)
            for k in range(copies):
                out.write(replica(template, k))
        runs = {}
        for method in ("bulk_load", "load", "extend"):
            target = work / f"load-{method}"
            shutil.rmtree(target, ignore_errors=True)
            run = measured([sys.executable, __file__, "--load-one", method, str(path), str(target)])
            run.update(json.loads(run.pop("stdout")))
            run["quads_per_s"] = round(run["quads"] / run["load_s"])
            runs[method] = run
            shutil.rmtree(target, ignore_errors=True)
        for method in ("load", "extend"):
            runs[method]["bulk_load_speedup"] = round(runs[method]["load_s"]
                                                      / runs["bulk_load"]["load_s"], 2)
        results[str(runs["bulk_load"]["quads"])] = {"copies": copies,
                                                    "mb": round(path.stat().st_size / 1e6), **runs}
        path.unlink()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quads", type=int, default=1_000_000,
                        help="size of the replicated graph the loaders are timed on")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "build-results.json")
    parser.add_argument("--workdir", type=Path, help="keep the stores here (default: a temporary "
                                                     "directory, removed)")
    parser.add_argument("--load-one", nargs=3, metavar=("METHOD", "NQUADS", "TARGET"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--extract-only", nargs=2, type=int, metavar=("JOBS", "COPIES"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--busy", type=int, metavar="JOBS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.extract_only:
        print(json.dumps(extract_only(*args.extract_only)))
        return 0
    if args.busy:
        print(json.dumps(busy(args.busy)))
        return 0
    if args.load_one:
        method, nquads, target = args.load_one
        print(json.dumps(load_one(method, Path(nquads), Path(target))))
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="unkg-build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    results: dict[str, Any] = {"commit": commit, "cores": os.cpu_count(),
                               "load_average_before": os.getloadavg()}
    try:
        results["builds"] = builds(work, args.rounds)
        full = results["builds"]["median"]["build"][2]["seconds"]
        results["incremental"] = incremental(work, full)
        results["loading"] = loading(work, args.quads)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    results["load_average_after"] = os.getloadavg()
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: results[k] for k in ("load_average_before", "load_average_after")}))
    print(json.dumps(results["builds"]["median"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
