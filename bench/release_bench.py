"""How ``unkg release --no-build`` scales: the streaming release against the one it replaced,
and at 10M quads against a plain dump of the same store.

    python bench/release_bench.py [--sizes corpus 1m 10m] [--old COMMIT]

Each size is a store released with ``unkg release VERSION --no-build`` (default ``--jobs``: one
per core):

* ``corpus``: the corpus built by ``unkg build`` into a store of its own;
* ``1m``: a copy of the replicated store of ``bench/scale.py`` at 1.1M quads
  (``/var/tmp/unkg-scale-1m/q1000000/unkg``; the copy, never the original, is opened);
* ``10m``: a copy of the one at 10.8M quads (``/var/tmp/unkg-scale/q10000000/unkg``).

At ``corpus`` and ``1m`` the release of this tree runs beside the one of ``--old`` (a git
worktree of the commit before the streaming release: the union parsed into rdflib, pySHACL over
it, every file held in memory), one after the other in the same run, and the ratios new / old
are reported. The old release does not fit at 10M (it holds the union in rdflib, about 2 GB a
million triples, and pySHACL's whole-union run); there the reference, measured in the same run,
is what any release must at least do: ``oxigraph dump`` of the store to N-Quads (Oxigraph's own
command line, PyPI ``oxigraph``). Time is wall time; memory is the peak of the sum of the
resident sizes of the command and its processes (the validation's workers), sampled every 50
ms, and the largest single process (``wait4``), as ``bench/build_bench.py`` measures them.

With ``--cached`` the release of each size is measured instead as it runs on a store that
``unkg build`` made: with the validation cache the build keeps beside the store (each graph's
run; ``graph/validate_graphs.py``), which the release starts from. The replicated stores have
none (``bench/scale.py`` does not validate), so one is made first, untimed, by the same
validation the build runs; the figures go into the size's row as ``new_cached``.

Every measurement holds the shared benchmark lock (``/tmp/unkg-bench.lock``) while it runs, one
command at a time, so that no hold is longer than one release; the load average is recorded
before and after. Results go to ``bench/release-results.json``; bench/README.md, "Release at
scale", has a run.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import measured, unkg  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from graph.store import store_path  # noqa: E402
from graph.validate_graphs import CACHE_FILE  # noqa: E402

LOCK = Path("/tmp/unkg-bench.lock")
OLD = "1815419"  # the last commit with the release in memory (render_release over rdflib)
SCALED = {"1m": Path("/var/tmp/unkg-scale-1m/q1000000/unkg"),
          "10m": Path("/var/tmp/unkg-scale/q10000000/unkg")}
VERSION = "0.1.0"
ISSUED = "2026-01-01"


@contextmanager
def bench_lock() -> Iterator[None]:
    """The lock every heavy benchmark of the project holds while it measures."""
    with open(LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def old_tree(work: Path, commit: str) -> Path:
    """A worktree of ``commit``, made once."""
    tree = work / f"old-{commit}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT,
                       check=True, capture_output=True)
    return tree


def old_unkg(tree: Path, *args: str) -> list[str]:
    """The command line of the tree at the old commit (its ``graph`` package before the
    editable install's, which the interpreter looks up after ``sys.path``)."""
    return [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); "
            "from graph.cli import main; sys.exit(main(sys.argv[1:]))", str(tree), *args]


def store_for(size: str, work: Path) -> Path:
    """The store a size is released from, made or copied once."""
    store = work / f"store-{size}"
    if store.exists():
        return store
    if size == "corpus":
        done = subprocess.run(unkg("--store", str(store), "build", "-q", str(ROOT / "corpus")),
                              cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"building the corpus store failed: {done.stderr[-2000:]}")
    else:
        shutil.copytree(SCALED[size], store)
    return store


def quads(store: Path) -> int:
    from graph.store import count_quads, open_store
    return count_quads(open_store(store, read_only=True))


def release(command: list[str], out: Path) -> dict[str, Any]:
    """One release measured under the lock; its files' sizes; the release removed after."""
    shutil.rmtree(out, ignore_errors=True)
    with bench_lock():
        before = load()
        result = measured(command)
        result["load"] = [before, load()]
    if result["status"] != 0:
        raise SystemExit(f"{' '.join(command)} was blocked: {result['stdout'][-2000:]}")
    target = out / f"unkg-{VERSION}"
    result["files_mb"] = {p.name: round(p.stat().st_size / 1e6, 2) for p in sorted(target.iterdir())}
    verified = subprocess.run(unkg("release", "--verify", str(target)), cwd=ROOT,
                              capture_output=True, text=True)
    result["verified"] = verified.returncode == 0
    shutil.rmtree(out)
    return result


def cached(store: Path, options: list[str], out: Path) -> dict[str, Any]:
    """The release of ``store`` started from its validation cache, made first if missing."""
    from graph.store import open_store
    from graph.validate_graphs import validate_graphs

    cache = store_path(store) / CACHE_FILE
    if not cache.exists():
        with bench_lock():
            validate_graphs(open_store(store, read_only=True), jobs=2, cache=cache)
    return release(unkg(*options, "--out", str(out)), out)


def dump(store: Path, work: Path) -> dict[str, Any]:
    """The reference: ``oxigraph dump`` of the store to N-Quads, under the lock."""
    target = work / "reference.nq"
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    with bench_lock():
        before = load()
        result = measured([oxigraph, "dump", "--location", str(store), "--file", str(target)])
        result["load"] = [before, load()]
    result["files_mb"] = {"reference.nq": round(target.stat().st_size / 1e6, 2)}
    target.unlink()
    return result


def ratios(new: dict[str, Any], reference: dict[str, Any]) -> dict[str, float]:
    return {key: round(new[key] / reference[key], 3)
            for key in ("wall_s", "cpu_s", "tree_peak_mb", "process_peak_mb") if reference[key]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=["corpus", "1m", "10m"],
                        default=["corpus", "1m", "10m"])
    parser.add_argument("--old", default=OLD, help=f"the commit to compare with (default {OLD})")
    parser.add_argument("--cached", action="store_true",
                        help="measure the release from the store's validation cache instead")
    parser.add_argument("--work", type=Path, default=Path("/var/tmp/release-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "release-results.json")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    results: dict[str, Any] = json.loads(args.out.read_text()) if args.out.exists() else {}
    for size in args.sizes:
        store = store_for(size, args.work)
        row: dict[str, Any] = {"commit": commit, "quads": quads(store),
                               "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        options = ["--store", str(store), "release", VERSION, "--no-build", "--issued", ISSUED]
        out = args.work / f"dist-{size}"
        if args.cached:
            results[size]["new_cached"] = {**cached(store, options, out), **row}
            args.out.write_text(json.dumps(results, indent=1) + "\n")
            print(json.dumps(results[size]["new_cached"], indent=1), flush=True)
            continue
        hidden = store_path(store) / CACHE_FILE  # the new release validates all, as the old
        if hidden.exists():
            hidden.rename(hidden.with_suffix(".hidden"))
        try:
            row["new"] = release(unkg(*options, "--out", str(out)), out)
        finally:
            if hidden.with_suffix(".hidden").exists():
                hidden.with_suffix(".hidden").rename(hidden)
        if size == "10m":
            row["reference"] = dump(store, args.work)
        else:
            tree = old_tree(args.work, args.old)
            row["old"] = release(old_unkg(tree, *options, "--out", str(out)), out)
            row["old"]["commit"] = args.old
        row["ratios"] = ratios(row["new"], row.get("old") or row["reference"])
        results[size] = row
        args.out.write_text(json.dumps(results, indent=1) + "\n")
        print(json.dumps({size: {k: v for k, v in row.items()}}, indent=1), flush=True)


if __name__ == "__main__":
    main()
