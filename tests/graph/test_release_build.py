"""``unkg release`` builds as ``unkg build`` does: in ``--jobs`` processes (one per core by
default), with the same result whatever their number, and the same files as a release of a
store that ``unkg build`` made at the same build time."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from graph.build import build_version, extractor_agent
from graph.cli import main, make_parser
from graph.commands import jobs
from graph.jobs import default_jobs

ROOT = Path(__file__).resolve().parents[2]
FILES = ("A_RES_77_50.txt", "A_RES_76_150.txt", "A_80_L.3.txt")
ISSUED = "2026-01-01"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    for name in FILES:
        (directory / name).write_bytes((ROOT / "corpus" / name).read_bytes())
    return directory


def release(out: Path, *args: str, store: Path | None = None) -> dict[str, bytes]:
    setting = ["--store", str(store)] if store else []
    assert main([*setting, "release", "0.1.0", "--issued", ISSUED, "--out", str(out), *args]) == 0
    return {p.name: p.read_bytes() for p in (out / "unkg-0.1.0").iterdir()}


def test_every_building_command_extracts_in_one_process_per_core_by_default():
    parser = make_parser()
    for command in (["build"], ["release", "0.1.0"], ["serve"]):
        assert jobs(parser.parse_args(command)) == default_jobs()
        assert jobs(parser.parse_args([*command, "--jobs", "3"])) == 3


def test_a_release_built_in_two_processes_is_the_release_built_in_one(corpus, tmp_path, capsys):
    extractor_agent.cache_clear()  # as test_build_parallel's same_extractor says why
    one = release(tmp_path / "one", "--corpus", str(corpus), "--jobs", "1")
    assert release(tmp_path / "two", "--corpus", str(corpus), "--jobs", "2") == one
    built = tmp_path / "store"  # what `unkg build` makes, released as it is
    build_version(corpus, built, build_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert release(tmp_path / "three", "--no-build", store=built) == one
    assert "written to" in capsys.readouterr().out


def test_a_release_of_a_built_store_validates_only_what_its_validation_cache_lacks(
        corpus, tmp_path, monkeypatch):
    """``unkg build`` keeps each graph's validation run beside the store; a release of that
    store reads them from a copy and runs no graph again, and leaves the store's file alone."""
    from graph import validate_graphs

    built = tmp_path / "store"
    build_version(corpus, built, build_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    cache = built / validate_graphs.CACHE_FILE
    before = cache.read_bytes()
    runs: list[bytes] = []
    run_graph = validate_graphs.graph_foci
    monkeypatch.setattr(validate_graphs, "graph_foci",
                        lambda data, *rest: runs.append(data) or run_graph(data, *rest))
    release(tmp_path / "cached", "--no-build", "--jobs", "1", store=built)
    assert runs == [] and cache.read_bytes() == before
    cache.unlink()
    release(tmp_path / "uncached", "--no-build", "--jobs", "1", store=built)
    assert len(runs) > len(FILES) and not cache.exists()
