"""The reference graph: what the curated tables say about bodies and treaties.

Citations only say that a body or a treaty exists; the tables (``graph/data``) give each its
names, its place among the UN bodies (CCPCJ a functional commission of ECOSOC, UNODC its
secretariat) and a treaty's title. These triples come from the tables, not from a text, so
they live in their own named graph with the tables as their source.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from graph import data, iris
from graph.namespaces import BASE, UNKG, bind_prefixes

TABLES = URIRef(str(BASE) + "source/reference-tables")


def reference_graph() -> Graph:
    """Bodies and treaties of the curated tables, each derived from the tables."""
    graph = Graph()
    bind_prefixes(graph)
    graph.add((TABLES, RDF.type, PROV.Entity))
    graph.add((TABLES, RDFS.label, Literal("unkg curated reference tables (bodies, treaties)")))
    for body in data.bodies():
        subject = iris.organization(body.code)
        graph.add((subject, RDF.type, UNKG.Body))
        graph.add((subject, SKOS.prefLabel, Literal(body.name, lang="en")))
        graph.add((subject, UNKG.shortCode, Literal(body.code)))
        for name in body.names:
            if name != body.name:
                graph.add((subject, SKOS.altLabel, Literal(name, lang="en")))
        if body.sub_organization_of:
            graph.add((subject, ORG.subOrganizationOf, iris.organization(body.sub_organization_of)))
        if body.secretariat:
            graph.add((iris.organization(body.secretariat), UNKG.secretariatOf, subject))
        if body.relation:
            graph.add((subject, RDFS.comment, Literal(
                f"{body.relation} of {body.sub_organization_of}" if body.sub_organization_of
                else body.relation, lang="en")))
        if body.source:
            graph.add((subject, DCTERMS.source, Literal(body.source)))
        graph.add((subject, PROV.wasDerivedFrom, TABLES))
    for item in data.instruments():
        subject = iris.treaty_iri(item.registration, item.volume)
        graph.add((subject, RDF.type, UNKG.Treaty))
        graph.add((subject, DCTERMS.title, Literal(item.title, lang="en")))
        graph.add((subject, UNKG.untsRegistration, Literal(item.registration, datatype=XSD.integer)))
        graph.add((subject, UNKG.untsVolume, Literal(item.volume, datatype=XSD.integer)))
        for name in item.names:
            graph.add((subject, SKOS.altLabel, Literal(name, lang="en")))
        graph.add((subject, PROV.wasDerivedFrom, TABLES))
    return graph
