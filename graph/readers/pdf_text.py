"""Resolutions as text extracted from their PDF (pdftotext, with or without ``-layout``).

Lines are hard-wrapped, so paragraphs must be rebuilt: a paragraph starts where the line before
ended a sentence or clause and the new line is indented further, opens with a number or letter
("1.", "(a)") or with a preambular or declaration opening ("Recalling", "We reaffirm"). Every
page repeats a running head (the symbol beside the title, which may wrap; without ``-layout``
the title stands on lines of its own below the symbol) and a footer ("2/3 23-26047", job
number, its print date "280124" and bar code on the first page); the page's footnotes stand
between a line of underscores and its footer, numbered on through the document, and a footnote
too long for its page goes on, unlabelled, at the head of the next page's footnotes.

PyMuPDF (``page.get_text()``, pages joined by a newline) prints the same pages differently: a
blank line (often a lone space) between all paragraphs, trailing spaces on most lines, the
adoption line wrapped ("Resolution adopted by the General Assembly" / "on 16 December 2021"),
paragraph numbers on a line of their own ("1." above "Expresses ..."), and on odd pages the
running title *above* the symbol. Page breaks are then told by the furniture alone.
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
    line_starts_with,
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

# "Austria, Belgium and Chile: draft resolution", "Cameroon:* draft resolution" (the star
# marks a footnote: on behalf of a group), "Chile: revised draft resolution",
# "Draft resolution" alone (a chair's draft).
DRAFT_HEADING_REGEX = re.compile(
    r"(?:^|:\**\s*)(?:[Rr]evised\s+)?[Dd]raft\s+(?P<kind>resolution|decision)$")
ADOPTED_LINE_REGEX = re.compile(r"\s*(?:Resolution|Decision) adopted by the ")
# The same at the start of some line of a whole file, for ``line_starts_with``: led by "\n",
# not "^" in ``re.MULTILINE`` mode, which was tried at every character of every file.
ADOPTED_LINE_START_REGEX = re.compile("\n" + ADOPTED_LINE_REGEX.pattern)
FOOTNOTE_RULE_REGEX = re.compile(r"^\s*_{5,}\s*$")
FOOTNOTE_REGEX = re.compile(r"^\s*(?P<label>\d{1,3})\s+(?P<text>\S.*)$")
# A footnote label on a line of its own, its text on the lines below (PyMuPDF).
LABEL_ALONE_REGEX = re.compile(r"^\s*(?P<label>\d{1,3})(?P<text>)\s*$")
# The print date of the job number ("23-26051 (E)" and, on a line of its own without layout,
# "280124"): day, month, year.
PRINT_DATE_REGEX = re.compile(r"^(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d$")
# A line that ends a sentence or clause, allowing for a footnote marker after the punctuation,
# glued to it or set off by a space ("the 1972 Protocol, 2").
ENDED_REGEX = re.compile(r"[.,;:!?](?: ?\d{1,3})?[”\"’)]?$")
# Other shapes' signs: tab-indented paragraphs (tab text), markdown headings and <sup> markers.
# (``line_starts_with`` finds the first two; ``<sup>`` is searched as it is).
OTHER_SHAPES_REGEX = re.compile(r"\n(?:\t(?:\d{1,3}\.|\([a-z]+\)|[A-Z])|#{1,6} )")
SECTION_HEADING_REGEX = re.compile(r"^(?P<number>[IVXLC]{1,7})\.\s+[A-Z]")
# A document symbol cut at one of its slashes ("E/CN.15/" | "2025/9", "CAC/COSP/" | "WG.2/...").
SYMBOL_CUT_REGEX = re.compile(r"(?<![^\s(\[])[A-Z][A-Z0-9.\-]*(?:/[A-Z0-9.\-]+)*/$")
SYMBOL_PART_REGEX = re.compile(r"^[A-Z0-9][A-Za-z0-9.\-]*(?:/|[),;.]|$)")
LABEL_LINE_REGEX = re.compile(r"^(?:\d{1,3}\.|\([a-z]{1,5}\))$")
NUMBERED_START_REGEX = re.compile(r"^\d{1,3}\.\s+[A-Z“\"]")
PAGE_BREAK = "\f"
# What a line's ends are stripped of: the form feed of a page turn, spaces and tabs.
_BLANK = PAGE_BREAK + " \t"
# How much of a paragraph's end a line join looks at: more than any word or symbol.
JOIN_CONTEXT = 300
# Words separated by single spaces: what ``join_line`` copies in one piece.
RUN_REGEX = re.compile(r"\S+(?: \S+)*")
MAX_HEADING_LENGTH = 120


def sniff(text: str) -> int:
    """A resolution or a draft whose text bears no other shape's marks; surer with page
    furniture."""
    if "<sup>" in text or line_starts_with(OTHER_SHAPES_REGEX, text) or not (
            line_starts_with(ADOPTED_LINE_START_REGEX, text) or draft_heading(text, line_spans(text))):
        return 0
    lines = text.splitlines()
    paged = PAGE_BREAK in text or any(FOOTNOTE_RULE_REGEX.match(line) or is_page_furniture(line)
                                      for line in lines)
    return 5 if paged else 3


@dataclass
class _Line:
    """A body line: its source span (without indentation), its indentation, whether a blank
    line or a page turn came before it."""

    start: int
    end: int
    indent: int
    blank_before: bool
    page_turned: bool = False


@dataclass
class SortedLines:
    """The pages' lines once furniture is gone: body lines, and the footnotes they built."""

    body: list[_Line] = field(default_factory=list)
    notes: list[tuple[str, CleanText]] = field(default_factory=list)


def read(text: str, source: str) -> Document:
    lines = line_spans(text)
    document = Document(source=source, text=text, format=NAME)
    if found := adoption_line(text, lines):
        adoption, length = found
        is_header_line(" ".join(text[start:end].strip(PAGE_BREAK + " ")
                                for start, end in lines[adoption:adoption + length]), document)
        masthead_end, body_start, title = adoption, adoption + length, None
    elif draft := draft_heading(text, lines):
        document.kind, document.sponsors = draft.kind, draft.sponsors
        masthead_end, body_start, title = draft.start, draft.body, draft.title
    else:
        raise ReaderError("no 'Resolution adopted by ...' line and no draft heading: "
                          "not a resolution or draft")
    masthead = read_masthead("\n".join(text[start:end] for start, end in lines[:masthead_end]))
    body_lines = lines[body_start:]
    title = title or _title(text, body_lines)
    sorted_lines = sort_lines(text, body_lines, masthead.symbol, title)

    # A superscript set apart from its word comes out as digits after a space ("thereto 2").
    builder = ResolutionBuilder(MarkerFinder((label for label, _ in sorted_lines.notes),
                                             spaced=True))
    for block in _blocks(text, sorted_lines.body, document, builder):
        builder.add(block)
    document.title = title or document.title
    return finish(document, builder, sorted_lines.notes, masthead)


@dataclass
class DraftHeading:
    """Where a draft's own text begins: the line its sponsors open, the first line after its
    title, its kind, its sponsors as printed and its title."""

    kind: str
    start: int
    body: int
    sponsors: str | None
    title: str | None


def draft_heading(text: str, lines: list[tuple[int, int]]) -> DraftHeading | None:
    """The heading of a draft: "Austria, ... and Viet Nam: draft resolution" (the sponsor list
    wraps over several lines above it; a draft of a chair or of no sponsor prints the words
    alone), then its title, before "The General Assembly,"."""
    stripped = [text[start:end].strip(_BLANK) for start, end in lines]
    for index, line in enumerate(stripped):
        if ENACTING_REGEX.match(line):
            return None
        match = DRAFT_HEADING_REGEX.search(line)
        if not match:
            continue
        start = index
        while start > 0 and stripped[start - 1] and not is_page_furniture(stripped[start - 1]):
            start -= 1
        sponsors = " ".join(" ".join(stripped[start:index] + [line[:match.start()]]).split())
        title_start = index + 1
        while title_start < len(stripped) and not stripped[title_start]:
            title_start += 1
        body = title_start
        while body < len(stripped) and stripped[body] and not ENACTING_REGEX.match(stripped[body]):
            body += 1
        title = " ".join(" ".join(stripped[title_start:body]).split()) or None
        return DraftHeading(f"draft-{match['kind']}", start, body, sponsors.rstrip(":*") or None,
                            title)
    return None


def adoption_line(text: str, lines: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Index and number of lines of the adoption line, which may wrap before its date
    ("Resolution adopted by the General Assembly" / "on 16 December 2021")."""
    for index, (start, _) in enumerate(lines):
        if not ADOPTED_LINE_REGEX.match(text[start:lines[index][1]]):
            continue
        for length in range(1, min(3, len(lines) - index) + 1):
            joined = " ".join(text[a:b].strip(PAGE_BREAK + " ")
                              for a, b in lines[index:index + length])
            if ADOPTED_REGEX.match(joined):
                return index, length
    return None


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


def sort_lines(text: str, lines: list[tuple[int, int]], symbol: str | None,
                title: str | None) -> SortedLines:
    """Sort lines (spans as ``line_spans`` gives them) into body lines and footnotes; drop
    page furniture.

    A footnote area runs from the rule of underscores to the end of its page (the footer,
    the next running head or a form feed). Within it, a line opens a footnote when it starts
    with the next label; anything else continues the footnote before, across pages too.
    """
    sorted_lines = SortedLines()
    in_notes = blank_before = after_furniture = page_turned = False
    head_rest = ""  # what the running head has yet to print of the title
    heads = _titles_above_symbol(text, lines, symbol, title)
    for index, (start, end) in enumerate(lines):
        raw = text[start:end]
        line = raw.strip(_BLANK)
        if PAGE_BREAK in raw:
            in_notes, page_turned = False, True
        if not line:
            blank_before = True
            continue
        if head_rest:
            words = " ".join(line.split())
            if head_rest == words or head_rest.startswith(words + " "):
                head_rest = head_rest[len(words):].lstrip()
                continue
            head_rest = ""
        if index in heads:
            in_notes, page_turned = False, True
            continue
        if symbol and symbol in line and is_running_head(line, symbol, title):
            in_notes, after_furniture, page_turned = False, False, True
            head_rest = _title_after(" ".join(line.split()), symbol, title)
            continue
        if is_page_furniture(line) or (after_furniture and PRINT_DATE_REGEX.match(line)):
            in_notes, after_furniture, page_turned = False, True, True
            continue
        after_furniture = False
        if FOOTNOTE_RULE_REGEX.match(line):
            in_notes = True
            continue
        # ``line`` is ``raw`` without its indentation: line spans end before any blank.
        line_start = start + len(raw) - len(line)
        if in_notes:
            _add_note_line(sorted_lines, text, line_start, end)
            continue
        indent = len(raw.lstrip(PAGE_BREAK)) - len(line)
        sorted_lines.body.append(_Line(line_start, end, indent, blank_before, page_turned))
        blank_before = page_turned = False
    return sorted_lines


def _titles_above_symbol(text: str, lines: list[tuple[int, int]], symbol: str | None,
                         title: str | None) -> set[int]:
    """Lines of running heads that print the title above the symbol (PyMuPDF's odd pages):
    the lines just before a line holding only the symbol, when together they are the title."""
    if not symbol or not title:
        return set()
    title = " ".join(title.split())
    found: set[int] = set()
    for index, (start, end) in enumerate(lines):
        if text[start:end].strip(_BLANK) != symbol:
            continue
        taken: list[int] = []
        printed = ""
        for back in range(index - 1, max(index - 6, -1), -1):
            line = " ".join(text[lines[back][0]:lines[back][1]].split())
            if not line:
                continue
            candidate = f"{line} {printed}".strip()
            if not title.endswith(candidate):
                break
            taken.append(back)
            printed = candidate
            if printed == title:
                found.update(taken)
                break
    return found


def _title_after(head: str, symbol: str | None, title: str | None) -> str:
    """The part of the title a running head leaves to the lines below it: all of it after a
    symbol alone ("A/RES/79/186" over the title), the rest after the title's first words."""
    if not title or not symbol:
        return ""
    title = " ".join(title.split())
    printed = " ".join(head.replace(symbol, " ").split())
    at = title.find(printed) if printed else 0
    return title[at + len(printed):].lstrip() if at >= 0 else ""


def _add_note_line(sorted_lines: SortedLines, text: str, start: int, end: int) -> None:
    """A footnote line opens the next footnote or continues the last one ("2349, No. 42146."
    wrapped from the line before is no footnote 2349)."""
    notes = sorted_lines.notes
    match = FOOTNOTE_REGEX.match(text[start:end]) or LABEL_ALONE_REGEX.match(text[start:end])
    if match and (not notes or int(match["label"]) == int(notes[-1][0]) + 1):
        content = CleanText()
        if match["text"]:
            content.append(text, start + match.start("text"), end)
        notes.append((match["label"], content))
    elif notes:
        join_line(notes[-1][1], text, start, end)


def _blocks(text: str, lines: list[_Line], document: Document,
            builder: ResolutionBuilder) -> Iterator[Block]:
    """Paragraph and heading blocks rebuilt from body lines; header lines go to ``document``."""
    block: Block | None = None
    previous: _Line | None = None
    in_title = expect_annex_title = False
    pending_header = ""
    for index, line in enumerate(lines):
        stripped = text[line.start:line.end]
        if not (pending_header or in_title) and stripped[:1].islower():
            # Most lines go on with a paragraph in lower case: no header, annex, section or
            # opening pattern matches a line that starts so (each starts with a capital, a
            # digit, "[" or "("), so only the join is left to decide (issue 10).
            if block is not None and previous is not None and not _starts_paragraph(
                    text, line, previous, block):
                join_line(block.content, text, line.start, line.end)
            else:
                if block:
                    yield block
                block = Block(CleanText(), heading=expect_annex_title or _is_heading(
                    text, lines, index))
                join_line(block.content, text, line.start, line.end)
                expect_annex_title = False
            previous = line
            continue
        if in_title and not line.blank_before and not ENACTING_REGEX.match(stripped):
            continue  # wrapped title lines, already joined by _title
        in_title = False
        if ENACTING_REGEX.match(stripped) or DATE_LINE_REGEX.match(stripped):
            continue
        if pending_header:
            stripped = pending_header = f"{pending_header} {stripped}"
            if "]" not in stripped:
                continue
            pending_header = ""
        elif stripped.startswith("[on the") and "]" not in stripped:
            pending_header = stripped  # "[on the report of the Third Committee" | "(A/76/463)]"
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
        section = _is_section_heading(stripped) and (
            block is None or block.heading or previous is None
            or bool(ENDED_REGEX.search(text, previous.start, previous.end)))
        if block is not None and previous is not None and not section and not _starts_paragraph(
                text, line, previous, block):
            join_line(block.content, text, line.start, line.end)
        else:
            if block:
                yield block
            heading = expect_annex_title or section or _is_heading(text, lines, index)
            block = Block(CleanText(), heading=heading)
            join_line(block.content, text, line.start, line.end)
            expect_annex_title = False
        previous = line
    if block:
        yield block


def _is_heading(text: str, lines: list[_Line], index: int) -> bool:
    """A heading stands alone between blank lines, short and unpunctuated ("I. General
    principles"), on one line or wrapped over two. Text extracted without layout keeps no
    blank lines, so there headings read as paragraphs."""
    line = lines[index]
    stripped = text[line.start:line.end]
    if not line.blank_before or PARAGRAPH_NUMBER_REGEX.match(stripped) or ITEM_REGEX.match(
            stripped):
        return False
    end = index + 1
    while end < len(lines) and end - index < 3 and not lines[end].blank_before:
        end += 1
    # Typesetting keeps a heading with the text it heads: lines that a page turn follows are
    # the start of a paragraph the next page goes on with, not a heading.
    if end < len(lines) and (not lines[end].blank_before or lines[end].page_turned):
        return False
    words = " ".join(text[lines[i].start:lines[i].end] for i in range(index, end))
    last = text[lines[end - 1].start:lines[end - 1].end]
    return len(words) <= MAX_HEADING_LENGTH * (end - index) and not ENDED_REGEX.search(last)


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
    # A number or letter alone on its line ("1.", "(a)") is the start of the line below.
    # (At most eight characters: not joining a long paragraph's text at each of its lines.)
    if len(block.content) <= 8 and LABEL_LINE_REGEX.match(block.content.text):
        return False
    # Text going on after a page turn in lower case goes on with the paragraph, whatever
    # ended the page ("... summits," | "the intergovernmental bodies").
    lower = stripped[:1].islower()
    if line.page_turned and lower:
        return False
    # No opening starts in lower case (each starts with a digit, "(", a capital or a quote).
    opens = not lower and bool(PARAGRAPH_NUMBER_REGEX.match(stripped) or ITEM_REGEX.match(stripped)
                               or preamble_opening(stripped) or declaration_opening(stripped))
    if block.heading:
        return line.blank_before or opens
    # "3. Member States" opens a paragraph even after an unpunctuated heading line; "(b) of
    # the Convention" wrapped from "article 2" does not, so items need the clause ended.
    if not lower and NUMBERED_START_REGEX.match(stripped):
        return True
    if not ENDED_REGEX.search(text, previous.start, previous.end):
        return False
    return line.blank_before or line.indent > previous.indent or opens


def join_line(content: CleanText, text: str, start: int, end: int) -> None:
    """Append a wrapped line to ``content``, with single spaces where layout justified the
    text."""
    if content.offsets:  # not empty
        _join_break(content, text, start, end)
    position = None
    # Words with single spaces between them are copied as they stand, one run at a time;
    # any other white space between words becomes one space.
    for run in RUN_REGEX.finditer(text, start, end):
        run_start, run_end = run.span()
        if position is not None:
            content.insert(" ", position)
        content.append(text, run_start, run_end)
        position = run_end


def _join_break(content: CleanText, text: str, start: int, end: int) -> None:
    """Turn the line break before ``text[start:end]`` into one space, or into nothing where
    it cut a word or a symbol: "E/CN.15/" + "2025/9" (the symbol is one), "non-" +
    "governmental" (the hyphen stays), "Psycho-" + "tropic" (the hyphen goes with the break;
    the joined word's characters still map to their source offsets)."""
    # Both patterns end at the text's end ("-$", "/$"), so most lines need only its last two
    # characters. Only the end of the text so far can hold the cut word or symbol: searching
    # all of it at every line made long paragraphs cost the square of their length.
    last = content.ending(2)
    if not last.endswith(("-", "-\n", "/", "/\n")):
        content.insert(" ", start)
        return
    line = text[start:end]
    ending = content.ending(JOIN_CONTEXT)
    if ending.endswith(("-", "-\n")) and (head := re.search(r"([^\W\d_]+)-$", ending)):
        tail = re.match(r"[^\W\d_]*", line)
        if tail and is_broken_word(head[1], tail[0], text):
            content.text = content.text[:-1]
            content.offsets.pop()
        return
    if ending.endswith("-") or (SYMBOL_CUT_REGEX.search(ending) and SYMBOL_PART_REGEX.match(line)):
        return
    content.insert(" ", start)
