"""The ``/sparql`` blueprint: the SPARQL 1.1 Protocol endpoint and its service description.

The view only wires steps together: read the request (``protocol``), check it before it runs,
choose the format (``negotiation``), answer revalidations from the entity tag, take the answer
from the answer cache (``answers``) or run the job in the worker pool, and send the bytes with
the caching and row-cap headers (``X-Cache: hit`` when no worker ran it).
"""

from __future__ import annotations

from functools import cache, lru_cache

from flask import Blueprint, Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.sansio.utils import get_current_url

from server import protocol
from server.answers import get_cache
from server.description import Limits, service_description
from server.negotiation import GRAPH_FORMATS, HTML, RESULT_FORMATS, choose, write_graph
from server.store import get_pool, get_store, store_version
from server.vocab import prefixes

bp = Blueprint("sparql", __name__, url_prefix="/sparql")


@cache
def _job_prefixes() -> tuple[tuple[str, str], ...]:
    """The predeclared prefixes as a job carries them: the same for every query, made once."""
    return tuple(sorted(prefixes().items()))


# The endpoint's own URL, the base of a query's relative IRIs, for the few (scheme, host, path)
# it is reached by: werkzeug makes it as an IRI from the parts, which costs a tiny query's time.
_endpoint_url = lru_cache(maxsize=64)(get_current_url)


def _cached(response: Response, tag: str) -> Response:
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['CACHE_MAX_AGE']}"
    response.vary.add("Accept")
    return response


def _description() -> ResponseReturnValue:
    config = current_app.config
    fmt = choose(GRAPH_FORMATS + (HTML,), request.headers.get("Accept"), request.args.get("format"))
    if fmt is HTML:
        return redirect(url_for("home.index"), 303)
    graphs = [g.value for g in get_store().named_graphs() if hasattr(g, "value")]
    triples = service_description(
        request.base_url, RESULT_FORMATS + GRAPH_FORMATS, graphs,
        Limits(config["QUERY_TIMEOUT"], config["ROW_LIMIT"], config["ALLOW_SERVICE"]),
        config["VERSION"])
    response = Response(write_graph(triples, fmt, prefixes()), content_type=fmt.content_type)
    return _cached(response, f"{config['VERSION']}-sd-{fmt.name}")


@bp.route("", methods=["GET", "POST"], strict_slashes=False)
def endpoint() -> ResponseReturnValue:
    """Answer a query (GET ?query=, POST form, POST application/sparql-query)."""
    config = current_app.config
    query = protocol.read_request(request)
    if query is None:
        return _description()
    found = protocol.plan(query.query, allow_service=config["ALLOW_SERVICE"])
    fmt = choose(GRAPH_FORMATS if found.returns_graph else RESULT_FORMATS,
                 request.headers.get("Accept"), request.values.get("format"))
    base = _endpoint_url(request.scheme, request.host, request.root_path, request.path)
    job = protocol.make_job(query, found, fmt, base_iri=base, row_limit=config["ROW_LIMIT"],
                            prefixes=_job_prefixes())
    tag = protocol.cache_key(job, config["VERSION"])
    if request.if_none_match.contains_weak(tag):
        return _cached(Response(status=304), tag)
    cache = get_cache()
    answer, hit = cache.answer(store_version(), job, lambda: get_pool().run(job))
    response = Response(answer.body, content_type=fmt.content_type)
    if cache.enabled:
        response.headers["X-Cache"] = "hit" if hit else "miss"
    response.headers["X-Result-Rows"] = str(answer.rows)
    response.headers["X-Result-Limit"] = str(config["ROW_LIMIT"])
    if answer.truncated:
        response.headers["X-Result-Truncated"] = "true"
    return _cached(response, tag)
