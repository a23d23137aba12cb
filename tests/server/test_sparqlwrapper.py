"""A SPARQL client library (SPARQLWrapper) queries a live server in every format it knows."""

from __future__ import annotations

import csv
import io
from urllib.error import HTTPError

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import (CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE,
                           URLENCODED, XML, SPARQLWrapper)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

SELECT = ("SELECT DISTINCT ?symbol WHERE { ?r a unkg:Resolution ; dcterms:identifier ?symbol } "
          "ORDER BY ?symbol")
SYMBOLS = ["A/RES/70/174", "A/RES/71/209"]
CONSTRUCT = ("CONSTRUCT { ?t a <https://w3id.org/unkg/ontology#Treaty> } "
             "WHERE { ?t a unkg:Treaty }")
TREATY = URIRef("https://w3id.org/unkg/treaty/unts/39574/2225")
REQUESTS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
REQUEST_IDS = ["get", "post-form", "post-direct"]


def wrapper(live, query: str, fmt: str, method: str, request_method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{live.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


def _symbols(fmt: str, converted) -> list[str]:
    if fmt == JSON:
        return [b["symbol"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        return [n.firstChild.firstChild.data for n in converted.getElementsByTagName("binding")]
    rows = csv.DictReader(io.StringIO(converted.decode()), delimiter="," if fmt == CSV else "\t")
    return [row["symbol" if fmt == CSV else "?symbol"].strip('"') for row in rows]


@pytest.mark.parametrize("method,request_method", REQUESTS, ids=REQUEST_IDS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select(live, fmt, method, request_method):
    converted = wrapper(live, SELECT, fmt, method, request_method).query().convert()
    assert _symbols(fmt, converted) == SYMBOLS


def test_ask(live):
    assert wrapper(live, "ASK { ?t a unkg:Treaty }", JSON, GET, URLENCODED).queryAndConvert()[
        "boolean"] is True


@pytest.mark.parametrize("method,request_method", REQUESTS, ids=REQUEST_IDS)
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
def test_construct(live, fmt, method, request_method):
    converted = wrapper(live, CONSTRUCT, fmt, method, request_method).query().convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(
        data=converted, format="turtle")
    assert set(graph.subjects()) == {TREATY}


def test_bad_query_raises_the_clients_bad_query_error(live):
    with pytest.raises(QueryBadFormed, match="error at 1:"):
        wrapper(live, "SELECT * WHERE { ?s }", JSON, GET, URLENCODED).query()


def test_update_is_refused(live):
    """SPARQLWrapper sends INSERT as an ``update`` request; it gets a 403 explaining why."""
    client = wrapper(live, "INSERT DATA { <http://x/s> <http://x/p> 1 }", JSON, POST, URLENCODED)
    with pytest.raises(HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    assert "read-only" in refused.value.read().decode()
