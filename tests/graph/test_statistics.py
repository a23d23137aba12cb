"""The rules behind the figures of /stats (server/figures.py): rows of (what the graph holds,
what the figure takes from it)."""

from __future__ import annotations

import pytest

from server.figures import _same_series, kind, series_key, verb_head, year_of

KIND = "https://w3id.org/unkg/ontology#"
RESOLUTION = KIND + "Resolution"


@pytest.mark.parametrize("facts,printed,year", [
    # its own date wins over anything printed
    ({"type": [RESOLUTION], "date": ["2015-12-17"], "session": ["70"], "body": ["GA"]},
     "resolution 70/174 of 17 December 2016", 2015),
    # the date printed with the citation: 64/293 was adopted in 2010, in the 2009 session
    ({"type": [RESOLUTION], "session": ["64"], "body": ["GA"]},
     "resolution 64/293 of 30 July 2010", 2010),
    # the session of a body meeting once a year, from the body table: GA session 70 opened 2015
    ({"type": [RESOLUTION], "session": ["70"], "body": ["GA"]}, "resolution 70/174", 2015),
    ({"type": [RESOLUTION], "session": ["5"], "body": ["GA"]}, "resolution 415 (V)", 1950),
    ({"type": [RESOLUTION], "session": ["22"], "body": ["CCPCJ"]}, "resolution 22/7", 2013),
    # numbered by year
    ({"type": [RESOLUTION], "session": ["2014"], "body": ["ECOSOC"]}, "resolution 2014/22", 2014),
    # three sessions a year: no year from the number alone
    ({"type": [RESOLUTION], "session": ["21"], "body": ["HRC"]}, "resolution 21/1", None),
    # a year in a symbol; a General Assembly session symbol
    ({"type": [KIND + "Document"], "symbol": ["E/CN.15/2013/10"]}, "E/CN.15/2013/10", 2013),
    ({"type": [KIND + "Document"], "symbol": ["A/C.3/68/L.17"]}, "A/C.3/68/L.17", 2013),
    ({"type": [KIND + "Document"], "symbol": ["A/CONF.222/17"]}, "A/CONF.222/17", None),
], ids=["own-date", "printed-date", "ga-session", "ga-old", "ccpcj", "ecosoc-year", "hrc",
        "symbol-year", "ga-symbol", "no-year"])
def test_the_year_of_a_cited_document(facts, printed, year):
    assert year_of(facts, printed) == year


@pytest.mark.parametrize("verb,head", [
    ("Recalling", "Recalling"), ("Recalling also", "Recalling"),
    ("Recalling further", "Recalling"), ("Reaffirming also", "Reaffirming"),
    ("Also requests", "Requests"), ("We reaffirm", "We reaffirm"),
    ("Takes note with appreciation", "Takes note with appreciation"),
])
def test_citing_verbs_are_counted_by_their_head(verb, head):
    assert verb_head(verb) == head


@pytest.mark.parametrize("one,other,same", [
    ("Thirteenth United Nations Congress on Crime Prevention and Criminal Justice",
     "Fourteenth United Nations Congress on Crime Prevention and Criminal Justice", True),
    ("Follow-up to the Twelfth United Nations Congress on Crime Prevention and Criminal Justice "
     "and preparations for the Thirteenth United Nations Congress on Crime Prevention and "
     "Criminal Justice", "Thirteenth United Nations Congress on Crime Prevention and Criminal "
     "Justice", True),
    ("Twenty-first session", "Thirtieth session", True),
    # a title without ordinal held in another does not make a series
    ("Crime prevention and criminal justice",
     "Strengthening crime prevention and criminal justice responses", False),
    ("Standard Minimum Rules for the Treatment of Prisoners",
     "Taking action against gender-related killing of women and girls", False),
], ids=["congress", "follow-up", "compound-ordinals", "generic", "different"])
def test_series_share_their_title_but_for_ordinals(one, other, same):
    assert _same_series(series_key(one), series_key(other)) is same


def test_kinds_of_cited_things():
    assert kind({"type": [KIND + "Decision"]}) == "resolution"
    assert kind({"type": [KIND + "Treaty"]}) == "treaty"
    assert kind({"type": [KIND + "DraftResolution", KIND + "Document"]}) == "document"
    assert kind({"type": [KIND + "Paragraph"]}) == "other"
