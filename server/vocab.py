"""The project's namespaces as plain strings, for pyoxigraph (which takes no rdflib terms)."""

from __future__ import annotations

from graph.namespaces import PREFIXES


def prefixes() -> dict[str, str]:
    """Prefix -> namespace, for query parsing and RDF output.

    The instance base has no prefix: its local names hold slashes (``res/ga/70/174``), which
    Turtle and SPARQL would have to escape, so full IRIs read better.
    """
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}
