"""SHACL validation of the graph against ``shapes/unkg-shapes.ttl`` with pySHACL.

The data graph is the union of every named graph of the store (or the triples of a file) plus
the class hierarchy of ``ontology/unkg.ttl``: SHACL's ``sh:class`` and ``sh:targetClass`` follow
``rdfs:subClassOf`` *in the data graph*, so without the hierarchy a ``unkg:Report`` would not
count as the ``unkg:Document`` a shape asks for. pySHACL runs on its fast path: no inference, no
meta-validation (the shapes are meta-validated by the tests, not on every run), and advanced
mode only because two identity checks are SPARQL targets, which select the offending nodes in
one query instead of one query per paragraph. The engine is pyshacl-turbo when it is installed:
its reports equal pySHACL's on every test, five to nine times faster (``bench/README.md``).

The report is turned into plain ``Result`` records named after the node shape that failed, so
that the CLI can print it grouped by shape and a release can refuse to go out.

Holding the union in one rdflib graph costs about 2 GB at 1M triples, so ``validate`` goes graph
by graph by default (``graph.validate_graphs``), with the same report; the union in memory
(``whole``) stays as the reference method.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import AbstractSet, Callable

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node
from rdflib.util import guess_format

from graph.namespaces import UNKG, bind_prefixes

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "shapes" / "unkg-shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "unkg.ttl"
SHAPES = "https://w3id.org/unkg/shapes#"

# SHACL engines with pySHACL's interface and report, by name -> module.
ENGINES = {"pyshacl": "pyshacl", "turbo": "pyshacl_turbo"}
DEFAULT_ENGINE = "turbo" if importlib.util.find_spec("pyshacl_turbo") else "pyshacl"

# RDF formats by file suffix; anything else is left to rdflib's guess_format.
_FORMATS = {".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld", ".trig": "trig", ".ttl": "turtle"}
_DATASET_FORMATS = {"nquads", "trig"}


@dataclass(frozen=True)
class Result:
    """One SHACL result, named after the node shape it belongs to (``ush:ParagraphShape``)."""

    shape: str
    path: str | None
    focus: str
    value: str | None
    message: str
    severity: str
    component: str


@dataclass
class Report:
    """The outcome of a validation: pySHACL's report graph and its results as records."""

    conforms: bool
    results: list[Result]
    graph: Graph

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    def text(self) -> str:
        """The report for people: results grouped by shape, then by property and message."""
        return format_report(self)


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """The shapes graph."""
    return Graph().parse(path, format="turtle")


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """The ontology graph."""
    return Graph().parse(path, format="turtle")


def class_hierarchy(ontology: Graph) -> Graph:
    """The ``rdfs:subClassOf`` axioms of the unkg classes, the only ontology triples SHACL needs."""
    hierarchy = Graph()
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if str(sub).startswith(str(UNKG)):
            hierarchy.add((sub, RDFS.subClassOf, sup))
    return hierarchy


def store_graph(store: ox.Store) -> Graph:
    """Every triple of every graph of the store, as one rdflib graph.

    The union is computed by Oxigraph and handed over as N-Triples, which oxrdflib's parser
    loads far faster than adding triples one by one through rdflib.
    """
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                          use_default_graph_as_union=True)
    assert isinstance(triples, ox.QueryTriples)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="ox-ntriples")


def read_graph(path: str | Path) -> Graph:
    """The triples of an RDF file (all graphs merged for N-Quads and TriG)."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix) or guess_format(str(path)) or "turtle"
    if fmt in _DATASET_FORMATS:
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        merged = Graph()
        for context in dataset.graphs():
            merged += context
        return merged
    return Graph().parse(path, format=fmt)


def data_graph(source: Graph | ox.Store, ontology: Graph | None = None) -> Graph:
    """The graph the shapes read: the data plus the ontology's class hierarchy.

    A ``Graph`` given by the caller is copied, never modified.
    """
    graph = store_graph(source) if isinstance(source, ox.Store) else _copy(source)
    graph += class_hierarchy(ontology if ontology is not None else load_ontology())
    return graph


def _copy(source: Graph) -> Graph:
    graph = Graph()
    if isinstance(source, Dataset):
        for context in source.graphs():
            graph += context
    else:
        graph += source
    return graph


def validate(source: Graph | ox.Store, *, engine: str = DEFAULT_ENGINE, whole: bool = False,
             jobs: int = 1, cache: Path | None = None) -> Report:
    """Validate a graph or a store against the unkg shapes.

    By default graph by graph (``graph.validate_graphs``: memory bounded by the largest named
    graph, ``jobs`` processes, each graph's run kept in the file ``cache`` for the next time);
    a graph given here is one named graph, a ``Dataset`` its own graphs. ``whole``: the union
    as one rdflib graph in memory, the reference method, whose report the default one equals.
    A store with statements in its default graph, or a graph named by a blank node, is
    validated whole too (a build writes neither).
    """
    if whole or (isinstance(source, ox.Store) and not _named_only(source)):
        return run_shacl(data_graph(source), load_shapes(), engine)
    from graph.validate_graphs import validate_graphs

    return validate_graphs(source if isinstance(source, ox.Store) else memory_store(source),
                           engine=engine, jobs=jobs, cache=cache)


def _named_only(store: ox.Store) -> bool:
    """Whether every statement of the store is in a graph named by an IRI."""
    return (next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
            and all(isinstance(g, ox.NamedNode) for g in store.named_graphs()))


def memory_store(source: Graph) -> ox.Store:
    """A graph in a memory store: a ``Dataset``'s graphs as they are, a plain graph (a file
    of triples) as the named graph ``<file:data>``."""
    store = ox.Store()
    graphs = source.graphs() if isinstance(source, Dataset) else [source]
    for graph in graphs:
        if len(graph):
            name = graph.identifier if isinstance(source, Dataset) and \
                isinstance(graph.identifier, URIRef) else URIRef("file:data")
            store.load(graph.serialize(format="nt", encoding="utf-8"),
                       format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
    return store


def shacl_engine(name: str) -> Callable[..., tuple]:
    """The ``validate`` function of an engine with pySHACL's interface.

    ``turbo`` (pyshacl-turbo, a Rust engine) gives the same report as pySHACL on every shape
    and defect of the tests (``tests/test_shapes.py`` compares them) in a fraction of the time;
    ``pyshacl`` is the reference.
    """
    if name not in ENGINES:
        raise ValueError(f"unknown SHACL engine {name!r}; choose from {', '.join(ENGINES)}")
    module = importlib.import_module(ENGINES[name])
    return module.validate


def run_shacl(graph: Graph, shapes: Graph, engine: str = DEFAULT_ENGINE,
              foci: AbstractSet[Node] | None = None) -> Report:
    """Validate a prepared data graph (``data_graph``) and collect the results.

    ``inplace=True`` because the data graph is already our own copy; warnings and infos do not
    break conformance, only violations do. ``foci``: keep only the results of these focus
    nodes (``graph.validate_graphs`` validates a fragment for some of its nodes).
    """
    conforms, report_graph, _ = shacl_engine(engine)(
        graph, shacl_graph=shapes, inference="none", advanced=needs_advanced(shapes),
        meta_shacl=False, allow_warnings=True, allow_infos=True, inplace=True,
        focus_nodes=focus_iris(foci))
    return make_report(bool(conforms), report_graph, shapes, graph, foci)


def focus_iris(foci: AbstractSet[Node] | None) -> list[str] | None:
    """The engines' ``focus_nodes`` option for ``foci``: it selects among the targets, and
    takes IRIs only (with a blank node among them, every target is validated)."""
    return sorted(str(f) for f in foci) if foci and all(isinstance(f, URIRef) for f in foci) \
        else None


def make_report(conforms: bool, report_graph: Graph, shapes: Graph, data: Graph,
                foci: AbstractSet[Node] | None = None) -> Report:
    """A ``Report`` from an engine's report graph; ``foci``: only their results. ``data``
    needs the types of the focus nodes only (``collect_results`` names shapes by them)."""
    if foci is not None:
        for node in list(report_graph.subjects(RDF.type, SH.ValidationResult)):
            if report_graph.value(node, SH.focusNode) not in foci:
                for triple in report_graph.cbd(node):
                    report_graph.remove(triple)
                report_graph.remove((None, SH.result, node))
        conforms = (None, SH.resultSeverity, SH.Violation) not in report_graph
    bind_prefixes(report_graph)
    report_graph.bind("ush", SHAPES)
    return Report(conforms, collect_results(report_graph, shapes, data), report_graph)


def needs_advanced(shapes: Graph) -> bool:
    """Whether the shapes use a SHACL-AF feature (SPARQL targets, rules, functions).

    pySHACL's advanced mode is only switched on for shapes that need it.
    """
    return any((None, RDF.type, kind) in shapes
               for kind in (SH.SPARQLTarget, SH.SPARQLTargetType, SH.SPARQLRule, SH.SPARQLFunction)) \
        or (None, SH.rule, None) in shapes


def collect_results(report: Graph, shapes: Graph, data: Graph) -> list[Result]:
    """The results of a pySHACL report graph as records, in a stable order."""
    names = _Names(shapes)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        source = report.value(node, SH.sourceShape)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        message = report.value(node, SH.resultMessage)
        results.append(Result(
            shape=names.owner(source, focus, data),
            path=names.path(path, report),
            focus=names.term(focus),
            value=names.term(value) if value is not None else None,
            message=str(message) if message is not None else "",
            severity=names.local(report.value(node, SH.resultSeverity)),
            component=names.local(report.value(node, SH.sourceConstraintComponent)),
        ))
    return sorted(results, key=result_order)


def result_order(r: Result) -> tuple[str, ...]:
    """The order of a report's results: by shape, path, message, then focus node."""
    return (r.shape, r.path or "", r.message, r.focus, r.value or "", r.component, r.severity)


class _Names:
    """Readable names for shapes, paths and terms of a report."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        prefixed = Graph()
        bind_prefixes(prefixed)
        prefixed.bind("ush", SHAPES, override=True)
        self.manager = prefixed.namespace_manager

    def term(self, node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return self.manager.normalizeUri(node)
        if isinstance(node, Literal) and node.datatype == XSD.string:
            node = Literal(str(node))  # RDF 1.1: the same literal, as Oxigraph writes it or not
        return node.n3(self.manager)

    def local(self, node: Node | None) -> str:
        return str(node).rsplit("#", 1)[-1] if node is not None else ""

    def owner(self, shape: Node | None, focus: Node | None, data: Graph) -> str:
        """The named node shape a result belongs to.

        A property shape shared by several node shapes (``ush:text``) is attributed to the
        node shape that targets the focus node's class, else to one that selects its focus
        nodes otherwise (a SPARQL target), so the report says "footnote", not "paragraph or
        footnote".
        """
        if shape is None:
            return ""
        parents = sorted(set(self.shapes.subjects(SH.property, shape)), key=str)
        if (shape, RDF.type, SH.NodeShape) in self.shapes or not parents:
            return self.term(shape)
        types = set(data.objects(focus, RDF.type)) if focus is not None else set()
        matching = [p for p in parents if types & set(self.shapes.objects(p, SH.targetClass))]
        untyped = [p for p in parents if (p, SH.targetClass, None) not in self.shapes]
        return " | ".join(self.term(p) for p in (matching or untyped or parents))

    def path(self, path: Node | None, report: Graph) -> str | None:
        """A SHACL property path in SPARQL-like notation: ``^eli:has_part``, ``eli:is_part_of+``.

        A complex path is a blank-node structure, in the report graph or the shapes graph.
        """
        if path is None:
            return None
        if isinstance(path, URIRef):
            return self.term(path)
        for predicate, template in ((SH.inversePath, "^{}"), (SH.oneOrMorePath, "{}+"),
                                    (SH.zeroOrMorePath, "{}*"), (SH.zeroOrOnePath, "{}?")):
            inner = report.value(path, predicate) or self.shapes.value(path, predicate)
            if inner is not None:
                return template.format(self.path(inner, report))
        return self.term(path)


def format_report(report: Report) -> str:
    """Results grouped by shape, then by property path and message, with their focus nodes."""
    if not report.results:
        return "Conforms: yes, no SHACL results.\n"
    by_shape: dict[str, dict[tuple[str, str, str], list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in report.results:
        by_shape[result.shape][(result.severity, result.path or "", result.message)].append(result)
    counts: defaultdict[str, int] = defaultdict(int)
    for result in report.results:
        counts[result.severity] += 1
    summary = ", ".join(f"{n} {severity.lower()}{'s' if n != 1 else ''}"
                        for severity, n in sorted(counts.items()))
    lines = [f"Conforms: {'yes' if report.conforms else 'no'} ({summary} in {len(by_shape)} shapes)"]
    for shape in sorted(by_shape):
        groups = by_shape[shape]
        lines.append("")
        lines.append(f"{shape} ({sum(len(g) for g in groups.values())})")
        for (severity, path, message), results in sorted(groups.items()):
            lines.append(f"  {severity}{' on ' + path if path else ''}: {message}")
            for result in results:
                value = f"  value: {result.value}" if result.value and result.value != result.focus else ""
                lines.append(f"    {result.focus}{value}")
    return "\n".join(lines) + "\n"


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the store or a file; 0 conforms, 1 violations (errors exit 2 via ``UserError``)."""
    from graph.cli import UserError
    from graph.commands import read_store

    if args.file:
        try:
            source: Graph | ox.Store = read_graph(args.file)
        except (OSError, SyntaxError, ValueError) as error:
            raise UserError(f"cannot read {args.file}: {error}") from None
    else:  # an embedded store, or the version a remote one serves
        source = read_store(args)
    report = validate(source, engine=args.engine, whole=args.whole, jobs=args.jobs)
    sys.stdout.write(report.text())
    if args.report:
        report.graph.serialize(args.report, format="turtle")
    return 0 if report.conforms else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``validate`` to the ``unkg`` parser."""
    parser = subparsers.add_parser(
        "validate", help="check the store (or a file) against the SHACL shapes",
        description="Exit status: 0 conforms, 1 violations, 2 error.")
    parser.add_argument("--file", help="validate this RDF file instead of the store")
    parser.add_argument("--report", help="also write the SHACL report graph (Turtle) here")
    parser.add_argument("--engine", choices=sorted(ENGINES), default=DEFAULT_ENGINE,
                        help=f"SHACL engine (default: {DEFAULT_ENGINE}; pyshacl is the reference)")
    parser.add_argument("--whole", action="store_true",
                        help="validate the union as one graph in memory (the reference method; "
                             "by default graph by graph, with the same report)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="processes validating graphs at once (default 1)")
    parser.set_defaults(func=cmd_validate)
