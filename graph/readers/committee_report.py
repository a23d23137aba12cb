"""Reports of a Main Committee to the General Assembly, converted to markdown.

A committee report tells, in numbered narrative paragraphs, how each draft was introduced,
revised, sponsored and adopted, then reproduces the drafts the committee recommends ("47. The
Third Committee recommends ... the following draft resolutions:"). Each recommended draft is a
document of its own ("Draft resolution VIII", later adopted as a resolution), with its own
footnotes whose numbering restarts at 1, so each becomes a ``part`` of the report.

The markdown shape: one paragraph per line, symbols as links (``[A/C.3/68/L.2](#)``), operative
verbs in ``*italics*``, footnote markers as Unicode superscripts glued to the text (``¹⁰``, or
``^{3,4}`` for two at once), footnotes as lines opening with a superscript label and placed
where the page ended, so a paragraph cut by a page break goes on after them. The markup says
exactly where every marker stands, so nothing is guessed from bare digits here.

Quoted draft texts inside a narrative paragraph (the draft "which read: ..." before it was
revised, a paragraph deleted by oral revision) stay part of that narrative paragraph, one
quoted block per line: they are what the report says happened to the draft, and citations in
them are cited by the report, not by the recommended draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from graph.document import CleanText, Document, Paragraph, ReaderError
from graph.readers.common import (
    is_page_furniture,
    is_running_head,
    line_spans,
    ordinal_to_int,
    roman_to_int,
)
from graph.readers.markers import FoundMarker, MarkerFinder, as_markers
from graph.readers.resolution import (
    ANNEX_REGEX,
    BODY_CODES,
    ENACTING_REGEX,
    PARAGRAPH_NUMBER_REGEX,
    Block,
    ResolutionBuilder,
    attach_footnotes,
    read_masthead,
)

NAME = "committee_report"

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# Inline markdown the clean text drops: links keep their text, emphasis, escapes, heading
# hashes and list bullets go, superscript digits and ``^{3,4}`` become explicit markers.
INLINE_REGEX = re.compile(
    r"(?m:^)\s*(?:#{1,6}\s+|[-*+]\s+(?=\d{1,3}\.\s))"
    r"|\[(?P<link>[^\]]*)\]\([^)]*\)"
    rf"|(?P<sup>[{SUPERSCRIPT_DIGITS}]+)"
    r"|\^\{(?P<caret>\d{1,3}(?:\s*,\s*\d{1,3})*)\}"
    r"|\*+|\\(?=[\\`*_{}\[\]()#+\-.!])")
FOOTNOTE_REGEX = re.compile(rf"^\s*(?P<label>[{SUPERSCRIPT_DIGITS}]+)\s+(?P<text>\S.*)$")

# "Report of the Third Committee": the General Assembly's Main Committees are GA-C1 ... GA-C6.
COMMITTEE_REGEX = re.compile(r"^Report of the (?P<ordinal>[A-Z][a-z]+) Committee$")
SYMBOL_REGEX = re.compile(r"^(?P<symbol>A/\d+/\d+(?:/(?:Add|Rev|Corr)\.\d+)*)$")
# Report headings: "I. Introduction", "A. Draft resolution [A/C.3/68/L.2](#)".
HEADING_REGEX = re.compile(r"^(?P<number>[IVX]+|[A-Z])\.\s+(?P<text>\S.*)$")
# "- (a) Report of the Secretary-General ..." lists inside a narrative paragraph.
ITEM_REGEX = re.compile(r"^(?:[-*+]\s+)?\((?P<label>[a-z]{1,4})\)\s+")
# "recommends to the General Assembly the adoption of the following draft resolutions:" opens
# the recommended texts, and says which body the drafts are for.
RECOMMENDS_REGEX = re.compile(
    r"following draft (?P<kind>resolution|decision)s?\s*:\s*$")
RECIPIENT_REGEX = re.compile(r"recommends\s+to\s+the\s+(?P<body>[A-Z][A-Za-z ]+?)\s+(?:the|that)\b")
# "Draft resolution VIII", "**Draft resolution XI", "Draft resolution I Follow-up to ...".
DRAFT_REGEX = re.compile(
    r"^\**Draft (?P<kind>resolution|decision)(?:\s+(?P<label>[IVXLC]+)\b)?\s*(?P<title>.*?)\**$")
# "The General Assembly decides to take note of ...": a decision's one sentence.
DECISION_OPENING_REGEX = re.compile(
    r"^The [A-Z][A-Za-z ]+?,?\s+(?P<opening>(?:also\s+|further\s+)?[a-z]+s)\b")
FINAL_PUNCTUATION = tuple(".,;:")
# How many numbered paragraphs in a row a conversion may lose before a number stops being
# believed as the report's next paragraph.
MAX_LOST_PARAGRAPHS = 2
ITALIC_REGEX = re.compile(r"(?P<phrase>[A-Za-z][A-Za-z ,\-]*?)\s*\*")


def sniff(text: str) -> int:
    """Sure when a committee's report recommends drafts it reproduces."""
    head = text[:3000]
    if not re.search(r"Report of the [A-Z][a-z]+ Committee", head):
        return 0
    drafts = re.search(r"^\**Draft (?:resolution|decision)\b", text, re.MULTILINE)
    return 9 if drafts else 2


def clean_markdown(text: str, start: int, end: int) -> tuple[CleanText, list[FoundMarker]]:
    """``text[start:end]`` without markdown, and the superscript markers it carried."""
    content = CleanText()
    markers: list[FoundMarker] = []
    position = start
    for match in INLINE_REGEX.finditer(text, start, end):
        content.append(text, position, match.start())
        if match["link"] is not None:
            content.append(text, match.start("link"), match.end("link"))
        elif match["sup"]:
            markers.append(FoundMarker(match["sup"].translate(TO_ASCII), len(content),
                                       match.start()))
        elif match["caret"]:
            for label in re.findall(r"\d+", match["caret"]):
                markers.append(FoundMarker(label, len(content), match.start("caret")))
        position = match.end()
    content.append(text, position, end)
    return content, markers


class ExplicitMarkers(MarkerFinder):
    """A marker finder that believes the markup only: superscripts are unambiguous, and
    guessing from bare digits would take "2015" or "rule 22" for markers."""

    def __init__(self) -> None:
        super().__init__(())

    def extract(self, content: CleanText,
                explicit: Iterable[FoundMarker] = ()) -> tuple[CleanText, list[FoundMarker]]:
        return content, list(explicit)


@dataclass
class _Piece:
    """A paragraph as the lines gave it so far: more lines may continue it."""

    content: CleanText
    markers: list[FoundMarker] = field(default_factory=list)

    def extend(self, content: CleanText, markers: list[FoundMarker], joint: str) -> None:
        """Continue with another line; ``joint`` stands where the lines meet."""
        shift = len(self.content) + len(joint)
        at = content.offsets[0] if content.offsets else 0
        self.content.insert(joint, at)
        self.markers.extend(FoundMarker(m.label, m.offset + shift, m.source_offset)
                            for m in markers)
        self.content.text += content.text
        self.content.offsets.extend(content.offsets)

    def ends_paragraph(self) -> bool:
        return self.content.text.rstrip(" ”\"’").endswith(FINAL_PUNCTUATION)


@dataclass
class _Draft:
    """A recommended draft being read: its document, paragraphs and footnotes."""

    document: Document
    builder: ResolutionBuilder = field(default_factory=lambda: ResolutionBuilder(ExplicitMarkers()))
    notes: list[tuple[str, CleanText]] = field(default_factory=list)
    pending: _Piece | None = None
    title_open: bool = True
    after_annex: bool = False
    sentences: list[Paragraph] = field(default_factory=list)
    sentence_markers: list[tuple[str, FoundMarker]] = field(default_factory=list)

    def next_operative(self) -> int:
        """The number the draft's next paragraph would print, in the body or the annex."""
        numbers = [int(p.number) for p in self.builder.paragraphs
                   if p.kind == "operative" and p.section == self.builder.section and p.number]
        return max(numbers, default=0) + 1


class _ReportReader:
    """Reads the report line by line: masthead, narrative, recommended drafts."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.report = Document(source=source, text=text, format=NAME, kind="report")
        self.narrative: list[Paragraph] = []
        self.narrative_markers: list[tuple[str, FoundMarker]] = []
        self.notes: list[tuple[str, CleanText]] = []
        self.pending: _Piece | None = None
        self.pending_id: str | None = None
        self.headings: dict[str, str] = {}
        self.heading_count = 0
        self.section_letter = ""
        self.expected: str | None = None  # kind of draft the report announced
        self.recipient: str | None = None  # the body the drafts are recommended to
        self.draft: _Draft | None = None

    # -- masthead -------------------------------------------------------------------------

    def read_masthead(self, lines: list[tuple[int, int]]) -> int:
        """Fill the report's metadata; the index of the first line after the masthead."""
        masthead: list[str] = []
        body_start = len(lines)
        for index, (start, end) in enumerate(lines):
            line = clean_markdown(self.text, start, end)[0].text.strip()
            if HEADING_REGEX.match(line) or PARAGRAPH_NUMBER_REGEX.match(line):
                body_start = index
                break
            if line:
                masthead.append(line)
        fields = read_masthead("\n".join(masthead))
        self.report.distributed = fields.distributed
        self.report.session = fields.session
        self.report.agenda_item = fields.agenda_item
        title: list[str] = []
        after_agenda = False
        for line in masthead:
            if symbol := SYMBOL_REGEX.match(line):
                self.report.symbol = symbol["symbol"]
            elif committee := COMMITTEE_REGEX.match(line):
                number = ordinal_to_int(committee["ordinal"])
                if number and "General Assembly" in masthead:
                    self.report.body = f"GA-C{number}"
                after_agenda = False
            elif line.startswith("Agenda item"):
                after_agenda = True
            elif after_agenda:
                title.append(line)
        self.report.title = " ".join(title) or None
        if self.report.body is None:
            self.report.warnings.append("the masthead names no General Assembly Main Committee")
        return body_start

    # -- narrative ------------------------------------------------------------------------

    def narrative_next(self) -> int:
        numbers = [int(p.number) for p in self.narrative if p.kind == "narrative" and p.number]
        return max(numbers, default=0) + 1

    def flush(self) -> None:
        """Hand the paragraph being read to its document."""
        if self.pending is not None and self.pending_id is not None:
            paragraph = next(p for p in self.narrative if p.id == self.pending_id)
            paragraph.content = self.pending.content
            paragraph.markers = as_markers(self.pending.markers)
            self.narrative_markers.extend((paragraph.id, m) for m in self.pending.markers)
        self.pending = self.pending_id = None
        if self.draft is not None and self.draft.pending is not None:
            self._add_to_draft(self.draft, self.draft.pending)
            self.draft.pending = None

    def heading_path(self) -> str | None:
        return " > ".join(self.headings[level] for level in ("chapter", "section")
                          if level in self.headings) or None

    def start_narrative(self, number: str, content: CleanText,
                        markers: list[FoundMarker]) -> None:
        self.flush()
        paragraph = Paragraph(f"para/{number}", "narrative", content, number=number,
                              heading=self.heading_path())
        self.narrative.append(paragraph)
        self.pending, self.pending_id = _Piece(content, markers), paragraph.id
        if announced := RECOMMENDS_REGEX.search(content.text):
            self.expected = f"draft-{announced['kind']}"
            recipient = RECIPIENT_REGEX.search(content.text)
            self.recipient = BODY_CODES.get(recipient["body"]) if recipient else None

    def start_item(self, label: str, content: CleanText, markers: list[FoundMarker]) -> None:
        parent = next(p for p in reversed(self.narrative) if p.kind == "narrative")
        self.flush()
        paragraph = Paragraph(f"{parent.id}/{label}", "item", content, number=label,
                              parent=parent.id, heading=parent.heading)
        self.narrative.append(paragraph)
        self.pending, self.pending_id = _Piece(content, markers), paragraph.id

    def add_heading(self, match: re.Match[str], content: CleanText) -> None:
        """A chapter ("II. Consideration of proposals") or section ("H. Draft resolutions
        ...") heading. "I." is chapter one or section nine: whichever comes next decides."""
        self.flush()
        number = match["number"]
        next_section = chr(ord(self.section_letter) + 1) if self.section_letter else "A"
        if number == next_section or (len(number) == 1 and roman_to_int(number) is None):
            self.section_letter = number
            self.headings["section"] = content.text[match.start("text"):]
        else:
            self.section_letter = ""
            self.headings = {"chapter": content.text[match.start("text"):]}
        self.heading_count += 1
        start = match.start("text")
        self.narrative.append(Paragraph(
            f"heading/{self.heading_count}", "heading",
            CleanText(content.text[start:], content.offsets[start:])))

    # -- drafts ---------------------------------------------------------------------------

    def start_draft(self, kind: str, label: str | None, title: CleanText) -> None:
        self.flush()
        self.close_draft()
        report = self.report
        # A Main Committee's drafts are for the plenary it belongs to ("GA-C3" -> "GA").
        body = self.recipient or (report.body.split("-")[0] if report.body else None)
        document = Document(source=report.source, text=self.text, format=NAME, kind=kind,
                            label=label, body=body, session=report.session,
                            agenda_item=report.agenda_item, distributed=report.distributed,
                            report=report.symbol)
        self.draft = _Draft(document)
        if title.text.strip():
            document.title = " ".join(title.text.split())
        self.expected = None

    def close_draft(self) -> None:
        """Finish the draft being read and make it a part of the report."""
        draft, self.draft = self.draft, None
        if draft is None:
            return
        if draft.pending is not None:
            self._add_to_draft(draft, draft.pending)
        document = draft.document
        document.paragraphs = draft.builder.paragraphs + draft.sentences
        for paragraph in document.paragraphs:
            paragraph.opening = self.italic_opening(paragraph) or paragraph.opening
        document.footnotes, warnings = attach_footnotes(
            draft.notes, draft.builder.markers + draft.sentence_markers)
        document.warnings.extend(warnings)
        name = f"{document.kind.replace('-', ' ')} {document.label or ''}".strip()
        if not document.paragraphs:
            document.warnings.append(f"{name} has no text (truncated report?)")
        if document.title is None:
            document.warnings.append(f"{name} has no title")
        self.report.parts.append(document)

    def italic_opening(self, paragraph: Paragraph) -> str | None:
        """The italic phrase a paragraph opens with ("*Takes note with appreciation*"): the
        printed italics delimit the opening phrase exactly, better than any verb list."""
        if paragraph.kind not in ("preamble", "operative") or not paragraph.content.offsets:
            return None
        start = paragraph.content.offsets[0]
        if not self.text[:start].endswith("*"):
            return None
        italic = ITALIC_REGEX.match(self.text, start)
        return " ".join(italic["phrase"].split()) if italic else None

    def _add_to_draft(self, draft: _Draft, piece: _Piece) -> None:
        """A finished paragraph of a draft: numbered, lettered, preambular or a decision's
        sentence ("The General Assembly decides ...")."""
        block = Block(piece.content, explicit=piece.markers)
        if draft.after_annex:
            block.heading = True
            draft.after_annex = False
        opening = DECISION_OPENING_REGEX.match(piece.content.text)
        if draft.document.kind == "draft-decision" and opening:
            pid = f"para/{len(draft.sentences) + 1}"
            draft.sentences.append(Paragraph(pid, "operative", piece.content,
                                             opening=opening["opening"],
                                             markers=as_markers(piece.markers)))
            draft.sentence_markers.extend((pid, m) for m in piece.markers)
            return
        draft.builder.add(block)

    def draft_line(self, draft: _Draft, content: CleanText, markers: list[FoundMarker]) -> None:
        """A line inside a recommended draft."""
        line = content.text
        if ENACTING_REGEX.match(line):
            self.flush()
            draft.title_open = False
            return
        if draft.title_open and not PARAGRAPH_NUMBER_REGEX.match(line) \
                and not DECISION_OPENING_REGEX.match(line):
            title = draft.document.title
            draft.document.title = f"{title} {line}" if title else line
            return
        draft.title_open = False
        if ANNEX_REGEX.match(line):
            self.flush()
            draft.builder.start_annex()
            draft.after_annex = True
            return
        starts = bool(PARAGRAPH_NUMBER_REGEX.match(line) or ITEM_REGEX.match(line)
                      or HEADING_REGEX.match(line))
        # An annex's title is one line and never goes on into the annex's first paragraph.
        if draft.pending is not None and not starts and not draft.after_annex and (
                line[:1].islower() or not draft.pending.ends_paragraph()):
            draft.pending.extend(content, markers, " ")
            return
        self.flush()
        draft.pending = _Piece(content, markers)

    # -- driver ---------------------------------------------------------------------------

    def read(self) -> Document:
        lines = line_spans(self.text)
        first = self.read_masthead(lines)
        for start, end in lines[first:]:
            raw = self.text[start:end]
            if not raw.strip() or is_page_furniture(raw) or is_running_head(
                    raw.strip(" *"), self.report.symbol, self.report.title):
                continue
            if note := FOOTNOTE_REGEX.match(raw):
                content, _ = clean_markdown(self.text, start + note.start("text"), end)
                notes = self.draft.notes if self.draft is not None else self.notes
                notes.append((note["label"].translate(TO_ASCII), content))
                continue
            content, markers = _stripped(*clean_markdown(self.text, start, end))
            line = content.text
            # "Draft resolution IV" opens a draft even where the report's announcing words
            # were not recognised; an unnumbered "Draft resolution" only after them.
            if (draft := DRAFT_REGEX.match(line)) and (
                    self.expected or self.draft or draft["label"]):
                title_start = draft.start("title")
                self.start_draft(f"draft-{draft['kind']}", draft["label"],
                                 CleanText(line[title_start:draft.end("title")],
                                           content.offsets[title_start:draft.end("title")]))
                continue
            numbered = PARAGRAPH_NUMBER_REGEX.match(line)
            if numbered and self._is_narrative(numbered, raw):
                self.close_draft()
                self.start_narrative(numbered["label"], *_cut(content, markers, numbered.end()))
                continue
            if self.expected and self.draft is None:
                # The report announced a draft that prints no "Draft ..." line of its own.
                self.start_draft(self.expected, None, content)
                continue
            if self.draft is not None:
                self.draft_line(self.draft, content, markers)
                continue
            self.narrative_line(content, markers, line)
        self.flush()
        self.close_draft()
        return self.finish()

    def _is_narrative(self, numbered: re.Match[str], raw: str) -> bool:
        """Whether a numbered line is the report's next paragraph. Among the report's own
        paragraphs a conversion may have lost one or two; inside the drafts, where the
        drafts number their own, only the very next number can leave them."""
        number, expected = int(numbered["label"]), self.narrative_next()
        if self.draft is not None:
            return number == expected and self._leaves_draft(self.draft, numbered, raw)
        if expected < number <= expected + MAX_LOST_PARAGRAPHS and self.expected is None:
            self.report.warnings.append(
                f"paragraph {expected} is missing: the report goes on with paragraph {number}")
            return True
        return number == expected

    def _leaves_draft(self, draft: _Draft, numbered: re.Match[str], raw: str) -> bool:
        """Whether a numbered paragraph inside the drafts is the report's next paragraph
        ("48. The Third Committee also recommends ...") rather than the draft's own."""
        self.flush()  # a numbered line ends the paragraph before it either way
        if draft.document.kind == "draft-decision":
            return True
        if int(numbered["label"]) != draft.next_operative():
            return True
        # The draft's own paragraphs open with an italic verb; an annex's do not.
        return draft.builder.section == "body" and not re.match(r"\s*\d+\.\s+[*_]", raw)

    def narrative_line(self, content: CleanText, markers: list[FoundMarker], line: str) -> None:
        if (heading := HEADING_REGEX.match(line)) and not line.startswith(("“", '"')):
            self.add_heading(heading, content)
            return
        if (item := ITEM_REGEX.match(line)) and self.narrative:
            self.start_item(item["label"], *_cut(content, markers, item.end()))
            return
        if self.pending is None:
            self.report.warnings.append(f"text outside any numbered paragraph: {line[:60]!r}")
            return
        continued = line[:1].islower() or not self.pending.ends_paragraph()
        self.pending.extend(content, markers, " " if continued else "\n")

    def finish(self) -> Document:
        report = self.report
        if not any(p.kind == "narrative" for p in self.narrative):
            raise ReaderError("no numbered paragraph in the report (truncated file?)")
        report.paragraphs = self.narrative
        report.footnotes, warnings = attach_footnotes(self.notes, self.narrative_markers)
        report.warnings.extend(warnings)
        if self.expected:
            report.warnings.append(f"the report announces a {self.expected.replace('-', ' ')} "
                                   "but its text is missing (truncated file?)")
        labels = {part.label for part in report.parts}
        for paragraph in self.narrative:
            for label in re.findall(r"draft resolution ([IVXLC]+)\)", paragraph.text):
                if label not in labels:
                    report.warnings.append(f"{paragraph.id} refers to draft resolution {label}, "
                                           "which the report does not reproduce")
        return report


def _stripped(content: CleanText,
              markers: list[FoundMarker]) -> tuple[CleanText, list[FoundMarker]]:
    """A line without surrounding white space, its markers shifted along."""
    lead = len(content.text) - len(content.text.lstrip())
    content, markers = _cut(content, markers, lead)
    return content.strip(), markers


def _cut(content: CleanText, markers: list[FoundMarker],
         length: int) -> tuple[CleanText, list[FoundMarker]]:
    """A line without its first ``length`` characters (a printed number or item label)."""
    return (CleanText(content.text[length:], content.offsets[length:]),
            [FoundMarker(m.label, m.offset - length, m.source_offset)
             for m in markers if m.offset >= length])


def read(text: str, source: str) -> Document:
    """Read a committee report: narrative paragraphs, then each recommended draft as a part."""
    return _ReportReader(text, source).read()

