"""Remote stores (``graph.remote``, ``server.remote``) on real servers: the same answers as the
embedded store, a store that stops, and a build stopped before its switch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask

from graph import remote
from graph.build import build_corpus, build_version
from graph.remote import Client, parse_store, read_catalog, staged_graphs
from server import create_app, pages
from server.home import examples
from server.vocab import prefixes
from tests.remote.servers import Server, start_oxigraph

RESOLUTION = "https://w3id.org/unkg/res/ga/70/174"
SIMPLE = "SELECT ?d WHERE { ?d dcterms:identifier \"A/RES/70/174\" }"
RESOLUTION_FILE, OTHER_FILE = "000_d84c65ec1904ae7a.txt", "002_4d87f6f1b0825404.txt"
ROOT_CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def corpus(directory: Path, sample: Path, *names: str) -> Path:
    """A corpus of some files of the sample, with its manifest."""
    directory.mkdir()
    for name in names + ("manifest.json",):
        (directory / name).write_bytes((sample / name).read_bytes())
    return directory


def make_app(store: str | ox.Store, tmp: Path) -> Flask:
    return create_app({"TESTING": True, "STORE": store, "QUERY_TIMEOUT": 20.0,
                       "QUERY_WORKERS": 2, "DIST": str(tmp / "dist"), "VERSION": "test-1",
                       "ANSWER_CACHE_MB": 0})


def normalized(bindings: list[dict]) -> list[str]:
    """Rows comparable across stores: in any order (ORDER BY ties), the items of a
    GROUP_CONCAT list sorted (SPARQL leaves their order to the store), and a GROUP_CONCAT of
    nothing unbound (Oxigraph leaves it unbound, Virtuoso gives "", as SPARQL 1.1 says)."""
    rows = []
    for binding in bindings:
        for name, term in list(binding.items()):
            if term["type"] == "literal" and ", " in term["value"]:
                term["value"] = ", ".join(sorted(term["value"].split(", ")))
            if term == {"type": "literal", "value": ""}:
                del binding[name]
        rows.append(json.dumps(binding, sort_keys=True))
    return sorted(rows)


def answer(app: Flask, query: str) -> list[str]:
    response = app.test_client().post("/sparql", data={"query": query},
                                      headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    return normalized(json.loads(response.data)["results"]["bindings"])


@pytest.fixture(scope="module")
def reference(sample: Path) -> ox.Store:
    """The sample built into an in-memory store and queried directly: what every store served
    must answer."""
    store = ox.Store()
    build_corpus(sample, store)
    return store


def expected(store: ox.Store, query: str) -> list[str]:
    results = store.query(query, use_default_graph_as_union=True, prefixes=prefixes())
    assert isinstance(results, ox.QuerySolutions)
    data = json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))
    return normalized(data["results"]["bindings"])


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def served(request: pytest.FixtureRequest, sample: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """``unkg build`` of the sample into the store, and the app serving it."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "embedded":
        built = build_version(sample, tmp / "store")
        setting: str = str(tmp / "store")
    else:
        server: Server = request.getfixturevalue(f"{request.param}_server")
        setting = server.setting
        built = remote.build_remote(sample, parse_store(setting))
    assert built.version is not None and built.report is None
    app = make_app(setting, tmp)
    yield app
    app.extensions["unkg"].close()


def test_every_example_query_answers_as_on_the_embedded_store(served, reference):
    for example in examples():
        assert answer(served, example.query) == expected(reference, example.query), example.name


def test_pages_health_and_lookup_read_the_same_graph(served, reference):
    client = served.test_client()
    health = client.get("/health")
    assert health.status_code == 200 and health.json["triples"] == len(reference)
    page = client.get(RESOLUTION.removeprefix("https://w3id.org/unkg") + ".nt")
    assert page.status_code == 200
    mine = set(page.data.decode().splitlines())
    theirs = set(ox.serialize(pages.describe(reference, RESOLUTION),
                              format=ox.RdfFormat.N_TRIPLES).decode().splitlines())
    assert mine == theirs
    lookup = client.get("/lookup?symbol=A/RES/70/174")
    assert lookup.status_code == 303 and lookup.location.endswith("/res/ga/70/174")
    assert client.get("/res/ga/70/174.ttl-is-not-a-resource").status_code == 404
    assert b"Most cited" in client.get("/stats").data


def test_the_row_cap_applies_to_a_forwarded_query(served):
    served.config["ROW_LIMIT"] = 7
    try:
        response = served.test_client().post(
            "/sparql", data={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"},
            headers={"Accept": "text/csv"})
    finally:
        served.config["ROW_LIMIT"] = 10_000
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true"
    assert len(response.data.decode().splitlines()) == 8  # the header and 7 rows


def test_a_stopped_store_gives_503_and_health_says_so(tmp_path, sample):
    server = start_oxigraph(tmp_path)
    try:
        client = Client(parse_store(server.setting))
        client.update(remote.switch_update("v1", [], [], ["urn:g"]))  # serves <urn:g>
        client.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 'o' } }")
        app = make_app(server.setting, tmp_path)
        http = app.test_client()
        assert http.get("/health").json["triples"] == 1
    finally:
        server.stop()
    health = http.get("/health")
    assert health.status_code == 503 and health.json["status"] == "unavailable"
    assert "does not answer" in health.json["store"]
    query = http.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert query.status_code == 503 and query.headers["Retry-After"]
    assert b"does not answer" in query.data
    assert http.get("/res/ga/70/174").status_code == 503
    app.extensions["unkg"].close()


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_build_stopped_before_its_switch_leaves_readers_on_the_old_graphs(
        request, kind, sample, tmp_path, monkeypatch):
    server: Server = request.getfixturevalue(f"{kind}_server")
    spec = parse_store(server.setting)
    two, one = corpus(tmp_path / "two", sample, RESOLUTION_FILE, OTHER_FILE), corpus(
        tmp_path / "one", sample, OTHER_FILE)
    remote.build_remote(two, spec, validate=False)
    client = Client(spec)
    before = read_catalog(client)
    app = make_app(server.setting, tmp_path)
    old = answer(app, SIMPLE)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the build dies where it would switch
    monkeypatch.setattr(remote, "switch_update", killed)
    with pytest.raises(KeyboardInterrupt):
        remote.build_remote(one, spec, validate=False)
    assert staged_graphs(client)  # uploaded, all of it, but not served
    assert read_catalog(client) == before
    assert remote.read_locks(client) == []  # the dead build let go of the store
    assert answer(app, SIMPLE) == old and old
    assert app.test_client().get("/health").json["triples"] == int(
        client.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                      graphs=before.graphs, named=before.graphs)[0]["n"])
    monkeypatch.undo()

    built = remote.build_remote(one, spec, validate=False)
    assert not staged_graphs(client)  # the dead build's staging and this one's are gone
    after = read_catalog(client)
    assert after.version == built.version and set(after.graphs) < set(before.graphs)
    assert answer(app, SIMPLE) == []  # 70/174 left the corpus, and its graph with it
    app.extensions["unkg"].close()


def test_the_store_setting_names_three_endpoints():
    oxigraph = parse_store("oxigraph+http://127.0.0.1:7878", {})
    assert (oxigraph.query, oxigraph.update, oxigraph.gsp) == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store")
    virtuoso = parse_store("virtuoso+https://db.example/", {"UNKG_STORE_USER": "u",
                                                             "UNKG_STORE_PASSWORD": "p"})
    assert (virtuoso.query, virtuoso.update, virtuoso.gsp, virtuoso.user) == (
        "https://db.example/sparql", "https://db.example/sparql-auth",
        "https://db.example/sparql-graph-crud-auth", "u")
    assert parse_store("virtuoso+http://h:8890", {}).update == "http://h:8890/sparql"
    other = parse_store("sparql+http://h/ds/query?update=update&gsp=/data", {})
    assert (other.query, other.update, other.gsp) == (
        "http://h/ds/query", "http://h/ds/update", "http://h/data")
    assert parse_store("oxigraph+http://h:1/?gsp=http://g/store", {}).gsp == "http://g/store"
    for wrong, reason in [("oxigraph+http://u:p@h:1", "UNKG_STORE_USER"),
                          ("oxigraph+http://h:1?graph=x", "unknown setting graph"),
                          ("oxigraph+http://", "no host"), ("http://h:1", "not a remote")]:
        with pytest.raises(ValueError, match=reason):
            parse_store(wrong, {})


def test_a_request_dataset_reads_only_served_graphs(served):
    graph = "https://w3id.org/unkg/graph/res/ga/70/174"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = []
    for named in (graph, "urn:unkg:staging:x:" + graph):
        response = served.test_client().post(
            "/sparql", data={"query": query, "default-graph-uri": named},
            headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.data
        counts.append(int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"]))
    assert counts[0] > 1000 and counts[1] == 0


def test_a_forwarded_query_past_the_timeout_gives_503(oxigraph_server, tmp_path):
    remote.build_remote(corpus(tmp_path / "one", ROOT_CORPUS, OTHER_FILE),
                        parse_store(oxigraph_server.setting), validate=False)
    app = create_app({"TESTING": True, "STORE": oxigraph_server.setting, "QUERY_TIMEOUT": 1.0,
                      "QUERY_WORKERS": 2, "DIST": str(tmp_path / "dist"), "ANSWER_CACHE_MB": 0})
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = app.test_client().post("/sparql", data={"query": cartesian})
    assert response.status_code == 503 and b"time limit of 1 s" in response.data
    assert app.test_client().get("/health").status_code == 200
    app.extensions["unkg"].close()


def test_virtuoso_answers_are_read_as_standard_ones():
    """Virtuoso's blank nodes (``nodeID://``, cut anywhere between two reads) and its ASK
    table become what pyoxigraph reads from a standard answer."""
    import io

    from server.remote import _VIRTUOSO_BNODE, _boolean, _Stream

    xml = (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
           b'<variable name="x"/></head><results>'
           + b"".join(b'<result><binding name="x"><bnode>nodeID://b%d</bnode></binding></result>'
                      % n for n in range(50)) + b"</results></sparql>")

    class Trickle(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            return super().read(min(size, 7))

    stream = _Stream(Trickle(xml), None, _VIRTUOSO_BNODE)
    results = ox.parse_query_results(stream, format=ox.QueryResultsFormat.XML)
    assert [s["x"].value for s in results] == [f"b{n}" for n in range(50)]
    for rows, truth in ((b"", False), (b'<result><binding name="__ASK_RETVAL"><literal>1'
                                         b"</literal></binding></result>", True)):
        table = ox.parse_query_results(
            b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable '
            b'name="__ASK_RETVAL"/></head><results>' + rows + b"</results></sparql>",
            format=ox.QueryResultsFormat.XML)
        assert bool(_boolean(table)) is truth
