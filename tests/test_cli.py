"""The ``unkg`` command line, run as a user runs it, on the real corpus."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[1]
UNKG = str(Path(sys.executable).with_name("unkg"))


def run(*args: str, store: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([UNKG, "--store", str(store), *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    result = run("build", "--quiet", store=path)
    assert result.returncode == 0, result.stderr
    assert "documents:" in result.stdout and "errors: 0" in result.stdout
    return path


def test_export_turtle_parses_back_to_the_same_triple_count(store, tmp_path):
    out = tmp_path / "unkg.ttl"
    assert run("export", "-o", str(out), store=store).returncode == 0
    graph = Graph().parse(out, format="turtle")
    count = run("query", "--output-format", "json",
                "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
                store=store)
    n = int(json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"])
    assert len(graph) == n > 1000


@pytest.mark.parametrize("fmt,parse_as", [("ntriples", "nt"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_export_formats_parse(store, tmp_path, fmt, parse_as):
    out = tmp_path / f"unkg.{fmt}"
    assert run("export", "-f", fmt, "-o", str(out), store=store).returncode == 0
    data = Dataset()
    data.parse(out, format=parse_as)
    assert len(data) > 1000 or sum(len(g) for g in data.graphs()) > 1000


def test_query_table_and_csv(store):
    query = ("PREFIX dcterms: <http://purl.org/dc/terms/> "
             "SELECT ?doc WHERE { ?doc dcterms:identifier \"A/RES/70/174\" }")
    table = run("query", query, store=store)
    assert table.returncode == 0 and "res/ga/70/174" in table.stdout and "(1 rows)" in table.stdout
    csv = run("query", "--output-format", "csv", query, store=store)
    assert csv.stdout.splitlines()[0] == "doc"


def test_info_lists_graphs_and_classes(store):
    info = run("info", store=store)
    assert info.returncode == 0
    assert "named graphs" in info.stdout and "ontology#Resolution" in info.stdout


@pytest.mark.parametrize("args,message", [
    (("query", "SELECT nonsense {"), "bad query"),
    (("query",), "give a query or --file"),
    (("query", "--file", "/nonexistent.rq"), "cannot read"),
    (("build", "/nonexistent-corpus"), "no such corpus directory"),
], ids=["syntax", "no-query", "no-file", "no-corpus"])
def test_bad_input_is_one_clear_line(store, args, message):
    result = run(*args, store=store)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_commands_on_a_missing_store_say_build_first(tmp_path):
    result = run("info", store=tmp_path / "none")
    assert result.returncode == 2 and "run `unkg build` first" in result.stderr
