"""``/``: the query page, with the competency questions of DESIGN.md §1 as ready examples.

The examples are files (``server/queries/*.rq``), so they can be run and reviewed as queries;
the first comment line of each is its title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, current_app, render_template

from server.negotiation import GRAPH_FORMATS, RESULT_FORMATS
from server.vocab import prefixes

bp = Blueprint("home", __name__)
QUERIES = Path(__file__).parent / "queries"


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    query: str


def examples(directory: Path = QUERIES) -> list[Example]:
    """The example queries, in file-name order, titled by their first ``#`` line."""
    found = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        found.append(Example(path.stem, title, text))
    return found


@bp.route("/")
def index() -> str:
    return render_template("index.html", examples=examples(), prefixes=prefixes(),
                           result_formats=RESULT_FORMATS, graph_formats=GRAPH_FORMATS,
                           limits=current_app.config)
