"""The folders of graph/ are the pipeline's steps, and imports go one way: a step imports only
the steps before it and the pieces every step shares."""

import ast
from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parents[1] / "graph"
SHARED = {"graph.document", "graph.iris", "graph.namespaces", "graph.data"}
# What each step may import besides itself and the shared pieces.
ALLOWED = {
    "readers": set(),
    "citations": {"graph.readers"},
    "entities": {"graph.readers", "graph.citations"},
    "rdf": {"graph.readers", "graph.citations", "graph.entities"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("graph"):
            names.add(node.module)
            if node.module == "graph":
                names.update(f"graph.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("graph"))
    return names - {"graph"}


@pytest.mark.parametrize("step", sorted(ALLOWED))
def test_a_step_imports_only_the_steps_before_it(step):
    allowed = ALLOWED[step] | SHARED | {f"graph.{step}"}
    for path in sorted((GRAPH / step).rglob("*.py")):
        for name in _imports(path):
            assert any(name == a or name.startswith(a + ".") for a in allowed), (
                f"{path.relative_to(GRAPH.parent)} imports {name}")
