"""The held-out documents (never seen while the readers and the RDF were written) build into a
graph that passes the release shapes, as the corpus does."""

from pathlib import Path

import pytest

from graph import iris
from graph.build import build_corpus
from graph.store import open_store
from graph.validate import format_report, validate

ROOT = Path(__file__).resolve().parents[1]
SETS = {"heldout": ROOT / "bench" / "heldout" / "corpus",
        "heldout2": ROOT / "bench" / "heldout2" / "corpus",
        "heldout3": ROOT / "bench" / "heldout3" / "corpus",
        "heldout4": ROOT / "bench" / "heldout4" / "corpus",
        "heldout5": ROOT / "bench" / "heldout5" / "corpus",
        "heldout6": ROOT / "bench" / "heldout6" / "corpus",
        "heldout7": ROOT / "bench" / "heldout7" / "corpus"}


@pytest.fixture(scope="module")
def stores():
    built = {}
    for name, corpus in SETS.items():
        store = open_store(memory=True)
        built[name] = (store, build_corpus(corpus, store))
    return built


@pytest.mark.parametrize("name", SETS)
def test_every_file_builds(stores, name):
    _, summary = stores[name]
    assert summary.errors == [] and summary.documents >= 3 and summary.citations > 50


@pytest.mark.parametrize("name", SETS)
def test_graph_conforms_to_the_shapes(stores, name):
    report = validate(stores[name][0])
    assert report.conforms, format_report(report)


@pytest.mark.parametrize("query", [
    # a League of Nations treaty, named by its LNTS number
    f"ASK {{ <{iris.league_treaty(2623)}> <https://w3id.org/unkg/ontology#lntsRegistration> 2623 }}",
    # a joint symbol printed with an en dash is the same document as with a hyphen
    f"""ASK {{ <{iris.document('A/79/126–E/2024/53')}> <http://purl.org/dc/terms/identifier>
        "A/79/126-E/2024/53" }}""",
], ids=["lnts", "joint-symbol-en-dash"])
def test_shapes_the_corpus_lacks(stores, query):
    assert bool(stores["heldout2"][0].query(query, use_default_graph_as_union=True))
