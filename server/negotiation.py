"""Choosing a representation: the ``Accept`` header or a ``format`` name -> a ``Format``.

Shared by the SPARQL endpoint and the linked-data views, so a client gets the same media type
for the same request wherever it asks. Each format has one canonical media type (sent in
``Content-Type``) and aliases that clients send in the wild (SPARQLWrapper asks for
``application/turtle``, browsers for ``application/xml``); names are what ``?format=`` takes,
and depend on what is being served: ``json`` means SPARQL JSON for a SELECT and JSON-LD for a
graph, as Virtuoso and SPARQLWrapper assume.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence, cast

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Format:
    """One representation: its name, media types, file extension and pyoxigraph serializer."""

    name: str
    media_type: str
    extension: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header: UTF-8 is stated for every textual format we write."""
        return f"{self.media_type}; charset=utf-8"


JSON = Format("json", "application/sparql-results+json", "srj", ("json", "srj"),
              ("application/json", "text/javascript", "application/javascript"),
              results=ox.QueryResultsFormat.JSON)
XML = Format("xml", "application/sparql-results+xml", "srx", ("xml", "srx"),
             ("application/xml", "text/xml"), results=ox.QueryResultsFormat.XML)
CSV = Format("csv", "text/csv", "csv", ("csv",), results=ox.QueryResultsFormat.CSV)
TSV = Format("tsv", "text/tab-separated-values", "tsv", ("tsv",), results=ox.QueryResultsFormat.TSV)

TURTLE = Format("turtle", "text/turtle", "ttl", ("turtle", "ttl", "n3"),
                ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
                rdf=ox.RdfFormat.TURTLE)
NTRIPLES = Format("ntriples", "application/n-triples", "nt", ("ntriples", "n-triples", "nt"),
                  rdf=ox.RdfFormat.N_TRIPLES)
JSONLD = Format("jsonld", "application/ld+json", "jsonld", ("jsonld", "json-ld", "json"),
                ("application/x-json+ld", "application/json"), rdf=ox.RdfFormat.JSON_LD)
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", ("rdfxml", "rdf+xml", "rdf", "xml"),
                ("application/xml", "text/xml"), rdf=ox.RdfFormat.RDF_XML)
NQUADS = Format("nquads", "application/n-quads", "nq", ("nquads", "n-quads", "nq"),
                rdf=ox.RdfFormat.N_QUADS)
TRIG = Format("trig", "application/trig", "trig", ("trig",), rdf=ox.RdfFormat.TRIG)
HTML = Format("html", "text/html", "html", ("html",), ("application/xhtml+xml",))

RESULT_FORMATS: tuple[Format, ...] = (JSON, XML, CSV, TSV)
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
# What a linked-data resource is offered in: a page first, so that browsers get HTML.
RESOURCE_FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)

ALL_FORMATS: dict[str, Format] = {f.name: f for f in RESULT_FORMATS + GRAPH_FORMATS + (HTML,)}


def by_name(name: str, offered: Sequence[Format]) -> Format:
    """The offered format called ``name`` (a format name or a media type), else 406."""
    wanted = name.strip().lower()
    for fmt in offered:
        if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.aliases:
            return fmt
    raise NotAcceptable(
        f"format {name!r} is not available here; use one of "
        + ", ".join(f.names[0] for f in offered))


ACCEPT_MEMO = 512  # Accept headers (of at most ACCEPT_MEMO_LENGTH characters) whose choice is kept
ACCEPT_MEMO_LENGTH = 512


def by_accept(accept: str | None, offered: Sequence[Format]) -> Format:
    """The offered format the ``Accept`` header prefers; a missing header accepts anything.

    Canonical media types are matched before aliases, so ``*/*`` gets the first format offered
    and ``application/xml`` only picks a format when nothing more specific was asked for.
    Clients send the same few headers again and again, and parsing one costs a tiny query's
    time again (about 50 µs), so the choice is remembered for short headers.
    """
    header = accept or "*/*"
    if len(header) > ACCEPT_MEMO_LENGTH:
        return _best(header, tuple(offered))
    return _remembered(header, tuple(offered))


def _best(accept: str, offered: tuple[Format, ...]) -> Format:
    parsed = parse_accept_header(accept, MIMEAccept)
    candidates = [f.media_type for f in offered] + [a for f in offered for a in f.aliases]
    best = parsed.best_match(candidates)
    if best is None:
        raise NotAcceptable(
            f"none of the media types in Accept ({accept}) is available; this resource has "
            + ", ".join(f.media_type for f in offered))
    return next(f for f in offered if best == f.media_type or best in f.aliases)


_remembered = lru_cache(maxsize=ACCEPT_MEMO)(_best)


def choose(offered: Sequence[Format], accept: str | None, name: str | None = None) -> Format:
    """A ``format`` name wins over ``Accept`` (it is what links and download buttons use)."""
    return by_name(name, offered) if name else by_accept(accept, offered)


def write_graph(triples: Iterable[ox.Triple], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Triples in ``fmt`` by pyoxigraph's serializer, with prefixes where the format has them."""
    uses_prefixes = fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    data = ox.serialize(triples, format=fmt.rdf, prefixes=prefixes if uses_prefixes else None)
    return cast(bytes, data)  # without an output argument pyoxigraph returns the bytes
