"""The tooltip of a citation names what it cites (server/identity.py): rows of (facts the graph
holds about the cited thing, the citation's printed text, the line expected)."""

from __future__ import annotations

import pytest

from server.identity import describe, human_date, printed_date, printed_number

KIND = "https://w3id.org/unkg/ontology#"

ROWS = [
    # ECOSOC numbered by session with a Roman numeral until 1978; the date printed with the
    # citation stands in for the adoption date the graph does not hold for a cited resolution.
    ({"type": [KIND + "Resolution"], "number": ["7/155 C"], "session": ["7"],
      "body": ["ECOSOC"]}, "Economic and Social Council resolution 155 C (VII) of 13 August 1948",
     "ECOSOC resolution 155 C (VII), 13 August 1948"),
    # The General Assembly until its thirty-first session.
    ({"type": [KIND + "Resolution"], "number": ["5/415"], "session": ["5"], "body": ["GA"]},
     "General Assembly resolution 415 (V)", "GA resolution 415 (V)"),
    # A resolution of the corpus: its own date and title.
    ({"type": [KIND + "Resolution"], "number": ["70/174"], "session": ["70"], "body": ["GA"],
      "date": ["2015-12-17"], "title": ["Thirteenth Congress"]}, "resolution 70/174",
     "GA resolution 70/174, 17 December 2015: Thirteenth Congress"),
    ({"type": [KIND + "Decision"], "number": ["74/550 A"], "session": ["74"], "body": ["GA"]},
     "decision 74/550 A", "GA decision 74/550 A"),
    ({"type": [KIND + "Treaty"], "registration": ["39574"], "volume": ["2225"],
      "label": ["United Nations Convention against Transnational Organized Crime"]},
     "vol. 2225", "United Nations Convention against Transnational Organized Crime, "
     "UNTS No. 39574, vol. 2225"),
    ({"type": [KIND + "Treaty"], "league": ["4648"]}, "League of Nations, Treaty Series",
     "LNTS No. 4648"),
    ({"type": [KIND + "Document"], "symbol": ["A/CONF.222/17"]}, "A/CONF.222/17",
     "A/CONF.222/17"),
    ({"type": [KIND + "Congress"], "name": ["Thirteenth United Nations Congress"],
      "venue": ["Doha"], "start": ["2015-04-12"], "end": ["2015-04-19"]}, "the Thirteenth Congress",
     "Thirteenth United Nations Congress, Doha, 12 April 2015 to 19 April 2015"),
    ({"type": [KIND + "Paragraph"], "number": ["19(b)"],
      "report of": ["Latin American and Caribbean Regional Preparatory Meeting"]}, "[LAC 19(b)]",
     "paragraph 19(b) of the report of the Latin American and Caribbean Regional Preparatory "
     "Meeting"),
    # Nothing known but the printed words.
    ({}, "the Bangkok Rules", "the Bangkok Rules"),
]


@pytest.mark.parametrize("facts,printed,expected", ROWS,
                         ids=["ecosoc-old", "ga-old", "in-corpus", "decision", "treaty", "league",
                              "document", "congress", "report-paragraph", "unknown"])
def test_a_cited_thing_is_named_from_the_graph(facts, printed, expected):
    assert describe(facts, printed) == expected


def test_numbers_dates_as_printed():
    assert printed_number("70/174", "70", "GA") == "70/174"
    assert printed_number("2014/22", "2014", "ECOSOC") == "2014/22"
    assert printed_number("30/3452", "30", "GA") == "3452 (XXX)"
    assert printed_number("S-20/2", "S-20", "GA") == "S-20/2"
    assert human_date("1948-08-13") == "13 August 1948" and human_date("1948") == "1948"
    assert printed_date("resolutions 64/293 and 69/195 of 18 December 2014") == "18 December 2014"
    assert printed_date("resolution 46/152") is None
