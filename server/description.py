"""The SPARQL Service Description of the endpoint (sd: vocabulary), as RDF triples.

It states what a client can rely on: the query language, the result formats, that the default
graph is the union of the named graphs, which named graphs exist, and the limits the endpoint
enforces (also written as ``rdfs:comment`` so that a person reading the Turtle sees them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import pyoxigraph as ox

from server.negotiation import Format

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
DCTERMS_HAS_VERSION = ox.NamedNode("http://purl.org/dc/terms/hasVersion")
FORMATS_NS = "http://www.w3.org/ns/formats/"
# Formats without an IRI in W3C's formats namespace are left out of sd:resultFormat.
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML",
               "csv": "SPARQL_Results_CSV", "tsv": "SPARQL_Results_TSV",
               "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
               "rdfxml": "RDF_XML", "nquads": "N-Quads", "trig": "TriG"}


@dataclass(frozen=True)
class Limits:
    timeout: float
    row_limit: int
    allow_service: bool


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(endpoint: str, formats: Sequence[Format], graphs: Iterable[str],
                        limits: Limits, version: str) -> list[ox.Triple]:
    """The triples describing the endpoint at ``endpoint``."""
    service = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(service, DCTERMS_HAS_VERSION, ox.Literal(version)),
        ox.Triple(service, RDFS_COMMENT, ox.Literal(
            f"Read-only. Queries are stopped after {limits.timeout:g} s; results are cut at "
            f"{limits.row_limit} rows (header X-Result-Truncated: true). SERVICE is "
            + ("allowed." if limits.allow_service else "refused."))),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, RDFS_COMMENT, ox.Literal("the union of all named graphs")),
    ]
    if limits.allow_service:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS_NS + FORMAT_IRIS[f.name]))
                for f in formats if f.name in FORMAT_IRIS]
    for number, name in enumerate(sorted(graphs)):
        node = ox.BlankNode(f"graph{number}")
        triples += [ox.Triple(dataset, _sd("namedGraph"), node),
                    ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
                    ox.Triple(node, _sd("name"), ox.NamedNode(name))]
    return triples

