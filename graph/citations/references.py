"""From a document to its references: find and resolve in every paragraph and footnote.

This is where a citation learns where it was made: the paragraph and its opening verb, the
footnote (and, in a committee report, the draft it belongs to), the span in the source file.
Finding and resolving run on the clean text of each paragraph and footnote; spans are mapped
back to the source text through ``CleanText.source_span``. The words just before a footnote
marker name what the footnote cites ("the United Nations Convention against Corruption,7"), so
they become the label of the footnote's first treaty or annexed instrument.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import fields
from typing import Callable, Sequence

from graph.document import CleanText, Document, Footnote, Paragraph
from graph.citations.find import find_citations
from graph.citations.models import CitationBase, Cited, NameCitation, Reference, TagCitation
from graph.readers.common import ordinal_to_int
from graph.citations.resolve import Context, resolve_citations
from graph.citations.verbs import characterization

__all__ = ["characterization", "extract_references", "name_before_marker"]

Finder = Callable[[str], list[CitationBase]]
ResolveAll = Callable[[Sequence[CitationBase], Context], list[Cited]]

# Lower-case words that may stand inside a title ("Convention against Corruption", "Protocol
# against the Smuggling of Migrants by Land, Sea and Air", "… as amended by the 1972 Protocol").
_TITLE_WORDS = frozenset(
    "of on and for against in the to by with at into from as amended thereto supplementing "
    "between concerning a an its their de la du des".split())
_LEADING_WORDS = frozenset("of on and for against in the to by with at into from as a an".split())
# ", signed at Geneva on 20 April 1929", ", adopted by the General Conference of … on 14 November
# 1970": where and when an instrument was concluded, printed between its title and the marker.
_CONCLUDED = re.compile(r",\s*(?:signed|done|adopted|concluded|opened\s+for\s+signature)\s[^,;]*$")


# Words before a footnote marker that cite a resolution or decision for itself.
_CITES_A_RESOLUTION = re.compile(r"\b(?:[Rr]esolutions?|[Dd]ecisions?)\b")
# Between a document symbol (or the "Ibid." that repeats it) and a place inside it: "), annex, ",
# ", sect. I.A, ", ", ".
_INSIDE_GAP = re.compile(r"\)?,?\s*(?:[^;()]{0,40}?,\s*)?(?:(?:[Rr]esolutions?|[Dd]ecisions?)\s+)?")


def name_before_marker(text: str) -> str | None:
    """The title a footnote marker follows: "… implementation of the United Nations Convention
    against Corruption," -> "United Nations Convention against Corruption".

    Walks back over capitalised words, numbers and the small words titles contain, and stops at
    an ordinary lower-case word or at punctuation that ends a phrase. A clause that says where
    and when the instrument was concluded (", signed at Geneva on 20 April 1929") is passed over.
    """
    words = _CONCLUDED.sub("", text.rstrip(" ,;:.“”\"'*")).split()
    taken: list[str] = []
    for word in reversed(words):
        bare = word.strip("()“”\"'*")
        if taken and word[-1] in ",;:":
            break
        if not bare or not (bare[0].isupper() or bare[0].isdigit() or bare in _TITLE_WORDS):
            break
        taken.insert(0, word)
    while taken and taken[0].strip("(") in _LEADING_WORDS:
        taken.pop(0)
    if not taken or not any(w[0].isupper() for w in taken):
        return None
    return " ".join(taken).strip(" ,;:")


def _before_marker(document: Document, footnote: Footnote) -> str | None:
    """The paragraph's text before the footnote's marker, from the previous marker on."""
    paragraph = document.paragraph(footnote.paragraph) if footnote.paragraph else None
    if paragraph is None:
        return None
    offsets = sorted(m.offset for m in paragraph.markers)
    marker = next((m for m in paragraph.markers if m.label == footnote.label), None)
    if marker is None:
        return None
    start = max((o for o in offsets if o < marker.offset), default=0)
    return paragraph.text[start:marker.offset]


def _marker_label(document: Document, footnote: Footnote) -> str | None:
    """The name printed before the footnote's marker."""
    before = _before_marker(document, footnote)
    return name_before_marker(before) if before is not None else None


def _pinpoints(footnote: Footnote, cited: list[Cited], before: str | None) -> list[Cited]:
    """The resolutions and decisions a footnote names only as places inside a document it
    cites ("(A/69/25), annex, resolution 1/1", "FCCC/CP/2015/10/Add.1, decision 1/CP.21"):
    where the text only cites what stands there (a declaration, an agreement). When the clause
    the marker ends cites a resolution or decision for itself ("consistent with the resolution
    adopted by the Conference at its fourth session;"), the one named in the document is a
    citation too."""
    clause = re.split(r"[,;]", before.rstrip(" ,;:.*"))[-1] if before is not None else ""
    if _CITES_A_RESOLUTION.search(clause):
        return []
    documents = [c.span[1] for c in cited if c.kind == "document"]
    return [c for c in cited if c.kind in ("resolution", "decision") and any(
        _INSIDE_GAP.fullmatch(footnote.text, end, c.span[0]) for end in documents)]


def _footnote_label(document: Document, footnote: Footnote) -> str:
    """"13", or "VIII:13" for a footnote of draft VIII of a committee report."""
    if document.label:
        return f"{document.label}:{footnote.label}"
    if document.kind == "draft-decision":
        return f"decision:{footnote.label}"
    return footnote.label


def _verb(document: Document, paragraph: Paragraph | None) -> str | None:
    """The citing paragraph's opening phrase; a lettered sub-item ("(a) To integrate …") is
    governed by the verb of the paragraph it belongs to ("Requests …:")."""
    if paragraph is None:
        return None
    parent = document.paragraph(paragraph.parent) if paragraph.parent else None
    return paragraph.opening or (parent.opening if parent else None)


# What a reference takes over from what was cited (``dataclasses.fields`` is slow to ask at
# every reference).
_CITED_FIELDS = tuple(field.name for field in fields(Cited))


def _references(document: Document, content: CleanText, cited: list[Cited], *, location: str,
                paragraph: Paragraph | None, footnote: str | None) -> list[Reference]:
    """``Reference`` records for what one text cites, with source spans."""
    records = []
    for item in cited:
        if item.kind == "mention":
            continue
        span = content.source_span(*item.span)
        # The span is exact, but it may run across what a page break puts inside a citation
        # (footnotes, page footer, running head), which the clean text leaves out: the text
        # for reading comes from the clean text, without the line breaks and indentation of
        # PDF text ("Commission on⏎        Narcotic Drugs").
        printed = content.text[item.span[0]:item.span[1]]
        what = {name: getattr(item, name) for name in _CITED_FIELDS}
        records.append(Reference(
            **{**what, "text": " ".join(printed.split()), "span": span, "unts": list(item.unts)},
            document=document.symbol, location=location, footnote=footnote,
            paragraph=paragraph.id if paragraph else None, verb=_verb(document, paragraph)))
    return records


def _front_matter(document: Document) -> CleanText:
    """The source text above the first paragraph ("[on the report of the Third Committee
    (A/70/490)]"), which cites the report a resolution was adopted on."""
    starts = [p.span[0] for p in document.paragraphs]
    content = CleanText()
    if starts and document.text:
        content.append(document.text, 0, min(starts))
    return content


def _tag_region(document: Document, paragraph: Paragraph, starts: list[int]) -> CleanText:
    """The source text from a paragraph to the next one, where its tags stand when the reader
    moved them out of the clean text into ``Paragraph.tags``; ``starts`` are the sorted
    source starts of the document's paragraphs and footnotes (found once per document, not
    once per paragraph, which cost the square of the paragraphs)."""
    index = bisect_left(starts, paragraph.span[1])
    region = CleanText()
    region.append(document.text, paragraph.span[0],
                  starts[index] if index < len(starts) else len(document.text))
    return region


def _is_own(document: Document, item: Cited) -> bool:
    """A document's own symbol or number in its masthead is not a citation of itself."""
    own = {document.symbol, document.number}
    return item.symbol in own or (item.session and f"{item.session}/{item.number}" in own) or False


def _title_congress(document: Document, finder: Finder) -> int | None:
    """The congress a document's title names ("… meetings for the Fourteenth United Nations
    Congress …"): the one its recommendation tags refer to."""
    for citation in finder(document.title or ""):
        if isinstance(citation, NameCitation) and citation.metadata.entity == "congress":
            return ordinal_to_int(citation.groups.get("ordinal") or "")
    return None


def extract_references(document: Document, *, finder: Finder = find_citations,
                       resolver: ResolveAll = resolve_citations) -> list[Reference]:
    """Every reference of one document (not of its parts: call it once per part).

    Paragraphs are read in order, then footnotes in order, with one resolution ``Context`` so
    that names and "Ibid." carry over. A part of a report (``document.label`` set) has no
    masthead of its own; a whole document's masthead is read as text without a paragraph.
    """
    year = (document.date or "")[:4]
    context = Context(issuer=document.body, session=document.session,
                      year=int(year) if year.isdigit() else None,
                      subject_congress=_title_congress(document, finder))
    references: list[Reference] = []
    starts: list[int] | None = None
    if not document.label and document.kind not in ("draft-resolution", "draft-decision"):
        front = _front_matter(document)
        cited = [c for c in resolver(finder(front.text), context) if not _is_own(document, c)]
        references += _references(document, front, cited, location="text", paragraph=None,
                                  footnote=None)
    for paragraph in document.paragraphs:
        found = finder(paragraph.text)
        references += _references(document, paragraph.content, resolver(found, context),
                                  location="text", paragraph=paragraph, footnote=None)
        if paragraph.tags and not any(isinstance(c, TagCitation) for c in found):
            if starts is None:
                starts = sorted(item.span[0] for item in (*document.paragraphs,
                                                          *document.footnotes))
            region = _tag_region(document, paragraph, starts)
            tags = [c for c in finder(region.text) if isinstance(c, TagCitation)]
            references += _references(document, region, resolver(tags, context),
                                      location="text", paragraph=paragraph, footnote=None)
    for footnote in document.footnotes:
        cited = resolver(finder(footnote.text), context)
        before = _before_marker(document, footnote)
        inside = _pinpoints(footnote, cited, before)
        cited = [c for c in cited if not any(c is p for p in inside)]
        context.previous = [c for c in cited if c.kind != "mention"]
        label = name_before_marker(before) if before is not None else None
        target = next((c for c in cited if c.kind == "treaty" or (
            c.kind == "resolution" and "annex" in footnote.text[c.span[0]:c.span[1]])), None)
        if label and target and (target.label is None or len(target.unts) > 1):
            target.label = label
        references += _references(
            document, footnote.content, cited, location="footnote",
            paragraph=document.paragraph(footnote.paragraph) if footnote.paragraph else None,
            footnote=_footnote_label(document, footnote))
    return references
