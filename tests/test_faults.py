"""Faults: ``unkg build``, ``unkg release``, the store switch and ``unkg serve`` killed with
SIGKILL at seeded random moments leave the store and dist/ in the old state or the new one,
never a mix, and the next run succeeds and cleans up.

The scenarios live in ``bench/faults.py`` (its docstring says what each one kills and checks);
here each runs with a few kills to stay fast, the script runs 20 per scenario for the README's
figures (``python bench/faults.py``).
"""

import importlib.util
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KILLS = {"build": 2, "release": 2, "switch": 2, "serve": 1}


def _load_faults():
    """bench/ is a directory of scripts, not a package: load faults.py by path."""
    spec = importlib.util.spec_from_file_location("bench_faults", ROOT / "bench" / "faults.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building classes
    spec.loader.exec_module(module)
    return module


faults = _load_faults()


@pytest.mark.parametrize("scenario", sorted(KILLS))
def test_a_kill_leaves_the_old_or_the_new_state_and_the_next_run_succeeds(scenario, tmp_path):
    outcomes = faults.RUNNERS[scenario](tmp_path, KILLS[scenario], random.Random(f"1-{scenario}"))
    # Each runner raises FaultError on a mixed state or a failed next run; here we only check
    # that the kills happened.
    assert len(outcomes) == KILLS[scenario]
    assert all(o.state in ("old", "new") for o in outcomes)
    assert any(o.killed for o in outcomes)
