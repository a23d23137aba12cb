"""Triples from a small hand-built document: structure, citations, provenance."""

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph import iris
from graph.document import CleanText, Document, Footnote, Marker, Paragraph
from graph.citations.models import Reference
from graph.namespaces import CITO, ELI, UNKG
from graph.rdf.documents import Source, document_graph

SOURCE_TEXT = ("70/174. Title\n\tRecalling its resolution 46/152 of 18 December 1991,\n"
               "\t1.\tRequests the Convention,7 and more;\n7 United Nations, Treaty Series, vol. 2349, No. 42146.\n")


def _clean(fragment: str) -> CleanText:
    start = SOURCE_TEXT.index(fragment)
    text = CleanText()
    text.append(SOURCE_TEXT, start, start + len(fragment))
    return text


def _document() -> Document:
    return Document(
        source="t.txt", text=SOURCE_TEXT, format="test", kind="resolution", symbol="A/RES/70/174",
        number="70/174", title="Title", body="GA", session="70", date="2015-12-17",
        meeting="80th plenary meeting",
        paragraphs=[
            Paragraph("preamble/1", "preamble", _clean("Recalling its resolution 46/152 of 18 December 1991,"),
                      opening="Recalling"),
            Paragraph("para/1", "operative", _clean("Requests the Convention, and more;"[:24]),
                      number="1", opening="Requests", markers=[Marker("7", 23)]),
        ],
        footnotes=[Footnote("7", _clean("United Nations, Treaty Series, vol. 2349, No. 42146."),
                            paragraph="para/1", marker_offset=SOURCE_TEXT.index(",7") + 1)],
    )


def _references() -> list[Reference]:
    start = SOURCE_TEXT.index("its resolution 46/152")
    return [
        Reference(document="A/RES/70/174", location="text", kind="resolution",
                  text="its resolution 46/152", span=(start, start + 21), paragraph="preamble/1",
                  body="GA", session="46", number="152", verb="Recalling",
                  iri=str(iris.resolution("GA", "46", "152"))),
        Reference(document="A/RES/70/174", location="footnote", kind="treaty", footnote="7",
                  text="vol. 2349, No. 42146", span=(80, 100), paragraph="para/1", verb="Requests",
                  unts=[{"registration": 42146, "volume": 2349}], iri=str(iris.treaty(42146)),
                  label="United Nations Convention against Corruption"),
    ]


def _graph():
    return document_graph(_document(), _references(), Source("t.txt", "ab" * 32),
                          lambda verb: CITO.citesForInformation)


def test_document_metadata():
    iri, g = _graph()
    assert iri == iris.resolution("GA", "70", "174")
    assert (iri, RDF.type, UNKG.Resolution) in g
    assert (iri, ELI.date_document, Literal("2015-12-17", datatype=XSD.date)) in g
    assert (iri, ELI.passed_by, iris.organization("GA")) in g
    meeting = iris.meeting("GA", "70", "80")
    assert (iri, UNKG.meeting, meeting) in g and (meeting, UNKG.meetingNumber, Literal(80)) in g


def test_paragraphs_and_footnotes_hang_below_the_document():
    iri, g = _graph()
    para = iris.part_of(iri, "para/1")
    note = iris.footnote(iri, "7")
    assert (para, ELI.is_part_of, iri) in g and (para, RDF.type, UNKG.OperativeParagraph) in g
    assert (para, UNKG.hasFootnote, note) in g
    assert (note, UNKG.text, Literal("United Nations, Treaty Series, vol. 2349, No. 42146.")) in g


def test_citation_is_typed_and_traced():
    iri, g = _graph()
    cited = iris.resolution("GA", "46", "152")
    citing = iris.part_of(iri, "preamble/1")
    node = iris.citation(citing, cited)
    assert (node, CITO.hasCitedEntity, cited) in g
    assert (node, UNKG.citingVerb, Literal("Recalling")) in g
    assert (iri, ELI.cites, cited) in g and (citing, ELI.cites, cited) in g
    start = SOURCE_TEXT.index("its resolution 46/152")
    assert (node, UNKG.spanStart, Literal(start)) in g


def test_footnote_citation_cites_from_the_footnote():
    iri, g = _graph()
    treaty = iris.treaty(42146)
    node = iris.citation(iris.footnote(iri, "7"), treaty)
    assert (node, CITO.hasCitingEntity, iris.footnote(iri, "7")) in g
    assert (treaty, UNKG.untsRegistration, Literal(42146)) in g


def test_every_extracted_node_has_provenance():
    _, g = _graph()
    for subject in set(g.subjects(RDF.type, None)):
        if (subject, RDF.type, UNKG.Paragraph) in g or (subject, RDF.type, CITO.Citation) in g:
            assert (subject, PROV.wasDerivedFrom, None) in g


def test_same_input_same_triples():
    assert set(_graph()[1]) == set(_graph()[1])


def test_each_occurrence_is_its_own_citation_with_its_own_span():
    doc = _document()
    first, _ = _references()
    again = Reference(**{**first.__dict__, "span": (first.span[0] + 1, first.span[1] + 1)})
    iri, g = document_graph(doc, [first, again], Source("t.txt", "ab" * 32),
                            lambda verb: CITO.citesForInformation)
    citing = iris.part_of(iri, "preamble/1")
    cited = iris.resolution("GA", "46", "152")
    nodes = set(g.subjects(CITO.hasCitingEntity, citing))
    assert nodes == {iris.citation(citing, cited), iris.citation(citing, cited, 2)}
    assert all(len(set(g.objects(node, UNKG.spanStart))) == 1 for node in nodes)


def test_a_body_the_tables_do_not_know_is_described_by_its_citation():
    doc = _document()
    start = 10
    unknown = Reference(document="A/RES/70/174", location="text", kind="resolution",
                        text="Assembly of the International Seabed Authority resolution 5/14", span=(start, start + 64),
                        paragraph="preamble/1", body="ISA", session="5", number="14",
                        iri=str(iris.resolution("ISA", "5", "14")))
    _, g = document_graph(doc, [unknown], Source("t.txt", "ab" * 32), lambda verb: CITO.cites)
    body = iris.organization("ISA")
    assert (body, RDF.type, UNKG.Body) in g
    assert (body, RDFS.label, Literal("Assembly of the International Seabed Authority")) in g
