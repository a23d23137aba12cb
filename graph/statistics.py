"""The statistics of a store version: figures that only a build changes, computed once by the
build, after its data is complete and before it is switched in, and kept with the version in a
named graph of their own (``GRAPH``), so that no reader computes them again.

Before, ``unkg serve`` computed them when it opened a version (``/stats``, the ontology page's
usage counts: 270 s of a core at 10M quads after every start and every switch) and the example
query of the most-cited resolutions counted every (document, cited) pair of the store at every
request (5.4 s at 10M). ``derive`` runs in ``graph.build.build_corpus`` (so in every build,
embedded or remote, full or incremental: it removes the previous version's statistics and counts
the whole new version) and in ``bench/scale.py`` on a replicated store.

What the graph holds, in standard vocabulary where there is one (ontology/README.md):

* **VoID** (``DATASET``, the data graphs of the version): ``void:triples`` (statements of the
  union default graph, a statement counted once per graph stating it), ``void:entities``, a
  ``void:classPartition`` per class (``void:entities``) and a ``void:propertyPartition`` per
  property (``void:triples``; the citation properties also ``void:distinctSubjects`` /
  ``void:distinctObjects``); the partition of ``cito:Citation`` holds one of ``unkg:inDocument``
  whose distinct objects are the documents with citations.
* On every cited resource, ``unkg:citationCount`` (its ``cito:Citation`` nodes) and
  ``unkg:citingDocumentCount`` (the documents, known by their ``dcterms:identifier``, that
  ``eli:cites`` it), and its classes again as ``dcterms:type``: the union default graph repeats
  a cited thing's ``rdf:type`` in the graph of every document citing it (1,392 times for a
  treaty at 10M quads), so a ranking by kind (``/stats``, the example query cq7b) reads this
  graph alone.
* **Data Cube**: the citations by year of the cited resolution or document (``dcterms:date``,
  ``xsd:gYear``), by body of the cited resolution (``dcterms:creator`` and its code as
  ``skos:notation``) and by citing verb as printed (``unkg:verb``): a ``qb:Observation`` per
  value with ``unkg:citationCount``; the observation without the dimension counts the
  citations that have no value for it.
* **Series**: documents whose titles agree but for their ordinals, a ``skos:Collection`` each
  (``skos:prefLabel`` the title with "…" for the ordinals), whose ``skos:member`` records name a
  document (``rdf:value``), its year, title and short label (``skos:notation``: not
  ``rdfs:label``, which example queries scan and 94k records would swell at 10M quads), and
  ``unkg:recalls`` records of the earlier resolutions it recalls, with their years and labels
  (so that ``/stats`` looks up nothing: at 10M quads the series name thousands of things).

The graph states nothing the data graphs state (hence ``dcterms:type``, not ``rdf:type``):
every query reads it in the union default graph, where a repeated statement is one more
solution of every pattern it matches (as ``rdf:type``, the classes of 13,904 cited things at 1M
quads made the example query cq5 meet each cited draft twice: 122 -> 188 ms).

The rules (kinds, years, series) are pure functions, tested on rows; ``statistics`` runs the
queries through a ``Select`` function, so any store that answers SPARQL can be counted.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import pyoxigraph as ox

from graph import data, iris
from graph.namespaces import BASE, PREFIXES
from graph.readers.common import DATE_REGEX

GRAPH = f"{BASE}graph/statistics"
DATASET = f"{GRAPH}#dataset"
BY_YEAR, BY_BODY, BY_VERB = (f"{GRAPH}#citations-by-{name}" for name in ("year", "body", "verb"))
SERIES = f"{GRAPH}#series-"
QB = "http://purl.org/linked-data/cube#"
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + f"PREFIX qb: <{QB}>\n"
UP = "(eli:is_part_of|eli:is_annex_of)"
# The properties whose distinct subjects and objects VoID states (the release does too).
DISTINCT = ("cito:hasCitedEntity", "cito:hasCitingEntity", "unkg:citingVerb")
# What the rules need to know of a cited thing, by the name they read it under.
FACTS = {"type": "rdf:type", "date": "eli:date_document", "session": "unkg:session",
         "symbol": "dcterms:identifier", "body": "eli:passed_by/unkg:shortCode",
         "number": "eli:number", "title": "dcterms:title", "label": "rdfs:label"}
_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS = ("tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
          "eighteenth nineteenth").split()
_TENS = "twent thirt fort fift sixt sevent eight ninet".split()
# "Thirteenth", "Twenty-first": ordinals, which change from one resolution of a series to the
# next ("Follow-up to the Thirteenth Congress", "… to the Fourteenth Congress").
ORDINAL_REGEX = re.compile(
    r"\b(?:(?:" + "|".join(_TENS) + r")(?:ieth|y-(?:" + "|".join(_UNITS) + r"))|"
    + "|".join(_TEENS + _UNITS) + r")\b", re.IGNORECASE)
# The verbs with which a text recalls what came before it ("Recalling also", "We reaffirm").
RECALL_REGEX = re.compile(r"\b(?:recall|reaffirm)", re.IGNORECASE)
# A year in a symbol ("E/CN.15/2013/10"), or the session of a General Assembly symbol
# ("A/70/490", "A/C.3/68/L.17").
SYMBOL_YEAR_REGEX = re.compile(r"/((?:19|20)\d\d)(?:/|$)")
GA_SYMBOL_REGEX = re.compile(r"^A/(?:C\.\d/)?(\d{1,2})/")

Facts = dict[str, list[str]]
Select = Callable[[str], list[dict[str, str]]]


def selector(store: Any) -> Select:
    """SELECT queries over the union default graph of ``store`` (a ``pyoxigraph.Store`` or
    anything with its ``query``), each row the values of its bound variables."""
    def select(query: str) -> list[dict[str, str]]:
        results = store.query(PROLOGUE + query, use_default_graph_as_union=True)
        if not isinstance(results, ox.QuerySolutions):
            raise TypeError("a SELECT query")
        names = [v.value for v in results.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in results]
    return select


# ---------------------------------------------------------------------------------------------
# The rules


def kind(facts: Facts) -> str:
    """``resolution`` (and decision), ``treaty``, ``document`` or ``other`` (a paragraph)."""
    types = {t.rpartition("#")[2] for t in facts.get("type", [])}
    if types & {"Resolution", "Decision"}:
        return "resolution"
    if "Treaty" in types:
        return "treaty"
    return "document" if types & {"Document", "DraftResolution", "Report"} else "other"


def year_of(facts: Facts, printed: str = "") -> int | None:
    """The year of a cited document: its own date; else the last date printed with the
    citation; else what its number says (ECOSOC "2014/22"; a General Assembly session, one a
    year, from the body table: session 70 opened in 2015); else a year in its symbol."""
    first = {name: values[0] for name, values in facts.items() if values}
    if date := first.get("date"):
        return int(date[:4]) if date[:4].isdigit() else int(date[-4:])
    if dates := DATE_REGEX.findall(printed):
        return int(dates[-1][2])
    session, body = first.get("session"), data.body_by_code(first.get("body"))
    if session and session.isdigit() and body:
        if body.numbering in ("year", "year-in-parentheses") and len(session) == 4:
            return int(session)
        if body.sessions and body.sessions.per_year == 1:
            return body.sessions.year - body.sessions.held + int(session)
    symbol = first.get("symbol", "")
    if match := SYMBOL_YEAR_REGEX.search(symbol):
        return int(match.group(1))
    ga = data.body_by_code("GA")
    if (match := GA_SYMBOL_REGEX.match(symbol)) and ga and ga.sessions:
        return ga.sessions.year - ga.sessions.held + int(match.group(1))
    return None


def _roman(number: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def printed_number(number: str, session: str | None, code: str | None) -> str:
    """The number as the body printed it: ``7/155 C`` of ECOSOC -> ``155 C (VII)``, since the
    Council numbered by session with a Roman numeral until 1978; ``70/174`` stays."""
    body = data.body_by_code(code)
    own, _, rest = number.partition("/")
    if (body and body.numbered_from and session and session.isdigit() and rest
            and own == session and int(session) < body.numbered_from):
        return f"{rest} ({_roman(int(session))})"
    return number


def short_label(facts: Facts, iri: str) -> str:
    """A short name: "GA 46/152", "ECOSOC 155 C (VII)", a treaty's title, a symbol."""
    first = {name: values[0] for name, values in facts.items() if values}
    if kind(facts) == "resolution" and "number" in first:
        code = first.get("body")
        number = printed_number(first["number"], first.get("session"), code)
        return f"{code} {number}" if code else number
    return (first.get("symbol") or first.get("title") or first.get("label")
            or iri.rpartition("/unkg/")[2])


def series_key(title: str) -> str:
    """A title with its ordinals blanked: the same for each resolution of a yearly series."""
    return " ".join(ORDINAL_REGEX.sub("…", title).lower().split())


def same_series(one: str, other: str) -> bool:
    """Whether two series keys name one series: equal, or the shorter (holding an ordinal)
    inside the longer."""
    shorter, longer = sorted((one, other), key=len)
    return shorter == longer or ("…" in shorter and shorter in longer)


def group_series(keys: dict[str, str]) -> list[set[str]]:
    """The documents of ``keys`` (IRI -> series key) in series of two or more."""
    groups: list[set[str]] = []
    for iri in sorted(keys, key=lambda i: len(keys[i])):
        joined = [g for g in groups if any(same_series(keys[o], keys[iri]) for o in g)]
        merged = {iri}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    return [g for g in groups if len(g) > 1]


# ---------------------------------------------------------------------------------------------
# The figures, counted


@dataclass(frozen=True)
class Member:
    """A document of a series: its year, title, short label ("GA 70/174"; a draft inside a
    report: "A/70/490, draft 12") and the earlier resolutions it recalls."""

    iri: str
    year: int
    title: str
    label: str
    recalls: tuple[tuple[str, int, str], ...]   # (resolution, year, label)


@dataclass
class Statistics:
    triples: int = 0
    entities: int = 0
    classes: dict[str, int] | None = None      # class -> instances
    properties: dict[str, int] | None = None   # property -> statements
    distinct: dict[str, tuple[int, int]] | None = None  # property -> (subjects, objects)
    citations: int = 0
    documents: int = 0                          # documents with citations
    cited: dict[str, tuple[int, int]] | None = None     # resource -> (citations, documents)
    types: dict[str, list[str]] | None = None   # cited resource -> its classes
    by_year: Counter[int | None] | None = None
    by_body: Counter[str] | None = None
    by_verb: Counter[str | None] | None = None
    series: list[tuple[str, list[Member]]] | None = None


def facts_of(select: Select, things: str, names: Iterable[str] = tuple(FACTS)
             ) -> dict[str, Facts]:
    """``FACTS`` (those of ``names``) of every ``?x`` the pattern ``things`` binds, values
    sorted. Each thing is found once (``SELECT DISTINCT``) before its properties are read: the
    union default graph repeats a cited thing's statements in every graph that cites it. The
    values are sorted here, not by the query: Oxigraph compares IRIs and long strings by
    reading them from the store, which at 10M quads made each sort take minutes."""
    found: dict[str, Facts] = defaultdict(lambda: defaultdict(list))
    for name in names:
        for row in select(f"SELECT DISTINCT ?x ?v WHERE {{ {{ SELECT DISTINCT ?x WHERE {{ "
                          f"{things} }} }} ?x {FACTS[name]} ?v }}"):
            found[row["x"]][name].append(row["v"])
    for facts in found.values():
        for values in facts.values():
            values.sort()
    return found


def _count(select: Select, query: str) -> int:
    [row] = select(query)
    return int(row["n"])


def _void(select: Select, found: Statistics) -> None:
    found.triples = _count(select, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    found.entities = _count(select, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?x }")
    found.classes, found.properties = partitions(select)
    found.distinct = {}
    for name in DISTINCT:
        [row] = select(f"SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects) "
                       f"WHERE {{ ?s {name} ?o }}")
        found.distinct[_expand(name)] = (int(row["subjects"]), int(row["objects"]))
    [row] = select("SELECT (COUNT(DISTINCT ?c) AS ?citations) (COUNT(DISTINCT ?d) AS ?documents) "
                   "WHERE { ?c a cito:Citation OPTIONAL { ?c unkg:inDocument ?d } }")
    found.citations, found.documents = int(row["citations"]), int(row["documents"])


def partitions(select: Select) -> tuple[dict[str, int], dict[str, int]]:
    """Instances per class and statements per property, counted (two full scans)."""
    return ({r["x"]: int(r["n"]) for r in select(
                "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?x } GROUP BY ?x")},
            {r["x"]: int(r["n"]) for r in select(
                "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?x ?o } GROUP BY ?x")})


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{PREFIXES[prefix]}{local}"


def statistics(select: Select) -> Statistics:
    """Every figure, counted over the union default graph ``select`` queries."""
    found = Statistics()
    _void(select, found)
    printed = select("SELECT ?x ?printed (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cito:Citation ; "
                     "cito:hasCitedEntity ?x OPTIONAL { ?c unkg:citedText ?printed } } "
                     "GROUP BY ?x ?printed")
    documents = {r["x"]: int(r["n"]) for r in select(
        "SELECT ?x (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d dcterms:identifier ?symbol ; "
        "eli:cites ?x } GROUP BY ?x")}
    # What the years, kinds and labels of cited things need (a title or label only names a
    # series member, and those are looked up apart).
    facts = facts_of(select, "?c cito:hasCitedEntity ?x",
                     ("type", "date", "session", "symbol", "body", "number"))
    citations: Counter[str] = Counter()
    found.by_year, found.by_body = Counter(), Counter()
    for row in printed:
        cited, n = row["x"], int(row["n"])
        citations[cited] += n
        what = kind(facts[cited])
        if what in ("resolution", "document"):
            found.by_year[year_of(facts[cited], row.get("printed", ""))] += n
        if what == "resolution" and facts[cited].get("body"):
            found.by_body[facts[cited]["body"][0]] += n
    found.cited = {x: (citations[x], documents.get(x, 0)) for x in set(citations) | set(documents)}
    found.types = {x: facts[x]["type"] for x in found.cited if facts.get(x, {}).get("type")}
    found.by_verb = Counter({r.get("verb"): int(r["n"]) for r in select(
        "SELECT ?verb (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cito:Citation "
        "OPTIONAL { ?c unkg:citingVerb ?verb } } GROUP BY ?verb")})
    found.series = _series(select, facts)
    return found


def _series(select: Select, known: dict[str, Facts]) -> list[tuple[str, list[Member]]]:
    """Titled documents whose titles agree but for ordinals, or where one such title holds
    the other ("Follow-up to the … Congress … and preparations for the … Congress" holds
    "… United Nations Congress on Crime Prevention and Criminal Justice"), each with the
    earlier resolutions and decisions it recalls. Only a title with an ordinal can be held:
    "Crime prevention and criminal justice" is in most titles without naming a series.
    ``known``: the facts of every cited thing (all that a document can recall)."""
    things = "?x dcterms:title ?title ; eli:cites ?something"
    rows = select(f"""
        SELECT DISTINCT ?d ?title ?date ?parent ?number WHERE {{
          ?d dcterms:title ?title ; eli:cites ?something .
          FILTER NOT EXISTS {{ ?d a unkg:Treaty }}
          OPTIONAL {{ ?d eli:date_document ?adopted }}
          OPTIONAL {{ ?d unkg:distributionDate ?distributed }}
          BIND(COALESCE(?adopted, ?distributed) AS ?date)
          OPTIONAL {{ ?d eli:is_part_of/dcterms:identifier ?parent . ?d eli:number ?number }}
        }}""")
    found = facts_of(select, things)
    members: dict[str, tuple[str, int, str]] = {}
    for row in rows:
        year = int(row["date"][:4]) if "date" in row else year_of(found.get(row["d"], {}))
        if year is not None:
            label = (f"{row['parent']}, draft {row['number']}" if "parent" in row
                     else short_label(found.get(row["d"], {}), row["d"]))
            members[row["d"]] = (row["title"], year, label)
    groups = group_series({iri: series_key(title) for iri, (title, _, _) in members.items()})
    series = []
    for group in groups:  # a query per series: as one, they take longer
        recalled = _recalled_in(select, sorted(group))
        built = []
        for iri in sorted(group, key=lambda i: (members[i][1], i)):
            title, year, label = members[iri]
            earlier: set[tuple[str, int, str]] = set()
            for cited, printed in recalled.get(iri, {}).items():
                facts = known.get(cited, {})
                when = year_of(facts, printed)
                if kind(facts) == "resolution" and when is not None and when < year:
                    earlier.add((cited, when, short_label(facts, cited)))
            built.append(Member(iri, year, title, label,
                                tuple(sorted(earlier, key=lambda r: (r[1], r[0])))))
        shortest = min((members[i][0] for i in group), key=len)
        series.append((ORDINAL_REGEX.sub("…", shortest), built))
    return series


def _recalled_in(select: Select, documents: list[str]) -> dict[str, dict[str, str]]:
    """What each document recalls (verbs "Recalling …", "Reaffirming …") in its own text and
    footnotes (a draft inside a report recalls on its own account), with the words printed."""
    values = " ".join(f"<{d}>" for d in documents)
    rows = select(f"""
        SELECT DISTINCT ?d ?cited ?verb ?printed WHERE {{ VALUES ?d {{ {values} }}
          ?citing {UP}* ?d . ?c cito:hasCitingEntity ?citing ; cito:hasCitedEntity ?cited ;
             unkg:citingVerb ?verb ; unkg:citedText ?printed .
        }}""")
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (r["d"], r["cited"], r["printed"])):  # see facts_of
        if RECALL_REGEX.search(row["verb"]):
            # The longest printing carries a date when any does ("its resolution 46/152 of
            # 18 December 1991" rather than "resolution 46/152").
            known = found[row["d"]].get(row["cited"], "")
            found[row["d"]][row["cited"]] = max(known, row["printed"], key=len)
    return found


# ---------------------------------------------------------------------------------------------
# The figures as RDF


def quads(found: Statistics) -> Iterator[ox.Quad]:
    """The statistics as the quads of ``GRAPH`` (see the module's documentation)."""
    graph = ox.NamedNode(GRAPH)
    dataset = ox.NamedNode(DATASET)
    integer = ox.Literal
    rdf, void, unkg = (f"{PREFIXES[p]}" for p in ("rdf", "void", "unkg"))
    xsd, dcterms, skos = (f"{PREFIXES[p]}" for p in ("xsd", "dcterms", "skos"))
    term: dict[str, ox.NamedNode] = {}

    def n(iri: str) -> ox.NamedNode:
        if iri not in term:
            term[iri] = ox.NamedNode(iri)
        return term[iri]

    def q(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
          ) -> ox.Quad:
        return ox.Quad(s, n(p), o, graph)

    def year(value: int) -> ox.Literal:
        return ox.Literal(f"{value:04d}", datatype=n(f"{xsd}gYear"))

    yield q(dataset, f"{rdf}type", n(f"{void}Dataset"))
    yield q(dataset, f"{void}triples", integer(found.triples))
    yield q(dataset, f"{void}entities", integer(found.entities))
    def partition(within: tuple[str, ...], kind: str, term: str, measure: str, count: int
                  ) -> Iterator[ox.Quad]:
        """A VoID class or property partition of the dataset (of its partition ``within``),
        counted by ``measure``."""
        node = _part(*within, kind, term)
        yield q(_part(*within) if within else dataset, f"{void}{kind}Partition", node)
        yield q(node, f"{void}{kind}", n(term))
        yield q(node, f"{void}{measure}", integer(count))

    for cls, count in sorted((found.classes or {}).items()):
        yield from partition((), "class", cls, "entities", count)
        if cls == f"{PREFIXES['cito']}Citation":
            yield from partition(("class", cls), "property", f"{unkg}inDocument",
                                 "distinctObjects", found.documents)
    for prop, count in sorted((found.properties or {}).items()):
        partition_node = _part("property", prop)
        yield from partition((), "property", prop, "triples", count)
        if prop in (found.distinct or {}):
            subjects, objects = (found.distinct or {})[prop]
            yield q(partition_node, f"{void}distinctSubjects", integer(subjects))
            yield q(partition_node, f"{void}distinctObjects", integer(objects))
    for cited, (citations, documents) in sorted((found.cited or {}).items()):
        yield q(n(cited), f"{unkg}citationCount", integer(citations))
        yield q(n(cited), f"{unkg}citingDocumentCount", integer(documents))
        for cls in (found.types or {}).get(cited, []):
            yield q(n(cited), f"{dcterms}type", n(cls))
    by_year, by_body, by_verb = (found.by_year or Counter(), found.by_body or Counter(),
                                 found.by_verb or Counter())
    yield from _observations(q, n, BY_YEAR, by_year, {
        k: [(f"{dcterms}date", year(k))] for k in by_year if k is not None})
    yield from _observations(q, n, BY_BODY, by_body, {
        k: [(f"{dcterms}creator", n(str(iris.organization(k)))), (f"{skos}notation", ox.Literal(k))]
        for k in by_body})
    yield from _observations(q, n, BY_VERB, by_verb, {
        k: [(f"{unkg}verb", ox.Literal(k))] for k in by_verb if k is not None})
    for number, (title, members) in enumerate(found.series or []):
        collection = n(f"{SERIES}{number + 1}")
        yield q(collection, f"{rdf}type", n(f"{skos}Collection"))
        yield q(collection, f"{skos}prefLabel", ox.Literal(title))
        for place, member in enumerate(members):
            record = ox.NamedNode(f"{collection.value}-member-{place + 1}")
            yield q(collection, f"{skos}member", record)
            yield q(record, f"{rdf}value", n(member.iri))
            yield q(record, f"{dcterms}date", year(member.year))
            yield q(record, f"{dcterms}title", ox.Literal(member.title))
            yield q(record, f"{skos}notation", ox.Literal(member.label))
            for order, (recalled, when, label) in enumerate(member.recalls):
                recall = ox.NamedNode(f"{record.value}-recalls-{order + 1}")
                yield q(record, f"{unkg}recalls", recall)
                yield q(recall, f"{rdf}value", n(recalled))
                yield q(recall, f"{dcterms}date", year(when))
                yield q(recall, f"{skos}notation", ox.Literal(label))


def _observations(q: Callable[..., ox.Quad], n: Callable[[str], ox.NamedNode], dataset: str,
                  counts: Counter[Any], dimensions: dict[Any, list[tuple[str, ox.Literal | ox.NamedNode]]]
                  ) -> Iterator[ox.Quad]:
    """A ``qb:DataSet`` and an observation per key of ``counts``, with the key's dimension
    statements (none: the observation of what has no value) and its count."""
    yield q(n(dataset), f"{PREFIXES['rdf']}type", n(f"{QB}DataSet"))
    for key, count in sorted(counts.items(), key=lambda item: str(item[0])):
        observation = ox.NamedNode(f"{dataset}-{'none' if key is None else _name(str(key))}")
        yield q(observation, f"{PREFIXES['rdf']}type", n(f"{QB}Observation"))
        yield q(observation, f"{QB}dataSet", n(dataset))
        for prop, value in dimensions.get(key, []):
            yield q(observation, prop, value)
        yield q(observation, f"{PREFIXES['unkg']}citationCount", ox.Literal(count))


def _name(key: str) -> str:
    """``key`` in an IRI: itself when it is a plain word ("class", "2015"), else a short
    digest of it. Stable, so rebuilding the same data gives the same statements (no blank
    nodes), whatever characters the key holds."""
    return key if key.isascii() and key.isalnum() else hashlib.sha256(
        key.encode("utf-8")).hexdigest()[:12]


def _part(*keys: str) -> ox.NamedNode:
    """A VoID partition of ``DATASET``, named after what it partitions by."""
    return ox.NamedNode(f"{DATASET}-" + "-".join(_name(k) for k in keys))


def derive(store: ox.Store) -> int:
    """Count the statistics of ``store``'s data and store them in ``GRAPH`` (those of a
    previous version removed first, so they count the data alone); how many quads."""
    node = ox.NamedNode(GRAPH)
    if store.contains_named_graph(node):
        store.remove_graph(node)
    found = list(quads(statistics(selector(store))))
    store.extend(found)
    return len(found)


def computed(store: Any) -> ox.Store:
    """A memory store holding only ``GRAPH`` counted from ``store``: the statistics of a store
    built before the build stored them, read the same way as stored ones."""
    memory = ox.Store()
    memory.extend(quads(statistics(selector(store))))
    return memory


def stored(store: Any) -> bool:
    """Whether ``store`` holds the statistics (an embedded or a remote store)."""
    answer = store.query(f"ASK {{ GRAPH <{GRAPH}> {{ <{DATASET}> ?p ?o }} }}",
                         use_default_graph_as_union=True)
    return bool(answer)


def usage(select: Select) -> tuple[dict[str, int], dict[str, int]] | None:
    """Instances per class and statements per property as stored; ``None`` when the
    statistics are not stored."""
    rows = select(f"""SELECT ?x ?n ?kind WHERE {{ GRAPH <{GRAPH}> {{
        {{ <{DATASET}> void:classPartition [ void:class ?x ; void:entities ?n ] BIND("c" AS ?kind) }}
        UNION {{ <{DATASET}> void:propertyPartition [ void:property ?x ; void:triples ?n ]
                 BIND("p" AS ?kind) }} }} }}""")
    if not rows:
        return None
    tables: dict[str, dict[str, int]] = {"c": {}, "p": {}}
    for row in rows:
        tables[row["kind"]][row["x"]] = int(row["n"])
    return tables["c"], tables["p"]

