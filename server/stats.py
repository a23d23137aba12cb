"""``/stats``: the citation network at a glance, as charts drawn on the server.

The figures are counted once per store version by the build that made it
(``graph/statistics.py``, a named graph of the version), read and labelled by
``server/figures.py`` in the background as soon as the server opens the version (counted there
for a store built before builds stored them), and drawn by ``server/charts.py``.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from server import charts
from server.figures import figures
from server.resources import local
from server.store import figure

bp = Blueprint("stats", __name__)
KIND_TITLES = {"resolution": "Resolutions and decisions", "treaty": "Treaties",
               "document": "Documents"}

# Read once per store version, as soon as the server opens it (server/store.py).
_figures = figure("figures", figures)


@bp.route("/stats")
def index() -> str:
    found = _figures()
    most_cited = [(KIND_TITLES[kind], charts.bars(counts, f"Most-cited {kind}s", local))
                  for kind, counts in found.most_cited.items() if counts]
    return render_template(
        "stats.html", figures=found, most_cited=most_cited,
        by_year=charts.columns(found.by_year, "Citations by year of the cited document"),
        by_body=charts.bars(found.by_body, "Citations by body", local, label_width=140),
        by_verb=charts.bars(found.by_verb, "Citations by citing verb", local, label_width=230),
        lineages=[(series, charts.timeline(series, local)) for series in found.series])
