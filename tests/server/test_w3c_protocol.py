"""The W3C SPARQL 1.1 Protocol test suite, run from its manifest.

The suite is vendored in ``tests/server/w3c/sparql11-protocol`` (W3C licence beside it), so a
fresh clone runs it with nothing outside the repository. Its data files are loaded as the named
graphs the manifest labels them with. Every query test must pass as written. This endpoint is
read-only, so every update request must get a 4xx instead of the 2xx the suite expects of a
writable store; the requests that follow an update in the same test check the update's effect,
so they are not sent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from server import create_app

SUITE = Path(__file__).resolve().parent / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


def _manifest() -> Graph:
    graph = Graph()
    graph.parse(str(SUITE / "manifest.ttl"), format="turtle")
    return graph


MANIFEST = _manifest()
ENTRIES = list(Collection(MANIFEST, next(MANIFEST.objects(None, MF.entries))))


def _requests(test: URIRef) -> list[dict]:
    action = MANIFEST.value(test, MF.action)
    found = []
    for node in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        headers = {}
        header_list = MANIFEST.value(node, HT.headers)
        for header in Collection(MANIFEST, header_list) if header_list else []:
            headers[str(MANIFEST.value(header, HT.fieldName))] = str(
                MANIFEST.value(header, HT.fieldValue))
        body = MANIFEST.value(node, HT.body)
        data = None
        if body is not None:
            encoding = str(MANIFEST.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(MANIFEST.value(body, CNT.chars)).encode(encoding.lower())
        response = MANIFEST.value(node, HT.resp)
        found.append({
            "method": str(MANIFEST.value(node, HT.methodName)),
            "path": str(MANIFEST.value(node, HT.absolutePath)),
            "headers": headers, "data": data,
            "statuses": sorted(str(s)[len(HTS):] for s in MANIFEST.objects(response, MF.expectedStatus)),
            "format": MANIFEST.value(response, MF.expectedFormat),
            "boolean": MANIFEST.value(response, MF.expectedBoolean),
        })
    return found


def _is_update(request: dict) -> bool:
    return ("sparql-update" in request["headers"].get("content-type", "")
            or "update=" in request["path"] or request["data"] is not None
            and request["data"].startswith(b"update="))


@pytest.fixture(scope="module")
def client():
    store = ox.Store()
    for path in sorted(SUITE.glob("data*.nt")):
        label = next(str(MANIFEST.value(node, RDFS.label)) for node in MANIFEST.objects(None, UT.graphData)
                     if str(MANIFEST.value(node, UT.graph)).endswith(path.name))
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(label))
    app = create_app({"TESTING": True, "STORE": store, "QUERY_WORKERS": 1, "VERSION": "w3c"})
    yield app.test_client()
    app.extensions["unkg"].close()


def test_the_suite_is_found_and_complete():
    assert len(ENTRIES) == 34
    assert sum(1 for t in ENTRIES if any(_is_update(r) for r in _requests(t))) == 13


@pytest.mark.parametrize("test", ENTRIES, ids=[str(t).rsplit("#", 1)[-1] for t in ENTRIES])
def test_protocol(client, test):
    for request in _requests(test):
        path, _, query_string = request["path"].partition("?")
        response = client.open(path, method=request["method"], query_string=query_string,
                               headers=request["headers"], data=request["data"])
        if _is_update(request):
            assert 400 <= response.status_code < 500, response.data
            return  # the rest of the test checks the update's effect
        assert f"{response.status_code // 100}xx" in request["statuses"], response.data
        if str(request["format"]) == "boolean":
            answer = json.loads(response.data)["boolean"]
            assert request["boolean"] is None or answer is request["boolean"].toPython()
        elif str(request["format"]) == "tabular":
            assert response.mimetype in RESULT_TYPES
        elif str(request["format"]) == "RDF":
            assert response.mimetype in RDF_TYPES
