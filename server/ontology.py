"""``/ontology``: the ontology namespace dereferences to its documentation (HTML) or to the
ontology itself (Turtle, JSON-LD, N-Triples, RDF/XML by ``Accept``)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from server.negotiation import HTML, RESOURCE_FORMATS, choose
from server.store import get_store
from server.vocabulary import load_ontology, serialize, terms, usage

bp = Blueprint("ontology", __name__)


def _usage():
    """Counted once per process: the served store is read-only, so the counts cannot change."""
    cache = current_app.extensions.setdefault("unkg.usage", {})
    if "usage" not in cache:
        cache["usage"] = usage(get_store())
    return cache["usage"]


@bp.route("/ontology")
def index() -> Response | str:
    fmt = choose(RESOURCE_FORMATS, request.headers.get("Accept"), request.args.get("format"))
    graph = load_ontology(current_app.config["ONTOLOGY"])
    if fmt is not HTML:
        response = Response(serialize(graph, fmt.name), content_type=fmt.content_type)
        response.vary.add("Accept")
        return response
    return render_template("ontology.html", terms=terms(graph, _usage()),
                           empty=len(graph) == 0)
