"""The ontology's documentation: every class and property of ``ontology/*.ttl``, with its
label, comment, domain, range and how often the store uses it.

Read with rdflib (the files are small and hand-written); counted with pyoxigraph (the store is
large). A missing directory or a file that does not parse gives an empty or partial ontology
and a warning, never an error page: the ontology is written by another part of the project.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph import statistics
from server.pages import compact

log = logging.getLogger("unkg.server")
CLASS_TYPES = (OWL.Class, RDFS.Class)
RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@dataclass(frozen=True)
class Term:
    iri: str
    name: str
    kind: str
    label: str | None
    comment: str | None
    domain: list[str]
    range: list[str]
    parents: list[str]
    usage: int


@dataclass(frozen=True)
class Usage:
    """How many instances each class has and how many triples use each property."""

    classes: dict[str, int]
    properties: dict[str, int]


def load_ontology(directory: str | Path) -> Graph:
    """Every ``*.ttl`` file of ``directory`` in one graph."""
    graph = Graph()
    root = Path(directory)
    for path in sorted(root.glob("*.ttl")) if root.is_dir() else []:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # noqa: BLE001 - rdflib raises many kinds for bad Turtle
            log.warning("ontology file %s is skipped: %s", path, error)
    return graph


def usage(store: ox.Store) -> Usage:
    """Instance and triple counts over the union of the store's graphs: the VoID partitions a
    build stores with its version (``graph/statistics.py``), else counted now (two full
    scans)."""
    select = statistics.selector(store)
    return Usage(*(statistics.usage(select) or statistics.partitions(select)))


def _text(graph: Graph, subject: URIRef, *predicates: URIRef) -> str | None:
    for predicate in predicates:
        values = sorted(graph.objects(subject, predicate), key=lambda v: (
            getattr(v, "language", None) not in (None, "en"), str(v)))
        if values:
            return str(values[0])
    return None


def terms(graph: Graph, counts: Usage) -> list[Term]:
    """The classes then the properties the ontology declares, each sorted by name."""
    found = []
    for kind, types, table in (("class", CLASS_TYPES, counts.classes),
                               ("property", PROPERTY_TYPES, counts.properties)):
        subjects = {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
        parent = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        for subject in subjects:
            found.append(Term(
                iri=str(subject), name=compact(str(subject)), kind=kind,
                label=_text(graph, subject, RDFS.label, SKOS.prefLabel),
                comment=_text(graph, subject, RDFS.comment, SKOS.definition),
                domain=sorted(compact(str(d)) for d in graph.objects(subject, RDFS.domain)),
                range=sorted(compact(str(r)) for r in graph.objects(subject, RDFS.range)),
                parents=sorted(compact(str(p)) for p in graph.objects(subject, parent)
                               if isinstance(p, URIRef)),
                usage=table.get(str(subject), 0)))
    return sorted(found, key=lambda t: (t.kind != "class", t.name.lower()))


def serialize(graph: Graph, format_name: str) -> bytes:
    """The ontology in one of ``RDFLIB_FORMATS`` (by negotiation's format names)."""
    return graph.serialize(format=RDFLIB_FORMATS[format_name], encoding="utf-8")
