"""Each shape catches its defect: a conforming fixture, then one defect at a time.

Every row of ``DEFECTS`` is a SPARQL Update that breaks the conforming fixture in exactly one
way, and the (shape, message) pairs the report must contain, no more and no fewer.
"""

from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import Graph
from rdflib.namespace import OWL, RDF, SH

from graph.namespaces import UNKG
from graph.validate import (DEFAULT_ENGINE, ENGINES, data_graph, load_ontology, load_shapes,
                            read_graph, run_shacl)

FIXTURE = Path(__file__).parent / "fixtures" / "conforming.trig"
SHAPES = load_shapes()
ONTOLOGY = load_ontology()
BASE_DATA = data_graph(read_graph(FIXTURE), ONTOLOGY)

PREFIXES = """
PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
RES = "<https://w3id.org/unkg/res/ga/70/174>"
OLD = "<https://w3id.org/unkg/res/ga/46/152>"
REPORT = "<https://w3id.org/unkg/doc/A/70/490>"
DRAFT = "<https://w3id.org/unkg/doc/A/C.3/70/L.2>"
TREATY = "<https://w3id.org/unkg/treaty/unts/42146>"
CITE = "<https://w3id.org/unkg/res/ga/70/174/preamble/1/cite/aaaaaaaaaaaa>"
SOURCE = "<https://w3id.org/unkg/source/sha256/1111111111111111111111111111111111111111111111111111111111111111>"
EXTRACTION = SOURCE[:-1] + "/extraction/0.1.0>"
REC = "<https://w3id.org/unkg/congress/14/rpm/compilation/rec/1>"


def _replace(subject: str, predicate: str, value: str) -> str:
    return (f"DELETE {{ {subject} {predicate} ?old }} INSERT {{ {subject} {predicate} {value} }} "
            f"WHERE {{ {subject} {predicate} ?old }}")


def _delete(subject: str, predicate: str) -> str:
    return f"DELETE WHERE {{ {subject} {predicate} ?old }}"


def _insert(triples: str) -> str:
    return f"INSERT DATA {{ {triples} }}"


# (id, update, {(shape, words of the expected message)})
DEFECTS = [
    ("document-identifier-not-a-symbol", _replace(RES, "dcterms:identifier", '"A RES 70 174"'),
     {("ush:DocumentShape", "must be one UN symbol")}),
    ("adoption-date-not-xsd-date", _replace(RES, "eli:date_document", '"17 December 2015"'),
     {("ush:DocumentShape", "eli:date_document, typed xsd:date")}),
    ("session-not-a-session", _replace(RES, "unkg:session", '"seventieth"'),
     {("ush:DocumentShape", "unkg:session is one string of digits")}),
    ("issuing-body-dangling", _replace(RES, "eli:passed_by", "<https://w3id.org/unkg/org/nowhere>"),
     {("ush:DocumentShape", "described in the graph as a unkg:Body")}),
    ("report-reference-dangling", _replace(RES, "unkg:onReportOf", "<https://w3id.org/unkg/doc/A/70/999>"),
     {("ush:DocumentShape", "unkg:onReportOf must point to a report")}),
    ("document-as-blank-node", _insert("[] a unkg:Report ."),
     {("ush:DocumentShape", "must be named by an IRI")}),
    ("resolution-without-number", _delete(OLD, "eli:number"),
     {("ush:ResolutionShape", "must have its number as printed")}),
    ("resolution-number-garbled", _replace(OLD, "eli:number", '"46-152"'),
     {("ush:ResolutionShape", "must have its number as printed")}),
    ("resolution-without-body", _delete(OLD, "eli:passed_by"),
     {("ush:ResolutionShape", "must name the body that adopted it")}),
    ("sponsor-not-a-member-state", _replace(DRAFT, "unkg:sponsor", "<https://w3id.org/unkg/org/ga>"),
     {("ush:DraftShape", "unkg:sponsor must point to a unkg:MemberState")}),
    ("orally-revised-not-boolean", _replace(DRAFT, "unkg:orallyRevised", '"no"'),
     {("ush:DraftShape", "unkg:orallyRevised is one xsd:boolean")}),
    ("declaration-without-title", _delete("<https://w3id.org/unkg/res/ga/70/174/annex>", "dcterms:title"),
     {("ush:DeclarationShape", "have a title or label")}),
    ("declaration-endorsed-by-a-treaty", _replace("<https://w3id.org/unkg/res/ga/70/174/annex>", "unkg:endorsedBy", TREATY),
     {("ush:DeclarationShape", "unkg:endorsedBy must point to a resolution")}),
    ("treaty-registration-a-string", _replace(TREATY, "unkg:untsRegistration", '"42146"'),
     {("ush:TreatyShape", "registration number (unkg:untsRegistration) is one positive xsd:integer")}),
    ("treaty-without-registration", _delete(TREATY, "unkg:untsRegistration"),
     {("ush:TreatyShape", "named by its UN Treaty Series numbers")}),
    ("league-treaty-with-a-unts-number",
     _insert('<https://w3id.org/unkg/treaty/lnts/2623> a unkg:Treaty ; unkg:lntsRegistration 2623 ; '
             'unkg:untsRegistration 2623 .'),
     {("ush:TreatyShape", "League of Nations Treaty Series number"),
      ("ush:TreatyIRIShape", "IRI must be built from its UNTS numbers")}),
    ("treaty-named-by-its-acronym",
     _insert('<https://w3id.org/unkg/treaty/unts/UNCAC> a unkg:Treaty ; unkg:untsRegistration 42146 .'),
     {("ush:TreatyShape", "named by its UN Treaty Series numbers"),
      ("ush:TreatyIRIShape", "IRI must be built from its UNTS numbers")}),
    ("treaty-iri-disagrees-with-number", _replace(TREATY, "unkg:untsRegistration", "42147"),
     {("ush:TreatyIRIShape", "IRI must be built from its UNTS numbers")}),
    ("paragraph-without-text", _delete("<https://w3id.org/unkg/res/ga/70/174/para/11>", "unkg:text"),
     {("ush:ExtractedParagraphShape", "exactly one non-empty unkg:text")}),
    ("paragraph-position-a-string", _replace("<https://w3id.org/unkg/res/ga/70/174/para/11>", "unkg:position", '"2"'),
     {("ush:ParagraphShape", "at most one unkg:position")}),
    ("paragraph-of-a-read-document-without-position", _delete("<https://w3id.org/unkg/res/ga/70/174/para/11>", "unkg:position"),
     {("ush:ExtractedParagraphShape", "must have its unkg:position")}),
    ("paragraph-not-listed-by-its-document", f"DELETE DATA {{ {RES} eli:has_part <https://w3id.org/unkg/res/ga/70/174/para/11> }}",
     {("ush:ParagraphShape", "must list it with eli:has_part")}),
    ("paragraph-iri-not-below-its-document",
     f"DELETE DATA {{ <https://w3id.org/unkg/doc/A/70/490/para/10> eli:is_part_of {REPORT} . {REPORT} eli:has_part <https://w3id.org/unkg/doc/A/70/490/para/10> }} ; "
     f"INSERT DATA {{ <https://w3id.org/unkg/doc/A/70/490/para/10> eli:is_part_of {RES} . {RES} eli:has_part <https://w3id.org/unkg/doc/A/70/490/para/10> }}",
     {("ush:PartIRIShape", "must hang below the IRI of what it is part of")}),
    ("paragraph-outside-any-document",
     f"DELETE DATA {{ <https://w3id.org/unkg/res/ga/70/174/preamble/1> eli:is_part_of {RES} }} ; INSERT DATA {{ <https://w3id.org/unkg/res/ga/70/174/preamble/1> eli:is_part_of <https://w3id.org/unkg/somewhere> }}",
     {("ush:ParagraphShape", "part of exactly one document, annex or parent paragraph"),
      ("ush:ParagraphShape", "must lead to a document"),
      ("ush:PartIRIShape", "must hang below the IRI")}),
    ("sub-paragraph-of-a-document",
     f"DELETE DATA {{ <https://w3id.org/unkg/res/ga/70/174/para/11/a> eli:is_part_of <https://w3id.org/unkg/res/ga/70/174/para/11> . <https://w3id.org/unkg/res/ga/70/174/para/11> eli:has_part <https://w3id.org/unkg/res/ga/70/174/para/11/a> }} ; "
     f"INSERT DATA {{ <https://w3id.org/unkg/res/ga/70/174/para/11/a> eli:is_part_of {RES} . {RES} eli:has_part <https://w3id.org/unkg/res/ga/70/174/para/11/a> }}",
     {("ush:SubParagraphShape", "must be part of its parent paragraph")}),
    ("operative-paragraph-number-not-digits", _replace("<https://w3id.org/unkg/res/ga/70/174/para/11>", "eli:number", '"11bis"'),
     {("ush:OperativeParagraphShape", "digits only")}),
    ("narrative-paragraph-without-number", _delete("<https://w3id.org/unkg/doc/A/70/490/para/10>", "eli:number"),
     {("ush:NarrativeParagraphShape", "must have its printed number")}),
    ("preambular-paragraph-with-number", _insert('<https://w3id.org/unkg/res/ga/70/174/preamble/1> eli:number "1" .'),
     {("ush:PreambularParagraphShape", "is unnumbered")}),
    ("footnote-on-a-heading",
     "DELETE DATA { <https://w3id.org/unkg/res/ga/70/174/para/11> unkg:hasFootnote <https://w3id.org/unkg/res/ga/70/174/fn/7> } ; INSERT DATA { <https://w3id.org/unkg/res/ga/70/174/annex/heading/1> unkg:hasFootnote <https://w3id.org/unkg/res/ga/70/174/fn/7> }",
     {("ush:HeadingShape", "attached to paragraphs, not headings")}),
    ("recommendation-tag-without-brackets", _replace(REC, "unkg:tag", '"AP 62(a)"'),
     {("ush:RecommendationShape", "source tag as printed")}),
    ("report-paragraph-dangling", _replace(REC, "unkg:reportParagraph", "<https://w3id.org/unkg/congress/14/rpm/ap/report/para/99>"),
     {("ush:RecommendationShape", "unkg:reportParagraph must point to the regional report's paragraph")}),
    ("referenced-paragraph-outside-its-report",
     "DELETE DATA { <https://w3id.org/unkg/congress/14/rpm/ap/report/para/62/a> <http://data.europa.eu/eli/ontology#is_part_of> <https://w3id.org/unkg/congress/14/rpm/ap/report> }",
     {("ush:ParagraphShape", "part of exactly one document"), ("ush:ParagraphShape", "must lead to a document")}),
    ("recommendation-subject-dangling", _replace(REC, "dcterms:subject", "<https://w3id.org/unkg/concept/nothing>"),
     {("ush:RecommendationShape", "dcterms:subject must point to a skos:Concept")}),
    ("footnote-without-marker", _delete("<https://w3id.org/unkg/res/ga/70/174/fn/7>", "unkg:marker"),
     {("ush:FootnoteShape", "exactly one printed label")}),
    ("footnote-without-text", _delete("<https://w3id.org/unkg/res/ga/70/174/fn/7>", "unkg:text"),
     {("ush:FootnoteShape", "exactly one non-empty unkg:text")}),
    ("footnote-without-its-document", _delete("<https://w3id.org/unkg/res/ga/70/174/fn/7>", "unkg:inDocument"),
     {("ush:FootnoteShape", "names the one document it was read in")}),
    ("footnote-in-two-documents", _insert("<https://w3id.org/unkg/res/ga/70/174/fn/7> unkg:inDocument <https://w3id.org/unkg/res/ga/70/178> ."),
     {("ush:FootnoteShape", "names the one document it was read in")}),
    ("footnote-marker-in-two-paragraphs", _insert("<https://w3id.org/unkg/res/ga/70/174/preamble/1> unkg:hasFootnote <https://w3id.org/unkg/res/ga/70/174/fn/7> ."),
     {("ush:FootnoteShape", "at most one paragraph has it")}),
    ("citation-target-dangling", _replace(CITE, "cito:hasCitedEntity", "<https://w3id.org/unkg/res/ga/46/999>"),
     {("ush:CitationShape", "must be described in the graph as a document, paragraph, treaty")}),
    ("citation-target-a-congress", _replace(CITE, "cito:hasCitedEntity", "<https://w3id.org/unkg/congress/13>"),
     {("ush:CitationShape", "must be described in the graph as a document, paragraph, treaty")}),
    ("cites-a-congress", _insert("<https://w3id.org/unkg/res/ga/70/174/para/11> eli:cites <https://w3id.org/unkg/congress/13> ."),
     {("ush:ParagraphShape", "What is cited (eli:cites) must be described")}),
    ("resolved-citation-without-characterization", _delete(CITE, "cito:hasCitationCharacterization"),
     {("ush:CitationShape", "must have a cito:hasCitationCharacterization")}),
    ("citation-with-two-citing-entities", _insert(f"{CITE} cito:hasCitingEntity <https://w3id.org/unkg/res/ga/70/174/para/11> ."),
     {("ush:CitationShape", "exactly one citing paragraph")}),
    ("citation-without-text", _delete(CITE, "unkg:citedText"),
     {("ush:CitationShape", "must keep the text it was read from")}),
    ("characterization-not-cito", _replace(CITE, "cito:hasCitationCharacterization", "<https://w3id.org/unkg/recalls>"),
     {("ush:CitationShape", "a CiTO property")}),
    ("paragraph-without-source-file", _delete("<https://w3id.org/unkg/res/ga/70/174/para/11>", "prov:wasDerivedFrom"),
     {("ush:ProvenanceShape", "which source file it was read from")}),
    ("citation-without-extraction", _delete(CITE, "prov:wasGeneratedBy"),
     {("ush:ProvenanceShape", "which extraction produced it")}),
    ("footnote-without-span-start", _delete("<https://w3id.org/unkg/res/ga/70/174/fn/7>", "unkg:spanStart"),
     {("ush:ProvenanceShape", "where its source text starts")}),
    ("span-start-after-end", _replace("<https://w3id.org/unkg/res/ga/70/174/para/11>", "unkg:spanStart", "400"),
     {("ush:SpanShape", "not after its unkg:spanEnd")}),
    ("derived-from-an-unknown-file", _replace("<https://w3id.org/unkg/res/ga/70/174/para/11>", "prov:wasDerivedFrom", "<https://w3id.org/unkg/source/sha256/unknown>"),
     {("ush:ProvenanceShape", "which source file it was read from"),
      ("ush:DerivationShape", "must point to a source described in the graph")}),
    ("source-file-identifier-not-sha256", _replace(SOURCE, "dcterms:identifier", '"md5:abc"'),
     {("ush:SourceFileShape", "dcterms:identifier \"sha256:")}),
    ("extraction-without-source", _delete(EXTRACTION, "prov:used"),
     {("ush:ExtractionShape", "reads exactly one source file")}),
    ("body-without-name", _delete("<https://w3id.org/unkg/org/unodc>", "skos:prefLabel"),
     {("ush:BodyShape", "have a name")}),
    ("secretariat-of-a-state", _replace("<https://w3id.org/unkg/org/unodc>", "unkg:secretariatOf", "<https://w3id.org/unkg/state/qatar>"),
     {("ush:BodyShape", "unkg:secretariatOf must point to a unkg:Body")}),
    ("member-state-without-name", _delete("<https://w3id.org/unkg/state/qatar>", "skos:prefLabel"),
     {("ush:MemberStateShape", "have a name")}),
    ("congress-starts-after-it-ends", _replace("<https://w3id.org/unkg/congress/13>", "schema:startDate", '"2015-04-20"^^xsd:date'),
     {("ush:CongressShape", "not after its schema:endDate")}),
    ("congress-without-ordinal", _delete("<https://w3id.org/unkg/congress/14>", "unkg:ordinal"),
     {("ush:CongressShape", "exactly one unkg:ordinal")}),
    ("regional-meeting-without-congress", _delete("<https://w3id.org/unkg/congress/14/rpm/ap>", "unkg:congress"),
     {("ush:RegionalPreparatoryMeetingShape", "prepare exactly one congress")}),
    ("meeting-number-a-string", _replace("<https://w3id.org/unkg/org/ga/session/70/meeting/80>", "unkg:meetingNumber", '"80th"'),
     {("ush:MeetingShape", "exactly one unkg:meetingNumber")}),
    ("concept-without-label",
     _delete("<https://w3id.org/unkg/concept/congress-14-agenda/comprehensive-strategies-for-crime-prevention>", "skos:prefLabel"),
     {("ush:ConceptShape", "must have a skos:prefLabel")}),
    ("citation-count-not-a-number", _insert(f'{OLD} unkg:citationCount "many" .'),
     {("ush:CountShape", "at most one unkg:citationCount")}),
    ("observation-of-no-figure",
     _insert("[] a <http://purl.org/linked-data/cube#Observation> ; unkg:citationCount 3 ."),
     {("ush:ObservationShape", "exactly one figure")}),
    ("series-of-one", _insert(f'<urn:x:series> a skos:Collection ; skos:prefLabel "T" ; '
                              f'skos:member [ <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> {RES} ; '
                              f'dcterms:date "2015"^^xsd:gYear ] .'),
     {("ush:SeriesShape", "two members or more")}),
]


def _broken(update: str | None = None) -> Graph:
    graph = Graph()
    graph += BASE_DATA
    if update:
        graph.update(PREFIXES + update)
    return graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def _validate(update: str | None = None, engine: str = DEFAULT_ENGINE):
    return run_shacl(_broken(update), SHAPES, engine)


def test_shapes_pass_meta_shacl():
    conforms, _, text = meta_validate(SHAPES)
    assert conforms, text


def test_conforming_fixture_conforms():
    report = _validate()
    assert report.conforms and report.results == []


@pytest.mark.parametrize("update,expected", [d[1:] for d in DEFECTS], ids=[d[0] for d in DEFECTS])
def test_defect_is_reported_by_its_shape(update, expected):
    report = _validate(update)
    assert not report.conforms
    found = {(r.shape, r.message) for r in report.results}
    for result_shape, message in found:
        assert any(shape == result_shape and words in message for shape, words in expected), \
            f"unexpected result {result_shape}: {message}"
    for shape, words in expected:
        assert any(s == shape and words in m for s, m in found), f"{shape} did not report '{words}'"


@pytest.mark.parametrize("update", [None] + [d[1] for d in DEFECTS], ids=["conforming"] + [d[0] for d in DEFECTS])
def test_engines_give_the_reference_report(update):
    """A faster engine is used only where its report equals pySHACL's, result for result."""
    graph = _broken(update)
    reference = run_shacl(_copy(graph), SHAPES, "pyshacl")
    for engine in set(ENGINES) - {"pyshacl"}:
        other = run_shacl(_copy(graph), SHAPES, engine)
        assert (other.conforms, other.results) == (reference.conforms, reference.results), engine


def test_every_shape_has_a_test():
    tested = {shape for _, _, expected in DEFECTS for shape, _ in expected}
    shapes = {f"ush:{str(s).rsplit('#', 1)[1]}" for s in SHAPES.subjects(RDF.type, SH.NodeShape)}
    assert shapes == tested


def test_every_ontology_class_is_targeted():
    classes = {c for c in ONTOLOGY.subjects(RDF.type, OWL.Class) if str(c).startswith(str(UNKG))}
    targeted = set(SHAPES.objects(None, SH.targetClass))
    assert classes <= targeted


NODE_CONSTRAINTS = (SH["or"], SH.nodeKind, SH.pattern)


def test_every_constraint_has_a_message():
    missing = []
    for shape in SHAPES.subjects(RDF.type, SH.NodeShape):
        if any(SHAPES.value(shape, c) is not None for c in NODE_CONSTRAINTS) and \
                SHAPES.value(shape, SH.message) is None:
            missing.append(shape)
        for part in [*SHAPES.objects(shape, SH.property), *SHAPES.objects(shape, SH.sparql)]:
            if SHAPES.value(part, SH.message) is None:
                missing.append(part)
    assert missing == []
