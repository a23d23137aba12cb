"""``graph.validate``: the store or a file against the shapes, a report grouped by shape."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.cli import main
from graph.namespaces import UNKG
from graph.validate import read_graph, validate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "conforming.trig"
FOOTNOTE = URIRef("https://w3id.org/unkg/res/ga/70/174/fn/7")
PARAGRAPH = URIRef("https://w3id.org/unkg/res/ga/70/174/para/11")
PREAMBLE = URIRef("https://w3id.org/unkg/res/ga/70/174/preamble/1")


def _fixture() -> Graph:
    return read_graph(FIXTURE)


def _store(graph: Graph | None = None) -> ox.Store:
    store = ox.Store()
    if graph is None:
        store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    else:
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode("https://w3id.org/unkg/graph/test"))
    return store


def _broken() -> Graph:
    """The fixture with a footnote that lost its text and is claimed by two paragraphs."""
    graph = _fixture()
    graph.remove((FOOTNOTE, UNKG.text, None))
    graph.add((PREAMBLE, UNKG.hasFootnote, FOOTNOTE))
    return graph


def test_fixture_conforms_as_graph_and_as_store():
    assert validate(_fixture()).conforms
    assert validate(_store()).conforms


def test_store_and_graph_give_the_same_results():
    broken = _broken()
    assert validate(broken).results == validate(_store(broken)).results


def test_validation_leaves_the_callers_graph_alone():
    graph = _fixture()
    before = len(graph)
    validate(graph)
    assert len(graph) == before


def test_subclass_instances_meet_superclass_constraints():
    """sh:class unkg:Document accepts a unkg:Report: the ontology's hierarchy is in the data graph."""
    graph = _fixture()
    report = URIRef("https://w3id.org/unkg/doc/A/70/490")
    assert (report, RDF.type, UNKG.Document) not in graph
    assert validate(graph).conforms


def test_shared_property_shape_is_named_after_the_focus_class():
    results = validate(_broken()).results
    text_results = [r for r in results if r.path == "unkg:text"]
    assert [(r.shape, r.focus) for r in text_results] == [("ush:FootnoteShape", f"<{FOOTNOTE}>")]


def test_inverse_paths_are_written_like_sparql():
    results = validate(_broken()).results
    assert any(r.path == "^unkg:hasFootnote" and r.shape == "ush:FootnoteShape" for r in results)


def test_report_groups_results_by_shape_with_focus_nodes():
    text = validate(_broken()).text()
    lines = text.splitlines()
    assert lines[0] == "Conforms: no (2 violations in 1 shapes)"
    assert "ush:FootnoteShape (2)" in lines
    assert f"    <{FOOTNOTE}>" in lines
    assert any(line.startswith("  Violation on unkg:text: ") for line in lines)


def test_conforming_report_says_so():
    assert validate(_fixture()).text() == "Conforms: yes, no SHACL results.\n"


def test_one_defect_gives_one_result():
    graph = _fixture()
    graph.add((PARAGRAPH, UNKG.position, Literal(7)))
    report = validate(graph)
    assert not report.conforms and [r.severity for r in report.results] == ["Violation"]


@pytest.fixture
def files(tmp_path):
    broken = tmp_path / "broken.ttl"
    _broken().serialize(broken, format="turtle")
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("<a> <b> .\n")
    store_dir = tmp_path / "store"
    store = ox.Store(str(store_dir))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return {"fixture": str(FIXTURE), "broken": str(broken), "garbage": str(garbage),
            "missing": str(tmp_path / "missing.ttl"), "store": str(store_dir),
            "nostore": str(tmp_path / "nostore")}


CLI_CASES = [
    # (arguments, exit status, text expected on stdout or stderr)
    (["validate", "--file", "{fixture}"], 0, "Conforms: yes"),
    (["validate", "--file", "{broken}"], 1, "ush:FootnoteShape (2)"),
    (["validate", "--file", "{garbage}"], 2, "cannot read"),
    (["validate", "--file", "{missing}"], 2, "cannot read"),
    (["--store", "{store}", "validate"], 0, "Conforms: yes"),
    (["validate", "--engine", "pyshacl", "--file", "{broken}"], 1, "ush:FootnoteShape (2)"),
    (["--store", "{nostore}", "validate"], 2, "no store at"),
]


@pytest.mark.parametrize("args,status,expected", CLI_CASES,
                         ids=["file-conforms", "file-violations", "file-garbage", "file-missing",
                              "store-conforms", "reference-engine", "store-missing"])
def test_cli(files, capsys, args, status, expected):
    assert main([a.format(**files) for a in args]) == status
    out, err = capsys.readouterr()
    assert expected in out + err


def test_cli_writes_the_report_graph(files, tmp_path):
    report = tmp_path / "report.ttl"
    assert main(["validate", "--file", files["broken"], "--report", str(report)]) == 1
    graph = Graph().parse(report)
    assert len(list(graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult")))) == 2
