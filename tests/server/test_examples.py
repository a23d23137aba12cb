"""The example queries of the query page (DESIGN.md §1) run on the endpoint and answer."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
from flask.testing import FlaskClient

from graph import statistics
from server.home import examples
from tests.server.conftest import load_fixture_store, make_app

EXAMPLES = {example.name: example for example in examples()}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """The test graph with the statistics every build stores (graph/statistics.py), which
    cq7b reads and which must not change what the others answer."""
    store = load_fixture_store()
    statistics.derive(store)
    application = make_app(store, tmp_path_factory.mktemp("examples"))
    yield application.test_client()
    application.extensions["unkg"].close()


def rows(client, query: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": query},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    data = json.loads(response.data)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_there_is_one_example_per_competency_question():
    numbers = {name.split("-")[0].rstrip("ab") for name in EXAMPLES}
    assert numbers == {f"cq{n}" for n in range(1, 9)}
    assert all(example.title[0].isdigit() for example in EXAMPLES.values())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_runs(client, name):
    rows(client, EXAMPLES[name].query)


def test_cq1_who_cites_46_152(client):
    assert rows(client, EXAMPLES["cq1-citing-46-152"].query) == [
        {"symbol": "A/RES/70/174", "citing": "https://w3id.org/unkg/res/ga/70/174/preamble/1",
         "verb": "Recalling"}]


def test_cq2_what_70_174_cites_by_kind(client):
    found = {(r["kind"].rsplit("#")[-1], r["cited"].rsplit("/unkg/")[-1])
             for r in rows(client, EXAMPLES["cq2-what-70-174-cites"].query)}
    assert found == {("Resolution", "res/ga/46/152"), ("Treaty", "treaty/unts/39574/2225"),
                     ("Document", "doc/A/CONF.222/17")}


def test_cq3_treaties_with_citing_documents(client):
    [row] = rows(client, EXAMPLES["cq3-treaties"].query)
    assert (row["registration"], row["volume"]) == ("39574", "2225")
    assert sorted(row["citedBy"].split(", ")) == ["A/RES/70/174", "A/RES/71/209"]


def test_cq4_congress_declaration_and_endorsement(client):
    [row] = rows(client, EXAMPLES["cq4-congresses"].query)
    assert (row["ordinal"], row["venue"], row["start"], row["end"]) == (
        "13", "Doha", "2015-04-12", "2015-04-19")
    assert row["declaration"].endswith("/res/ga/70/174/annex")
    assert row["endorsingSymbol"] == "A/RES/70/174"


def test_cq7_reachability_and_most_cited(client):
    # The fixture has no A/RES/76/181; 71/209 reaches 70/174 and, through it, 70/174's citations.
    query = EXAMPLES["cq7a-reachable-from-76-181"].query.replace("A/RES/76/181", "A/RES/71/209")
    reached = {r["reached"].rsplit("/unkg/")[-1] for r in rows(client, query)}
    assert reached == {"res/ga/70/174", "treaty/unts/39574/2225", "res/ga/46/152",
                       "doc/A/CONF.222/17"}
    top = rows(client, EXAMPLES["cq7b-most-cited"].query)[0]
    assert top["cited"].endswith("treaty/unts/39574/2225") and top["citingDocuments"] == "2"


# cq7b before the build counted citing documents: every (document, cited) pair of the store.
COUNTED_AT_EVERY_REQUEST = """
SELECT ?cited ?kind (SAMPLE(?name) AS ?label) ?citingDocuments WHERE {
  { SELECT ?cited ?kind (COUNT(DISTINCT ?document) AS ?citingDocuments) WHERE {
      { SELECT DISTINCT ?document ?cited WHERE { ?document dcterms:identifier ?symbol ;
                                                           eli:cites ?cited } }
      { SELECT DISTINCT ?cited ?kind WHERE {
          VALUES ?kind { unkg:Resolution unkg:Decision unkg:Treaty } ?cited a ?kind } }
    } GROUP BY ?cited ?kind ORDER BY DESC(?citingDocuments) ?cited LIMIT 25 }
  OPTIONAL { ?cited dcterms:identifier|rdfs:label|eli:number ?name }
} GROUP BY ?cited ?kind ?citingDocuments ORDER BY DESC(?citingDocuments) ?cited"""


def test_cq7b_reads_the_counts_the_build_stored_and_answers_as_counting_did(corpus_store):
    def answer(query: str) -> list[tuple[str, ...]]:
        return [tuple(str(value) for value in row) for row in corpus_store.query(
            statistics.PROLOGUE + query, use_default_graph_as_union=True)]
    stored = answer(EXAMPLES["cq7b-most-cited"].query)
    assert len(stored) == 25 and stored == answer(COUNTED_AT_EVERY_REQUEST)
