"""graph.readers.resolution: masthead and header lines, paragraph identity, footnote links."""

from __future__ import annotations

import pytest

from graph.document import CleanText, Document, ReaderError
from graph.readers import read_text
from graph.readers.markers import MarkerFinder
from graph.readers.resolution import (
    Block,
    Masthead,
    ResolutionBuilder,
    attach_footnotes,
    complete_metadata,
    finish,
    is_header_line,
    read_masthead,
)


def clean(text: str) -> CleanText:
    content = CleanText()
    content.append(text, 0, len(text))
    return content


@pytest.mark.parametrize("text, expected", [
    # tab text: the printed masthead comes out glued together
    ("United NationsA/RES/70/174General AssemblyDistr.: General\n8 January 2016Seventieth "
     "session\nAgenda item 106\n\n15-16928 (E)",
     Masthead("A/RES/70/174", "70/174", "2016-01-08", "70", "106")),
    ("United Nations A/RES/76/181\n\nDistr.: General 11 January 2022\n\nSeventy-sixth session\n"
     "Agenda item 108\nCrime prevention and criminal justice",
     Masthead("A/RES/76/181", "76/181", "2022-01-11", "76", "108")),
    ("United Nations   E/RES/2014/22\nEconomic and Social Council   Distr.: General\n"
     "    6 August 2014\n2014 session\nAgenda item 18 (c)",
     Masthead("E/RES/2014/22", "2014/22", "2014-08-06", "2014", "18(c)")),
    # The Human Rights Council's series: the organ letter and the Council's own segment.
    ("United NationsA/HRC/RES/55/4Human Rights CouncilDistr.: General\n10 April 2024Fifty-fifth "
     "session\nAgenda item 3",
     Masthead("A/HRC/RES/55/4", "55/4", "2024-04-10", "55", "3")),
    ("", Masthead()),
], ids=["tab-text", "markdown", "ecosoc", "hrc", "empty"])
def test_read_masthead(text: str, expected: Masthead) -> None:
    assert read_masthead(text) == expected


@pytest.mark.parametrize("line, field, value", [
    ("Resolution adopted by the General Assembly on 17 December 2015", "date", "2015-12-17"),
    ("Resolution adopted by the Economic and Social Council on 16 July 2014", "body", "ECOSOC"),
    ("Decision adopted by the General Assembly on 13 April 2020", "kind", "decision"),
    ("[on the report of the Third Committee (A/70/490)]", "report", "A/70/490"),
    ("[on the report of the Third Committee (A/76/463, para. 26)]", "report", "A/76/463"),
    ("[on the recommendation of the Commission on Crime Prevention and Criminal Justice "
     "(E/2014/30)]", "report", "E/2014/30"),
    ("70/174.\tThirteenth United Nations Congress", "number", "70/174"),
    ("2014/22. Thirteenth United Nations Congress", "title", "Thirteenth United Nations Congress"),
    ("80th plenary meeting", "meeting", "80th plenary meeting"),
    ("53rd plenary meeting 16 December 2021", "date", "2021-12-16"),
], ids=["adopted", "ecosoc", "decision", "report", "report-para", "recommendation",
        "number", "ecosoc-title", "meeting", "meeting-date"])
def test_header_lines(line: str, field: str, value: str) -> None:
    document = Document(source="t", text=line, format="test")
    assert is_header_line(line, document)
    assert getattr(document, field) == value


@pytest.mark.parametrize("line", [
    "Recalling its resolution 70/174, adopted at its 80th plenary meeting,",
    "1. Requests the Secretary-General to report",
], ids=["meeting-in-text", "operative"])
def test_paragraphs_are_not_header_lines(line: str) -> None:
    assert not is_header_line(line, Document(source="t", text=line, format="test"))


@pytest.mark.parametrize("masthead, number, body, symbol, session", [
    (Masthead(symbol="A/RES/70/174", session="70"), "70/174", "GA", "A/RES/70/174", "70"),
    # no masthead: the symbol and session follow from the number and the adopting body
    (Masthead(), "70/174", "GA", "A/RES/70/174", "70"),
    (Masthead(), "2014/22", "ECOSOC", "E/RES/2014/22", "2014"),
], ids=["printed", "derived-ga", "derived-ecosoc"])
def test_complete_metadata(masthead: Masthead, number: str, body: str, symbol: str,
                           session: str) -> None:
    document = Document(source="t", text="", format="test", kind="resolution", number=number,
                        body=body)
    complete_metadata(document, masthead)
    assert (document.symbol, document.session) == (symbol, session)


def build(blocks: list[str | tuple[str, bool]], labels: tuple[str, ...] = ()) -> ResolutionBuilder:
    """Feed blocks ("Annex" starts the annex; (text, True) is a heading) to a builder."""
    builder = ResolutionBuilder(MarkerFinder(labels))
    for block in blocks:
        if block == "Annex":
            builder.start_annex()
        elif isinstance(block, tuple):
            builder.add(Block(clean(block[0]), heading=block[1]))
        else:
            builder.add(Block(clean(block)))
    return builder


def test_paragraph_identity_follows_the_document_numbering() -> None:
    builder = build([
        "Recalling its resolution 46/152,", "Bearing in mind also its resolution 69/244,",
        "1.\tRequests the Secretary-General:", "(a)\tTo report;", "(i)\tannually;",
        "(ii)\tin writing;", "(b)\tTo consult;", "2.\tAlso invites Member States;",
        "Annex", ("Doha Declaration", True), "We, Heads of State,", "1.\tWe reaffirm;",
        "(a)\tTo adopt;", "(h)\tTo review;", "(i)\tTo enhance;", ("Follow-up", True),
        "2.\tWe welcome.",
    ])
    rows = [(p.id, p.kind, p.number, p.parent, p.opening, p.section, p.heading)
            for p in builder.paragraphs]
    assert rows == [
        ("preamble/1", "preamble", None, None, "Recalling", "body", None),
        ("preamble/2", "preamble", None, None, "Bearing in mind also", "body", None),
        ("para/1", "operative", "1", None, "Requests", "body", None),
        ("para/1/a", "item", "a", "para/1", None, "body", None),
        ("para/1/a/i", "item", "i", "para/1/a", None, "body", None),
        ("para/1/a/ii", "item", "ii", "para/1/a", None, "body", None),
        ("para/1/b", "item", "b", "para/1", None, "body", None),
        ("para/2", "operative", "2", None, "Also invites", "body", None),
        ("annex/heading/1", "heading", None, None, None, "annex", None),
        ("annex/preamble/1", "preamble", None, None, None, "annex", "Doha Declaration"),
        ("annex/para/1", "operative", "1", None, "We reaffirm", "annex", "Doha Declaration"),
        ("annex/para/1/a", "item", "a", "annex/para/1", None, "annex", "Doha Declaration"),
        # "(i)" after "(h)" is the ninth letter, not a sub-item
        ("annex/para/1/h", "item", "h", "annex/para/1", None, "annex", "Doha Declaration"),
        ("annex/para/1/i", "item", "i", "annex/para/1", None, "annex", "Doha Declaration"),
        ("annex/heading/2", "heading", None, None, None, "annex", None),
        ("annex/para/2", "operative", "2", None, "We welcome", "annex", "Follow-up"),
    ]


def test_printed_numbers_are_not_in_the_clean_text_but_markers_map_to_the_source() -> None:
    source = "1.\tRequests the Secretary-General,1 and"
    builder = build([source], labels=("1",))
    paragraph = builder.paragraphs[0]
    assert paragraph.text == "Requests the Secretary-General, and"
    assert [marker.label for marker in paragraph.markers] == ["1"]
    (_, found), = builder.markers
    assert source[found.source_offset] == "1" and found.source_offset == len(source) - 5


def test_attach_footnotes_links_first_marker_and_warns_about_the_rest() -> None:
    builder = build(["Recalling the Convention1 and the Congress2,", "1.\tNotes the Convention1;"],
                    labels=("1", "3"))
    footnotes, warnings = attach_footnotes([("1", clean("Treaty.")), ("3", clean("Report.")),
                                            ("3", clean("Again."))], builder.markers)
    assert [(f.label, f.paragraph) for f in footnotes] == [("1", "preamble/1"), ("3", None)]
    assert warnings == ["footnote 3 has no marker in the text", "footnote 3 is printed twice",
                        "marker 2 in preamble/1 has no footnote"]


def test_finish_refuses_a_resolution_without_paragraphs() -> None:
    document = Document(source="t", text="", format="test")
    with pytest.raises(ReaderError, match="truncated"):
        finish(document, build([]), [], Masthead())


def test_numbered_annexes_keep_their_paragraphs_apart() -> None:
    builder = ResolutionBuilder(MarkerFinder(()))
    for label in ("I", "II"):
        builder.start_annex(label)
        builder.add(Block(clean(f"Model strategies, part {label}"), heading=True))
        builder.add(Block(clean("1.\tWe welcome.")))
    assert [(p.id, p.section) for p in builder.paragraphs] == [
        ("annex/I/heading/1", "annex"), ("annex/I/para/1", "annex"),
        ("annex/II/heading/1", "annex"), ("annex/II/para/1", "annex")]


# Minimal resolutions in the three source shapes the readers sniff, filled in per issuer: the
# masthead prints the symbol, the title line the number.
_TAB_TEXT = (
    "[Start1]\nResolution adopted by the {body} on 2 April 2025\n{number}.\tA title\n\n"
    "\tThe {body},\n\tRecalling its resolution 1/1,\n\t1.\tDecides to remain seized of the "
    "matter.\n\n40th meeting\n2 April 2025\n\n[Start1]<<ODS JOB NO>>N2500001E<<ODS JOB NO>>\n"
    "<<ODS DOC SYMBOL1>>{symbol}<<ODS DOC SYMBOL1>>\n__________________\n\n"
    "United Nations{symbol}{body}Distr.: General\n9 April 2025{session}\nAgenda item 3\n")
_MARKDOWN = (
    "United Nations {symbol}\n\nDistr.: General 9 April 2025\n\n{body}\n{session}\n"
    "Agenda item 3\n\n# Resolution adopted by the {body} on 2 April 2025\n\n"
    "## {number}. A title\n\nThe {body},\n\n*Recalling* its resolution 1/1,<sup>1</sup>\n\n"
    "1. *Decides* to remain seized of the matter.\n\n<sup>1</sup> See A/1/1.\n")
_PDF_TEXT = (
    "                 United Nations                                        {symbol}\n"
    "                 {body}                                   Distr.: General\n"
    "                                                                9 April 2025\n\n"
    "{session}\nAgenda item 3\n\n"
    "                 Resolution adopted by the {body} on 2 April 2025\n\n"
    "                 {number}.     A title\n\n"
    "                       The {body},\n"
    "                       Recalling its resolution 1/1,\n"
    "                       1.    Decides to remain seized of the matter.\n")
_ISSUERS = {
    "GA": ("General Assembly", "A/RES/79/300", "79/300", "Seventy-ninth session"),
    "ECOSOC": ("Economic and Social Council", "E/RES/2025/30", "2025/30", "2025 session"),
    "HRC": ("Human Rights Council", "A/HRC/RES/58/30", "58/30", "Fifty-eighth session"),
}


@pytest.mark.parametrize("shape, template, expected_format", [
    ("tab", _TAB_TEXT, "tab_text"), ("markdown", _MARKDOWN, "markdown"),
    ("pdf", _PDF_TEXT, "pdf_text")], ids=["tab", "markdown", "pdf"])
@pytest.mark.parametrize("issuer", sorted(_ISSUERS))
def test_masthead_symbol_and_number_in_every_shape(shape: str, template: str,
                                                   expected_format: str, issuer: str) -> None:
    body, symbol, number, session = _ISSUERS[issuer]
    document = read_text(template.format(body=body, symbol=symbol, number=number, session=session),
                         f"{shape}-{issuer}")
    assert (document.format, document.symbol, document.number, document.body) == \
        (expected_format, symbol, number, issuer)
