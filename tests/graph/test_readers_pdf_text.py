"""graph.readers.pdf_text on hand-made resolutions shaped like pdftotext output of GA resolution
PDFs (the corpus has none). The fixtures copy the printed layout of 78th-session resolutions:
masthead, wrapped title, first-line indents, footnotes under a rule of underscores at each page
foot (one running on to the next page), running heads that repeat symbol and title, footers with
job number and page; their symbols, dates and wording are made up for the test.

- fixtures/pdf_text_78_227.txt: three pages, preamble and operative paragraphs cut by page
  breaks, markers glued to words, punctuation and years ("March 20212" = 2021 + marker 2).
- fixtures/pdf_text_78_230_annex.txt: two pages, an annex with title, headings and sub-items.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from graph.document import Document, ReaderError
from graph.readers import detect_format, markdown, pdf_text, read_document, tab_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
THREE_PAGES = FIXTURES / "pdf_text_78_227.txt"
WITH_ANNEX = FIXTURES / "pdf_text_78_230_annex.txt"


@cache
def resolution() -> Document:
    return read_document(THREE_PAGES)


def raw(text: str) -> str:
    """The same pages as pdftotext prints them without -layout: no indents, no form feeds."""
    return "\n".join(line.strip(" \f") for line in text.split("\n"))


@pytest.mark.parametrize("path", [THREE_PAGES, WITH_ANNEX], ids=["78/227", "78/230"])
def test_read_document_chooses_pdf_text_by_content(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect_format(text) is pdf_text
    assert detect_format(raw(text)) is pdf_text


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_pdf_text_claims_no_corpus_file(name: str) -> None:
    """003 (PDF text of a compilation) and 004 (a committee report) belong to other readers;
    000-002 are tab text and markdown."""
    path = next((ROOT / "corpus").glob(f"{name}_*.txt"))
    assert pdf_text.sniff(path.read_text(encoding="utf-8")) == 0


@pytest.mark.parametrize("name", ["003", "004"])
def test_resolution_readers_claim_neither_compilation_nor_report(name: str) -> None:
    text = next((ROOT / "corpus").glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    assert [reader.sniff(text) for reader in (tab_text, markdown, pdf_text)] == [0, 0, 0]


def test_metadata() -> None:
    document = resolution()
    assert (document.kind, document.symbol, document.number, document.body, document.session,
            document.agenda_item, document.date, document.meeting, document.report,
            document.distributed) == (
        "resolution", "A/RES/78/227", "78/227", "GA", "78", "111", "2023-12-19",
        "50th plenary meeting", "A/78/474", "2023-12-27")
    assert document.title == (
        "Follow-up to the Fourteenth United Nations Congress on Crime Prevention and Criminal "
        "Justice and preparations for the Fifteenth United Nations Congress on Crime "
        "Prevention and Criminal Justice")


def test_paragraphs_rebuilt_from_wrapped_lines() -> None:
    assert [(p.id, p.kind, p.opening) for p in resolution().paragraphs] == [
        ("preamble/1", "preamble", "Recalling"),
        ("preamble/2", "preamble", "Having considered"),
        ("preamble/3", "preamble", "Bearing in mind"),
        ("preamble/4", "preamble", "Recalling also"),
        ("preamble/5", "preamble", "Taking note with appreciation"),
        ("preamble/6", "preamble", "Welcoming"),
        ("preamble/7", "preamble", "Recognizing"),
        ("para/1", "operative", "Takes note"),
        ("para/2", "operative", "Reaffirms"),
        ("para/3", "operative", "Decides"),
        ("para/3/a", "item", None),
        ("para/3/b", "item", None),
        ("para/3/c", "item", None),
        ("para/4", "operative", "Requests"),
        ("para/5", "operative", "Also requests"),
    ]


@pytest.mark.parametrize("paragraph, text", [
    # cut by the page break, footnotes, footer and the three-line running head
    ("preamble/5", "Taking note with appreciation of the recommendations made by the Commission "
                   "on Crime Prevention and Criminal Justice at its thirty-second session, held "
                   "in Vienna in May 2023 and the discussions held in preparation for the "
                   "Fifteenth Congress,"),
    ("preamble/2", "Having considered the report of the Fourteenth Congress and the resolution "
                   "on the Kyoto Declaration adopted by the Congress in March 2021 and annexed "
                   "to the report,"),
    ("para/3/b", "Strengthening criminal justice systems and international cooperation, in "
                 "accordance with its resolution 77/182;"),
], ids=["across-pages", "year-marker", "item"])
def test_clean_text(paragraph: str, text: str) -> None:
    assert resolution().paragraph(paragraph).text == text


def test_operative_paragraph_continues_on_the_next_page() -> None:
    assert resolution().paragraph("para/2").text.endswith(
        "and in the follow-up to the outcome of the Fourteenth Congress;")


def test_footnotes_from_every_page_foot() -> None:
    document = resolution()
    assert [(f.label, f.paragraph) for f in document.footnotes] == [
        ("1", "preamble/2"), ("2", "preamble/2"), ("3", "preamble/3"), ("4", "preamble/3"),
        ("5", "preamble/5"), ("6", "preamble/7"), ("7", "para/3/b")]
    # wrapped within its page, and continued at the foot of the next page
    assert document.footnotes[4].text == ("See Official Records of the Economic and Social "
                                          "Council, 2023, Supplement No. 10 (E/2023/30), chap. "
                                          "I, sect. B.")
    assert document.footnotes[5].text == (
        "Report of the Secretary-General on the follow-up to the Fourteenth United Nations "
        "Congress on Crime Prevention and Criminal Justice and preparations for the Fifteenth "
        "United Nations Congress on Crime Prevention and Criminal Justice (A/78/122).")
    assert document.warnings == []


@pytest.mark.parametrize("label, before", [
    ("1", "report of the Fourteenth Congress"),
    ("2", "in March 2021"),
    ("3", "and the Protocols thereto,"),
    ("4", "United Nations Convention\n                 against Corruption"),
    ("5", "held in Vienna in May 2023"),
    ("6", "as described in the report\n                 of the Secretary-General,"),
    ("7", "in accordance with its resolution 77/182;"),
], ids=["word", "year", "comma", "word-2", "year-2", "comma-2", "semicolon"])
def test_marker_offsets_point_into_the_source(label: str, before: str) -> None:
    document = resolution()
    footnote = next(f for f in document.footnotes if f.label == label)
    assert document.text[footnote.marker_offset:].startswith(label)
    assert document.text[:footnote.marker_offset].endswith(before)


def test_repeated_markers_are_recorded_where_they_stand() -> None:
    document = resolution()
    assert [m.label for m in document.paragraph("para/1").markers] == ["6"]
    assert [m.label for m in document.paragraph("para/2").markers] == ["4"]


def test_page_furniture_never_reaches_the_model() -> None:
    document = resolution()
    texts = [p.text for p in document.paragraphs] + [f.text for f in document.footnotes]
    for furniture in ("A/RES/78/227", "23-26047", "2326047", "__", "plenary meeting",
                      "Distr.", "  "):
        assert not any(furniture in text for text in texts), furniture
    assert not any(re.search(r"\b\d/3\b", text) for text in texts)


def test_clean_text_maps_back_to_the_source() -> None:
    document = resolution()
    for content in [p.content for p in document.paragraphs] + [f.content for f in
                                                                document.footnotes]:
        assert len(content.offsets) == len(content.text)
        # every character but the single space standing for a line break or a layout gap
        # is copied from the source
        assert all(document.text[offset] == char
                   for char, offset in zip(content.text, content.offsets) if char != " ")


def test_text_without_layout_reads_the_same() -> None:
    layout = resolution()
    plain = pdf_text.read(raw(THREE_PAGES.read_text(encoding="utf-8")), "raw.txt")
    assert [(p.id, p.text) for p in plain.paragraphs] == [(p.id, p.text) for p in
                                                            layout.paragraphs]
    assert [(f.label, f.paragraph, f.text) for f in plain.footnotes] == [
        (f.label, f.paragraph, f.text) for f in layout.footnotes]


@pytest.mark.parametrize("glued, spaced", [
    ("Fourteenth Congress1 and", "Fourteenth Congress 1 and"),
    ("in March 20212\n", "in March 2021 2\n"),
    ("the Protocols thereto,3 and", "the Protocols thereto, 3 and"),
    ("against Corruption4 as", "against Corruption 4 as"),
    ("the Secretary-General,6\n", "the Secretary-General, 6\n"),
], ids=["word", "year-line-end", "comma", "word-2", "comma-line-end"])
def test_markers_set_off_by_a_space_read_like_glued_ones(glued: str, spaced: str) -> None:
    """Raw pdftotext sets a superscript apart from its word when the PDF did ("thereto 2
    in"); the footnote is the next one, so the digits are its marker."""
    layout = resolution()
    text = raw(THREE_PAGES.read_text(encoding="utf-8"))
    assert text.count(glued) == 1
    document = pdf_text.read(text.replace(glued, spaced), "spaced.txt")
    assert [(p.id, p.text) for p in document.paragraphs] == [(p.id, p.text) for p in
                                                               layout.paragraphs]
    assert [(f.label, f.paragraph) for f in document.footnotes] == [
        (f.label, f.paragraph) for f in layout.footnotes]
    assert all(document.text[f.marker_offset] == f.label[0] for f in document.footnotes)
    assert document.warnings == []


@pytest.mark.parametrize("moves, label, paragraph, before", [
    # marker 5 moved from "May 20235 and" to a line end after "Congress,"
    ([("in May 20235 and", "in May 2023 and"),
      ("for the Fifteenth Congress,\n", "for the Fifteenth Congress, 5\n")],
     "5", "preamble/5", "preparation for the Fifteenth Congress,"),
    # marker 6 moved from "Secretary-General,6" to a line end after a year and a comma
    ([("of the Secretary-General,6\n", "of the Secretary-General,\n"),
      ("in Abu Dhabi in 2026,\n", "in Abu Dhabi in 2026, 6\n")],
     "6", "preamble/6", "in Abu Dhabi in 2026,"),
], ids=["word-comma", "year-comma"])
def test_spaced_marker_at_a_line_end_closes_its_paragraph(
        moves: list[tuple[str, str]], label: str, paragraph: str, before: str) -> None:
    """Raw pdftotext prints "the 1972 Protocol, 2" at the end of a paragraph's last line; the
    next line ("Bearing in mind ...") starts a new paragraph, and 2 is its marker."""
    text = raw(THREE_PAGES.read_text(encoding="utf-8"))
    for old, new in moves:
        assert text.count(old) == 1
        text = text.replace(old, new)
    document = pdf_text.read(text, "line-end.txt")
    assert [p.id for p in document.paragraphs] == [p.id for p in resolution().paragraphs]
    footnote = next(f for f in document.footnotes if f.label == label)
    assert footnote.paragraph == paragraph
    assert document.paragraph(paragraph).text.endswith(before)
    assert document.text[footnote.marker_offset] == label
    assert document.warnings == []


def test_numbers_after_a_word_stay_in_the_text() -> None:
    """"resolution 76/181", "2030 Agenda" and counts are text even next to a marker's place."""
    text = raw(THREE_PAGES.read_text(encoding="utf-8")).replace(
        "Fourteenth Congress1 and", "Fourteenth Congress1 and its resolution 2 and")
    document = pdf_text.read(text, "numbers.txt")
    assert "and its resolution 2 and the" in document.paragraph("preamble/2").text
    assert [m.label for m in document.paragraph("preamble/2").markers] == ["1", "2"]


def test_annex_with_title_headings_and_items() -> None:
    document = read_document(WITH_ANNEX)
    assert (document.symbol, document.distributed, document.title) == (
        "A/RES/78/230", "2024-01-04", "Model strategies on the prevention of crime in the "
                                      "digital age")
    assert [(p.id, p.parent, p.heading) for p in document.paragraphs] == [
        ("preamble/1", None, None),
        ("para/1", None, None),
        ("para/2", None, None),
        ("annex/heading/1", None, None),
        ("annex/heading/2", None, None),
        ("annex/para/1", None, "Introduction"),
        ("annex/para/2", None, "Introduction"),
        ("annex/para/2/a", "annex/para/2", "Introduction"),
        ("annex/para/2/b", "annex/para/2", "Introduction"),
        ("annex/heading/3", None, None),
        ("annex/para/3", None, "I. Prevention of cybercrime"),
    ]
    assert document.paragraph("annex/heading/1").text == document.title
    assert [(f.label, f.paragraph) for f in document.footnotes] == [
        ("1", "preamble/1"), ("2", "annex/para/1"), ("3", "annex/para/2/b")]


def three_pages() -> str:
    return THREE_PAGES.read_text(encoding="utf-8")


def without_last_page_notes(text: str) -> str:
    """The last page loses its footnote area: the end of footnote 6 and all of footnote 7."""
    head, _, tail = text.rpartition("__________________")
    return head + tail[tail.index("23-26047"):]


def test_marker_without_footnote_is_a_warning() -> None:
    document = pdf_text.read(without_last_page_notes(three_pages()), "broken.txt")
    assert document.warnings == ["marker 7 in para/3/b has no footnote"]
    assert document.footnotes[5].text.endswith("Prevention and Criminal Justice")


def test_footnote_without_marker_is_a_warning() -> None:
    document = pdf_text.read(three_pages().replace("Congress1 and", "Congress and"), "x.txt")
    assert document.warnings == ["footnote 1 has no marker in the text"]
    assert document.footnotes[0].paragraph is None


def test_no_footnote_section_at_all() -> None:
    # each footnote area runs from its rule to the blank lines above the page footer
    text = re.sub(r"^\s*_{5,}$.*?(?=^$)", "", three_pages(), flags=re.MULTILINE | re.DOTALL)
    document = pdf_text.read(text, "no-notes.txt")
    assert document.footnotes == []
    # markers cannot be told from numbers without footnotes beyond the first in sequence
    assert document.warnings[0] == "marker 1 in preamble/2 has no footnote"
    assert len(document.paragraphs) == 15


@pytest.mark.parametrize("text, message", [
    (three_pages()[:three_pages().index("The General Assembly,")], "truncated"),
    (next((ROOT / "corpus").glob("003_*.txt")).read_text(encoding="utf-8"), "not a resolution"),
], ids=["truncated", "compilation"])
def test_unreadable_input_is_a_reader_error(text: str, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        pdf_text.read(text, "broken.txt")


def test_text_without_blank_lines_keeps_its_numbered_paragraphs() -> None:
    """With no blank lines left, an unnumbered heading cannot be told from text: it is read
    into the paragraph before; numbered paragraphs, items and Roman-numbered section headings
    still stand apart."""
    text = "\n".join(line.strip(" \f") for line in WITH_ANNEX.read_text(encoding="utf-8")
                     .split("\n") if line.strip())
    document = pdf_text.read(text, "compact.txt")
    assert [p.id for p in document.paragraphs] == [
        "preamble/1", "para/1", "para/2", "annex/heading/1", "annex/para/1", "annex/para/2",
        "annex/para/2/a", "annex/para/2/b", "annex/heading/2", "annex/para/3"]
    assert document.paragraph("annex/heading/2").text == "I. Prevention of cybercrime"
    assert [(f.label, f.paragraph) for f in document.footnotes] == [
        ("1", "preamble/1"), ("2", "annex/para/1"), ("3", "annex/para/2/b")]


SMALL = """Resolution adopted by the General Assembly on 19 December 2023
78/999. A small resolution

The General Assembly,
Recalling article 2
(b) of the United Nations Convention against Transnational Organized Crime and the role of non-
governmental organizations,
1. Requests the Secretary-General to report.
"""


def test_wrapped_lines_are_joined_as_printed() -> None:
    document = pdf_text.read(SMALL, "small.txt")
    assert [(p.id, p.text) for p in document.paragraphs] == [
        ("preamble/1", "Recalling article 2 (b) of the United Nations Convention against "
                       "Transnational Organized Crime and the role of non-governmental "
                       "organizations,"),
        ("para/1", "Requests the Secretary-General to report.")]
    # no masthead: the symbol and session follow from the printed number
    assert (document.symbol, document.session, document.distributed) == (
        "A/RES/78/999", "78", None)


# Two pages as pdftotext prints them without -layout: the job number and its print date on
# lines of their own, and a running head whose title (wrapped over two lines) stands below the
# symbol, in the middle of the preamble.
RAW_PAGES = """United Nations
A/RES/78/998
General Assembly
Distr.: General
2 January 2024

Resolution adopted by the General Assembly on 19 December 2023

78/998. Promoting the exchange of good practices among
criminal justice institutions
The General Assembly,
Recalling its earlier resolutions on the matter,
Noting the work of the Commission,1
__________________
1 See E/2023/30.

23-99999 (E)

050124

*2399999*

\fA/RES/78/998

Promoting the exchange of good practices among criminal justice
institutions

Welcoming the report of the Secretary-General,
Recognizing the role of criminal justice institutions,
1. Requests the Secretary-General to report.
53rd plenary meeting
19 December 2023

2/2

23-99999
"""


def test_raw_page_furniture_is_no_paragraph() -> None:
    """A fake paragraph between two preambular paragraphs would shift every later
    preamble/N: neither the print date nor the running-head title may become one."""
    document = pdf_text.read(RAW_PAGES, "raw-pages.txt")
    assert [(p.id, p.text) for p in document.paragraphs] == [
        ("preamble/1", "Recalling its earlier resolutions on the matter,"),
        ("preamble/2", "Noting the work of the Commission,"),
        ("preamble/3", "Welcoming the report of the Secretary-General,"),
        ("preamble/4", "Recognizing the role of criminal justice institutions,"),
        ("para/1", "Requests the Secretary-General to report.")]


@pytest.mark.parametrize("replace, expected", [
    # a six-digit line is a print date only under the job number
    (("*2399999*\n", "*2399999*\n\n\fA/RES/78/998\n\n120324\n"), "120324"),
    # a title-like line that does not continue the running head stays text
    (("Welcoming the report", "institutions\nWelcoming the report"), "institutions"),
], ids=["number-not-under-job-number", "after-complete-head"])
def test_lines_that_only_look_like_furniture_stay(replace: tuple[str, str],
                                                  expected: str) -> None:
    document = pdf_text.read(RAW_PAGES.replace(*replace), "raw-pages.txt")
    assert any(expected in p.text for p in document.paragraphs)


ANNEX_SECTIONS = """Resolution adopted by the General Assembly on 19 December 2023
78/997. Guidelines on cooperation

The General Assembly,
1. Adopts the guidelines annexed to the present resolution.
Annex
Guidelines on cooperation between
the competent authorities
I. Purpose and scope
1. The present guidelines assist Member States.
{between}
2. Member States should consider:
(a) Sharing information;
(b) Protecting reporting persons.
III. International cooperation
3. Authorities should cooperate.
"""


@pytest.mark.parametrize("between, headings, last_text", [
    ("II. Cooperation at the national level", [
        "Guidelines on cooperation between the competent authorities", "I. Purpose and scope",
        "II. Cooperation at the national level", "III. International cooperation"],
     "Protecting reporting persons."),
    # a wrapped line that opens with a Roman numeral continues an unfinished sentence
    ("The guidelines follow chapter\nII. Of the Convention they take the scope.", [
        "Guidelines on cooperation between the competent authorities", "I. Purpose and scope",
        "III. International cooperation"], "Protecting reporting persons."),
], ids=["section-after-stop", "numeral-in-a-sentence"])
def test_roman_numbered_section_headings_stand_alone(between: str, headings: list[str],
                                                     last_text: str) -> None:
    document = pdf_text.read(ANNEX_SECTIONS.format(between=between), "sections.txt")
    assert [p.text for p in document.paragraphs if p.kind == "heading"] == headings
    assert document.paragraph("annex/para/2/b").text == last_text
    assert document.paragraph("annex/para/3").heading == "III. International cooperation"


BROKEN = """Resolution adopted by the General Assembly on 19 December 2023
78/996. Drug control

The General Assembly,
Recalling the Convention against Illicit Traffic in Narcotic Drugs and Psycho-
tropic Substances and the role of non-
governmental organizations in the follow-
up, as noted by the Secretary-
General (E/CN.15/
2025/9 and CAC/COSP/
WG.2/2025/2), and/
or by Member States,
1. Requests the Secretary-General to report.
"""


def test_line_breaks_inside_words_and_symbols() -> None:
    document = pdf_text.read(BROKEN, "broken-lines.txt")
    paragraph = document.paragraph("preamble/1")
    assert paragraph.text == (
        "Recalling the Convention against Illicit Traffic in Narcotic Drugs and Psychotropic "
        "Substances and the role of non-governmental organizations in the follow-up, as noted "
        "by the Secretary-General (E/CN.15/2025/9 and CAC/COSP/WG.2/2025/2), and/ or by "
        "Member States,")
    word = paragraph.text.index("Psychotropic")
    start, end = paragraph.content.source_span(word, word + len("Psychotropic"))
    assert BROKEN[start:end] == "Psycho-\ntropic"
    symbol = paragraph.text.index("E/CN.15/2025/9")
    start, end = paragraph.content.source_span(symbol, symbol + len("E/CN.15/2025/9"))
    assert BROKEN[start:end] == "E/CN.15/\n2025/9"


# --- Real official texts (PyMuPDF) -------------------------------------------------------------

REAL = ROOT / "corpus"


def test_the_real_text_of_76_181_reads_as_its_seed_rendering_does():
    """The PyMuPDF text of the official PDF (adoption line wrapped, trailing spaces, the title
    above the symbol on odd pages, paragraph numbers alone on their line) gives the document the
    markdown seed gives, and finds the footnote markers the seed lost."""
    real = read_document(REAL / "A_RES_76_181.txt")
    seed = read_document(REAL / "001_58fb4a8a10c58e57.txt")
    assert real.format == "pdf_text"
    for field in ("kind", "symbol", "number", "title", "date", "meeting", "report", "session",
                  "agenda_item", "distributed"):
        assert getattr(real, field) == getattr(seed, field), field
    assert [(p.id, p.kind) for p in real.paragraphs] == [(p.id, p.kind) for p in seed.paragraphs]
    assert [n.label for n in real.footnotes] == [n.label for n in seed.footnotes]
    assert real.warnings == [] and all(n.paragraph for n in real.footnotes)


def test_a_real_draft_is_read_from_its_own_heading():
    draft = read_document(REAL / "A_C.3_80_L.21.txt")
    assert (draft.kind, draft.symbol, draft.body, draft.session) == (
        "draft-resolution", "A/C.3/80/L.21", "GA", "80")
    assert draft.sponsors == "Cameroon"  # "Cameroon:* draft resolution": the star is a note
    assert draft.title == "Subregional Centre for Human Rights and Democracy in Central Africa"
    assert draft.paragraphs[0].text.startswith("Recalling its resolution 55/105")


def test_a_real_draft_names_its_sponsors_in_the_graph():
    from graph.build import load_manifest, process_file
    from graph.namespaces import UNKG

    result = process_file(REAL / "A_C.1_80_L.18.txt", load_manifest(REAL))
    sponsors = set(result.graph.objects(result.iri, UNKG.sponsor))
    assert len(sponsors) > 10
    assert any(str(s).endswith("/Austria") or "austria" in str(s).lower() for s in sponsors)
