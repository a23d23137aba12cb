"""The TripleSet store answers every triple pattern as rdflib's own memory store does."""

from itertools import product

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import UNKG, bind_prefixes
from graph.rdf.documents import Source, Writer
from graph.rdf.tripleset import graph_nquads, new_graph, ox_term

A, B, C = (URIRef(f"https://example.org/{name}") for name in "abc")
TRIPLES = [(A, RDF.type, UNKG.Paragraph), (B, RDF.type, UNKG.Footnote),
           (A, UNKG.text, Literal("x")), (A, UNKG.spanStart, Literal(3, datatype=XSD.integer)),
           (B, UNKG.spanStart, Literal("3", datatype=XSD.integer)), (C, UNKG.hasFootnote, B)]


def _both() -> tuple[Graph, Graph]:
    fast, reference = new_graph(), Graph()
    for triple in TRIPLES:
        fast.add(triple)
        reference.add(triple)
    return fast, reference


def test_every_pattern_matches_the_memory_store():
    fast, reference = _both()
    terms = [None, A, B, C, RDF.type, UNKG.spanStart, UNKG.Paragraph, Literal(3, datatype=XSD.integer)]
    for pattern in product(terms, repeat=3):
        assert set(fast.triples(pattern)) == set(reference.triples(pattern)), pattern
    assert len(fast) == len(reference) == len(TRIPLES)


def test_adds_after_a_lookup_are_found():
    fast, _ = _both()
    assert set(fast.subjects(RDF.type, UNKG.Paragraph)) == {A}
    fast.add((C, RDF.type, UNKG.Paragraph))
    fast.add((C, RDF.type, UNKG.Paragraph))
    assert set(fast.subjects(RDF.type, UNKG.Paragraph)) == {A, C}
    assert len(fast) == len(TRIPLES) + 1


def test_remove_and_prefixes():
    fast, _ = _both()
    fast.remove((A, None, None))
    assert set(fast.subjects()) == {B, C}
    bind_prefixes(fast)
    assert "@prefix unkg: <https://w3id.org/unkg/ontology#>" in fast.serialize(format="turtle")


def test_nquads_are_what_pyoxigraph_writes():
    """The N-Quads come from the forms without rdflib terms: the same lines as pyoxigraph
    writes for the same triples, escapes included."""
    name = URIRef("https://example.org/graph")
    w = Writer(Source("t.txt", "ab" * 32))
    w.add(A, UNKG.text, 'say "x"\\\n\ty\x01')
    w.add(A, UNKG.position, 3, XSD.integer)
    w.add(A, UNKG.spanStart, "05", XSD.integer)
    w.add(B, UNKG.text, Literal("en", lang="en"))
    nquads, count = graph_nquads(w.graph, name)
    store = ox.Store()
    store.extend(ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.NamedNode(str(name)))
                 for s, p, o in w.graph)
    assert sorted(nquads.decode().splitlines()) == sorted(
        store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())
    assert count == len(w.graph) == 4
    assert (A, UNKG.spanStart, Literal(5)) in w.graph


def test_a_bad_iri_fails_in_nquads():
    fast = new_graph()
    fast.add((URIRef("https://example.org/a b"), RDF.type, UNKG.Paragraph))
    with pytest.raises(ValueError):
        graph_nquads(fast, URIRef("https://example.org/graph"))
