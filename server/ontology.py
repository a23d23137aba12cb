"""``/ontology``: the ontology namespace dereferences to its documentation (HTML) or to the
ontology itself (Turtle, JSON-LD, N-Triples, RDF/XML by ``Accept``)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from server.negotiation import HTML, RESOURCE_FORMATS, choose
from server.store import figure
from server.vocabulary import load_ontology, serialize, terms, usage

bp = Blueprint("ontology", __name__)

# Counted once per store version: a served version is read-only, so they cannot change.
_usage = figure("usage", usage)


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
