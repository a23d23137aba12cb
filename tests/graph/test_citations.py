"""References of whole documents: location, paragraph, verb, footnote, spans, labels, CiTO."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from graph.citations.references import characterization, extract_references, name_before_marker
from graph.document import CleanText, Document, Footnote, Marker, Paragraph
from graph.citations.models import Reference
from graph.namespaces import CITO
from graph.readers import read_document
from tests.factories import clean, hand_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
RES_70_174 = "000_d84c65ec1904ae7a.txt"
RES_70_178 = "002_4d87f6f1b0825404.txt"
RES_76_181 = "001_58fb4a8a10c58e57.txt"
COMPILATION = "003_8c3c0a644e4dd5d6.txt"
REPORT = "004_1571e35c9475b5fc.txt"


@cache
def _read(name: str) -> Document:
    return read_document(CORPUS / name)


@cache
def _references(name: str) -> tuple[Reference, ...]:
    return tuple(ref for part in _read(name).walk() for ref in extract_references(part))


def _footnote(name: str, label: str) -> list[Reference]:
    return [r for r in _references(name) if r.footnote == label]


def test_70_174_cites_46_152_from_its_preamble_with_recalling() -> None:
    [ref] = [r for r in _references(RES_70_174) if r.number == "152" and r.location == "text"]
    assert (ref.document, ref.kind, ref.body, ref.session, ref.paragraph, ref.verb) == \
        ("A/RES/70/174", "resolution", "GA", "46", "preamble/3", "Recalling")
    assert ref.iri == "https://w3id.org/unkg/res/ga/46/152"
    assert ref.date == "1991-12-18"


def test_footnote_7_of_70_174_is_the_convention_against_corruption() -> None:
    [ref] = _footnote(RES_70_174, "7")
    assert (ref.kind, ref.unts, ref.paragraph, ref.verb) == \
        ("treaty", [{"registration": 42146, "volume": 2349}], "para/11", "Also requests")
    assert ref.label and "Convention against Corruption" in ref.label


def test_footnote_8_of_70_174_expands_to_the_convention_and_its_three_protocols() -> None:
    [ref] = _footnote(RES_70_174, "8")
    assert [u["volume"] for u in ref.unts] == [2225, 2237, 2241, 2326]
    assert {u["registration"] for u in ref.unts} == {39574}
    assert ref.text.startswith("Ibid.")
    assert ref.label == "United Nations Convention against Transnational Organized Crime and " \
                        "the Protocols thereto"


def test_footnote_13_of_70_174_gives_two_protocols_and_a_resolution_annex() -> None:
    treaty, resolution = _footnote(RES_70_174, "13")
    assert [u["volume"] for u in treaty.unts] == [2171, 2173]
    assert treaty.unts[0]["registration"] == 27531
    assert (resolution.kind, resolution.session, resolution.number) == ("resolution", "66", "138")
    assert "annex" in resolution.text


@pytest.mark.parametrize("name", [RES_70_174, RES_70_178, RES_76_181, COMPILATION, REPORT])
def test_every_span_is_the_cited_text_in_the_source(name: str) -> None:
    """The span is exact: it starts at the citation's first printed character and ends at its
    last. The text is the clean text within it, whitespace collapsed (PDF line breaks and
    indentation), so every character of it stands in the span, in order; what the reader
    leaves out (markdown emphasis and link markup here) may stand between them."""
    text = _read(name).text
    for ref in _references(name):
        printed = iter(text[ref.span[0]:ref.span[1]])
        assert all(char in printed for char in ref.text.replace(" ", ""))
        assert text[ref.span[0]] == ref.text[0] and text[ref.span[1] - 1] == ref.text[-1]
        assert ref.text == ref.text.strip() and "\n" not in ref.text and "  " not in ref.text


@pytest.mark.parametrize("name", [RES_70_174, RES_70_178, RES_76_181, COMPILATION, REPORT])
def test_every_reference_has_a_kind_and_an_iri_or_a_reason(name: str) -> None:
    for ref in _references(name):
        assert ref.kind in ("resolution", "decision", "treaty", "document", "other")
        assert ref.iri or ref.reason, ref


def test_the_masthead_cites_the_report_but_not_the_document_itself() -> None:
    masthead = [r for r in _references(RES_76_181) if r.paragraph is None and r.location == "text"]
    assert [r.symbol for r in masthead] == ["A/76/463"]


def test_footnotes_of_report_drafts_are_labelled_by_draft() -> None:
    labels = {r.footnote for r in _references(REPORT) if r.location == "footnote"}
    assert {"I:1", "VIII:13", "decision:1"} <= labels
    [ref] = [r for r in _references(REPORT) if r.footnote == "II:11"][:1]
    assert ref.symbol == "UNODC/CCPCJ/EG.1/2012/2"


def test_report_drafts_cite_for_the_general_assembly() -> None:
    its = [r for r in _references(REPORT) if r.text.startswith("its resolution")]
    assert {r.body for r in its} == {"GA", "COP-UNTOC"}
    # "adopted by the Conference of the Parties … in its resolution 6/1": the Conference's.
    assert {(r.session, r.number) for r in its if r.body == "COP-UNTOC"} == {("6", "1")}


def test_compilation_tags_are_other_references_of_their_recommendation() -> None:
    refs = _references(COMPILATION)
    tags = [r for r in refs if r.kind == "other"]
    assert len(tags) == 279
    assert tags[0].text == "[AP 62(a)]" and tags[0].paragraph == "rec/1"
    # The compilation is about the Fourteenth Congress (its title), though its text also names
    # the Thirteenth: every tag is a paragraph of a Fourteenth Congress regional meeting.
    assert all(r.iri and "/congress/14/rpm/" in r.iri for r in tags)
    assert tags[0].iri.endswith("congress/14/rpm/ap/report/para/62/a")


def test_a_78th_session_resolution_in_pdf_text_is_read_like_the_corpus() -> None:
    # A shape the corpus does not contain (PDF text, footnotes at each page foot), read by the
    # PDF reader: the same citations come out, with their verbs and footnote labels.
    doc = read_document(Path(__file__).parent / "fixtures" / "pdf_text_78_227.txt")
    refs = extract_references(doc)
    assert [(r.footnote, r.kind, r.session, r.number, r.symbol) for r in refs] == [
        (None, "document", None, None, "A/78/474"),
        (None, "resolution", "76", "181", None),
        (None, "resolution", "46", "152", None),
        (None, "resolution", "77", "182", None),
        ("1", "document", None, None, "A/CONF.234/16"),
        ("2", "document", None, None, "A/CONF.234/16"),
        ("3", "treaty", None, None, None),
        ("4", "treaty", None, None, None),
        ("5", "document", None, None, "E/2023/30"),
        ("6", "document", None, None, "A/78/122"),
        ("7", "resolution", "77", "182", None),
    ]
    assert refs[2].verb == "Recalling also"
    assert refs[7].label == "United Nations Convention against Corruption"
    for ref in refs:
        assert " ".join(doc.text[ref.span[0]:ref.span[1]].split()) == ref.text


def test_a_hand_made_ecosoc_document_resolves_its_to_the_council() -> None:
    doc = hand_document(
        [("preamble/1", "Recalling its resolution 2013/40 and General Assembly resolution 70/1,",
          "Recalling"),
         ("para/1", "Requests the Commission on Narcotic Drugs to report;", "Requests"),
         ("para/2", "Invites the Commission to act in accordance with the Convention against "
                    "Corruption,", "Invites")],
        [("1", "United Nations, Treaty Series, vol. 9999, No. 77777.", "para/2"),
         ("2", "Ibid., annex.", "para/2")],
        body="ECOSOC", symbol="E/RES/2015/1")
    refs = extract_references(doc)
    assert [(r.body, r.session, r.number, r.verb) for r in refs if r.kind == "resolution"] == \
        [("ECOSOC", "2013", "40", "Recalling"), ("GA", "70", "1", "Recalling")]
    unknown_treaty, repeated = [r for r in refs if r.location == "footnote"]
    assert unknown_treaty.unts == [{"registration": 77777, "volume": 9999}]
    assert unknown_treaty.label == "Convention against Corruption"
    assert unknown_treaty.iri == "https://w3id.org/unkg/treaty/unts/77777"
    assert (repeated.footnote, repeated.unts, repeated.text) == ("2", unknown_treaty.unts, "Ibid., annex")
    for ref in refs:
        assert " ".join(doc.text[ref.span[0]:ref.span[1]].split()) == ref.text


# Citations that a page break of PDF text splits: (where, text before the break, the page
# furniture the reader leaves out of the clean text, text after it, expected ``text``).
PAGE_BREAK_ROWS = [
    # A body name on one page, its resolution on the next, page-foot footnotes and the next
    # page's running head in between.
    ("text", "Recalling Security Council",
     "\n__________________\n5 See A/80/1.\n2/3 25-21456\nA/RES/99/1 Crime prevention\n",
     " resolution 2347 (2017), on cultural heritage,", "Security Council resolution 2347 (2017)"),
    # A UNTS footnote split after its volume: the next page's header stands inside it.
    ("footnote", "United Nations, Treaty Series, vol. 2349,",
     "\n25-21456 3/3\nA/RES/99/1\n", "\n   No. 42146.",
     "United Nations, Treaty Series, vol. 2349, No. 42146"),
    # No furniture, only a PDF line break with indentation: collapsed to one space.
    ("text", "Recalling its resolution 46/152 of 18",
     "", "\n            December 1991,", "its resolution 46/152 of 18 December 1991"),
]


def _paged_document(where: str, before: str, furniture: str, after: str) -> Document:
    """A document whose paragraph (or footnote) is printed around page furniture: the clean
    text skips it, as the PDF-text reader's does, while the source text keeps it."""
    intro = "Recalling the Convention,\n" if where == "footnote" else ""
    source = intro + before + furniture + after + "\n"
    content = CleanText()
    content.append(source, len(intro), len(intro) + len(before))
    content.append(source, len(intro) + len(before) + len(furniture), len(source) - 1)
    if where == "text":
        return replace(hand_document([]), text=source, paragraphs=[
            Paragraph("preamble/1", "preamble", content, opening="Recalling")])
    paragraph = Paragraph("preamble/1", "preamble", clean(intro.rstrip("\n")), opening="Recalling",
                          markers=[Marker("1", len(intro) - 2)])
    return replace(hand_document([]), text=source, paragraphs=[paragraph],
                   footnotes=[Footnote("1", content, paragraph="preamble/1")])


@pytest.mark.parametrize("where, before, furniture, after, expected", PAGE_BREAK_ROWS,
                         ids=["sc-split-by-page-foot", "unts-footnote-split", "line-break-only"])
def test_a_citation_split_by_a_page_break_reads_without_the_furniture(
        where: str, before: str, furniture: str, after: str, expected: str) -> None:
    doc = _paged_document(where, before, furniture, after)
    [ref] = [r for r in extract_references(doc) if r.location == where]
    assert ref.text == expected
    # The span stays exact: it runs over the furniture, from the citation's first printed
    # character to its last.
    printed = doc.text[ref.span[0]:ref.span[1]]
    assert furniture in printed
    assert " ".join((printed.replace(furniture, " ") if furniture else printed).split()) == expected


def test_a_part_of_a_report_names_its_footnotes_after_its_label() -> None:
    doc = hand_document([("preamble/1", "Recalling its resolution 73/1,", "Recalling")],
                        [("1", "Resolution 73/1.", "preamble/1")], body="GA", symbol=None,
                        label="IV", kind="draft-resolution")
    assert [(r.footnote, r.body, r.number) for r in extract_references(doc)] == \
        [(None, "GA", "1"), ("IV:1", "GA", "1")]


# The adoption year of the citing text bounds the sessions an addressed body can have held:
# (date of the document, kind and body of "its resolution 12/3" addressed to the Conference).
YEAR_ROWS = [
    # By 2027 the Conference (eleven sessions by 2025) can have held a twelfth: its 12/3.
    ("2027-12-15", "resolution", "COSP-UNCAC"),
    # In 2024 it cannot, nor can the Assembly have a "12/3": kept as "other", with the reason.
    ("2024-12-15", "other", None),
]


@pytest.mark.parametrize("date, kind, body", YEAR_ROWS, ids=[r[0] for r in YEAR_ROWS])
def test_the_adoption_year_bounds_the_sessions_of_an_addressed_body(date: str, kind: str,
                                                                     body: str | None) -> None:
    doc = replace(hand_document(
        [("para/3", "Invites the Conference of the States Parties to consider, in accordance "
                    "with its resolution 12/3, the matter;", "Invites")]), date=date)
    assert [(r.kind, r.body) for r in extract_references(doc)] == [(kind, body)]


def test_a_sub_item_cites_with_the_verb_of_its_paragraph() -> None:
    doc = hand_document([("para/5", "Requests the Office:", "Requests"),
                         ("para/5/a", "To implement resolution 70/1;", None)])
    doc.paragraphs[1].parent = "para/5"
    [ref] = extract_references(doc)
    assert (ref.paragraph, ref.verb) == ("para/5/a", "Requests")


def test_citations_nothing_can_resolve_are_kept_with_a_reason() -> None:
    doc = hand_document([("para/1", "Recalls resolution 12/3.", "Recalls")], body=None)
    [ref] = extract_references(doc)
    assert (ref.kind, ref.text) == ("other", "resolution 12/3")
    assert ref.reason


MARKER_ROWS = [
    # A title right before the marker.
    ("ratification of the United Nations Convention against Corruption,",
     "United Nations Convention against Corruption"),
    # Small words inside a title, and a year.
    ("acceding to the Single Convention on Narcotic Drugs of 1961 as amended by the 1972 Protocol,",
     "Single Convention on Narcotic Drugs of 1961 as amended by the 1972 Protocol"),
    # Plural with "thereto".
    ("and the Optional Protocols thereto,", "Optional Protocols thereto"),
    # Parenthesised short title kept.
    ("the United Nations Rules for the Treatment of Women Prisoners and Non-custodial Measures "
     "for Women Offenders (the Bangkok Rules);",
     "United Nations Rules for the Treatment of Women Prisoners and Non-custodial Measures for "
     "Women Offenders (the Bangkok Rules)"),
    # Where and when it was signed, between the title and the marker, is passed over.
    ("such as the Convention for the Suppression of the Traffic in Women of Full Age, signed at "
     "Geneva on 11 October 1933,",
     "Convention for the Suppression of the Traffic in Women of Full Age"),
    ("the Convention on Biological Diversity, adopted by the United Nations Conference on "
     "Environment and Development on 5 June 1992,", "Convention on Biological Diversity"),
    # No title before the marker: nothing.
    ("which were submitted to the Congress and discussed at length", None),
]


@pytest.mark.parametrize("text, expected", MARKER_ROWS, ids=[str(r[1])[:30] for r in MARKER_ROWS])
def test_name_before_marker(text: str, expected: str | None) -> None:
    assert name_before_marker(text) == expected


VERB_ROWS = [
    # Preambular participles and operative verbs share a row; adverbs are dropped.
    ("Recalling also", "obtainsBackgroundFrom"),
    ("Also recalls", "obtainsBackgroundFrom"),
    ("Reaffirming", "confirms"),
    ("Bearing in mind", "citesForInformation"),
    ("Welcomes with appreciation", "agreesWith"),
    ("Takes note with appreciation", "citesForInformation"),
    ("Endorses", "supports"),
    ("Requests", "citesAsAuthority"),
    ("Noting", "citesForInformation"),
    ("Recognizing", "agreesWith"),
    ("Emphasizing", "citesAsAuthority"),
    ("Acknowledging", "credits"),
    ("Guided by", "citesAsAuthority"),
    ("Expressing appreciation", "credits"),
    ("Having considered", "reviews"),
    ("Urges", "citesAsPotentialSolution"),
    # Unknown or missing: plain cites.
    ("We declare", "cites"),
    (None, "cites"),
]


@pytest.mark.parametrize("verb, expected", VERB_ROWS, ids=[str(r[0]) for r in VERB_ROWS])
def test_characterization(verb: str | None, expected: str) -> None:
    assert characterization(verb) == CITO[expected]
