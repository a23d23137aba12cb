"""Store versions: a build writes a new version beside the served one and switches to it in one
step; versions nobody uses are removed; a plain (pre-version) store still opens."""

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph import build as build_module
from graph.build import BUILD_GRAPH, build_version
from graph.store import (LEGACY, POINTER, Lease, NewVersion, collect,
                         current_version, named_graphs, open_current, replace_graph,
                         version_dir, versions)
from graph.validate import Report

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
G1 = URIRef("https://w3id.org/unkg/graph/test/1")
G2 = URIRef("https://w3id.org/unkg/graph/test/2")
S = URIRef("https://w3id.org/unkg/res/ga/70/174")
P = URIRef("http://purl.org/dc/terms/title")


def _graph(title: str) -> Graph:
    g = Graph()
    g.add((S, P, Literal(title, lang="en")))
    return g


def _commit(root: Path, name: URIRef, title: str, *, fresh: bool = False) -> str:
    with NewVersion(root, fresh=fresh) as new:
        replace_graph(new.store, name, _graph(title))
        new.commit()
        return new.id


def _titles(root: Path) -> set[str]:
    opened = open_current(root)
    assert opened is not None
    _, store, lease = opened
    try:
        return {row["t"].value for row in store.query(
            f"SELECT ?t WHERE {{ GRAPH ?g {{ ?s <{P}> ?t }} }}")}
    finally:
        del store
        lease.release()


def _corpus(tmp_path: Path, *names: str) -> Path:
    corpus = tmp_path / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


def test_a_commit_switches_the_pointer_and_removes_the_unused_version(tmp_path):
    root = tmp_path / "store"
    first = _commit(root, G1, "first")
    assert current_version(root) == first and (root / POINTER).read_text().strip() == first
    second = _commit(root, G2, "second")
    assert current_version(root) == second
    assert _titles(root) == {"first", "second"}  # a copy of the current version, plus the build
    assert versions(root) == [second]  # nobody had the first open: removed
    assert sorted(p.name for p in (root / "versions").iterdir()) == [".build.lock", second, f"{second}.lease"]


def test_a_fresh_version_starts_empty(tmp_path):
    root = tmp_path / "store"
    _commit(root, G1, "first")
    _commit(root, G2, "second", fresh=True)
    assert _titles(root) == {"second"}


def test_a_version_open_in_another_process_is_kept_until_let_go(tmp_path):
    root = tmp_path / "store"
    first = _commit(root, G1, "first")
    reader = open_current(root)  # a second lock file description: as another process would
    assert reader is not None and reader[0] == first
    second = _commit(root, G1, "second")
    assert versions(root) == [first, second]
    assert {row["t"].value for row in reader[1].query(
        f"SELECT ?t WHERE {{ GRAPH ?g {{ ?s <{P}> ?t }} }}")} == {"first"}  # still answers
    reader[2].release()
    assert collect(root) == [first]
    assert versions(root) == [second]


def test_a_build_that_is_not_committed_leaves_the_current_version(tmp_path):
    root = tmp_path / "store"
    first = _commit(root, G1, "first")
    with pytest.raises(RuntimeError):
        with NewVersion(root) as new:
            replace_graph(new.store, G2, _graph("never"))
            raise RuntimeError("the build failed")
    assert current_version(root) == first and versions(root) == [first]
    assert _titles(root) == {"first"}


def test_an_unfinished_version_of_a_dead_build_is_removed_by_the_next(tmp_path):
    root = tmp_path / "store"
    first = _commit(root, G1, "first")
    dead = root / "versions" / "20200101T000000-1-dead00"
    ox.Store(str(dead)).flush()  # as a build killed before its switch leaves it
    (root / f".{POINTER}.20200101T000000-1-dead00.tmp").write_text("20200101T000000-1-dead00")
    second = _commit(root, G2, "second")
    assert versions(root) == [second] and current_version(root) == second
    assert not list(root.glob(f".{POINTER}.*"))
    assert first not in versions(root)


def test_a_version_being_built_is_never_collected(tmp_path):
    root = tmp_path / "store"
    _commit(root, G1, "first")
    with NewVersion(root) as new:
        assert collect(root) == []  # its builder holds its lease
        assert new.id in versions(root)
        new.commit()


def test_a_lease_on_a_removed_version_is_not_granted(tmp_path):
    root = tmp_path / "store"
    first = _commit(root, G1, "first")
    _commit(root, G1, "second")
    assert first not in versions(root)
    lease = Lease.take(root, first)  # recreates an orphan lease file, which collect removes
    assert lease is not None
    lease.release()
    collect(root)
    assert not (root / "versions" / f"{first}.lease").exists()


def test_a_plain_store_directory_is_served_as_the_legacy_version_then_replaced(tmp_path):
    root = tmp_path / "store"
    plain = ox.Store(str(root))  # the layout before versions: the directory is the store
    replace_graph(plain, G1, _graph("plain"))
    plain.flush()
    del plain
    assert current_version(root) == LEGACY and version_dir(root, LEGACY) == root
    assert _titles(root) == {"plain"}
    new = _commit(root, G2, "versioned")
    assert _titles(root) == {"plain", "versioned"}
    # the plain store's RocksDB files are gone once nothing uses them; the data is in the copy
    collect(root)
    assert sorted(p.name for p in root.iterdir()) == [POINTER, "versions"]
    assert versions(root) == [new]


def test_build_version_builds_validates_and_switches(tmp_path):
    root = tmp_path / "store"
    corpus = _corpus(tmp_path, "A_RES_77_50.txt")
    built = build_version(corpus, root)
    assert built.version == current_version(root) and built.previous is None
    assert built.summary.errors == [] and built.report is None
    corpus = _corpus(tmp_path, "A_RES_76_150.txt")
    again = build_version(corpus, root)
    assert again.previous == built.version and versions(root) == [again.version]
    assert (again.summary.read, again.summary.kept) == (1, 0)
    assert again.summary.removed == ["A_RES_77_50.txt"]
    opened = open_current(root)
    assert opened is not None
    graphs = named_graphs(opened[1])
    assert not any(g.endswith("/res/ga/77/50") for g in graphs)  # its file left the corpus
    assert any(g.endswith("/res/ga/76/150") for g in graphs)
    sources = {row["f"].value for row in opened[1].query(
        f"SELECT ?f WHERE {{ GRAPH <{BUILD_GRAPH}> {{ ?g <http://purl.org/dc/terms/source> ?f }} }}")}
    assert sources == {"A_RES_76_150.txt"}
    opened[2].release()


def test_a_rebuild_of_the_same_corpus_reads_nothing_and_equals_a_fresh_build(tmp_path):
    """The new version starts as a copy of the current one, whose build record says every
    file is unchanged: nothing is read, and the version equals one built from nothing."""
    root = tmp_path / "store"
    corpus = _corpus(tmp_path, "A_RES_77_50.txt", "A_RES_76_150.txt")
    build_version(corpus, root)
    again = build_version(corpus, root)
    assert (again.summary.read, again.summary.kept, again.summary.removed) == (0, 2, [])
    fresh = build_version(corpus, tmp_path / "fresh", fresh=True)
    assert fresh.summary.read == 2
    assert _nquads(root) == _nquads(tmp_path / "fresh")


def _nquads(root: Path) -> list[str]:
    """The current version as sorted N-Quads, build times aside."""
    opened = open_current(root)
    assert opened is not None
    try:
        return sorted(line for line in opened[1].dump(format=ox.RdfFormat.N_QUADS).decode().splitlines()
                      if "endedAtTime" not in line)
    finally:
        opened[2].release()


def test_a_version_that_does_not_conform_is_not_served(tmp_path, monkeypatch):
    root = tmp_path / "store"
    first = build_version(_corpus(tmp_path, "A_RES_77_50.txt"), root).version
    refused = Report(False, [], Graph())
    monkeypatch.setattr("graph.validate.validate", lambda store, **_: refused)
    built = build_version(_corpus(tmp_path, "A_RES_76_150.txt"), root)
    assert built.version is None and built.report is refused and built.previous == first
    assert current_version(root) == first and versions(root) == [first]


def test_a_missing_corpus_writes_nothing(tmp_path):
    with pytest.raises(build_module.ReaderError, match="no such corpus"):
        build_version(tmp_path / "nowhere", tmp_path / "store")
    assert not (tmp_path / "store").exists()
