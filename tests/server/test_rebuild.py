"""Rebuilding while serving: ``unkg build`` in another process switches the served store to a
new version; clients querying through the switch see no error, never a mix of the two
versions, and the new one soon after; the old version is removed once nobody uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.build import build_version
from graph.store import current_version, open_current, versions
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
A_FILES = ("A_RES_77_50.txt", "A_RES_76_30.txt")
B_FILES = ("A_RES_76_150.txt", "A_80_L.3.txt")
PER_GRAPH = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
             "GROUP BY ?g ORDER BY ?g")
ONLY_IN_B = "/res/ga/76/150"  # a document of corpus B: 404 on version A, 200 on B


def _corpus(directory: Path, names: tuple[str, ...]) -> Path:
    directory.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, directory / name)
    return directory


def _per_graph_from_store(root: Path) -> tuple:
    opened = open_current(root)
    assert opened is not None
    version, store, lease = opened
    rows = tuple((row["g"].value, int(row["n"].value)) for row in store.query(PER_GRAPH))
    quads = len(store)
    del store
    lease.release()
    return version, rows, quads


def _etag(reply) -> str:
    return {name.lower(): value for name, value in reply.headers.items()}["etag"]


def _per_graph_answer(reply) -> tuple:
    bindings = reply.json()["results"]["bindings"]
    return tuple((b["g"]["value"], int(b["n"]["value"])) for b in bindings)


@pytest.fixture()
def served(tmp_path, serve):
    root = tmp_path / "store"
    build_version(_corpus(tmp_path / "a", A_FILES), root)
    app = create_app({"TESTING": True, "STORE": str(root), "QUERY_WORKERS": 2,
                      "QUERY_TIMEOUT": 20.0, "DIST": str(tmp_path / "dist"), "VERSION": "t",
                      "ONTOLOGY": str(ROOT / "ontology")})
    yield root, serve(app), tmp_path
    app.extensions["unkg"].close()


def test_queries_through_a_rebuild_see_one_whole_version_and_no_error(served, fetch):
    root, live, tmp_path = served
    http = fetch
    version_a, per_graph_a, quads_a = _per_graph_from_store(root)
    answers: dict[str, list[tuple[float, object]]] = {"sparql": [], "health": [], "page": []}
    problems: list[str] = []
    stop = threading.Event()

    def loop(kind: str) -> None:
        while not stop.is_set():
            try:
                if kind == "sparql":  # in a query worker process
                    reply = http("GET", f"{live.url}/sparql", params={"query": PER_GRAPH},
                                 headers={"Accept": "application/sparql-results+json"})
                    value: object = _per_graph_answer(reply) if reply.status == 200 else None
                elif kind == "health":  # in the web process
                    reply = http("GET", f"{live.url}/health")
                    body = reply.json() if reply.status == 200 else {}
                    value = (body.get("triples"), body.get("store_version"))
                else:  # a page the web process renders from several queries
                    reply = http("GET", f"{live.url}{ONLY_IN_B}", headers={"Accept": "text/html"})
                    value = reply.status
                if reply.status not in (200, 404) or (reply.status == 404 and kind != "page"):
                    problems.append(f"{kind}: {reply.status} {reply.text[:200]}")
                answers[kind].append((time.monotonic(), value))
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                problems.append(f"{kind}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=loop, args=(kind,)) for kind in answers for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    build = subprocess.run(
        [sys.executable, "-m", "graph.cli", "--store", str(root), "build", "-q",
         str(_corpus(tmp_path / "b", B_FILES))], cwd=ROOT, capture_output=True, text=True,
        timeout=120)
    switched = time.monotonic()
    assert build.returncode == 0, build.stderr
    version_b, per_graph_b, quads_b = _per_graph_from_store(root)
    assert version_b != version_a and per_graph_b != per_graph_a and quads_b != quads_a
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join(60)

    assert problems == []
    expected = {"sparql": (per_graph_a, per_graph_b),
                "health": ((quads_a, version_a), (quads_b, version_b)),
                "page": (404, 200)}
    for kind, (old, new) in expected.items():
        seen = [value for _, value in answers[kind]]
        assert seen and set(seen) <= {old, new}, f"{kind}: an answer of neither version"
        assert seen[0] == old and seen[-1] == new, f"{kind}: did not move from A to B"
        after = [value for when, value in answers[kind] if when > switched + 0.05]
        assert after and set(after) == {new}, f"{kind}: version A after the switch"
    # Once every process has moved on, version A is removed.
    deadline = time.monotonic() + 20
    while versions(root) != [version_b] and time.monotonic() < deadline:
        http("GET", f"{live.url}/sparql", params={"query": "ASK {}"})
        time.sleep(0.1)
    assert versions(root) == [version_b] and current_version(root) == version_b


def test_entity_tags_name_the_store_version_so_a_revalidation_after_a_switch_gets_new_data(
        served, fetch):
    root, live, tmp_path = served
    requests = [("/res/ga/77/50", {}, {"Accept": "text/turtle"}),
                ("/sparql", {"query": PER_GRAPH}, {"Accept": "application/sparql-results+json"})]
    before = []
    for path, params, headers in requests:
        first = fetch("GET", f"{live.url}{path}", params=params, headers=headers)
        assert first.status == 200, (path, first.status, first.text[:300])
        tag = _etag(first)
        assert first.status == 200 and current_version(root) in tag
        again = fetch("GET", f"{live.url}{path}", params=params,
                      headers={**headers, "If-None-Match": tag})
        assert again.status == 304 and _etag(again) == tag
        before.append((tag, first.body))
    # A's files stay in the corpus (a file that leaves it takes its graph with it): the same
    # page, under a new version
    build_version(_corpus(tmp_path / "b", A_FILES + B_FILES), root)
    for (path, params, headers), (old_tag, old_body) in zip(requests, before):
        after = fetch("GET", f"{live.url}{path}", params=params,
                      headers={**headers, "If-None-Match": old_tag})
        assert after.status == 200 and _etag(after) != old_tag
        assert current_version(root) in _etag(after)
        again = fetch("GET", f"{live.url}{path}", params=params,
                      headers={**headers, "If-None-Match": _etag(after)})
        assert again.status == 304
    assert before[1][1] != after.body  # the named graphs changed
