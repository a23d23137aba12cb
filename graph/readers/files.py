"""Source files to text: plain text as it is, PDF and Word through their libraries.

The readers work on text, and every span the graph records points into that text. For a text
file that is the file itself; for a PDF or a Word file it is the text extracted here, which the
build keeps with the graph (``unkg:sourceText``) so that every span can still be checked.

PDF text comes from PDFium (pypdfium2, Apache-2.0/BSD): each page's lines in reading order, a
blank line where white space stands between two lines (between paragraphs, around headings),
pages separated by a form feed at the start of a line as ``pdftotext`` separates them, so the
PDF-text reader sees the shape it knows (blank lines as PyMuPDF prints them, running heads,
page-foot footnotes after a rule, superscript markers glued to the word before them).

Word files carry their structure: paragraphs are paragraphs and footnotes are footnotes
(``w:footnoteReference`` in the text, ``word/footnotes.xml`` for their content). The text made
from them keeps one paragraph to a line with a blank line between, each footnote reference as
its number glued to the word before it (as a superscript prints), and the footnotes after a rule
at the end, numbered in order of reference as Word numbers them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from graph.document import ReaderError

if TYPE_CHECKING:
    from pypdfium2 import PdfTextPage

TEXT_SUFFIXES = frozenset({".txt", ".md"})
PDF_SUFFIX = ".pdf"
DOCX_SUFFIX = ".docx"
SUFFIXES = TEXT_SUFFIXES | {PDF_SUFFIX, DOCX_SUFFIX}
PAGE_BREAK = "\f"
# The longest text read as one document: the longest UN documents (a session's Official
# Records) run to some 3 million characters, and reading costs about 3 s a million.
MAX_CHARS = 5_000_000
# The largest file read at all (a PDF with images can be large; its text is limited above).
MAX_FILE_BYTES = 200_000_000
FOOTNOTE_RULE = "__________________"
# Word's built-in footnotes with these ids are the separator and continuation notice.
_WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % _WORD_NS
FOOTNOTES_RELTYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")


@dataclass(frozen=True)
class SourceText:
    """A source file's bytes and the text the readers read; ``extracted`` when the text is not
    the file itself (PDF, Word), so it must be stored for its spans to be checkable."""

    name: str
    raw: bytes
    text: str
    extracted: bool


def load(path: str | Path) -> SourceText:
    """Read ``path`` as text; every failure is a ``ReaderError`` naming the file and why, and
    where in it when there is a place to name (a byte, a line, a page, a part of a Word
    file)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReaderError(f"{path.name}: not a supported file type (expected "
                          f"{', '.join(sorted(SUFFIXES))})")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReaderError(f"{path.name}: {size:,} bytes, more than the {MAX_FILE_BYTES:,} "
                              "a document file may have")
        raw = path.read_bytes()
    except OSError as error:
        raise ReaderError(f"{path.name}: cannot be read ({error.strerror})") from None
    if suffix == PDF_SUFFIX:
        return SourceText(path.name, raw, pdf_text(raw, path.name), True)
    if suffix == DOCX_SUFFIX:
        return SourceText(path.name, raw, docx_text(raw, path.name), True)
    return SourceText(path.name, raw, _utf8(raw, path.name), False)


def _utf8(raw: bytes, name: str) -> str:
    """The text of a text file, which must be UTF-8 (the spans count its characters); else
    an error naming the line and byte where it stops being UTF-8, and what it may be."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start:error.start + 1].hex().upper()
        hint = ("it starts with a UTF-16 byte-order mark;" if raw.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "Latin-1 or Windows-1252?")
        raise ReaderError(f"{name}: not UTF-8 text: line {line:,}, byte {error.start:,} "
                          f"(0x{byte}) ({hint} save it as UTF-8)") from None


def pdf_text(raw: bytes, name: str) -> str:
    """The text of a PDF, page by page; an error for a PDF that is broken or has no text,
    naming the page that could not be read."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        raise ReaderError(f"{name}: not a readable PDF ({error})") from None
    try:
        pages: list[str] = []
        length = 0
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
                textpage = page.get_textpage()
                pages.append(_page_text(textpage))
                textpage.close()
                page.close()
            except (pdfium.PdfiumError, ValueError, OSError) as error:
                raise ReaderError(f"{name}: page {number}: cannot be read ({error})") from None
            length += len(pages[-1])
            if length > MAX_CHARS:
                raise ReaderError(f"{name}: page {number}: the text goes on past {MAX_CHARS:,} "
                                  "characters, more than any one UN document holds")
    finally:
        pdf.close()
    # Each page's last line ends with a line break before the form feed, as pdftotext
    # writes it: the next page's first line starts after the form feed, never glued to the
    # last line of the page before ("*2119220*\fA/RES/76/181 ...").
    text = PAGE_BREAK.join(page if page.endswith("\n") else page + "\n" for page in pages)
    if not text.strip(PAGE_BREAK + " \n\t"):
        raise ReaderError(f"{name}: the PDF has no text layer on any of its {len(pages)} "
                          "pages (a scan? run OCR first)")
    return text


# A line set this much further below the line before than the lines' own height (the font's
# ascent to descent) follows white space: single-spaced lines are 1.0-1.1 of their height
# apart, a paragraph's space after (6 pt under 10 pt text) puts them 1.6 apart.
PARAGRAPH_GAP = 1.4


def _page_text(textpage: PdfTextPage) -> str:
    """A page's lines as PDFium orders them, with a blank line where white space separates
    two lines (between paragraphs, around headings, above the footnotes).

    PDFium's text keeps no trace of vertical space, and without it the PDF-text reader cannot
    tell a heading from the paragraph under it, nor a paragraph ending in a comma from the
    next one. The space is measured on the characters PDFium places: each line's characters
    are found, in order, among the page's characters, and consecutive lines' baselines
    compared with their height. A line whose characters cannot be placed gets no blank line."""
    text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    out: list[str] = []
    previous: tuple[float, float] | None = None
    for line, place in zip(lines, _line_places(textpage, lines)):
        if place and previous and (previous[0] - place[0]) > PARAGRAPH_GAP * max(
                place[1], previous[1]):
            out.append("")
        out.append(line)
        previous = place
    return "\n".join(out)


def _line_places(textpage: PdfTextPage, lines: list[str]) -> list[tuple[float, float] | None]:
    """(baseline, height) of each line, or ``None`` when its characters cannot be placed.

    The baseline is the lowest character bottom (a superscript marker stands higher), the
    height the tallest character's (loose boxes: the font's ascent to descent, the same for
    every character of a font and size)."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    position = 0
    places: list[tuple[float, float] | None] = []
    for line in lines:
        bottoms: list[float] = []
        heights: list[float] = []
        for char in line:
            if char.isspace():
                continue
            # The line's next character among the next few of the page (PDFium adds spaces
            # and line breaks of its own); a character not found is skipped.
            for index in range(position, min(position + 8, count)):
                if chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)) == char:
                    _, bottom, _, top = textpage.get_charbox(index, loose=True)
                    bottoms.append(bottom)
                    heights.append(top - bottom)
                    position = index + 1
                    break
        places.append((min(bottoms), max(heights)) if bottoms else None)
    return places


def docx_text(raw: bytes, name: str) -> str:
    """The text of a Word file, footnotes included (see the module docstring for its shape)."""
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_package(raw, name)
    try:
        document = docx.Document(io.BytesIO(raw))
        return _docx_text(document, name)
    except ReaderError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReaderError(f"{name}: not a readable Word (.docx) file ({error})") from None
    except Exception as error:  # noqa: BLE001 - python-docx on a damaged package: say so
        raise ReaderError(f"{name}: not a readable Word (.docx) file "
                          f"({type(error).__name__}: {error})") from None


def _xml(data: bytes):  # type: ignore[no-untyped-def]
    """An XML part parsed without expanding entities (no "billion laughs") or fetching
    anything."""
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _check_package(raw: bytes, name: str) -> None:
    """Every part of a Word file unpacks and every XML part is well-formed; else an error
    naming the part, and the line and column of the XML error. (python-docx reports neither
    which part was damaged nor, for a damaged compressed part, anything but zlib's message.)"""
    import io
    import zipfile
    import zlib

    from lxml import etree

    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise ReaderError(f"{name}: not a readable Word (.docx) file ({error})") from None
    with package:
        for info in package.infolist():
            try:
                data = package.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
                    OSError) as error:
                raise ReaderError(f"{name}: part {info.filename}: damaged ({error})") from None
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                _xml(data)
            except etree.XMLSyntaxError as error:
                line, column = error.position
                reason = re.sub(r", line \d+, column \d+$", "", error.msg or "")
                raise ReaderError(f"{name}: part {info.filename}, line {line}, column "
                                  f"{column}: not well-formed XML ({reason})") from None


def _docx_text(document, name: str) -> str:  # type: ignore[no-untyped-def]
    footnotes = _docx_footnotes(document)
    lines: list[str] = []
    notes: list[str] = []
    for paragraph in _body_paragraphs(document.element.body):
        pieces = []
        for kind, value in _runs(paragraph):
            if kind == "text":
                pieces.append(value)
            elif value in footnotes:
                notes.append(f"{len(notes) + 1}  {footnotes[value]}")
                pieces.append(str(len(notes)))
        line = " ".join("".join(pieces).split("\n"))
        lines.append(line.rstrip())
    text = "\n\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise ReaderError(f"{name}: the Word file has no text")
    if notes:
        text += f"\n\n{FOOTNOTE_RULE}\n\n" + "\n\n".join(notes)
    return text + "\n"


def _body_paragraphs(body) -> Iterator:  # type: ignore[no-untyped-def]
    """The body's paragraphs in reading order, those inside tables included (mastheads are
    often a table)."""
    for element in body.iter(f"{_W}p"):
        yield element


def _runs(paragraph) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """("text", characters) and ("note", footnote id) in the order the paragraph has them."""
    for element in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}footnoteReference"):
        if element.tag == f"{_W}t":
            yield "text", element.text or ""
        elif element.tag == f"{_W}tab":
            yield "text", "\t"
        elif element.tag == f"{_W}br":
            yield "text", "\n"
        else:
            yield "note", element.get(f"{_W}id", "")


def _docx_footnotes(document) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Footnote id -> text, from the footnotes part when the file has one."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == FOOTNOTES_RELTYPE), None)
    if part is None:
        return {}
    root = _xml(part.blob)
    notes = {}
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(
            "".join(value for kind, value in _runs(p) if kind == "text").strip()
            for p in note.iter(f"{_W}p"))
        notes[note.get(f"{_W}id", "")] = " ".join(text.split())
    return notes
