"""``graph.validate_graphs``: validation graph by graph gives the union report, result for result.

The reference is the whole union in one rdflib graph (``run_shacl`` on ``data_graph``, the
method before): every defect of ``tests/test_shapes.py`` with the fixture's named graphs kept,
and defects that only the union shows (two graphs saying different things of one node).
"""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.cli import main
from graph.validate import data_graph, load_shapes, run_shacl, validate
from graph.validate_graphs import (READS, Cache, UnsupportedShape, Work, shape_reads,
                                   validate_graphs)
from tests.test_shapes import DEFECTS, PREFIXES, SHAPES

FIXTURE = Path(__file__).parent.parent / "fixtures" / "conforming.trig"
NEW_GRAPH = URIRef("https://w3id.org/unkg/graph/test/added")
G = "https://w3id.org/unkg/graph/"


def _dataset() -> Dataset:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    return dataset


def _merged(dataset: Dataset) -> Graph:
    merged = Graph()
    for context in dataset.graphs():
        merged += context
    return merged


def _split(dataset: Dataset, update: str | None) -> tuple[Graph, ox.Store]:
    """The fixture broken by ``update`` as one graph, and as a store whose named graphs are
    the fixture's: a statement stays in the graphs it was in, a new one goes to a graph its
    subject is described in (else a graph of its own)."""
    merged = _merged(dataset)
    if update:
        merged.update(PREFIXES + update)
    homes: dict = {}
    for context in dataset.graphs():
        for s, p, o in context:
            homes.setdefault(s, context.identifier)
    split = Dataset()
    for s, p, o in merged:
        graphs = [c.identifier for c in dataset.graphs() if (s, p, o) in c] or \
            [homes.get(s, NEW_GRAPH)]
        for name in graphs:
            split.add((s, p, o, name))
    store = ox.Store()
    store.load(split.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    return merged, store


def _records(report) -> tuple[bool, list]:  # type: ignore[no-untyped-def]
    """Conformance and the results, blank node labels aside (they name nothing across graphs)."""
    def blank(text: str | None) -> str | None:
        return re.sub(r"_:\w+", "_:b", text) if text else text
    return report.conforms, sorted((r.shape, r.path or "", blank(r.focus), blank(r.value) or "", r.message,
                                    r.severity, r.component) for r in report.results)


def _whole(source: Graph | ox.Store, engine: str = "turbo"):  # type: ignore[no-untyped-def]
    """The reference: the union in one rdflib graph (read from the store, as ``unkg validate
    --whole`` reads it: Oxigraph writes a plain literal as ``xsd:string``)."""
    return run_shacl(data_graph(source), SHAPES, engine)


@pytest.mark.parametrize("update", [None] + [d[1] for d in DEFECTS],
                         ids=["conforming"] + [d[0] for d in DEFECTS])
def test_every_defect_gives_the_union_report(update):
    merged, store = _split(_dataset(), update)
    assert _records(validate_graphs(store)) == _records(_whole(store))


def test_reference_engine_gives_the_union_report_too():
    merged, store = _split(_dataset(), DEFECTS[0][1])
    assert _records(validate_graphs(store, engine="pyshacl")) == \
        _records(_whole(store, "pyshacl"))


RES = "<https://w3id.org/unkg/res/ga/70/174>"
OLD = "<https://w3id.org/unkg/res/ga/46/152>"
FOOTNOTE = "<https://w3id.org/unkg/res/ga/70/174/fn/7>"

# (id, TriG added to the fixture in graphs of their own, (shape, message words) expected)
UNION_ONLY = [
    ("two-graphs-two-numbers",
     f"<{G}a> {{ {OLD} a unkg:Resolution ; eli:number \"46/153\" . }}",
     {("ush:DocumentShape", "at most one eli:number")}),
    ("two-graphs-two-registrations",
     "<https://w3id.org/unkg/graph/a> { <https://w3id.org/unkg/treaty/unts/99> a unkg:Treaty ; "
     "unkg:untsRegistration 99 . } <https://w3id.org/unkg/graph/b> { "
     "<https://w3id.org/unkg/treaty/unts/99> a unkg:Treaty ; unkg:untsRegistration 98 . }",
     {("ush:TreatyShape", "is one positive xsd:integer"),
      ("ush:TreatyIRIShape", "IRI must be built from its UNTS numbers")}),
    ("footnote-claimed-from-another-graph",
     f"<{G}a> {{ <https://w3id.org/unkg/doc/A/70/490/para/10> unkg:hasFootnote {FOOTNOTE} . }}",
     {("ush:FootnoteShape", "at most one paragraph has it")}),
    ("paragraph-of-a-read-document-named-elsewhere",
     f"<{G}a> {{ <https://w3id.org/unkg/res/ga/70/174/para/99> a unkg:OperativeParagraph ; "
     f"eli:is_part_of {RES} . }}",
     {("ush:ExtractedParagraphShape", "exactly one non-empty unkg:text"),
      ("ush:ExtractedParagraphShape", "names the one document it was read in"),
      ("ush:ExtractedParagraphShape", "must have its unkg:position"),
      ("ush:ParagraphShape", "must list it with eli:has_part"),
      ("ush:ProvenanceShape", "which source file"),
      ("ush:ProvenanceShape", "which extraction"),
      ("ush:ProvenanceShape", "where its source text starts"),
      ("ush:ProvenanceShape", "where its source text ends")}),
    ("described-in-two-halves",  # each graph alone lacks a number or a body: the union has both
     f"<{G}a> {{ <https://w3id.org/unkg/res/ga/1/1> a unkg:Resolution ; eli:number \"1/1\" . }} "
     f"<{G}b> {{ <https://w3id.org/unkg/res/ga/1/1> a unkg:Resolution ; "
     "eli:passed_by <https://w3id.org/unkg/org/ga> . }",
     set()),
]


def _with(trig: str) -> tuple[Graph, ox.Store, list[ox.Store]]:
    """The fixture plus ``trig``: merged, as a store, and each added graph alone with the
    reference graph (what validating it on its own would see)."""
    dataset = _dataset()
    dataset.parse(data=PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + trig,
                  format="trig")
    store = ox.Store()
    store.load(dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    alone = []
    for name in (f"{G}a", f"{G}b"):
        one = ox.Store()
        for graph in (name, f"{G}reference"):
            one.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        if len(one):
            alone.append(one)
    return _merged(dataset), store, alone


@pytest.mark.parametrize("trig,expected", [c[1:] for c in UNION_ONLY], ids=[c[0] for c in UNION_ONLY])
def test_what_only_the_union_shows(trig, expected):
    merged, store, alone = _with(trig)
    report = validate_graphs(store)
    assert _records(report) == _records(_whole(store))
    found = {(r.shape, r.message) for r in report.results}
    assert {shape for shape, _ in found} == {shape for shape, _ in expected}
    for shape, words in expected:
        assert any(s == shape and words in m for s, m in found), f"{shape}: '{words}' missing"
    # No added graph shows these results by itself (with the reference graph it points at):
    for one in alone:
        by_itself = run_shacl(data_graph(one), SHAPES)
        if expected:
            assert not all(any(s == r.shape and w in r.message for r in by_itself.results)
                           for s, w in expected)
        else:
            assert not by_itself.conforms


def test_unchanged_graphs_are_not_validated_again(tmp_path):
    cache = tmp_path / "cache.json"
    merged, store = _split(_dataset(), None)
    first, second = Work(), Work()
    report = validate_graphs(store, cache=cache, work=first)
    assert report.conforms and first.graphs == len(list(store.named_graphs()))
    assert _records(validate_graphs(store, cache=cache, work=second)) == _records(report)
    assert (second.graphs, second.cached) == (0, first.graphs)
    # One graph changes: only it runs again, and the report is the union's.
    store.update(f"{PREFIXES} INSERT DATA {{ GRAPH <{G}doc/A/70/490> {{ {OLD} eli:number \"46/153\" }} }}")
    third = Work()
    changed = validate_graphs(store, cache=cache, work=third)
    assert third.graphs == 1
    assert _records(changed) == _records(_whole(store))
    assert not changed.conforms


def test_a_damaged_cache_costs_only_time(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json")
    assert Cache(cache).entries == {}
    _, store = _split(_dataset(), None)
    assert validate_graphs(store, cache=cache).conforms


def test_every_shape_is_classified():
    """A new shape fails here until ``READS`` says what it reads (and the method covers it)."""
    derived = shape_reads(load_shapes())
    assert {name: READS.get(name) for name in derived} == derived


UNSUPPORTED = [
    ("not", "ush:S a sh:NodeShape ; sh:targetClass unkg:Document ; sh:not [ sh:class unkg:Report ] ."),
    ("xone-over-classes", "ush:S a sh:NodeShape ; sh:targetClass unkg:Document ; sh:property "
     "[ sh:path eli:cites ; sh:xone ( [ sh:class unkg:Report ] [ sh:class unkg:Treaty ] ) ] ."),
    ("qualified-maximum", "ush:S a sh:NodeShape ; sh:targetClass unkg:Document ; sh:property "
     "[ sh:path eli:cites ; sh:qualifiedValueShape [ sh:class unkg:Report ] ; sh:qualifiedMaxCount 1 ] ."),
    ("statement-of-a-value", "ush:S a sh:NodeShape ; sh:targetClass unkg:Document ; sh:property "
     "[ sh:path eli:cites ; sh:node [ sh:property [ sh:path eli:number ; sh:minCount 1 ] ] ] ."),
    ("unclassified-sparql-target", "ush:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; "
     "sh:select \"SELECT ?this WHERE { ?this ?p ?o }\" ] ; sh:property [ sh:path eli:number ; sh:maxCount 1 ] ."),
]


@pytest.mark.parametrize("turtle", [u[1] for u in UNSUPPORTED], ids=[u[0] for u in UNSUPPORTED])
def test_shapes_it_cannot_validate_exactly_are_refused(turtle):
    prefixes = PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
    shapes = Graph().parse(data=prefixes + "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                           "@prefix ush: <https://w3id.org/unkg/shapes#> .\n" + turtle,
                           format="turtle")
    with pytest.raises(UnsupportedShape):
        shape_reads(shapes)


def test_a_graph_or_dataset_is_validated_graph_by_graph_like_a_store():
    merged, store = _split(_dataset(), DEFECTS[0][1])
    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    assert _records(validate(dataset)) == _records(validate(merged)) == \
        _records(validate(merged, whole=True))


def test_cli_validates_whole_or_in_processes(tmp_path, capsys):
    broken = tmp_path / "broken.trig"
    _, store = _split(_dataset(), DEFECTS[0][1])
    store.dump(output=str(broken), format=ox.RdfFormat.TRIG)
    outputs = []
    for extra in ([], ["--whole"], ["--jobs", "2"]):
        assert main(["validate", "--file", str(broken), *extra]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "ush:DocumentShape (1)" in outputs[0]


def test_report_graph_holds_the_results_once():
    merged, store = _split(_dataset(), DEFECTS[0][1])
    report = validate_graphs(store)
    results = list(report.graph.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == len(report.results) == 1
    assert isinstance(report.graph.value(predicate=SH.result, object=results[0]), BNode)


def test_cache_keys_do_not_depend_on_the_process():
    """A rebuild runs in another process: the keys' common part must come out the same."""
    import subprocess
    import sys

    from graph.validate_graphs import SHAPES_FILE, _digest

    code = "from graph.validate_graphs import SHAPES_FILE, _digest; print(_digest(str(SHAPES_FILE)).hex())"
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={"PYTHONHASHSEED": seed}, cwd=Path(__file__).parents[2], check=True)
        assert done.stdout.strip() == _digest(str(SHAPES_FILE)).hex()


def test_a_graph_too_large_to_run_whole_is_validated_over_the_union(monkeypatch):
    monkeypatch.setattr("graph.validate_graphs.LARGEST_RUN", 50)
    merged, store = _split(_dataset(), DEFECTS[0][1])
    work = Work()
    assert _records(validate_graphs(store, work=work)) == _records(_whole(store))
    assert work.large == 2 and work.graphs + work.large == len(list(store.named_graphs()))


def _record(store: ox.Store, graphs: dict[str, str]) -> None:
    """A build record naming each graph's extraction, which ended at the time given: what
    ``unkg build`` writes (a new time for each graph it loads again)."""
    store.remove_graph(ox.NamedNode(f"{G}build"))
    store.update(PREFIXES + f"INSERT DATA {{ GRAPH <{G}build> {{ " + " ".join(
        f"<urn:test:extraction/{i}> prov:generated <{graph}> ; prov:endedAtTime \"{time}\" ."
        for i, (graph, time) in enumerate(sorted(graphs.items()))) + " } }")


def test_a_rebuild_reads_only_the_graphs_it_loaded_again(tmp_path):
    """A graph the build record shows unchanged is not read; the report is the union's."""
    from graph.build import build_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("A_RES_77_50.txt", "A_RES_76_30.txt"):
        (corpus / name).write_bytes((FIXTURE.parents[2] / "corpus" / name).read_bytes())
    store, cache = ox.Store(), tmp_path / "cache.json"
    build_corpus(corpus, store)
    first = Work()
    validate_graphs(store, cache=cache, work=first)
    assert first.unread == 0 and first.graphs == len(list(store.named_graphs()))
    changed = corpus / "A_RES_76_30.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")  # read again by the next build
    build_corpus(corpus, store)
    second = Work()
    report = validate_graphs(store, cache=cache, work=second)
    # Read: the changed file's graph, and those no file owns (the reference graph, the build
    # record, the statistics); the other file's graph is known from the record.
    assert (second.unread, second.graphs + second.cached) == (1, first.graphs)
    assert _records(report) == _records(validate_graphs(store)) == _records(_whole(store))


def test_a_graph_the_record_shows_unchanged_runs_again_when_its_context_changed(tmp_path):
    """Graph ``a`` holds a paragraph whose ``eli:is_part_of`` chain goes on in graph ``x``:
    when ``x`` changes, ``a`` is run again though the record shows it unchanged, and the
    paragraph's result, which only the new chain gives, is in the report."""
    doc, cache = "https://w3id.org/unkg/doc/A/70/490", tmp_path / "cache.json"
    source = "<https://w3id.org/unkg/source/sha256/" + "2" * 64 + ">"
    part, paragraph = f"<{doc}/part/x>", f"<{doc}/part/x/para/1>"
    a = (f"{paragraph} a unkg:NarrativeParagraph ; eli:is_part_of {part} ; eli:number \"1\" ; "
         f"unkg:position 9 ; unkg:text \"A paragraph.\" ; unkg:inDocument <{doc}> ; "
         f"prov:wasDerivedFrom {source} ; prov:wasGeneratedBy <{source[1:-1]}/extraction/0.1.0> ; "
         f"unkg:spanStart 600 ; unkg:spanEnd 700 . {part} eli:has_part {paragraph} . "
         f"<{source[1:-1]}/extraction/0.1.0> a unkg:Extraction .")
    merged, store = _split(_dataset(), None)
    store.update(f"{PREFIXES} INSERT DATA {{ GRAPH <{G}a> {{ {a} }} "
                 f"GRAPH <{G}x> {{ {part} a unkg:NarrativeParagraph ; eli:is_part_of <{doc}> }} }}")
    graphs = {g.value: "1" for g in store.named_graphs()
              if g.value not in (f"{G}reference", f"{G}build")}
    _record(store, graphs)
    before = validate_graphs(store, cache=cache)
    assert _records(before) == _records(_whole(store))
    assert paragraph not in {r.focus for r in before.results}
    # a's run found nothing for the paragraph: only running a again can find its new result.
    assert paragraph not in {focus for found in Cache(cache).entries.values() for focus in found}
    # The build loads x again: its part now leads nowhere.
    store.remove_graph(ox.NamedNode(f"{G}x"))
    store.update(f"{PREFIXES} INSERT DATA {{ GRAPH <{G}x> {{ {part} a unkg:NarrativeParagraph ; "
                 f"eli:is_part_of <{doc}/none> }} }}")
    _record(store, {**graphs, f"{G}x": "2"})
    work = Work()
    after = validate_graphs(store, cache=cache, work=work)
    assert _records(after) == _records(_whole(store))
    assert any(r.focus == paragraph and "lead to a document" in r.message
               for r in after.results)
    assert work.unread == len(graphs) - 2  # neither x nor a
