"""Builds into a remote store (``graph.remote.build_remote``) on both real servers: incremental
(only the graphs that changed are uploaded, the graphs of removed files dropped, and the store
ends as a fresh build would leave it) and one at a time (``BuildLock``)."""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import iris, remote
from graph.build import BUILD_GRAPH, REFERENCE_GRAPH, build_corpus
from graph.cli import main
from graph.remote import (CATALOG, HOLDER, LOCK, UNTIL, BuildLock, BuildLocked, Client,
                          RemoteSpec, build_remote, copy_served, parse_store, read_catalog,
                          read_locks, validation_cache)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FILES = ("A_RES_77_50.txt", "A_RES_76_150.txt", "A_80_L.3.txt")
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
LATER = datetime(2026, 6, 1, tzinfo=timezone.utc)
GRAPH_76_150 = str(iris.graph_name(iris.resolution("GA", "76", "150")))
GRAPH_80_L3 = "https://w3id.org/unkg/graph/doc/A/80/L.3"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def spec(request: pytest.FixtureRequest) -> RemoteSpec:
    return parse_store(request.getfixturevalue(f"{request.param}_server").setting)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir()
    for name in FILES:
        (directory / name).write_bytes((CORPUS / name).read_bytes())
    return directory


def nquads(store: ox.Store) -> list[str]:
    """A store's quads, build times aside."""
    return sorted(line for line in store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines()
                  if "endedAtTime" not in line)


def served(spec: RemoteSpec) -> ox.Store:
    copy = ox.Store()
    copy_served(Client(spec), copy)
    return copy


def test_a_rebuild_uploads_only_what_changed_and_ends_as_a_fresh_build(spec, corpus,
                                                                      monkeypatch):
    first = build_remote(corpus, spec, validate=False, fresh=True, build_time=WHEN)
    assert (first.summary.read, first.summary.kept) == (3, 0)
    uploaded: list[str] = []
    real = Client.upload

    def upload(self: Client, graph: str, data: bytes, **options: object) -> None:
        uploaded.append(graph.split(":", 4)[4])  # urn:unkg:staging:VERSION:GRAPH
        real(self, graph, data, **options)  # type: ignore[arg-type]
    monkeypatch.setattr(Client, "upload", upload)

    same = build_remote(corpus, spec, validate=False, build_time=LATER)
    assert (same.summary.read, same.summary.kept, uploaded) == (0, 3, [])
    assert same.previous == first.version and read_catalog(Client(spec)).version == same.version

    changed = corpus / "A_RES_76_150.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    (corpus / "A_80_L.3.txt").unlink()
    again = build_remote(corpus, spec, build_time=LATER)  # validated: the copy is whole
    assert again.report is None and again.version is not None
    cache = validation_cache(spec)  # what the next build's validation starts from
    assert cache is not None and cache.exists() and str(cache).startswith(
        os.environ["XDG_CACHE_HOME"])
    assert (again.summary.read, again.summary.kept) == (1, 1)
    assert again.summary.removed == ["A_80_L.3.txt"]
    # the files' graphs: only the one read again; the record changed, the curated tables not
    # (a graph computed from the whole store, if any, may change too)
    assert {g for g in uploaded if "/graph/res/" in g or "/graph/doc/" in g} == {GRAPH_76_150}
    assert str(BUILD_GRAPH) in uploaded and str(REFERENCE_GRAPH) not in uploaded

    fresh = ox.Store()
    build_corpus(corpus, fresh, build_time=LATER)
    catalog = read_catalog(Client(spec))
    assert GRAPH_80_L3 not in catalog.graphs
    assert set(catalog.graphs) == {g.value for g in fresh.named_graphs()}
    assert nquads(served(spec)) == nquads(fresh)
    assert read_locks(Client(spec)) == []  # the switch let go of the lock


def test_a_second_build_waits_then_says_who_holds_the_store(spec, corpus, capsys, monkeypatch):
    client = Client(spec)
    other = BuildLock(client, holder="unkg build on elsewhere, process 42")
    other.acquire()
    try:
        with pytest.raises(BuildLocked, match="process 42"):
            build_remote(corpus, spec, validate=False, wait=0.5)
        monkeypatch.setattr("graph.remote.LOCK_WAIT", 0.5)
        setting = f"{spec.kind}+{spec.query.rsplit('/', 1)[0]}"
        assert main(["--store", setting, "build", "-q", "--no-validate", str(corpus)]) == 2
        error = capsys.readouterr().err
        assert "another build holds the" in error and "process 42" in error
        assert "Traceback" not in error
    finally:
        other.release()
    assert read_locks(client) == []
    assert build_remote(corpus, spec, validate=False, wait=0.5).version is not None


def test_a_lock_left_by_a_dead_build_lapses_and_is_removed(spec, corpus, caplog):
    client = Client(spec)
    client.update(  # what a build killed while holding the store leaves
        f"INSERT DATA {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{LOCK}> <urn:unkg:lock:dead> . "
        f"<urn:unkg:lock:dead> <{HOLDER}> 'unkg build on elsewhere, process 7' ; <{UNTIL}> "
        "'2026-01-01T00:00:00+00:00'^^<http://www.w3.org/2001/XMLSchema#dateTime> } }")
    with caplog.at_level(logging.WARNING, logger="unkg.remote"):
        built = build_remote(corpus, spec, validate=False, wait=0)
    assert built.version is not None
    assert "removing the lock of unkg build on elsewhere, process 7, which lapsed at " \
           "2026-01-01T00:00:00" in caplog.text
    assert read_locks(client) == []


def test_a_lock_is_renewed_while_held_and_lost_when_another_takes_it(spec):
    client = Client(spec)
    lock = BuildLock(client, ttl=1.0)
    lock.acquire()
    try:
        first = read_locks(client)[0].until
        time.sleep(0.6)  # past a quarter of the ttl, twice
        [held] = read_locks(client)
        assert held.node == lock.node and first is not None and held.until > first
        lock.check()
        client.update(f"DELETE WHERE {{ GRAPH <{CATALOG}> {{ <{CATALOG}> <{LOCK}> ?l }} }}")
        thief = BuildLock(client, holder="the build that took over")
        thief.acquire()
        with pytest.raises(BuildLocked, match="lost its lock.*took over"):
            lock.check()
        thief.release()
    finally:
        lock.release()


def test_two_builds_never_hold_the_store_at_once(spec):
    """Four contenders race for the lock until each has held it twice: the conditional insert
    and the read back let one hold it at any moment, and every one gets its turn."""
    client = Client(spec)
    guard = threading.Lock()
    holding: list[int] = [0]
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = time.monotonic() + 30

    def contend() -> None:
        turns = 0
        try:
            while turns < 2 and time.monotonic() < stop:
                lock = BuildLock(client, wait=0)
                try:
                    lock.acquire()
                except BuildLocked:
                    time.sleep(0.01)
                    continue
                turns += 1
                with guard:
                    holding[0] += 1
                    seen.append(holding[0])
                time.sleep(0.02)
                with guard:
                    holding[0] -= 1
                lock.release()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
    threads = [threading.Thread(target=contend) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and seen == [1] * 8
    assert read_locks(client) == []


def test_a_copy_cut_short_or_switched_under_it_is_never_used(oxigraph_server, corpus,
                                                            monkeypatch):
    spec = parse_store(oxigraph_server.setting)
    build_remote(corpus, spec, validate=False, fresh=True)
    client = Client(spec)
    real_sizes, real_version = remote.served_sizes, remote.served_version
    versions = iter(["another version"])  # a build switched while the first copy was made

    def switched(*args: object, **kwargs: object) -> str | None:
        return next(versions, None) or real_version(client)
    monkeypatch.setattr(remote, "served_version", switched)
    copy = ox.Store()
    assert copy_served(client, copy).version == real_version(client)  # copied again
    assert nquads(copy) == nquads(served(spec))  # once: nothing twice, nothing missing

    def short(*args: object, **kwargs: object) -> dict[str, int]:
        return {g: n + 1 for g, n in real_sizes(*args, **kwargs).items()}  # type: ignore[arg-type]
    monkeypatch.setattr(remote, "served_sizes", short)
    with pytest.raises(remote.RemoteError, match="sent .* of the .* triples .*ResultSetMaxRows"):
        copy_served(client, ox.Store())
