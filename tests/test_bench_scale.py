"""bench/scale.py's replication on a small hand-made dataset (the benchmark itself is not run
here: it needs the ``oxigraph`` command and minutes; see bench/README.md)."""

import importlib.util
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/unkg/"
ONT = "https://w3id.org/unkg/ontology#"


def _load_scale_module():
    """bench/ is a directory of scripts, not a package: load scale.py by path."""
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building classes
    spec.loader.exec_module(module)
    return module


scale = _load_scale_module()


def n(path: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + path)


DOC_GRAPH, REFERENCE = n("graph/res/ga/70/174"), n("graph/reference")
DOC, PARA, UNODC = n("res/ga/70/174"), n("res/ga/70/174/para/1"), n("org/unodc")
QUADS = [
    ox.Quad(DOC, ox.NamedNode(ONT + "inDocument"), DOC, DOC_GRAPH),
    ox.Quad(PARA, ox.NamedNode(ONT + "inDocument"), DOC, DOC_GRAPH),
    ox.Quad(PARA, ox.NamedNode(ONT + "addressee"), UNODC, DOC_GRAPH),
    ox.Quad(DOC, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(ONT + "Resolution"), DOC_GRAPH),
    ox.Quad(DOC, ox.NamedNode("http://purl.org/dc/terms/identifier"),
            ox.Literal(f"A/RES/70/174 <{BASE}res/x> \"quoted\"\n"), DOC_GRAPH),
    ox.Quad(DOC, ox.NamedNode(ONT + "note"), ox.BlankNode("b1"), DOC_GRAPH),
    ox.Quad(ox.BlankNode("b1"), ox.NamedNode(ONT + "value"), ox.Literal("1"), DOC_GRAPH),
    ox.Quad(UNODC, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal("UNODC", language="en"), REFERENCE),
]


def _parse(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))


def test_replica_zero_is_the_graph_as_built_and_the_reference_graph_is_apart():
    template = scale.make_template(QUADS, BASE, ONT)
    assert (template.replicated_quads, template.shared_quads) == (7, 1)
    assert _parse(template.shared) == [QUADS[-1]]
    zero = _parse(scale.replica(template, 0, BASE))
    assert [q for q in zero if not isinstance(q.object, ox.BlankNode)
            and not isinstance(q.subject, ox.BlankNode)] == QUADS[:5]


def test_a_replica_prefixes_instance_iris_and_keeps_shared_ones_and_literals():
    template = scale.make_template(QUADS, BASE, ONT)
    quads = _parse(scale.replica(template, 17, BASE))
    iris = {t.value for q in quads for t in (q.subject, q.predicate, q.object, q.graph_name)
            if isinstance(t, ox.NamedNode)}
    assert BASE + "r17/res/ga/70/174" in iris and BASE + "r17/graph/res/ga/70/174" in iris
    assert BASE + "r17/res/ga/70/174/para/1" in iris
    assert BASE + "org/unodc" in iris            # described by the reference graph: shared
    assert ONT + "Resolution" in iris and ONT + "inDocument" in iris
    assert not any(i.startswith(BASE) and not i.startswith((BASE + "r17/", ONT))
                   and i != BASE + "org/unodc" for i in iris)
    assert quads[4].object == QUADS[4].object    # a literal holding the base is left alone


def test_loaded_replicas_are_disjoint_copies_sharing_the_reference_graph():
    template = scale.make_template(QUADS, BASE, ONT)
    assert scale.copies_for(template, 1 + 7 * 3) == 3
    store = ox.Store()
    scale.load_replicas(store, template, 3, BASE)
    assert len(store) == 1 + 7 * 3
    graphs = {q.graph_name.value for q in store}
    assert graphs == {BASE + "graph/reference", BASE + "graph/res/ga/70/174",
                      BASE + "r1/graph/res/ga/70/174", BASE + "r2/graph/res/ga/70/174"}
    blanks = {q.subject for q in store if isinstance(q.subject, ox.BlankNode)}
    assert len(blanks) == 3                      # one blank node per replica, none merged
    answers = store.query(f"SELECT ?p WHERE {{ ?p <{ONT}addressee> <{BASE}org/unodc> }}",
                          use_default_graph_as_union=True)
    assert len(list(answers)) == 3              # every replica points at the shared node


def test_the_report_has_the_cached_answer_beside_the_cold_one():
    result = scale.Result("cq1", "example", 1, size=3, ours_s=[0.2, 0.3], native_s=[0.2, 0.2],
                          cached_s=[0.002, 0.003], cache="hit")
    lookup = scale.Result("/lookup", "lookup", 1, ours_s=[0.002], native_s=[0.001],
                          cached_s=[0.002], cache=scale._cache_status(
                              [scale.Answer(303, {}, b"")]))
    rows = [result.figures(), lookup.figures()]
    assert rows[0]["cached_p50_ms"] == 3.0 and rows[1]["cache"] == "none"
    block = {"store": {"quads": 10, "copies": 1}, "results": rows, "goals": scale.goals(rows),
             "peak_rss_mb": {"unkg": 1, "native": 1, "cached": 1}, "load_1min": [0.1, 0.2]}
    table = scale.markdown({"sizes": {"10": block}})
    assert "| cached p50 ms | cached p95 ms |" in table
    assert "| cq1 | 3 | 300.0 | 300.0 | 200.0 | 200.0 | 1.5 | 1.5 | 0 / 0 | 3.0 | 3.0 | 2 | yes |" \
        in table
    assert "yes (native: 1 query) (not cached)" in table


def test_the_corpus_statistics_are_not_replicated():
    """The replicated store counts its own statistics (graph.statistics.derive, as a build
    does); the corpus build's would be copied under replica prefixes and count the corpus."""
    counted = ox.Quad(DOC, ox.NamedNode(ONT + "citationCount"), ox.Literal(3),
                      n("graph/statistics"))
    template = scale.make_template(QUADS + [counted], BASE, ONT)
    assert (template.replicated_quads, template.shared_quads) == (7, 1)
