"""What a cited thing is, in words, for the tooltip of a citation: "ECOSOC resolution 155 C
(VII), 13 August 1948", "United Nations Convention against Corruption, UNTS No. 42146,
vol. 2349", "A/CONF.222/17", "paragraph 19(b) of the report of the Latin American and
Caribbean Regional Preparatory Meeting".

The words come from the graph (body codes, numbers, sessions, dates, symbols, titles, UNTS
numbers, congress names and venues) and from the curated body table, which says until when a
body printed its numbers in the old style with a Roman session ("155 C (VII)" for ECOSOC until
1978). The graph records no date for a resolution it only knows as cited, so the date printed
with the citation itself is used for those ("resolution 155 C (VII) of 13 August 1948").
``identities`` queries; everything else is pure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pyoxigraph as ox

from graph.statistics import printed_number
from graph.namespaces import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
# The properties a tooltip may use, by the short name the formatters read them under.
PROPERTIES = {
    "type": "rdf:type", "number": "eli:number", "session": "unkg:session",
    "date": "eli:date_document", "symbol": "dcterms:identifier", "title": "dcterms:title",
    "label": "rdfs:label", "pref": "skos:prefLabel", "name": "schema:name",
    "registration": "unkg:untsRegistration", "volume": "unkg:untsVolume",
    "league": "unkg:lntsRegistration", "venue": "schema:location",
    "start": "schema:startDate", "end": "schema:endDate",
}
MONTHS = ("January February March April May June July August September October November "
          "December").split()
PRINTED_DATE_REGEX = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
Facts = dict[str, list[str]]


def identities(store: ox.Store, iris: list[str]) -> dict[str, Facts]:
    """For each IRI, the values of ``PROPERTIES`` it has, plus ``body`` (the short code of the
    body that passed it), ``within`` (the symbol or title of what it is part of) and
    ``report of`` (the meeting whose report that is)."""
    wanted = sorted(set(iris))
    found: dict[str, Facts] = {iri: defaultdict(list) for iri in wanted}
    if not wanted:
        return found
    values = " ".join(f"<{iri}>" for iri in wanted)
    names = " ".join(f'("{short}" {prop})' for short, prop in PROPERTIES.items())
    properties = ", ".join(PROPERTIES.values())
    # The properties are read by a query of their own, a lookup per ?x (a FILTER in a group
    # of its own: a VALUES of the properties, or the group as a branch of the UNION below,
    # read every statement of the properties), and sorted after DISTINCT: the
    # union default graph repeats a cited thing's statements in every graph that cites it, and
    # Oxigraph sorts before it removes duplicates (SPARQL's order of operations), so ORDER BY
    # on the DISTINCT query itself sorted every repeat (4,459 rows for 135 at 1M quads; 0.8 s
    # at 10M for a resolution's cited things, 0.02 s this way, the same rows).
    for query in (f"""SELECT ?x ?p ?v WHERE {{ {{ SELECT DISTINCT ?x ?p ?v WHERE {{
      VALUES ?x {{ {values} }}
      {{ ?x ?property ?v FILTER(?property IN ({properties})) VALUES (?p ?property) {{ {names} }} }}
    }} }} }} ORDER BY ?x ?p ?v""", f"""SELECT DISTINCT ?x ?p ?v WHERE {{ VALUES ?x {{ {values} }}
      {{ ?x eli:passed_by/unkg:shortCode ?v BIND("body" AS ?p) }}
      UNION {{ ?x eli:is_part_of/(dcterms:identifier|dcterms:title) ?v BIND("within" AS ?p) }}
      UNION {{ ?x eli:is_part_of ?part . ?meeting schema:recordedIn ?part ; schema:name ?v
               BIND("report of" AS ?p) }}
    }} ORDER BY ?x ?p ?v"""):
        results = store.query(PROLOGUE + query, use_default_graph_as_union=True)
        if not isinstance(results, ox.QuerySolutions):
            raise TypeError("a SELECT query")
        for row in results:
            x, p, v = row["x"], row["p"], row["v"]
            if x is not None and p is not None and v is not None:
                found[x.value][p.value].append(v.value)
    return found


def human_date(iso: str) -> str:
    """``2015-12-17`` -> ``17 December 2015``; anything else unchanged."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def printed_date(text: str) -> str | None:
    """The last date printed in a citation ("… resolution 155 C (VII) of 13 August 1948")."""
    dates = PRINTED_DATE_REGEX.findall(text)
    return " ".join(dates[-1]) if dates else None


def describe(facts: Facts, printed: str = "") -> str:
    """One line naming the thing ``facts`` describe; ``printed`` is the citation's own text."""
    def first(name: str) -> str | None:
        return facts[name][0] if facts.get(name) else None

    types = {t.rpartition("#")[2] for t in facts.get("type", [])}
    title = first("title") or first("label") or first("name") or first("pref")
    if types & {"Resolution", "Decision"} and first("number"):
        kind = "decision" if "Decision" in types else "resolution"
        code = first("body")
        words = [f"{code} {kind}" if code else kind.capitalize(),
                 printed_number(first("number") or "", first("session"), code)]
        adopted = first("date")
        when = human_date(adopted) if adopted else printed_date(printed)
        line = " ".join(words) + (f", {when}" if when else "")
        return line + (f": {title}" if title else "")
    if first("registration") or first("league"):
        series = (f"UNTS No. {first('registration')}" if first("registration")
                  else f"LNTS No. {first('league')}")
        volume = f", vol. {first('volume')}" if first("volume") else ""
        return f"{title}, {series}{volume}" if title else series + volume
    if "Congress" in types or first("venue"):
        where = [first("venue"), " to ".join(dict.fromkeys(
            human_date(d) for d in (first("start"), first("end")) if d))]
        return ", ".join([title or "Congress"] + [w for w in where if w])
    symbol = first("symbol")
    if symbol:
        return symbol + (f": {title}" if title else "")
    if "Paragraph" in types or first("within") or first("report of"):
        whole = first("within") or (f"the report of the {first('report of')}"
                                    if first("report of") else None)
        return f"paragraph {first('number') or '?'}" + (f" of {whole}" if whole else "")
    return title or printed
