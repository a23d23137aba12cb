"""What a resource page shows, read from the store: the SPARQL behind the linked-data views.

Every function takes the store and an IRI and returns plain dataclasses for the templates, so
views and templates hold no SPARQL. The queries follow the graph's shapes (DESIGN.md, the
vocabulary of ``graph/rdf.py``): paragraphs hang below their document by ``eli:is_part_of``
(annex paragraphs below the annex, which is ``eli:is_annex_of`` the document), citations are
``cito:Citation`` nodes from a citing paragraph or footnote to the cited thing, with the verb in
``unkg:citingVerb``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import pyoxigraph as ox

from graph.namespaces import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
# Which property names a thing, best first.
LABEL_PROPERTIES = ("dcterms:identifier", "dcterms:title", "skos:prefLabel", "schema:name",
                    "rdfs:label", "eli:number", "unkg:marker")
UP = "(eli:is_part_of|eli:is_annex_of)"


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return str(PREFIXES[prefix]) + local


def _rows(store: ox.Store, query: str, iri: str | None = None) -> list[dict[str, ox.NamedNode]]:
    """The solutions of ``query`` as dicts; ``?r`` is bound to ``iri`` by a VALUES block at the
    top of the WHERE clause (pyoxigraph's substitutions need ?r in the projection)."""
    if iri is not None:
        query = query.replace("WHERE {", f"WHERE {{ VALUES ?r {{ {ox.NamedNode(iri)} }}", 1)
    results = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    if not isinstance(results, ox.QuerySolutions):
        raise TypeError("page queries are SELECT queries")
    names = [v.value for v in results.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in results]


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    return None if term is None else term.value


@dataclass(frozen=True)
class Link:
    iri: str
    label: str


@dataclass
class Footnote:
    marker: str
    text: str
    iri: str


@dataclass
class Paragraph:
    iri: str
    number: str | None
    opening: str | None
    text: str | None
    heading: str | None
    depth: int
    annex: bool
    preamble: bool
    footnotes: list[Footnote] = field(default_factory=list)


@dataclass(frozen=True)
class Citation:
    """One citation as a page lists it: where it is, the verb, and the other end."""

    document: Link
    location: Link
    verb: str | None
    other: Link | None
    text: str | None


@dataclass(frozen=True)
class Fact:
    property: str
    values: list[Link | str]


@dataclass
class ResourcePage:
    iri: str
    label: str
    types: list[str]
    title: str | None = None
    symbol: str | None = None
    date: str | None = None
    session: str | None = None
    body: Link | None = None
    venue: str | None = None
    start: str | None = None
    end: str | None = None
    see_also: list[str] = field(default_factory=list)
    parts: list[Link] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)
    cited_by: list[Citation] = field(default_factory=list)
    events: list[Fact] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


def compact(iri: str) -> str:
    """``https://w3id.org/unkg/ontology#session`` -> ``unkg:session``."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """A human label for each IRI (the first of ``LABEL_PROPERTIES`` it has), else the IRI."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    rank = {_expand(p): i for i, p in enumerate(LABEL_PROPERTIES)}
    values = " ".join(f"<{i}>" for i in wanted)
    properties = " ".join(LABEL_PROPERTIES)
    best: dict[str, tuple[int, str]] = {}
    for row in _rows(store, f"SELECT ?x ?p ?v WHERE {{ VALUES ?x {{ {values} }} "
                            f"VALUES ?p {{ {properties} }} ?x ?p ?v }}"):
        iri, score, text = row["x"].value, rank[row["p"].value], row["v"].value
        if iri not in best or (score, text) < best[iri]:
            best[iri] = (score, text)
    return {i: best[i][1] if i in best else compact(i) for i in wanted}


def exists(store: ox.Store, iri: str) -> bool:
    """Whether the graph says anything about ``iri`` (as subject or object)."""
    return bool(store.query(PROLOGUE + "ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }",
                            use_default_graph_as_union=True,
                            substitutions={ox.Variable("r"): ox.NamedNode(iri)}))


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The triples served for ``iri``: all it states, and every statement pointing at it."""
    results = store.query("CONSTRUCT { ?r ?p ?o . ?s ?q ?r } WHERE { { ?r ?p ?o } UNION "
                          "{ ?s ?q ?r } }", use_default_graph_as_union=True,
                          substitutions={ox.Variable("r"): ox.NamedNode(iri)})
    if not isinstance(results, ox.QueryTriples):
        raise TypeError("a description is a CONSTRUCT query")
    return list(results)


def by_symbol(store: ox.Store, symbol: str) -> str | None:
    """The resource whose ``dcterms:identifier`` is ``symbol``: exactly, else ignoring case
    and spaces ("A/RES/70/ 174"); the shortest IRI wins when several share it."""
    wanted = "".join(symbol.split())
    for condition in (f"?r dcterms:identifier {_literal(wanted)}",
                      f"?r dcterms:identifier ?id . FILTER(LCASE(REPLACE(STR(?id), '\\\\s', ''))"
                      f" = {_literal(wanted.lower())})"):
        rows = _rows(store, f"SELECT ?r WHERE {{ {condition} }} ORDER BY STRLEN(STR(?r)) LIMIT 1")
        if rows:
            return rows[0]["r"].value
    return None


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def search(store: ox.Store, text: str, limit: int = 50) -> list[Link]:
    """Resources whose symbol, title or label contains ``text`` (case-insensitive)."""
    needle = _literal(text.strip().lower())
    properties = " ".join(LABEL_PROPERTIES[:5])
    rows = _rows(store, f"SELECT DISTINCT ?r WHERE {{ VALUES ?p {{ {properties} }} ?r ?p ?v . "
                        f"FILTER(CONTAINS(LCASE(STR(?v)), {needle})) }} "
                        f"ORDER BY STRLEN(STR(?r)) ?r LIMIT {int(limit)}")
    found = [r["r"].value for r in rows if isinstance(r["r"], ox.NamedNode)]
    names = labels(store, found)
    return [Link(i, names[i]) for i in found]


def _paragraphs(store: ox.Store, iri: str) -> list[Paragraph]:
    """The paragraphs of this resource (not of its sub-documents), in document order."""
    rows = _rows(store, f"""
        SELECT ?p ?pos ?number ?opening ?text ?heading ?parentPos ?annex ?preamble WHERE {{
          ?p {UP}+ ?r ; unkg:position ?pos .
          OPTIONAL {{ ?p a unkg:PreambularParagraph . BIND(true AS ?preamble) }}
          OPTIONAL {{ ?p eli:number ?number }}
          OPTIONAL {{ ?p unkg:openingPhrase ?opening }}
          OPTIONAL {{ ?p unkg:text ?text }}
          OPTIONAL {{ ?p unkg:heading ?heading }}
          OPTIONAL {{ ?p eli:is_part_of ?parent . ?parent unkg:position ?parentPos }}
          OPTIONAL {{ ?p {UP}+ ?annex . ?annex eli:is_annex_of ?owner }}
          FILTER NOT EXISTS {{
            ?p eli:is_part_of+ ?sub . ?sub eli:is_part_of ?r .
            FILTER NOT EXISTS {{ ?sub unkg:position ?subPos }}
            FILTER NOT EXISTS {{ ?sub unkg:marker ?subMarker }}
          }}
        }} ORDER BY ?pos""", iri)
    seen: dict[str, Paragraph] = {}
    for row in rows:
        key = row["p"].value
        if key not in seen:
            seen[key] = Paragraph(key, _value(row.get("number")), _value(row.get("opening")),
                                  _value(row.get("text")), _value(row.get("heading")),
                                  1 if "parentPos" in row else 0, "annex" in row,
                                  "preamble" in row)
    return list(seen.values())


def _footnotes(store: ox.Store, iri: str) -> tuple[list[Footnote], dict[str, list[Footnote]]]:
    rows = _rows(store, """
        SELECT ?f ?marker ?text ?paragraph WHERE {
          ?f eli:is_part_of ?r ; unkg:marker ?marker .
          OPTIONAL { ?f unkg:text ?text }
          OPTIONAL { ?paragraph unkg:hasFootnote ?f }
        }""", iri)
    notes: dict[str, Footnote] = {}
    by_paragraph: dict[str, list[Footnote]] = defaultdict(list)
    for row in rows:
        note = notes.setdefault(row["f"].value, Footnote(row["marker"].value,
                                                         _value(row.get("text")) or "",
                                                         row["f"].value))
        if "paragraph" in row:
            by_paragraph[row["paragraph"].value].append(note)
    ordered = sorted(notes.values(), key=lambda n: (len(n.marker), n.marker))
    return ordered, by_paragraph


def _citations(store: ox.Store, iri: str, *, incoming: bool) -> list[Citation]:
    """Citations made inside ``iri`` (outgoing) or of ``iri`` by other documents (incoming)."""
    if incoming:
        where = f"""?c cito:hasCitedEntity ?r ; cito:hasCitingEntity ?citing .
                    ?citing {UP}* ?document .
                    FILTER NOT EXISTS {{ ?document {UP} ?up }}
                    BIND(?citing AS ?other)"""
    else:
        where = f"""?citing {UP}* ?r . ?c cito:hasCitingEntity ?citing .
                    OPTIONAL {{ ?c cito:hasCitedEntity ?other }}
                    BIND(?r AS ?document)"""
    rows = _rows(store, f"""
        SELECT DISTINCT ?c ?citing ?document ?other ?verb ?text WHERE {{
          ?c a cito:Citation .
          {where}
          OPTIONAL {{ ?c unkg:citingVerb ?verb }}
          OPTIONAL {{ ?c unkg:citedText ?text }}
        }}""", iri)
    names = labels(store, [r[k].value for r in rows for k in ("citing", "document", "other")
                           if k in r and isinstance(r[k], ox.NamedNode)])
    citations = []
    for row in rows:
        other = row.get("other")
        location = row["citing"].value
        citations.append(Citation(
            document=Link(row["document"].value, names.get(row["document"].value, "")),
            location=Link(location, _location_label(location, row["document"].value)),
            verb=_value(row.get("verb")),
            other=Link(other.value, names.get(other.value, other.value))
            if isinstance(other, ox.NamedNode) else None,
            text=_value(row.get("text"))))
    return sorted(citations, key=lambda c: (c.document.label, c.location.iri,
                                            c.other.iri if c.other else ""))


def _location_label(location: str, document: str) -> str:
    """``.../res/ga/70/174/para/3`` in ``.../res/ga/70/174`` -> ``para/3``."""
    if location == document:
        return "(document)"
    return location[len(document) + 1:] if location.startswith(document + "/") else location


def _facts(store: ox.Store, iri: str) -> list[Fact]:
    rows = _rows(store, "SELECT DISTINCT ?p ?o WHERE { ?r ?p ?o } ORDER BY ?p ?o", iri)
    names = labels(store, [r["o"].value for r in rows if isinstance(r["o"], ox.NamedNode)])
    grouped: dict[str, list[Link | str]] = defaultdict(list)
    for row in rows:
        value = row["o"]
        grouped[compact(row["p"].value)].append(
            Link(value.value, names[value.value]) if isinstance(value, ox.NamedNode)
            else value.value)
    return [Fact(p, v) for p, v in grouped.items()]


def _events(store: ox.Store, iri: str) -> list[Fact]:
    """For a congress: its declaration and the resolution endorsing it; for a declaration:
    its congress and endorsing resolution."""
    rows = _rows(store, """
        SELECT ?congress ?declaration ?endorsedBy WHERE {
          { ?r unkg:declaration ?declaration . BIND(?r AS ?congress) }
          UNION { ?r unkg:outcomeOf ?congress . BIND(?r AS ?declaration) }
          OPTIONAL { ?declaration unkg:endorsedBy ?endorsedBy }
        }""", iri)
    found = [(name, row[key].value) for row in rows
             for name, key in (("Congress", "congress"), ("Declaration", "declaration"),
                               ("Endorsed by", "endorsedBy")) if key in row]
    names = labels(store, [i for _, i in found])
    grouped: dict[str, list[Link | str]] = defaultdict(list)
    for name, value in found:
        if value != iri and Link(value, names[value]) not in grouped[name]:
            grouped[name].append(Link(value, names[value]))
    return [Fact(name, values) for name, values in grouped.items()]


def _first(facts: list[Fact], prop: str) -> Link | str | None:
    return next((f.values[0] for f in facts if f.property == prop and f.values), None)


def resource_page(store: ox.Store, iri: str) -> ResourcePage:
    """Everything the HTML page of ``iri`` shows."""
    facts = _facts(store, iri)
    types = [v.label if isinstance(v, Link) and v.label != v.iri else compact(v.iri)
             for f in facts if f.property == "rdf:type" for v in f.values if isinstance(v, Link)]
    footnotes, by_paragraph = _footnotes(store, iri)
    paragraphs = _paragraphs(store, iri)
    for paragraph in paragraphs:
        paragraph.footnotes = by_paragraph.get(paragraph.iri, [])
    parts = _rows(store, "SELECT DISTINCT ?part WHERE { ?part eli:is_part_of|eli:is_annex_of ?r . "
                         "FILTER NOT EXISTS { ?part unkg:position ?pos } "
                         "FILTER NOT EXISTS { ?part unkg:marker ?marker } } ORDER BY ?part", iri)
    part_names = labels(store, [r["part"].value for r in parts])
    body = _first(facts, "eli:passed_by")
    return ResourcePage(
        iri=iri, label=labels(store, [iri])[iri], types=types,
        title=_text(_first(facts, "dcterms:title")),
        symbol=_text(_first(facts, "dcterms:identifier")),
        date=_text(_first(facts, "eli:date_document")),
        session=_text(_first(facts, "unkg:session")),
        body=body if isinstance(body, Link) else None,
        venue=_text(_first(facts, "schema:location")),
        start=_text(_first(facts, "schema:startDate")),
        end=_text(_first(facts, "schema:endDate")),
        see_also=[v.iri for f in facts if f.property == "rdfs:seeAlso" for v in f.values
                  if isinstance(v, Link)],
        parts=[Link(r["part"].value, part_names[r["part"].value]) for r in parts],
        paragraphs=paragraphs, footnotes=footnotes,
        cites=_citations(store, iri, incoming=False),
        cited_by=_citations(store, iri, incoming=True),
        events=_events(store, iri), facts=facts)


def _text(value: Link | str | None) -> str | None:
    return value.label if isinstance(value, Link) else value
