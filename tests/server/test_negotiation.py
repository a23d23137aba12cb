"""Accept headers and format names -> formats (shared by /sparql and the linked-data views)."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotAcceptable

from server.negotiation import (CSV, GRAPH_FORMATS, HTML, JSON, JSONLD, RDFXML, RESOURCE_FORMATS,
                                RESULT_FORMATS, TSV, TURTLE, XML, choose)


@pytest.mark.parametrize("offered,accept,name,expected", [
    # no preference: the first format offered
    (RESULT_FORMATS, None, None, JSON),
    (RESULT_FORMATS, "*/*", None, JSON),
    (GRAPH_FORMATS, "", None, TURTLE),
    # q-values and wildcards
    (RESULT_FORMATS, "text/*;q=0.5, application/sparql-results+xml;q=0.4", None, CSV),
    (RESULT_FORMATS, "application/sparql-results+xml, application/json;q=0.9", None, XML),
    # aliases clients send
    (GRAPH_FORMATS, "application/turtle,text/turtle", None, TURTLE),  # SPARQLWrapper
    (GRAPH_FORMATS, "application/xml", None, RDFXML),
    (GRAPH_FORMATS, "application/json", None, JSONLD),
    # a browser gets HTML for a resource, Turtle-first for nothing in particular
    (RESOURCE_FORMATS, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, HTML),
    (RESOURCE_FORMATS, "application/rdf+xml;q=0.9, text/html;q=0.1", None, RDFXML),
    # a name beats Accept, and means different things for results and graphs
    (RESULT_FORMATS, "text/csv", "xml", XML),
    (GRAPH_FORMATS, "text/turtle", "xml", RDFXML),
    (GRAPH_FORMATS, None, "json", JSONLD),
    (GRAPH_FORMATS, None, "application/rdf+xml", RDFXML),
    (RESULT_FORMATS, None, " TSV ", TSV),
], ids=["none", "any", "empty", "text-wildcard", "q-order", "sparqlwrapper-turtle",
        "xml-alias", "json-alias", "browser", "client-q", "name-wins", "xml-graph", "json-graph",
        "media-type-name", "name-case"])
def test_choose(offered, accept, name, expected):
    assert choose(offered, accept, name) is expected


@pytest.mark.parametrize("offered,accept,name", [
    (RESULT_FORMATS, "text/turtle", None),
    (GRAPH_FORMATS, "application/sparql-results+json", None),
    (RESULT_FORMATS, "*/*;q=0", None),
    (RESULT_FORMATS, None, "turtle"),
    (GRAPH_FORMATS, None, "csv"),
], ids=["rdf-for-results", "results-for-rdf", "nothing-acceptable", "bad-name", "csv-graph"])
def test_not_acceptable(offered, accept, name):
    with pytest.raises(NotAcceptable):
        choose(offered, accept, name)
