"""Any other UN document: paragraphs, footnotes where found, every citation — never refused.

A report, a note by the Secretariat or a letter has no adoption line and no draft heading, yet
people have them and their citations matter. This reader asks only that the text look like a
UN document (a UN symbol or "United Nations" near the top), drops the page furniture the PDF
reader knows, takes footnotes from the page foot after a rule, and splits the rest into
paragraphs: a numbered paragraph ("12. The Committee ...") is ``para/12``, a lettered one an
item below it, anything else a plain paragraph numbered by position. The document says, in a
warning, that it was read this way, so nobody mistakes it for a fully understood shape.
"""

from __future__ import annotations

import re

from graph.document import CleanText, Document, Paragraph, ReaderError
from graph.readers.common import line_spans, text_identifier
from graph.readers.markers import FoundMarker, MarkerFinder, as_markers
from graph.readers.pdf_text import (ENDED_REGEX, LABEL_LINE_REGEX, SortedLines, join_line,
                                     sort_lines)
from graph.readers.resolution import (
    ITEM_REGEX,
    SYMBOL_BODIES,
    PARAGRAPH_NUMBER_REGEX,
    attach_footnotes,
    read_masthead,
)

NAME = "generic"

# A UN symbol standing near the top: "A/76/463", "E/CN.15/2022/14", "S/2023/100".
SYMBOL_LINE_REGEX = re.compile(
    r"^\s*(?:United Nations\s+)?(?P<symbol>[AES](?:/[A-Z][A-Za-z0-9.\-]*)*/(?:[A-Z]+-)?\d+"
    r"(?:/[A-Za-z0-9.\-]+)*)\s*$", re.MULTILINE)
HEAD_CHARS = 3000


def sniff(text: str) -> int:
    """Lowest confidence: the last reader asked, for anything that looks like a UN document."""
    head = text[:HEAD_CHARS]
    return 1 if SYMBOL_LINE_REGEX.search(head) or "United Nations" in head else 0


def read(text: str, source: str) -> Document:
    lines = line_spans(text)
    head = text[:HEAD_CHARS]
    symbol = match["symbol"] if (match := SYMBOL_LINE_REGEX.search(head)) else None
    masthead = read_masthead(head)
    sorted_lines = sort_lines(text, lines, symbol, None)
    # A document in an organ's series is that organ's: "resolution 70/1" in an A/ document is
    # the Assembly's, as in its resolutions.
    body = SYMBOL_BODIES.get("A/HRC" if symbol and symbol.startswith("A/HRC/") else
                             (symbol or " ")[0])
    document = Document(source=source, text=text, format=NAME, symbol=symbol, body=body,
                        session=masthead.session, agenda_item=masthead.agenda_item,
                        distributed=masthead.distributed)
    finder = MarkerFinder((label for label, _ in sorted_lines.notes), spaced=True)
    markers: list[tuple[str, FoundMarker]] = []
    numbered: str | None = None
    counts: dict[str, int] = {}
    for content in _paragraphs(text, sorted_lines):
        stripped, found = finder.extract(content)
        if number := PARAGRAPH_NUMBER_REGEX.match(stripped.text):
            numbered = pid = _unique(f"para/{number['label']}", counts)
            paragraph = Paragraph(pid, "narrative", _cut(stripped, number.end()),
                                  number=number["label"])
        elif (item := ITEM_REGEX.match(stripped.text)) and numbered:
            pid = _unique(f"{numbered}/{item['label']}", counts)
            paragraph = Paragraph(pid, "item", _cut(stripped, item.end()), number=item["label"],
                                  parent=numbered)
        else:
            pid = _unique("text", counts, always=True)
            paragraph = Paragraph(pid, "paragraph", stripped)
        paragraph.markers = as_markers(found)
        document.paragraphs.append(paragraph)
        markers.extend((pid, marker) for marker in found)
    if not document.paragraphs:
        raise ReaderError("no text to read")
    document.footnotes, warnings = attach_footnotes(sorted_lines.notes, markers)
    document.warnings.append("read as a generic document: no resolution, draft or report "
                             "shape recognised")
    document.warnings.extend(warnings)
    if symbol is None:
        # No symbol to name it by: its own text is its identity (never the file name).
        document.identifier = text_identifier(text)
    return document


def _paragraphs(text: str, sorted_lines: SortedLines) -> list[CleanText]:
    """Body lines joined into paragraphs. A numbered or lettered start or a blank line opens
    the next one; after a page turn only a finished clause followed by no lower-case
    continuation does; a number alone on its line belongs to the line below."""
    paragraphs: list[CleanText] = []
    current: CleanText | None = None
    for line in sorted_lines.body:
        stripped = text[line.start:line.end]
        if current is None:
            starts = True
        elif LABEL_LINE_REGEX.match(current.text):
            starts = False
        elif line.page_turned:
            starts = bool(ENDED_REGEX.search(current.text)) and not stripped[:1].islower()
        else:
            starts = line.blank_before or bool(PARAGRAPH_NUMBER_REGEX.match(stripped)
                                               or ITEM_REGEX.match(stripped)
                                               or LABEL_LINE_REGEX.match(stripped))
        if starts or current is None:
            current = CleanText()
            paragraphs.append(current)
        join_line(current, text, line.start, line.end)
    return [p.strip() for p in paragraphs if p.text.strip()]


def _cut(content: CleanText, length: int) -> CleanText:
    return CleanText(content.text[length:], content.offsets[length:]).strip()


def _unique(pid: str, counts: dict[str, int], always: bool = False) -> str:
    """``pid``, or ``pid/2`` ... when the document reuses a number (a report's annex starts
    its numbering again); plain paragraphs are always numbered by position."""
    counts[pid] = counts.get(pid, 0) + 1
    if always:
        return f"{pid}/{counts[pid]}"
    return pid if counts[pid] == 1 else f"{pid}/{counts[pid]}"
