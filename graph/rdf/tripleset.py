"""An rdflib store for the graph of one source file that keeps its triples as N-Triples text.

A file's graph is written once by ``Writer`` and then either turned into N-Quads for the bulk
loader (what a build worker does with every file) or read through rdflib (tests, callers that
ask questions of one graph). Both come from the same triples, held as the N-Triples form of
each term (``<iri>``, ``"text"``, ``"5"^^<…#integer>``): the N-Quads are then those strings
joined, and no rdflib ``Literal`` is made or hashed at all on the build's path. Making and
hashing rdflib terms (``Literal()`` 2-3 µs, a Python ``__hash__``), then converting each to
pyoxigraph for its N-Triples form, cost about as much as all the rest of writing the triples
(issue 10: extraction at 2 MB/s per core). rdflib terms are made from the forms only when
rdflib reads the graph, once per term.

rdflib's ``Memory`` store keeps six indexes and sends an event for every triple; here adding a
triple is one dict insertion, and the index a lookup needs is built when it is first asked for
and kept up to date from then on. Prefix bindings are ``SimpleMemory``'s.
"""

from __future__ import annotations

from itertools import chain
from typing import Any, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from graph.namespaces import bind_prefixes

Triple = tuple[Any, Any, Any]
# A triple as the N-Triples forms of its terms.
Forms = tuple[str, str, str]
_INTEGER = XSD.integer
_INTEGER_TYPE = f"^^<{_INTEGER}>"


def ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term."""
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


class TripleSet(SimpleMemory):
    """The triples of one graph in insertion order (a dict of N-Triples forms used as an
    ordered set)."""

    def __init__(self) -> None:
        super().__init__()
        self.triple_dict: dict[Forms, None] = {}
        # Triples by the form at one position (0 subject, 1 predicate, 2 object), built when a
        # lookup first needs it, then extended by every insertion.
        self._indexes: dict[int, dict[str, list[Forms]]] = {}
        # The form of a plain value's literal by (value, datatype), and what to make the rdflib
        # literal of a form from: its (value, datatype) or the literal itself.
        self.literals: dict[tuple[object, URIRef | None], str] = {}
        self._sources: dict[str, tuple[object, URIRef | None] | Literal] = {}
        self._terms: dict[str, Node] = {}  # rdflib terms by form, made as rdflib reads
        # Subjects given a span (``Writer.provenance``), so that writers ask this set whether
        # a node was traced already, not rdflib: its lookup builds an index that every later
        # insertion then keeps up to date.
        self.traced: set[str] = set()

    def insert(self, triple: Forms) -> None:
        """Add a triple given as forms: ``Writer``'s way in."""
        if not self._indexes:  # no lookup yet (a build worker's graphs): nothing to update
            self.triple_dict[triple] = None
            return
        # Known or new by the size, not by a look-up first: a set-again key keeps its place.
        size = len(self.triple_dict)
        self.triple_dict[triple] = None
        if len(self.triple_dict) == size:
            return
        for position, index in self._indexes.items():
            index.setdefault(triple[position], []).append(triple)

    def literal(self, value: object, datatype: URIRef | None = None) -> str:
        """The form of the literal of a plain value: rdflib's ``Literal(value, datatype)``
        (an integer's type inferred), written as pyoxigraph writes it."""
        key = (value, datatype)
        form = self.literals.get(key)
        if form is None:
            if type(value) is int and (datatype is None or datatype == _INTEGER):
                form = f'"{value}"{_INTEGER_TYPE}'  # rdflib's lexical form of an integer: its digits
            elif type(value) is str and datatype is None:
                form = str(ox.Literal(value))
            else:  # other typed values: rdflib may normalize the lexical form
                form = self.form(Literal(value, datatype=datatype))
            self.literals[key] = form
            self._sources.setdefault(form, key)
        return form

    def form(self, term: Node) -> str:
        """The N-Triples form of an rdflib term (an IRI is checked when written out)."""
        if type(term) is URIRef:
            return f"<{term}>"
        form = str(ox_term(term))
        if isinstance(term, Literal):
            self._sources.setdefault(form, term)
        return form

    def term(self, form: str) -> Node:
        """The rdflib term of a form in this graph."""
        term = self._terms.get(form)
        if term is None:
            if form[0] == "<":
                term = URIRef(form[1:-1])
            elif form.startswith("_:"):
                term = BNode(form[2:])
            else:
                source = self._sources[form]
                term = source if isinstance(source, Literal) else Literal(
                    source[0], datatype=source[1])
            self._terms[form] = term
        return term

    def nquads(self, name: URIRef) -> tuple[bytes, int]:
        """The triples as N-Quads in the graph ``name``, and how many. Every IRI is checked
        (pyoxigraph's ``NamedNode``), once, so that a bad one fails here and not in the
        store."""
        for form in set(chain.from_iterable(self.triple_dict)):
            if form[0] == "<":
                ox.NamedNode(form[1:-1])
        tail = f" {ox.NamedNode(str(name))} .\n"
        # Each line encoded on its own: joined first, one non-Latin-1 character anywhere made
        # the whole text twice or four times as wide before it was encoded.
        lines = [f"{s} {p} {o}{tail}".encode() for s, p, o in self.triple_dict]
        return b"".join(lines), len(lines)

    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:
        s, p, o = triple
        self.insert((f"<{s}>" if type(s) is URIRef else self.form(s),
                     f"<{p}>" if type(p) is URIRef else self.form(p),
                     f"<{o}>" if type(o) is URIRef else self.form(o)))

    def remove(self, triple_pattern: Triple, context: Any = None) -> None:
        for triple in list(self._matching(triple_pattern)):
            del self.triple_dict[triple]
        self._indexes.clear()

    def triples(self, triple_pattern: Triple, context: Any = None
                ) -> Iterator[tuple[Triple, Iterator[Any]]]:
        term = self.term
        for s, p, o in self._matching(triple_pattern):
            yield (term(s), term(p), term(o)), iter(())

    def __len__(self, context: Any = None) -> int:
        return len(self.triple_dict)

    def _matching(self, pattern: Triple) -> Iterator[Forms]:
        bound = [(position, self.form(term)) for position, term in enumerate(pattern)
                 if term is not None]
        if not bound:
            yield from list(self.triple_dict)
            return
        if len(bound) == 3:
            forms = tuple(form for _, form in bound)
            if forms in self.triple_dict:
                yield forms  # type: ignore[misc]
            return
        # Subjects and objects pick out few triples; predicates many.
        position, form = min(bound, key=lambda item: (item[0] == 1, item[0]))
        candidates = self._index(position).get(form, ())
        rest = [(p, f) for p, f in bound if p != position]
        yield from [triple for triple in candidates if all(triple[p] == f for p, f in rest)]

    def _index(self, position: int) -> dict[str, list[Forms]]:
        index = self._indexes.get(position)
        if index is None:
            index = self._indexes[position] = {}
            for triple in self.triple_dict:
                index.setdefault(triple[position], []).append(triple)
        return index


class _PrefixedGraph(Graph):
    """A graph that binds the project's prefixes when its namespaces are first asked for:
    binding them takes about 1 ms a graph (rdflib's namespace manager), which a build worker,
    writing N-Quads, never needs."""

    _prefixes_bound = False

    @property  # type: ignore[override]
    def namespace_manager(self) -> NamespaceManager:
        manager = Graph.namespace_manager.fget(self)  # type: ignore[attr-defined]
        if not self._prefixes_bound:
            self._prefixes_bound = True
            bind_prefixes(self)
        return manager

    @namespace_manager.setter
    def namespace_manager(self, manager: NamespaceManager) -> None:
        Graph.namespace_manager.fset(self, manager)  # type: ignore[attr-defined]


def new_graph() -> Graph:
    """An empty graph on a ``TripleSet``, with the project's prefixes."""
    return _PrefixedGraph(store=TripleSet())


def graph_nquads(graph: Graph, name: URIRef) -> tuple[bytes, int]:
    """The triples of an rdflib graph as N-Quads in the named graph ``name``, and how many:
    what a build worker hands back (bytes cross a process or a network cheaply, and a bad term
    fails in the worker, not in the store). A graph on another store is copied into a
    ``TripleSet`` first, so there is one way of writing N-Quads."""
    store = graph.store
    if not isinstance(store, TripleSet):
        store = TripleSet()
        for triple in graph:
            store.add(triple)
    return store.nquads(name)
