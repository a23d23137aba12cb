"""The committee report reader on the Third Committee's report A/68/456 (004) and on small
hand-made reports, including broken ones."""

from pathlib import Path

import pytest

from graph.document import ReaderError
from graph.readers import committee_report, detect_format, read_document, read_text
from graph.readers.committee_report import clean_markdown

CORPUS = Path(__file__).parents[2] / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
SUPERSCRIPTS = set("⁰¹²³⁴⁵⁶⁷⁸⁹")


@pytest.fixture(scope="module")
def report():
    return read_document(next(CORPUS.glob("004_*.txt")))


@pytest.fixture(scope="module")
def drafts(report):
    return {part.label: part for part in report.parts if part.kind == "draft-resolution"}


def _counts(document):
    counts = {}
    for paragraph in document.paragraphs:
        counts[paragraph.kind] = counts.get(paragraph.kind, 0) + 1
    return counts


def test_read_document_picks_the_committee_report_reader_by_content(report):
    text = next(CORPUS.glob("004_*.txt")).read_text(encoding="utf-8")
    assert detect_format(text) is committee_report
    assert read_text(text, "renamed.md").parts[0].label == "I"


def test_report_metadata(report):
    assert (report.kind, report.symbol, report.body, report.session, report.agenda_item,
            report.distributed, report.title) == (
        "report", None, "GA-C3", "68", "108", "2013-12-06",
        "Crime prevention and criminal justice")
    assert report.warnings == []


def test_narrative_paragraphs_are_numbered_and_under_their_headings(report):
    narrative = [p for p in report.paragraphs if p.kind == "narrative"]
    assert [p.number for p in narrative] == [str(n) for n in range(1, 49)]
    assert [p.id for p in report.paragraphs if p.kind == "item"] == [
        "para/3/a", "para/3/b", "para/3/c"]
    assert report.paragraph("para/27").heading == (
        "Consideration of proposals > Draft resolutions A/C.3/68/L.17 and Rev.1")
    assert report.paragraph("para/47").heading == "Recommendations of the Third Committee"


def test_links_are_reduced_to_their_text(report):
    para = report.paragraph("para/30")
    assert para.text == ("Also at its 46th meeting, the Committee adopted draft resolution "
                         "A/C.3/68/L.17/Rev.1 (see para. 47, draft resolution VIII).")
    start, end = para.span
    assert report.text[start:end].startswith("Also at its 46th meeting")
    assert "[A/C.3/68/L.17/Rev.1](#)" in report.text[start:end]


def test_quoted_draft_stays_in_its_narrative_paragraph(report):
    para27 = report.paragraph("para/27").text
    assert para27.startswith("At the 16th meeting, on 17 October, the representative of Belarus")
    assert "\n“Reiterating its strong condemnation of trafficking in persons" in para27
    # the quoted paragraph cut by a page break is joined again
    assert "may themselves fuel trafficking in persons, and that women" in para27
    assert para27.endswith("a report on the implementation of the present resolution.”")
    # a sponsor list cut by a page break goes on in the same paragraph
    assert "Saint Vincent and the Grenadines, San Marino" in report.paragraph("para/33").text


def test_eleven_drafts_and_the_draft_decision(report):
    assert [(p.kind, p.label) for p in report.parts] == [
        ("draft-resolution", label) for label in
        ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI")
    ] + [("draft-decision", None)]
    assert all(p.body == "GA" and p.session == "68" and p.agenda_item == "108"
               for p in report.parts)


@pytest.mark.parametrize("label, preamble, operative, items, footnotes, title", [
    ("I", 14, 22, 0, 5, "Follow-up to the Twelfth United Nations Congress"),
    ("II", 12, 15, 0, 12, "Strengthening crime prevention and criminal justice responses"),
    ("III", 10, 15, 0, 1, "Technical assistance for implementing the international"),
    ("IV", 22, 15, 0, 7, "The rule of law, crime prevention and criminal justice"),
    ("V", 8, 11, 0, 16, "Model strategies and practical measures on the elimination of "
                        "violence against children in the field of crime prevention and "
                        "criminal justice"),
    ("VI", 13, 16, 9, 19, "Standard Minimum Rules for the Treatment of Prisoners"),
    ("VII", 19, 17, 0, 11, "Taking action against gender-related killing"),
    ("VIII", 36, 18, 0, 14, "Improving the coordination of efforts against trafficking"),
    ("IX", 43, 50, 0, 14, "Strengthening the United Nations crime prevention"),
    ("X", 13, 20, 0, 3, "United Nations African Institute for the Prevention of Crime"),
    ("XI", 21, 46, 0, 5, "Preventing and combating corrupt practices and the transfer of "
                         "proceeds of corruption"),
], ids=lambda value: str(value)[:12])
def test_draft_structure(drafts, label, preamble, operative, items, footnotes, title):
    draft = drafts[label]
    counts = _counts(draft)
    assert (counts.get("preamble", 0), counts.get("operative", 0), counts.get("item", 0)) == (
        preamble, operative, items)
    assert [f.label for f in draft.footnotes] == [str(n) for n in range(1, footnotes + 1)]
    assert draft.title.startswith(title)
    assert draft.warnings == []
    assert all(f.paragraph for f in draft.footnotes)


@pytest.mark.parametrize("label, footnote, paragraph, before, text", [
    ("I", "1", "preamble/1", "criminal justice programme,", "Resolution 46/152, annex."),
    ("I", "5", "preamble/14", "report of the Secretary-General,", "E/CN.15/2013/10."),
    ("II", "1", "preamble/2", "resolution 55/25 of 15 November 2000,",
     "United Nations, Treaty Series, vol. 2225, No. 39574."),
    ("V", "3", "preamble/1", "Rights of the Child,",
     "United Nations, Treaty Series, vol. 1577, No. 27531."),
    ("V", "4", "preamble/1", "Rights of the Child,", "A child means every human being"),
    ("VI", "18", "para/9", "pursuant to paragraph 8 above,", "Those inputs include"),
    ("VIII", "13", "preamble/32", "Office on Drugs and Crime,", "A/68/127."),
    ("XI", "4", "para/6", "in the conduct of country reviews;", "CAC/COSP/IRG/2010/7, annex I."),
], ids=lambda value: str(value)[:20])
def test_footnotes_attach_where_their_marker_stands(report, drafts, label, footnote, paragraph,
                                                    before, text):
    note = next(f for f in drafts[label].footnotes if f.label == footnote)
    assert note.paragraph == paragraph
    assert note.text.startswith(text)
    holder = drafts[label].paragraph(paragraph)
    marker = next(m for m in holder.markers if m.label == footnote)
    assert holder.text[:marker.offset].endswith(before)
    assert report.text[note.marker_offset] in SUPERSCRIPTS | set("0123456789")


def test_a_paragraph_cut_by_footnotes_is_joined_again(drafts):
    recalling = drafts["I"].paragraph("preamble/6").text
    assert "emphasized that" in recalling
    assert "agreements and commitments reached at the major United Nations conferences" in recalling
    assert "Resolution 46/152" not in recalling


def test_operative_openings_are_the_printed_italics(drafts):
    openings = {p.id: p.opening for p in drafts["I"].paragraphs if p.kind == "operative"}
    assert openings["para/1"] == "Reiterates its invitation"
    assert openings["para/6"] == "Takes note with appreciation"
    assert openings["para/17"] == "Again encourages"
    assert drafts["I"].paragraph("para/1").text.startswith("Reiterates its invitation to")
    assert drafts["VI"].paragraph("para/5/i").parent == "para/5"


def test_draft_decision(report):
    decision = report.parts[-1]
    assert decision.title == ("Reports considered by the General Assembly in connection with "
                              "the question of crime prevention and criminal justice")
    [sentence] = decision.paragraphs
    assert (sentence.id, sentence.kind, sentence.opening) == ("para/1", "operative", "decides")
    assert [(f.label, f.paragraph, f.text) for f in decision.footnotes] == [
        ("1", "para/1", "A/68/128.")]


def test_no_markup_or_marker_reaches_the_clean_text(report):
    for document in report.walk():
        texts = [p.text for p in document.paragraphs] + [f.text for f in document.footnotes]
        for text in texts:
            assert not SUPERSCRIPTS & set(text)
            assert "](#)" not in text and "*" not in text and "^{" not in text


@pytest.mark.parametrize("markdown, clean, markers", [
    ("see [A/68/125](#);", "see A/68/125;", []),
    ("*Requests* the Secretary-General", "Requests the Secretary-General", []),
    ("Convention,¹² and", "Convention, and", [("12", 11)]),
    ("the Child,^{3,4} and", "the Child, and", [("3", 10), ("4", 10)]),
    ("*Treaty Series*, vol. 2225", "Treaty Series, vol. 2225", []),
], ids=["link", "italic", "superscript", "caret", "italic-title"])
def test_clean_markdown(markdown, clean, markers):
    content, found = clean_markdown(markdown, 0, len(markdown))
    assert content.text == clean
    assert [(m.label, m.offset) for m in found] == markers
    assert all(markdown[offset] == char for char, offset in zip(content.text, content.offsets))


def test_small_report_with_page_furniture():
    report = read_document(FIXTURES / "committee_report_small.md")
    assert (report.symbol, report.body, report.session, report.agenda_item) == (
        "A/74/400", "GA-C3", "74", "107")
    draft, decision = report.parts
    assert (draft.body, draft.report, decision.body, decision.report) == (
        "GA", "A/74/400", "GA", "A/74/400")
    assert draft.paragraph("para/1").text == (
        "Takes note with appreciation of the work done, and of the report thereon;")
    assert [(f.label, f.paragraph) for f in draft.footnotes] == [
        ("1", "preamble/1"), ("2", "preamble/2"), ("3", "para/1")]
    assert [m.label for m in draft.paragraph("para/1").markers] == ["1", "2", "3"]
    assert decision.paragraphs[0].text == (
        "The General Assembly decides to take note of the note by the Secretariat.")
    assert "“1. Decides to remain seized of the matter.”" in report.paragraph("para/3").text
    for document in report.walk():
        assert document.warnings == []
        assert not any("3/16" in p.text or "A/74/400" == p.text for p in document.paragraphs)


def test_marker_without_footnote_is_a_warning():
    report = read_document(FIXTURES / "committee_report_missing_note.md")
    first, second = report.parts
    assert first.warnings == ["marker 2 in para/1 has no footnote"]
    assert [f.label for f in first.footnotes] == ["1"]
    assert second.warnings == [] and second.footnotes == []


def test_truncated_report_warns_about_the_missing_drafts():
    report = read_document(FIXTURES / "committee_report_truncated.md")
    assert report.parts == []
    assert report.warnings == [
        "the report announces a draft resolution but its text is missing (truncated file?)",
        "para/1 refers to draft resolution I, which the report does not reproduce"]


@pytest.mark.parametrize("text", [
    "General Assembly\n\nSeventy-fourth session\n\nReport of the Third Committee\n\n"
    "Draft resolution I\n",
    "General Assembly\n\nReport of the Third Committee\n\nRapporteur: Ms. A. Example\n",
], ids=["drafts-without-narrative", "masthead-only"])
def test_report_without_numbered_paragraphs_is_a_reader_error(text):
    with pytest.raises(ReaderError, match="no numbered paragraph"):
        read_text(text, "broken.md")


def test_markdown_headings_list_items_running_heads_and_a_lost_paragraph():
    report = read_document(FIXTURES / "committee_report_headings.md")
    assert (report.symbol, report.body, report.session, report.agenda_item, report.title) == (
        "A/75/300", "GA-C6", "75", "105", "Crime prevention and criminal justice")
    assert [p.id for p in report.paragraphs] == ["para/1", "para/3", "para/4"]
    assert report.warnings == ["paragraph 2 is missing: the report goes on with paragraph 3"]
    [draft] = report.parts
    assert (draft.label, draft.title) == ("I", "Example matters")
    assert [(p.id, p.opening) for p in draft.paragraphs] == [
        ("preamble/1", "Recalling"), ("para/1", "Requests"), ("para/2", "Decides")]
    assert draft.paragraph("para/1").text == "Requests the Secretary-General to report thereon;"
    assert [(f.label, f.paragraph) for f in draft.footnotes] == [
        ("1", "preamble/1"), ("2", "para/2")]
    assert draft.warnings == []


def test_annex_of_a_draft_has_its_own_section_and_numbering():
    report = read_document(FIXTURES / "committee_report_annex.md")
    [draft] = report.parts
    assert [(p.id, p.kind, p.section, p.parent) for p in draft.paragraphs] == [
        ("para/1", "operative", "body", None),
        ("para/2", "operative", "body", None),
        ("annex/heading/1", "heading", "annex", None),
        ("annex/preamble/1", "preamble", "annex", None),
        ("annex/para/1", "operative", "annex", None),
        ("annex/para/1/a", "item", "annex", "annex/para/1"),
        ("annex/para/2", "operative", "annex", None),
    ]
    assert draft.paragraph("annex/heading/1").text == "Model strategies on example matters"
    assert [(f.label, f.paragraph) for f in draft.footnotes] == [
        ("1", "para/1"), ("2", "annex/para/1")]
    assert [p.id for p in report.paragraphs] == ["para/1"]
    assert draft.warnings == [] and report.warnings == []


def test_numbered_drafts_open_even_when_the_announcement_is_worded_otherwise():
    text = (FIXTURES / "committee_report_missing_note.md").read_text(encoding="utf-8").replace(
        "adoption of the following draft resolutions:", "adoption of two draft resolutions.")
    report = read_text(text, "reworded.md")
    assert [(p.label, p.title) for p in report.parts] == [
        ("I", "Example matters"), ("II", "Other matters")]
