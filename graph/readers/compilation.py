"""Compilations of regional recommendations, as text extracted from their PDF.

The compilation ("A mapping exercise") lays the recommendations of the regional preparatory
meetings of a Crime Congress out in a table: one row per congress agenda item or workshop and
sub-theme, one cell per region. Text extraction flattens the table: headings, bullets ("•" on
lines of their own, far from the text they marked), sub-theme numerals ("III.") and page
numbers come out in whatever order the cells had, and the recommendations are hard-wrapped.

What survives intact is the tag closing every recommendation, ``[AP 62(a)]``: the region's
report and the paragraph it comes from. So a recommendation is the text from where the last
one ended up to and including its tags, and anything between recommendations that carries no
tag is a heading, a page number, a bullet or the footnote that explains the tags. A heading
that names the congress's main theme, an agenda item or a workshop, or comes first, opens a
group; any other heading is a sub-theme within the group. Sub-theme numerals are dropped:
extraction moves them away from their headings, often past the next ones. An indented line
that does not continue a sentence opens a new block: extraction indents each cell's first
line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from graph.document import CleanText, Document, Footnote, Paragraph, ReaderError
from graph.readers.common import is_page_furniture, line_spans, ordinal_to_int

NAME = "compilation"

# "[AP 62(a)]", "[LAC 80 (b)]", "[WA\n56(b)]", "[E 16]": region code, paragraph, sub-item.
TAG_REGEX = re.compile(
    r"\[(?P<region>[A-Z]{1,4})\s+(?P<paragraph>\d{1,4})\s*(?:\((?P<item>[a-z]{1,4})\))?\]")
# The footnote explaining the tags, one entry per region: "“[AP…]” stands for the Report of
# the Asia and Pacific Regional Preparatory Meeting".
LEGEND_REGEX = re.compile(
    r"\[(?P<code>[A-Z]{1,4})(?:…|\.\.\.)\]\W*\s+stands\s+for\s+(?:the\s+)?"
    r"(?:Report\s+of\s+the\s+)?(?P<name>[A-Z][\w\s]+?)\s+Regional\s+Preparatory\s+Meeting")
BULLET_REGEX = re.compile(r"^\s*[•●▪◦]\s*")
LEADING_REGEX = re.compile(r"[ \t]*(?:[•●▪◦][ \t]*)?")
NUMERAL_REGEX = re.compile(r"^\s*[IVXLC]+\.\s*$")
PAGE_NUMBER_REGEX = re.compile(r"^\s*\d{1,3}\s*$")
# The groups of a congress's programme: its main theme, its agenda items, its workshops.
GROUP_REGEX = re.compile(r"\((?:agenda item|workshop) \d+\)|^(?:Main|Overall) theme\b",
                         re.IGNORECASE)
# The congress the regional meetings prepared: "... for the Fourteenth United Nations Congress".
CONGRESS_REGEX = re.compile(
    r"(?P<ordinal>[A-Z][a-z]+(?:-[a-z]+)?)\s+(?:United\s+Nations\s+)?Congress\s+on\s+Crime")
# A title line ending in a footnote marker glued to its last word: "Criminal Justice2".
TITLE_MARKER_REGEX = re.compile(r"(?<=[a-z])(?P<label>\d{1,2})$")
MIN_TAGS = 3


def sniff(text: str) -> int:
    """Sure when recommendations of preparatory meetings carry their source tags."""
    if len(TAG_REGEX.findall(text)) < MIN_TAGS:
        return 0
    return 8 if re.search(r"preparatory meeting", text, re.IGNORECASE) else 3


def _kind(line: str) -> str:
    """What a line of the flattened table is: text or one kind of page furniture."""
    stripped = line.strip()
    if not stripped:
        return "blank"
    if not BULLET_REGEX.sub("", stripped):
        return "bullet"
    if NUMERAL_REGEX.match(stripped):
        return "numeral"
    if PAGE_NUMBER_REGEX.match(stripped) or is_page_furniture(stripped):
        return "page"
    return "text"


@dataclass
class _Run:
    """Consecutive text lines not yet known to be a recommendation or a heading."""

    lines: list[tuple[int, int]] = field(default_factory=list)
    broken: bool = False  # page furniture came after the last line


class _CompilationReader:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.document = Document(source=source, text=text, format=NAME, kind="compilation")
        self.group: str | None = None
        self.subtheme: str | None = None
        self.title_marker: tuple[str, int] | None = None
        self.recommendations = 0   # counted as they come (counting the list each time cost
                                   # the square of their number)

    def join(self, lines: list[tuple[int, int]],
             skip: Sequence[tuple[int, int]] = ()) -> CleanText:
        """The lines as one clean text: indents and bullets gone, wraps become spaces (none
        after a hyphen), the ``skip`` spans (tags) left out."""
        content = CleanText()
        for start, end in lines:
            leading = LEADING_REGEX.match(self.text, start)
            line_start = min(end, leading.end() if leading else start)
            if content.text and not content.text.endswith(("-", " ")):
                content.insert(" ", line_start)
            position = line_start
            for skip_start, skip_end in skip:
                if skip_end <= position or skip_start >= end:
                    continue
                content.append(self.text, position, max(position, skip_start))
                position = max(position, skip_end)
            if position < end:
                content.append(self.text, position, end)
        return content.strip()

    def read_title(self, lines: list[tuple[int, int]]) -> int:
        """The title is the first text, up to the line whose last word carries a footnote
        marker; what follows in the same run is already the first heading."""
        first = next((i for i, (s, e) in enumerate(lines) if _kind(self.text[s:e]) == "text"),
                     None)
        if first is None:
            raise ReaderError("no text in the file")
        last = first
        for index in range(first, len(lines)):
            start, end = lines[index]
            if _kind(self.text[start:end]) != "text":
                break
            last = index
            if marker := TITLE_MARKER_REGEX.search(self.text, start, end):
                self.title_marker = (marker["label"], marker.start())
                break
        title = self.join(lines[first:last + 1])
        if self.title_marker:
            title = CleanText(title.text[:-len(self.title_marker[0])],
                              title.offsets[:-len(self.title_marker[0])])
        self.document.title = " ".join(title.text.split())
        congress = CONGRESS_REGEX.search(self.document.title)
        number = ordinal_to_int(congress["ordinal"]) if congress else None
        if number is None:
            raise ReaderError("the title names no Crime Congress the recommendations prepare")
        self.document.identifier = f"congress/{number}/rpm/compilation"
        return last + 1

    def settle(self, run: _Run) -> None:
        """A run without tags: the footnote explaining the tags, or a heading."""
        if not run.lines:
            return
        content = self.join(run.lines)
        if LEGEND_REGEX.search(content.text):
            label, offset = self.title_marker or (str(len(self.document.footnotes) + 1), None)
            self.document.footnotes.append(Footnote(label, content, marker_offset=offset))
            return
        heading = " ".join(content.text.split())
        if self.group is None or GROUP_REGEX.search(heading):
            self.group, self.subtheme = heading, None
        else:
            self.subtheme = heading

    def recommend(self, run: _Run) -> None:
        start, end = run.lines[0][0], run.lines[-1][1]
        tags = list(TAG_REGEX.finditer(self.text, start, end))
        content = self.join(run.lines, [m.span() for m in tags])
        self.recommendations += 1
        position = self.recommendations
        heading = " > ".join(h for h in (self.group, self.subtheme) if h)
        self.document.paragraphs.append(Paragraph(
            f"rec/{position}", "recommendation", content, heading=heading or None,
            tags=[_normal_tag(m) for m in tags]))

    def read(self) -> Document:
        lines = line_spans(self.text)
        run = _Run()
        for start, end in lines[self.read_title(lines):]:
            line = self.text[start:end]
            kind = _kind(line)
            if kind != "text":
                run.broken = run.broken or bool(run.lines)
                continue
            unbulleted = BULLET_REGEX.sub("", line)  # a bullet glued to its text opens an item
            opens = run.broken or _indented(line) or unbulleted != line
            if opens and not unbulleted.lstrip()[:1].islower():
                self.settle(run)
                run = _Run()
            run.broken = False
            run.lines.append((start, end))
            if _ends_with_tag(self.text, run.lines[0][0], end):
                self.recommend(run)
                run = _Run()
        if run.lines:
            if LEGEND_REGEX.search(self.join(run.lines).text):
                self.settle(run)
            else:
                self.document.warnings.append(
                    "text after the last tagged recommendation (truncated file?): "
                    f"{self.join(run.lines).text[:60]!r}")
        if not self.document.paragraphs:
            raise ReaderError("no tagged recommendation in the file")
        return self.document


def _indented(line: str) -> bool:
    """PDF extraction indents the first line of a new text block (a table row's heading,
    a page's footnote) by a space; a wrapped line of the same block starts flush."""
    return line[:1].isspace()


def _ends_with_tag(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends with a tag, maybe wrapped ("[LAC\\n80(e)]")."""
    end = start + len(text[start:end].rstrip(" ."))
    last = None
    for last in TAG_REGEX.finditer(text, start, end):
        pass
    return last is not None and last.end() == end


def _normal_tag(match: re.Match[str]) -> str:
    """A tag as ``[AP 62(a)]``, whatever the spacing and wrapping of the print."""
    item = f"({match['item']})" if match["item"] else ""
    return f"[{match['region']} {match['paragraph']}{item}]"


def read(text: str, source: str) -> Document:
    """Read a compilation: each tagged recommendation under its group and sub-theme."""
    return _CompilationReader(text, source).read()
