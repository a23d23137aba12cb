"""The figures of ``/stats``: who is cited most, how far back the corpus reaches, which bodies
and verbs, and how a resolution series recalls its own past.

They are counted once per store version by the build (``graph/statistics.py``, a named graph of
the version) and only read here, with the labels and tooltips of the few things drawn looked up
in the store; a store built before the build counted them (or a test's graph) has them counted
now, by the same code, into a memory store read the same way. Counts are of citation nodes (one
per occurrence of a citation in a paragraph or footnote, ``graph/rdf/documents.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph import statistics
from graph.statistics import BY_BODY, BY_VERB, BY_YEAR, DATASET, GRAPH, selector, short_label
from server.identity import describe, identities

TOP = 10
VERBS = 20   # verbs drawn one by one; the long tail is one bar
KINDS = ("resolution", "treaty", "document")


@dataclass(frozen=True)
class Count:
    """One bar: what, how many, where it links, what its tooltip says."""

    label: str
    value: int
    iri: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Recalled:
    iri: str
    label: str
    year: int
    member: bool   # itself a resolution of the series


@dataclass(frozen=True)
class Member:
    iri: str
    label: str
    year: int
    title: str
    recalls: tuple[Recalled, ...]


@dataclass(frozen=True)
class Series:
    """Documents sharing a title but for their ordinals, with the earlier texts each recalls."""

    title: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class VoidFigure:
    """A figure the release's VoID states too: its VoID term, what it counts, the value."""

    term: str
    about: str
    value: int


@dataclass
class Figures:
    citations: int = 0
    resolved: int = 0
    documents: int = 0
    most_cited: dict[str, list[Count]] = field(default_factory=dict)
    by_year: list[Count] = field(default_factory=list)
    without_year: int = 0
    by_body: list[Count] = field(default_factory=list)
    by_verb: list[Count] = field(default_factory=list)
    without_verb: int = 0
    series: list[Series] = field(default_factory=list)
    void: list[VoidFigure] = field(default_factory=list)


def verb_head(verb: str) -> str:
    """A citing verb without what only nuances it: "Recalling also" and "Recalling further"
    are "Recalling"; "Also requests" is "Requests"; "We reaffirm" stays (the declarations'
    voice)."""
    words = verb.split()
    while len(words) > 1 and words[-1].lower() in ("also", "further"):
        words.pop()
    if len(words) > 1 and words[0].lower() in ("also", "further"):
        words.pop(0)
    head = " ".join(words)
    return head[:1].upper() + head[1:]


def figures(store: Any) -> Figures:
    """Every figure of ``/stats``: read from the statistics ``store`` holds, else counted now."""
    source = store if statistics.stored(store) else statistics.computed(store)
    read = selector(source)
    found = Figures()
    _totals(read, found)
    _most_cited(read, store, found)
    _charts(read, found)
    found.series = _series(read)
    return found


def _totals(read: statistics.Select, found: Figures) -> None:
    rows = read(f"""SELECT ?citations ?documents WHERE {{ GRAPH <{GRAPH}> {{
        <{DATASET}> void:classPartition ?p . ?p void:class cito:Citation ; void:entities ?citations
        OPTIONAL {{ ?p void:propertyPartition [ void:property unkg:inDocument ;
                                                void:distinctObjects ?documents ] }} }} }}""")
    distinct = {r["x"]: (int(r["s"]), int(r["o"])) for r in read(f"""SELECT ?x ?s ?o WHERE {{
        GRAPH <{GRAPH}> {{ <{DATASET}> void:propertyPartition [ void:property ?x ;
                            void:distinctSubjects ?s ; void:distinctObjects ?o ] }} }}""")}
    found.citations = int(rows[0]["citations"]) if rows else 0
    found.documents = int(rows[0].get("documents", 0)) if rows else 0
    cito, unkg = "http://purl.org/spar/cito/", "https://w3id.org/unkg/ontology#"
    cited = distinct.get(f"{cito}hasCitedEntity", (0, 0))
    found.resolved = cited[0]
    found.void = [
        VoidFigure("void:classPartition [ void:class cito:Citation ] void:entities",
                   "citations", found.citations),
        VoidFigure("void:propertyPartition [ void:property cito:hasCitedEntity ] "
                   "void:distinctSubjects", "citations resolved to a resource", cited[0]),
        VoidFigure("void:propertyPartition [ void:property cito:hasCitedEntity ] "
                   "void:distinctObjects", "resources cited", cited[1]),
        VoidFigure("void:propertyPartition [ void:property cito:hasCitingEntity ] "
                   "void:distinctObjects", "paragraphs, footnotes and documents citing",
                   distinct.get(f"{cito}hasCitingEntity", (0, 0))[1]),
        VoidFigure("void:propertyPartition [ void:property unkg:citingVerb ] "
                   "void:distinctObjects", "citing verbs as printed",
                   distinct.get(f"{unkg}citingVerb", (0, 0))[1]),
    ]


# Each kind of ``KINDS`` as ``graph.statistics.kind`` tells it: its classes, and the classes of
# the kinds before it, which win.
_KIND_CLASSES = {"resolution": ("Resolution", "Decision"), "treaty": ("Treaty",),
                 "document": ("Document", "DraftResolution", "Report")}


def _most_cited(read: statistics.Select, store: Any, found: Figures) -> None:
    """The ``TOP`` most cited of each kind, ranked in the statistics graph (which states the
    classes of every cited thing once, as ``dcterms:type``), then labelled from the store. The ``TOP``-th count is
    found first, and only what reaches it is ranked in full: Oxigraph sorts numbers quickly,
    IRIs (the tie break) slowly."""
    ranked: dict[str, list[tuple[str, int, int]]] = {}
    before: list[str] = []
    for name, classes in _KIND_CLASSES.items():
        mine = ", ".join(f"unkg:{c}" for c in classes)
        beaten = (f"FILTER NOT EXISTS {{ ?x dcterms:type ?other FILTER(?other IN "
                  f"({', '.join(f'unkg:{c}' for c in before)})) }}" if before else "")
        # The classes and the counts read apart and joined as two tables (a lookup per
        # counted thing took seconds at 10M quads), as cq7b does.
        where = f"""{{ SELECT DISTINCT ?x WHERE {{ GRAPH <{GRAPH}> {{ ?x dcterms:type ?class
                      FILTER(?class IN ({mine})) {beaten} }} }} }}
                    {{ SELECT ?x ?n ?docs WHERE {{ GRAPH <{GRAPH}> {{ ?x unkg:citationCount ?n ;
                      unkg:citingDocumentCount ?docs FILTER(?n > 0) }} }} }}"""
        least = read(f"SELECT (MIN(?n) AS ?least) WHERE {{ {{ SELECT DISTINCT ?x ?n WHERE {{ "
                     f"{where} }} ORDER BY DESC(?n) LIMIT {TOP} }} }}")
        reached = [(r["x"], int(r["n"]), int(r["docs"])) for r in read(
            f"SELECT DISTINCT ?x ?n ?docs WHERE {{ {where} FILTER(?n >= {least[0].get('least', 0)}) }}")
        ] if least and "least" in least[0] else []
        ranked[name] = sorted(reached, key=lambda r: (-r[1], r[0]))[:TOP]
        before += classes
    facts = identities(store, [x for rows in ranked.values() for x, _, _ in rows])
    found.most_cited = {name: [
        Count(short_label(facts[x], x), n, x, f"{describe(facts[x])}: {n} citations"
              + (f" in {docs} documents" if docs else "")) for x, n, docs in rows]
        for name, rows in ranked.items()}


def _charts(read: statistics.Select, found: Figures) -> None:
    """Citations by year, body and verb (grouped by ``verb_head``, the long tail one bar)."""
    years, bodies, verbs = [], [], []
    for row in read(f"""SELECT ?set ?n ?year ?code ?body ?verb WHERE {{ GRAPH <{GRAPH}> {{
            ?o qb:dataSet ?set ; unkg:citationCount ?n
            OPTIONAL {{ ?o dcterms:date ?year }} OPTIONAL {{ ?o unkg:verb ?verb }}
            OPTIONAL {{ ?o skos:notation ?code ; dcterms:creator ?body }} }} }}"""):
        n = int(row["n"])
        if row["set"] == BY_YEAR:
            if "year" in row:
                years.append((int(row["year"]), n))
            else:
                found.without_year = n
        elif row["set"] == BY_BODY:
            bodies.append((row["code"], row["body"], n))
        elif row["set"] == BY_VERB:
            if "verb" in row:
                verbs.append((row["verb"], n))
            else:
                found.without_verb = n
    found.by_year = [Count(str(y), n, note=f"{n} citations of documents of {y}")
                     for y, n in sorted(years)]
    found.by_body = [Count(code, n, body, f"{n} citations of resolutions and decisions of the {code}")
                     for code, body, n in sorted(bodies, key=lambda b: (-b[2], b[0]))]
    found.by_verb = _by_verb(verbs)


def _by_verb(printed: list[tuple[str, int]]) -> list[Count]:
    heads: dict[str, int] = defaultdict(int)
    forms: dict[str, set[str]] = defaultdict(set)
    for verb, n in printed:
        heads[verb_head(verb)] += n
        forms[verb_head(verb)].add(verb)
    ranked = sorted(heads.items(), key=lambda x: (-x[1], x[0]))
    counts = [Count(v, n, note=f"{n} citations: " + ", ".join(sorted(forms[v])))
              for v, n in ranked[:VERBS]]
    rest = ranked[VERBS:]
    if rest:
        counts.append(Count(f"{len(rest)} other verbs", sum(n for _, n in rest),
                            note=", ".join(f"{v} ({n})" for v, n in rest)))
    return counts


def _series(read: statistics.Select) -> list[Series]:
    rows = read(f"""SELECT ?s ?title ?iri ?year ?mtitle ?label ?recalled ?ryear ?rlabel WHERE {{
        GRAPH <{GRAPH}> {{ ?s skos:prefLabel ?title ; skos:member ?m .
          ?m rdf:value ?iri ; dcterms:date ?year ; dcterms:title ?mtitle ; skos:notation ?label .
          OPTIONAL {{ ?m unkg:recalls ?r . ?r rdf:value ?recalled ; dcterms:date ?ryear ;
                                             skos:notation ?rlabel }} }} }}""")
    titles: dict[str, str] = {}
    members: dict[str, dict[str, tuple[int, str, str, set[tuple[int, str, str]]]]] = defaultdict(dict)
    for row in rows:
        titles[row["s"]] = row["title"]
        _, _, _, recalls = members[row["s"]].setdefault(
            row["iri"], (int(row["year"]), row["mtitle"], row["label"], set()))
        if "recalled" in row:
            recalls.add((int(row["ryear"]), row["recalled"], row["rlabel"]))
    series = []
    for name in sorted(titles, key=lambda s: int(s.rpartition("-")[2])):
        group = members[name]
        series.append(Series(titles[name], tuple(
            Member(iri, label, year, title, tuple(
                Recalled(cited, recalled, when, cited in group)
                for when, cited, recalled in sorted(recalls)))
            for iri, (year, title, label, recalls) in sorted(group.items(),
                                                              key=lambda m: (m[1][0], m[0])))))
    return series
