"""What every resolution reader shares once the source shape is peeled off.

The three resolution readers (tab text, markdown, PDF text) differ in how they find paragraph
boundaries, markup and page furniture. What a resolution *is* does not differ: a masthead
(symbol, distribution date, session, agenda item), an adoption line, a number and title,
preambular then numbered operative paragraphs with lettered sub-items, a plenary meeting, maybe
an annex, and footnotes whose markers stand in the paragraphs. This module turns the blocks a
reader found into that model, so the readers stay about their source shape only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from graph.document import CleanText, Document, Footnote, Paragraph, ReaderError
from graph.readers.common import (
    declaration_opening,
    operative_opening,
    ordinal_to_int,
    parse_date,
    preamble_opening,
    roman_to_int,
)
from graph.readers.markers import FoundMarker, MarkerFinder, as_markers

BODY_CODES = {
    "General Assembly": "GA",
    "Economic and Social Council": "ECOSOC",
    "Security Council": "SC",
    "Human Rights Council": "HRC",
    "Commission on Crime Prevention and Criminal Justice": "CCPCJ",
}
# The series of a resolution symbol (what precedes "/RES/"), for documents whose adoption line
# names no known body: the organ letter, or the organ and a subsidiary body that issues its own
# resolutions (the Human Rights Council's "A/HRC/RES/58/12").
SYMBOL_BODIES = {"A": "GA", "E": "ECOSOC", "S": "SC", "A/HRC": "HRC"}
SYMBOL_PREFIXES = {code: series for series, code in SYMBOL_BODIES.items()}

# "A/RES/70/174", "E/RES/2014/22", "A/RES/S-23/2", "A/HRC/RES/58/12". In tab text the masthead
# is glued together ("United NationsA/RES/70/174General Assembly"), so no word boundaries.
SYMBOL_REGEX = re.compile(
    r"(?<![A-Z/])(?P<symbol>(?P<series>[AES](?:/[A-Z]{2,6})?)/RES/(?P<number>(?:[A-Z]+-)?\d+/\d+))")
# A draft's symbol in its masthead: "A/C.3/76/L.5", "A/76/L.12/Rev.1", "E/CN.15/2022/L.3".
DRAFT_SYMBOL_REGEX = re.compile(
    r"(?<![\w/])(?P<symbol>[AE](?:/[A-Z][A-Za-z0-9.]*)*/(?:[A-Z]+-)?\d+/L\.\d+(?:/Rev\.\d+)?)")
# "Resolution adopted by the General Assembly on 17 December 2015"
ADOPTED_REGEX = re.compile(
    r"(?P<kind>Resolution|Decision) adopted by the (?P<body>[A-Z][A-Za-z ]+?)\s+on\s+"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
# "[on the report of the Third Committee (A/70/490)]", "(A/76/463, para. 26)",
# "[on the recommendation of the Commission ... (E/2014/30)]"
REPORT_REGEX = re.compile(
    r"\[on the (?:report|recommendation) of the [^(\]]+\((?P<report>[A-Z]+(?:/[\w.\-]+)+)")
# "70/174.\tTitle", "## 76/181. Title", "2014/22. Title"
NUMBER_TITLE_REGEX = re.compile(r"^(?P<number>(?:[A-Z]+-)?\d+/\d+(?: [A-Z])?)\.\s+(?P<title>\S.*)$")
MEETING_REGEX = re.compile(r"^(?P<meeting>\d+(?:st|nd|rd|th) plenary meeting)")
# The meeting's date on a line of its own, below the meeting line: "16 December 2021".
DATE_LINE_REGEX = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
# "Seventieth session", "Seventy-sixth session"; ECOSOC: "2014 session".
SESSION_REGEX = re.compile(
    r"(?<![A-Za-z])(?:(?P<ordinal>[A-Z][a-z]+(?:-[a-z]+)?)|(?P<year>\d{4})) session")
AGENDA_REGEX = re.compile(r"Agenda item (?P<item>\d+(?: ?\([a-z]\))?)")
DISTRIBUTED_REGEX = re.compile(r"Distr\.:\s*[A-Z][a-z]+")
# "The General Assembly," opens the resolution and is not a paragraph of it.
ENACTING_REGEX = re.compile(r"^The [A-Z][A-Za-z ]+,$")
# "Annex"; several annexes are numbered "Annex I", "Annex II".
ANNEX_REGEX = re.compile(r"^Annex(?: (?P<label>[IVX]+))?$")

PARAGRAPH_NUMBER_REGEX = re.compile(r"^(?P<label>\d{1,3})\.\s+")
ITEM_REGEX = re.compile(r"^\((?P<label>[a-z]{1,5})\)\s+")


@dataclass
class Masthead:
    """What the first page prints around the text: symbol, distribution, session, agenda."""

    symbol: str | None = None
    number: str | None = None
    distributed: str | None = None
    session: str | None = None
    agenda_item: str | None = None


def read_masthead(text: str) -> Masthead:
    """Read the masthead fields from the page furniture a reader set aside."""
    masthead = Masthead()
    if symbol := SYMBOL_REGEX.search(text):
        masthead.symbol, masthead.number = symbol["symbol"], symbol["number"]
    elif draft := DRAFT_SYMBOL_REGEX.search(text):
        masthead.symbol = draft["symbol"]
    if distr := DISTRIBUTED_REGEX.search(text):
        masthead.distributed = parse_date(text[distr.end():distr.end() + 120])
    for match in SESSION_REGEX.finditer(text):
        if match["year"]:
            masthead.session = match["year"]
            break
        number = ordinal_to_int(match["ordinal"])
        if number:
            masthead.session = str(number)
            break
    if agenda := AGENDA_REGEX.search(text):
        masthead.agenda_item = agenda["item"].replace(" ", "")
    return masthead


@dataclass
class Block:
    """One paragraph or heading as a reader found it: markup and line breaks gone, footnote
    markers still in the text unless the markup made them ``explicit``."""

    content: CleanText
    heading: bool = False
    explicit: list[FoundMarker] = field(default_factory=list)


def is_header_line(line: str, document: Document) -> bool:
    """Read ``line`` into ``document`` if it is an adoption, report, number-and-title or
    meeting line; whether it was one."""
    line = line.strip()
    if adopted := ADOPTED_REGEX.match(line):
        document.kind = adopted["kind"].lower()
        document.body = BODY_CODES.get(adopted["body"], document.body)
        document.date = parse_date(adopted["date"])
        return True
    if report := REPORT_REGEX.match(line):
        document.report = report["report"]
        return True
    if is_meeting_line(line, document):
        return True
    if document.number is None and (numbered := NUMBER_TITLE_REGEX.match(line)):
        document.number = numbered["number"]
        document.title = " ".join(numbered["title"].split())
        return True
    return False


def is_meeting_line(line: str, document: Document) -> bool:
    """Read ``line`` into ``document`` if it is the plenary meeting line ("53rd plenary
    meeting", maybe with its date); whether it was one. Readers ask this of lines that
    otherwise look like paragraphs (an indented line in tab text): no paragraph opens so."""
    if meeting := MEETING_REGEX.match(line.strip()):
        document.meeting = meeting["meeting"]
        document.date = parse_date(line) or document.date
        return True
    return False


def complete_metadata(document: Document, masthead: Masthead) -> None:
    """Fill what the masthead says, and what the resolution's own number implies.

    The symbol of a GA, ECOSOC or HRC resolution is its number under the series' prefix, so a
    text that prints its number but lost its masthead still gets its symbol; the session of a
    GA resolution is the first part of its number, ECOSOC's is the year.
    """
    document.distributed = masthead.distributed
    document.agenda_item = masthead.agenda_item
    if masthead.symbol and "/RES/" in masthead.symbol:
        series = masthead.symbol.partition("/RES/")[0]
        document.body = document.body or SYMBOL_BODIES.get(series)
    elif masthead.symbol:
        # A draft is for the organ whose series it bears: a Main Committee's (A/C.3/...)
        # and a plenary draft (A/76/L.5) for the Assembly, A/HRC/... for the Council.
        series = "A/HRC" if masthead.symbol.startswith("A/HRC/") else masthead.symbol[0]
        document.body = document.body or SYMBOL_BODIES.get(series)
    document.symbol = masthead.symbol
    if document.symbol is None and document.number and document.kind == "resolution":
        prefix = SYMBOL_PREFIXES.get(document.body or "")
        document.symbol = f"{prefix}/RES/{document.number}" if prefix else None
    document.number = document.number or masthead.number
    document.session = masthead.session or (document.number.split("/")[0]
                                            if document.number else None)


class ResolutionBuilder:
    """Turns a resolution's blocks, in reading order, into identified paragraphs.

    Identity follows the document's own numbering (DESIGN: ``para/11/a``), and positions only
    where the document prints none (``preamble/3``, ``heading/2``).
    """

    def __init__(self, finder: MarkerFinder) -> None:
        self.finder = finder
        self.paragraphs: list[Paragraph] = []
        self.markers: list[tuple[str, FoundMarker]] = []
        self.section = "body"
        self.path = ""
        self.counts: dict[str, int] = {}
        self.operative: str | None = None
        self.item: str | None = None
        self.subitem: str | None = None
        self.heading: str | None = None
        self.scope = ""  # "part/2/" once the numbering has started again
        self.restarts = 0
        self.used: set[str] = set()

    def start_annex(self, label: str | None = None) -> None:
        """Paragraphs from now on belong to the annex, which numbers its own; numbered annexes
        ("Annex II") keep their numbers apart: ``annex/II/para/1``."""
        self.section = "annex"
        self.path = f"annex/{label}/" if label else "annex/"
        self.scope, self.restarts = "", 0
        self.operative = self.item = self.subitem = self.heading = None

    def add(self, block: Block) -> None:
        """Add one block as heading, preambular, operative or sub-item paragraph."""
        if block.heading:
            content, found = self.finder.extract(block.content, block.explicit)
            self.heading = " ".join(content.text.split())
            self._append(Paragraph(self._next("heading"), "heading", content), found)
            return
        text = block.content.text
        if numbered := PARAGRAPH_NUMBER_REGEX.match(text):
            content, found = self._strip(block, numbered.end())
            label = numbered["label"]
            if f"{self.path}{self.scope}para/{label}" in self.used:
                # The numbering starts again (each article of annexed regulations numbers
                # its own paragraphs): the paragraphs from here on form the next part.
                self.restarts += 1
                self.scope = f"part/{self.restarts + 1}/"
            self.operative, self.item, self.subitem = (f"{self.path}{self.scope}para/{label}",
                                                       None, None)
            # An annex speaks in its own voice ("We reaffirm"); its imperatives ("Develop")
            # are not the Assembly's operative verbs.
            opening = (operative_opening(content.text) if self.section == "body"
                       else declaration_opening(content.text))
            self._append(Paragraph(self.operative, "operative", content, number=label,
                                   opening=opening), found)
            return
        if (lettered := ITEM_REGEX.match(text)) and self.operative:
            content, found = self._strip(block, lettered.end())
            label = lettered["label"]
            if self._is_subitem(label):
                self.subitem = f"{self.item}/{label}"
                paragraph = Paragraph(self.subitem, "item", content, number=label,
                                      parent=self.item)
            else:
                self.item, self.subitem = f"{self.operative}/{label}", None
                paragraph = Paragraph(self.item, "item", content, number=label,
                                      parent=self.operative)
            self._append(paragraph, found)
            return
        content, found = self.finder.extract(block.content, block.explicit)
        opening = preamble_opening(content.text) or declaration_opening(content.text)
        self._append(Paragraph(self._next("preamble"), "preamble", content, opening=opening),
                     found)

    def _is_subitem(self, label: str) -> bool:
        """"(i)" after "(h)" is the next letter; anywhere else it opens sub-items (i), (ii) ...
        of the current lettered item."""
        if self.subitem is not None:
            current = roman_to_int(self.subitem.rsplit("/", 1)[-1]) or 0
            if roman_to_int(label) == current + 1:
                return True
        return self.item is not None and label == "i" and not self.item.endswith("/h")

    def _strip(self, block: Block, length: int) -> tuple[CleanText, list[FoundMarker]]:
        """The block without its printed number, markers extracted."""
        content = CleanText(block.content.text[length:], block.content.offsets[length:])
        explicit = [FoundMarker(m.label, m.offset - length, m.source_offset)
                    for m in block.explicit if m.offset >= length]
        return self.finder.extract(content, explicit)

    def _next(self, kind: str) -> str:
        key = f"{self.path}{kind}"
        self.counts[key] = self.counts.get(key, 0) + 1
        return f"{key}/{self.counts[key]}"

    def _append(self, paragraph: Paragraph, found: list[FoundMarker]) -> None:
        self.used.add(paragraph.id)
        paragraph.section = self.section
        if paragraph.kind != "heading":
            paragraph.heading = self.heading
        paragraph.markers = as_markers(found)
        self.paragraphs.append(paragraph)
        self.markers.extend((paragraph.id, marker) for marker in found)


def attach_footnotes(notes: Iterable[tuple[str, CleanText]],
                     markers: list[tuple[str, FoundMarker]]) -> tuple[list[Footnote], list[str]]:
    """Footnotes with the paragraph and source offset of their first marker, and warnings.

    A footnote is attached where it is first referenced; later markers with the same label
    stay recorded on their own paragraphs. A footnote nobody marks, and a marker no footnote
    answers, are reported, not fatal: conversions do lose superscripts.
    """
    first: dict[str, tuple[str, FoundMarker]] = {}
    for paragraph_id, marker in markers:
        first.setdefault(marker.label, (paragraph_id, marker))
    footnotes, warnings, labels = [], [], set()
    for label, content in notes:
        if label in labels:
            warnings.append(f"footnote {label} is printed twice")
            continue
        labels.add(label)
        footnote = Footnote(label, content)
        if label in first:
            footnote.paragraph, marker = first[label]
            footnote.marker_offset = marker.source_offset
        else:
            warnings.append(f"footnote {label} has no marker in the text")
        footnotes.append(footnote)
    for label, (paragraph_id, _) in first.items():
        if label not in labels:
            warnings.append(f"marker {label} in {paragraph_id} has no footnote")
    return footnotes, warnings


def finish(document: Document, builder: ResolutionBuilder, notes: Iterable[tuple[str, CleanText]],
           masthead: Masthead) -> Document:
    """Complete ``document`` with metadata, paragraphs, footnotes and warnings.

    A resolution without a single paragraph is a truncated file, not an empty resolution.
    """
    if not builder.paragraphs:
        raise ReaderError("no resolution text after the adoption line (truncated file?)")
    complete_metadata(document, masthead)
    document.paragraphs = builder.paragraphs
    document.footnotes, warnings = attach_footnotes(notes, builder.markers)
    document.warnings.extend(warnings)
    return document
