"""SHACL validation of a store graph by graph: memory bounded by the largest graph, not the
corpus, and a rebuild that validates again only the graphs whose statements changed.

The report is the one ``graph.validate`` gives for the union of every graph (the *union
report*), result for result. Why splitting gives the same report:

**Nodes a graph owns.** A node *appears* in a graph when the graph has a statement about it
(it is the subject) or a statement the shapes read backwards about it (the object of
``eli:has_part`` or ``unkg:hasFootnote``, the shapes' inverse paths). A node that appears in
one graph only, apart from the curated reference graph, is *owned* by it; a node that appears
in two or more (a resolution described again by every document citing it, a treaty, an
extraction that the build record describes too) is *shared*.

**What each shape reads** (``READS``, checked against the shapes by ``shape_reads`` and the
tests): ``own`` statements of the focus node; ``inverse`` statements naming it (the inverse
paths); the ``types`` of its values (``sh:class``, also inside ``sh:or``, ``sh:and`` and a
``sh:qualifiedValueShape`` with only a minimum); the ``chain`` of ``eli:is_part_of+`` from it,
with the types and ``prov:wasDerivedFrom`` of the nodes on it and the types of their sources
(``ush:inDocument``; the SPARQL target of ``ush:ExtractedParagraphShape``, which selects the
paragraphs of documents read from a source file); the statements along a sequence ``path``
(``( skos:member rdf:value )``).

**Per graph** (``graph_foci``, in the build's worker processes, ``graph.jobs``) the shapes run on
the graph, the reference graph, the ontology's class hierarchy and the graph's *context* from
the union (every statement of the union on the ``eli:is_part_of`` chains and sequence paths
leaving the graph, as they are read). For a node the graph owns, its own and inverse statements
there are all the union has, and so are its chains and paths: it is selected by exactly the
shapes that select it in the union. The types of its values may be fewer than in the union, but type
checks only ever pass with more types (no ``sh:not``, ``sh:xone`` over classes or
``sh:qualifiedMaxCount``: ``shape_reads`` refuses them). So **a node that conforms in its
graph's run conforms in the union**. Each run only hands back the focus nodes that have a
result.

**Over the union** every shared node and every focus node some run gave a
result is validated with the statements it reads fetched from the store (``fragment``) and the
results of those focus nodes kept: exactly the union report's results for them. Every node of
the union report is among them: a shared node is; an owned node with a union result has a
result in its owner's run (previous paragraph; a node only the reference graph describes is
in every run). A graph too large to run whole (``LARGEST_RUN``) is not run: its nodes are
validated over the union like shared ones, so no worker holds more than that.

**Rebuilds.** A graph's run depends only on its statements, its chain context, the reference
graph, the hierarchy, the shapes and this code: ``Cache`` keeps each run's focus nodes under
the SHA-256 of all of them, so a rebuild runs the shapes again only on graphs whose key
changed; shared nodes and nodes with results are validated over the union every time (a
few percent of the nodes: ``bench/README.md``, "Graph by graph").

**What a rebuild reads.** Computing that key reads the graph. A graph the build record names
is not read when nothing it depends on changed (``Known``): the record says the same
extraction loaded it (``records``: the same bytes, extractor and time; a build loads a graph
only with a new one), the reference graph, hierarchy, shapes and code are the same, and the
union says the same of every node its context read (``views``: a few lookups per node, about
two nodes a document). The context is a function of the graph, the reference graph and those
statements alone, so its key, and its run, are the same. The graphs no record names, and those
loaded again, are read.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import AbstractSet, Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.jobs import run
from graph.namespaces import BASE
from graph.validate import (DEFAULT_ENGINE, SHAPES_FILE, Report, class_hierarchy, load_ontology,
                            focus_iris, load_shapes, make_report, needs_advanced, result_order,
                            shacl_engine)

REFERENCE_GRAPH = ox.NamedNode(str(BASE) + "graph/reference")
ELI = "http://data.europa.eu/eli/ontology#"
PROV = "http://www.w3.org/ns/prov#"
PART_OF = URIRef(ELI + "is_part_of")
_PART_OF = ox.NamedNode(str(PART_OF))
DERIVED_FROM = ox.NamedNode(PROV + "wasDerivedFrom")
TYPE = ox.NamedNode(str(RDF.type))
# The file beside a store's versions that keeps each graph's run for the next build.
CACHE_FILE = "validation-cache.json"
# How many focus nodes one union fragment validates: a few thousand statements.
BATCH = 500
# A graph larger than this is not run whole (pyshacl-turbo takes about 8 KB a statement): its
# nodes are validated over the union, in fragments, like shared ones. Documents stay far below
# (the corpus's largest has 13k statements); the statistics graph, which counts the whole
# corpus, grows with it.
LARGEST_RUN = 30_000

# What each node shape reads (module docstring): the classification ``shape_reads`` derives
# from the shapes, written down so that a new shape, or one that reads something new, fails the
# tests until it is classified here and the fragment and context are known to cover it.
OWN, INVERSE, TYPES, CHAIN, PATH = "own", "inverse", "types", "chain", "path"
READS: dict[str, frozenset[str]] = {name: frozenset(kinds) for name, kinds in {
    "ush:DocumentShape": {OWN, TYPES},
    "ush:ResolutionShape": {OWN},
    "ush:DraftShape": {OWN, TYPES},
    "ush:DeclarationShape": {OWN, TYPES},
    "ush:TreatyShape": {OWN},
    "ush:PartIRIShape": {OWN},
    "ush:TreatyIRIShape": {OWN},
    "ush:ParagraphShape": {OWN, INVERSE, TYPES, CHAIN},
    "ush:ExtractedParagraphShape": {OWN, TYPES, CHAIN},
    "ush:SubParagraphShape": {OWN, TYPES},
    "ush:OperativeParagraphShape": {OWN},
    "ush:NarrativeParagraphShape": {OWN},
    "ush:PreambularParagraphShape": {OWN},
    "ush:HeadingShape": {OWN},
    "ush:RecommendationShape": {OWN, TYPES},
    "ush:FootnoteShape": {OWN, INVERSE, TYPES, CHAIN},
    "ush:CitationShape": {OWN, TYPES},
    "ush:DerivationShape": {OWN, TYPES},
    "ush:ProvenanceShape": {OWN, TYPES},
    "ush:SpanShape": {OWN},
    "ush:SourceFileShape": {OWN},
    "ush:ExtractionShape": {OWN, TYPES},
    "ush:BodyShape": {OWN, TYPES},
    "ush:MemberStateShape": {OWN},
    "ush:CongressShape": {OWN, TYPES},
    "ush:RegionalPreparatoryMeetingShape": {OWN, TYPES},
    "ush:MeetingShape": {OWN, TYPES},
    "ush:ConceptShape": {OWN},
    "ush:CountShape": {OWN},
    "ush:ObservationShape": {OWN, TYPES},
    "ush:SeriesShape": {OWN, PATH},
}.items()}

# SPARQL targets cannot be read for what they read: each is classified by hand (its query
# reads the focus node's own statements, or also its chain to a document and the source).
SPARQL_TARGET_READS: dict[str, frozenset[str]] = {
    "ush:PartIRIShape": frozenset({OWN}),
    "ush:TreatyIRIShape": frozenset({OWN}),
    "ush:ExtractedParagraphShape": frozenset({OWN, CHAIN}),
}

# Parameters whose check reads only the focus node's own statements on the path (or none).
_OWN_PARAMETERS = {SH[name] for name in (
    "minCount", "maxCount", "datatype", "pattern", "flags", "minLength", "maxLength",
    "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "nodeKind", "in",
    "hasValue", "lessThan", "lessThanOrEquals", "equals", "disjoint", "languageIn",
    "uniqueLang", "message", "name", "description", "severity", "deactivated", "order",
    "group", "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode",
    "qualifiedMinCount", "declare", "prefixes")} | {RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#label")}


class UnsupportedShape(ValueError):
    """A shape reads something the graph-by-graph validation does not fetch."""


def shape_reads(shapes: Graph) -> dict[str, frozenset[str]]:
    """What each named node shape reads, derived from the shapes graph.

    Raises ``UnsupportedShape`` for a construct whose result could change for the worse with
    more statements elsewhere (``sh:not``, ``sh:xone`` on values, a maximum of qualified
    values), a path other than a predicate, its inverse or ``eli:is_part_of+``, checks on the
    statements of value nodes, and a SPARQL target not classified in ``SPARQL_TARGET_READS``.
    """
    names = _short_names(shapes)
    reads = {}
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, BNode):
            continue
        name = names(shape)
        found: set[str] = set()
        _read_shape(shapes, shape, on_focus=True, found=found, name=name)
        for target in shapes.objects(shape, SH.target):
            if name not in SPARQL_TARGET_READS:
                raise UnsupportedShape(f"{name}: its SPARQL target is not classified")
            found |= SPARQL_TARGET_READS[name]
        reads[name] = frozenset(found)
    return reads


def _read_shape(shapes: Graph, shape: Node, *, on_focus: bool, found: set[str], name: str) -> None:
    """Add what ``shape`` reads; ``on_focus``: it applies to the focus node itself, else to
    the values of a property (where only type checks are supported)."""
    path = shapes.value(shape, SH.path)
    if path is not None:
        if not on_focus:
            raise UnsupportedShape(f"{name}: a property of a value node is checked")
        found.add(_path_reads(shapes, path, name))
    elif on_focus:
        found.add(OWN)
    for parameter, value in shapes.predicate_objects(shape):
        if parameter in _OWN_PARAMETERS or parameter in (SH.path, SH.target):
            continue
        if parameter == SH.property:
            _read_shape(shapes, value, on_focus=True, found=found, name=name)
        elif parameter == SH["class"]:
            found.add(TYPES)
        elif parameter in (SH["or"], SH["and"]) or (parameter == SH.xone and on_focus and path is None):
            for member in shapes.items(value):
                # The members of a property shape's list apply to its values.
                _read_shape(shapes, member, on_focus=on_focus and path is None, found=found,
                            name=name)
        elif parameter == SH.qualifiedValueShape and (shape, SH.qualifiedMaxCount, None) not in shapes:
            _read_shape(shapes, value, on_focus=False, found=found, name=name)
        else:
            raise UnsupportedShape(f"{name}: {parameter} is not supported by graph-by-graph "
                                   "validation (graph/validate_graphs.py)")


def _path_reads(shapes: Graph, path: Node, name: str) -> str:
    if isinstance(path, URIRef):
        return OWN
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return INVERSE
    if shapes.value(path, SH.oneOrMorePath) == PART_OF:
        return CHAIN
    if (path, RDF.first, None) in shapes and all(isinstance(p, URIRef) for p in shapes.items(path)):
        return PATH
    raise UnsupportedShape(f"{name}: path {path} is not supported")


def _short_names(shapes: Graph):  # type: ignore[no-untyped-def]
    from graph.validate import _Names
    return _Names(shapes).term


def sequence_paths(shapes: Graph) -> list[list[ox.NamedNode]]:
    """The sequence paths of the shapes (``( skos:member rdf:value )``), each a list of
    predicates: validating a node reads the statements of the nodes along them."""
    found = []
    for path in set(shapes.objects(None, SH.path)):
        steps = list(shapes.items(path)) if (path, RDF.first, None) in shapes else []
        if steps and all(isinstance(p, URIRef) for p in steps):
            found.append([ox.NamedNode(str(p)) for p in steps])
    return sorted(found, key=lambda steps: [p.value for p in steps])


def inverse_predicates(shapes: Graph) -> list[str]:
    """The predicates the shapes read backwards (``sh:inversePath``)."""
    return sorted(str(p) for path in shapes.subjects(SH.inversePath, None)
                  for p in shapes.objects(path, SH.inversePath) if isinstance(p, URIRef))


# ---------------------------------------------------------------------------------------------
# Reading the store


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def graph_ntriples(store: ox.Store, name: ox.NamedNode) -> bytes:
    """The statements of one named graph as N-Triples, in a stable order (a graph bulk-loaded
    again into a store comes out in another), so that equal graphs have equal cache keys."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""
    return b"".join(sorted(data.splitlines(keepends=True)))


Subject = ox.NamedNode | ox.BlankNode


def _statements(store: ox.Store, s: Subject | None, p: ox.NamedNode | None,
                o: Subject | None) -> Iterator[ox.Triple]:
    for quad in store.quads_for_pattern(s, p, o, None):
        yield quad.triple


def _types(store: ox.Store, node: object, triples: set[ox.Triple]) -> None:
    if isinstance(node, (ox.NamedNode, ox.BlankNode)):
        triples.update(_statements(store, node, TYPE, None))


def _chains(store: ox.Store, starts: Iterable[Subject], triples: set[ox.Triple],
            seen: set[object] | None = None) -> None:
    """Add the ``eli:is_part_of`` chains from ``starts`` (the starts' own statements
    included) with the types and derivations of the nodes they reach and the types of those
    sources (what ``CHAIN`` reads); the nodes reached are added to ``seen``."""
    seen = set() if seen is None else seen
    chain = list(starts)
    while chain:
        for triple in _statements(store, chain.pop(), _PART_OF, None):
            triples.add(triple)
            _reached(store, triple.object, seen, chain, triples)


def _reached(store: ox.Store, node: object, seen: set[object], chain: list[Subject],
             triples: set[ox.Triple]) -> None:
    """A node a chain reaches: its types, derivations and their types, and its own chain."""
    if isinstance(node, (ox.NamedNode, ox.BlankNode)) and node not in seen:
        seen.add(node)
        chain.append(node)
        _types(store, node, triples)
        for derived in _statements(store, node, DERIVED_FROM, None):
            triples.add(derived)
            _types(store, derived.object, triples)


def _sequences(store: ox.Store, level: set[object], steps: list[ox.NamedNode],
               triples: set[ox.Triple]) -> set[object]:
    """Add the statements along the sequence path ``steps`` from the nodes of ``level``
    (what ``PATH`` reads); the nodes whose statements were read."""
    read: set[object] = set()
    for predicate in steps:
        read |= level
        step = {t for n in level if isinstance(n, (ox.NamedNode, ox.BlankNode))
                for t in _statements(store, n, predicate, None)}
        triples.update(step)
        level = {t.object for t in step}
    return read


def context(store: ox.Store, name: ox.NamedNode,
            sequences: list[list[ox.NamedNode]]) -> tuple[bytes, set[Subject]]:
    """What the union says beyond the graph that validating its nodes reads exactly (module
    docstring): the chains and sequence paths leaving the graph. A node the graph owns has its
    first step there (or in the reference graph); the context goes on from where it leads.

    Also the nodes whose statements it read from the union (``views`` of them tells whether
    the context is still the same without reading the graph again): the nodes on the chains,
    the sources they derive from, the nodes along the sequence paths."""
    triples: set[ox.Triple] = set()
    seen: set[object] = set()
    chain: list[Subject] = []
    graphs = (name, REFERENCE_GRAPH)  # the statements a run has of its own
    for graph in graphs:
        for quad in store.quads_for_pattern(None, _PART_OF, None, graph):
            _reached(store, quad.object, seen, chain, triples)
    _chains(store, chain, triples, seen)
    read = seen | {t.object for t in triples if t.predicate == DERIVED_FROM}
    for steps in sequences:
        first: set[object] = {q.object for g in graphs
                              for q in store.quads_for_pattern(None, steps[0], None, g)}
        read |= _sequences(store, first, steps[1:], triples)
    nodes = {n for n in read if isinstance(n, (ox.NamedNode, ox.BlankNode))}
    return _ntriples(sorted(triples, key=str)), nodes


def view_predicates(sequences: list[list[ox.NamedNode]]) -> list[ox.NamedNode]:
    """Every predicate ``context`` reads of a node it reached (of some, not all of them)."""
    found = {TYPE, DERIVED_FROM, _PART_OF} | {p for steps in sequences for p in steps}
    return sorted(found, key=lambda p: p.value)


def views(store: ox.Store, nodes: Iterable[Subject], predicates: list[ox.NamedNode],
          memo: dict[Subject, bytes]) -> str:
    """A digest of what the union says of ``nodes`` with ``predicates``: equal digests, equal
    statements. ``memo`` keeps each node's part for the other graphs that read it."""
    digest = hashlib.sha256()
    for node in sorted(nodes, key=str):
        part = memo.get(node)
        if part is None:
            lines = sorted({str(t) for p in predicates for t in _statements(store, node, p, None)})
            part = memo[node] = hashlib.sha256("\n".join(lines).encode()).digest()
        digest.update(str(node).encode() + b"\0" + part)
    return digest.hexdigest()


_RECORDED = f"""SELECT ?graph ?record ?extraction ?p ?o WHERE {{ GRAPH ?record {{
    ?extraction <{PROV}generated> ?graph . ?extraction ?p ?o }} }}"""


def records(store: ox.Store) -> dict[ox.NamedNode, str]:
    """For each graph a build record names (``?extraction prov:generated ?graph``, in the
    build's graph or, in ``bench/scale.py``'s replicated stores, a copy's), a digest of what
    the record says of its extraction: the bytes read (the source file's SHA-256), the
    extractor (a digest of its code) and when it ended.

    A build writes a file's graph only with a new extraction in the record, and only builds
    write the stores a validation cache is kept for (``graph.build``: a new version, or a
    remote store's copy): the same digest, the same graph, without reading it. The graphs no
    record names (the reference graph, the record itself, the statistics) are read every time.
    """
    rows: dict[ox.NamedNode, list[str]] = {}
    solutions = store.query(_RECORDED)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        graph = row["graph"]
        if isinstance(graph, ox.NamedNode):
            rows.setdefault(graph, []).append(
                " ".join(str(row[v]) for v in ("record", "extraction", "p", "o")))
    return {graph: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
            for graph, lines in rows.items()}


_SHARED = """SELECT ?v WHERE {{
    {{ GRAPH ?g {{ ?v ?p ?o }} }} UNION {{ GRAPH ?g {{ ?x ?i ?v }} VALUES ?i {{ {inverse} }} }}
    FILTER (?g != <{reference}>) }} GROUP BY ?v HAVING (COUNT(DISTINCT ?g) > 1)"""


def shared_nodes(store: ox.Store, inverse: list[str],
                 reference: ox.NamedNode = REFERENCE_GRAPH) -> set[Subject]:
    """The nodes that appear in two graphs or more (module docstring; the reference graph does
    not count). One query over the store: Oxigraph holds a counter per node while it runs."""
    query = _SHARED.format(inverse=" ".join(f"<{p}>" for p in inverse) or "<urn:none>",
                           reference=reference.value)
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return {row["v"] for row in solutions}  # type: ignore[misc]


def _nodes(store: ox.Store, name: ox.NamedNode, inverse: list[str]) -> set[Subject]:
    """The nodes that appear in a graph: its subjects and what it names backwards."""
    backwards = {ox.NamedNode(p) for p in inverse}
    nodes: set[Subject] = set()
    for quad in store.quads_for_pattern(None, None, None, name):
        if isinstance(quad.subject, (ox.NamedNode, ox.BlankNode)):
            nodes.add(quad.subject)
        if quad.predicate in backwards and isinstance(quad.object, (ox.NamedNode, ox.BlankNode)):
            nodes.add(quad.object)
    return nodes


def fragment(store: ox.Store, nodes: Iterable[Subject], inverse: list[str],
             sequences: list[list[ox.NamedNode]]) -> set[ox.Triple]:
    """Every statement of the union that validating ``nodes`` reads (``READS``): their own,
    the inverse ones, the types of their values, their ``eli:is_part_of`` chains with the
    types and derivations of the chain's nodes and the types of those sources, the statements
    along the sequence paths."""
    nodes = list(nodes)
    triples: set[ox.Triple] = set()
    others: set[object] = set()  # values and inverse subjects, whose types are read once
    for node in nodes:
        for triple in _statements(store, node, None, None):
            triples.add(triple)
            others.add(triple.object)
        for predicate in inverse:
            for triple in _statements(store, None, ox.NamedNode(predicate), node):
                triples.add(triple)
                others.add(triple.subject)
    for other in others:
        _types(store, other, triples)
    _chains(store, nodes, triples)
    for steps in sequences:
        _sequences(store, set(nodes), steps, triples)
    return triples


# ---------------------------------------------------------------------------------------------
# Work done in the worker processes


@functools.cache
def _shapes(path: str) -> Graph:
    return load_shapes(Path(path))


@functools.cache
def _hierarchy() -> bytes:
    """The ontology's class hierarchy as N-Triples, sorted (rdflib's order changes from one
    process to the next, and the cache keys must not)."""
    data = class_hierarchy(load_ontology()).serialize(format="nt", encoding="utf-8")
    return b"".join(sorted(data.splitlines(keepends=True)))


def graph_foci(data: bytes, engine: str = DEFAULT_ENGINE, shapes: str = str(SHAPES_FILE)) -> list[str]:
    """The focus nodes that have a SHACL result in ``data`` (N-Triples) with the ontology's
    class hierarchy, in N-Triples form: what a worker answers for one graph's run."""
    _, report = _engine_report(data, engine, shapes)
    return sorted({node.n3() for node in report.objects(None, SH.focusNode)})


def _engine_report(data: bytes, engine: str, shapes: str,
                   foci: AbstractSet[Node] | None = None) -> tuple[bool, Graph]:
    """Validate ``data`` (N-Triples) with the hierarchy: the engine's conformance and report
    graph. pyshacl-turbo reads the N-Triples itself, much faster than through rdflib."""
    text = data + _hierarchy()
    shape_graph = _shapes(shapes)
    if engine == "turbo":
        from pyshacl_turbo.rdf import Input

        conforms, report, _ = _compiled(shapes).validate(
            Input(text.decode("utf-8"), "nt", None, {}, preserve_ids=True),
            allow_warnings=True, allow_infos=True, focus_nodes=focus_iris(foci))
    else:
        graph = Graph().parse(data=text, format="ox-ntriples")
        conforms, report, _ = shacl_engine(engine)(
            graph, shacl_graph=shape_graph, inference="none", advanced=needs_advanced(shape_graph),
            meta_shacl=False, allow_warnings=True, allow_infos=True, inplace=True,
            focus_nodes=focus_iris(foci))
    return bool(conforms), report


@functools.cache
def _compiled(shapes: str):  # type: ignore[no-untyped-def]
    import pyshacl_turbo

    graph = _shapes(shapes)
    return pyshacl_turbo.CompiledShapes(graph, advanced=needs_advanced(graph))


_TYPE_LINE = f" <{RDF.type}> ".encode()


def fragment_report(data: bytes, foci: list[str], engine: str = DEFAULT_ENGINE,
                    shapes: str = str(SHAPES_FILE)) -> Report:
    """The union report's results for ``foci``, from a fragment that holds what they read."""
    wanted = {_rdflib_term(focus) for focus in foci}
    conforms, report = _engine_report(data, engine, shapes, wanted)
    types = b"".join(line for line in data.splitlines(keepends=True) if _TYPE_LINE in line)
    return make_report(conforms, report, _shapes(shapes),
                       Graph().parse(data=types, format="ox-ntriples"), wanted)


def _rdflib_term(text: str) -> URIRef | BNode:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text[1:-1])


def _ox_term(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text[1:-1])


# ---------------------------------------------------------------------------------------------
# The whole validation


class Cache:
    """Each graph's run (its focus nodes with a result) under the SHA-256 of everything the
    run read (``entries``), and for each graph a build record names, what tells without
    reading it that it is the graph that run read (``graphs``: ``Known``), in a JSON file;
    ``save`` keeps only what was used since it was opened."""

    FORMAT = 2

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list[str]] = {}
        self.used: dict[str, list[str]] = {}
        self.graphs: dict[str, Known] = {}
        self.seen: dict[str, Known] = {}
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("format") == self.FORMAT:
                    self.entries = dict(data["runs"])
                    self.graphs = {name: Known(**known) for name, known in data["graphs"].items()}
            except (OSError, ValueError, TypeError, KeyError, AttributeError):
                self.entries, self.graphs = {}, {}  # a damaged cache only costs time

    def known(self, name: str) -> Known | None:
        return self.graphs.get(name)

    def remember(self, name: str, known: Known) -> None:
        self.seen[name] = known

    def get(self, key: str) -> list[str] | None:
        found = self.entries.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, foci: list[str]) -> None:
        self.used[key] = foci

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=self.path.parent, delete=False,
                                         encoding="utf-8", suffix=".tmp") as file:
            json.dump({"format": self.FORMAT, "runs": self.used,
                       "graphs": {name: vars(known) for name, known in self.seen.items()}},
                      file, sort_keys=True)
        os.replace(file.name, self.path)


@dataclass
class Known:
    """A graph's run as a later validation can reuse it without reading the graph: the graph
    is the one a build loaded then (``record``, the digest of its extraction's statements in
    the build record), the reference graph, the hierarchy, the shapes and this code are the
    same (``base``), and so is what the union says of the nodes its context read (``nodes``,
    ``views``); its focus nodes are then those of the run under ``key``."""

    record: str
    base: str
    key: str
    nodes: list[str]
    views: str


@dataclass
class Work:
    """What a graph-by-graph validation did: graphs run (the rest came from the cache), nodes
    validated over the union, in how many fragments."""

    graphs: int = 0
    cached: int = 0
    unread: int = 0  # of the cached ones, known from the build record without reading them
    large: int = 0  # graphs whose nodes went to the union pass instead
    union_nodes: int = 0
    fragments: int = 0
    reading_s: float = 0.0  # the graphs and their contexts read from the store (parent)
    graphs_s: float = 0.0  # until every graph's run is back (reading included)
    union_s: float = 0.0  # shared nodes found, fragments read and validated


def _digest(shapes: str) -> bytes:
    """Everything besides a graph and its context that a run depends on."""
    digest = hashlib.sha256()
    for part in (Path(shapes).read_bytes(), _hierarchy(), Path(__file__).read_bytes()):
        digest.update(hashlib.sha256(part).digest())
    return digest.digest()


def validate_graphs(store: ox.Store, *, engine: str = DEFAULT_ENGINE, jobs: int = 1,
                    cache: Path | None = None, shapes: Path = SHAPES_FILE,
                    work: Work | None = None) -> Report:
    """Validate every named graph of ``store`` graph by graph, then the shared nodes and the
    nodes with results over the union: the union report (module docstring).

    ``jobs`` processes run the graphs and the union fragments; ``cache`` is a file that keeps
    each graph's run for the next validation. Statements in the default graph are not
    supported (a build writes none): ``graph.validate.validate`` validates such a store whole.
    """
    work = work if work is not None else Work()
    shape_graph = load_shapes(shapes)
    shape_reads(shape_graph)  # refuses a shape this method cannot validate exactly
    inverse = inverse_predicates(shape_graph)
    sequences = sequence_paths(shape_graph)
    shapes_path = str(shapes)
    common = _digest(shapes_path)
    stored = Cache(cache)
    names = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)),
                   key=lambda g: g.value)
    reference = graph_ntriples(store, REFERENCE_GRAPH) if REFERENCE_GRAPH in names else b""
    base = hashlib.sha256(common + hashlib.sha256(reference).digest()).hexdigest()
    recorded = records(store)
    predicates = view_predicates(sequences)
    memo: dict[Subject, bytes] = {}  # views of nodes read for one graph, for the others
    foci: set[str] = set()
    large: set[Subject] = set()  # the nodes of graphs too large to run whole
    keys: deque[str] = deque()  # of the graphs handed to the workers, in order

    def unchanged(name: ox.NamedNode) -> list[str] | None:
        """The focus nodes of the graph's run kept in the cache, if it is known to be the
        graph that run read, without reading it; else ``None``."""
        known = stored.known(name.value)
        if (known is None or known.record != recorded.get(name) or known.base != base
                or known.views != views(store, map(_ox_term, known.nodes), predicates, memo)):
            return None
        found = stored.get(known.key)
        if found is not None:
            stored.remember(name.value, known)
        return found

    def runs() -> Iterator[tuple[bytes, str, str]]:
        """Each graph's data for a worker, unless the cache has its run: read while the
        workers validate the graphs before it, never more than a few at a time in memory."""
        for name in names:
            started = time.perf_counter()
            found = unchanged(name) if name in recorded else None
            if found is not None:
                work.reading_s += time.perf_counter() - started
                work.cached += 1
                work.unread += 1
                foci.update(found)
                continue
            own = graph_ntriples(store, name)
            if own.count(b"\n") > LARGEST_RUN and name != REFERENCE_GRAPH:
                large.update(_nodes(store, name, inverse))
                work.large += 1
                continue
            around, read = context(store, name, sequences)
            data = own + reference + around
            key = hashlib.sha256(common + hashlib.sha256(data).digest()).hexdigest()
            if name in recorded:
                stored.remember(name.value, Known(
                    recorded[name], base, key, sorted(str(n) for n in read),
                    views(store, read, predicates, memo)))
            work.reading_s += time.perf_counter() - started
            found = stored.get(key)
            if found is None:
                keys.append(key)
                yield data, engine, shapes_path
            else:
                work.cached += 1
                foci.update(found)
    started = time.perf_counter()
    for found in run(graph_foci, runs(), jobs=jobs):
        stored.put(keys.popleft(), found)
        foci.update(found)
        work.graphs += 1
    work.graphs_s = time.perf_counter() - started
    started = time.perf_counter()
    shared = shared_nodes(store, inverse)
    nodes = sorted(shared | large | {_ox_term(focus) for focus in foci}, key=str)
    work.union_nodes = len(nodes)
    batches = [nodes[i:i + BATCH] for i in range(0, len(nodes), BATCH)]
    work.fragments = len(batches)
    reports = run(fragment_report,
                  ((_ntriples(fragment(store, batch, inverse, sequences)), [str(n) for n in batch], engine,
                    shapes_path) for batch in batches), jobs=jobs, count=len(batches))
    report = merge_reports(list(reports))
    work.union_s = time.perf_counter() - started
    stored.save()
    return report


def merge_reports(reports: list[Report]) -> Report:
    """One report from the reports of disjoint sets of focus nodes."""
    graph = Graph()
    top = BNode()
    graph.add((top, RDF.type, SH.ValidationReport))
    results = []
    for report in reports:
        for prefix, namespace in report.graph.namespaces():
            graph.bind(prefix, namespace, override=False)
        for node in report.graph.subjects(RDF.type, SH.ValidationResult):
            graph.add((top, SH.result, node))
            graph += report.graph.cbd(node)
        results.extend(report.results)
    conforms = not any(r.severity == "Violation" for r in results)
    graph.add((top, SH.conforms, Literal(conforms)))
    return Report(conforms, sorted(results, key=result_order), graph)
