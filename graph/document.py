"""The common document model every reader returns.

Readers differ in how a UN document reached us (tab text from the document system, markdown
conversions, PDF text); everything after the readers sees only these classes. Text is kept twice:
the *source* text of the file, which provenance spans point into, and a *clean* text per
paragraph or footnote (markup, line wraps and footnote markers removed), which the citation
finder reads. ``CleanText`` keeps the map from one to the other, so a citation found in clean
text can always be traced back to the exact characters of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

Span = tuple[int, int]


class CleanText:
    """Text assembled from pieces of a source text, with each character's source offset.

    ``offsets[i]`` is the position in the source text of ``text[i]``. Characters the reader
    inserted (a space where a line break was) map to the source position they replace.

    Readers build a paragraph a word at a time, so appending must not copy what is already
    there: the pieces are kept and joined once when ``text`` is read (appending to one string
    cost the square of a paragraph's length: minutes for a megabyte-long one). ``ending``
    reads the last characters without joining.
    """

    __slots__ = ("_pieces", "offsets")

    def __init__(self, text: str = "", offsets: list[int] | None = None) -> None:
        self._pieces: list[str] = [text]
        self.offsets: list[int] = [] if offsets is None else offsets

    @property
    def text(self) -> str:
        if len(self._pieces) != 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0]

    @text.setter
    def text(self, value: str) -> None:
        self._pieces = [value]

    def ending(self, size: int) -> str:
        """The last ``size`` characters (fewer when the text is shorter)."""
        last = self._pieces[-1]
        if len(last) >= size > 0:  # most asks: the last piece (a line, a word) holds them
            return last[-size:]
        found: list[str] = []
        length = 0
        for piece in reversed(self._pieces):
            found.append(piece)
            length += len(piece)
            if length >= size:
                break
        return "".join(reversed(found))[-size:] if size > 0 else ""

    def append(self, source: str, start: int, end: int) -> None:
        """Copy ``source[start:end]`` and remember where each character came from."""
        self._pieces.append(source[start:end])
        self.offsets.extend(range(start, end))

    def insert(self, chars: str, at: int) -> None:
        """Add characters that are not in the source (joins), mapped to source offset ``at``."""
        self._pieces.append(chars)
        if len(chars) == 1:  # a space where a line broke: most inserts
            self.offsets.append(at)
        else:
            self.offsets.extend([at] * len(chars))

    def source_span(self, start: int, end: int) -> Span:
        """Map a span of the clean text to the span of source text it was built from."""
        if not self.offsets:
            return (0, 0)
        if end <= start:
            pos = self.offsets[min(start, len(self.offsets) - 1)]
            return (pos, pos)
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def strip(self) -> CleanText:
        """Return a copy without leading and trailing white space, offsets kept aligned."""
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        return CleanText(text[left:right], self.offsets[left:right])

    def __len__(self) -> int:
        return len(self.offsets)   # one offset per character

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CleanText):
            return NotImplemented
        return self.text == other.text and self.offsets == other.offsets

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"CleanText(text={self.text!r}, offsets={self.offsets!r})"


class _Content:
    """Paragraphs and footnotes expose their clean text and the source span it came from."""

    content: CleanText

    @property
    def text(self) -> str:
        return self.content.text

    @property
    def span(self) -> Span:
        return self.content.source_span(0, len(self.content))


@dataclass(frozen=True)
class Marker:
    """A footnote marker as it stood in a paragraph: its printed label and clean-text offset."""

    label: str
    offset: int


@dataclass
class Paragraph(_Content):
    """One addressable unit of a document's text.

    ``id`` is the paragraph's path below its document IRI and is built from the document's own
    numbering (``para/11/a``, ``annex/para/5``) or, for unnumbered preambular paragraphs and
    recommendations, from their position within their section (``preamble/3``), so it is stable
    across builds of the same text.

    ``kind`` is one of: ``preamble`` (preambular paragraph), ``operative`` (numbered operative
    paragraph), ``item`` (lettered sub-item of another paragraph, see ``parent``), ``heading``,
    ``narrative`` (numbered paragraph of a report), ``recommendation`` (an item of a
    compilation, with ``tags``).
    """

    id: str
    kind: str
    content: CleanText
    number: str | None = None
    opening: str | None = None
    parent: str | None = None
    section: str = "body"
    heading: str | None = None
    markers: list[Marker] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Footnote(_Content):
    """An authorial footnote: printed label, clean text, and where its marker stands.

    ``paragraph`` is the id of the paragraph holding the marker, or ``None`` when no marker
    was found for it (the reader then adds a warning). ``marker_offset`` is the marker's
    position in the source text.
    """

    label: str
    content: CleanText
    paragraph: str | None = None
    marker_offset: int | None = None


@dataclass
class Document:
    """A UN document, or a part of one that is a document in its own right.

    A committee report holds its draft resolutions and decisions as ``parts``; each part is a
    ``Document`` whose spans point into the same source text as the report.

    ``kind`` is one of ``resolution``, ``decision``, ``draft-resolution``, ``draft-decision``,
    ``report``, ``compilation`` or ``document``. ``body`` is the short code of the issuing body
    (``GA``, ``ECOSOC``, ``GA-C3`` …). ``session`` is the session as Arabic numerals (``70``) or
    ECOSOC's year. Dates are ISO 8601 strings (``2015-12-17``). ``identifier`` is the IRI path
    of a document that has no UN symbol, derived from what the text says it is
    (``congress/14/rpm/compilation``). ``label`` names a part within its parent (``"VIII"``).
    ``sponsors`` is a draft's sponsor list as its heading prints it ("Austria, ... and Chile").
    """

    source: str
    text: str
    format: str
    kind: str = "document"
    symbol: str | None = None
    identifier: str | None = None
    number: str | None = None
    label: str | None = None
    title: str | None = None
    body: str | None = None
    session: str | None = None
    agenda_item: str | None = None
    date: str | None = None
    meeting: str | None = None
    report: str | None = None
    distributed: str | None = None
    sponsors: str | None = None
    language: str = "en"
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    parts: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def paragraph(self, pid: str) -> Paragraph | None:
        """The paragraph with id ``pid``, if the document has one."""
        return next((p for p in self.paragraphs if p.id == pid), None)

    def walk(self) -> Iterator[Document]:
        """This document and all its parts, depth first."""
        yield self
        for part in self.parts:
            yield from part.walk()


class ReaderError(ValueError):
    """A document could not be read; the message says which file and why."""
