"""What a resource page shows, read from the store: the SPARQL behind the linked-data views.

Every function takes the store and an IRI and returns plain dataclasses for the templates, so
views and templates hold no SPARQL. The queries follow the graph's shapes (DESIGN.md, the
vocabulary of ``graph/rdf/documents.py``): paragraphs hang below their document by ``eli:is_part_of``
(annex paragraphs below the annex, which is ``eli:is_annex_of`` the document), citations are
``cito:Citation`` nodes from a citing paragraph or footnote to the cited thing, with the verb in
``unkg:citingVerb``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import pyoxigraph as ox

from graph.namespaces import PREFIXES
from server.annotate import Mark, Segment, annotate
from server import identity
from server.identity import Facts

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
    # A solution iterates over its values in the order of the variables: four times faster
    # than looking each variable up by name twice (2 against 8 µs a row).
    return [{n: v for n, v in zip(names, s) if v is not None} for s in results]


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    return None if term is None else term.value


@dataclass(frozen=True)
class Link:
    iri: str
    label: str


@dataclass(frozen=True)
class CitationLink:
    """How a citation shows in the text: the link (``None`` when the extractor could not
    resolve it), the tooltip naming what it cites, and the further things the same words cite
    ("vols. 2225, 2237 and 2241"), each with a link of its own."""

    href: str | None
    title: str
    more: list[Link]
    outside: bool


@dataclass(frozen=True)
class Piece:
    """A stretch of a paragraph or footnote as shown: plain text or a citation."""

    text: str
    link: CitationLink | None = None
    opening: bool = False


@dataclass
class Footnote:
    marker: str
    text: str
    iri: str
    span: tuple[int, int] | None = None
    paragraph: str | None = None   # the paragraph on this page holding its marker
    pieces: list[Piece] = field(default_factory=list)


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
    span: tuple[int, int] | None = None
    footnotes: list[Footnote] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)


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
    own: Paragraph | None = None   # the text of a paragraph's or footnote's own page
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
    """A human label for each IRI (the first of ``LABEL_PROPERTIES`` it has), else the IRI.

    The properties are a FILTER, not a second VALUES block: Oxigraph joins two VALUES blocks
    with ``?x ?p ?v`` by reading every statement of the seven properties (2.4 s at 10M quads
    for a resolution's cited things), but looks each ``?x`` up when only it is given (0.07 s
    at 1M against 1.4 s, the same rows). DISTINCT: the union default graph repeats a shared
    thing's label in every graph that mentions it (7,776 rows for a resolution's 105 labels at
    10M quads), and turning each repeat into Python objects was most of the page's time."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    rank = {_expand(p): i for i, p in enumerate(LABEL_PROPERTIES)}
    values = " ".join(f"<{i}>" for i in wanted)
    properties = ", ".join(LABEL_PROPERTIES)
    best: dict[str, tuple[int, str]] = {}
    for row in _rows(store, f"SELECT DISTINCT ?x ?p ?v WHERE {{ VALUES ?x {{ {values} }} "
                            f"?x ?p ?v FILTER(?p IN ({properties})) }}"):
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
    """``text`` as a SPARQL string literal, written by pyoxigraph's own serializer, so that
    every character a client can send (quotes, backslashes, CR, NUL …) is escaped."""
    return str(ox.Literal(text))


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
    """The paragraphs of this resource (not of its sub-documents), in document order.

    Whether a paragraph is in an annex is asked with FILTER EXISTS, not a join with
    ``eli:is_annex_of``: the union default graph repeats that statement in every graph citing
    the annex, and each repeat was a row (731 rows for 107 paragraphs of A/RES/70/174; 70 ms
    against 21 at 10M quads)."""
    rows = _rows(store, f"""
        SELECT ?p ?pos ?number ?opening ?text ?heading ?parentPos ?annex ?preamble ?start ?end
        WHERE {{
          ?p {UP}+ ?r ; unkg:position ?pos .
          OPTIONAL {{ ?p unkg:spanStart ?start }} OPTIONAL {{ ?p unkg:spanEnd ?end }}
          OPTIONAL {{ ?p a unkg:PreambularParagraph . BIND(true AS ?preamble) }}
          OPTIONAL {{ ?p eli:number ?number }}
          OPTIONAL {{ ?p unkg:openingPhrase ?opening }}
          OPTIONAL {{ ?p unkg:text ?text }}
          OPTIONAL {{ ?p unkg:heading ?heading }}
          OPTIONAL {{ ?p eli:is_part_of ?parent . ?parent unkg:position ?parentPos }}
          OPTIONAL {{ ?p {UP}+ ?annex . FILTER EXISTS {{ ?annex eli:is_annex_of ?owner }} }}
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
                                  "preamble" in row, _span(row))
    return list(seen.values())


def _span(row: dict[str, ox.NamedNode]) -> tuple[int, int] | None:
    """The source span ``?start``/``?end`` of a row, when the graph records one."""
    if "start" in row and "end" in row:
        return (int(row["start"].value), int(row["end"].value))
    return None


def _footnotes(store: ox.Store, iri: str) -> tuple[list[Footnote], dict[str, list[Footnote]]]:
    rows = _rows(store, """
        SELECT DISTINCT ?f ?marker ?text ?paragraph ?start ?end WHERE {
          ?f eli:is_part_of ?r ; unkg:marker ?marker .
          OPTIONAL { ?f unkg:text ?text }
          OPTIONAL { ?f unkg:spanStart ?start } OPTIONAL { ?f unkg:spanEnd ?end }
          OPTIONAL { ?paragraph unkg:hasFootnote ?f }
        }""", iri)
    notes: dict[str, Footnote] = {}
    by_paragraph: dict[str, list[Footnote]] = defaultdict(list)
    for row in rows:
        note = notes.setdefault(row["f"].value, Footnote(row["marker"].value,
                                                         _value(row.get("text")) or "",
                                                         row["f"].value, _span(row)))
        if "paragraph" in row:
            by_paragraph[row["paragraph"].value].append(note)
    return sorted(notes.values(), key=_marker_order), {
        paragraph: sorted(found, key=_marker_order) for paragraph, found in by_paragraph.items()}


def _marker_order(note: Footnote) -> tuple[int, str]:
    """Footnotes in printed order: "2" before "10", as the markers count up."""
    return (len(note.marker), note.marker)


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


def _marks(store: ox.Store, iri: str) -> dict[str, list[Mark]]:
    """The citations read in ``iri`` and each paragraph and footnote below it, by citing
    entity."""
    rows = _rows(store, f"""
        SELECT DISTINCT ?c ?citing ?start ?end ?printed ?cited WHERE {{
          ?citing {UP}* ?r .
          ?c cito:hasCitingEntity ?citing ; unkg:spanStart ?start ; unkg:spanEnd ?end ;
             unkg:citedText ?printed .
          OPTIONAL {{ ?c cito:hasCitedEntity ?cited }}
        }}""", iri)
    found: dict[str, list[Mark]] = defaultdict(list)
    for row in rows:
        cited = row.get("cited")
        found[row["citing"].value].append(Mark(
            row["c"].value, int(row["start"].value), int(row["end"].value),
            row["printed"].value, cited.value if isinstance(cited, ox.NamedNode) else None))
    return found


def _natural(iri: str) -> list[tuple[int, str]]:
    """Sort key reading the numbers in an IRI as numbers (``vol/999`` before ``vol/1000``)."""
    return [(int(part), "") if part.isdigit() else (0, part)
            for part in re.split(r"(\d+)", iri) if part]


def _short_name(facts: Facts, iri: str) -> str:
    """What tells one of several things cited by the same words from the others."""
    for name, shown in (("volume", "vol. {}"), ("number", "{}"), ("symbol", "{}")):
        if facts.get(name):
            return shown.format(facts[name][0])
    return compact(iri)


def _pieces(segments: list[Segment], facts: dict[str, Facts]) -> list[Piece]:
    """Template-ready pieces: each citation segment gets its link, tooltip and extra links."""
    pieces = []
    for segment in segments:
        if not segment.marks:
            pieces.append(Piece(segment.text, opening=segment.opening))
            continue
        printed = segment.marks[0].printed
        targets = sorted({m.cited for m in segment.marks if m.cited}, key=_natural)
        if targets:
            title = "; ".join(identity.describe(facts[t], printed) for t in targets)
        else:
            title = f"Unresolved citation: the extractor read “{printed}” but could not tell " \
                    "what it cites"
        if segment.beside:
            title += f" ({segment.beside})"
        pieces.append(Piece(segment.text, CitationLink(
            targets[0] if targets else None, title,
            [Link(t, _short_name(facts[t], t)) for t in targets[1:]], bool(segment.beside)),
            segment.opening))
    return pieces


def _hyperlink(store: ox.Store, iri: str, paragraphs: list[Paragraph],
               footnotes: list[Footnote]) -> None:
    """Give every paragraph and footnote its text as pieces, citations linked."""
    marks = _marks(store, iri)
    facts = identity.identities(store, [m.cited for found in marks.values() for m in found
                                        if m.cited])
    for paragraph in paragraphs:
        paragraph.pieces = _pieces(annotate(
            paragraph.text or "", paragraph.span, marks.get(paragraph.iri, []),
            paragraph.opening), facts)
    for note in footnotes:
        note.pieces = _pieces(annotate(note.text, note.span, marks.get(note.iri, [])), facts)


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
        for note in paragraph.footnotes:
            note.paragraph = paragraph.iri
    own = _own_text(facts, iri)
    _hyperlink(store, iri, paragraphs + ([own] if own else []), footnotes)
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
        own=own, paragraphs=paragraphs, footnotes=footnotes,
        cites=_citations(store, iri, incoming=False),
        cited_by=_citations(store, iri, incoming=True),
        events=_events(store, iri), facts=facts)


def _own_text(facts: list[Fact], iri: str) -> Paragraph | None:
    """A paragraph or footnote as a paragraph of its own page, so its citations link there too."""
    text, start, end = (_text(_first(facts, p)) for p in ("unkg:text", "unkg:spanStart",
                                                          "unkg:spanEnd"))
    if text is None:
        return None
    return Paragraph(iri, None, _text(_first(facts, "unkg:openingPhrase")), text, None, 0,
                     False, False, (int(start), int(end)) if start and end else None)


def _text(value: Link | str | None) -> str | None:
    return value.label if isinstance(value, Link) else value
