"""Every namespace the graph uses, defined once.

The project's own terms live in ``UNKG``; everything else is reused from well-known
vocabularies (DESIGN.md §2). ``BASE`` is where instance IRIs live; it can be changed with the
``UNKG_BASE`` environment variable so a mirror can mint IRIs under its own domain.
"""

from __future__ import annotations

import os
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ORG, VOID, SDO



class _Namespace(Namespace):
    """A namespace that makes each of its terms once.

    rdflib's ``Namespace`` builds a new ``URIRef`` at every ``UNKG.text``; the triple writers
    ask for a handful of terms hundreds of thousands of times a build (issue 10: a tenth of the
    time spent writing triples). Its defined namespaces (``RDF``, ``PROV`` …) cache already.
    """

    @lru_cache(maxsize=None)
    def term(self, name: str) -> URIRef:
        return super().term(name)

    def __getattr__(self, name: str) -> URIRef:
        # Kept as an attribute: the next ``UNKG.text`` is found without calling this.
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


DEFAULT_BASE = "https://w3id.org/unkg/"
BASE = _Namespace(os.environ.get("UNKG_BASE", DEFAULT_BASE))
UNKG = _Namespace("https://w3id.org/unkg/ontology#")

ELI = _Namespace("http://data.europa.eu/eli/ontology#")
CITO = _Namespace("http://purl.org/spar/cito/")
DOCO = _Namespace("http://purl.org/spar/doco/")
SD = _Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = _Namespace("http://www.w3.org/ns/shacl#")
UNDO = _Namespace("https://w3id.org/un/ontology/undo/")
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
