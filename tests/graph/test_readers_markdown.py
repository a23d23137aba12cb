"""graph.readers.markdown on A/RES/76/181 (001 of the corpus) and on a short hand-made
resolution in the same shape (fixtures/markdown_77_232.txt: masthead, ``<sup>`` and bare
markers, a paragraph cut by a page break with the page's footnotes in between; its text is
modelled on the real resolutions, not copied from one), with broken variants of it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from graph.document import Document, ReaderError
from graph.readers import detect_format, markdown, read_document

ROOT = Path(__file__).resolve().parents[2]
RES_76_181 = ROOT / "corpus" / "001_58fb4a8a10c58e57.txt"
FIXTURE = Path(__file__).parent / "fixtures" / "markdown_77_232.txt"


@cache
def kyoto() -> Document:
    return read_document(RES_76_181)


def test_read_document_chooses_markdown_by_content() -> None:
    assert detect_format(RES_76_181.read_text(encoding="utf-8")) is markdown
    assert kyoto().format == "markdown"


def test_metadata() -> None:
    document = kyoto()
    assert (document.kind, document.symbol, document.number, document.body, document.session,
            document.agenda_item, document.date, document.meeting, document.report,
            document.distributed, document.title) == (
        "resolution", "A/RES/76/181", "76/181", "GA", "76", "108", "2021-12-16",
        "53rd plenary meeting", "A/76/463", "2022-01-11",
        "Fourteenth United Nations Congress on Crime Prevention and Criminal Justice")


@pytest.mark.parametrize("section, kind, count", [
    ("body", "preamble", 6),
    ("body", "operative", 13),
    ("body", "item", 0),
    ("annex", "heading", 28),
    ("annex", "preamble", 8),
    ("annex", "operative", 97),
], ids=["preamble", "operative", "items", "annex-headings", "annex-preamble", "annex-operative"])
def test_paragraph_counts(section: str, kind: str, count: int) -> None:
    assert sum(p.section == section and p.kind == kind for p in kyoto().paragraphs) == count


def test_footnotes_and_the_markers_the_conversion_lost() -> None:
    document = kyoto()
    assert [f.label for f in document.footnotes] == [str(n) for n in range(1, 21)]
    # the markers of footnotes 3, 7 and 18 are not in the converted text at all
    assert document.warnings == ["footnote 3 has no marker in the text",
                                 "footnote 7 has no marker in the text",
                                 "footnote 18 has no marker in the text"]
    assert [f.label for f in document.footnotes if f.paragraph is None] == ["3", "7", "18"]


@pytest.mark.parametrize("label, paragraph, before", [
    ("1", "preamble/6", "Crime Prevention and Criminal Justice"),
    ("2", "para/3", "brought to the attention of the Fourteenth Congress,"),
    ("4", "annex/preamble/5", "the 2030 Agenda for Sustainable Development"),
    ("5", "annex/para/20", "and the Protocols thereto,"),
    ("6", "annex/para/20", "the United Nations Convention against Corruption,"),
    ("8", "annex/para/35", "(the Nelson Mandela Rules),"),
    ("9", "annex/para/35", "(the Bangkok Rules);"),
    ("10", "annex/para/36", "(the Tokyo Rules);"),
    ("12", "annex/para/43", "special session of the General Assembly;"),
    ("15", "annex/para/51", "taking into consideration the documents"),
    ("17", "annex/para/82", "supplementing the Convention"),
    ("20", "annex/para/89", "Other Related Offences,"),
], ids=["sup", "sup-after-space", "sup-annex-preamble", "sup-comma", "sup-second",
        "bare", "bare-end", "bare-before-heading", "bare-12", "sup-15", "sup-17", "bare-20"])
def test_footnote_marker_positions(label: str, paragraph: str, before: str) -> None:
    document = kyoto()
    footnote = next(f for f in document.footnotes if f.label == label)
    assert footnote.paragraph == paragraph
    assert document.text[footnote.marker_offset:].startswith(label)
    marker = next(m for m in document.paragraph(paragraph).markers if m.label == label)
    assert document.paragraph(paragraph).text[:marker.offset].rstrip().endswith(before)


@pytest.mark.parametrize("paragraph, fragment", [
    # cut by a page break with nothing printed in between but blank lines
    ("preamble/4", "and invited the intergovernmental bodies of the United Nations system"),
    # cut by a page number
    ("annex/preamble/2", "vowed to coordinate and intensify crime prevention efforts"),
    # continued in upper case: the paragraph before had not ended
    ("annex/para/17", "central role of the United Nations, including the role of the United "
                      "Nations Office on Drugs and Crime"),
    # cut by the page's footnotes
    ("annex/para/25", "on effective management and disposal of seized and confiscated assets"),
    ("annex/para/8", "advanced technologies as tools against crime"),
], ids=["blank-lines", "page-number", "upper-case", "footnotes", "footnotes-2"])
def test_paragraphs_cut_by_page_breaks_are_joined(paragraph: str, fragment: str) -> None:
    assert fragment in kyoto().paragraph(paragraph).text


@pytest.mark.parametrize("paragraph, field, value", [
    ("para/6", "opening", "Endorses"),
    ("para/13", "opening", "Also requests"),
    ("annex/preamble/3", "opening", "Taking stock"),
    ("annex/para/18", "opening", "We strongly reaffirm"),
    # imperatives under "We therefore endeavour to take the following actions:"
    ("annex/para/21", "opening", None),
    # a "####" line that ends like a sentence is a paragraph of the declaration
    ("annex/preamble/6", "text", "Declare the following:"),
    ("annex/heading/1", "text", "Kyoto Declaration on Advancing Crime Prevention, Criminal "
                                "Justice and the Rule of Law: Towards the Achievement of the "
                                "2030 Agenda for Sustainable Development"),
    ("annex/heading/2", "text", "Advancing crime prevention"),
    ("annex/para/21", "heading", "Addressing the causes, including the root causes, of crime"),
    ("annex/para/37", "heading", "Reducing reoffending through rehabilitation and reintegration"),
    ("annex/para/36", "heading", "Improving prison conditions"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None)
def test_structure(paragraph: str, field: str, value: str | None) -> None:
    assert getattr(kyoto().paragraph(paragraph), field) == value


def test_markup_and_furniture_never_reach_the_model() -> None:
    document = kyoto()
    texts = [p.text for p in document.paragraphs] + [f.text for f in document.footnotes]
    for furniture in ("<sup>", "</sup>", "*", "#", "21-19220", "lt;", "  "):
        assert not any(furniture in text for text in texts), furniture
    assert not any(re.search(r"(?<![/\d.])\d{1,2}/16\b", text) for text in texts)  # page numbers
    assert document.footnotes[4].text == ("United Nations, Treaty Series, vols. 2225, 2237, "
                                          "2241 and 2326, No. 39574.")


def test_clean_text_maps_back_to_the_source() -> None:
    document = kyoto()
    for content in [p.content for p in document.paragraphs] + [f.content for f in
                                                                document.footnotes]:
        assert len(content.offsets) == len(content.text)
        # every character is copied from the source, except the space joining a page break
        assert all(document.text[offset] == char or char == " "
                   for char, offset in zip(content.text, content.offsets))


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def test_hand_made_resolution() -> None:
    document = markdown.read(fixture_text(), FIXTURE.name)
    assert (document.symbol, document.session, document.agenda_item, document.report,
            document.meeting, document.distributed) == (
        "A/RES/77/232", "77", "109", "A/77/458", "48th plenary meeting", "2023-01-03")
    assert [(p.id, p.opening) for p in document.paragraphs] == [
        ("preamble/1", "Recalling"), ("preamble/2", "Bearing in mind"), ("para/1", "Takes note"),
        ("para/2", "Invites"), ("para/2/a", None), ("para/2/b", None), ("para/3", "Also invites"),
        ("para/4", "Requests")]
    # the paragraph cut by the page break is one paragraph, not a heading and a fragment
    assert document.paragraph("preamble/2").text.endswith(
        "Convention against Corruption, as well as the other relevant international instruments,")
    assert [(f.label, f.paragraph) for f in document.footnotes] == [
        ("1", "preamble/1"), ("2", "preamble/2"), ("3", "preamble/2"), ("4", "para/1")]
    assert [m.label for m in document.paragraph("para/3").markers] == ["3"]
    assert document.warnings == []


def without_lines(text: str, *starts: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith(starts))


@pytest.mark.parametrize("edit, warnings", [
    (lambda text: without_lines(text, "<sup>"),
     ["marker 1 in preamble/1 has no footnote", "marker 2 in preamble/2 has no footnote",
      "marker 3 in preamble/2 has no footnote", "marker 4 in para/1 has no footnote"]),
    (lambda text: without_lines(text, "<sup>4</sup>"), ["marker 4 in para/1 has no footnote"]),
    (lambda text: text.replace("thereto<sup>2</sup>", "thereto"),
     ["footnote 2 has no marker in the text"]),
], ids=["no-footnote-section", "marker-without-footnote", "footnote-without-marker"])
def test_broken_footnotes_give_warnings(edit, warnings: list[str]) -> None:
    document = markdown.read(edit(fixture_text()), "broken.md")
    assert document.warnings == warnings
    assert len(document.paragraphs) == 8


@pytest.mark.parametrize("text, message", [
    (fixture_text()[:fixture_text().index("The General Assembly,")], "truncated"),
    ("# Report of the Third Committee\n\n1. The Committee considered the item.",
     "not a resolution"),
], ids=["truncated", "not-a-resolution"])
def test_unreadable_input_is_a_reader_error(text: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        markdown.read(text, "broken.md")


@pytest.mark.parametrize("meeting_line", [
    "*48th plenary meeting 15 December 2022*",
    "*48th plenary meeting*",
    "_48th plenary meeting 15 December 2022_",
    "**48th plenary meeting 15 December 2022**",
    "__48th plenary meeting__",
    "*48th plenary meeting*\n\n*15 December 2022*",
    "48th plenary meeting\n15 December 2022",
    "### 48th plenary meeting",
], ids=["italic-with-date", "italic", "underscore", "bold", "bold-underscore",
        "italic-date-below", "date-below", "heading"])
def test_meeting_line_is_the_meeting_not_a_paragraph(meeting_line: str) -> None:
    text = fixture_text().replace("48th plenary meeting 15 December 2022", meeting_line)
    document = markdown.read(text, "emphasis.md")
    assert document.meeting == "48th plenary meeting"
    assert [p.id for p in document.paragraphs][-1] == "para/4"
    assert not any("plenary" in p.text for p in document.paragraphs)
    assert document.date == "2022-12-15"
