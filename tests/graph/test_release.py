"""``unkg release``: a validated, reproducible, atomically written release, and ``--verify``."""

import gzip
import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, VOID, XSD

from graph.cli import UserError, main
from graph.namespaces import BASE, CITO, PREFIXES, UNKG
from graph.release import (CHECKSUMS, DESCRIPTION, DISTRIBUTIONS, Census, ReleaseBlocked,
                           ReleaseInfo, issued_date, release_directory, render_release,
                           sort_lines, verify_release)
from tests.releases import release_files, write_release
from graph.validate import ONTOLOGY_FILE, SHAPES_FILE, read_graph

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "conforming.trig"
INFO = ReleaseInfo("0.1.0", date(2026, 1, 1), URIRef(f"{BASE}sparql"))
FOOTNOTE = "https://w3id.org/unkg/res/ga/70/174/fn/7"


def _store(reverse: bool = False, broken: bool = False) -> ox.Store:
    """The fixture in a store; ``reverse`` inserts the quads in the opposite order."""
    quads = list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    if broken:
        quads = [q for q in quads if not (q.subject.value == FOOTNOTE and q.predicate.value == str(UNKG.text))]
    store = ox.Store()
    store.extend(reversed(quads) if reverse else quads)
    return store


def _disk_store(path: Path, broken: bool = False) -> str:
    store = ox.Store(str(path))
    store.extend(_store(broken=broken).quads_for_pattern(None, None, None))
    store.flush()
    del store
    return str(path)


def _release(store: ox.Store, out: Path, info: ReleaseInfo = INFO) -> dict[str, bytes]:
    return release_files(store, out, info)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, bytes]:
    return _release(_store(), tmp_path_factory.mktemp("dist"))


def _union() -> Graph:
    return read_graph(FIXTURE)


PARSERS = {
    "unkg.ttl": lambda data: Graph().parse(data=data, format="turtle"),
    "unkg.nt.gz": lambda data: Graph().parse(data=gzip.decompress(data), format="nt"),
    "unkg.jsonld": lambda data: Graph().parse(data=data, format="json-ld"),
}


def test_release_has_every_file(files):
    assert set(files) == set(DISTRIBUTIONS) | {DESCRIPTION, CHECKSUMS}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_distribution_round_trips(files, name):
    parsed, union = PARSERS[name](files[name]), _union()
    assert len(parsed) == len(union)
    assert isomorphic(parsed, union)


def test_nquads_keep_one_named_graph_per_source(files):
    parsed, fixture = Dataset(), Dataset()
    parsed.parse(data=files["unkg.nq"], format="nquads")
    fixture.parse(FIXTURE, format="trig")
    names = {g.identifier for g in fixture.graphs() if len(g)}
    assert {g.identifier for g in parsed.graphs() if len(g)} == names
    for name in names:
        assert isomorphic(parsed.graph(name), fixture.graph(name)), name


def _subjects(turtle: bytes) -> list[str]:
    """The subject of each statement block of a Turtle dump, in the order written."""
    return [line.split(" ", 1)[0] for line in turtle.decode().splitlines()
            if line and not line.startswith(("@prefix", "\t"))]


def test_turtle_is_grouped_by_subject_and_sorted(files):
    text = files["unkg.ttl"].decode()
    subjects = _subjects(files["unkg.ttl"])
    assert len(subjects) == len(set(subjects)) == len(set(_union().subjects()))
    prologue = text[:text.index("\n<")]
    expanded = [Graph().parse(data=f"{prologue}\n{s} a <urn:x> .", format="turtle")
                .value(predicate=RDF.type, object=URIRef("urn:x")) for s in subjects]
    assert [f"<{s}> " for s in expanded] == sorted(f"<{s}> " for s in expanded)
    assert "@prefix unkg: <https://w3id.org/unkg/ontology#> ." in text
    assert "^^xsd:string" not in text and "XMLSchema#string" not in files["unkg.jsonld"].decode()


def test_dumps_are_sorted_lines(files):
    for data in (files["unkg.nq"], gzip.decompress(files["unkg.nt.gz"])):
        lines = data.splitlines()
        assert lines == sorted(set(lines)) and data.endswith(b" .\n")


def test_jsonld_has_one_node_object_per_subject_and_a_published_context(files):
    document = json.loads(files["unkg.jsonld"])
    ids = [node["@id"] for node in document]
    assert len(ids) == len(set(ids)) == len(set(_union().subjects()))
    published = json.loads(files["context.jsonld"])
    assert published["@context"]["unkg"] == str(UNKG)
    assert set(published["@context"]) == set(PREFIXES)


def test_external_sort_merges_chunks_and_drops_repeated_lines(tmp_path):
    lines = [f"<urn:{i % 97:03d}> <urn:p> \"{i % 13}\" .\n".encode() for i in range(2000)]
    source = tmp_path / "lines"
    source.write_bytes(b"".join(lines))
    (tmp_path / "scratch").mkdir()
    with open(tmp_path / "sorted", "wb") as target:
        sort_lines(source, target, tmp_path / "scratch", chunk_bytes=1000)  # dozens of chunks
    assert (tmp_path / "sorted").read_bytes() == b"".join(sorted(set(lines)))
    assert list((tmp_path / "scratch").iterdir()) == []


def test_census_counts_what_an_rdflib_graph_counts():
    union = _union()
    triples = sorted({q.triple for q in _store().quads_for_pattern(None, None, None)}, key=str)
    census = Census()
    assert list(census.count(triples)) == triples
    assert census.triples == len(union)
    assert census.subjects == len(set(union.subjects()))
    assert census.entities == len(set(union.subjects(RDF.type, None)))
    assert dict(census.classes) == {str(c): len(set(union.subjects(RDF.type, c)))
                                    for c in set(union.objects(None, RDF.type))}
    assert dict(census.properties) == {str(p): len(list(union.triples((None, p, None))))
                                       for p in set(union.predicates())}
    assert dict(census.property_subjects) == {str(p): len(set(union.subjects(p)))
                                              for p in set(union.predicates())}


def test_description_counts_and_distributions(files):
    d = Graph().parse(data=files[DESCRIPTION], format="turtle")
    release = INFO.iri
    union = _union()
    assert (release, RDF.type, VOID.Dataset) in d and (release, RDF.type, DCAT.Dataset) in d
    assert d.value(release, VOID.triples).toPython() == len(union)
    assert d.value(release, VOID.entities).toPython() == len(set(union.subjects(RDF.type, None)))
    assert d.value(release, DCTERMS.issued) == Literal("2026-01-01", datatype=XSD.date)
    assert d.value(release, DCTERMS.license) is not None
    assert d.value(release, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    assert str(d.value(release, URIRef(f"{DCAT}version"))) == "0.1.0"
    assert URIRef("https://w3id.org/unkg/res/ga/70/174") in set(d.objects(release, VOID.exampleResource))
    footnotes = next(p for p in d.objects(release, VOID.classPartition) if d.value(p, VOID["class"]) == UNKG.Footnote)
    assert d.value(footnotes, VOID.entities).toPython() == 1
    cited = next(p for p in d.objects(release, VOID.propertyPartition) if d.value(p, VOID.property) == CITO.hasCitedEntity)
    assert d.value(cited, VOID.distinctObjects).toPython() == len(set(union.objects(None, CITO.hasCitedEntity)))
    assert d.value(cited, VOID.distinctSubjects).toPython() == len(set(union.subjects(CITO.hasCitedEntity)))
    for name, (media, _) in DISTRIBUTIONS.items():
        dist = INFO.download(name)
        assert (release, DCAT.distribution, dist) in d
        assert d.value(dist, DCAT.byteSize).toPython() == len(files[name])
        assert str(d.value(dist, DCAT.mediaType)).endswith(media)


def test_report_ontology_and_shapes_ship_with_the_data(files):
    report = Graph().parse(data=files["shacl-report.ttl"], format="turtle")
    assert list(report.objects(None, SH.conforms)) == [Literal(True)]
    assert files["ontology.ttl"] == ONTOLOGY_FILE.read_bytes()
    assert files["shapes.ttl"] == SHAPES_FILE.read_bytes()


def test_same_graph_same_bytes(files, tmp_path):
    assert _release(_store(reverse=True), tmp_path) == files


def test_a_store_on_disk_gives_the_same_bytes(files, tmp_path):
    assert _release(ox.Store.read_only(_disk_store(tmp_path / "store")), tmp_path / "dist") == files


def test_issued_date_changes_only_the_description(files, tmp_path):
    later = _release(_store(), tmp_path, ReleaseInfo("0.1.0", date(2026, 2, 1), INFO.endpoint))
    assert {name for name in files if files[name] != later[name]} == {DESCRIPTION, CHECKSUMS}


def test_written_release_verifies(files, tmp_path):
    target = write_release(tmp_path, "0.1.0", files)
    assert target == tmp_path / "unkg-0.1.0"
    assert sorted(p.name for p in target.iterdir()) == sorted(files)
    assert verify_release(target) == []
    assert (target / CHECKSUMS).read_bytes() == files[CHECKSUMS]


def test_failed_write_leaves_the_previous_release(files, tmp_path):
    target = write_release(tmp_path, "0.1.0", files)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    with pytest.raises(OSError):
        write_release(tmp_path, "0.1.0", {**files, "no/such/dir": b"x"})
    with pytest.raises(ReleaseBlocked), release_directory(tmp_path, "0.1.0") as (staging, scratch):
        render_release(_store(broken=True), INFO, staging, scratch)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["unkg-0.1.0"]


def test_invalid_graph_blocks_the_release_and_keeps_the_previous_one(tmp_path, capsys):
    out = tmp_path / "dist"
    good, bad = _disk_store(tmp_path / "good"), _disk_store(tmp_path / "bad", broken=True)
    args = ["release", "0.1.0", "--no-build", "--issued", "2026-01-01", "--out", str(out)]
    assert main(["--store", good, *args]) == 0
    before = {p.name: p.read_bytes() for p in (out / "unkg-0.1.0").iterdir()}
    capsys.readouterr()
    assert main(["--store", bad, *args]) == 1
    captured = capsys.readouterr()
    assert "release 0.1.0 blocked" in captured.err
    assert "ush:FootnoteShape" in captured.out and FOOTNOTE in captured.out
    assert {p.name: p.read_bytes() for p in (out / "unkg-0.1.0").iterdir()} == before
    assert [p.name for p in out.iterdir()] == ["unkg-0.1.0"]


def _flip_byte(directory: Path) -> None:
    path = directory / "unkg.nq"
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))


CORRUPTIONS = [
    # (id, how the release is damaged, the problem --verify reports)
    ("flipped-byte", _flip_byte, "checksum mismatch: unkg.nq"),
    ("missing-file", lambda d: (d / "unkg.ttl").unlink(), "missing: unkg.ttl"),
    ("unlisted-file", lambda d: (d / "extra.txt").write_text("x"), "not in SHA256SUMS: extra.txt"),
    ("garbled-checksums", lambda d: (d / CHECKSUMS).write_text("nonsense\n"), "SHA256SUMS line 1"),
]


@pytest.mark.parametrize("damage,problem", [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS])
def test_verify_detects_corruption(files, tmp_path, capsys, damage, problem):
    target = write_release(tmp_path, "0.1.0", files)
    assert main(["release", "--verify", str(target)]) == 0
    damage(target)
    capsys.readouterr()
    assert main(["release", "--verify", str(target)]) == 1
    assert problem in capsys.readouterr().out


def test_verify_of_a_directory_that_is_not_a_release(tmp_path):
    assert main(["release", "--verify", str(tmp_path)]) == 2


ISSUED = [
    ("2026-03-01", {}, date(2026, 3, 1)),
    (None, {"SOURCE_DATE_EPOCH": "1767225600"}, date(2026, 1, 1)),
    ("2026-03-01", {"SOURCE_DATE_EPOCH": "1767225600"}, date(2026, 3, 1)),
]


@pytest.mark.parametrize("value,environ,expected", ISSUED, ids=["option", "epoch", "option-wins"])
def test_issued_date(value, environ, expected):
    assert issued_date(value, environ) == expected


@pytest.mark.parametrize("value,environ", [("1 March 2026", {}), (None, {"SOURCE_DATE_EPOCH": "soon"})],
                         ids=["bad-option", "bad-epoch"])
def test_bad_issued_date_is_a_user_error(value, environ):
    with pytest.raises(UserError):
        issued_date(value, environ)


def test_version_must_be_a_plain_name(tmp_path):
    assert main(["release", "../evil", "--out", str(tmp_path)]) == 2


def test_corpus_release_conforms_and_round_trips(tmp_path, capsys):
    out = tmp_path / "dist"
    status = main(["release", "0.1.0", "--corpus", str(ROOT / "corpus"), "--issued", "2026-01-01",
                   "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.out + captured.err
    target = out / "unkg-0.1.0"
    assert verify_release(target) == []
    turtle = Graph().parse(target / "unkg.ttl", format="turtle")
    triples = Graph().parse(data=gzip.decompress((target / "unkg.nt.gz").read_bytes()), format="nt")
    assert len(turtle) == len(triples) > 10000 and isomorphic(turtle, triples)
    description = Graph().parse(target / DESCRIPTION, format="turtle")
    assert description.value(ReleaseInfo("0.1.0", date(2026, 1, 1), INFO.endpoint).iri, VOID.triples).toPython() == len(turtle)
    assert (target / "unkg.nq").read_bytes().count(b"\n") >= len(turtle)
