"""graph.readers.tab_text on A/RES/70/174 (000) and A/RES/70/178 (002) of the corpus, and on a
hand-made ECOSOC resolution in the same shape (fixtures/tab_text_ecosoc_2014_22.txt: masthead,
adoption line and footnotes as the document system prints them; the paragraphs are shortened)
with broken variants of it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from graph.document import Document, ReaderError
from graph.readers import detect_format, read_document, read_text, tab_text

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FIXTURE = Path(__file__).parent / "fixtures" / "tab_text_ecosoc_2014_22.txt"
RES_70_174 = "000_d84c65ec1904ae7a.txt"
RES_70_178 = "002_4d87f6f1b0825404.txt"


@cache
def corpus_document(name: str) -> Document:
    return read_document(CORPUS / name)


@pytest.mark.parametrize("name", [RES_70_174, RES_70_178], ids=["70/174", "70/178"])
def test_read_document_chooses_tab_text_by_content(name: str) -> None:
    assert detect_format((CORPUS / name).read_text(encoding="utf-8")) is tab_text
    assert corpus_document(name).format == "tab_text"


@pytest.mark.parametrize("name, expected", [
    (RES_70_174, dict(kind="resolution", symbol="A/RES/70/174", number="70/174", body="GA",
                      session="70", agenda_item="106", date="2015-12-17",
                      meeting="80th plenary meeting", report="A/70/490",
                      distributed="2016-01-08",
                      title="Thirteenth United Nations Congress on Crime Prevention and "
                            "Criminal Justice")),
    (RES_70_178, dict(kind="resolution", symbol="A/RES/70/178", number="70/178", body="GA",
                      session="70", agenda_item="106", date="2015-12-17",
                      meeting="80th plenary meeting", report="A/70/490",
                      distributed="2016-02-25",
                      title="Strengthening the United Nations crime prevention and criminal "
                            "justice programme, in particular its technical cooperation "
                            "capacity")),
], ids=["70/174", "70/178"])
def test_metadata(name: str, expected: dict[str, str]) -> None:
    document = corpus_document(name)
    assert {field: getattr(document, field) for field in expected} == expected


@pytest.mark.parametrize("name, section, kind, count", [
    (RES_70_174, "body", "preamble", 12),
    (RES_70_174, "body", "operative", 17),
    (RES_70_174, "annex", "heading", 1),
    (RES_70_174, "annex", "preamble", 3),
    (RES_70_174, "annex", "operative", 14),
    (RES_70_174, "annex", "item", 60),
    (RES_70_178, "body", "preamble", 47),
    (RES_70_178, "body", "operative", 50),
    (RES_70_178, "annex", "operative", 0),
], ids=["174-preamble", "174-operative", "174-annex-heading", "174-annex-preamble",
        "174-annex-operative", "174-annex-items", "178-preamble", "178-operative",
        "178-no-annex"])
def test_paragraph_counts(name: str, section: str, kind: str, count: int) -> None:
    paragraphs = corpus_document(name).paragraphs
    assert sum(p.section == section and p.kind == kind for p in paragraphs) == count


@pytest.mark.parametrize("name, count", [(RES_70_174, 29), (RES_70_178, 26)],
                         ids=["70/174", "70/178"])
def test_every_footnote_is_read_and_attached(name: str, count: int) -> None:
    document = corpus_document(name)
    assert [f.label for f in document.footnotes] == [str(n) for n in range(1, count + 1)]
    assert all(f.paragraph for f in document.footnotes)
    assert document.warnings == []


@pytest.mark.parametrize("name, label, paragraph, before", [
    (RES_70_174, "1", "preamble/8", "pursuant to that resolution,"),
    (RES_70_174, "4", "preamble/12", "report of the Thirteenth Congress"),
    (RES_70_174, "7", "para/11", "United Nations Convention against Corruption,"),
    (RES_70_174, "8", "para/11", "and the Protocols thereto"),
    (RES_70_174, "9", "annex/para/5/b", "Vienna Convention on Consular Relations;"),
    (RES_70_174, "25", "annex/para/9/c", "Cultural Property of 1970,"),
    (RES_70_174, "29", "annex/para/9/g", "transnational organized crime committed at sea."),
    (RES_70_178, "5", "preamble/2", "United Nations Convention against Corruption"),
    (RES_70_178, "6", "preamble/3", "held in Doha from 12 to 19 April 2015,"),
    (RES_70_178, "22", "para/1", "69/199 of 18 December 2014;"),
    (RES_70_178, "26", "para/28", "supplementing the United Nations Convention against "
                                  "Transnational Organized Crime,"),
], ids=["174-fn1", "174-fn4", "174-fn7", "174-fn8", "174-fn9-item", "174-fn25-year",
        "174-fn29-stop", "178-fn5-word", "178-fn6-year", "178-fn22", "178-fn26"])
def test_footnote_marker_positions(name: str, label: str, paragraph: str, before: str) -> None:
    document = corpus_document(name)
    footnote = next(f for f in document.footnotes if f.label == label)
    assert footnote.paragraph == paragraph
    offset = footnote.marker_offset
    assert document.text[offset:offset + len(label)] == label
    assert document.text[:offset].endswith(before)
    marker = next(m for m in document.paragraph(paragraph).markers if m.label == label)
    assert document.paragraph(paragraph).text[:marker.offset].endswith(before)


@pytest.mark.parametrize("name, paragraph, labels", [
    # footnote 4 is referenced again in operative paragraph 2
    (RES_70_174, "para/2", ["4"]),
    (RES_70_178, "para/3", ["7"]),
    (RES_70_178, "para/4", ["1", "2", "3", "4", "5"]),
    (RES_70_178, "para/6", ["9"]),
], ids=["174-para2", "178-para3", "178-para4", "178-para6"])
def test_repeated_references_stay_on_their_paragraph(name: str, paragraph: str,
                                                     labels: list[str]) -> None:
    assert [m.label for m in corpus_document(name).paragraph(paragraph).markers] == labels


def test_clean_text_drops_markers_and_numbers() -> None:
    paragraph = corpus_document(RES_70_174).paragraph("para/11")
    assert paragraph.number == "11"
    assert paragraph.text.startswith("Also requests the United Nations Office on Drugs and Crime")
    assert ("United Nations Convention against Corruption, the United Nations Convention against "
            "Transnational Organized Crime and the Protocols thereto and the international "
            "counter-terrorism instruments;") in paragraph.text
    footnote = corpus_document(RES_70_178).footnotes[21]
    assert (footnote.label, footnote.text) == ("22", "A/70/99.")


@pytest.mark.parametrize("name", [RES_70_174, RES_70_178], ids=["70/174", "70/178"])
def test_clean_text_maps_back_to_the_source(name: str) -> None:
    document = corpus_document(name)
    contents = [p.content for p in document.paragraphs] + [f.content for f in document.footnotes]
    for content in contents:
        assert len(content.offsets) == len(content.text)
        assert all(document.text[offset] == char
                   for char, offset in zip(content.text, content.offsets))


@pytest.mark.parametrize("name", [RES_70_174, RES_70_178], ids=["70/174", "70/178"])
def test_page_furniture_never_reaches_the_model(name: str) -> None:
    document = corpus_document(name)
    texts = [p.text for p in document.paragraphs] + [f.text for f in document.footnotes]
    for furniture in ("<<ODS", "Distr.", "(E)", "Please recycle", "[DU1]", "[Start1]",
                      "plenary meeting", "The General Assembly,", "Agenda item"):
        assert not any(furniture in text for text in texts), furniture
    assert not any(text.strip().isdigit() or "/16" == text[-3:] for text in texts)


@pytest.mark.parametrize("paragraph, opening", [
    ("preamble/4", "Recalling also"),
    ("preamble/7", "Bearing in mind also"),
    ("preamble/12", "Having considered"),
    ("para/2", "Takes note with appreciation"),
    ("para/3", "Expresses its appreciation"),
    ("para/9", "Also welcomes"),
    ("annex/preamble/1", None),
    ("annex/preamble/2", "Having assembled"),
    ("annex/para/2", "We reaffirm"),
    ("annex/para/5/a", None),
], ids=lambda value: value)
def test_opening_phrases_of_70_174(paragraph: str, opening: str | None) -> None:
    assert corpus_document(RES_70_174).paragraph(paragraph).opening == opening


def test_annex_paragraphs_carry_the_declaration_title() -> None:
    document = corpus_document(RES_70_174)
    title = document.paragraph("annex/heading/1").text
    assert title.startswith("Doha Declaration on Integrating Crime Prevention")
    annex = [p for p in document.paragraphs if p.section == "annex" and p.kind != "heading"]
    assert {p.heading for p in annex} == {title}
    assert document.paragraph("annex/para/5/t").parent == "annex/para/5"


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def test_ecosoc_resolution_metadata_comes_from_its_text() -> None:
    document = read_text(fixture_text(), FIXTURE.name)
    assert (document.symbol, document.number, document.body, document.session,
            document.agenda_item, document.report, document.distributed) == (
        "E/RES/2014/22", "2014/22", "ECOSOC", "2014", "18(c)", "E/2014/30", "2014-08-06")
    assert [(f.label, f.paragraph) for f in document.footnotes] == [
        ("1", "preamble/2"), ("2", "preamble/2"), ("3", "para/2/a")]
    assert document.warnings == []


def without_lines(text: str, *starts: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith(starts))


@pytest.mark.parametrize("edit, warnings", [
    # no footnote section at all: every marker is reported
    (lambda text: without_lines(text, "\t1\t", "\t2\t", "\t3\t"),
     ["marker 1 in preamble/2 has no footnote", "marker 2 in preamble/2 has no footnote",
      "marker 3 in para/2/a has no footnote"]),
    # one footnote lost
    (lambda text: without_lines(text, "\t3\t"), ["marker 3 in para/2/a has no footnote"]),
    # one marker lost: its footnote is kept, unattached
    (lambda text: text.replace("thereto1", "thereto"), ["footnote 1 has no marker in the text"]),
], ids=["no-footnote-section", "marker-without-footnote", "footnote-without-marker"])
def test_broken_footnotes_give_warnings(edit, warnings: list[str]) -> None:
    document = tab_text.read(edit(fixture_text()), "broken.txt")
    assert document.warnings == warnings
    assert len(document.paragraphs) == 7


@pytest.mark.parametrize("text, message", [
    # truncated after the title: nothing of the resolution's text is left
    ("\n".join(fixture_text().split("\n")[:6]), "truncated"),
    ("Report of the Third Committee\n\n\t1.\tAt its 2nd plenary meeting, the General "
     "Assembly decided to include the item.", "not a resolution"),
], ids=["truncated", "not-a-resolution"])
def test_unreadable_input_is_a_reader_error(text: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        tab_text.read(text, "broken.txt")


def test_file_cut_in_the_preamble_keeps_what_is_left() -> None:
    truncated = fixture_text()[:fixture_text().index("\t1.\t")]
    document = read_text(truncated, "cut.txt")
    # the preamble survives, the footnote section does not: the reader says so
    assert [p.id for p in document.paragraphs] == ["preamble/1", "preamble/2"]
    assert document.warnings == ["marker 1 in preamble/2 has no footnote",
                                 "marker 2 in preamble/2 has no footnote"]


def test_windows_line_ends_and_byte_order_mark_read_the_same() -> None:
    text = (CORPUS / RES_70_174).read_text(encoding="utf-8")
    windows = read_text("\ufeff" + text.replace("\n", "\r\n"), "crlf.txt")
    assert windows.format == "tab_text"
    assert [(p.id, p.text) for p in windows.paragraphs] == [
        (p.id, p.text) for p in corpus_document(RES_70_174).paragraphs]
    assert [f.text for f in windows.footnotes] == [
        f.text for f in corpus_document(RES_70_174).footnotes]


@pytest.mark.parametrize("meeting_lines", [
    "45th plenary meeting\n16 July 2014",
    "45th plenary meeting 16 July 2014",
    "\t45th plenary meeting\n\t16 July 2014",
    "\t45th plenary meeting 16 July 2014",
    "\t\t45th plenary meeting\n16 July 2014",
], ids=["own-lines", "one-line", "indented", "indented-one-line", "indented-twice"])
def test_meeting_line_is_the_meeting_however_it_is_indented(meeting_lines: str) -> None:
    text = fixture_text().replace("45th plenary meeting\n16 July 2014", meeting_lines)
    document = tab_text.read(text, "meeting.txt")
    assert (document.meeting, document.date) == ("45th plenary meeting", "2014-07-16")
    assert [p.id for p in document.paragraphs][-1] == "para/3"
    assert len(document.paragraphs) == 7


def without_ods_furniture(text: str) -> str:
    """The fixture as some exports end it: no ``<<ODS`` tags, only a page number after the
    footnotes."""
    return text[:text.index("[Start1]<<ODS")] + "\n2/2\n"


@pytest.mark.parametrize("edit", [
    without_ods_furniture,
    # footnotes as "N text" lines, not tab-separated (000's shape)
    lambda text: re.sub(r"^\t(\d)\t", r"\1 ", without_ods_furniture(text), flags=re.M),
    # a job number and page number between two footnotes
    lambda text: without_ods_furniture(text).replace("\n\t3\t", "\n14-58827 (E)\n1/2\n\t3\t"),
    # trailing blank lines and no final page number
    lambda text: text[:text.index("[Start1]<<ODS")] + "\n\n\n",
], ids=["page-number-only", "space-separated-labels", "furniture-inside", "no-furniture"])
def test_footnotes_of_a_resolution_without_annex_or_ods_tags(edit) -> None:
    document = tab_text.read(edit(fixture_text()), "no-ods.txt")
    assert [(f.label, f.paragraph, f.text) for f in document.footnotes] == [
        ("1", "preamble/2", "United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, "
                            "No. 39574."),
        ("2", "preamble/2", "Ibid., vol. 2349, No. 42146."),
        ("3", "para/2/a", "See A/CONF.222/17.")]
    assert [p.kind for p in document.paragraphs].count("heading") == 0
    assert document.warnings == []


def test_numbered_line_out_of_sequence_is_not_a_footnote() -> None:
    # An unindented line "2 ..." right above footnotes 1-3 does not count down to them.
    text = without_ods_furniture(fixture_text()).replace(
        "\n\t1\t", "\n2 Further information on the follow-up\n\t1\t")
    document = tab_text.read(text, "sequence.txt")
    assert [f.label for f in document.footnotes] == ["1", "2", "3"]
    assert document.paragraphs[-1].text == "2 Further information on the follow-up"
