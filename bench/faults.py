"""Faults: ``unkg build``, ``unkg release`` and the store switch killed (SIGKILL) at random
moments, then the state checked and the command run again.

    python bench/faults.py                      # 20 kills per scenario, seed 1
    python bench/faults.py --kills 5 --seed 7 --scenario build release

Each kill runs the command line in a subprocess on a small corpus (files copied from corpus/),
sends SIGKILL after a seeded random delay, and checks that

* the store's current version is exactly the old state or exactly the new one (its N-Quads,
  build time stamps aside, equal those of a reference build of one corpus or the other), and
  ``dist/`` shows exactly the old release or the new one, whole (``unkg release --verify``
  passes, the files equal a reference release's);
* the next run of the same command succeeds, ends in the new state, and leaves nothing behind
  (no unfinished version, no temporary pointer, no temporary release directory).

Scenarios:

``build``    ``unkg build`` killed after a delay drawn uniformly over a whole uninterrupted
             run (start-up, reading, copying the current version, writing, validating,
             switching, removing the old version). Builds alternate between corpus A (with
             ``--fresh``) and corpus B = A + one file (on a copy of A), so both paths run.
``release``  ``unkg release 1.0`` killed likewise, releases alternating between A and B into
             the same ``dist/unkg-1.0``.
``switch``   ``unkg build`` killed around its switch: the script watches the store directory
             and, once the temporary pointer appears or the pointer changes, waits 0–2 ms and
             kills the build: before or after the rename, as it falls.
``serve``    ``unkg serve`` killed while it follows a build's switch (0–0.5 s after the pointer
             changes), with a client querying it; then the query workers must be gone, the
             store must be in the new state, a restarted server must serve it, and the old
             version must be removed once the restarted server has moved on.

``tests/test_faults.py`` runs every scenario with fewer kills; the README ("Reliability",
"Faults") gives the figures of a full run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.release import verify_release  # noqa: E402
from graph.store import POINTER, current_version, open_current, versions  # noqa: E402

CORPUS = ROOT / "corpus"
A_FILES = ("A_RES_77_50.txt", "A_RES_76_30.txt")
B_FILES = A_FILES + ("A_RES_76_150.txt",)
RELEASE = "1.0"
ISSUED = "2026-01-01"
ENDED_AT = "<http://www.w3.org/ns/prov#endedAtTime>"
SCENARIOS = ("build", "release", "switch", "serve")


class FaultError(AssertionError):
    """A state that is neither the old nor the new one, or a next run that failed."""


@dataclass
class Outcome:
    scenario: str
    delay: float
    killed: bool          # the process was still running when SIGKILL was sent
    state: str            # "old" or "new"
    note: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> list[dict]:
        rows = []
        for scenario in dict.fromkeys(o.scenario for o in self.outcomes):
            mine = [o for o in self.outcomes if o.scenario == scenario]
            rows.append({"scenario": scenario, "kills": sum(o.killed for o in mine),
                         "runs": len(mine), "old": sum(o.state == "old" for o in mine),
                         "new": sum(o.state == "new" for o in mine),
                         "next run ok": len(mine), "seconds": round(self.seconds[scenario], 1)})
        return rows


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "graph.cli", *args]


def run(args: list[str], timeout: float = 600) -> float:
    """Run to the end; the seconds it took. FaultError if it fails."""
    started = time.monotonic()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise FaultError(f"{' '.join(args[3:])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started


def kill_after(args: list[str], delay: float,
               trigger: Callable[[], bool] | None = None) -> tuple[bool, float]:
    """Start ``args``, wait ``delay`` seconds (after ``trigger()`` first returns true, if
    given), SIGKILL it. Whether it was still running, and the delay from its start."""
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    started = time.monotonic()
    try:
        if trigger is not None:
            while process.poll() is None and not trigger():
                pass  # a busy loop: the windows watched for are a few milliseconds long
        time.sleep(delay)
        running = process.poll() is None
        if running:
            process.send_signal(signal.SIGKILL)
        return running, time.monotonic() - started
    finally:
        process.wait(60)


def corpus(directory: Path, names: tuple[str, ...]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, directory / name)
    return directory


# ---------------------------------------------------------------------------------------------
# States


def store_state(root: Path) -> str:
    """The current version's quads as sorted N-Quads, without the build's time stamps."""
    import pyoxigraph as ox

    opened = open_current(root)
    if opened is None:
        return ""
    _, store, lease = opened
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    finally:
        del store
        lease.release()
    return "\n".join(sorted(line for line in data.splitlines() if ENDED_AT not in line))


def store_leftovers(root: Path) -> list[str]:
    """What a finished build must not leave: versions besides the current one, temporary
    pointers, leases of versions that are gone."""
    current = current_version(root)
    left = [f"version {v}" for v in versions(root) if v != current]
    left += [p.name for p in root.glob(f".{POINTER}.*")]
    left += [p.name for p in (root / "versions").glob("*.lease") if p.stem != current]
    return left


def dist_state(out: Path) -> dict[str, bytes]:
    """The release ``unkg-1.0`` as the server would list it, checked whole: FaultError if
    another release directory is visible or a file fails its checksum."""
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    if visible != [f"unkg-{RELEASE}"]:
        raise FaultError(f"dist/ shows {visible}")
    directory = out / f"unkg-{RELEASE}"
    problems = verify_release(directory)
    if problems:
        raise FaultError(f"dist/unkg-{RELEASE} is corrupt: {problems}")
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def which(state: object, old: object, new: object, what: str) -> str:
    if state == old:
        return "old"
    if state == new:
        return "new"
    raise FaultError(f"{what} is neither the old state nor the new one")


# ---------------------------------------------------------------------------------------------
# Scenarios


class Builds:
    """A store in work/store and two corpora with their reference states."""

    def __init__(self, work: Path) -> None:
        self.root = work / "store"
        self.corpora = {"A": corpus(work / "A", A_FILES), "B": corpus(work / "B", B_FILES)}
        self.reference, self.seconds = {}, {}
        for name in "AB":  # A from nothing, then B on a copy of A: the states to compare with
            self.seconds[name] = run(self.args(name))
            self.reference[name] = store_state(self.root)
        self.current = "B"

    def args(self, name: str, root: Path | None = None) -> list[str]:
        fresh = ["--fresh"] if name == "A" else []  # B is built on a copy of A
        return cli("--store", str(root or self.root), "build", "-q", *fresh, str(self.corpora[name]))

    def attempt(self, scenario: str, kill: Callable[[list[str], str], tuple[bool, float]]) -> Outcome:
        target = "A" if self.current == "B" else "B"
        killed, delay = kill(self.args(target), target)
        state = which(store_state(self.root), self.reference[self.current],
                      self.reference[target], f"after a kill at {delay:.3f} s, the store")
        run(self.args(target))  # the next run succeeds, in the new state, leaving nothing
        if store_state(self.root) != self.reference[target]:
            raise FaultError("the run after a kill did not reach the new state")
        if left := store_leftovers(self.root):
            raise FaultError(f"the run after a kill left {left}")
        self.current = target
        return Outcome(scenario, delay, killed, state)


def scenario_build(work: Path, kills: int, rng: random.Random) -> list[Outcome]:
    builds = Builds(work)
    return [builds.attempt("build", lambda args, target: kill_after(
        args, rng.uniform(0, builds.seconds[target]))) for _ in range(kills)]


def scenario_switch(work: Path, kills: int, rng: random.Random) -> list[Outcome]:
    builds = Builds(work)

    def near_switch(args: list[str], target: str) -> tuple[bool, float]:
        before = (builds.root / POINTER).read_bytes()

        def switching() -> bool:
            if any(name.startswith(f".{POINTER}.") for name in os.listdir(builds.root)):
                return True
            try:
                return (builds.root / POINTER).read_bytes() != before
            except FileNotFoundError:  # only between two renames, which never happens
                return True
        return kill_after(args, rng.uniform(0, 0.002), trigger=switching)
    return [builds.attempt("switch", near_switch) for _ in range(kills)]


def scenario_release(work: Path, kills: int, rng: random.Random) -> list[Outcome]:
    corpora = {"A": corpus(work / "A", A_FILES), "B": corpus(work / "B", B_FILES)}
    out = work / "dist"

    def args(name: str, into: Path = out) -> list[str]:
        return cli("release", RELEASE, "--corpus", str(corpora[name]), "--out", str(into),
                   "--issued", ISSUED)
    reference, seconds = {}, {}
    for name in "AB":
        seconds[name] = run(args(name))
        reference[name] = dist_state(out)
    current, outcomes = "B", []
    for _ in range(kills):
        target = "A" if current == "B" else "B"
        killed, delay = kill_after(args(target), rng.uniform(0, seconds[target]))
        state = which(dist_state(out), reference[current], reference[target],
                      f"after a kill at {delay:.3f} s, dist/")
        run(args(target))
        if (after := dist_state(out)) != reference[target]:
            raise FaultError("the release after a kill did not reach the new state: "
                             + ", ".join(n for n in reference[target] if after.get(n) != reference[target][n]))
        if hidden := [p.name for p in out.iterdir() if p.name.startswith(".")]:
            raise FaultError(f"the release after a kill left {hidden}")
        current = target
        outcomes.append(Outcome("release", delay, killed, state))
    return outcomes


def _serve(root: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        cli("--store", str(root), "serve", "--port", "0", "--workers", "2", "--threads", "4"),
        cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    log = []
    while True:
        line = process.stderr.readline()
        if not line:
            raise FaultError("unkg serve did not start: " + "".join(log[-20:]))
        log.append(line)
        if "Serving on " in line:
            url = line.split("Serving on ")[1].strip()
            # keep reading the log so that the server never blocks on a full pipe
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, url


def _get(url: str, path: str, **params: str) -> tuple[int, bytes]:
    if params:
        path += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url + path,
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _graph_counts(url: str) -> tuple:
    status, body = _get(url, "/sparql", query=GRAPHS)
    if status != 200:
        raise FaultError(f"the server answered {status}: {body[:300]!r}")
    return tuple((b["g"]["value"], b["n"]["value"]) for b in json.loads(body)["results"]["bindings"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (not yet reaped by its dead parent's reaper) is not running
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def scenario_serve(work: Path, kills: int, rng: random.Random) -> list[Outcome]:
    builds = Builds(work)
    outcomes = []
    for _ in range(kills):
        server, url = _serve(builds.root)
        try:
            old, answers = _graph_counts(url), {}
            workers = json.loads(_get(url, "/health")[1])["workers"]["processes"]
            stop, killing, failures = threading.Event(), threading.Event(), []

            def client() -> None:
                while not stop.is_set():
                    try:
                        answer = _graph_counts(url)
                    except (OSError, http.client.HTTPException, FaultError) as error:
                        if not killing.is_set():  # a server being killed may fail, of course
                            failures.append(f"a query failed before the kill: {error}")
                    else:
                        if answer != old and answer != answers.setdefault("new", answer):
                            failures.append("an answer of neither version")
            thread = threading.Thread(target=client)
            thread.start()
            target = "A" if builds.current == "B" else "B"
            before = (builds.root / POINTER).read_bytes()
            build = subprocess.Popen(builds.args(target), cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            while build.poll() is None and (builds.root / POINTER).read_bytes() == before:
                time.sleep(0.001)
            delay = rng.uniform(0, 0.5)
            time.sleep(delay)
            killing.set()
            server.send_signal(signal.SIGKILL)
            server.wait(30)
            stop.set()
            thread.join(60)
            if build.wait(300) != 0:
                raise FaultError("the build failed while the server was killed")
            if failures:
                raise FaultError(failures[0])
            deadline = time.monotonic() + 10
            while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.05)
            if alive := [pid for pid in workers if _alive(pid)]:
                raise FaultError(f"query workers {alive} outlived their killed server")
            state = which(store_state(builds.root), builds.reference[builds.current],
                          builds.reference[target], "after the server was killed, the store")
        finally:
            if server.poll() is None:
                server.kill()
                server.wait(30)
        # The next run: a new server serves the new version, and the old one goes.
        server, url = _serve(builds.root)
        try:
            new = _graph_counts(url)
            if new == old:
                raise FaultError("the restarted server serves the old version")
            deadline = time.monotonic() + 10
            while (left := store_leftovers(builds.root)) and time.monotonic() < deadline:
                time.sleep(0.05)
            if left:
                raise FaultError(f"left behind after the restart: {left}")
        finally:
            server.kill()
            server.wait(30)
        builds.current = target
        outcomes.append(Outcome("serve", delay, True, state))
    return outcomes


RUNNERS = {"build": scenario_build, "release": scenario_release, "switch": scenario_switch,
           "serve": scenario_serve}


def run_all(scenarios: list[str], kills: int, seed: int, work: Path) -> Report:
    report = Report()
    for scenario in scenarios:
        started = time.monotonic()
        rng = random.Random(f"{seed}-{scenario}")
        report.outcomes += RUNNERS[scenario](work / scenario, kills, rng)
        report.seconds[scenario] = time.monotonic() - started
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="kills per scenario (20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--json", help="write every outcome to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unkg-faults-") as work:
        report = run_all(args.scenario, args.kills, args.seed, Path(work))
    print("| scenario | runs | killed while running | old state | new state | next run ok | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in report.summary():
        print(f"| {row['scenario']} | {row['runs']} | {row['kills']} | {row['old']} | "
              f"{row['new']} | {row['next run ok']} | {row['seconds']} |")
    if args.json:
        Path(args.json).write_text(json.dumps([o.__dict__ for o in report.outcomes], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
