"""The UN Crime Congresses a set of documents talks about: number, venue, dates, declaration.

Resolutions describe congresses in a few fixed phrasings ("the Thirteenth United Nations
Congress on Crime Prevention and Criminal Justice, held in Doha from 12 to 19 April 2015",
"decided to hold the Fourteenth Congress in Kyoto, Japan, from 7 to 12 March 2021", "the Doha
Declaration … adopted by the Thirteenth Congress", "Endorses the Kyoto Declaration", "its
resolution 65/230 …, in which it endorsed the Salvador Declaration"). This module reads those
phrasings from paragraph text; facts found in several documents are merged per congress.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef

from graph import iris
from graph.document import Document, Paragraph, Span
from graph.readers.common import MONTHS, ordinal_to_int

_ORDINAL = r"(?P<ordinal>[A-Z][a-z]+(?:-[a-z]+)?)"
_MONTH = "|".join(MONTHS)
# "from 12 to 19 April 2015", "from 27 August to 7 September 1990", "27 August-7 September 1990".
# Venue and dates are read only where the text says the congress was "held" there and then:
# "decided to hold the Fourteenth Congress in Kyoto, Japan, from 20 to 27 April 2020" states a
# plan that the pandemic undid (it was held from 7 to 12 March 2021).
_DATES = (rf"(?:from\s+)?(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>\d{{4}}))?"
          rf"\s*(?:to|-|–)\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})")
CONGRESS_REGEX = re.compile(
    _ORDINAL + r"\s+(?:United\s+Nations\s+)?Congress(?:\s+on\s+(?P<theme>Crime\s+Prevention\s+and"
    r"\s+Criminal\s+Justice|the\s+Prevention\s+of\s+Crime\s+and\s+the\s+Treatment\s+of\s+Offenders))?"
    r"(?:,?\s+held\s+in\s+(?P<venue>[A-Z][\w'’-]+(?:,\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)?),?\s+"
    + _DATES + r")?")
DECLARATION_REGEX = re.compile(
    r"(?P<title>(?P<city>[A-Z][a-z]+)\s+Declaration(?:\s+on\s+[^,;(]+?)?)"
    r"(?=,|;|\s+adopted|\s+as\s+approved|\s+\(|\s+and\s|\s+when|\s+under|\s+where|$)")
ADOPTED_BY_REGEX = re.compile(r"adopted\s+(?:by|at)\s+the\s+" + _ORDINAL + r"\s+(?:United\s+Nations\s+)?Congress")
ENDORSED_IN_REGEX = re.compile(
    r"resolution\s+(?P<number>\d+/\d+)[^;]*?in\s+which\s+it\s+endorsed\s+the\s+(?P<city>[A-Z][a-z]+)"
    r"\s+Declaration")


@dataclass
class Congress:
    """What the documents say about one congress; ``None`` where they say nothing."""

    ordinal: int
    name: str | None = None
    venue: str | None = None
    start: str | None = None
    end: str | None = None
    declaration_title: str | None = None
    declaration: URIRef | None = None
    endorsed_by: URIRef | None = None
    sources: list[tuple[str, Span]] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        return iris.congress(self.ordinal)

    @property
    def declaration_iri(self) -> URIRef:
        """The annex that holds the declaration, or one named after the congress."""
        return self.declaration or iris.part_of(self.iri, "declaration")


def _dates(match: re.Match[str]) -> tuple[str | None, str | None]:
    if not match["d2"]:
        return None, None
    year2, month2 = int(match["y2"]), MONTHS[match["m2"]]
    month1 = MONTHS[match["m1"]] if match["m1"] else month2
    year1 = int(match["y1"]) if match["y1"] else year2
    try:
        return (date(year1, month1, int(match["d1"])).isoformat(),
                date(year2, month2, int(match["d2"])).isoformat())
    except ValueError:
        return None, None


def _congress(found: dict[int, Congress], ordinal_word: str) -> Congress | None:
    number = ordinal_to_int(ordinal_word)
    if number is None:
        return None
    return found.setdefault(number, Congress(number))


def _read_paragraph(found: dict[int, Congress], doc: Document, doc_iri: URIRef,
                    paragraph: Paragraph, annex_title: str | None) -> None:
    text = paragraph.text
    # Each pattern is tried only on a paragraph holding its literal word: most hold none.
    for match in (CONGRESS_REGEX.finditer(text) if "Congress" in text else ()):
        congress = _congress(found, match["ordinal"])
        if congress is None:
            continue
        if match["theme"] and not congress.name:
            congress.name = f"{match['ordinal']} United Nations Congress on {' '.join(match['theme'].split())}"
        if match["venue"] and not congress.venue:
            congress.venue = match["venue"]
            congress.start, congress.end = _dates(match)
            congress.sources.append((doc.source, paragraph.content.source_span(*match.span())))
    for match in (DECLARATION_REGEX.finditer(text) if "Declaration" in text else ()):
        adopted = ADOPTED_BY_REGEX.search(text[match.end():match.end() + 200])
        if not adopted:
            continue
        congress = _congress(found, adopted["ordinal"])
        if congress is None:
            continue
        title = " ".join(match["title"].split())
        if not congress.declaration_title or len(title) > len(congress.declaration_title):
            congress.declaration_title = title
        if paragraph.opening == "Endorses":
            congress.endorsed_by = doc_iri
            if annex_title and match["city"] in annex_title:
                congress.declaration = iris.part_of(doc_iri, "annex")
    for match in (ENDORSED_IN_REGEX.finditer(text) if "endorsed" in text else ()):
        for congress in found.values():
            if congress.declaration_title and congress.declaration_title.startswith(match["city"]):
                session, _, number = match["number"].partition("/")
                congress.endorsed_by = congress.endorsed_by or iris.resolution(
                    doc.body or "GA", session, number)


def find_congresses(documents: list[tuple[Document, URIRef]]) -> list[Congress]:
    """Every congress the documents describe, merged by ordinal, in ordinal order.

    ``documents`` pairs each document (or report part) with its IRI, which is what an
    "Endorses the … Declaration" paragraph makes the endorsing resolution.
    """
    found: dict[int, Congress] = {}
    for doc, doc_iri in documents:
        annex_title = next((p.text for p in doc.paragraphs
                            if p.section == "annex" and p.kind == "heading"), None)
        for paragraph in doc.paragraphs:
            _read_paragraph(found, doc, doc_iri, paragraph, annex_title)
    return [found[number] for number in sorted(found)]
