"""unkg's extractor and graph builder: the pipeline, one verb per stage.

corpus file -> ``read_document`` -> ``find_citations`` / ``resolve_citations`` (or both at once,
per document, ``extract_references``) -> ``document_graph`` -> ``build_corpus`` into the store.
"""

from graph.build import build_corpus
from graph.citations import extract_references
from graph.find import find_citations
from graph.rdf import document_graph
from graph.readers import read_document
from graph.resolve import resolve_citations

__all__ = ["read_document", "find_citations", "resolve_citations", "extract_references",
           "document_graph", "build_corpus"]
