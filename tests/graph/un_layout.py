"""Set a read Document again in the UN's printed layout: a PDF (reportlab) and a Word file
(python-docx), for the tests of the .pdf and .docx paths of ``graph.readers.files``.

Why this exists: those paths must be tested on files shaped like the UN's own, and no UN PDF or
Word file ships with the repository. A document read from real extracted text
(``corpus/A_RES_76_181.txt``) knows its metadata, paragraphs, footnote markers and footnotes;
set again the way the UN prints it, read back through PDFium or python-docx, it must give the
same citations as the text it came from. Everything a test compares comes from the Document, so
a difference is the reading's, not the rendering's.

The PDF follows the UN page: masthead on page 1 (United Nations, symbol, General Assembly,
Distr.: General and date, session, agenda item), the adoption line over two lines, the report
line, "76/181. Title", "The General Assembly,", paragraphs (operative ones numbered "1.", items
"(a)", openings in italics), headings, "Annex", the meeting line and its date; footnote markers
as superscripts (smaller, raised) glued to their word; each page's footnotes at its foot after a
rule of underscores; running heads (symbol and title, the title wrapped) on pages 2+ and a
footer with "n/N" and the job number. Text is justified with word spacing, as Word sets it.

The Word file holds the same blocks as Word paragraphs (the masthead in a table, the adoption
line broken by a ``w:br``, "1." then a tab), footnotes as real Word footnotes: python-docx has
no API for them, so ``word/footnotes.xml`` is added as a part with its content type and
relationship, and each marker is a ``w:footnoteReference`` run in superscript. Footnote ids
start at 2, after the separators 0 and 1: the ids are not the printed numbers, so a reader
must number the footnotes by order of reference.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from graph.document import Document, Paragraph

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph as DocxParagraph
    from reportlab.pdfgen.canvas import Canvas

ROMAN, ITALIC, BOLD, SUP = "roman", "italic", "bold", "sup"
BODY_NAMES = {"GA": "General Assembly", "ECOSOC": "Economic and Social Council",
              "SC": "Security Council", "HRC": "Human Rights Council"}
DEFAULT_JOB = "21-19220"
FOOTNOTE_RULE = "__________________"

_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
          "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth"]
_TENS = ["", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style; a ``SUP`` run is a footnote marker (its label)."""

    text: str
    style: str = ROMAN


@dataclass
class Block:
    """One printed paragraph of the document: its role (how it is set), the label printed
    before it ("1.", "(a)"), and its runs. ``lines`` forces line breaks (the adoption line)."""

    role: str
    runs: list[Run]
    label: str | None = None
    lines: list[list[Run]] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """The footnote labels this block marks, in order."""
        runs = self.runs + [run for line in self.lines for run in line]
        return [run.text for run in runs if run.style == SUP]


# --- what to print, from the Document ------------------------------------------------------


def ordinal_words(number: int) -> str:
    """76 -> "Seventy-sixth": sessions are printed in words."""
    if number < 10:
        word = _UNITS[number]
    elif number < 20:
        word = _TEENS[number - 10]
    elif number % 10 == 0:
        word = _TENS[number // 10] + "ieth"
    else:
        word = _TENS[number // 10] + "y-" + _UNITS[number % 10]
    return word.capitalize()


def long_date(iso: str) -> str:
    """"2021-12-16" -> "16 December 2021", as the UN prints dates."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def report_line(document: Document) -> str | None:
    """The "[on the report of ...]" line as the source printed it: the Document keeps only the
    report's symbol, and the line's own citation ("A/76/463, para. 26") must be printed too."""
    match = re.search(r"\[on the (?:report|recommendation) of[^\]]*\]", document.text)
    if match:
        return " ".join(match.group().split())
    return f"[on the report of the Committee ({document.report})]" if document.report else None


def paragraph_runs(paragraph: Paragraph, italic_opening: bool) -> list[Run]:
    """The paragraph's clean text with its markers put back as superscripts at their offsets,
    glued to the word before them (a marker after a space moves before the space), and its
    opening phrase in italics when the UN prints it so (the Assembly's own paragraphs)."""
    text = paragraph.text
    opening = paragraph.opening if italic_opening and paragraph.opening else ""
    split = len(opening) if opening and text.startswith(opening) else 0
    runs: list[Run] = []

    def plain(start: int, end: int) -> None:
        for a, b, style in ((start, min(end, split), ITALIC), (max(start, split), end, ROMAN)):
            if a < b:
                runs.append(Run(text[a:b], style))

    position = 0
    for marker in sorted(paragraph.markers, key=lambda m: m.offset):
        at = max(position, min(marker.offset, len(text)))
        while at > position and text[at - 1] == " ":
            at -= 1
        plain(position, at)
        runs.append(Run(marker.label, SUP))
        position = at
    plain(position, len(text))
    return runs


def blocks(document: Document) -> list[Block]:
    """The document's printed blocks in reading order, from the adoption line to the end."""
    body = BODY_NAMES.get(document.body or "GA", "General Assembly")
    kind = "Decision" if document.kind == "decision" else "Resolution"
    out = [Block("adoption", [], lines=[
        [Run(f"{kind} adopted by the {body}", BOLD)],
        [Run(f"on {long_date(document.date)}" if document.date else "", BOLD)]])]
    if line := report_line(document):
        out.append(Block("report", [Run(line)]))
    out.append(Block("title", [Run(f"{document.number}. {document.title}", BOLD)]))
    out.append(Block("enacting", [Run(f"The {body}", ITALIC), Run(",")]))
    annex: str | None = None
    for paragraph in document.paragraphs:
        path = _annex_path(paragraph) if paragraph.section != "body" else None
        if path != annex:
            if annex is None:
                out.extend(_meeting_blocks(document))
            label = path.split("/")[1] if path and path.count("/") == 1 else None
            out.append(Block("annex", [Run(f"Annex {label}" if label else "Annex", BOLD)]))
            annex = path
            if paragraph.kind == "heading":
                out.append(Block("annex-title", [
                    Run(r.text, SUP if r.style == SUP else BOLD)
                    for r in paragraph_runs(paragraph, False)]))
                continue
        out.append(_paragraph_block(paragraph, italic_opening=paragraph.section == "body"))
    if annex is None:
        out.extend(_meeting_blocks(document))
    return out


def _annex_path(paragraph: Paragraph) -> str:
    """"annex" or "annex/II": the annex a paragraph belongs to, from its id."""
    parts = paragraph.id.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 and re.fullmatch(r"[IVXLC]+", parts[1]) \
        else parts[0]


def _meeting_blocks(document: Document) -> list[Block]:
    """The meeting line and its date, which close the resolution's own text."""
    if not document.meeting:
        return []
    meeting = [Block("meeting", [Run(document.meeting, ITALIC)])]
    if document.date:
        meeting.append(Block("date", [Run(long_date(document.date), ITALIC)]))
    return meeting


def _paragraph_block(paragraph: Paragraph, italic_opening: bool) -> Block:
    """A paragraph as printed: headings bold, operative paragraphs and items labelled."""
    runs = paragraph_runs(paragraph, italic_opening)
    if paragraph.kind == "heading":
        return Block("heading", [Run(r.text, SUP if r.style == SUP else BOLD) for r in runs])
    if paragraph.kind in ("operative", "narrative") and paragraph.number:
        return Block("operative", runs, label=f"{paragraph.number}.")
    if paragraph.kind == "item" and paragraph.number:
        return Block("item", runs, label=f"({paragraph.number})")
    return Block("preamble", runs)


def masthead_lines(document: Document) -> dict[str, str]:
    """The masthead's printed strings. The agenda item's title is not printed: the Document
    does not keep it, and nothing is read from it."""
    session = (f"{ordinal_words(int(document.session))} session"
               if document.session and document.session.isdigit() else "")
    return {"symbol": document.symbol or "", "body": BODY_NAMES.get(document.body or "GA", ""),
            "distributed": long_date(document.distributed) if document.distributed else "",
            "session": session,
            "agenda": f"Agenda item {document.agenda_item}" if document.agenda_item else ""}


# --- PDF ---------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0  # A4
LEFT, WIDTH = 108.0, 380.0  # the text column
RIGHT = LEFT + WIDTH
TOP, BOTTOM = 742.0, 80.0  # first and lowest body baselines on pages 2+
FIRST_TOP = 640.0  # the first body baseline of page 1, under the masthead
SIZE, LEADING, GAP = 10.0, 12.0, 6.0
SUP_SIZE, SUP_RISE = 6.5, 3.5
NOTE_SIZE, NOTE_LEADING, NOTE_GAP = 8.5, 10.0, 2.0
INDENT, TAB = 36.0, 64.0  # first-line indent; where text starts after "1."
FONTS = {ROMAN: "Times-Roman", ITALIC: "Times-Italic", BOLD: "Times-Bold", SUP: "Times-Roman"}

Word = list[Run]


@dataclass
class _Line:
    """A line of words at (x, y), justified to end at ``right`` unless it ends its paragraph;
    a ``label`` ("1.") stands at x and the words start at ``text_x``, as a tab sets them."""

    x: float
    y: float
    words: list[Word]
    size: float
    right: float | None = None
    label: str | None = None
    text_x: float | None = None


@dataclass
class _Page:
    """A page's body lines and the footnotes they mark, in order (set at the page's foot)."""

    lines: list[_Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _width(word: Word, size: float) -> float:
    """A word's printed width, its superscripts at their own size."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run.text, FONTS[run.style], SUP_SIZE if run.style == SUP else size)
               for run in word)


def _words(runs: list[Run]) -> list[Word]:
    """Runs cut into words; a marker sticks to the word before it, as a superscript prints."""
    words: list[Word] = [[]]
    for run in runs:
        if run.style == SUP:
            words[-1].append(run)
            continue
        for index, piece in enumerate(run.text.split(" ")):
            if index:
                words.append([])
            if piece:
                words[-1].append(Run(piece, run.style))
    return [word for word in words if word]


def _break(words: list[Word], size: float, first: float, rest: float) -> list[list[Word]]:
    """Greedy line breaking: ``first`` is the first line's width, ``rest`` the others'."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    space = stringWidth(" ", FONTS[ROMAN], size)
    lines: list[list[Word]] = [[]]
    used = 0.0
    for word in words:
        width = _width(word, size)
        limit = first if len(lines) == 1 else rest
        if lines[-1] and used + space + width > limit:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + width
        lines[-1].append(word)
    return lines


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Plain text wrapped to ``width`` (footnotes, running-head titles)."""
    return [" ".join(run.text for word in line for run in word)
            for line in _break(_words([Run(text)]), size, width, width)] if text else []


class _Composer:
    """Lays blocks out on pages: body lines from the top, each page's footnotes at its foot,
    a line going to the next page when it or the notes it marks would not fit."""

    def __init__(self, notes: dict[str, str]) -> None:
        self.notes = notes
        self.pages: list[_Page] = []
        self.y = 0.0
        self.fresh = True

    def note_lines(self, label: str) -> list[str]:
        """A footnote's text as its lines at the page foot."""
        return _wrap(self.notes.get(label, ""), NOTE_SIZE, WIDTH - INDENT)

    def notes_height(self, labels: list[str]) -> float:
        """The room footnotes take at the page foot, their rule included."""
        if not labels:
            return 0.0
        return 2 * LEADING + sum(len(self.note_lines(label)) * NOTE_LEADING + NOTE_GAP
                                 for label in labels)

    def new_page(self, top: float = TOP) -> None:
        """Go on at ``top`` of a new page (lower on page 1, under the masthead)."""
        self.pages.append(_Page())
        self.y, self.fresh = top, True

    def space(self, points: float) -> None:
        """White space before the next line; none at the top of a page."""
        if not self.fresh:
            self.y -= points

    def place(self, line: _Line, leading: float) -> None:
        """One line at the cursor, on a new page when it does not fit with its notes."""
        page = self.pages[-1]
        marked = [run.text for word in line.words for run in word
                  if run.style == SUP and run.text not in page.notes]
        if self.y - leading < BOTTOM + self.notes_height(page.notes + marked) and not self.fresh:
            self.new_page()
            page = self.pages[-1]
        line.y = self.y
        page.lines.append(line)
        page.notes.extend(marked)
        self.y -= leading
        self.fresh = False

    def plain(self, x: float, runs: list[Run], size: float = SIZE, leading: float = LEADING,
              right_aligned: bool = False) -> None:
        """One unjustified line; ``right_aligned`` sets it to end at the column's edge."""
        words = _words(runs)
        if right_aligned:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            x = RIGHT - sum(_width(word, size) for word in words) - (
                len(words) - 1) * stringWidth(" ", FONTS[ROMAN], size)
        self.place(_Line(x, 0.0, words, size), leading)

    def paragraph(self, block: Block, size: float = SIZE, leading: float = LEADING) -> None:
        """A block set in the column: first-line indent or label, justified lines; titles
        and headings ragged, a title's lines after the first hanging under its text."""
        words = _words(block.runs)
        label_x, text_x = LEFT, LEFT
        if block.role == "operative":
            label_x, text_x = LEFT + INDENT, LEFT + TAB
        elif block.role == "item":
            label_x, text_x = LEFT + TAB, LEFT + TAB + 28
        elif block.role in ("preamble", "enacting"):
            text_x = LEFT + INDENT
        hanging = 40.0 if block.role == "title" else 0.0
        ragged = block.role in ("title", "annex-title", "heading")
        lines = _break(words, size, RIGHT - text_x, WIDTH - hanging)
        for index, words_of_line in enumerate(lines):
            last = index == len(lines) - 1
            right = None if last or ragged else RIGHT
            if index == 0 and block.label:
                line = _Line(label_x, 0.0, words_of_line, size, right, block.label, text_x)
            else:
                line = _Line(text_x if index == 0 else LEFT + hanging, 0.0, words_of_line,
                             size, right)
            self.place(line, leading)


def render_pdf(document: Document, job: str = DEFAULT_JOB) -> bytes:
    """The document as a UN-layout PDF (see the module docstring)."""
    from reportlab.pdfgen.canvas import Canvas

    notes = {note.label: note.text for note in document.footnotes}
    composer = _Composer(notes)
    composer.new_page(FIRST_TOP)
    for block in blocks(document):
        if block.role == "adoption":
            composer.space(GAP)
            for runs in block.lines:
                composer.plain(LEFT + INDENT, runs, 12.0, 14.0)
            composer.space(2 * GAP)
        elif block.role == "title":
            composer.paragraph(block, 12.0, 14.0)
            composer.space(2 * GAP)
        elif block.role in ("meeting", "date"):
            composer.space(2 * GAP if block.role == "meeting" else 0.0)
            composer.plain(LEFT, block.runs, right_aligned=True)
        elif block.role == "annex":
            composer.space(4 * GAP)
            composer.plain(LEFT, block.runs, 12.0, 14.0)
            composer.space(GAP)
        elif block.role in ("annex-title", "heading"):
            composer.space(2 * GAP)
            composer.paragraph(block, 12.0 if block.role == "annex-title" else SIZE,
                               14.0 if block.role == "annex-title" else LEADING)
            composer.space(GAP)
        else:
            composer.paragraph(block)
            composer.space(2 * GAP if block.role == "report" else GAP)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    canvas.setTitle(f"{document.symbol}")
    total = len(composer.pages)
    for number, page in enumerate(composer.pages, start=1):
        if number == 1:
            _masthead(canvas, document)
        else:
            _running_head(canvas, document, number)
        for line in page.lines:
            _draw_line(canvas, line)
        _draw_notes(canvas, composer, page)
        _footer(canvas, document, number, total, job)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_line(canvas: Canvas, line: _Line) -> None:
    """One line as one text object: real spaces (word spacing justifies), superscripts by a
    smaller font and a text rise, a label's tab by moving the text position."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    start = line.text_x if line.label and line.text_x is not None else line.x
    space = stringWidth(" ", FONTS[ROMAN], line.size)
    gaps = len(line.words) - 1
    extra = 0.0
    if line.right is not None and gaps > 0:
        natural = sum(_width(word, line.size) for word in line.words) + gaps * space
        extra = max(0.0, (line.right - start - natural) / gaps)
    text = canvas.beginText(line.x, line.y)
    if line.label:
        text.setFont(FONTS[ROMAN], line.size)
        text.textOut(line.label)
        text.moveCursor(start - line.x, 0)  # the tab: from the line's start, no character
    text.setWordSpace(extra)
    for style, chars in _segments(line.words):
        text.setFont(FONTS[style], SUP_SIZE if style == SUP else line.size)
        text.setRise(SUP_RISE if style == SUP else 0)
        text.textOut(chars)
    text.setRise(0)
    canvas.drawText(text)


def _segments(words: list[Word]) -> list[tuple[str, str]]:
    """A line's text as (style, characters) segments, as Word writes them: one string per
    stretch of a style, the space before a word opening that word's segment. (A space alone
    in its own string after a superscript is dropped by PDFium, which no real file does.)"""
    segments: list[tuple[str, str]] = []
    for index, word in enumerate(words):
        for position, run in enumerate(word):
            chars = (" " if index and not position else "") + run.text
            if segments and segments[-1][0] == run.style:
                segments[-1] = (run.style, segments[-1][1] + chars)
            else:
                segments.append((run.style, chars))
    return segments


def _draw_notes(canvas: Canvas, composer: _Composer, page: _Page) -> None:
    """The page's footnotes at its foot, under a rule of underscores, label then text."""
    if not page.notes:
        return
    y = BOTTOM + composer.notes_height(page.notes) - LEADING
    canvas.setFont(FONTS[ROMAN], SIZE)
    canvas.drawString(LEFT, y, FOOTNOTE_RULE)
    y -= LEADING
    for label in page.notes:
        for index, line in enumerate(composer.note_lines(label)):
            canvas.setFont(FONTS[ROMAN], NOTE_SIZE)
            if index == 0:
                canvas.drawString(LEFT + INDENT / 2, y, label)
            canvas.drawString(LEFT + INDENT, y, line)
            y -= NOTE_LEADING
        y -= NOTE_GAP


def _masthead(canvas: Canvas, document: Document) -> None:
    """Page 1's masthead: United Nations and the symbol, the body, Distr. and its date, the
    session and agenda item."""
    fields = masthead_lines(document)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 790, "United Nations")
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawRightString(523, 790, fields["symbol"])
    canvas.line(72, 782, 523, 782)
    canvas.setFont("Helvetica-Bold", 17)
    canvas.drawString(72, 760, fields["body"])
    canvas.setFont("Helvetica", 10)
    canvas.drawString(400, 760, "Distr.: General")
    canvas.drawString(400, 748, fields["distributed"])
    canvas.line(72, 736, 523, 736)
    canvas.setFont(FONTS[ROMAN], 10)
    y = 718
    for key in ("session", "agenda"):
        if fields[key]:
            canvas.drawString(72, y, fields[key])
            y -= 12


def _running_head(canvas: Canvas, document: Document, number: int) -> None:
    """Pages 2+: the symbol beside the title (wrapped), symbol outside, title inside; the
    symbol on the baseline of the title's first line."""
    symbol, title = document.symbol or "", document.title or ""
    lines = _wrap(title, 8.0, 190.0)
    y = 800.0
    even = number % 2 == 0
    for index, line in enumerate(lines):
        canvas.setFont(FONTS[ROMAN], 8)
        if even:
            if index == 0:
                canvas.setFont("Helvetica-Bold", 10)
                canvas.drawString(72, y, symbol)
                canvas.setFont(FONTS[ROMAN], 8)
            canvas.drawString(523 - 190, y - 9 * index, line)
        else:
            canvas.drawString(72, y - 9 * index, line)
            if index == 0:
                canvas.setFont("Helvetica-Bold", 10)
                canvas.drawRightString(523, y, symbol)
    canvas.line(72, y - 9 * len(lines) + 4, 523, y - 9 * len(lines) + 4)


def _footer(canvas: Canvas, document: Document, number: int, total: int,
            job: str) -> None:
    """Page 1: job number with "(E)" and print date, then the bar code's text; pages 2+:
    "n/N" and the job number, page number outside."""
    canvas.setFont("Helvetica", 8)
    if number == 1:
        printed = ""
        if document.distributed:
            day = date.fromisoformat(document.distributed)
            printed = day.strftime("%d%m%y")
        canvas.drawString(72, 50, f"{job} (E)    {printed}".rstrip())
        canvas.setFont("Helvetica", 10)
        canvas.drawString(72, 38, f"*{job.replace('-', '')}*")
        return
    page = f"{number}/{total}"
    if number % 2 == 0:
        canvas.drawString(72, 40, page)
        canvas.drawRightString(523, 40, job)
    else:
        canvas.drawString(72, 40, job)
        canvas.drawRightString(523, 40, page)


# --- Word --------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIRST_NOTE_ID = 2  # after the separator (0) and the continuation separator (1)


def render_docx(document: Document, job: str = DEFAULT_JOB) -> bytes:
    """The document as a Word file with real footnotes (see the module docstring)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.shared import Pt

    word = docx.Document()
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(10)
    section = word.sections[0]
    section.header.paragraphs[0].text = f"{document.symbol}\t{document.title}"
    section.footer.paragraphs[0].text = job

    fields = masthead_lines(document)
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "United Nations"
    table.cell(0, 1).text = fields["symbol"]
    table.cell(1, 0).text = fields["body"]
    table.cell(1, 1).text = "Distr.: General"
    table.cell(1, 1).add_paragraph(fields["distributed"])
    for key in ("session", "agenda"):
        if fields[key]:
            word.add_paragraph(fields[key])

    note_ids: dict[str, int] = {}
    for block in blocks(document):
        paragraph = word.add_paragraph()
        if block.role in ("meeting", "date"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if block.lines:
            for index, line in enumerate(block.lines):
                if index:
                    paragraph.add_run().add_break()
                _add_runs(paragraph, line, note_ids)
            continue
        if block.label:
            paragraph.add_run(block.label + "\t")
        _add_runs(paragraph, block.runs, note_ids)

    notes = {note.label: note.text for note in document.footnotes}
    blob = _footnotes_xml([(number, notes.get(label, "")) for label, number in note_ids.items()])
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, blob,
                word.part.package)
    word.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _add_runs(paragraph: DocxParagraph, runs: list[Run], note_ids: dict[str, int]) -> None:
    """Text runs in their style; a marker becomes a ``w:footnoteReference`` run."""
    from docx.oxml import parse_xml

    for run in runs:
        if run.style != SUP:
            added = paragraph.add_run(run.text)
            added.italic = run.style == ITALIC or None
            added.bold = run.style == BOLD or None
            continue
        number = note_ids.setdefault(run.text, FIRST_NOTE_ID + len(note_ids))
        paragraph._p.append(parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="FootnoteReference"/>'
            f'<w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'))


def _footnotes_xml(notes: list[tuple[int, str]]) -> bytes:
    """``word/footnotes.xml``: the separators Word writes, then one footnote per id, its
    number printed by ``w:footnoteRef``."""
    from xml.sax.saxutils import escape

    body = [
        '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r>'
        '<w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for number, text in notes:
        body.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
            f'</w:p></w:footnote>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:footnotes xmlns:w="{W_NS}">{"".join(body)}</w:footnotes>').encode("utf-8")
