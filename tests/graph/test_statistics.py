"""The statistics a build stores with its version (graph/statistics.py): the rules on rows
(what the graph holds, what the figure takes from it), then the stored graph itself."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import statistics
from graph.statistics import kind, same_series, series_key, year_of

KIND = "https://w3id.org/unkg/ontology#"
RESOLUTION = KIND + "Resolution"


@pytest.mark.parametrize("facts,printed,year", [
    # its own date wins over anything printed
    ({"type": [RESOLUTION], "date": ["2015-12-17"], "session": ["70"], "body": ["GA"]},
     "resolution 70/174 of 17 December 2016", 2015),
    # the date printed with the citation: 64/293 was adopted in 2010, in the 2009 session
    ({"type": [RESOLUTION], "session": ["64"], "body": ["GA"]},
     "resolution 64/293 of 30 July 2010", 2010),
    # the session of a body meeting once a year, from the body table: GA session 70 opened 2015
    ({"type": [RESOLUTION], "session": ["70"], "body": ["GA"]}, "resolution 70/174", 2015),
    ({"type": [RESOLUTION], "session": ["5"], "body": ["GA"]}, "resolution 415 (V)", 1950),
    ({"type": [RESOLUTION], "session": ["22"], "body": ["CCPCJ"]}, "resolution 22/7", 2013),
    # numbered by year
    ({"type": [RESOLUTION], "session": ["2014"], "body": ["ECOSOC"]}, "resolution 2014/22", 2014),
    # three sessions a year: no year from the number alone
    ({"type": [RESOLUTION], "session": ["21"], "body": ["HRC"]}, "resolution 21/1", None),
    # a year in a symbol; a General Assembly session symbol
    ({"type": [KIND + "Document"], "symbol": ["E/CN.15/2013/10"]}, "E/CN.15/2013/10", 2013),
    ({"type": [KIND + "Document"], "symbol": ["A/C.3/68/L.17"]}, "A/C.3/68/L.17", 2013),
    ({"type": [KIND + "Document"], "symbol": ["A/CONF.222/17"]}, "A/CONF.222/17", None),
], ids=["own-date", "printed-date", "ga-session", "ga-old", "ccpcj", "ecosoc-year", "hrc",
        "symbol-year", "ga-symbol", "no-year"])
def test_the_year_of_a_cited_document(facts, printed, year):
    assert year_of(facts, printed) == year


@pytest.mark.parametrize("one,other,same", [
    ("Thirteenth United Nations Congress on Crime Prevention and Criminal Justice",
     "Fourteenth United Nations Congress on Crime Prevention and Criminal Justice", True),
    ("Follow-up to the Twelfth United Nations Congress on Crime Prevention and Criminal Justice "
     "and preparations for the Thirteenth United Nations Congress on Crime Prevention and "
     "Criminal Justice", "Thirteenth United Nations Congress on Crime Prevention and Criminal "
     "Justice", True),
    ("Twenty-first session", "Thirtieth session", True),
    # a title without ordinal held in another does not make a series
    ("Crime prevention and criminal justice",
     "Strengthening crime prevention and criminal justice responses", False),
    ("Standard Minimum Rules for the Treatment of Prisoners",
     "Taking action against gender-related killing of women and girls", False),
], ids=["congress", "follow-up", "compound-ordinals", "generic", "different"])
def test_series_share_their_title_but_for_ordinals(one, other, same):
    assert same_series(series_key(one), series_key(other)) is same


def test_kinds_of_cited_things():
    assert kind({"type": [KIND + "Decision"]}) == "resolution"
    assert kind({"type": [KIND + "Treaty"]}) == "treaty"
    assert kind({"type": [KIND + "DraftResolution", KIND + "Document"]}) == "document"
    assert kind({"type": [KIND + "Paragraph"]}) == "other"


# --- the stored graph -----------------------------------------------------------------------

FIXTURE = Path(__file__).resolve().parents[1] / "server" / "fixtures" / "graph.trig"


@pytest.fixture()
def fixture_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


def _value(store: ox.Store, pattern: str) -> list[str]:
    return sorted(row[0].value for row in store.query(
        statistics.PROLOGUE + f"SELECT ?v WHERE {{ GRAPH <{statistics.GRAPH}> {{ {pattern} }} }}"))


def test_derive_counts_the_fixture_graph(fixture_store):
    written = statistics.derive(fixture_store)
    assert written == len(list(fixture_store.quads_for_pattern(
        None, None, None, ox.NamedNode(statistics.GRAPH))))
    dataset = f"<{statistics.DATASET}>"
    assert _value(fixture_store, f"{dataset} void:classPartition [ void:class cito:Citation ; "
                                 "void:entities ?v ]") == ["6"]
    assert _value(fixture_store, f"{dataset} void:propertyPartition [ void:property "
                                 "cito:hasCitedEntity ; void:distinctSubjects ?v ]") == ["5"]
    treaty = "<https://w3id.org/unkg/treaty/unts/39574/2225>"
    assert _value(fixture_store, f"{treaty} unkg:citationCount ?v") == ["2"]
    assert _value(fixture_store, f"[] qb:dataSet <{statistics.BY_YEAR}> ; dcterms:date ?v") == [
        "1991", "2015"]
    assert _value(fixture_store, f"[] qb:dataSet <{statistics.BY_BODY}> ; skos:notation ?v") == [
        "GA"]


def test_the_graph_states_nothing_the_data_graphs_state(fixture_store):
    """Queries read the statistics in the union default graph, where a statement stated again
    is one more solution (the cited things' rdf:type there doubled cq5's rows): the classes of
    a cited thing are there, as dcterms:type, and no statement of the data is repeated."""
    statistics.derive(fixture_store)
    treaty = "<https://w3id.org/unkg/treaty/unts/39574/2225>"
    assert _value(fixture_store, f"{treaty} dcterms:type ?v") == [KIND + "Treaty"]
    graph = f"<{statistics.GRAPH}>"
    assert not fixture_store.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} "
                                   f"FILTER(?g != {graph}) }}")


def test_derive_again_replaces_what_it_counted_before(fixture_store):
    """An incremental build starts from a copy of the previous version, statistics included:
    they are counted again over the data alone (the same statements for the same data)."""
    def stored() -> set[str]:
        return set(map(str, fixture_store.quads_for_pattern(None, None, None,
                                                             ox.NamedNode(statistics.GRAPH))))
    statistics.derive(fixture_store)
    first = stored()
    triples = _value(fixture_store, f"<{statistics.DATASET}> void:triples ?v")
    statistics.derive(fixture_store)
    assert stored() == first and _value(
        fixture_store, f"<{statistics.DATASET}> void:triples ?v") == triples
    fixture_store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.Literal(1),
                              ox.NamedNode("urn:x:g")))
    statistics.derive(fixture_store)
    assert _value(fixture_store, f"<{statistics.DATASET}> void:triples ?v") == [
        str(int(triples[0]) + 1)]


def test_usage_is_read_from_the_stored_partitions(fixture_store):
    select = statistics.selector(fixture_store)
    assert statistics.usage(select) is None
    counted = statistics.statistics(select)
    statistics.derive(fixture_store)
    classes, properties = statistics.usage(select) or ({}, {})
    assert classes == counted.classes and properties == counted.properties
    assert classes["http://purl.org/spar/cito/Citation"] == 6
