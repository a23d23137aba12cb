"""The HTTP surface under hostile input (issue 11, item 3): table-driven cases and hypothesis.

Every route is sent paths and parameters a careless or hostile client sends: characters no IRI
can hold, ``../`` and its encodings, 10 kB paths, invalid UTF-8 and NUL bytes (percent-encoded),
duplicated and missing parameters, huge or malformed ``Accept`` headers, queries that would
overflow the engine's stack. The server must answer 4xx (or a correct 2xx/3xx), never 5xx and
never a traceback; it must read no file outside the folders it serves; and every literal from
the documents must reach HTML escaped. The graph is built by ``graph.build`` from a tiny corpus
whose document is full of markup (``<script>``, ``<img onerror>``, Jinja braces), so what is
checked is what the readers really write.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import build_corpus
from server.protocol import MAX_NESTING, MAX_OPERATORS

from tests.server.conftest import FIXTURES, make_app

REPO = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/unkg/"
MARK = "<x-fuzz>"   # put into hostile input; must never come back raw in HTML
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

HOSTILE_DOCUMENT = """\
Resolution adopted by the General Assembly on 17 December 2015
[on the report of the Third Committee (A/70/490)]
70/999.\t<script>alert("title")</script> & "crime" prevention </title><b>bold</b>


\tThe General Assembly,
\tRecalling its resolution 46/152 of 18 December 1991 on <script>alert(1)</script> & the 'rule' of law,1
\tNoting the report "<img src=x onerror=alert(2)>" (A/CONF.222/17) and the Programme of Action (A/CONF.157/24 (Part I)),2
\t1.\tRequests the Secretary-General to report on <iframe src="javascript:alert(3)"></iframe> {{ 7*7 }} ${x} under resolution 65/228;
\t2.\tDecides to remain seized of the matter.

1 United Nations, Treaty Series, vol. 2349, No. 42146 <svg onload=alert(4)>.
2 Ibid., "</textarea><script>alert(5)</script>" resolution 67/187, annex.
"""
# What the document says in markup; each must show on its page as text.
HOSTILE_TEXTS = ('<script>alert("title")</script>', "<script>alert(1)</script>",
                 '"<img src=x onerror=alert(2)>"', '<iframe src="javascript:alert(3)"></iframe>',
                 "{{ 7*7 }}", "<svg onload=alert(4)>", "</textarea><script>alert(5)</script>")
DOCUMENT = "res/ga/70/999"


# --- what the server may read ------------------------------------------------------------------

_opened: list[str] | None = None
# What the standard library reads once per process (the media types send_file looks up).
SYSTEM_FILES = frozenset(mimetypes.knownfiles)


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event in ("open", "os.listdir", "os.scandir") and args:
        path = args[0]
        if isinstance(path, (str, bytes, Path)):
            _opened.append(str(Path(path.decode(errors="replace") if isinstance(path, bytes)
                                    else path)))


sys.addaudithook(_audit)  # audit hooks cannot be removed: it records only inside reads()


@contextlib.contextmanager
def reads(app: Flask) -> Iterator[list[str]]:
    """Record every file opened or listed while the block runs; fail on one outside the
    folders the server serves (releases, ontology, its templates, static files and example
    queries) or the code it may import."""
    global _opened
    _opened = found = []
    try:
        yield found
    finally:
        _opened = None
    allowed = [Path(app.config["DIST"]).resolve(), Path(app.config["ONTOLOGY"]).resolve(),
               REPO / "server" / "templates", REPO / "server" / "static",
               REPO / "server" / "queries"]
    code = [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]
    outside = []
    for name in found:
        path = Path(name).resolve()
        if any(path.is_relative_to(root) for root in allowed):
            continue
        if path.suffix in (".py", ".pyc", ".so") or path.name == "__pycache__" or \
                any(path.is_relative_to(root) for root in code) or name in SYSTEM_FILES:
            continue
        outside.append(name)
    assert not outside, f"files read outside the served folders: {sorted(set(outside))}"


# --- the app over a tiny hostile corpus --------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE_DOCUMENT, encoding="utf-8")
    store = ox.Store()
    summary = build_corpus(corpus, store)
    assert summary.errors == [] and summary.documents == 1
    # A release to download, a secret beside the served folders, and links that lead to it.
    (root / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "unkg.ttl").write_text("SECRET RELEASE", encoding="utf-8")
    release = root / "dist" / "unkg-0.1.0"
    release.mkdir(parents=True)
    (release / "unkg.ttl").write_text("<a> <b> <c> .\n", encoding="utf-8")
    (release / "SHA256SUMS").write_text("00  unkg.ttl\n", encoding="utf-8")
    (release / "leak.txt").symlink_to(root / "secret.txt")
    (root / "dist" / "unkg-9.9.9").symlink_to(root / "elsewhere")
    application = make_app(store, root, ROW_LIMIT=100, QUERY_TIMEOUT=20.0, QUERY_WORKERS=1,
                           DIST=str(root / "dist"), ONTOLOGY=str(FIXTURES / "ontology"))
    yield application
    application.extensions["unkg"].close()


@pytest.fixture()
def http(hostile: Flask) -> FlaskClient:
    return hostile.test_client()


def assert_safe(response, url: str = "") -> None:
    """4xx or a correct 2xx/3xx; no traceback; nothing of the request raw in HTML."""
    body = response.get_data()
    assert response.status_code < 500, (url, response.status_code, body[:300])
    assert b"Traceback" not in body and b'File "' not in body, (url, body[:300])
    if response.mimetype == "text/html":
        assert MARK.encode() not in body.lower(), (url, body[:300])


def get(client: FlaskClient, url: str, **headers: str):
    response = client.get(url, headers=headers)
    assert_safe(response, url)
    return response


# --- table-driven cases -------------------------------------------------------------------------

LONG = "a" * 10_000
CASES: list[tuple[str, str, dict[str, str], set[int]]] = [
    # resource paths
    ("res-exists", f"/{DOCUMENT}", {}, {200}),
    ("res-invalid-iri", "/res/ga/%3Cscript%3E", {}, {404}),
    ("res-invalid-iri-html", "/res/ga/%3Cx-fuzz%3E", {"Accept": "text/html"}, {404}),
    ("res-space", "/res/ga/a%20b", {}, {404}),
    ("res-braces", "/res/ga/%7Bx%7D%60%5E%7C%5C%22", {}, {404}),
    ("res-bare-percent", "/res/ga/%25", {}, {404}),
    ("res-bad-escape", "/res/ga/%zz", {}, {404}),
    ("res-nul", "/res/%00", {}, {404}),
    ("res-newline", "/res/ga/%0A", {}, {404}),
    ("res-del", "/res/ga/%7F", {}, {404}),
    ("res-invalid-utf8", "/res/%FF%FE", {}, {404}),
    ("res-overlong-utf8", "/res/%C0%AE%C0%AE/%C0%AF", {}, {404}),
    ("res-lone-surrogate", "/res/%ED%A0%80", {}, {404}),
    ("res-10kB", "/" + LONG, {}, {404}),
    ("res-10kB-ext", f"/{LONG}.ttl", {}, {404}),
    ("res-invalid-ext", "/%3C.ttl", {}, {404}),
    ("res-dotdot", f"/{DOCUMENT}/../../../etc/passwd", {}, {404}),
    ("res-encoded-dotdot", "/..%2F..%2F..%2Fetc%2Fpasswd", {}, {404}),
    ("res-double-encoded", "/%252e%252e%252fetc%252fpasswd", {}, {404}),
    ("res-backslash", "/..%5C..%5Cetc%5Cpasswd", {}, {404}),
    ("res-encoded-paren", "/doc/A/CONF.157/24%28PartI%29", {}, {200}),
    ("res-plain-paren", "/doc/A/CONF.157/24(PartI)", {}, {200}),
    ("res-paren-ext", "/doc/A/CONF.157/24(PartI).ttl", {}, {200}),
    ("res-format-nul", f"/{DOCUMENT}?format=%00", {}, {406}),
    ("res-format-twice", f"/{DOCUMENT}?format=ttl&format=%3Cx-fuzz%3E", {}, {200}),
    ("res-format-empty", f"/{DOCUMENT}?format=", {}, {200}),
    ("res-accept-huge", f"/{DOCUMENT}", {"Accept": "text/html;q=0.5," * 5000}, {200}),
    ("res-accept-junk", f"/{DOCUMENT}", {"Accept": ";;;,,,*/;q=x;q=1e999,/,=="}, {200, 406}),
    ("res-accept-none", f"/{DOCUMENT}", {"Accept": "x/y"}, {406}),
    ("res-accept-latin1", f"/{DOCUMENT}", {"Accept": "t\xe9xt/\xfe\xff"}, {406}),
    ("res-etag-junk", f"/{DOCUMENT}", {"If-None-Match": '"' * 5000 + "W/,,*"}, {200, 304}),
    # lookup and search
    ("lookup-missing", "/lookup", {}, {400}),
    ("lookup-empty", "/lookup?symbol=", {}, {400}),
    ("lookup-blank", "/lookup?symbol=%20%09%0A", {}, {400}),
    ("lookup-found", "/lookup?symbol=A/RES/70/999", {}, {303}),
    ("lookup-twice", "/lookup?symbol=A/RES/70/999&symbol=%3Cx-fuzz%3E", {}, {303}),
    ("lookup-nul", "/lookup?symbol=%00", {}, {404}),
    ("lookup-invalid-utf8", "/lookup?symbol=%FF%FE", {}, {404}),
    ("lookup-quotes", "/lookup?symbol=%22%5C%27%0D%0A%7D", {}, {404}),
    ("lookup-html", "/lookup?symbol=%3Cx-fuzz%3E", {"Accept": "text/html"}, {404}),
    ("lookup-10kB", f"/lookup?symbol={LONG}", {}, {404}),
    ("search-missing", "/search", {}, {200}),
    ("search-cr", "/search?q=a%0Db", {}, {200}),
    ("search-quotes", "/search?q=%22%5C%27%0D%0A%7D%29%20UNION", {}, {200}),
    ("search-nul", "/search?q=%00", {}, {200}),
    ("search-invalid-utf8", "/search?q=%C3%28%FF", {}, {200}),
    ("search-markup", "/search?q=%3Cx-fuzz%3E%22%3E%3Cx-fuzz%3E", {}, {200}),
    ("search-twice", "/search?q=&q=&q", {}, {200}),
    ("search-10kB", f"/search?q={LONG}", {}, {200}),
    ("search-no-equals", "/search?q", {}, {200}),
    # SPARQL
    ("sparql-description", "/sparql", {"Accept": "text/turtle"}, {200}),
    ("sparql-description-html", "/sparql", {"Accept": "text/html"}, {303}),
    ("sparql-nul", "/sparql?query=%00", {}, {400}),
    ("sparql-invalid-utf8", "/sparql?query=%FF%FE", {}, {400}),
    ("sparql-two-queries", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, {400}),
    ("sparql-empty-query", "/sparql?query=", {}, {400}),
    ("sparql-update-param", "/sparql?update=DROP%20ALL", {}, {403}),
    ("sparql-update-word", "/sparql?query=DROP%20ALL", {}, {403}),
    ("sparql-service", "/sparql?query=SELECT*%7BSERVICE%3Chttp://x/%3E%7B%7D%7D", {}, {403}),
    ("sparql-graph-invalid", "/sparql?query=ASK%7B%7D&default-graph-uri=%3Cx", {}, {400}),
    ("sparql-graph-relative", "/sparql?query=ASK%7B%7D&named-graph-uri=a%20b", {}, {400}),
    ("sparql-graph-empty", "/sparql?query=ASK%7B%7D&default-graph-uri=", {}, {400}),
    ("sparql-graph-ok", "/sparql?query=ASK%7B%7D&default-graph-uri=http://x/", {}, {200}),
    ("sparql-accept-huge", "/sparql?query=ASK%7B%7D", {"Accept": "x/y;q=0.1," * 5000}, {406}),
    ("sparql-format-junk", "/sparql?query=ASK%7B%7D&format=%00%FF", {}, {406}),
    ("sparql-deep-braces", "/sparql?query=SELECT*WHERE" + "%7B" * 5000, {}, {400}),
    ("sparql-deep-collections", "/sparql?query=ASK%7B?s%20?p%20" + "(" * 500 + ")" * 500
     + "%7D", {}, {400}),
    ("sparql-long-chain", "/sparql?query=ASK%7BFILTER(" + "!" * 20_000 + "true)%7D", {}, {400}),
    # downloads and static files
    ("downloads", "/downloads", {}, {200}),
    ("download-file", "/downloads/0.1.0/unkg.ttl", {}, {200}),
    ("download-dotdot", "/downloads/0.1.0/../../secret.txt", {}, {404}),
    ("download-encoded-dotdot", "/downloads/0.1.0/..%2F..%2Fsecret.txt", {}, {404}),
    ("download-version-dotdot", "/downloads/..%2F..%2F/secret.txt", {}, {404}),
    ("download-absolute", "/downloads/0.1.0//etc/passwd", {}, {404}),
    ("download-symlink-out", "/downloads/0.1.0/leak.txt", {}, {404}),
    ("download-release-symlink-out", "/downloads/9.9.9/unkg.ttl", {}, {404}),
    ("download-nul", "/downloads/0.1.0/unkg.ttl%00", {}, {404}),
    ("download-nul-version", "/downloads/%00/x", {}, {404}),
    ("download-10kB", f"/downloads/0.1.0/{LONG}", {}, {404}),
    ("static", "/static/style.css", {}, {200}),
    ("static-dotdot", "/static/../__init__.py", {}, {404}),
    ("static-encoded-dotdot", "/static/..%2F__init__.py", {}, {404}),
    ("static-dot-encoded", "/static/%2e%2e/%2e%2e/README.md", {}, {404}),
    ("static-nul", "/static/style.css%00", {}, {404}),
    ("static-invalid-utf8", "/static/%FF", {}, {404}),
    # the other pages
    ("home", "/", {}, {200}),
    ("ontology", "/ontology", {}, {200}),
    ("ontology-turtle", "/ontology", {"Accept": "text/turtle"}, {200}),
    ("ontology-format-junk", "/ontology?format=%3Cx-fuzz%3E", {"Accept": "text/html"}, {406}),
    ("ontology-accept-huge", "/ontology", {"Accept": "*/*;q=0.1," * 5000}, {200}),
    ("stats", "/stats", {}, {200}),
    ("stats-params", "/stats?x=%00&x=%FF", {}, {200}),
    ("health", "/health", {}, {200}),
    ("health-accept", "/health", {"Accept": "x/" * 5000}, {200}),
]


@pytest.mark.parametrize("url,headers,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_hostile_request(hostile, http, url, headers, expected):
    with reads(hostile):
        response = get(http, url, **headers)
    assert response.status_code in expected, (response.status_code, response.get_data()[:300])
    assert b"TOP SECRET" not in response.get_data()
    assert b"SECRET RELEASE" not in response.get_data()


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE"])
@pytest.mark.parametrize("url", ["/", f"/{DOCUMENT}", "/sparql", "/lookup", "/downloads"])
def test_methods_not_allowed(http, method, url):
    response = http.open(url, method=method)
    assert_safe(response, url)
    assert response.status_code == 405


@pytest.mark.parametrize("content_type,body,expected", [
    ("application/sparql-query", b"\xff\xfe\x00", 400),
    ("application/sparql-query; charset=latin-1", b"ASK {}", 415),
    ("application/sparql-query; charset=\x00", b"ASK {}", 200),  # an unreadable parameter
    ("application/x-www-form-urlencoded", b"query=%FF%00", 400),
    ("application/x-www-form-urlencoded", b"query=ASK%7B%7D&query=ASK%7B%7D", 400),
    ("application/x-www-form-urlencoded", b"&&&===", 400),
    ("application/x-www-form-urlencoded", b"update=DROP%20ALL", 403),
    ("application/sparql-update", b"DROP ALL", 403),
    ("multipart/form-data; boundary=x", b"--x\r\n\r\n--x--", 415),
    ("text/plain", b"\x00" * 1000, 415),
    ("", b"ASK {}", 415),
    ("application/sparql-query", b"SELECT * WHERE " + b"{" * 100_000, 400),
    ("application/sparql-query", b"x" * 2_000_000, 413),
])
def test_hostile_post(http, content_type, body, expected):
    response = http.post("/sparql", data=body, headers={"Content-Type": content_type})
    assert_safe(response)
    assert response.status_code == expected


def test_structure_limits_leave_real_queries_alone(http):
    """The example queries are far inside the limits, and a query just at them runs."""
    for path in sorted((REPO / "server" / "queries").glob("*.rq")):
        response = http.post("/sparql", data={"query": path.read_text(encoding="utf-8")})
        assert response.status_code == 200, (path.name, response.get_data()[:300])
    nested = "ASK { " + "{ " * (MAX_NESTING - 1) + "}" * (MAX_NESTING - 1) + " }"
    chain = "ASK { FILTER(" + "1 + " * (MAX_OPERATORS - 1) + "1 > 0) }"
    for query in (nested, chain):
        assert http.post("/sparql", data={"query": query}).status_code == 200


# --- escaping: every literal of the documents reaches HTML as text ---------------------------

class Page(HTMLParser):
    """Tags, attributes, links and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.links += [value for name, value in attrs if name == "href" and value]

    def handle_data(self, data):
        self.text.append(data)


def parse(html: bytes) -> Page:
    page = Page()
    page.feed(html.decode("utf-8"))
    return page


def resources(app: Flask) -> list[str]:
    """Every IRI under the base that the graph states something about."""
    store = app.config["STORE"]
    found = {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}
    return sorted(i[len(BASE):] for i in found if i.startswith(BASE) and "#" not in i)


def assert_no_markup_from_documents(page: Page, url: str) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("iframe", "img", "b"), (url, tag, attrs)
        assert not [n for n, _ in attrs if n.startswith("on")], (url, tag, attrs)
        if tag in ("script", "textarea"):   # only the query page's own editor and script
            assert url == "/", (url, tag, attrs)
        for name, value in attrs:
            assert not (value or "").lower().startswith("javascript:"), (url, name, value)


def test_document_markup_is_text_on_every_page(hostile, http):
    """The document's own page shows each piece of markup it prints, as text; no page built
    from the graph (every resource, search, stats, ontology, home) holds markup from it."""
    own = parse(get(http, f"/{DOCUMENT}").get_data())
    shown = " ".join("".join(own.text).split())
    for text in HOSTILE_TEXTS:
        assert text in shown, text
    urls = [f"/{path}" for path in resources(hostile)] + [
        "/search?q=script", "/search?q=%3C", "/stats", "/ontology", "/", "/downloads"]
    assert len(urls) > 20
    with reads(hostile):
        for url in urls:
            response = get(http, url, Accept="text/html")
            assert response.status_code == 200, url
            assert_no_markup_from_documents(parse(response.get_data()), url)


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt", "rdf"])
def test_document_markup_survives_in_rdf(http, fmt):
    """The RDF views carry the same text, parseable: nothing was cut or mangled."""
    formats = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
               "nt": ox.RdfFormat.N_TRIPLES, "rdf": ox.RdfFormat.RDF_XML}
    response = get(http, f"/{DOCUMENT}.{fmt}")
    assert response.status_code == 200
    values = {t.object.value for t in ox.parse(response.get_data(), format=formats[fmt])
              if isinstance(t.object, ox.Literal)}
    assert any('<script>alert("title")</script>' in v for v in values)


def test_every_link_on_every_page_answers(hostile, http):
    """Following each link the pages print (IRIs with percent-encoded characters included,
    such as ``doc/A/CONF.157/24%28PartI%29``) reaches a page, never a 404 or an error."""
    seen: set[str] = set()
    pending = [f"/{DOCUMENT}", "/stats", "/search?q=resolution"]
    with reads(hostile):
        while pending:
            url = pending.pop()
            if url in seen:
                continue
            seen.add(url)
            response = get(http, url, Accept="text/html")
            assert response.status_code in (200, 303), (url, response.status_code)
            if response.mimetype != "text/html":
                continue
            for link in parse(response.get_data()).links:
                split = urlsplit(link)
                if split.scheme or split.netloc or not split.path.startswith("/"):
                    continue
                if split.path.startswith(("/downloads/", "/static/")):
                    continue
                pending.append(split.path + (f"?{split.query}" if split.query else ""))
    assert "/doc/A/CONF.157/24%28PartI%29" in seen
    assert len(seen) > 15


# --- hypothesis ---------------------------------------------------------------------------------

def encoded(text: str) -> str:
    """Text as a client would put it in a URL: every byte outside a safe set percent-encoded."""
    return quote(text, safe="/;,=:@!$'()*+~-._")


hostile_pieces = st.sampled_from([
    "..", "%2e%2e", "%2E%2E%2F", "..%2F", "..%5C", "%252e%252e%252f", "%c0%ae%c0%ae%c0%af",
    "//", "/./", "%00", "%0A", "%0D%0A", "%FF", "%FE%FF", "%ED%A0%80", "%C3%28", "%F0%9F",
    "%", "%zz", "%3Cx-fuzz%3E", "%22%3E%3Cx-fuzz%3E", "%3Cscript%3E", "%7B%7B7*7%7D%7D", "%5C",
    "%60", "%7C", "%5E", "%20", "%09", "%7F", ".ttl", ".jsonld", ".nt", ".rdf", ".html", ";x",
    "res/ga/70/999", "doc/A/CONF.157/24%28PartI%29", "treaty/unts/42146", "etc/passwd",
    "a" * 3000, "%E2%80%AE", "%EF%BB%BF", "~", "@", "&", "=",
])
text_pieces = st.text(st.characters(exclude_categories=("Cs",)), max_size=30).map(encoded)
byte_pieces = st.binary(max_size=12).map(lambda b: "".join(f"%{x:02X}" for x in b))
pieces = st.one_of(hostile_pieces, text_pieces, byte_pieces)
routes = st.sampled_from(["", "res/ga/70/999/", "doc/", "downloads/", "downloads/0.1.0/",
                          "static/", "lookup/", "search/", "sparql/", "ontology/", "stats/",
                          "health/", "res/", "fn/"])
paths = st.builds(lambda route, parts, sep: "/" + route + sep.join(parts),
                  routes, st.lists(pieces, max_size=6), st.sampled_from(["/", "", "%2F"]))
accepts = st.one_of(
    st.none(), st.sampled_from(["text/html", "text/turtle", "*/*", "application/ld+json",
                                "text/html;q=0.5," * 3000, "x/y", ";q=", "*/*;q=NaN"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=200))


def _headers(accept: str | None) -> dict[str, str]:
    return {} if accept is None else {"Accept": accept}


@FUZZ
@given(path=paths, accept=accepts)
def test_fuzzed_paths(hostile, http, path, accept):
    with reads(hostile):   # absolute, so that a path starting "//" is not taken for a host
        response = http.get("http://localhost" + path, headers=_headers(accept))
    assert_safe(response, path)
    assert b"TOP SECRET" not in response.get_data()


param_names = st.sampled_from(["query", "q", "symbol", "format", "default-graph-uri",
                               "named-graph-uri", "update", "x", "", "query[]", "%00"])
params = st.lists(st.tuples(param_names, st.one_of(pieces, st.none())), max_size=5).map(
    lambda pairs: "&".join(k if v is None else f"{k}={v}" for k, v in pairs))
param_routes = st.sampled_from(["/search", "/lookup", "/sparql", "/ontology", "/stats",
                                f"/{DOCUMENT}", "/downloads", "/health", "/"])


@FUZZ
@given(route=param_routes, query=params, accept=accepts)
def test_fuzzed_parameters(hostile, http, route, query, accept):
    url = f"{route}?{query}"
    with reads(hostile):
        response = http.get(url, headers=_headers(accept))
    assert_safe(response, url)


sparql_pieces = st.one_of(
    st.sampled_from(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")",
                     "[", "]", "?s", "<http://x/>", "<x-fuzz>", '"\\u0000"', "'''", "#",
                     "FILTER", "SERVICE", "INSERT", "LIMIT", "99999999999999999999", "!",
                     "UNION", "\x00", "\\", "@en", "^^", "PREFIX x: <", "BASE <%>",
                     "{" * 200, "(" * 100, "!" * 5000, "1 + " * 2000]),
    st.text(max_size=20))
sparql_queries = st.lists(sparql_pieces, max_size=12).map(" ".join)


@FUZZ
@given(query=sparql_queries, how=st.sampled_from(["get", "form", "direct"]))
def test_fuzzed_queries(hostile, http, query, how):
    """Random SPARQL-ish text: 400/403 for what the endpoint will not run, never 5xx. Only
    ASK forms can run (no SELECT over many patterns reaches the engine as valid syntax)."""
    if how == "get":
        response = http.get("/sparql", query_string={"query": query})
    elif how == "form":
        response = http.post("/sparql", data={"query": query})
    else:
        response = http.post("/sparql", data=query.encode("utf-8", "surrogatepass"),
                             content_type="application/sparql-query")
    assert_safe(response, query[:100])


@FUZZ
@given(route=param_routes, name=st.sampled_from(["Accept", "If-None-Match", "Content-Type",
                                                 "Accept-Encoding", "Range", "Cookie",
                                                 "X-Forwarded-For", "Host"]),
       value=st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=300))
def test_fuzzed_headers(hostile, http, route, name, value):
    with reads(hostile):
        response = http.get(route, headers={name: value})
    assert_safe(response, f"{route} {name}: {value[:50]}")


@pytest.mark.parametrize("url,echoed", [
    ("/res/%3Cx-fuzz%3E", False),   # repeated as the IRI it would be: percent-encoded
    ("/lookup?symbol=%3Cx-fuzz%3E", True),
    ("/ontology?format=%3Cx-fuzz%3E", True),
    ("/downloads/%3Cx-fuzz%3E/x", True),
    ("/downloads/0.1.0/%3Cx-fuzz%3E", False),  # no such file: a generic 404
    ("/sparql?query=%3Cx-fuzz%3E", False),
])
def test_markup_in_error_pages_is_escaped(http, url, echoed):
    """What a request says comes back in HTML error pages as text, never as markup."""
    response = get(http, url, Accept="text/html")
    assert response.status_code in (400, 404, 406), url
    assert response.mimetype == "text/html"
    assert (b"&lt;x-fuzz&gt;" in response.get_data()) == echoed, url


def test_no_traceback_reaches_the_log_as_a_500(hostile, http, caplog):
    """The issue's example answers 404 now, and nothing is logged as an unhandled error."""
    with caplog.at_level("ERROR", logger="unkg.server"):
        assert get(http, "/res/ga/%3Cscript%3E").status_code == 404
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_crawler_paths_are_iris(hostile):
    """Every resource of the graph answers at the path ``local()`` gives it."""
    client = hostile.test_client()
    for path in resources(hostile):
        response = client.get("/" + path)
        assert response.status_code == 200, path
    assert any(re.search(r"%[0-9A-F]{2}", p) for p in resources(hostile))
