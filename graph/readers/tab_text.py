"""Resolutions as the UN document system exports them to text.

One line per paragraph, indented with a tab, numbers and letters set off by tabs
("\\t1.\\tExpresses", "\\t(a)\\tTo adopt"); footnote markers are bare digits glued to the text;
the footnotes follow the text, one a line ("7 United Nations, ..." or "\\t7\\tUnited ..."); then
the page furniture of the printed version (``<<ODS ...>>`` tags, masthead, running heads, page
numbers). The masthead is the only place that prints the symbol, distribution date, session and
agenda item, so it is read for metadata and then dropped.
"""

from __future__ import annotations

import re

from graph.document import CleanText, Document, ReaderError
from graph.readers.common import is_page_furniture, line_spans, line_starts_with
from graph.readers.markers import MarkerFinder
from graph.readers.resolution import (
    ADOPTED_REGEX,
    ANNEX_REGEX,
    DATE_LINE_REGEX,
    ENACTING_REGEX,
    Block,
    ResolutionBuilder,
    finish,
    is_header_line,
    is_meeting_line,
    read_masthead,
)

NAME = "tab_text"

TAB_PARAGRAPH_REGEX = re.compile(r"\n\t(?:\d{1,3}\.\t|\([a-z]{1,5}\)\t|[A-Z])")  # line_starts_with
# "7 United Nations, ..." (000) or "\t7\tUnited Nations, ..." (002), "\t22 \tA/70/99."
FOOTNOTE_REGEX = re.compile(r"^\t?(?P<label>\d{1,3})[ \t]+(?P<text>\S.*)$")
FURNITURE_START = "<<ODS"


def sniff(text: str) -> int:
    """Sure when a resolution's paragraphs are tab-indented; surer with ODS tags."""
    if not ADOPTED_REGEX.search(text) or not line_starts_with(TAB_PARAGRAPH_REGEX, text):
        return 0
    return 8 if FURNITURE_START in text else 6


def read(text: str, source: str) -> Document:
    lines = line_spans(text)
    adoption = next((index for index, (start, end) in enumerate(lines)
                     if ADOPTED_REGEX.match(text[start:end].strip())), None)
    if adoption is None:
        raise ReaderError("no 'Resolution adopted by ...' line: not a resolution")
    furniture = next((index for index, (start, end) in enumerate(lines)
                      if index > adoption and FURNITURE_START in text[start:end]), len(lines))
    notes_start = _footnotes_start(text, lines, adoption, furniture)

    document = Document(source=source, text=text, format=NAME)
    notes = _footnotes(text, lines[notes_start:furniture])
    builder = ResolutionBuilder(MarkerFinder(label for label, _ in notes))
    masthead_text = "\n".join(text[start:end]
                              for start, end in lines[:adoption] + lines[furniture:])
    expect_annex_title = False
    for start, end in lines[adoption:notes_start]:
        line = text[start:end]
        stripped = line.strip()
        if (not stripped or is_page_furniture(stripped) or DATE_LINE_REGEX.match(stripped)
                or ENACTING_REGEX.match(stripped)):
            continue
        # An indented line is a paragraph, unless it is the meeting line some exports indent.
        if (is_meeting_line(stripped, document) if line.startswith("\t")
                else is_header_line(stripped, document)):
            continue
        if annex := ANNEX_REGEX.match(stripped):
            builder.start_annex(annex["label"])
            expect_annex_title = True
            continue
        content = CleanText()
        content.append(text, start + len(line) - len(line.lstrip()), end)
        # A line the export did not indent is a heading (the annex title, section titles).
        builder.add(Block(content, heading=expect_annex_title or not line.startswith("\t")))
        expect_annex_title = False
    return finish(document, builder, notes, read_masthead(masthead_text))


def _footnotes_start(text: str, lines: list[tuple[int, int]], adoption: int, furniture: int) -> int:
    """Index of the first line of the footnote list: the run of footnote lines that ends the
    text before the furniture.

    Blank lines and page furniture the export left without ``<<ODS`` tags (a closing "2/2")
    may stand between and after the footnotes. The labels must count up by one to the last
    footnote, as UN footnotes are numbered, so a numbered line of the text above ("4 July")
    never joins the list.
    """
    start, label = furniture, None
    for index in range(furniture - 1, adoption, -1):
        line = text[lines[index][0]:lines[index][1]]
        stripped = line.strip()
        if not stripped or is_page_furniture(stripped):
            continue
        match = FOOTNOTE_REGEX.match(line)
        if (not match or DATE_LINE_REGEX.match(stripped)
                or (label is not None and int(match["label"]) != label - 1)):
            break
        start, label = index, int(match["label"])
    return start


def _footnotes(text: str, lines: list[tuple[int, int]]) -> list[tuple[str, CleanText]]:
    """Label and text of each footnote line."""
    notes = []
    for start, end in lines:
        if match := FOOTNOTE_REGEX.match(text[start:end]):
            content = CleanText()
            content.append(text, start + match.start("text"), end)
            notes.append((match["label"], content))
    return notes
