"""The project's namespaces as plain strings, for pyoxigraph (which takes no rdflib terms)."""

from __future__ import annotations

from flask import current_app

from graph.namespaces import PREFIXES


def prefixes() -> dict[str, str]:
    """Prefix -> namespace, for query parsing and Turtle output; ``kg:`` is the instance base."""
    return {**{prefix: str(ns) for prefix, ns in PREFIXES.items()},
            "kg": current_app.config["BASE"]}
