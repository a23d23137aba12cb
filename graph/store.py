"""The only module that touches the embedded Oxigraph store.

The store lives on disk under a data directory (default ``data/store``, or ``UNKG_STORE``), or
in memory for tests. rdflib code sees it through oxrdflib's ``Dataset(store="Oxigraph")``;
queries and bulk loads go straight to pyoxigraph, which is an order of magnitude faster and
releases the GIL while it works.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast
import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.term import BNode, Literal, Node

from graph.namespaces import bind_prefixes

DEFAULT_STORE = Path("data/store")


def store_path(path: str | Path | None = None) -> Path:
    """Where the store lives: the argument, else ``UNKG_STORE``, else ``data/store``."""
    return Path(path or os.environ.get("UNKG_STORE") or DEFAULT_STORE)


def open_store(path: str | Path | None = None, *, memory: bool = False,
               read_only: bool = False) -> ox.Store:
    """Open (creating if needed) the pyoxigraph store; ``memory=True`` for a throwaway one."""
    if memory:
        return ox.Store()
    location = store_path(path)
    if read_only:
        return ox.Store.read_only(str(location))
    location.mkdir(parents=True, exist_ok=True)
    return ox.Store(str(location))


def as_dataset(store: ox.Store) -> Dataset:
    """An rdflib view of the store, with the project's prefixes bound."""
    dataset = Dataset(store=OxigraphStore(store=store))
    bind_prefixes(dataset)
    return dataset


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_quads(graph: Graph, name: URIRef) -> list[ox.Quad]:
    """The triples of an rdflib graph as pyoxigraph quads in the named graph ``name``."""
    graph_name = ox.NamedNode(str(name))
    return [ox.Quad(cast(ox.NamedNode | ox.BlankNode, _ox_term(s)), cast(ox.NamedNode, _ox_term(p)),
                    _ox_term(o), graph_name) for s, p, o in graph]


def replace_graph(store: ox.Store, name: URIRef, triples: Graph) -> int:
    """Replace the named graph ``name`` with ``triples`` and return how many were written.

    The quads are converted before anything is removed, so a bad term fails here without
    touching the store; the insert itself is one pyoxigraph transaction.
    """
    quads = to_quads(triples, name)
    node = ox.NamedNode(str(name))
    if store.contains_named_graph(node):
        store.remove_graph(node)
    store.extend(quads)
    return len(quads)


def named_graphs(store: ox.Store) -> list[str]:
    """The names of every named graph in the store, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def count_quads(store: ox.Store, graph: str | None = None) -> int:
    """How many quads the store (or one named graph of it) holds."""
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }" if graph is None else
             f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    results = store.query(query)
    assert isinstance(results, ox.QuerySolutions)
    return int(next(iter(results))["n"].value)

