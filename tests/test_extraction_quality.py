"""End to end: ``unkg extract`` on the corpus scores at least 0.98 F1 on every citation kind.

The truth in ``bench/truth`` was annotated by reading the documents; this test runs the
same scorer as ``bench/score.py --run`` and holds the extractor to the issue's target, so a
change that loses citations fails here rather than in the next benchmark run.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.98


def _score_module():
    spec = importlib.util.spec_from_file_location("bench_score", ROOT / "bench" / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def score():
    bench = _score_module()
    truth = bench.load_truth(ROOT / "bench" / "truth")
    return bench.compare(truth, bench.run_extractor(ROOT / "corpus", truth))


@pytest.mark.parametrize("group", ["kind:resolution", "kind:decision", "kind:treaty",
                                   "kind:document", "kind:other", "footnote", "overall"])
def test_f1_meets_the_target(score, group):
    tally = score.groups[group]
    assert tally.f1 is not None and tally.f1 >= TARGET, (
        f"{group}: F1 {tally.f1} (tp {tally.tp}, fp {tally.fp}, fn {tally.fn})")


# Real documents (bench/real): the official texts of resolutions and drafts, annotated blind.
# Floors at the figures after the fixes, so a change that loses what real documents need fails
# here; kinds still short of the corpus target say so (bench/real/README.md lists the misses).
REAL_FLOORS = {"overall": 0.985, "kind:resolution": 0.99, "kind:decision": 0.95,
               "kind:treaty": 1.0, "kind:document": 0.985, "footnote": 0.99}


@pytest.fixture(scope="module")
def real_score():
    bench = _score_module()
    truth = bench.load_truth(ROOT / "bench" / "real" / "truth")
    return bench.compare(truth, bench.run_extractor(ROOT / "corpus", truth))


def test_at_least_fifteen_real_documents_are_annotated(real_score):
    files = [group for group in real_score.groups if group.startswith("file:")]
    assert len(files) >= 25


@pytest.mark.parametrize("group", sorted(REAL_FLOORS))
def test_real_documents_meet_their_floor(real_score, group):
    tally = real_score.groups[group]
    assert tally.f1 is not None and tally.f1 >= REAL_FLOORS[group], (
        f"{group}: F1 {tally.f1} (tp {tally.tp}, fp {tally.fp}, fn {tally.fn})")
