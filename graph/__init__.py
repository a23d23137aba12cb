"""unkg's extractor and graph builder: the pipeline, one verb per stage, one folder per step.

corpus file -> ``readers`` (``read_document``) -> ``citations`` (``find_citations`` /
``resolve_citations``, or both at once per document, ``extract_references``) and ``entities``
-> ``rdf`` (``document_graph``) -> ``build_corpus`` into the ``store``; ``validate`` and
``release`` at the top. Imports go one way: a step imports only the steps before it, and
``document``, ``iris``, ``namespaces`` and ``data`` that all share.
"""

from graph.build import build_corpus
from graph.citations.find import find_citations
from graph.citations.references import extract_references
from graph.citations.resolve import resolve_citations
from graph.rdf.documents import document_graph
from graph.readers import read_document

__all__ = ["read_document", "find_citations", "resolve_citations", "extract_references",
           "document_graph", "build_corpus"]
