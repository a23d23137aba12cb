"""Extraction on a Dask cluster (``unkg build --scheduler ADDRESS``): the workers get each
file's bytes and hand back N-Quads, which this process bulk-loads; the store equals a build in
one process."""

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
from distributed import LocalCluster

from graph.build import build_corpus, extract_bytes, extractor_agent
from graph.store import open_store

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FILES = ("A_RES_77_50.txt", "A_RES_76_150.txt", "A_80_L.3.txt")
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def same_extractor() -> None:
    """The build record names the extractor by a digest of the code, which this process keeps
    from its first build while a new worker reads the code on disk: read it again here, so
    that work changing ``graph/`` while the suite runs does not make the two differ."""
    extractor_agent.cache_clear()


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, no dashboard."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, worker_dashboard_address=None) as local:
        yield local


def test_a_build_on_a_dask_cluster_writes_what_one_process_writes(cluster, tmp_path):
    for name in FILES:
        shutil.copy(CORPUS / name, tmp_path)
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe not text")
    here, there = open_store(memory=True), open_store(memory=True)
    serial = build_corpus(tmp_path, here, build_time=WHEN, jobs=1)
    remote = build_corpus(tmp_path, there, build_time=WHEN, scheduler=cluster.scheduler_address)
    assert remote == serial and remote.read == 4
    assert remote.errors[0].startswith("broken.txt: not UTF-8")
    assert (sorted(here.dump(format=ox.RdfFormat.N_QUADS).splitlines())
            == sorted(there.dump(format=ox.RdfFormat.N_QUADS).splitlines()))
    again = build_corpus(tmp_path, there, build_time=WHEN, scheduler=cluster.scheduler_address)
    assert (again.read, again.kept) == (1, 3)  # incremental there too: only the broken file


def test_a_file_the_build_could_not_read_is_reported_by_its_reader(tmp_path):
    result = extract_bytes(str(tmp_path / "gone.txt"), None, {})
    assert result.error is not None and result.error.startswith("gone.txt: cannot be read")


def test_unkg_build_scheduler(cluster, tmp_path, capsys):
    from graph.cli import main

    for name in FILES:
        shutil.copy(CORPUS / name, tmp_path)
    status = main(["--store", str(tmp_path / "store"), "build", "-q", "--no-validate",
                   "--scheduler", cluster.scheduler_address, str(tmp_path)])
    assert status == 0
    assert "files read: 3  kept: 0  removed: 0  documents: 3" in capsys.readouterr().out
