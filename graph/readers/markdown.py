"""Resolutions converted from PDF to markdown.

The conversion keeps the PDF's pages: paragraphs are lines (numbered ones as list items,
"- 1. Expresses"), a paragraph cut by a page break goes on after the page's footnotes and page
number ("21-19220 3/16", "**13/16**"), and footnotes are lines opening with a ``<sup>``
label, sometimes mangled ("<sup>&</sup>lt;sup>1</sup>"). Markers are ``<sup>n</sup>`` when the
conversion kept them, bare digits otherwise ("Rules), 8 as well"). Headings are ``#`` lines or,
in the annexed declarations, short lines without final punctuation; their ``#`` levels are
not reliable, so every heading is taken as one level.
"""

from __future__ import annotations

import re

from graph.document import CleanText, Document, ReaderError
from graph.readers.common import is_page_furniture, line_spans, line_starts_with
from graph.readers.markers import FoundMarker, MarkerFinder
from graph.readers.resolution import (
    ADOPTED_REGEX,
    ANNEX_REGEX,
    DATE_LINE_REGEX,
    ENACTING_REGEX,
    PARAGRAPH_NUMBER_REGEX,
    Block,
    ResolutionBuilder,
    finish,
    is_header_line,
    read_masthead,
)

NAME = "markdown"

HEADING_REGEX = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*)$")
LIST_ITEM_REGEX = re.compile(r"^\s*[-*+]\s+")
FOOTNOTE_REGEX = re.compile(
    r"^\s*(?:<sup>&</sup>lt;sup>|<sup>)(?P<label>\d{1,3})</sup>\s*(?P<text>\S.*)$")
# Inline markup the clean text drops: superscript markers (kept as explicit markers), other
# tags, emphasis asterisks, backslash escapes.
INLINE_REGEX = re.compile(r"<sup>(?P<label>\d{1,3})</sup>|<[^>]+>|\*+|\\(?=[\\`*_{}\[\]()#+\-.!])")
SUP_REGEX = re.compile(r"<sup>\d{1,3}</sup>")
HEADING_LINE_REGEX = re.compile(r"\n#{1,6} ")  # a markdown heading, for line_starts_with
# Headings of a declaration print no final punctuation; paragraphs always do.
FINAL_PUNCTUATION = tuple(".,;:!?")
MAX_HEADING_LENGTH = 200
TRAILING_MARKER_REGEX = re.compile(r"(?<=[.,;:!?)])\s*\d{1,3}$")
# A whole line set in emphasis: "*53rd plenary meeting*", "_..._", "**...**". Some conversions
# italicise the meeting line; the delimiters must match on both ends.
EMPHASIS_LINE_REGEX = re.compile(
    r"^(?P<mark>\*{1,2}|_{1,2})(?P<text>[^*_\s](?:[^*_]*[^*_\s])?)(?P=mark)$")


def sniff(text: str) -> int:
    """Sure when a resolution carries markdown headings or ``<sup>`` markers."""
    if not ADOPTED_REGEX.search(text):
        return 0
    markdown = SUP_REGEX.search(text) or line_starts_with(HEADING_LINE_REGEX, text)
    return 7 if markdown else 0


def read(text: str, source: str) -> Document:
    lines = line_spans(text)
    adoption = next((index for index, (start, end) in enumerate(lines)
                     if ADOPTED_REGEX.match(_unheading(text[start:end]))), None)
    if adoption is None:
        raise ReaderError("no 'Resolution adopted by ...' line: not a resolution")
    document = Document(source=source, text=text, format=NAME)
    blocks: list[Block] = []
    notes: list[tuple[str, CleanText]] = []
    annexes: dict[int, str | None] = {}  # block index where an annex begins: its label
    plain_headings: set[int] = set()  # headings guessed from plain lines, not from "#"
    expect_title = False
    for start, end in lines[adoption:]:
        line = text[start:end]
        stripped = line.strip()
        if (not stripped or is_page_furniture(stripped)
                or ENACTING_REGEX.match(stripped.strip("*_“\"' "))):
            continue
        if note := FOOTNOTE_REGEX.match(line):
            content, _ = _inline(text, start + note.start("text"), end)
            notes.append((note["label"], content))
            continue
        header = _unheading(line)
        if is_header_line(header, document) or DATE_LINE_REGEX.match(header):
            continue
        heading = HEADING_REGEX.match(stripped)
        if heading and (annex := ANNEX_REGEX.match(heading["text"])):
            annexes[len(blocks)] = annex["label"]
            expect_title = True
            continue
        body_start = start + len(line) - len(line.lstrip())
        if item := LIST_ITEM_REGEX.match(line):
            body_start = start + item.end()
        elif heading:
            body_start = start + heading.start("text")
        content, explicit = _inline(text, body_start, end)
        if not heading and not item and _continues(blocks, content.text, plain_headings):
            _extend(blocks[-1], content, explicit, at=start)
            continue
        is_heading = expect_title or (not item and _looks_like_heading(content.text, heading))
        if is_heading and not heading and not expect_title:
            plain_headings.add(len(blocks))
        blocks.append(Block(content, heading=is_heading, explicit=explicit))
        expect_title = False

    builder = ResolutionBuilder(MarkerFinder([label for label, _ in notes], spaced=True))
    for index, block in enumerate(blocks):
        if index in annexes:
            builder.start_annex(annexes[index])
        builder.add(block)
    masthead_text = "\n".join(text[start:end] for start, end in lines[:adoption])
    return finish(document, builder, notes, read_masthead(masthead_text))


def _unheading(line: str) -> str:
    """A line without its markdown heading hashes or the emphasis around all of it, so the
    header lines (adoption, meeting) read the same however the conversion decorated them."""
    line = line.strip().lstrip("#").strip()
    if emphasis := EMPHASIS_LINE_REGEX.match(line):
        return emphasis["text"]
    return line


def _looks_like_heading(text: str, heading: re.Match[str] | None) -> bool:
    """A ``#`` line is a heading unless it ends like a sentence ("Declare the following:");
    a plain line is one when it is short, unnumbered and unpunctuated."""
    if heading:
        return not text.rstrip().endswith(":")
    return (len(text) <= MAX_HEADING_LENGTH and text[:1].isupper()
            and not text.rstrip().endswith(FINAL_PUNCTUATION)
            and not PARAGRAPH_NUMBER_REGEX.match(text))


def _continues(blocks: list[Block], text: str, plain_headings: set[int]) -> bool:
    """Whether a plain line goes on with the paragraph before it, cut by a page break: it
    starts in lower case, or the paragraph before has not ended (a bare footnote marker
    after its final punctuation does not count: "(the Tokyo Rules); 10").

    A paragraph cut by a page break looks like a heading (no final punctuation) until its
    continuation turns up in lower case; then the guess is undone.
    """
    if not blocks:
        return False
    if blocks[-1].heading:
        if len(blocks) - 1 in plain_headings and text[:1].islower():
            blocks[-1].heading = False
            plain_headings.discard(len(blocks) - 1)
            return True
        return False
    previous = TRAILING_MARKER_REGEX.sub("", blocks[-1].content.text.rstrip())
    return text[:1].islower() or not previous.endswith(FINAL_PUNCTUATION)


def _extend(block: Block, content: CleanText, explicit: list[FoundMarker], at: int) -> None:
    """Append a continuation line to ``block``, joined by one space standing for the break."""
    block.content.insert(" ", at)
    shift = len(block.content)
    block.explicit.extend(FoundMarker(m.label, m.offset + shift, m.source_offset)
                          for m in explicit)
    block.content.text += content.text
    block.content.offsets.extend(content.offsets)


def _inline(text: str, start: int, end: int) -> tuple[CleanText, list[FoundMarker]]:
    """Clean text of ``text[start:end]`` without inline markup, and its ``<sup>`` markers.

    Markup removal can leave two spaces side by side ("Congress, <sup>2</sup> encourage");
    the second is dropped so the clean text reads as printed.
    """
    content = CleanText()
    explicit: list[FoundMarker] = []
    position = start
    for match in INLINE_REGEX.finditer(text, start, end):
        _copy(content, text, position, match.start())
        if match["label"]:
            explicit.append(FoundMarker(match["label"], len(content), match.start("label")))
        position = match.end()
    _copy(content, text, position, end)
    return content, explicit


def _copy(content: CleanText, text: str, start: int, end: int) -> None:
    if content.text.endswith(" ") and start < end and text[start] == " ":
        start += 1
    content.append(text, start, end)
