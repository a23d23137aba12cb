"""The store setting on the command line: ``unkg build`` into a remote store, the commands
that read only embedded stores, a wrong setting, and ``unkg serve --store memory``."""

from __future__ import annotations

import argparse

from graph.cli import main
from graph.remote import Client, parse_store, read_catalog
from server.cli import FLAGS, memory_store, serve_config


def test_unkg_build_into_a_remote_store_switches_it(oxigraph_server, sample, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("002_4d87f6f1b0825404.txt", "manifest.json"):
        (corpus / name).write_bytes((sample / name).read_bytes())
    assert main(["--store", oxigraph_server.setting, "build", str(corpus), "-q", "--fresh"]) == 0
    catalog = read_catalog(Client(parse_store(oxigraph_server.setting)))
    assert catalog.version and "https://w3id.org/unkg/graph/res/ga/70/178" in catalog.graphs
    assert "documents: 1" in capsys.readouterr().out


def test_commands_say_what_a_setting_cannot_do(oxigraph_server, capsys):
    assert main(["--store", oxigraph_server.setting, "info"]) == 2
    assert "reads an embedded store" in capsys.readouterr().err
    assert main(["--store", "oxigraph+http://user:secret@127.0.0.1:1", "build"]) == 2
    assert "UNKG_STORE_USER" in capsys.readouterr().err
    assert main(["--store", "memory", "build"]) == 2
    assert "unkg serve --store memory" in capsys.readouterr().err


def test_serve_keeps_a_remote_setting_and_builds_memory(sample):
    flags = argparse.Namespace(store=None, **dict.fromkeys(FLAGS))
    config = serve_config(flags, {"UNKG_STORE": "virtuoso+http://127.0.0.1:8890"})
    assert config["STORE"] == "virtuoso+http://127.0.0.1:8890"
    assert len(memory_store(sample)) > 20_000
