"""IRIs come from identity (DESIGN.md §3): the same thing always gets the same IRI."""

import pytest

from graph import iris
from graph.namespaces import BASE

CASES = [
    # (call, expected path below the base)
    (lambda: iris.resolution("GA", "70", "174"), "res/ga/70/174"),
    (lambda: iris.resolution("GA", "5", "415"), "res/ga/5/415"),
    (lambda: iris.resolution("GA", "57", "270", "B"), "res/ga/57/270/B"),
    (lambda: iris.resolution("ECOSOC", "2014", "22"), "res/ecosoc/2014/22"),
    (lambda: iris.resolution("ECOSOC", "7", "155", "C"), "res/ecosoc/7/155/C"),
    (lambda: iris.resolution("GA", "74", "550", "A", decision=True), "dec/ga/74/550/A"),
    (lambda: iris.resolution("GA", "S-23", "2"), "res/ga/S-23/2"),
    (lambda: iris.resolution("SC", "", "2322"), "res/sc/2322"),
    (lambda: iris.resolution("COSP-UNCAC", "3", "1"), "res/cosp-uncac/3/1"),
    (lambda: iris.document("A/CONF.222/17"), "doc/A/CONF.222/17"),
    (lambda: iris.document("A/C.3/68/L.17/Rev.1"), "doc/A/C.3/68/L.17/Rev.1"),
    (lambda: iris.treaty(42146), "treaty/unts/42146"),
    (lambda: iris.treaty(39574, 2241), "treaty/unts/39574/2241"),
    (lambda: iris.league_treaty(2623), "treaty/lnts/2623"),
    (lambda: iris.document("A/79/126–E/2024/53"), "doc/A/79/126-E/2024/53"),
    (lambda: iris.organization("GA-C3"), "org/ga-c3"),
    (lambda: iris.congress(13), "congress/13"),
    (lambda: iris.regional_meeting(14, "AP"), "congress/14/rpm/ap"),
    (lambda: iris.meeting("GA-C3", "68", "16"), "org/ga-c3/session/68/meeting/16"),
    (lambda: iris.member_state("Côte d'Ivoire"), "state/cote-d-ivoire"),
]


@pytest.mark.parametrize("call,path", CASES, ids=[c[1] for c in CASES])
def test_iri_paths(call, path):
    assert str(call()) == str(BASE) + path


def test_parts_hang_below_their_document():
    doc = iris.resolution("GA", "70", "174")
    assert str(iris.part_of(doc, "annex/para/5/a")) == str(doc) + "/annex/para/5/a"
    assert str(iris.footnote(doc, "7")) == str(doc) + "/fn/7"


def test_citation_iri_is_stable_and_distinct_per_target():
    para = iris.part_of(iris.resolution("GA", "70", "174"), "preamble/3")
    first = iris.citation(para, iris.resolution("GA", "46", "152"))
    assert first == iris.citation(para, iris.resolution("GA", "46", "152"))
    assert first != iris.citation(para, iris.resolution("GA", "57", "270", "B"))
    assert str(first).startswith(str(para) + "/cite/")
    second = iris.citation(para, iris.resolution("GA", "46", "152"), occurrence=2)
    assert str(second) == str(first) + "-2"


def test_graph_names_mirror_document_iris():
    assert str(iris.graph_name(iris.resolution("GA", "70", "174"))) == str(BASE) + "graph/res/ga/70/174"


def test_undocs_link():
    assert str(iris.undocs("A/RES/70/174")) == "https://undocs.org/A/RES/70/174"
