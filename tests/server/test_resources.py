"""Linked data: dereferencing over Accept, pages, lookup, search, ontology, downloads, health."""

from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox
import pytest

KG = "https://w3id.org/unkg/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("accept,media_type,fmt", [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("text/html;q=0.5, text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
], ids=["turtle", "jsonld", "ntriples", "rdfxml", "q-values"])
@pytest.mark.parametrize("path", ["res/ga/70/174", "res/ga/70/174/para/2", "treaty/unts/39574/2225",
                                  "congress/13", "res/ga/70/174/fn/1"],
                         ids=["resolution", "paragraph", "treaty", "congress", "footnote"])
def test_every_resource_dereferences_as_rdf(client, path, accept, media_type, fmt):
    response = client.get(f"/{path}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Location"] == f"/{path}.{ {'text/turtle': 'ttl', 'application/ld+json': 'jsonld', 'application/n-triples': 'nt', 'application/rdf+xml': 'rdf'}[media_type]}"
    assert "Accept" in response.headers["Vary"]
    subjects = {t.subject.value for t in ox.parse(response.data, format=fmt)}
    assert KG + path in subjects


def test_resources_revalidate_by_release_version(client):
    first = client.get("/res/ga/70/174", headers={"Accept": "text/turtle"})
    assert first.headers["ETag"] == 'W/"test-1-turtle"'
    again = client.get("/res/ga/70/174", headers={"Accept": "text/turtle",
                                                  "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER,
                                                 "If-None-Match": first.headers["ETag"]})
    assert page.status_code == 200 and page.headers["ETag"] == 'W/"test-1-html"'


@pytest.mark.parametrize("extension,fmt", [
    ("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD), ("nt", ox.RdfFormat.N_TRIPLES),
    ("rdf", ox.RdfFormat.RDF_XML),
], ids=["ttl", "jsonld", "nt", "rdf"])
def test_extension_urls_serve_one_format_whatever_the_accept(client, extension, fmt):
    response = client.get(f"/res/ga/70/174.{extension}", headers={"Accept": BROWSER})
    assert response.mimetype == fmt.media_type
    triples = list(ox.parse(response.data, format=fmt))
    incoming = {t.subject.value for t in triples if t.object == ox.NamedNode(KG + "res/ga/70/174")}
    assert KG + "res/ga/71/209" in incoming  # statements pointing at it are served too


@pytest.mark.parametrize("accept", [BROWSER, "text/html", None], ids=["browser", "html", "none"])
def test_browsers_get_the_page(client, accept):
    response = client.get("/res/ga/70/174", headers={"Accept": accept} if accept else {})
    assert response.mimetype == "text/html"  # offered first, so also the answer to no Accept
    assert response.headers["Content-Location"] == "/res/ga/70/174.html"


def test_resolution_page_shows_what_a_reader_wants(client):
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER}).data.decode()
    for expected in [
        "Thirteenth United Nations Congress on Crime Prevention and Criminal Justice",  # title
        "A/RES/70/174", "2015-12-17", "General Assembly", "<dt>Session</dt><dd>70</dd>",
        "<em>Recalling</em> <a class=\"citation\"",  # opening phrase marked, citation linked
        'href="#fn-1">1</a>', "Treaty Series, vol. 2225, No. 39574</a>.",  # footnote
        "We, the Heads of State and Government",  # the annex
        'href="https://undocs.org/A/RES/70/174"',
        '<svg xmlns="http://www.w3.org/2000/svg" class="neighbourhood"',
        'name="q"',  # the search box
    ]:
        assert expected in page, expected
    assert page.index("its resolution 46/152") < page.index("the Doha Declaration adopted") \
        < page.index("(a) in particular") < page.index("We, the Heads of State")


def test_citations_in_the_text_link_to_the_cited_resource_named_in_a_tooltip(client):
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER}).data.decode()
    for expected in [
        # the source span of the citation, found in the paragraph's clean text
        '<em>Recalling</em> <a class="citation" href="/res/ga/46/152" title="GA resolution '
        '46/152, 18 December 1991">its resolution 46/152 of 18 December 1991</a> on the creation',
        'Thirteenth Congress (<a class="citation" href="/doc/A/CONF.222/17" '
        'title="A/CONF.222/17">A/CONF.222/17</a>);',
        # in a footnote
        '<a class="citation" href="/treaty/unts/39574/2225" title="United Nations Convention '
        'against Transnational Organized Crime, UNTS No. 39574, vol. 2225">United Nations, '
        'Treaty Series, vol. 2225, No. 39574</a>.',
    ]:
        assert expected in page, expected
    other = client.get("/res/ga/71/209", headers={"Accept": BROWSER}).data.decode()
    assert ('<a class="citation" href="/res/ga/70/174" title="GA resolution 70/174, 17 December '
            '2015: Thirteenth United Nations Congress on Crime Prevention and Criminal Justice">'
            'its resolution 70/174 of 17 December 2015</a>') in other


def test_footnote_markers_link_to_their_footnotes_and_back(client):
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER}).data.decode()
    assert ('Organized Crime,<sup class="footnote-ref" id="fnref-1"><a href="#fn-1">1</a></sup>'
            in page)
    footnote = page[page.index('<li id="fn-1"'):]
    footnote = footnote[: footnote.index("</li>")]
    assert '<a class="footnote-back" href="#fnref-1"' in footnote


def test_unresolved_citations_are_marked_and_everything_is_escaped(client):
    page = client.get("/res/ga/71/209", headers={"Accept": BROWSER}).data.decode()
    assert "<script>alert" not in page and "<resolution" not in page
    assert ('<em>Noting</em> the statement &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34; &amp; '
            'the <span class="citation unresolved" tabindex="0" title="Unresolved citation: the '
            'extractor read “&#34;Council&#34; &lt;resolution 5/3&gt;” but could not tell what it '
            'cites">&#34;Council&#34; &lt;resolution 5/3&gt;</span>,') in page


@pytest.mark.parametrize("path,expected", [
    ("res/ga/70/174/preamble/1", '<a class="citation" href="/res/ga/46/152"'),
    ("res/ga/70/174/fn/1", '<a class="citation" href="/treaty/unts/39574/2225"'),
], ids=["paragraph", "footnote"])
def test_a_paragraph_or_footnote_page_shows_its_own_text_linked(client, path, expected):
    page = client.get(f"/{path}", headers={"Accept": BROWSER}).data.decode()
    assert '<p class="paragraph own">' in page and expected in page


def _table(page: str, heading: str) -> list[list[str]]:
    """The rows of the table under ``<h2>heading``, as the texts of their cells."""
    section = page[page.index(f"<h2>{heading}"):]
    section = section[: section.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S) if "<td" in row]


def test_resolution_page_lists_what_it_cites_with_paragraph_and_verb(client):
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER}).data.decode()
    assert _table(page, "Cites") == [
        ["fn/1", "Welcoming", "United Nations Convention against Transnational Organized Crime",
         "United Nations, Treaty Series, vol. 2225, No. 39574"],
        ["para/2", "Takes note", "A/CONF.222/17", "A/CONF.222/17"],
        ["preamble/1", "Recalling", "46/152", "its resolution 46/152 of 18 December 1991"],
    ]


def test_resolution_page_lists_who_cites_it(client):
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER}).data.decode()
    assert _table(page, "Cited by") == [
        ["A/RES/71/209", "preamble/1", "Reaffirming", "its resolution 70/174 of 17 December 2015"]]


def test_treaty_page_lists_the_citing_resolutions(client):
    page = client.get("/treaty/unts/39574/2225", headers={"Accept": BROWSER}).data.decode()
    assert [row[:3] for row in _table(page, "Cited by")] == [
        ["A/RES/70/174", "fn/1", "Welcoming"], ["A/RES/71/209", "preamble/1", "Reaffirming"]]


def test_congress_page_shows_declaration_and_endorsing_resolution(client):
    page = client.get("/congress/13", headers={"Accept": BROWSER}).data.decode()
    assert re.search(r"<dt>Declaration</dt><dd><a href=\"/res/ga/70/174/annex\">Doha Declaration", page)
    assert re.search(r"<dt>Endorsed by</dt><dd><a href=\"/res/ga/70/174\">A/RES/70/174</a>", page)
    assert "<dt>Venue</dt><dd>Doha</dd>" in page
    assert "<dt>Dates</dt><dd>2015-04-12 to 2015-04-19</dd>" in page


def test_neighbourhood_picture_links_both_directions(client):
    page = client.get("/res/ga/70/174", headers={"Accept": BROWSER}).data.decode()
    svg = page[page.index("<svg"): page.index("</svg>")]
    assert 'href="/res/ga/71/209"' in svg  # cites it
    assert 'href="/treaty/unts/39574/2225"' in svg  # cited by it
    assert svg.count("<line") == 4


@pytest.mark.parametrize("path", ["res/ga/99/999", "nothing", "res/ga/70/174/para/99.ttl"],
                         ids=["unknown-resolution", "unknown-path", "unknown-with-extension"])
@pytest.mark.parametrize("accept,media_type", [(BROWSER, "text/html"), ("text/turtle", "text/plain")],
                         ids=["browser", "client"])
def test_unknown_iris_are_404(client, path, accept, media_type):
    response = client.get(f"/{path}", headers={"Accept": accept})
    assert response.status_code == 404
    assert response.mimetype == media_type
    assert KG + path in response.data.decode()


def test_404_page_offers_search(client):
    page = client.get("/res/ga/99/999", headers={"Accept": BROWSER}).data.decode()
    assert 'name="q"' in page and 'name="symbol"' in page


@pytest.mark.parametrize("symbol,location", [
    ("A/RES/70/174", "/res/ga/70/174"),
    ("a/res/70/ 174", "/res/ga/70/174"),
    ("A/CONF.222/17", "/doc/A/CONF.222/17"),
], ids=["exact", "case-and-space", "document"])
def test_lookup_redirects_to_the_resource(client, symbol, location):
    response = client.get("/lookup", query_string={"symbol": symbol})
    assert response.status_code == 303
    assert response.location == location


@pytest.mark.parametrize("query,status", [({"symbol": "A/RES/1/1"}, 404), ({}, 400)],
                         ids=["unknown", "missing"])
def test_lookup_mistakes(client, query, status):
    assert client.get("/lookup", query_string=query).status_code == status


def test_search_by_symbol_goes_to_the_resource(client):
    response = client.get("/search", query_string={"q": "A/RES/71/209"})
    assert response.status_code == 303 and response.location == "/res/ga/71/209"


def test_search_by_words_lists_matches(client):
    page = client.get("/search", query_string={"q": "doha"}).data.decode()
    assert 'href="/res/ga/70/174/annex"' in page  # "Doha Declaration ..." title
    nothing = client.get("/search", query_string={"q": "zebra crossing"}).data.decode()
    assert "Nothing in the graph matches" in nothing


def test_ontology_page_documents_every_term_with_usage(client):
    page = client.get("/ontology", headers={"Accept": BROWSER}).data.decode()
    rows = {row[0]: row for row in _table(page, "Classes") + _table(page, "Properties")}
    assert rows["unkg:Resolution"][1].startswith("Resolution")
    assert rows["unkg:Resolution"][2] == "unkg:Document"
    assert rows["unkg:Resolution"][3] == "3"  # 70/174, 71/209 and the cited 46/152
    assert rows["unkg:session"][2] == "unkg:Document → xsd:string"
    assert rows["unkg:citingVerb"][3] == "6"  # five citations and an unresolved one
    assert rows["unkg:Treaty"][3] == "1"


def test_ontology_as_turtle(client):
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(response.data, format=ox.RdfFormat.TURTLE))
    assert ox.NamedNode("https://w3id.org/unkg/ontology#Resolution") in {t.subject for t in triples}


def test_ontology_page_without_ontology_files(app_factory, tmp_path):
    app = app_factory(ONTOLOGY=str(tmp_path / "missing"))
    page = app.test_client().get("/ontology").data.decode()
    assert "No ontology file was found" in page


def test_downloads_without_releases(client):
    page = client.get("/downloads", headers={"Accept": BROWSER}).data.decode()
    assert "No release has been built" in page


def test_downloads_list_and_serve_release_files(app_factory, tmp_path):
    release = tmp_path / "dist" / "unkg-0.2.0"
    release.mkdir(parents=True)
    (release / "unkg.ttl").write_text("<a:b> <a:c> <a:d> .\n")
    digest = hashlib.sha256((release / "unkg.ttl").read_bytes()).hexdigest()
    (release / "SHA256SUMS").write_text(f"{digest}  unkg.ttl\n")
    (tmp_path / "dist" / "unkg-0.10.0").mkdir()
    app = app_factory(VERSION=None)
    client = app.test_client()
    page = client.get("/downloads").data.decode()
    assert page.index("Release 0.10.0") < page.index("Release 0.2.0")  # newest first
    assert digest in page
    assert app.config["VERSION"] == "0.10.0"  # the newest release is the served version
    served = client.get("/downloads/0.2.0/unkg.ttl")
    assert served.status_code == 200 and served.data == b"<a:b> <a:c> <a:d> .\n"
    assert client.get("/downloads/0.2.0/../../secret").status_code == 404
    assert client.get("/downloads/9.9/unkg.ttl").status_code == 404


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["store"] == "reachable"
    assert body["triples"] == 180 and body["version"] == "test-1"


def test_query_page_offers_the_competency_questions(client):
    page = client.get("/").data.decode()
    assert page.count('<option value="cq') == 9
    assert 'src="/static/query.js"' in page
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)  # works offline


def test_request_log_has_status_and_duration(client, caplog):
    with caplog.at_level("INFO", logger="unkg.server"):
        client.get("/health")
    assert re.search(r"GET /health 200 \d+\.\d ms", caplog.text)


def test_a_page_reads_each_repeated_statement_once():
    """The union default graph repeats what several graphs state (what a document says of the
    things it cites, an annex link that the graph of every citing document states again): the
    page is the same, and its queries do not return a row per repeat."""
    from server import pages
    from tests.server.conftest import load_fixture_store

    class Counting:
        """A store counting the rows its SELECT queries return."""

        def __init__(self, store: ox.Store) -> None:
            self.store, self.rows = store, 0

        def query(self, query: str, **options):
            results = self.store.query(query, **options)
            if not isinstance(results, ox.QuerySolutions):
                return results
            solutions = list(results)
            self.rows += len(solutions)
            return _Solutions(results.variables, solutions)

    class _Solutions(list):
        def __init__(self, variables, solutions) -> None:
            super().__init__(solutions)
            self.variables = variables

    iri = KG + "res/ga/70/174"
    once, repeated = load_fixture_store(), load_fixture_store()
    graph = ox.NamedNode(KG + "graph/res/ga/70/174")
    annex = ox.NamedNode(iri + "/annex")
    shared = [q for q in once.quads_for_pattern(None, None, None, graph)
              if not q.subject.value.startswith(iri) or
              (q.subject == annex and q.predicate.value.endswith("is_annex_of"))]
    for copy in range(3):
        repeated.extend([ox.Quad(q.subject, q.predicate, q.object,
                                 ox.NamedNode(f"{KG}graph/copy/{copy}")) for q in shared])
    counts = []
    for store in (once, repeated):
        counting = Counting(store)
        original = pages.ox.QuerySolutions
        pages.ox.QuerySolutions = (original, _Solutions)  # type: ignore[misc]
        try:
            page = pages.resource_page(counting, iri)  # type: ignore[arg-type]
        finally:
            pages.ox.QuerySolutions = original  # type: ignore[misc]
        counts.append((page, counting.rows))
    assert counts[0][0] == counts[1][0]
    assert counts[1][0].paragraphs[-1].annex and counts[1][0].body.label == "General Assembly"
    assert counts[0][1] == counts[1][1]
