"""The figures of ``/stats``, read from the store: who is cited most, how far back the corpus
reaches, which bodies and verbs, and how a resolution series recalls its own past.

Counts are of citation nodes (one per occurrence of a citation in a paragraph or footnote,
``graph/rdf/documents.py``), over the union of the named graphs with ``DISTINCT``, so a triple stated by
several source graphs counts once. ``figures`` runs the queries; everything else is pure, so
the rules (years, verbs, series) are tested on rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph import data, iris
from server.identity import Facts, describe, identities, printed_date, printed_number

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in {
    "cito": "http://purl.org/spar/cito/", "eli": "http://data.europa.eu/eli/ontology#",
    "unkg": "https://w3id.org/unkg/ontology#", "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}.items())
UP = "(eli:is_part_of|eli:is_annex_of)"
TOP = 10
VERBS = 20   # verbs drawn one by one; the long tail is one bar
KINDS = ("resolution", "treaty", "document")
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


@dataclass(frozen=True)
class Count:
    """One bar: what, how many, where it links, what its tooltip says."""

    label: str
    value: int
    iri: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Cite:
    """One citation node as the figures need it."""

    node: str
    cited: str | None
    document: str
    verb: str | None
    printed: str


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


def _select(store: ox.Store, query: str) -> list[dict[str, str]]:
    results = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    if not isinstance(results, ox.QuerySolutions):
        raise TypeError("a SELECT query")
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def _citations(store: ox.Store) -> list[Cite]:
    rows = _select(store, f"""
        SELECT DISTINCT ?c ?cited ?document ?verb ?printed WHERE {{
          ?c a cito:Citation ; cito:hasCitingEntity ?citing .
          ?citing {UP}* ?document . FILTER NOT EXISTS {{ ?document {UP} ?up }}
          OPTIONAL {{ ?c cito:hasCitedEntity ?cited }}
          OPTIONAL {{ ?c unkg:citingVerb ?verb }}
          OPTIONAL {{ ?c unkg:citedText ?printed }}
        }}""")
    return [Cite(r["c"], r.get("cited"), r["document"], r.get("verb"), r.get("printed", ""))
            for r in rows]


def kind(facts: Facts) -> str:
    """``resolution`` (and decision), ``treaty``, ``document`` or ``other`` (a paragraph)."""
    types = {t.rpartition("#")[2] for t in facts.get("type", [])}
    if types & {"Resolution", "Decision"}:
        return "resolution"
    if "Treaty" in types:
        return "treaty"
    return "document" if types & {"Document", "DraftResolution", "Report"} else "other"


def short_label(facts: Facts, iri: str) -> str:
    """A bar's label: "GA 46/152", "ECOSOC 155 C (VII)", a treaty's title, a symbol."""
    first = {name: values[0] for name, values in facts.items() if values}
    if kind(facts) == "resolution" and "number" in first:
        code = first.get("body")
        number = printed_number(first["number"], first.get("session"), code)
        return f"{code} {number}" if code else number
    return (first.get("symbol") or first.get("title") or first.get("label")
            or iri.rpartition("/unkg/")[2])


def year_of(facts: Facts, printed: str = "") -> int | None:
    """The year of a cited document: its own date; else the date printed with the citation;
    else what its number says (ECOSOC "2014/22"; a General Assembly session, one a year, from
    the body table: session 70 opened in 2015); else a year in its symbol."""
    first = {name: values[0] for name, values in facts.items() if values}
    for when in (first.get("date"), printed_date(printed)):
        if when:
            return int(when[:4]) if when[:4].isdigit() else int(when[-4:])
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


def series_key(title: str) -> str:
    """A title with its ordinals blanked: the same for each resolution of a yearly series."""
    return " ".join(ORDINAL_REGEX.sub("…", title).lower().split())


def _most_cited(cites: list[Cite], facts: dict[str, Facts]) -> dict[str, list[Count]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    documents: dict[str, set[str]] = defaultdict(set)
    for cite in cites:
        if cite.cited:
            counts[kind(facts[cite.cited])][cite.cited] += 1
            documents[cite.cited].add(cite.document)
    return {name: [Count(short_label(facts[iri], iri), n, iri,
                         f"{describe(facts[iri])}: {n} citations in "
                         f"{len(documents[iri])} documents")
                   for iri, n in sorted(counts[name].items(), key=lambda x: (-x[1], x[0]))[:TOP]]
            for name in KINDS}


def _by_year(cites: list[Cite], facts: dict[str, Facts]) -> tuple[list[Count], int]:
    """Citations of resolutions, decisions and documents by the year of the cited one, and how
    many have no known year (treaties, whose dates the graph does not hold, are left out)."""
    years: Counter[int] = Counter()
    unknown = 0
    for cite in cites:
        if cite.cited and kind(facts[cite.cited]) in ("resolution", "document"):
            year = year_of(facts[cite.cited], cite.printed)
            if year is None:
                unknown += 1
            else:
                years[year] += 1
    return [Count(str(y), n, note=f"{n} citations of documents of {y}")
            for y, n in sorted(years.items())], unknown


def _by_body(cites: list[Cite], facts: dict[str, Facts]) -> list[Count]:
    bodies: Counter[str] = Counter(facts[c.cited]["body"][0] for c in cites if c.cited
                                   and kind(facts[c.cited]) == "resolution"
                                   and facts[c.cited].get("body"))
    return [Count(code, n, str(iris.organization(code)),
                  f"{n} citations of resolutions and decisions of the {code}")
            for code, n in sorted(bodies.items(), key=lambda x: (-x[1], x[0]))]


def _by_verb(cites: list[Cite]) -> tuple[list[Count], int]:
    verbs = Counter(verb_head(c.verb) for c in cites if c.verb)
    printed: dict[str, set[str]] = defaultdict(set)
    for cite in cites:
        if cite.verb:
            printed[verb_head(cite.verb)].add(cite.verb)
    ranked = sorted(verbs.items(), key=lambda x: (-x[1], x[0]))
    counts = [Count(v, n, note=f"{n} citations: " + ", ".join(sorted(printed[v])))
              for v, n in ranked[:VERBS]]
    rest = ranked[VERBS:]
    if rest:
        counts.append(Count(f"{len(rest)} other verbs", sum(n for _, n in rest),
                            note=", ".join(f"{v} ({n})" for v, n in rest)))
    return counts, sum(1 for c in cites if not c.verb)


def _lineage(store: ox.Store, known: dict[str, Facts]) -> list[Series]:
    """Titled documents whose titles agree but for ordinals, or where one such title holds
    the other ("Follow-up to the … Congress … and preparations for the … Congress" holds
    "… United Nations Congress on Crime Prevention and Criminal Justice"), each with the
    earlier resolutions and decisions it recalls. Only a title with an ordinal can be held:
    "Crime prevention and criminal justice" is in most titles without naming a series.
    ``known``: the facts of things already looked up (every cited thing), which are not looked
    up again (at 1M triples, looking them up once per series took 8 of the 31 s)."""
    rows = _select(store, f"""
        SELECT DISTINCT ?d ?title ?date ?parent ?number WHERE {{
          ?d dcterms:title ?title ; eli:cites ?something .
          FILTER NOT EXISTS {{ ?d a unkg:Treaty }}
          OPTIONAL {{ ?d eli:date_document ?adopted }}
          OPTIONAL {{ ?d unkg:distributionDate ?distributed }}
          BIND(COALESCE(?adopted, ?distributed) AS ?date)
          OPTIONAL {{ ?d eli:is_part_of/dcterms:identifier ?parent . ?d eli:number ?number }}
        }}""")
    found = _facts(store, [r["d"] for r in rows], known)
    members: dict[str, tuple[str, int, str]] = {}
    for row in rows:
        year = int(row["date"][:4]) if "date" in row else year_of(found[row["d"]])
        if year is None:
            continue
        label = (f"{row['parent']}, draft {row['number']}" if "parent" in row
                 else short_label(found[row["d"]], row["d"]))
        members[row["d"]] = (row["title"], year, label)
    keys = {iri: series_key(title) for iri, (title, _, _) in members.items()}
    groups: list[set[str]] = []
    for iri in sorted(members, key=lambda i: len(keys[i])):
        joined = [g for g in groups if any(_same_series(keys[o], keys[iri]) for o in g)]
        merged = {iri}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    groups = [g for g in groups if len(g) > 1]
    recalled_by = {d: recalls for g in groups  # a query per series: as one, they take longer
                   for d, recalls in _recalled_in(store, sorted(g)).items()}
    facts = _facts(store, [c for iri in set().union(*groups)
                           for c in recalled_by.get(iri, {})], known)
    return [_series(sorted(group, key=lambda i: (members[i][1], i)), members, recalled_by,
                    facts)
            for group in groups]


def _facts(store: ox.Store, iris: list[str], known: dict[str, Facts]) -> dict[str, Facts]:
    """The facts of ``iris``: those in ``known``, the others looked up."""
    return {**identities(store, [i for i in iris if i not in known]), **known}


def _same_series(one: str, other: str) -> bool:
    shorter, longer = sorted((one, other), key=len)
    return shorter == longer or ("…" in shorter and shorter in longer)


def _series(group: list[str], members: dict[str, tuple[str, int, str]],
            recalled_by: dict[str, dict[str, str]], facts: dict[str, Facts]) -> Series:
    built = []
    for iri in group:
        title, year, label = members[iri]
        earlier = []
        for cited, printed in sorted(recalled_by.get(iri, {}).items()):
            if kind(facts[cited]) != "resolution":
                continue
            when = year_of(facts[cited], printed)
            if when is not None and when < year:
                earlier.append(Recalled(cited, short_label(facts[cited], cited), when,
                                        cited in group))
        built.append(Member(iri, label, year, title,
                            tuple(sorted(earlier, key=lambda r: (r.year, r.iri)))))
    shortest = min((members[i][0] for i in group), key=len)
    return Series(ORDINAL_REGEX.sub("…", shortest), tuple(built))


def _recalled_in(store: ox.Store, documents: list[str]) -> dict[str, dict[str, str]]:
    """What each document recalls (verbs "Recalling …", "Reaffirming …") in its own text and
    footnotes (a draft inside a report recalls on its own account), with the words printed."""
    values = " ".join(f"<{d}>" for d in documents)
    rows = _select(store, f"""
        SELECT DISTINCT ?d ?cited ?verb ?printed WHERE {{ VALUES ?d {{ {values} }}
          ?citing {UP}* ?d . ?c cito:hasCitingEntity ?citing ; cito:hasCitedEntity ?cited ;
             unkg:citingVerb ?verb ; unkg:citedText ?printed .
        }} ORDER BY ?d ?cited ?printed""")
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        if RECALL_REGEX.search(row["verb"]):
            # The longest printing carries a date when any does ("its resolution 46/152 of
            # 18 December 1991" rather than "resolution 46/152").
            known = found[row["d"]].get(row["cited"], "")
            found[row["d"]][row["cited"]] = max(known, row["printed"], key=len)
    return found


def _void(store: ox.Store) -> list[VoidFigure]:
    """The figures VoID has terms for, counted as ``graph/release.py`` counts them."""
    [row] = _select(store, """
        SELECT (COUNT(DISTINCT ?c) AS ?citations) (COUNT(DISTINCT ?cited) AS ?cited)
               (COUNT(DISTINCT ?resolved) AS ?resolved) (COUNT(DISTINCT ?citing) AS ?citing)
               (COUNT(DISTINCT ?verb) AS ?verbs) WHERE {
          ?c a cito:Citation ; cito:hasCitingEntity ?citing .
          OPTIONAL { ?c cito:hasCitedEntity ?cited . BIND(?c AS ?resolved) }
          OPTIONAL { ?c unkg:citingVerb ?verb }
        }""")
    return [
        VoidFigure("void:classPartition [ void:class cito:Citation ] void:entities",
                   "citations", int(row["citations"])),
        VoidFigure("void:propertyPartition [ void:property cito:hasCitedEntity ] "
                   "void:distinctSubjects", "citations resolved to a resource",
                   int(row["resolved"])),
        VoidFigure("void:propertyPartition [ void:property cito:hasCitedEntity ] "
                   "void:distinctObjects", "resources cited", int(row["cited"])),
        VoidFigure("void:propertyPartition [ void:property cito:hasCitingEntity ] "
                   "void:distinctObjects", "paragraphs, footnotes and documents citing",
                   int(row["citing"])),
        VoidFigure("void:propertyPartition [ void:property unkg:citingVerb ] "
                   "void:distinctObjects", "citing verbs as printed", int(row["verbs"])),
    ]


def figures(store: ox.Store) -> Figures:
    """Every figure of ``/stats``."""
    cites = _citations(store)
    facts = identities(store, [c.cited for c in cites if c.cited])
    by_year, without_year = _by_year(cites, facts)
    by_verb, without_verb = _by_verb(cites)
    return Figures(
        citations=len(cites), resolved=sum(1 for c in cites if c.cited),
        documents=len({c.document for c in cites}),
        most_cited=_most_cited(cites, facts), by_year=by_year, without_year=without_year,
        by_body=_by_body(cites, facts), by_verb=by_verb, without_verb=without_verb,
        series=_lineage(store, facts), void=_void(store))
