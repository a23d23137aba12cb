"""The /sparql endpoint through Flask's test client: protocol, formats, errors, refusals."""

from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pyoxigraph as ox
import pytest

SELECT = "SELECT DISTINCT ?symbol WHERE { ?r a unkg:Resolution ; dcterms:identifier ?symbol } ORDER BY ?symbol"
SYMBOLS = ["A/RES/70/174", "A/RES/71/209"]
ASK = "ASK { ?t a unkg:Treaty }"
CONSTRUCT = "CONSTRUCT { ?t a unkg:Treaty } WHERE { ?t a unkg:Treaty }"
TREATY = "https://w3id.org/unkg/treaty/unts/39574/2225"


def send(client, method: str, query: str, **kwargs):
    """The three ways the Protocol allows to send a query."""
    if method == "GET":
        return client.get("/sparql", query_string={"query": query}, **kwargs)
    if method == "POST-form":
        return client.post("/sparql", data={"query": query}, **kwargs)
    return client.post("/sparql", data=query.encode(), content_type="application/sparql-query",
                       **kwargs)


METHODS = ["GET", "POST-form", "POST-direct"]


def select_symbols(body: bytes, media_type: str) -> list[str]:
    """The ?symbol column of a SELECT result in any of the four result formats."""
    if media_type == "text/csv":  # lossy, so pyoxigraph does not parse it
        return [row["symbol"] for row in csv.DictReader(io.StringIO(body.decode()))]
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    return [row["symbol"].value for row in ox.parse_query_results(body, format=fmt)]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept,media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("text/html;q=0.9, text/csv", "text/csv"),
], ids=["json", "json-alias", "xml", "csv", "tsv", "any", "q-values"])
def test_select_in_every_result_format(client, method, accept, media_type):
    response = send(client, method, SELECT, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert select_symbols(response.data, media_type) == SYMBOLS


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("accept,fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/trig", ox.RdfFormat.TRIG),
], ids=["turtle", "ntriples", "jsonld", "rdfxml", "nquads", "trig"])
def test_construct_in_every_rdf_format(client, method, accept, fmt):
    response = send(client, method, CONSTRUCT, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    parsed = list(ox.parse(response.data, format=fmt))
    assert [q.subject.value for q in parsed] == [TREATY]


@pytest.mark.parametrize("name,media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
], ids=["json", "xml", "csv", "tsv"])
def test_format_parameter_beats_accept(client, name, media_type):
    response = client.get("/sparql", query_string={"query": SELECT, "format": name},
                          headers={"Accept": "text/turtle"})
    assert response.mimetype == media_type
    assert select_symbols(response.data, media_type) == SYMBOLS


@pytest.mark.parametrize("name,media_type", [
    ("json", "application/ld+json"), ("xml", "application/rdf+xml"), ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
], ids=["json-means-jsonld", "xml-means-rdfxml", "ttl", "nt"])
def test_format_names_follow_the_query_form(client, name, media_type):
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": name})
    assert response.mimetype == media_type


@pytest.mark.parametrize("accept,expected", [
    ("application/sparql-results+json", {"head": {}, "boolean": True}),
    ("text/csv", "true"),
], ids=["json", "csv"])
def test_ask(client, accept, expected):
    response = send(client, "GET", ASK, headers={"Accept": accept})
    body = json.loads(response.data) if accept.endswith("json") else response.data.decode()
    assert body == expected


def test_describe_gives_the_resource_triples(client):
    response = send(client, "GET", f"DESCRIBE <{TREATY}>", headers={"Accept": "application/n-triples"})
    triples = list(ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES))
    assert {t.predicate.value.rsplit("#", 1)[-1] for t in triples} >= {
        "untsRegistration", "untsVolume"}


def test_default_graph_is_the_union_and_protocol_graphs_narrow_it(client):
    graph = "https://w3id.org/unkg/graph/res/ga/71/209"
    union = send(client, "GET", SELECT, headers={"Accept": "text/csv"})
    narrowed = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": graph},
                          headers={"Accept": "text/csv"})
    assert select_symbols(union.data, "text/csv") == SYMBOLS
    assert select_symbols(narrowed.data, "text/csv") == ["A/RES/71/209"]


@pytest.mark.parametrize("accept", ["application/xml;q=0", "image/png", "text/turtle"],
                         ids=["refused-xml", "png", "rdf-for-select"])
def test_unacceptable_formats_get_406(client, accept):
    response = send(client, "GET", SELECT, headers={"Accept": accept})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.data.decode()


def test_unknown_format_name_gets_406_with_the_choices(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "yaml"})
    assert response.status_code == 406
    assert "json, xml, csv, tsv" in response.data.decode()


@pytest.mark.parametrize("method", METHODS)
def test_syntax_error_is_400_with_the_parser_message_and_position(client, method):
    response = send(client, method, "SELECT ?s WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "error at 1:" in response.data.decode()


@pytest.mark.parametrize("request_kwargs,status,message", [
    ({"method": "GET", "query_string": "query=ASK%7B%7D&query=ASK%7B%7D"}, 400, "2 queries"),
    ({"method": "POST", "data": "query=ASK%7B%7D&query=ASK%7B%7D",
      "content_type": "application/x-www-form-urlencoded"}, 400, "2 queries"),
    ({"method": "POST", "query_string": "query=ASK%7B%7D", "data": "ASK {}",
      "content_type": "application/sparql-query"}, 400, "2 queries"),
    ({"method": "PUT", "query_string": "query=ASK%7B%7D"}, 405, "not allowed"),
    ({"method": "DELETE"}, 405, "not allowed"),
    ({"method": "POST", "data": "ASK {}", "content_type": "text/plain"}, 415, "text/plain"),
    ({"method": "POST", "data": "ASK {}"}, 415, "untyped body"),
    ({"method": "POST", "data": "ASK {}".encode("utf-16"),
      "content_type": "application/sparql-query; charset=UTF-16"}, 415, "UTF-8"),
    ({"method": "POST", "data": b"ASK { ?s ?p \"\xff\" }",
      "content_type": "application/sparql-query"}, 400, "not valid UTF-8"),
    ({"method": "POST", "data": "", "content_type": "application/x-www-form-urlencoded"}, 400,
     "no `query`"),
    ({"method": "POST", "data": "ASK {}" + " " * 5000,
      "content_type": "application/sparql-query"}, 413, "Too Large"),
    ({"method": "POST", "data": {"query": "ASK {}" + " " * 5000}}, 413, "Too Large"),
], ids=["two-get", "two-form", "url-and-body", "put", "delete", "text-plain", "no-type",
        "utf16", "bad-utf8", "empty-form", "big-direct", "big-form"])
def test_client_mistakes_get_4xx_with_a_message(app, request_kwargs, status, message):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        response = app.test_client().open("/sparql", **request_kwargs)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY"]
    assert response.status_code == status
    assert message in response.data.decode()


def test_method_not_allowed_names_the_allowed_methods(client):
    response = client.put("/sparql")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


UPDATES = [
    "INSERT DATA { <http://x/s> <http://x/p> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } insert { ?s ?p 1 } where { ?s ?p ?o }",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL", "DROP GRAPH <http://x/g>", "CREATE GRAPH <http://x/g>",
    "ADD DEFAULT TO <http://x/g>", "MOVE <http://x/a> TO <http://x/b>",
    "COPY <http://x/a> TO <http://x/b>",
    "PREFIX ex: <http://x/> # a comment\n InSeRt DATA { ex:s ex:p ex:o }",
]


@pytest.mark.parametrize("update", UPDATES, ids=[u.split()[0].lower() + str(i)
                                                 for i, u in enumerate(UPDATES)])
@pytest.mark.parametrize("how", ["query-param", "update-param", "update-body"])
def test_updates_are_refused_and_change_nothing(app, client, update, how):
    before = len(app.extensions["unkg"].store)
    if how == "query-param":
        response = send(client, "POST-form", update)
    elif how == "update-param":
        response = client.post("/sparql", data={"update": update})
    else:
        response = client.post("/sparql", data=update, content_type="application/sparql-update")
    assert response.status_code == 403
    assert "read-only" in response.data.decode()
    assert len(app.extensions["unkg"].store) == before


def test_update_param_on_get_is_refused(client):
    response = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 403


class _Recorder(BaseHTTPRequestHandler):
    """A local HTTP service that counts the requests it gets (a stand-in for SERVICE <...>)."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def remote_service():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()


SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "PREFIX s: <http://x/SERVICE#>\n# SERVICE in a comment\nSELECT * WHERE { ?s s:p \"SERVICE\" . "
    "SeRvIcE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "ASK { FILTER(1<2) SERVICE<{url}>{} }",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES,
                         ids=["plain", "lower-silent", "comments-strings-case", "subquery",
                              "no-spaces"])
def test_service_is_refused_before_any_outbound_request(client, remote_service, template):
    query = template.replace("{url}", remote_service)
    response = send(client, "POST-form", query)
    assert response.status_code == 403
    assert "SERVICE" in response.data.decode()
    assert _Recorder.hits == []


def test_the_recorder_does_see_what_pyoxigraph_would_send(remote_service):
    """The control for the test above: left alone, pyoxigraph does call the service."""
    ox.Store().query(f"SELECT * WHERE {{ SERVICE <{remote_service}> {{ ?s ?p ?o }} }}")
    assert len(_Recorder.hits) == 1


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/>" }',
    "SELECT ?service WHERE { ?service a <http://x/SERVICE> } # SERVICE <http://x/>",
    'PREFIX service: <http://x/>\nSELECT * WHERE { ?s service:SERVICE "x"@service }',
], ids=["in-string", "variable-iri-comment", "prefix-named-service"])
def test_the_word_service_elsewhere_is_not_refused(client, query):
    assert send(client, "GET", query).status_code == 200


def test_row_cap_cuts_and_says_so(app, client):
    limit = app.config["ROW_LIMIT"]
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    response = send(client, "GET", query, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.headers["X-Result-Limit"] == str(limit)
    assert len(rows) == limit + 1  # header + the cap


def test_row_cap_applies_to_graphs(app, client):
    response = send(client, "GET", "CONSTRUCT WHERE { ?s ?p ?o }",
                    headers={"Accept": "application/n-triples"})
    assert response.headers["X-Result-Truncated"] == "true"
    assert len(response.data.decode().splitlines()) == app.config["ROW_LIMIT"]


def test_results_under_the_cap_are_not_marked(client):
    response = send(client, "GET", SELECT)
    assert "X-Result-Truncated" not in response.headers
    assert response.headers["X-Result-Rows"] == "2"


@pytest.mark.parametrize("accept,fmt", [
    (None, ox.RdfFormat.TURTLE), ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
], ids=["default", "turtle", "jsonld", "rdfxml"])
def test_service_description(client, accept, fmt):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = {(t.subject, t.predicate.value, t.object) for t in ox.parse(response.data, format=fmt)}
    endpoint = ox.NamedNode("http://localhost/sparql")
    assert (endpoint, sd + "endpoint", endpoint) in triples
    assert (endpoint, sd + "supportedLanguage", ox.NamedNode(sd + "SPARQL11Query")) in triples
    assert (endpoint, sd + "feature", ox.NamedNode(sd + "UnionDefaultGraph")) in triples
    names = {o.value for _, p, o in triples if p == sd + "name"}
    assert names == {"https://w3id.org/unkg/graph/res/ga/70/174",
                     "https://w3id.org/unkg/graph/res/ga/71/209"}


def test_browsers_asking_the_endpoint_go_to_the_query_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 303
    assert response.location == "/"


def test_cors_preflight_and_headers(client):
    preflight = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    answer = send(client, "GET", ASK, headers={"Origin": "https://example.org"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Truncated" in answer.headers["Access-Control-Expose-Headers"]


def test_etag_revalidation_answers_304_without_running_the_query(client):
    first = send(client, "GET", SELECT)
    tag = first.headers["ETag"]
    assert tag.startswith('W/"test-1-')
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = send(client, "GET", SELECT, headers={"If-None-Match": tag})
    assert again.status_code == 304
    other = send(client, "GET", SELECT, headers={"Accept": "text/csv"})
    assert other.headers["ETag"] != tag


def test_errors_are_not_cached(client):
    response = send(client, "GET", "SELECT {")
    assert response.headers["Cache-Control"] == "no-store"
