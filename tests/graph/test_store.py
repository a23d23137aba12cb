"""The store: named graphs are replaced whole, and bad triples never half-write."""

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from graph.store import as_dataset, count_quads, named_graphs, open_store, replace_graph

G1 = URIRef("https://w3id.org/unkg/graph/res/ga/70/174")
S = URIRef("https://w3id.org/unkg/res/ga/70/174")
P = URIRef("http://purl.org/dc/terms/title")


def _graph(*titles: str) -> Graph:
    g = Graph()
    for title in titles:
        g.add((S, P, Literal(title, lang="en")))
    return g


def test_replace_graph_replaces_instead_of_adding():
    store = open_store(memory=True)
    assert replace_graph(store, G1, _graph("a", "b")) == 2
    assert replace_graph(store, G1, _graph("c")) == 1
    assert count_quads(store) == 1
    assert named_graphs(store) == [str(G1)]


def test_a_bad_term_leaves_the_previous_graph_in_place():
    store = open_store(memory=True)
    replace_graph(store, G1, _graph("kept"))
    broken = _graph("new")
    broken.add((S, P, URIRef("not an IRI")))  # rdflib lets it through; Oxigraph refuses it
    with pytest.raises(ValueError):
        replace_graph(store, G1, broken)
    assert count_quads(store, str(G1)) == 1


def test_blank_nodes_and_typed_literals_survive():
    store = open_store(memory=True)
    g = Graph()
    g.add((BNode("x"), P, Literal(5)))
    replace_graph(store, G1, g)
    [row] = store.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert row["o"].value == "5" and row["o"].datatype.value.endswith("#integer")


def test_on_disk_store_reopens_with_its_data(tmp_path):
    store = open_store(tmp_path / "store")
    replace_graph(store, G1, _graph("persisted"))
    store.flush()
    del store
    reopened = open_store(tmp_path / "store", read_only=True)
    assert count_quads(reopened) == 1


def test_rdflib_view_sees_the_named_graphs():
    store = open_store(memory=True)
    replace_graph(store, G1, _graph("a"))
    dataset = as_dataset(store)
    assert len(dataset.graph(G1)) == 1
