"""Every namespace the graph uses, defined once.

The project's own terms live in ``UNKG``; everything else is reused from well-known
vocabularies (DESIGN.md §2). ``BASE`` is where instance IRIs live; it can be changed with the
``UNKG_BASE`` environment variable so a mirror can mint IRIs under its own domain.
"""

from __future__ import annotations

import os

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ORG, VOID, SDO

DEFAULT_BASE = "https://w3id.org/unkg/"
BASE = Namespace(os.environ.get("UNKG_BASE", DEFAULT_BASE))
UNKG = Namespace("https://w3id.org/unkg/ontology#")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
DOCO = Namespace("http://purl.org/spar/doco/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
UNDO = Namespace("https://w3id.org/un/ontology/undo/")
SCHEMA = SDO

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "unkg": UNKG,
    "eli": ELI,
    "cito": CITO,
    "doco": DOCO,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "org": ORG,
    "prov": PROV,
    "schema": SCHEMA,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "void": VOID,
    "dcat": DCAT,
    "sd": SD,
    "sh": SH,
    "undo": UNDO,
}


def bind_prefixes(graph) -> None:  # noqa: ANN001 - any rdflib Graph or Dataset
    """Bind the project's prefixes so serializations read like the documentation.

    The instance base gets no prefix: its local names hold slashes (``res/ga/70/174``), which
    Turtle would have to escape, so full IRIs read better.
    """
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
