"""Entity triples on the real report and compilation: draft lives and regional recommendations."""

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from graph import iris
from graph.build import load_manifest, process_file
from graph.namespaces import BASE, DCTERMS, ELI, PREFIXES, SCHEMA, UNKG

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
REPORT = iris.document("A/68/456")
COMPILATION = URIRef(str(BASE) + "congress/14/rpm/compilation")


@pytest.fixture(scope="module")
def report_graph():
    return process_file(CORPUS / "004_1571e35c9475b5fc.txt", load_manifest(CORPUS)).graph


@pytest.fixture(scope="module")
def compilation_graph():
    return process_file(CORPUS / "003_8c3c0a644e4dd5d6.txt", load_manifest(CORPUS)).graph


def test_draft_l17_life(report_graph):
    g = report_graph
    l17, rev1 = iris.document("A/C.3/68/L.17"), iris.document("A/C.3/68/L.17/Rev.1")
    meeting = iris.meeting("GA-C3", "68", "46")
    assert (rev1, PROV.wasRevisionOf, l17) in g
    assert (l17, UNKG.introducedBy, iris.member_state("Belarus")) in g
    assert (rev1, UNKG.adoptedAtMeeting, meeting) in g
    assert (meeting, SCHEMA.startDate, Literal("2013-11-14", datatype=XSD.date)) in g
    assert (meeting, RDFS.label, Literal("46th meeting")) in g
    assert (rev1, UNKG.recommendedAs, iris.part_of(REPORT, "draft/VIII")) in g
    assert (rev1, UNKG.sponsor, iris.member_state("Peru")) in g
    assert (rev1, UNKG.sponsor, iris.member_state("United Republic of Tanzania")) in g  # joined later
    assert (iris.member_state("Peru"), RDF.type, UNKG.MemberState) in g


def test_each_text_of_a_draft_carries_the_sponsors_it_had(report_graph):
    g = report_graph
    l17, rev1 = iris.document("A/C.3/68/L.17"), iris.document("A/C.3/68/L.17/Rev.1")
    assert set(g.objects(l17, UNKG.sponsor)) == {iris.member_state("Belarus"),
                                                 iris.member_state("Peru")}
    original = set(g.objects(l17, UNKG.sponsor))
    assert original < set(g.objects(rev1, UNKG.sponsor))
    assert (l17, UNKG.sponsor, iris.member_state("United Republic of Tanzania")) not in g


def test_draft_introduced_at_a_meeting(report_graph):
    assert (iris.document("A/C.3/68/L.17"), UNKG.meeting,
            iris.meeting("GA-C3", "68", "16")) in report_graph


def test_draft_decision_proposed_by_the_chair(report_graph):
    g = report_graph
    decision = iris.part_of(REPORT, "draft-decision")
    meeting = iris.meeting("GA-C3", "68", "52")
    assert (decision, RDF.type, UNKG.DraftDecision) in g
    assert (decision, UNKG.introducedBy, iris.organization("GA-C3")) in g
    assert (decision, UNKG.meeting, meeting) in g
    assert (decision, UNKG.adoptedAtMeeting, meeting) in g
    assert (decision, UNKG.recommendedAs, None) not in g  # it is the text the report recommends


def test_cq5_shows_the_meeting_each_draft_was_introduced_at(report_graph):
    store = pyoxigraph.Store()
    store.load(report_graph.serialize(format="nt").encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    prologue = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())
    query = (ROOT / "server" / "queries" / "cq5-draft-life.rq").read_text(encoding="utf-8")
    rows = {(row["symbol"] or row["draft"]).value: row["introducedAt"]
            for row in store.query(prologue + query)}
    assert rows["A/C.3/68/L.17"].value == "16th meeting, 2013-10-17"
    assert rows["A/C.3/68/L.17/Rev.1"] is None
    assert rows[str(iris.part_of(REPORT, "draft-decision"))].value == "52nd meeting, 2013-11-26"


def test_draft_sent_by_a_body_is_introduced_by_that_body(report_graph):
    assert (iris.document("A/C.3/68/L.2"), UNKG.introducedBy, iris.organization("ECOSOC")) in report_graph


def test_draft_traced_to_the_report_paragraphs(report_graph):
    l17 = iris.document("A/C.3/68/L.17")
    assert (l17, PROV.wasDerivedFrom, None) in report_graph
    assert (l17, UNKG.spanStart, None) in report_graph


def test_recommendation_traced_to_regional_report_paragraph(compilation_graph):
    g = compilation_graph
    meeting = iris.regional_meeting(14, "AP")
    paragraph = iris.part_of(iris.part_of(meeting, "report"), "para/62/a")
    item = iris.part_of(COMPILATION, "rec/1")
    assert (item, UNKG.reportParagraph, paragraph) in g
    assert (item, UNKG.recommendationOf, meeting) in g
    assert (meeting, SCHEMA.superEvent, iris.congress(14)) in g
    assert (meeting, RDF.type, UNKG.RegionalPreparatoryMeeting) in g
    assert (paragraph, ELI.number, Literal("62(a)")) in g


def test_a_report_paragraph_several_items_cite_is_traced_once_where_first_read(compilation_graph):
    g = compilation_graph
    items: dict[URIRef, list[URIRef]] = {}
    for item, paragraph in g.subject_objects(UNKG.reportParagraph):
        items.setdefault(paragraph, []).append(item)
    assert any(len(cited) > 1 for cited in items.values())
    for paragraph, cited in items.items():
        starts = list(g.objects(paragraph, UNKG.spanStart))
        first = min(cited, key=lambda item: int(next(g.objects(item, UNKG.spanStart))))
        assert starts == list(g.objects(first, UNKG.spanStart)), paragraph


def test_recommendations_under_agenda_items_and_workshops(compilation_graph):
    g = compilation_graph
    subjects = set(g.objects(None, DCTERMS.subject))
    assert iris.concept("congress-14-agenda-item", "6") in subjects
    assert iris.concept("congress-14-workshop", "4") in subjects
    assert all((s, RDF.type, SKOS.Concept) in g for s in subjects)



def test_a_revision_read_on_its_own_is_the_revision_of_the_text_before_it(tmp_path):
    """The real draft A/C.3/80/L.21 set as its own first revision: the graph says so, whether
    or not the committee's report is in the corpus."""
    text = (CORPUS / "A_C.3_80_L.21.txt").read_text(encoding="utf-8")
    revised = text.replace("A/C.3/80/L.21", "A/C.3/80/L.21/Rev.1").replace(
        "Cameroon:* draft resolution", "Cameroon:* revised draft resolution")
    path = tmp_path / "rev.txt"
    path.write_text(revised, encoding="utf-8")
    result = process_file(path, {})
    assert result.iri == iris.document("A/C.3/80/L.21/Rev.1")
    assert (result.iri, PROV.wasRevisionOf, iris.document("A/C.3/80/L.21")) in result.graph
    assert (iris.document("A/C.3/80/L.21"), RDF.type, UNKG.DraftResolution) in result.graph
