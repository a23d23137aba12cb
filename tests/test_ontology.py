"""The ontology parses, declares every term the graph uses, and documents each one."""

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.namespaces import UNDO, UNKG
from graph.validate import ONTOLOGY_FILE, SHAPES_FILE

ONTOLOGY = Graph().parse(ONTOLOGY_FILE, format="turtle")
SHAPES = Graph().parse(SHAPES_FILE, format="turtle")
ONTOLOGY_IRI = URIRef("https://w3id.org/unkg/ontology")


def _unkg_terms(graph: Graph) -> set[URIRef]:
    return {t for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(UNKG))}


DECLARED = sorted(t for t in _unkg_terms(ONTOLOGY)
                  if (t, RDF.type, OWL.Class) in ONTOLOGY or (t, RDF.type, OWL.ObjectProperty) in ONTOLOGY
                  or (t, RDF.type, OWL.DatatypeProperty) in ONTOLOGY)

# The vocabulary of the team brief: classes, then own properties (name, OWL kind).
BRIEF_CLASSES = [
    "Document", "Resolution", "Decision", "DraftResolution", "DraftDecision", "Report",
    "Compilation", "Declaration", "Treaty", "Paragraph", "PreambularParagraph",
    "OperativeParagraph", "SubParagraph", "NarrativeParagraph", "Heading", "Recommendation",
    "Footnote", "Body", "MemberState", "Congress", "RegionalPreparatoryMeeting", "Meeting",
    "SourceFile", "Extraction",
]
BRIEF_PROPERTIES = [
    ("session", OWL.DatatypeProperty), ("agendaItem", OWL.DatatypeProperty),
    ("meeting", OWL.ObjectProperty), ("onReportOf", OWL.ObjectProperty),
    ("distributionDate", OWL.DatatypeProperty), ("position", OWL.DatatypeProperty),
    ("openingPhrase", OWL.DatatypeProperty), ("text", OWL.DatatypeProperty),
    ("heading", OWL.DatatypeProperty), ("tag", OWL.DatatypeProperty),
    ("hasFootnote", OWL.ObjectProperty), ("marker", OWL.DatatypeProperty),
    ("spanStart", OWL.DatatypeProperty), ("spanEnd", OWL.DatatypeProperty),
    ("citingVerb", OWL.DatatypeProperty), ("citedText", OWL.DatatypeProperty),
    ("untsRegistration", OWL.DatatypeProperty), ("untsVolume", OWL.DatatypeProperty),
    ("shortCode", OWL.DatatypeProperty), ("secretariatOf", OWL.ObjectProperty),
    ("ordinal", OWL.DatatypeProperty), ("declaration", OWL.ObjectProperty),
    ("endorsedBy", OWL.ObjectProperty), ("outcomeOf", OWL.ObjectProperty),
    ("introducedBy", OWL.ObjectProperty), ("sponsor", OWL.ObjectProperty),
    ("adoptedAtMeeting", OWL.ObjectProperty), ("orallyRevised", OWL.DatatypeProperty),
    ("recommendedAs", OWL.ObjectProperty), ("meetingNumber", OWL.DatatypeProperty),
    ("region", OWL.DatatypeProperty), ("recommendationOf", OWL.ObjectProperty),
    ("reportParagraph", OWL.ObjectProperty), ("congress", OWL.ObjectProperty),
]
# Superclasses the brief asks for.
ALIGNMENTS = [
    ("Document", "http://data.europa.eu/eli/ontology#LegalResource"),
    ("Declaration", "http://data.europa.eu/eli/ontology#LegalResource"),
    ("Treaty", "http://data.europa.eu/eli/ontology#LegalResource"),
    ("Paragraph", "http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
    ("Paragraph", "http://purl.org/spar/doco/Paragraph"),
    ("Footnote", "http://purl.org/spar/doco/Footnote"),
    ("Body", "http://www.w3.org/ns/org#Organization"),
    ("MemberState", "http://www.w3.org/ns/org#Organization"),
    ("Congress", "https://schema.org/Event"),
    ("RegionalPreparatoryMeeting", "https://schema.org/Event"),
    ("Meeting", "https://schema.org/Event"),
    ("SourceFile", "http://www.w3.org/ns/prov#Entity"),
    ("Extraction", "http://www.w3.org/ns/prov#Activity"),
    ("Resolution", str(UNKG.Document)),
    ("OperativeParagraph", str(UNKG.Paragraph)),
]
# UNDO classes checked in UNDO's published class index (2017-04-21); nothing else may be used.
UNDO_CLASSES = {UNDO.Document, UNDO.Resolution, UNDO.Decision, UNDO.Treaty}


def _local(term: URIRef) -> str:
    return str(term)[len(str(UNKG)):]


def test_ontology_header():
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ONTOLOGY
    for predicate in (OWL.versionInfo, OWL.versionIRI, DCTERMS.license, DCTERMS.creator,
                      DCTERMS.title, DCTERMS.description):
        assert ONTOLOGY.value(ONTOLOGY_IRI, predicate) is not None, predicate


@pytest.mark.parametrize("term", DECLARED, ids=_local)
def test_every_term_is_documented(term):
    assert ONTOLOGY.value(term, RDFS.label) is not None
    assert len(str(ONTOLOGY.value(term, RDFS.comment) or "")) > 20
    assert ONTOLOGY.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI


def test_no_unkg_term_is_used_without_declaration():
    assert _unkg_terms(ONTOLOGY) == set(DECLARED)


@pytest.mark.parametrize("name", BRIEF_CLASSES)
def test_brief_classes_are_declared(name):
    assert (UNKG[name], RDF.type, OWL.Class) in ONTOLOGY


@pytest.mark.parametrize("name,kind", BRIEF_PROPERTIES, ids=[p[0] for p in BRIEF_PROPERTIES])
def test_brief_properties_are_declared_with_their_kind(name, kind):
    assert (UNKG[name], RDF.type, kind) in ONTOLOGY


@pytest.mark.parametrize("name,superclass", ALIGNMENTS, ids=[f"{a}<{b}" for a, b in ALIGNMENTS])
def test_alignment(name, superclass):
    assert (UNKG[name], RDFS.subClassOf, URIRef(superclass)) in ONTOLOGY


def test_undo_alignment_uses_only_verified_classes():
    used = {o for p in (RDFS.subClassOf, SKOS.closeMatch) for o in ONTOLOGY.objects(None, p)
            if str(o).startswith(str(UNDO))}
    assert used and used <= UNDO_CLASSES


@pytest.mark.parametrize("term", sorted(_unkg_terms(SHAPES)), ids=_local)
def test_terms_used_in_shapes_exist(term):
    assert term in DECLARED


CODE_TERMS = sorted({name for path in Path(ONTOLOGY_FILE).parent.parent.glob("graph/**/*.py")
                     for name in re.findall(r"\bUNKG\.([A-Za-z]+)\b", path.read_text(encoding="utf-8"))})


@pytest.mark.parametrize("name", CODE_TERMS)
def test_terms_used_by_the_code_exist(name):
    assert UNKG[name] in DECLARED


def test_reused_terms_are_declared_not_redefined():
    eli_cites = URIRef("http://data.europa.eu/eli/ontology#cites")
    assert (eli_cites, RDF.type, OWL.ObjectProperty) in ONTOLOGY
    assert ONTOLOGY.value(eli_cites, RDFS.domain) is None and ONTOLOGY.value(eli_cites, RDFS.range) is None


BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#")


def test_every_term_of_the_corpus_graph_is_declared():
    """What `unkg build` writes uses only terms the ontology declares (its own or reused)."""
    from graph.build import build_corpus
    from graph.store import open_store
    from graph.validate import store_graph

    store = open_store(memory=True)
    build_corpus(Path(ONTOLOGY_FILE).parent.parent / "corpus", store)
    graph = store_graph(store)
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    undeclared = sorted(str(t) for t in used
                        if not str(t).startswith(BUILT_IN) and (t, RDF.type, None) not in ONTOLOGY)
    assert undeclared == []
