"""Incremental builds: a build into a store with a build record reads only the files whose bytes
or extractor changed, keeps the other graphs, removes the graphs of files that left the corpus,
and ends where a build from nothing ends (build times aside)."""

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import PROV

from graph import build as build_module
from graph import iris
from graph.build import BUILD_GRAPH, build_corpus, build_record, read_record
from graph.store import named_graphs, open_store, replace_graph

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FILES = ("A_RES_77_50.txt", "A_RES_76_150.txt", "A_80_L.3.txt")
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
LATER = datetime(2026, 6, 1, tzinfo=timezone.utc)
GRAPH_77_50 = str(iris.graph_name(iris.resolution("GA", "77", "50")))


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir()
    for name in FILES:
        shutil.copy(CORPUS / name, directory)
    return directory


@pytest.fixture()
def reads(monkeypatch) -> list[str]:
    """The names of the files ``process_file`` is called on (the build runs in-process)."""
    seen: list[str] = []
    real = build_module.process_file

    def counting(path, manifest):
        seen.append(Path(path).name)
        return real(path, manifest)
    monkeypatch.setattr(build_module, "process_file", counting)
    return seen


def nquads(store: ox.Store) -> list[str]:
    """The store as sorted N-Quads, build times aside."""
    return sorted(line for line in store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines()
                  if "endedAtTime" not in line)


def fresh(corpus: Path) -> list[str]:
    store = open_store(memory=True)
    build_corpus(corpus, store, build_time=LATER)
    return nquads(store)


def built(corpus: Path) -> ox.Store:
    store = open_store(memory=True)
    build_corpus(corpus, store, build_time=WHEN)
    return store


def test_an_unchanged_corpus_reads_nothing_and_equals_a_fresh_build(corpus, reads):
    store = built(corpus)
    assert sorted(reads) == sorted(FILES)
    reads.clear()
    summary = build_corpus(corpus, store, build_time=LATER)
    assert reads == []
    assert (summary.read, summary.kept, summary.removed, summary.errors) == (0, 3, [], [])
    assert nquads(store) == fresh(corpus)
    # the graphs kept keep the time of the extraction that made them
    ended = {datetime.fromisoformat(row["t"].value) for row in store.query(
        f"SELECT ?t WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?e <{PROV.endedAtTime}> ?t }} }}")}
    assert ended == {WHEN}


def test_a_changed_file_is_the_only_one_read(corpus, reads):
    store = built(corpus)
    changed = corpus / "A_RES_76_150.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    os.utime(corpus / "A_RES_77_50.txt")  # a new time alone is no change: bytes are compared
    reads.clear()
    summary = build_corpus(corpus, store, build_time=LATER)
    assert reads == ["A_RES_76_150.txt"]
    assert (summary.read, summary.kept, summary.documents) == (1, 2, 1)
    assert nquads(store) == fresh(corpus)
    record = read_record(store)
    assert datetime.fromisoformat(record["A_RES_76_150.txt"].ended) == LATER
    assert datetime.fromisoformat(record["A_RES_77_50.txt"].ended) == WHEN


def test_a_file_that_left_the_corpus_takes_its_graph_with_it(corpus, reads):
    store = built(corpus)
    assert GRAPH_77_50 in named_graphs(store)
    (corpus / "A_RES_77_50.txt").unlink()
    reads.clear()
    summary = build_corpus(corpus, store, build_time=LATER)
    assert reads == [] and summary.removed == ["A_RES_77_50.txt"]
    assert GRAPH_77_50 not in named_graphs(store)
    assert "A_RES_77_50.txt" not in read_record(store)
    assert nquads(store) == fresh(corpus)


def test_a_new_extractor_reads_every_file_again(corpus, reads, monkeypatch):
    store = built(corpus)
    reads.clear()
    monkeypatch.setattr(build_module, "extractor_agent",
                        lambda: URIRef("https://w3id.org/unkg/software/unkg/0.1.0/sha256/fixed"))
    summary = build_corpus(corpus, store, build_time=LATER)
    assert sorted(reads) == sorted(FILES) and summary.kept == 0
    assert read_record(store)["A_80_L.3.txt"].extractor.endswith("/sha256/fixed")


def test_the_extractor_is_named_by_a_digest_of_its_code():
    agent = str(build_module.extractor_agent())
    assert agent.startswith("https://w3id.org/unkg/software/unkg/")
    digest = agent.rsplit("/sha256/", 1)[1]
    assert len(digest) == 64 and int(digest, 16) >= 0


def test_a_file_that_fails_keeps_its_graph_and_is_read_again_next_time(corpus, reads):
    store = built(corpus)
    before = nquads(store)
    good = (corpus / "A_RES_77_50.txt").read_bytes()
    (corpus / "A_RES_77_50.txt").write_bytes(b"\xff\xfe broken")
    summary = build_corpus(corpus, store, build_time=LATER)
    assert [e.split(":")[0] for e in summary.errors] == ["A_RES_77_50.txt"]
    assert nquads(store) == before  # the last good graph and its record stay
    (corpus / "A_RES_77_50.txt").write_bytes(good)  # the bytes of that good graph: kept
    reads.clear()
    summary = build_corpus(corpus, store, build_time=LATER)
    assert reads == [] and summary.errors == []
    assert nquads(store) == fresh(corpus)


def test_a_graph_missing_from_the_store_is_read_again(corpus, reads):
    store = built(corpus)
    store.remove_graph(ox.NamedNode(GRAPH_77_50))
    reads.clear()
    build_corpus(corpus, store, build_time=LATER)
    assert reads == ["A_RES_77_50.txt"]
    assert nquads(store) == fresh(corpus)


def test_a_record_without_checksums_reads_everything_and_still_removes(corpus, reads):
    """Stores built before builds were incremental record only file names and graphs."""
    store = built(corpus)
    old = [entry.__class__(entry.name, entry.graph, entry.extraction)
           for entry in read_record(store).values()]
    replace_graph(store, BUILD_GRAPH, build_record(old))
    (corpus / "A_RES_77_50.txt").unlink()
    reads.clear()
    summary = build_corpus(corpus, store, build_time=LATER)
    assert sorted(reads) == ["A_80_L.3.txt", "A_RES_76_150.txt"]
    assert summary.removed == ["A_RES_77_50.txt"] and GRAPH_77_50 not in named_graphs(store)
    assert nquads(store) == fresh(corpus)
