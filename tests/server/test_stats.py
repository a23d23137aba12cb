"""/stats: the charts on the test graph (exact figures), on the corpus (checked against plain
SPARQL counts), the same figures in the release's VoID, and figures computed once per store
version (at once when the server opens it; concurrent first requests wait for that one
computation; a new version computes anew, never mixed with the old)."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import VOID

from graph.namespaces import BASE, CITO, UNKG
from graph.release import Census, ReleaseInfo, description, distinct_objects
from graph.store import NewVersion
from server import create_app, store as server_store
from graph import statistics
from server.figures import figures, verb_head
from server.store import FigureCache
from tests.server.conftest import FIXTURES
from tests.server.processes import wait_for

PREFIXES = """PREFIX cito: <http://purl.org/spar/cito/> PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _count(store, where: str) -> int:
    [row] = store.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {where} }}",
                        use_default_graph_as_union=True)
    return int(row["n"].value)


def _bars(page: str, section: str) -> list[tuple[str, str, int]]:
    """(link, label, value) of each bar of the charts in ``<section id=section>``."""
    part = page[page.index(f'id="{section}"'):]
    part = part[: part.index("</section>")]
    return [(href, label, int(value)) for href, label, value in re.findall(
        r'<a href="([^"]+)"><g class="bar"><title>[^<]*</title><text class="label"[^>]*>([^<]*)'
        r'</text><rect[^>]*/><text class="value"[^>]*>(\d+)</text>', part)]


@pytest.mark.parametrize("path", ["/", "/ontology", "/downloads", "/stats", "/res/ga/70/174",
                                  "/search?q=doha", "/nothing"])
def test_every_page_links_to_the_statistics(client, path):
    page = client.get(path, headers={"Accept": "text/html"}).data.decode()
    assert '<a href="/stats">Statistics</a>' in page


def test_stats_of_the_test_graph(client):
    response = client.get("/stats")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.data.decode()
    text = " ".join(page.split())
    assert "6 citations in 2 documents of the corpus, 5 of them resolved" in text
    assert _bars(page, "most-cited") == [
        ("/res/ga/46/152", "GA 46/152", 1), ("/res/ga/70/174", "GA 70/174", 1),
        ("/treaty/unts/39574/2225", "United Nations Convention against Transnationa…", 2),
        ("/doc/A/CONF.222/17", "A/CONF.222/17", 1)]
    assert _bars(page, "by-body") == [("/org/ga", "GA", 2)]
    assert "1 citations of documents of 1991" in page and "1 citations of documents of 2015" in page
    assert "No series" in page  # the two resolutions have different titles
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)  # no CDN


@pytest.fixture(scope="module")
def corpus(corpus_app):
    page = corpus_app.test_client().get("/stats").data.decode()
    store = corpus_app.extensions["unkg"].store
    return page, store, figures(store)


def test_most_cited_on_the_corpus_are_the_most_cited(corpus):
    page, store, _ = corpus
    for kind, where in [("Resolution", "?x a unkg:Resolution"), ("Treaty", "?x a unkg:Treaty")]:
        [top] = store.query(PREFIXES + f"""SELECT ?x (COUNT(DISTINCT ?c) AS ?n) WHERE {{
            ?c cito:hasCitedEntity ?x . {where} }} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1""",
                            use_default_graph_as_union=True)
        first = next(b for b in _bars(page, "most-cited")
                     if b[0] == "/" + top["x"].value[len(str(BASE)):])
        assert first[2] == int(top["n"].value), kind
    resolutions = [b for b in _bars(page, "most-cited") if b[0].startswith("/res/")]
    assert [b[2] for b in resolutions] == sorted((b[2] for b in resolutions), reverse=True)


def test_body_and_verb_counts_on_the_corpus(corpus):
    page, store, found = corpus
    ga = _count(store, "?c cito:hasCitedEntity ?x . ?x eli:passed_by <https://w3id.org/unkg/org/ga> ;"
                       " a ?t . VALUES ?t { unkg:Resolution unkg:Decision }")
    assert ("/org/ga", "GA", ga) in _bars(page, "by-body")
    recalling = _count(store, '?c unkg:citingVerb ?v . FILTER(?v IN ("Recalling", '
                              '"Recalling also", "Recalling further"))')
    assert next(c.value for c in found.by_verb if c.label == "Recalling") == recalling
    assert f"{found.without_verb} citations have none" in page
    assert found.without_verb == _count(store, "?c a cito:Citation FILTER NOT EXISTS "
                                               "{ ?c unkg:citingVerb ?v }")


def test_every_citation_of_a_document_is_counted_in_a_year_or_as_yearless(corpus):
    page, store, found = corpus
    dated = sum(int(n) for n in re.findall(r"<title>(\d+) citations of documents of \d{4}</title>",
                                           page))
    assert dated == sum(c.value for c in found.by_year) > 400
    assert dated + found.without_year == _count(store, """?c cito:hasCitedEntity ?x .
        FILTER NOT EXISTS { ?x a unkg:Treaty } FILTER NOT EXISTS { ?x a unkg:Paragraph }""")
    assert found.by_year[0].label < "1950"  # the corpus reaches back to ECOSOC 155 C (VII)


def test_the_congress_series_recalls_its_past(corpus):
    page, _, found = corpus
    congress = next(s for s in found.series if "Congress on Crime Prevention" in s.title)
    assert "…" in congress.title
    members = {m.iri.rsplit("/unkg/")[1]: m for m in congress.members}
    assert {"res/ga/70/174", "res/ga/76/181"} <= set(members)
    assert [m.year for m in congress.members] == sorted(m.year for m in congress.members)
    recalled = {r.iri.rsplit("/unkg/")[1] for r in members["res/ga/70/174"].recalls}
    assert "res/ga/46/152" in recalled  # "Recalling its resolution 46/152 of 18 December 1991"
    assert all(r.year < members["res/ga/70/174"].year for r in members["res/ga/70/174"].recalls)
    timeline = page[page.index('id="lineage"'):]
    assert '<a href="/res/ga/70/174"><g class="member">' in timeline
    assert '<a href="/res/ga/46/152"><circle class="recalled"' in timeline


def test_the_release_void_states_the_same_figures(corpus):
    _, store, found = corpus
    census = Census()
    for _ in census.count(sorted({q.triple for q in store}, key=str)):  # in N-Triples order
        pass
    info = ReleaseInfo("0.1.0", date(2026, 1, 1), URIRef(f"{BASE}sparql"))
    void = description(census, distinct_objects(store), {}, {}, info)

    citations = next(p for p in void.objects(info.iri, VOID.classPartition)
                     if void.value(p, VOID["class"]) == CITO.Citation)
    cited = next(p for p in void.objects(info.iri, VOID.propertyPartition)
                 if void.value(p, VOID.property) == CITO.hasCitedEntity)
    citing = next(p for p in void.objects(info.iri, VOID.propertyPartition)
                  if void.value(p, VOID.property) == CITO.hasCitingEntity)
    verbs = next(p for p in void.objects(info.iri, VOID.propertyPartition)
                 if void.value(p, VOID.property) == UNKG.citingVerb)
    stated = [void.value(citations, VOID.entities), void.value(cited, VOID.distinctSubjects),
              void.value(cited, VOID.distinctObjects), void.value(citing, VOID.distinctObjects),
              void.value(verbs, VOID.distinctObjects)]
    assert [v.toPython() for v in stated] == [f.value for f in found.void]
    assert found.void[0].value == found.citations


def test_stored_statistics_give_the_figures_counted_now(corpus):
    """The corpus store holds the statistics its build counted; the same figures come out of a
    copy without them, which has them counted at once (a store built before builds counted)."""
    _, store, found = corpus
    assert statistics.stored(store)
    copy = ox.Store()
    copy.extend(q for q in store if q.graph_name != ox.NamedNode(statistics.GRAPH))
    assert not statistics.stored(copy)
    assert figures(copy) == found


@pytest.mark.parametrize("verb,head", [
    ("Recalling", "Recalling"), ("Recalling also", "Recalling"),
    ("Recalling further", "Recalling"), ("Reaffirming also", "Reaffirming"),
    ("Also requests", "Requests"), ("We reaffirm", "We reaffirm"),
    ("Takes note with appreciation", "Takes note with appreciation"),
])
def test_citing_verbs_are_counted_by_their_head(verb, head):
    assert verb_head(verb) == head



# --- computed once per store version --------------------------------------------------------


def test_concurrent_first_askers_wait_for_one_computation():
    cache, calls, release = FigureCache(), Counter(), threading.Event()

    def compute() -> object:
        calls["x"] += 1
        release.wait(30)
        return object()
    got: list[object] = []
    askers = [threading.Thread(target=lambda: got.append(cache.get("x", compute)))
              for _ in range(8)]
    for asker in askers:
        asker.start()
    wait_for(lambda: calls["x"] == 1)
    release.set()
    for asker in askers:
        asker.join(30)
    assert calls["x"] == 1 and len(got) == 8 and all(value is got[0] for value in got)


def test_a_failed_computation_is_tried_again_by_the_next_asker():
    cache = FigureCache()

    def fail() -> int:
        raise RuntimeError("store gone")
    with pytest.raises(RuntimeError, match="store gone"):
        cache.get("x", fail)
    assert cache.get("x", lambda: 7) == 7
    assert cache.get("x", lambda: 8) == 7


def _version(root: Path, triples: str) -> None:
    """A store version holding the fixture graph plus ``triples`` (Turtle), made current."""
    with NewVersion(root, fresh=True) as new:
        assert new.store is not None
        new.store.load(path=str(FIXTURES / "graph.trig"), format=ox.RdfFormat.TRIG)
        new.store.load(triples.encode(), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode("urn:x:extra"))
        new.commit()


def test_figures_are_computed_once_per_version_at_open_and_never_mixed(tmp_path, monkeypatch):
    root = tmp_path / "store"
    _version(root, "<urn:x:a> <urn:x:p> 1 .")
    calls: Counter[int] = Counter()
    gate = threading.Event()

    def size(store: ox.Store) -> int:
        """A figure that tells the versions apart (their sizes), counted and held back."""
        value = len(store)
        calls[value] += 1
        gate.wait(30)
        return value
    monkeypatch.setitem(server_store.FIGURES, "test-size", size)
    current = server_store.figure("test-size", size)
    app = create_app({"TESTING": True, "STORE": str(root), "QUERY_WORKERS": 1,
                      "DIST": str(tmp_path / "dist"), "VERSION": "t",
                      "ONTOLOGY": str(FIXTURES / "ontology")})
    try:
        wait_for(lambda: sum(calls.values()) == 1)  # started at open, before any request
        [size_a] = calls
        answers: list[int] = []

        def ask() -> None:
            with app.test_request_context("/stats"):
                answers.append(current())
        askers = [threading.Thread(target=ask) for _ in range(6)]
        for asker in askers:
            asker.start()
        gate.set()
        for asker in askers:
            asker.join(30)
        assert answers == [size_a] * 6 and calls == {size_a: 1}

        with app.test_request_context("/stats"):  # pinned to version A before the switch
            assert current() == size_a
            _version(root, "<urn:x:a> <urn:x:p> 1, 2, 3 .")
            assert current() == size_a  # this request still reads A
            later = threading.Thread(target=ask)  # a new request reads B
            later.start()
            later.join(30)
        size_b = answers[-1]
        assert size_b == size_a + 2
        assert calls == {size_a: 1, size_b: 1}

        page = app.test_client().get("/stats")  # the real figures, computed for B once
        assert page.status_code == 200 and "citations in 2 documents" in page.data.decode()
    finally:
        gate.set()
        app.extensions["unkg"].close()
