"""The whole road on the real corpus: files -> documents -> citations -> triples -> store."""

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rdflib import Literal

from graph import iris
from graph.build import BUILD_GRAPH, build_corpus, corpus_files, load_manifest
from graph.readers import read_document
from graph.store import count_quads, named_graphs, open_store

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
RES_70_174 = iris.resolution("GA", "70", "174")


@pytest.fixture(scope="module")
def built():
    store = open_store(memory=True)
    summary = build_corpus(CORPUS, store, build_time=WHEN)
    return store, summary


def _ask(store, query: str) -> bool:
    return bool(store.query(query, use_default_graph_as_union=True))


def _rows(store, query: str) -> list[dict]:
    results = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


PREFIXES = """PREFIX unkg: <https://w3id.org/unkg/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX cito: <http://purl.org/spar/cito/> PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def test_every_corpus_file_builds(built):
    store, summary = built
    assert summary.errors == []
    # one named graph per source file but the renderings the manifest marks as duplicates,
    # plus the reference tables, the build record and the statistics
    duplicates = [name for name, record in load_manifest(CORPUS).items()
                  if record.get("duplicate_of")]
    assert duplicates == ["001_58fb4a8a10c58e57.txt"]
    assert len(named_graphs(store)) == len(corpus_files(CORPUS)) - len(duplicates) + 3
    assert summary.triples == count_quads(store)


BUILT_FILES = [path for path in corpus_files(CORPUS)
               if not load_manifest(CORPUS).get(path.name, {}).get("duplicate_of")]


@pytest.mark.parametrize("path", BUILT_FILES, ids=lambda p: p.stem[:16])
def test_every_footnote_text_is_in_the_graph(built, path):
    store, _ = built
    document = read_document(path)
    for part in document.walk():
        for footnote in part.footnotes:
            text = Literal(footnote.text)
            query = PREFIXES + f"""ASK {{ ?fn a unkg:Footnote ; unkg:text {text.n3()} ;
                eli:is_part_of ?doc ; unkg:marker "{footnote.label}" .
                {"?para unkg:hasFootnote ?fn ." if footnote.paragraph else ""} }}"""
            assert _ask(store, query), f"{path.name} footnote {footnote.label}"


def test_resolution_cites_46_152_from_its_preamble_recalling(built):
    store, _ = built
    rows = _rows(store, PREFIXES + f"""SELECT ?para ?verb WHERE {{
        ?c cito:hasCitedEntity <{iris.resolution('GA', '46', '152')}> ; cito:hasCitingEntity ?para ;
           unkg:citingVerb ?verb . ?para eli:is_part_of <{RES_70_174}> ; a unkg:PreambularParagraph }}""")
    assert {"para": f"{RES_70_174}/preamble/3", "verb": "Recalling"} in rows


def test_footnote_8_expands_to_the_convention_and_its_protocols(built):
    store, _ = built
    rows = _rows(store, PREFIXES + f"""SELECT DISTINCT ?vol WHERE {{
        ?c cito:hasCitingEntity <{RES_70_174}/fn/8> ; cito:hasCitedEntity ?t .
        ?t unkg:untsRegistration 39574 ; unkg:untsVolume ?vol }}""")
    assert sorted(int(r["vol"]) for r in rows) == [2225, 2237, 2241, 2326]


def test_footnote_7_cites_the_convention_against_corruption(built):
    store, _ = built
    rows = _rows(store, PREFIXES + f"""SELECT ?title WHERE {{
        ?c cito:hasCitingEntity <{RES_70_174}/fn/7> ; cito:hasCitedEntity ?t .
        ?t unkg:untsRegistration 42146 ; dcterms:title ?title }}""")
    assert rows and "Corruption" in rows[0]["title"]


def test_doha_declaration_is_the_annex_and_the_outcome_of_the_thirteenth_congress(built):
    store, _ = built
    rows = _rows(store, PREFIXES + f"""SELECT ?venue ?start ?end ?by WHERE {{
        <{iris.congress(13)}> unkg:declaration <{RES_70_174}/annex> ; schema:location ?venue ;
            schema:startDate ?start ; schema:endDate ?end .
        <{RES_70_174}/annex> eli:is_annex_of <{RES_70_174}> ; unkg:endorsedBy ?by }}""")
    assert {"venue": "Doha", "start": "2015-04-12", "end": "2015-04-19", "by": str(RES_70_174)} in rows


def test_rebuilding_gives_the_same_triples(built):
    store, _ = built
    again = open_store(memory=True)
    build_corpus(CORPUS, again, build_time=datetime(2027, 1, 1, tzinfo=timezone.utc))
    query = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{BUILD_GRAPH}>) }}"
    assert {tuple(map(str, r)) for r in store.query(query)} == {tuple(map(str, r)) for r in again.query(query)}


def test_an_unreadable_file_is_reported_and_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "002_4d87f6f1b0825404.txt", corpus)
    (corpus / "900_broken.txt").write_bytes(b"\xff\xfe not utf-8")
    (corpus / "901_prose.txt").write_text("Just a shopping list: eggs, milk.\n")
    store = open_store(memory=True)
    summary = build_corpus(corpus, store, build_time=WHEN)
    assert len(summary.errors) == 2
    assert summary.errors[0].startswith("900_broken.txt: not UTF-8")
    assert summary.errors[1].startswith("901_prose.txt: ")
    assert str(iris.graph_name(iris.resolution("GA", "70", "178"))) in named_graphs(store)
    assert not _ask(store, 'ASK { ?s ?p "901_prose.txt" }')


def test_a_missing_corpus_is_a_clear_error(tmp_path):
    from graph.document import ReaderError
    with pytest.raises(ReaderError, match="no such corpus directory"):
        build_corpus(tmp_path / "nowhere", open_store(memory=True))


def test_a_name_before_an_annex_footnote_labels_the_annex_not_the_resolution(built):
    store, _ = built
    resolution = iris.resolution("GA", "65", "229")
    rows = _rows(store, PREFIXES + f"""SELECT DISTINCT ?label WHERE {{
        ?annex eli:is_annex_of <{resolution}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }}""")
    assert rows and all("Rules for the Treatment of Women Prisoners" in r["label"] for r in rows)
    assert not _ask(store, f"ASK {{ <{resolution}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")


def test_two_renderings_of_one_document_are_an_error_unless_the_manifest_says_so(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("001_58fb4a8a10c58e57.txt", "A_RES_76_181.txt"):
        shutil.copy(CORPUS / name, corpus)
    summary = build_corpus(corpus, open_store(memory=True), build_time=WHEN)
    assert len(summary.errors) == 1
    assert summary.errors[0].startswith("A_RES_76_181.txt: the same document")
    assert "001_58fb4a8a10c58e57.txt" in summary.errors[0]
    shutil.copy(CORPUS / "manifest.json", corpus)
    store = open_store(memory=True)
    summary = build_corpus(corpus, store, build_time=WHEN)
    assert summary.errors == []
    assert any("another rendering of A_RES_76_181.txt" in w for w in summary.warnings)
    assert _ask(store, PREFIXES + 'ASK { ?s a unkg:SourceFile ; dcterms:identifier ?id ; ?p "A_RES_76_181.txt" }')
    assert not _ask(store, PREFIXES + 'ASK { ?s a unkg:SourceFile ; ?p "001_58fb4a8a10c58e57.txt" }')
