"""``unkg serve``: configuration from flags and environment, building an empty store, and a
real server process over an on-disk store."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.cli import UserError, make_parser
from graph.store import current_version, version_dir
from server.cli import ensure_store, request_threads, serve_config

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.mark.parametrize("argv,environ,expected", [
    ([], {}, {}),
    ([], {"UNKG_QUERY_TIMEOUT": "5", "UNKG_ROW_LIMIT": "7"}, {"QUERY_TIMEOUT": 5.0, "ROW_LIMIT": 7}),
    (["--timeout", "2.5", "--row-limit", "9"], {"UNKG_QUERY_TIMEOUT": "5"},
     {"QUERY_TIMEOUT": 2.5, "ROW_LIMIT": 9}),
    (["--workers", "3", "--max-body", "10"], {"UNKG_ALLOW_SERVICE": "no"},
     {"QUERY_WORKERS": 3, "MAX_BODY": 10, "ALLOW_SERVICE": False}),
    (["--queue", "4", "--worker-memory", "0", "--page-slots", "3", "--page-queue", "5"],
     {"UNKG_WORKER_MEMORY": "512"},
     {"QUERY_QUEUE": 4, "WORKER_MEMORY": 0, "PAGE_SLOTS": 3, "PAGE_QUEUE": 5}),
], ids=["defaults", "environment", "flags-win", "workers-body", "limits"])
def test_serve_config(argv, environ, expected, tmp_path):
    args = make_parser().parse_args(["--store", str(tmp_path / "s"), "serve", *argv])
    config = serve_config(args, environ)
    assert config == {**expected, "STORE": str(tmp_path / "s")}


def test_request_threads_outnumber_what_may_run_and_wait():
    from server import DEFAULTS
    assert request_threads(DEFAULTS) == 4 + 48 + 2 + 48 + 8
    assert request_threads({**DEFAULTS, "QUERY_WORKERS": 1, "PAGE_QUEUE": 0}) == 1 + 48 + 2 + 8


def test_serve_flags_default_from_the_environment(monkeypatch):
    monkeypatch.setenv("UNKG_PORT", "9123")
    monkeypatch.setenv("UNKG_HOST", "0.0.0.0")
    args = make_parser().parse_args(["serve"])
    assert (args.host, args.port, args.threads) == ("0.0.0.0", 9123, None)


def test_an_empty_store_is_built_from_the_corpus_once(tmp_path):
    """As `unkg build` builds: a validated version, extracted in two processes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("A_RES_77_50.txt", "A_RES_76_150.txt", "A_80_L.3.txt"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    store_dir = tmp_path / "store"
    ensure_store(store_dir, corpus, jobs=2)
    version = current_version(store_dir)
    assert version is not None and version != "legacy"
    built = len(ox.Store.read_only(str(version_dir(store_dir, version))))
    assert built > 0
    ensure_store(store_dir, tmp_path / "no-corpus")  # not empty: nothing is rebuilt
    assert current_version(store_dir) == version


def test_an_empty_store_without_corpus_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no corpus"):
        ensure_store(tmp_path / "store", tmp_path / "missing")


def test_unkg_serve_builds_then_answers_from_disk(tmp_path, fetch):
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "--store", str(tmp_path / "store"), "serve",
         "--port", "0", "--workers", "1", "--corpus", str(CORPUS)],
        stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        log = []
        while not any("Serving on" in line for line in log):
            line = process.stderr.readline()
            assert line, "".join(log)
            log.append(line)
        url = log[-1].split("Serving on ")[1].strip()
        assert any("is empty: building" in line for line in log)
        health = fetch("GET", f"{url}/health").json()
        assert health["status"] == "ok" and health["triples"] > 0
        answer = fetch("GET", f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"})
        assert answer.json()["boolean"] is True
        line = ""
        while "/sparql" not in line:
            line = process.stderr.readline()
        assert re.search(r"GET /sparql\?query=ASK.* 200 \d+\.\d ms", line)  # the request log
    finally:
        process.terminate()
        process.wait(10)
