"""Resolutions as text extracted from their PDF (pdftotext, with or without ``-layout``).

Lines are hard-wrapped, so paragraphs must be rebuilt: a paragraph starts where the line before
ended a sentence or clause and the new line is indented further, opens with a number or letter
("1.", "(a)") or with a preambular or declaration opening ("Recalling", "We reaffirm"). Every
page repeats a running head (the symbol beside the title, which may wrap; without ``-layout``
the title stands on lines of its own below the symbol) and a footer ("2/3 23-26047", job
number, its print date "280124" and bar code on the first page); the page's footnotes stand
between a line of underscores and its footer, numbered on through the document, and a footnote
too long for its page goes on, unlabelled, at the head of the next page's footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from graph.document import CleanText, Document, ReaderError
from graph.readers.common import (
    declaration_opening,
    is_broken_word,
    is_page_furniture,
    is_running_head,
    line_spans,
    preamble_opening,
    roman_to_int,
)
from graph.readers.markers import MarkerFinder
from graph.readers.resolution import (
    ADOPTED_REGEX,
    ANNEX_REGEX,
    DATE_LINE_REGEX,
    ENACTING_REGEX,
    ITEM_REGEX,
    NUMBER_TITLE_REGEX,
    PARAGRAPH_NUMBER_REGEX,
    Block,
    ResolutionBuilder,
    finish,
    is_header_line,
    read_masthead,
)

NAME = "pdf_text"

ADOPTED_LINE_REGEX = re.compile(r"^\s*(?:Resolution|Decision) adopted by the ", re.MULTILINE)
FOOTNOTE_RULE_REGEX = re.compile(r"^\s*_{5,}\s*$")
FOOTNOTE_REGEX = re.compile(r"^\s*(?P<label>\d{1,3})\s+(?P<text>\S.*)$")
# The print date of the job number ("23-26051 (E)" and, on a line of its own without layout,
# "280124"): day, month, year.
PRINT_DATE_REGEX = re.compile(r"^(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d$")
# A line that ends a sentence or clause, allowing for a footnote marker after the punctuation,
# glued to it or set off by a space ("the 1972 Protocol, 2").
ENDED_REGEX = re.compile(r"[.,;:!?](?: ?\d{1,3})?[”\"’)]?$")
# Other shapes' signs: tab-indented paragraphs (tab text), markdown headings and <sup> markers.
OTHER_SHAPES_REGEX = re.compile(r"^\t(?:\d{1,3}\.|\([a-z]+\)|[A-Z])|^#{1,6} |<sup>",
                                re.MULTILINE)
SECTION_HEADING_REGEX = re.compile(r"^(?P<number>[IVXLC]{1,7})\.\s+[A-Z]")
# A document symbol cut at one of its slashes ("E/CN.15/" | "2025/9", "CAC/COSP/" | "WG.2/...").
SYMBOL_CUT_REGEX = re.compile(r"(?<![^\s(\[])[A-Z][A-Z0-9.\-]*(?:/[A-Z0-9.\-]+)*/$")
SYMBOL_PART_REGEX = re.compile(r"^[A-Z0-9][A-Za-z0-9.\-]*(?:/|[),;.]|$)")
NUMBERED_START_REGEX = re.compile(r"^\d{1,3}\.\s+[A-Z“\"]")
PAGE_BREAK = "\f"
MAX_HEADING_LENGTH = 120


def sniff(text: str) -> int:
    """A resolution whose text bears no other shape's marks; surer with page furniture."""
    if not ADOPTED_LINE_REGEX.search(text) or OTHER_SHAPES_REGEX.search(text):
        return 0
    lines = text.splitlines()
    paged = PAGE_BREAK in text or any(FOOTNOTE_RULE_REGEX.match(line) or is_page_furniture(line)
                                      for line in lines)
    return 5 if paged else 3


@dataclass
class _Line:
    """A body line: its source span (without indentation) and its indentation."""

    start: int
    end: int
    indent: int
    blank_before: bool


@dataclass
class _SortedLines:
    """The pages' lines once furniture is gone: body lines, and the footnotes they built."""

    body: list[_Line] = field(default_factory=list)
    notes: list[tuple[str, CleanText]] = field(default_factory=list)


def read(text: str, source: str) -> Document:
    lines = line_spans(text)
    adoption = next((index for index, (start, end) in enumerate(lines)
                     if ADOPTED_REGEX.match(text[start:end].strip(PAGE_BREAK + " "))), None)
    if adoption is None:
        raise ReaderError("no 'Resolution adopted by ...' line: not a resolution")
    masthead = read_masthead("\n".join(text[start:end] for start, end in lines[:adoption]))
    title = _title(text, lines[adoption:])
    sorted_lines = _sort_lines(text, lines[adoption:], masthead.symbol, title)

    document = Document(source=source, text=text, format=NAME)
    # A superscript set apart from its word comes out as digits after a space ("thereto 2").
    builder = ResolutionBuilder(MarkerFinder((label for label, _ in sorted_lines.notes),
                                             spaced=True))
    for block in _blocks(text, sorted_lines.body, document, builder):
        builder.add(block)
    document.title = title or document.title
    return finish(document, builder, sorted_lines.notes, masthead)


def _title(text: str, lines: list[tuple[int, int]]) -> str | None:
    """The title, joined from its wrapped lines: running heads cannot be told without it."""
    for index, (start, end) in enumerate(lines):
        if match := NUMBER_TITLE_REGEX.match(text[start:end].strip()):
            parts = [match["title"]]
            for next_start, next_end in lines[index + 1:]:
                line = text[next_start:next_end].strip()
                if not line or ENACTING_REGEX.match(line):
                    break
                parts.append(line)
            return " ".join(" ".join(parts).split())
    return None


def _sort_lines(text: str, lines: list[tuple[int, int]], symbol: str | None,
                title: str | None) -> _SortedLines:
    """Sort lines into body lines and footnotes; drop page furniture.

    A footnote area runs from the rule of underscores to the end of its page (the footer,
    the next running head or a form feed). Within it, a line opens a footnote when it starts
    with the next label; anything else continues the footnote before, across pages too.
    """
    sorted_lines = _SortedLines()
    in_notes = blank_before = after_furniture = False
    head_rest = ""  # what the running head has yet to print of the title
    for start, end in lines:
        raw = text[start:end]
        line = raw.strip(PAGE_BREAK + " \t")
        if PAGE_BREAK in raw:
            in_notes = False
        if not line:
            blank_before = True
            continue
        words = " ".join(line.split())
        if head_rest == words or head_rest.startswith(words + " "):
            head_rest = head_rest[len(words):].lstrip()
            continue
        head_rest = ""
        if is_running_head(line, symbol, title):
            in_notes, after_furniture = False, False
            head_rest = _title_after(words, symbol, title)
            continue
        if is_page_furniture(line) or (after_furniture and PRINT_DATE_REGEX.match(line)):
            in_notes, after_furniture = False, True
            continue
        after_furniture = False
        if FOOTNOTE_RULE_REGEX.match(line):
            in_notes = True
            continue
        line_start = start + len(raw) - len(raw.lstrip(PAGE_BREAK + " \t"))
        if in_notes:
            _add_note_line(sorted_lines, text, line_start, end)
            continue
        indent = len(raw.lstrip(PAGE_BREAK)) - len(raw.lstrip(PAGE_BREAK + " \t"))
        sorted_lines.body.append(_Line(line_start, end, indent, blank_before))
        blank_before = False
    return sorted_lines


def _title_after(head: str, symbol: str | None, title: str | None) -> str:
    """The part of the title a running head leaves to the lines below it: all of it after a
    symbol alone ("A/RES/79/186" over the title), the rest after the title's first words."""
    if not title or not symbol:
        return ""
    title = " ".join(title.split())
    printed = " ".join(head.replace(symbol, " ").split())
    at = title.find(printed) if printed else 0
    return title[at + len(printed):].lstrip() if at >= 0 else ""


def _add_note_line(sorted_lines: _SortedLines, text: str, start: int, end: int) -> None:
    """A footnote line opens the next footnote or continues the last one ("2349, No. 42146."
    wrapped from the line before is no footnote 2349)."""
    notes = sorted_lines.notes
    match = FOOTNOTE_REGEX.match(text[start:end])
    if match and (not notes or int(match["label"]) == int(notes[-1][0]) + 1):
        content = CleanText()
        content.append(text, start + match.start("text"), end)
        notes.append((match["label"], content))
    elif notes:
        _join_line(notes[-1][1], text, start, end)


def _blocks(text: str, lines: list[_Line], document: Document,
            builder: ResolutionBuilder) -> Iterator[Block]:
    """Paragraph and heading blocks rebuilt from body lines; header lines go to ``document``."""
    block: Block | None = None
    previous: _Line | None = None
    in_title = expect_annex_title = False
    for index, line in enumerate(lines):
        stripped = text[line.start:line.end]
        if in_title and not line.blank_before and not ENACTING_REGEX.match(stripped):
            continue  # wrapped title lines, already joined by _title
        in_title = False
        if ENACTING_REGEX.match(stripped) or DATE_LINE_REGEX.match(stripped):
            continue
        if is_header_line(stripped, document):
            in_title = bool(NUMBER_TITLE_REGEX.match(stripped))
            continue
        if annex := ANNEX_REGEX.match(stripped):
            if block:
                yield block
            block, previous = None, None
            builder.start_annex(annex["label"])
            expect_annex_title = True
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        section = _is_section_heading(stripped) and (
            block is None or block.heading or previous is None
            or bool(ENDED_REGEX.search(text[previous.start:previous.end])))
        if block is not None and previous is not None and not section and not _starts_paragraph(
                text, line, previous, block):
            _join_line(block.content, text, line.start, line.end)
        else:
            if block:
                yield block
            heading = expect_annex_title or section or _is_heading(stripped, line, following)
            block = Block(CleanText(), heading=heading)
            _join_line(block.content, text, line.start, line.end)
            expect_annex_title = False
        previous = line
    if block:
        yield block


def _is_heading(stripped: str, line: _Line, following: _Line | None) -> bool:
    """A heading stands alone between blank lines, short and unpunctuated ("I. General
    principles"). Text extracted without layout keeps no blank lines, so there headings
    read as paragraphs."""
    return (line.blank_before and (following is None or following.blank_before)
            and len(stripped) <= MAX_HEADING_LENGTH and not ENDED_REGEX.search(stripped)
            and not PARAGRAPH_NUMBER_REGEX.match(stripped) and not ITEM_REGEX.match(stripped))


def _is_section_heading(stripped: str) -> bool:
    """A Roman-numbered section heading ("II. Cooperation at the national level"). Text
    extracted without blank lines, or with the heading set flush against the title above it,
    gives nothing else to tell it from the lines around it."""
    match = SECTION_HEADING_REGEX.match(stripped)
    return bool(match and roman_to_int(match["number"]) and len(stripped) <= MAX_HEADING_LENGTH
                and not ENDED_REGEX.search(stripped))


def _starts_paragraph(text: str, line: _Line, previous: _Line, block: Block) -> bool:
    """Whether ``line`` opens a new paragraph rather than continuing ``block``."""
    stripped = text[line.start:line.end]
    opens = bool(PARAGRAPH_NUMBER_REGEX.match(stripped) or ITEM_REGEX.match(stripped)
                 or preamble_opening(stripped) or declaration_opening(stripped))
    if block.heading:
        return line.blank_before or opens
    # "3. Member States" opens a paragraph even after an unpunctuated heading line; "(b) of
    # the Convention" wrapped from "article 2" does not, so items need the clause ended.
    if NUMBERED_START_REGEX.match(stripped):
        return True
    if not ENDED_REGEX.search(text[previous.start:previous.end]):
        return False
    return line.blank_before or line.indent > previous.indent or opens


def _join_line(content: CleanText, text: str, start: int, end: int) -> None:
    """Append a wrapped line to ``content``, with single spaces where layout justified the
    text."""
    if content.text:
        _join_break(content, text, start, end)
    position = None
    for word in re.finditer(r"\S+", text[start:end]):
        word_start, word_end = start + word.start(), start + word.end()
        if position is not None:
            if text[position:word_start] == " ":
                content.append(text, position, word_start)
            else:
                content.insert(" ", position)
        content.append(text, word_start, word_end)
        position = word_end


def _join_break(content: CleanText, text: str, start: int, end: int) -> None:
    """Turn the line break before ``text[start:end]`` into one space, or into nothing where
    it cut a word or a symbol: "E/CN.15/" + "2025/9" (the symbol is one), "non-" +
    "governmental" (the hyphen stays), "Psycho-" + "tropic" (the hyphen goes with the break;
    the joined word's characters still map to their source offsets)."""
    line = text[start:end]
    if head := re.search(r"([^\W\d_]+)-$", content.text):
        tail = re.match(r"[^\W\d_]*", line)
        if tail and is_broken_word(head[1], tail[0], text):
            content.text = content.text[:-1]
            content.offsets.pop()
        return
    if content.text.endswith("-") or (SYMBOL_CUT_REGEX.search(content.text)
                                      and SYMBOL_PART_REGEX.match(line)):
        return
    content.insert(" ", start)
