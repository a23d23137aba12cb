"""Draft lives from the committee report's narrative, regional recommendations from the
compilation: on the corpus (004, 003) and on hand-made narratives."""

from collections import Counter
from pathlib import Path

import pytest

from graph.document import CleanText, Document, Paragraph
from graph.entities.prose import (
    Meeting,
    draft_lives,
    regional_recommendations,
    regions,
    split_names,
)
from graph.readers import read_document

CORPUS = Path(__file__).parents[2] / "corpus"


@pytest.fixture(scope="module")
def lives():
    report = read_document(next(CORPUS.glob("004_*.txt")))
    return {life.symbol: life for life in draft_lives(report)}


@pytest.fixture(scope="module")
def mapping():
    return read_document(next(CORPUS.glob("003_*.txt")))


def _report(*texts: str, distributed: str = "2020-01-20") -> Document:
    paragraphs = [Paragraph(f"para/{n}", "narrative", CleanText(text, list(range(len(text)))),
                            number=str(n), heading="Consideration of proposals")
                  for n, text in enumerate(texts, 1)]
    return Document(source="t.md", text="", format="test", kind="report",
                    distributed=distributed, paragraphs=paragraphs)


@pytest.mark.parametrize("text, compounds, names", [
    ("Argentina, Brazil and Peru", set(), ["Argentina", "Brazil", "Peru"]),
    ("Belarus and Peru", set(), ["Belarus", "Peru"]),
    ("Armenia, Bosnia and Herzegovina, Croatia and Peru", set(),
     ["Armenia", "Bosnia and Herzegovina", "Croatia", "Peru"]),
    ("Peru and Saint Vincent and the Grenadines", {"Saint Vincent and the Grenadines"},
     ["Peru", "Saint Vincent and the Grenadines"]),
    ("Bosnia and Herzegovina", {"Bosnia and Herzegovina"}, ["Bosnia and Herzegovina"]),
    ("the Philippines, the former Yugoslav Republic of Macedonia and the Niger", set(),
     ["Philippines", "the former Yugoslav Republic of Macedonia", "Niger"]),
    ("Micronesia (the Federated States of), Peru and Venezuela (Bolivarian Republic of)", set(),
     ["Micronesia (the Federated States of)", "Peru", "Venezuela (Bolivarian Republic of)"]),
    ("Chile, Peru, and Spain", set(), ["Chile", "Peru", "Spain"]),
    ("", set(), []),
], ids=["three", "two", "compound-inside", "compound-last", "one-compound", "articles",
        "parentheses", "oxford-comma", "empty"])
def test_split_names(text, compounds, names):
    assert split_names(text, compounds) == names


def test_l17_becomes_draft_resolution_viii(lives):
    life = lives["A/C.3/68/L.17"]
    assert life.title == "Improving the coordination of efforts against trafficking in persons"
    assert (life.introduced_by, life.on_behalf_of) == ("Belarus", ["Belarus", "Peru"])
    assert life.introduced_at == Meeting(16, "2013-10-17")
    assert life.revisions == ["A/C.3/68/L.17/Rev.1"]
    assert len(life.sponsors) == 49
    assert life.sponsors[:3] == ["Belarus", "Peru", "Armenia"]
    assert "Lao People's Democratic Republic" in life.sponsors
    assert life.sponsors[-1] == "Venezuela (Bolivarian Republic of)"
    assert life.additional_sponsors == ["Burkina Faso", "Lesotho", "Niger",
                                        "United Republic of Tanzania"]
    assert (life.adopted, life.adopted_at) == ("A/C.3/68/L.17/Rev.1", Meeting(46, "2013-11-14"))
    assert (life.orally_revised, life.orally_corrected, life.vote) == (False, False, None)
    assert life.recommended_as == "VIII"
    assert life.paragraphs == ["para/27", "para/28", "para/29", "para/30", "para/31"]


def test_every_committee_draft_and_the_draft_resolution_it_became(lives):
    assert [(symbol, life.recommended_as) for symbol, life in lives.items()] == [
        ("A/C.3/68/L.2", "I"), ("A/C.3/68/L.3", "II"), ("A/C.3/68/L.4", "III"),
        ("A/C.3/68/L.5", "IV"), ("A/C.3/68/L.6", "V"), ("A/C.3/68/L.7", "VI"),
        ("A/C.3/68/L.8", "VII"), ("A/C.3/68/L.17", "VIII"), ("A/C.3/68/L.18", "IX"),
        ("A/C.3/68/L.20", "X"), ("A/C.3/68/L.21", "XI"), (None, None)]


def test_sponsors_of_the_original_draft_and_of_its_revision(lives):
    life = lives["A/C.3/68/L.17"]
    assert life.original_sponsors == ["Belarus", "Peru"]
    added = life.revision_sponsors["A/C.3/68/L.17/Rev.1"]
    assert life.sponsors == life.original_sponsors + added
    assert "Peru" not in added


def test_draft_decision_proposed_by_the_chair(lives):
    life = lives[None]
    assert (life.decision, life.proposed_by_chair, life.introduced_by) == (True, True, None)
    assert life.introduced_at == life.adopted_at == Meeting(52, "2013-11-26")
    assert life.paragraphs == ["para/46"]


@pytest.mark.parametrize("symbol, introduced_by, behalf, introduced_at, adopted_at, "
                         "orally_revised, orally_corrected", [
    ("A/C.3/68/L.2", None, 0, Meeting(6, "2013-10-09"), Meeting(16, "2013-10-17"), False, False),
    ("A/C.3/68/L.18", "Italy", 26, Meeting(26, "2013-10-24"), Meeting(52, "2013-11-26"),
     False, False),
    ("A/C.3/68/L.20", "Uganda", 1, Meeting(22, "2013-10-22"), Meeting(46, "2013-11-14"),
     False, True),
    ("A/C.3/68/L.21", "Colombia", 9, Meeting(36, "2013-10-31"), Meeting(52, "2013-11-26"),
     True, False),
], ids=["L.2-from-ECOSOC", "L.18", "L.20-corrected", "L.21-revised"])
def test_draft_lives(lives, symbol, introduced_by, behalf, introduced_at, adopted_at,
                     orally_revised, orally_corrected):
    life = lives[symbol]
    assert life.introduced_by == introduced_by
    assert life.submitted_by == (None if introduced_by else "Economic and Social Council")
    assert len(life.on_behalf_of) == behalf
    assert (life.introduced_at, life.adopted_at) == (introduced_at, adopted_at)
    assert (life.orally_revised, life.orally_corrected) == (orally_revised, orally_corrected)


def test_sponsor_names_with_and_stay_whole(lives):
    sponsors = lives["A/C.3/68/L.18"].sponsors
    for name in ("Bosnia and Herzegovina", "Saint Vincent and the Grenadines",
                 "Trinidad and Tobago", "Micronesia (the Federated States of)",
                 "United Kingdom of Great Britain and Northern Ireland"):
        assert name in sponsors
    assert not any(name.startswith("the ") and name[4].isupper() for name in sponsors)
    assert lives["A/C.3/68/L.20"].sponsors == [
        "States Members of the United Nations that are members of the Group of African States",
        "United States of America"]


def test_hand_made_narrative_with_votes_and_a_year_boundary():
    report = _report(
        "At the 10th meeting, on 8 December, the representative of Ruritania, on behalf of "
        "Freedonia, Bosnia and Herzegovina, and Ruritania, introduced a draft resolution "
        "entitled “Example” (A/C.3/74/L.5).",
        "At its 20th meeting, on 14 January, the Committee adopted draft resolution "
        "A/C.3/74/L.5, as orally revised, without a vote (see para. 9, draft resolution II).",
        "Also at its 20th meeting, the Committee adopted draft resolution A/C.3/74/L.6 by a "
        "recorded vote of 120 to 3, with 40 abstentions (see para. 9, draft resolution III).")
    first, second = draft_lives(report)
    assert (first.introduced_by, first.on_behalf_of) == (
        "Ruritania", ["Freedonia", "Bosnia and Herzegovina", "Ruritania"])
    assert first.introduced_at == Meeting(10, "2019-12-08")
    assert (first.adopted_at, first.orally_revised, first.vote, first.recommended_as) == (
        Meeting(20, "2020-01-14"), True, "without a vote", "II")
    assert (second.symbol, second.adopted_at, second.vote, second.recommended_as) == (
        "A/C.3/74/L.6", Meeting(20, "2020-01-14"),
        "by a recorded vote of 120 to 3, with 40 abstentions", "III")


@pytest.mark.parametrize("texts, by_chair, introduced_by, title, introduced_at, adopted_at, label", [
    (["At its 30th meeting, on 2 November, on the proposal of the Chair, the Committee decided "
      "to recommend to the General Assembly that it take note of the report (see para. 12)."],
     True, None, None, Meeting(30, "2019-11-02"), Meeting(30, "2019-11-02"), None),
    (["At the 8th meeting, on 10 October, the Chair proposed a draft decision entitled "
      "“Programme of work”.",
      "At its 31st meeting, on 5 November, the Committee adopted the draft decision without a "
      "vote (see para. 12, draft decision II)."],
     True, None, "Programme of work", Meeting(8, "2019-10-10"), Meeting(31, "2019-11-05"), "II"),
    (["At the 9th meeting, on 11 October, the representative of Freedonia introduced a draft "
      "decision entitled “Documentation”.",
      "At the same meeting, the Committee adopted the draft decision (see para. 12)."],
     False, "Freedonia", "Documentation", Meeting(9, "2019-10-11"), Meeting(9, "2019-10-11"),
     None),
], ids=["on-the-proposal-of-the-Chair", "Chair-proposed-then-adopted", "State-introduced"])
def test_draft_decision_without_a_symbol(texts, by_chair, introduced_by, title, introduced_at,
                                         adopted_at, label):
    [life] = draft_lives(_report(*texts))
    assert (life.symbol, life.decision, life.proposed_by_chair, life.introduced_by) == (
        None, True, by_chair, introduced_by)
    assert (life.title, life.introduced_at, life.adopted_at, life.recommended_as) == (
        title, introduced_at, adopted_at, label)


def test_two_draft_decisions_without_symbols_stay_two():
    report = _report(
        "At its 30th meeting, on 2 November, on the proposal of the Chair, the Committee decided "
        "to recommend that the Assembly take note of the report (see para. 12, draft decision I).",
        "Also at its 30th meeting, on the proposal of the Chair, the Committee decided to "
        "recommend that the Assembly take note of the note (see para. 12, draft decision II).")
    assert [(life.symbol, life.recommended_as) for life in draft_lives(report)] == [
        (None, "I"), (None, "II")]


def test_revision_named_only_at_adoption_is_a_revision():
    report = _report(
        "At the 5th meeting, on 4 October, the representative of Ruritania introduced a draft "
        "resolution entitled “Example” (A/C.3/74/L.10).",
        "At its 40th meeting, on 20 November, the Committee adopted draft resolution "
        "A/C.3/74/L.10/Rev.1 (see para. 12, draft resolution I).")
    [life] = draft_lives(report)
    assert (life.revisions, life.adopted) == (["A/C.3/74/L.10/Rev.1"], "A/C.3/74/L.10/Rev.1")
    assert life.original_sponsors == life.sponsors == ["Ruritania"]


def test_revision_sponsors_are_the_original_ones_plus_those_it_names():
    report = _report(
        "At the 5th meeting, on 4 October, the representative of Ruritania, on behalf of "
        "Freedonia and Ruritania, introduced a draft resolution entitled “Example” "
        "(A/C.3/74/L.10).",
        "At its 40th meeting, on 20 November, the Committee had before it a revised draft "
        "resolution (A/C.3/74/L.10/Rev.1), submitted by the sponsors of draft resolution "
        "A/C.3/74/L.10 and Grand Fenwick and Ruritania. Subsequently, Latveria joined in "
        "sponsoring the draft resolution.")
    [life] = draft_lives(report)
    assert life.original_sponsors == ["Freedonia", "Ruritania"]
    assert life.revision_sponsors == {"A/C.3/74/L.10/Rev.1": ["Grand Fenwick"]}
    assert life.sponsors == ["Freedonia", "Ruritania", "Grand Fenwick"]
    assert life.additional_sponsors == ["Latveria"]


def test_narrative_without_drafts_gives_no_lives():
    report = _report("At its 2nd plenary meeting, the General Assembly allocated the item.",
                     distributed="")
    assert draft_lives(report) == []


def test_regions_from_the_tag_legend(mapping):
    assert regions(mapping) == {"AP": "Asia and Pacific", "LAC": "Latin American and Caribbean",
                                "WA": "Western Asia", "A": "African", "E": "European"}


def test_regional_recommendations(mapping):
    records = regional_recommendations(mapping)
    assert len(records) == 279
    assert Counter(r.region for r in records) == {"LAC": 77, "E": 52, "AP": 51, "WA": 50, "A": 49}
    first = records[0]
    assert (first.paragraph, first.tag, first.region, first.region_name, first.report_paragraph,
            first.item, first.congress, first.agenda_item, first.workshop, first.subtheme) == (
        "rec/1", "[AP 62(a)]", "AP", "Asia and Pacific", "62", "a", 14, None, None, None)
    assert first.group.startswith("General issues: Political message")
    last = records[-1]
    assert (last.tag, last.agenda_item, last.workshop, last.subtheme) == (
        "[E 56(g)]", "6", "4", "New technologies as tools against crime")
    assert {r.agenda_item for r in records} == {None, "3", "4", "5", "6"}


def test_recommendations_of_a_document_without_congress_are_empty():
    document = Document(source="t.txt", text="", format="test", kind="compilation",
                        title="Recommendations")
    assert regional_recommendations(document) == []


def test_adoption_without_a_vote_in_a_markdown_report():
    report = read_document(Path(__file__).parent / "fixtures" / "committee_report_headings.md")
    [life] = draft_lives(report)
    assert (life.symbol, life.adopted, life.adopted_at, life.vote, life.recommended_as) == (
        "A/C.6/75/L.9", "A/C.6/75/L.9", Meeting(10, "2020-11-05"), "without a vote", "I")
