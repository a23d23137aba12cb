"""Turn documents and their resolved citations into triples: pure functions, no IO.

Every fact extracted from a text carries its provenance on the node it describes: the source
file it came from (``prov:wasDerivedFrom``), the extraction that produced it
(``prov:wasGeneratedBy``) and the character span of the source it was read from
(``unkg:spanStart`` / ``unkg:spanEnd``). Build times are deliberately *not* written here (see
``build.py``): the same source read by the same extractor gives the same triples.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable
from importlib.metadata import version

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph import data, iris
from graph.document import Document, Footnote, Paragraph, Span
from graph.citations.models import Reference
from graph.namespaces import BASE, CITO, ELI, SCHEMA, UNKG
from graph.rdf.tripleset import TripleSet, new_graph
from graph.readers.common import text_identifier

EXTRACTOR_VERSION = version("unkg")

# Maps a citing verb ("Recalling") to a CiTO characterization property.
Characterize = Callable[[str | None], URIRef]

DOCUMENT_CLASSES = {
    "resolution": UNKG.Resolution,
    "decision": UNKG.Decision,
    "draft-resolution": UNKG.DraftResolution,
    "draft-decision": UNKG.DraftDecision,
    "report": UNKG.Report,
    "compilation": UNKG.Compilation,
    "document": UNKG.Document,
}
PARAGRAPH_CLASSES = {
    "preamble": UNKG.PreambularParagraph,
    "operative": UNKG.OperativeParagraph,
    "item": UNKG.SubParagraph,
    "heading": UNKG.Heading,
    "narrative": UNKG.NarrativeParagraph,
    "recommendation": UNKG.Recommendation,
}
# Terms written for every paragraph, footnote and citation, looked up once (rdflib's closed
# namespaces, RDF, PROV, XSD, check every attribute access), some as their N-Triples forms.
_TYPE, _INTEGER = RDF.type, XSD.integer
_DERIVED_FROM_FORM, _GENERATED_BY_FORM = f"<{PROV.wasDerivedFrom}>", f"<{PROV.wasGeneratedBy}>"
_SPAN_START_FORM, _SPAN_END_FORM = f"<{UNKG.spanStart}>", f"<{UNKG.spanEnd}>"
CITED_CLASSES = {
    "resolution": UNKG.Resolution,
    "decision": UNKG.Decision,
    "treaty": UNKG.Treaty,
    "document": UNKG.Document,
}


@dataclass(frozen=True)
class Source:
    """The file a document was read from, identified by the SHA-256 of its bytes.

    ``text`` is the text extracted from a file that is not itself text (PDF, Word): the spans
    point into it, so it is stored with the graph."""

    name: str
    sha256: str
    text: str | None = None

    @cached_property
    def iri(self) -> URIRef:
        return iris.source_file(self.sha256)

    @cached_property
    def extraction(self) -> URIRef:
        """The extraction of this file by this extractor version: same input, same IRI."""
        return URIRef(f"{self.iri}/extraction/{EXTRACTOR_VERSION}")


def document_iri(doc: Document, parent: URIRef | None = None) -> URIRef:
    """The IRI of a document, from its own identity (DESIGN.md §3).

    A resolution or decision is named by body, session and number; a part of a report by its
    label below the report; anything else by its symbol or, failing that, the identifier its
    reader derived from the text, or else the SHA-256 of its text.
    """
    if doc.kind in ("resolution", "decision") and doc.body and doc.number:
        session, _, number = doc.number.rpartition("/")
        return iris.resolution(doc.body, session or doc.session or "", number,
                               decision=doc.kind == "decision")
    if parent is not None:
        path = "draft-decision" if doc.kind == "draft-decision" else "draft"
        return iris.part_of(parent, f"{path}/{doc.label}" if doc.label else path)
    if doc.symbol:
        return iris.document(doc.symbol)
    # No symbol, no number, no identifier: a masthead cut off or damaged. The document's own
    # text is its identity, as for a generic document that prints no symbol.
    return URIRef(str(BASE) + (doc.identifier or text_identifier(doc.text)))


class Writer:
    """Collects the triples of one source file; knows its source and extraction.

    The triples go into the ``TripleSet`` of a graph made here, or of the one passed in
    (``document_graph``'s, written on by the entity writers): ``put`` adds a triple of rdflib
    terms, ``add`` a plain value, whose literal is written as its N-Triples form without
    making an rdflib ``Literal`` (see ``graph.rdf.tripleset``)."""

    def __init__(self, source: Source, graph: Graph | None = None) -> None:
        if graph is None:
            graph = new_graph()
        if not isinstance(graph.store, TripleSet):
            raise TypeError("a Writer writes into a graph made by graph.rdf.tripleset.new_graph")
        self.graph = graph
        self.store: TripleSet = graph.store
        self.put: Callable[[tuple[Any, Any, Any]], object] = self.store.add
        self.source = source
        self._file, self._extraction = f"<{source.iri}>", f"<{source.extraction}>"
        # How often each (citing entity, cited thing) pair has been written: one node each.
        self.occurrences: Counter[tuple[URIRef, str]] = Counter()

    def add(self, subject: URIRef, predicate: URIRef, value: object,
            datatype: URIRef | None = None) -> None:
        """Add a triple unless the value is missing; plain values become typed literals."""
        # Plain strings and integers first, by their exact type: rdflib's terms check
        # ``isinstance`` and ``==`` through Python code, and this runs for every literal.
        kind = type(value)
        if kind is str or kind is int and datatype is _INTEGER:
            if value == "":
                return
            store = self.store
            form = store.literals.get((value, datatype)) or store.literal(value, datatype)
            store.insert((f"<{subject}>" if type(subject) is URIRef else store.form(subject),
                          f"<{predicate}>", form))
            return
        if value is None or value == "":
            return
        if isinstance(value, (URIRef, Literal)):
            self.put((subject, predicate, value))
        else:
            self.put((subject, predicate, Literal(value, datatype=datatype)))

    def provenance(self, subject: URIRef, span: Span) -> None:
        """Say where ``subject`` was read from: file, extraction, character span."""
        # Written as forms straight away: every paragraph, footnote and citation has these four.
        store = self.store
        node = f"<{subject}>" if type(subject) is URIRef else store.form(subject)
        literals, literal, insert = store.literals, store.literal, store.insert
        start, end = span
        store.traced.add(node)
        insert((node, _DERIVED_FROM_FORM, self._file))
        insert((node, _GENERATED_BY_FORM, self._extraction))
        insert((node, _SPAN_START_FORM, literals.get((start, _INTEGER)) or literal(start, _INTEGER)))
        insert((node, _SPAN_END_FORM, literals.get((end, _INTEGER)) or literal(end, _INTEGER)))

    def source_description(self) -> None:
        source, extraction = self.source.iri, self.source.extraction
        self.put((source, RDF.type, UNKG.SourceFile))
        self.add(source, RDFS.label, self.source.name)
        self.add(source, DCTERMS.identifier, f"sha256:{self.source.sha256}")
        self.add(source, UNKG.sourceText, self.source.text)
        self.put((extraction, RDF.type, UNKG.Extraction))
        self.put((extraction, PROV.used, source))
        self.put((extraction, PROV.wasAssociatedWith, iris.part_of(
            URIRef(str(BASE) + "software/unkg"), EXTRACTOR_VERSION)))


def as_date(value: str | None) -> Literal | None:
    """An ISO date as an ``xsd:date`` literal; ``None`` stays ``None``."""
    return Literal(value, datatype=XSD.date) if value else None


def _write_metadata(w: Writer, doc: Document, subject: URIRef, span: Span) -> None:
    w.put((subject, RDF.type, DOCUMENT_CLASSES.get(doc.kind, UNKG.Document)))
    w.add(subject, DCTERMS.identifier, doc.symbol)
    w.add(subject, DCTERMS.title, doc.title)
    w.add(subject, ELI.number, doc.number or doc.label)
    w.add(subject, ELI.date_document, as_date(doc.date))
    w.add(subject, UNKG.distributionDate, as_date(doc.distributed))
    w.add(subject, UNKG.session, doc.session)
    w.add(subject, UNKG.agendaItem, doc.agenda_item)
    w.add(subject, DCTERMS.language, doc.language)
    if doc.body:
        w.put((subject, ELI.passed_by, iris.organization(doc.body)))
    if doc.symbol:
        w.put((subject, RDFS.seeAlso, iris.undocs(doc.symbol)))
    if doc.report:
        w.put((subject, UNKG.onReportOf, iris.document(doc.report)))
    if doc.meeting and doc.body and doc.session:
        number = "".join(ch for ch in doc.meeting.split()[0] if ch.isdigit())
        if number:
            meeting = iris.meeting(doc.body, doc.session, number)
            w.put((subject, UNKG.meeting, meeting))
            w.put((meeting, RDF.type, UNKG.Meeting))
            w.add(meeting, RDFS.label, doc.meeting)
            w.add(meeting, UNKG.meetingNumber, int(number), XSD.integer)
            w.add(meeting, SCHEMA.startDate, as_date(doc.date))
            w.put((meeting, SCHEMA.organizer, iris.organization(doc.body)))
    w.provenance(subject, span)


def _extent(doc: Document) -> Span:
    """The source span a part of a report covers: from its first to its last text."""
    spans = [p.span for p in doc.paragraphs] + [f.span for f in doc.footnotes]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else (0, 0)


def _container(doc_iri: URIRef, paragraph: Paragraph) -> URIRef:
    """What a paragraph is part of: its parent paragraph, its annex, or the document."""
    if paragraph.parent:
        return iris.part_of(doc_iri, paragraph.parent)
    if paragraph.section == "annex":
        return iris.part_of(doc_iri, "annex")
    return doc_iri


def _write_paragraph(w: Writer, doc_iri: URIRef, paragraph: Paragraph, position: int) -> URIRef:
    subject = iris.part_of(doc_iri, paragraph.id)
    container = _container(doc_iri, paragraph)
    w.put((subject, _TYPE, PARAGRAPH_CLASSES.get(paragraph.kind, UNKG.Paragraph)))
    w.put((subject, ELI.is_part_of, container))
    w.put((container, ELI.has_part, subject))
    w.add(subject, ELI.number, paragraph.number)
    w.add(subject, UNKG.position, position, _INTEGER)
    w.add(subject, UNKG.openingPhrase, paragraph.opening)
    w.add(subject, UNKG.text, paragraph.text)
    w.add(subject, UNKG.heading, paragraph.heading)
    for tag in paragraph.tags:
        w.add(subject, UNKG.tag, tag)
    w.provenance(subject, paragraph.span)
    return subject


def _write_annex(w: Writer, doc: Document, doc_iri: URIRef) -> None:
    """An annex is a resource of its own; a declaration when its heading says so."""
    annex_paragraphs = [p for p in doc.paragraphs if p.section == "annex"]
    if not annex_paragraphs:
        return
    annex = iris.part_of(doc_iri, "annex")
    w.put((doc_iri, ELI.has_annex, annex))
    w.put((annex, ELI.is_annex_of, doc_iri))
    title = next((p.text for p in annex_paragraphs if p.kind == "heading"), None)
    is_declaration = bool(title and "Declaration" in title)
    w.put((annex, RDF.type, UNKG.Declaration if is_declaration else UNKG.Document))
    w.add(annex, DCTERMS.title, title)
    start = min(p.span[0] for p in annex_paragraphs)
    end = max(p.span[1] for p in annex_paragraphs)
    w.provenance(annex, (start, end))


def _write_footnote(w: Writer, doc_iri: URIRef, footnote: Footnote) -> URIRef:
    subject = iris.footnote(doc_iri, footnote.label)
    w.put((subject, _TYPE, UNKG.Footnote))
    w.put((subject, ELI.is_part_of, doc_iri))
    w.put((doc_iri, ELI.has_part, subject))
    w.add(subject, UNKG.marker, footnote.label)
    w.add(subject, UNKG.text, footnote.text)
    if footnote.paragraph:
        w.put((iris.part_of(doc_iri, footnote.paragraph), UNKG.hasFootnote, subject))
    w.provenance(subject, footnote.span)
    return subject


def citing_entity(doc_iri: URIRef, reference: Reference) -> URIRef:
    """The paragraph or footnote a reference was read in (the document when neither)."""
    if reference.location == "footnote" and reference.footnote:
        return iris.footnote(doc_iri, reference.footnote.rpartition(":")[2])
    if reference.paragraph:
        return iris.part_of(doc_iri, reference.paragraph)
    return doc_iri


def _write_cited(w: Writer, reference: Reference, cited: URIRef) -> None:
    """What the citing text says about the cited thing: its kind, body, number, symbol.

    A citation of kind ``other`` (a report-paragraph tag) says nothing about its target's
    class; the entity writers type it.
    """
    if reference.kind in CITED_CLASSES:
        w.put((cited, _TYPE, CITED_CLASSES[reference.kind]))
    if reference.kind in ("resolution", "decision"):
        if reference.body:
            body = iris.organization(reference.body)
            w.put((cited, ELI.passed_by, body))
            if data.body_by_code(reference.body) is None:
                # A body the curated tables do not know ("United Nations Environment Assembly
                # resolution 5/14"): described by the code the extractor gave it, so the
                # citation does not point into nothing.
                name = re.split(r"\s+(?:resolutions?|decisions?)\b", reference.text)[0]
                w.put((body, _TYPE, UNKG.Body))
                w.add(body, UNKG.shortCode, reference.body)
                w.add(body, RDFS.label, name if name != reference.text else reference.body)
        w.add(cited, UNKG.session, reference.session)
        if reference.number:
            number = f"{reference.session}/{reference.number}" if reference.session else reference.number
            w.add(cited, ELI.number, number + (f" {reference.part}" if reference.part else ""))
    if reference.symbol:
        symbol = iris.canonical_symbol(reference.symbol)
        w.add(cited, DCTERMS.identifier, symbol)
        w.put((cited, RDFS.seeAlso, iris.undocs(symbol)))
    if reference.kind == "treaty" and reference.number and cited == iris.league_treaty(reference.number):
        w.add(cited, UNKG.lntsRegistration, int(reference.number), XSD.integer)
    for unts in reference.unts:
        registration, volume = unts["registration"], unts.get("volume")
        if cited in (iris.treaty(registration, volume), iris.treaty(registration)):
            w.add(cited, UNKG.untsRegistration, registration, XSD.integer)
            w.add(cited, UNKG.untsVolume, volume, XSD.integer)
    if reference.label and reference.kind in ("resolution", "decision") and re.search(
            r"\bannex\b", reference.text, re.IGNORECASE):
        # "the Bangkok Rules,9" with footnote "Resolution 65/229, annex.": the name is the
        # annexed instrument's, not the resolution's.
        annex = iris.part_of(cited, "annex")
        w.put((cited, ELI.has_annex, annex))
        w.put((annex, ELI.is_annex_of, cited))
        w.put((annex, _TYPE, UNKG.Document))
        w.add(annex, RDFS.label, reference.label)
    elif len(reference.unts) <= 1:
        # A label printed before a footnote that lists several instruments names the group
        # ("the Convention and the Protocols thereto"), not each instrument.
        w.add(cited, RDFS.label, reference.label)


def _write_reference(w: Writer, doc_iri: URIRef, reference: Reference,
                     characterize: Characterize) -> list[URIRef]:
    """Write a reference's citation nodes (one per cited thing) and return them."""
    citing = citing_entity(doc_iri, reference)
    targets: list[URIRef | None] = [URIRef(reference.iri)] if reference.iri else [None]
    if reference.kind == "treaty" and len(reference.unts) > 1:
        targets = [iris.treaty(u["registration"], u.get("volume")) for u in reference.unts]
    nodes = []
    for cited in targets:
        key = str(cited) if cited is not None else " ".join(reference.text.split())
        w.occurrences[(citing, key)] += 1
        node = iris.citation(citing, key, w.occurrences[(citing, key)])
        nodes.append(node)
        w.put((node, _TYPE, CITO.Citation))
        w.put((node, CITO.hasCitingEntity, citing))
        w.add(node, UNKG.citingVerb, reference.verb)
        w.add(node, UNKG.citedText, reference.text)
        w.provenance(node, reference.span)
        if cited is None:
            continue
        w.put((node, CITO.hasCitedEntity, cited))
        w.put((node, CITO.hasCitationCharacterization, characterize(reference.verb)))
        w.put((citing, ELI.cites, cited))
        w.put((doc_iri, ELI.cites, cited))
        _write_cited(w, reference, cited)
    return nodes


def document_parts(doc: Document) -> list[tuple[Document, URIRef]]:
    """The document and each of its parts, paired with their IRIs."""
    root = document_iri(doc)
    return [(part, root if part is doc else document_iri(part, root)) for part in doc.walk()]


def document_graph(doc: Document, references: list[Reference], source: Source,
                   characterize: Characterize) -> tuple[URIRef, Graph]:
    """The triples of a document, its parts and its citations.

    Returns the document's IRI (which names its graph) and the graph.
    """
    w = Writer(source)
    w.source_description()
    parts = document_parts(doc)
    root = parts[0][1]
    # Each part's extent, found once: per reference it cost the square of a report's size.
    extents = {id(part): _extent(part) for part, _ in parts}
    by_document: dict[int, list[Reference]] = {}
    for reference in references:
        by_document.setdefault(id(_owner(doc, reference, extents)), []).append(reference)
    read_in: list[URIRef] = []  # every paragraph, footnote and citation node
    for part, iri in parts:
        _write_metadata(w, part, iri, (0, len(doc.text)) if part is doc else extents[id(part)])
        if part is not doc:
            w.put((iri, ELI.is_part_of, root))
            w.put((root, ELI.has_part, iri))
        _write_annex(w, part, iri)
        read_in.extend(_write_paragraph(w, iri, paragraph, position)
                       for position, paragraph in enumerate(part.paragraphs, start=1))
        read_in.extend(_write_footnote(w, iri, footnote) for footnote in part.footnotes)
        for reference in by_document.get(id(part), []):
            read_in.extend(_write_reference(w, iri, reference, characterize))
    _materialize_document(w, root, read_in)
    return root, w.graph


def _materialize_document(w: Writer, root: URIRef, read_in: list[URIRef]) -> None:
    """Every paragraph, footnote and citation read from this file (``read_in``, as the
    writers return them: finding them again by their ``rdf:type`` indexed the whole graph)
    says which document it was read in (``unkg:inDocument``): questions such as "who cites
    46/152, in which document" then need no property path, which at ten million triples is the
    difference between milliseconds and a timeout (issue 10). The fine-grained
    ``eli:is_part_of`` structure stays."""
    in_document = UNKG.inDocument
    for subject in read_in:
        w.put((subject, in_document, root))


def _owner(doc: Document, reference: Reference, extents: dict[int, Span]) -> Document:
    """The part of ``doc`` a reference belongs to, found by the span it was read from;
    ``extents`` gives each part's extent by its ``id``."""
    for part in doc.parts:
        start, end = extents[id(part)]
        if start <= reference.span[0] < end:
            return _owner(part, reference, extents)
    return doc
