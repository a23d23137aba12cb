"""A fresh clone of the repository needs nothing beside it: the README's test command is what CI
runs, and the suite collects in a clone with no other folder next to it (issue 9: the W3C suite
was once read from a sibling folder of the developers' checkout, and only ``.ci/run`` installed
chromium)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    """The commands of the README's first code block, without their comment lines."""
    block = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```")[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readme_test_command_is_what_ci_runs():
    install_and_serve, test = _readme_commands()
    assert "unkg serve" in install_and_serve
    assert test == "scripts/test"
    lines = [line for line in (ROOT / ".ci/run").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ['cd "$(dirname "$0")/.." && exec scripts/test']


def test_a_fresh_clone_collects_every_test_with_nothing_beside_it(tmp_path: Path):
    clone = tmp_path / "unkg"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    assert [p.name for p in clone.parent.iterdir()] == ["unkg"]  # nothing beside the clone
    # ``python -m`` puts the clone first on sys.path, so its own modules are the ones collected.
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                             "-p", "no:cacheprovider"], cwd=clone, capture_output=True,
                            text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = output.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ tests collected in [\d.]+s", summary), summary
    assert not re.search(r"^ERROR|\berrors? in\b", output, re.MULTILINE), output
    assert "/shared/" not in output, output  # nothing reads a path outside the clone
    assert "tests/server/test_w3c_protocol.py::test_protocol[query_get]" in output
    assert "tests/server/test_browser.py::test_screenshots" in output
