"""Parallel builds (``unkg build --jobs N``): extraction in a pool of processes writes the same
store as a build in one process."""

import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import build_corpus, build_version, extractor_agent
from graph.store import open_current, open_store

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FILES = ("A_RES_77_50.txt", "A_RES_76_150.txt", "A_80_L.3.txt", "A_C.1_80_L.18.txt",
         "A_RES_76_30.txt", "A_RES_76_182.txt")
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def same_extractor() -> None:
    """The build record names the extractor by a digest of the code, which this process keeps
    from its first build while a new worker reads the code on disk: read it again here, so
    that work changing ``graph/`` while the suite runs does not make the two differ."""
    extractor_agent.cache_clear()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    for name in FILES:
        shutil.copy(CORPUS / name, directory)
    # another rendering of a document already in the corpus: refused the same way in both
    shutil.copy(CORPUS / "A_RES_77_50.txt", directory / "A_RES_77_50_again.txt")
    (directory / "broken.txt").write_bytes(b"\xff\xfe not text")
    return directory


def nquads(store: ox.Store) -> bytes:
    return b"\n".join(sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines()))


def test_two_processes_write_what_one_writes(corpus):
    one, two = open_store(memory=True), open_store(memory=True)
    serial = build_corpus(corpus, one, build_time=WHEN, jobs=1)
    parallel = build_corpus(corpus, two, build_time=WHEN, jobs=2)
    assert nquads(one) == nquads(two)  # same build time: the very same quads
    assert parallel == serial
    assert serial.read == len(FILES) + 2 and len(serial.errors) == 2
    assert serial.errors[0].startswith("A_RES_77_50_again.txt: the same document")
    assert serial.errors[1].startswith("broken.txt: not UTF-8")


def test_unkg_build_jobs_from_the_command_line(corpus, tmp_path):
    """The console entry point with a real pool; its version equals an in-process build."""
    done = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(tmp_path / "a"),
                           "build", "-q", "--no-validate", "--jobs", "2", str(corpus)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the two bad files
    assert f"files read: {len(FILES) + 2}  kept: 0  removed: 0" in done.stdout
    assert "error: broken.txt: not UTF-8" in done.stderr and "Traceback" not in done.stderr
    build_version(corpus, tmp_path / "b", validate=False, jobs=1)
    assert _version_nquads(tmp_path / "a") == _version_nquads(tmp_path / "b")


def _version_nquads(root: Path) -> list[bytes]:
    opened = open_current(root)
    assert opened is not None
    try:
        return sorted(line for line in opened[1].dump(format=ox.RdfFormat.N_QUADS).splitlines()
                      if b"endedAtTime" not in line)
    finally:
        opened[2].release()


def test_a_killed_build_leaves_no_process_behind(corpus, tmp_path):
    """SIGKILL runs no clean-up: the pool's workers see their build gone and exit, and with
    them the forkserver and the resource tracker."""
    import psutil

    build = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(tmp_path / "s"),
                              "build", "-q", "--no-validate", "--jobs", "2", str(corpus)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(build.pid)
    deadline = time.monotonic() + 60
    started: list[psutil.Process] = []
    while len(started) < 4 and time.monotonic() < deadline:  # tracker, forkserver, 2 workers
        started = parent.children(recursive=True)
        time.sleep(0.02)
    assert len(started) >= 4, "the pool never started"
    build.kill()
    build.wait()
    gone, alive = psutil.wait_procs(started, timeout=10)
    for left in alive:  # not to leave them to the rest of the suite
        left.kill()
    assert alive == []
