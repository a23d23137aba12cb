"""Triples for the entities documents describe in prose: congresses, draft lives, regional
recommendations. Pure functions over the records of ``congresses.py`` and ``entities.py``.

Each entity is written into the graph of the file that describes it, with the span of the
paragraph it was read from, so "who sponsored A/C.3/68/L.17" is traced to report paragraphs.
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph import data, iris
from graph.entities.addressees import Addressee
from graph.entities.congresses import Congress
from graph.document import Document
from graph.entities.prose import DraftLife, Meeting, RegionalRecommendation
from graph.namespaces import ELI, SCHEMA, UNKG
from graph.rdf.documents import Writer, as_date

# "/Rev.1" ending a draft's symbol.
REVISION_REGEX = re.compile(r"/Rev\.(?P<number>\d{1,2})$")


def write_congress(w: Writer, congress: Congress) -> None:
    """A congress with venue and dates, its declaration and the resolution that endorsed it."""
    subject = congress.iri
    w.put((subject, RDF.type, UNKG.Congress))
    w.add(subject, UNKG.ordinal, congress.ordinal, XSD.integer)
    w.add(subject, SCHEMA.name, congress.name)
    w.add(subject, SCHEMA.location, congress.venue)
    w.add(subject, SCHEMA.startDate, as_date(congress.start))
    w.add(subject, SCHEMA.endDate, as_date(congress.end))
    if congress.declaration_title:
        declaration = congress.declaration_iri
        w.put((subject, UNKG.declaration, declaration))
        w.put((declaration, RDF.type, UNKG.Declaration))
        w.put((declaration, UNKG.outcomeOf, subject))
        w.add(declaration, RDFS.label, congress.declaration_title)
        if congress.endorsed_by:
            w.put((declaration, UNKG.endorsedBy, congress.endorsed_by))
    for _, span in congress.sources[:1]:
        w.provenance(subject, span)


def write_addressees(w: Writer, paragraph: URIRef, addressees: list[Addressee]) -> None:
    """The bodies an operative paragraph asks to act."""
    for addressee in addressees:
        w.put((paragraph, UNKG.addressee, iris.organization(addressee.code)))


def write_revised(w: Writer, draft: URIRef, symbol: str, decision: bool) -> None:
    """A revision read on its own ("A/C.3/80/L.27/Rev.1") is the revision of the text its
    symbol names before it (the L. itself, or Rev.1 for a Rev.2): the revision chain holds
    whether or not the committee's report is in the corpus."""
    match = REVISION_REGEX.search(symbol)
    if not match:
        return
    number = int(match["number"])
    earlier = symbol[:match.start()] + (f"/Rev.{number - 1}" if number > 1 else "")
    subject = iris.document(earlier)
    w.put((subject, RDF.type, UNKG.DraftDecision if decision else UNKG.DraftResolution))
    w.add(subject, DCTERMS.identifier, earlier)
    w.put((subject, RDFS.seeAlso, iris.undocs(earlier)))
    w.provenance(subject, (0, 0))
    w.put((draft, PROV.wasRevisionOf, subject))


def write_sponsors(w: Writer, draft: URIRef, sponsors: list[str]) -> None:
    """The States a draft's own heading names as its sponsors."""
    for name in sponsors:
        w.put((draft, UNKG.sponsor, _actor(w, name)))


def _actor(w: Writer, name: str) -> URIRef:
    """A sponsor or introducer: a body the tables know by that name, else a Member State."""
    body = data.body_by_name(name)
    if body:
        return iris.organization(body.code)
    subject = iris.member_state(name)
    w.put((subject, RDF.type, UNKG.MemberState))
    w.add(subject, SKOS.prefLabel, name)
    return subject


def _meeting(w: Writer, report: Document, meeting: Meeting | None) -> URIRef | None:
    if meeting is None or not report.body or not report.session:
        return None
    subject = iris.meeting(report.body, report.session, str(meeting.number))
    w.put((subject, RDF.type, UNKG.Meeting))
    w.add(subject, UNKG.meetingNumber, meeting.number, XSD.integer)
    w.add(subject, RDFS.label, f"{_ordinal(meeting.number)} meeting")
    w.add(subject, SCHEMA.startDate, as_date(meeting.date))
    w.put((subject, SCHEMA.organizer, iris.organization(report.body)))
    return subject


def _ordinal(number: int) -> str:
    """46 -> "46th", 52 -> "52nd", 11 -> "11th": as the reports print meeting numbers."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _draft(w: Writer, symbol: str, life: DraftLife, span: tuple[int, int]) -> URIRef:
    subject = iris.document(symbol)
    w.put((subject, RDF.type, UNKG.DraftDecision if life.decision else UNKG.DraftResolution))
    w.add(subject, DCTERMS.identifier, symbol)
    w.add(subject, DCTERMS.title, life.title)
    w.put((subject, RDFS.seeAlso, iris.undocs(symbol)))
    w.provenance(subject, span)
    return subject


def _recommended(report_iri: URIRef, life: DraftLife) -> URIRef | None:
    """The draft of the report the committee's text became: ``<report>/draft/VIII``, or
    ``<report>/draft-decision[/I]`` for decisions (graph.rdf.documents.document_iri names them so)."""
    if life.decision:
        path = "draft-decision" + (f"/{life.recommended_as}" if life.recommended_as else "")
        return iris.part_of(report_iri, path)
    return iris.part_of(report_iri, f"draft/{life.recommended_as}") if life.recommended_as else None


def _texts(w: Writer, life: DraftLife, span: tuple[int, int]) -> list[tuple[URIRef, list[str]]]:
    """Each text of the draft (L., then each Rev.) with the sponsors it had: the States the
    draft was introduced on behalf of, plus, from each revision on, those it names."""
    sponsors = list(life.original_sponsors)
    texts = [(_draft(w, life.symbol, life, span), list(sponsors))] if life.symbol else []
    for revision in life.revisions:
        current = _draft(w, revision, life, span)
        w.put((current, PROV.wasRevisionOf, texts[-1][0]))
        sponsors += [name for name in life.revision_sponsors.get(revision, [])
                     if name not in sponsors]
        texts.append((current, list(sponsors)))
    return texts


def write_draft_life(w: Writer, report: Document, report_iri: URIRef, life: DraftLife) -> None:
    """L. -> Rev. -> adopted at meeting N on date -> draft resolution n of the report.

    A draft decision the report gives no symbol (the Chair's proposal) is the report's own
    draft decision: its life is written on that node, which needs no ``recommendedAs`` since it
    is already the text the report recommends.
    """
    spans = [p.span for pid in life.paragraphs if (p := report.paragraph(pid))]
    span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else (0, 0)
    recommended = _recommended(report_iri, life)
    texts = _texts(w, life, span)
    if not texts:
        if recommended is None:
            return
        texts = [(recommended, list(life.original_sponsors))]
    first = texts[0][0]
    if life.proposed_by_chair and report.body:
        w.put((first, UNKG.introducedBy, iris.organization(report.body)))
    elif introducer := life.introduced_by or life.submitted_by:
        w.put((first, UNKG.introducedBy, _actor(w, introducer)))
    introduced_at = _meeting(w, report, life.introduced_at)
    if introduced_at:
        w.put((first, UNKG.meeting, introduced_at))
    adopted = iris.document(life.adopted) if life.adopted else (
        first if life.symbol is None and life.adopted_at else None)
    for text, sponsors in texts:
        if text == (adopted or texts[-1][0]):  # joined in sponsoring the text acted on
            sponsors += [name for name in life.additional_sponsors if name not in sponsors]
        for name in sponsors:
            w.put((text, UNKG.sponsor, _actor(w, name)))
    if adopted is None:
        return
    adopted_at = _meeting(w, report, life.adopted_at)
    if adopted_at:
        w.put((adopted, UNKG.adoptedAtMeeting, adopted_at))
    w.add(adopted, UNKG.orallyRevised, life.orally_revised, XSD.boolean)
    if recommended and recommended != adopted:
        w.put((adopted, UNKG.recommendedAs, recommended))


def write_recommendation(w: Writer, doc_iri: URIRef, rec: RegionalRecommendation,
                         span: tuple[int, int]) -> None:
    """A compilation item traced to the regional meeting report paragraph it comes from."""
    congress = iris.congress(rec.congress)
    meeting = iris.regional_meeting(rec.congress, rec.region)
    report = iris.part_of(meeting, "report")
    paragraph = iris.part_of(report, "para/" + rec.report_paragraph + (f"/{rec.item}" if rec.item else ""))
    item = iris.part_of(doc_iri, rec.paragraph)
    w.put((meeting, RDF.type, UNKG.RegionalPreparatoryMeeting))
    w.add(meeting, UNKG.region, rec.region)
    if rec.region_name:
        w.add(meeting, SCHEMA.name, f"{rec.region_name} Regional Preparatory Meeting")
    w.put((meeting, SCHEMA.superEvent, congress))
    w.put((meeting, UNKG.congress, congress))
    w.put((report, RDF.type, UNKG.Report))
    w.put((meeting, SCHEMA.recordedIn, report))
    w.put((paragraph, RDF.type, UNKG.Paragraph))
    w.put((paragraph, ELI.is_part_of, report))
    w.put((report, ELI.has_part, paragraph))
    w.add(paragraph, ELI.number, rec.report_paragraph + (f"({rec.item})" if rec.item else ""))
    w.put((item, UNKG.recommendationOf, meeting))
    w.put((item, UNKG.reportParagraph, paragraph))
    for scheme, number in (("agenda-item", rec.agenda_item), ("workshop", rec.workshop)):
        if number:
            concept = iris.concept(f"congress-{rec.congress}-{scheme}", number)
            w.put((item, DCTERMS.subject, concept))
            w.put((concept, RDF.type, SKOS.Concept))
            w.add(concept, SKOS.notation, number)
            w.add(concept, SKOS.prefLabel, rec.group if rec.group else None)
    if f"<{paragraph}>" not in w.store.traced:
        # Several items can cite one report paragraph: its first tag is where it was read.
        w.provenance(paragraph, span)
