"""The store setting on the command line: ``unkg build`` into a remote store, ``unkg validate``
and ``unkg release --no-build`` of one, the commands that read only embedded stores, a wrong
setting, and ``unkg serve --store memory``."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

import pytest

from graph.build import build_version
from graph.cli import main
from graph.remote import Client, build_remote, parse_store, read_catalog
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


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_validate_and_release_read_the_version_a_remote_store_serves(request, kind, tmp_path,
                                                                    capsys):
    """The release of the remote store is byte for byte the release of the embedded store
    built from the same files at the same time."""
    setting = request.getfixturevalue(f"{kind}_server").setting
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    small = Path(__file__).resolve().parents[2] / "corpus" / "A_RES_77_50.txt"
    (corpus / small.name).write_bytes(small.read_bytes())
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)  # validated below
    build_remote(corpus, parse_store(setting), fresh=True, build_time=when, validate=False)
    build_version(corpus, tmp_path / "store", build_time=when, validate=False)
    assert main(["--store", setting, "validate"]) == 0
    assert "Conforms: yes" in capsys.readouterr().out
    releases = []
    for store in (setting, str(tmp_path / "store")):
        out = tmp_path / f"dist-{len(releases)}"
        assert main(["--store", store, "release", "0.1.0", "--no-build", "--issued",
                     "2026-01-01", "--out", str(out)]) == 0
        releases.append({p.name: p.read_bytes() for p in (out / "unkg-0.1.0").iterdir()})
    assert releases[0] == releases[1]


def test_validate_says_why_it_cannot_read_a_remote_store(tmp_path, capsys):
    assert main(["--store", "oxigraph+http://127.0.0.1:1", "validate"]) == 2
    error = capsys.readouterr().err
    assert "cannot read the oxigraph store at http://127.0.0.1:1/query" in error
    assert "does not answer" in error and "Traceback" not in error
    assert main(["--store", str(tmp_path / "none"), "release", "1", "--no-build"]) == 2
    assert f"no store at {tmp_path / 'none'}: run `unkg build` first" in capsys.readouterr().err
