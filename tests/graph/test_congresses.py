"""Congress facts are read from the phrasings resolutions use."""

import pytest

from graph import iris
from graph.entities.congresses import find_congresses
from graph.document import CleanText, Document, Paragraph

RES = iris.resolution("GA", "70", "174")


def _doc(*texts, opening=None, annex_heading=None):
    paragraphs = [Paragraph(f"para/{i}", "operative", CleanText(t, list(range(len(t)))),
                            opening=opening) for i, t in enumerate(texts, 1)]
    if annex_heading:
        paragraphs.append(Paragraph("annex/heading/1", "heading",
                                    CleanText(annex_heading, list(range(len(annex_heading)))),
                                    section="annex"))
    return Document(source="t.txt", text="", format="test", body="GA", paragraphs=paragraphs)


ROWS = [
    # held in a city, one month
    ("Welcoming the results achieved by the Thirteenth United Nations Congress on Crime Prevention"
     " and Criminal Justice, held in Doha from 12 to 19 April 2015, including",
     13, "Doha", "2015-04-12", "2015-04-19"),
    # city and country
    ("the Fourteenth United Nations Congress on Crime Prevention and Criminal Justice, held in "
     "Kyoto, Japan, from 7 to 12 March 2021, which were", 14, "Kyoto, Japan", "2021-03-07", "2021-03-12"),
    # the old name, across two months
    ("the Eighth United Nations Congress on the Prevention of Crime and the Treatment of Offenders,"
     " held in Havana from 27 August to 7 September 1990", 8, "Havana", "1990-08-27", "1990-09-07"),
]


@pytest.mark.parametrize("text,ordinal,venue,start,end", ROWS, ids=["doha", "kyoto", "havana"])
def test_venue_and_dates(text, ordinal, venue, start, end):
    [congress] = find_congresses([(_doc(text), RES)])
    assert (congress.ordinal, congress.venue, congress.start, congress.end) == (ordinal, venue, start, end)
    assert congress.iri == iris.congress(ordinal)


def test_endorsed_declaration_is_the_annex():
    doc = _doc("Endorses the Doha Declaration adopted by the Thirteenth Congress, as approved by",
               opening="Endorses", annex_heading="Doha Declaration on Integrating Crime Prevention")
    [congress] = find_congresses([(doc, RES)])
    assert congress.declaration_title == "Doha Declaration"
    assert congress.endorsed_by == RES
    assert congress.declaration_iri == iris.part_of(RES, "annex")


def test_endorsement_by_an_earlier_resolution():
    doc = _doc("Recalling further its resolution 65/230 of 21 December 2010, in which it endorsed the "
               "Salvador Declaration on Comprehensive Strategies for Global Challenges, adopted by the "
               "Twelfth United Nations Congress on Crime Prevention and Criminal Justice,")
    [congress] = find_congresses([(doc, RES)])
    assert congress.ordinal == 12
    assert congress.declaration_title.startswith("Salvador Declaration")
    assert congress.endorsed_by == iris.resolution("GA", "65", "230")
    assert congress.declaration_iri == iris.part_of(iris.congress(12), "declaration")


def test_prose_without_congress_gives_nothing():
    assert find_congresses([(_doc("Requests the Secretary-General to report."), RES)]) == []
