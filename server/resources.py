"""Linked data: every IRI under the instance base dereferences here, plus lookup and search.

``<BASE><path>`` is served at ``/<path>``. The representation follows ``Accept`` (HTML for
browsers, Turtle / JSON-LD / N-Triples / RDF/XML for clients) and is served directly, not by a
303 redirect: the IRIs name documents and parts of documents, which are information resources,
so the IRI itself may answer (as legislation.gov.uk does). Each format also has its own URL,
``/<path>.ttl`` etc., given in ``Content-Location`` so a client can cite exactly what it got.
"""

from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, redirect, render_template,
                   request)
from flask.typing import ResponseReturnValue
import pyoxigraph as ox

from graph import iris
from server import pages
from server.negotiation import HTML, RESOURCE_FORMATS, Format, choose, write_graph
from server.answers import get_cache
from server.store import get_store, store_version
from server.svg import neighbourhood
from server.vocab import prefixes

bp = Blueprint("resources", __name__)
BY_EXTENSION = {f.extension: f for f in RESOURCE_FORMATS}


@bp.app_template_filter("local")
def local(iri: str) -> str:
    """The link to an IRI: on this server when it is under the base, else the IRI itself."""
    base = current_app.config["BASE"]
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def iri_of(path: str) -> str | None:
    """The IRI a request path names, or None when no IRI can (the path is not Unicode).

    The path arrives percent-decoded (WSGI's ``PATH_INFO``), so it is encoded again as the
    build encodes every IRI (``graph.iris.encode_path``): ``/doc/GC(65)/RES/14`` and
    ``/doc/GC%2865%29/RES/14`` both name ``<…/doc/GC%2865%29/RES/14>``, and characters an IRI
    cannot hold (``<``, a space, a NUL byte, the U+FFFD that stands for invalid UTF-8) are
    percent-encoded rather than handed to the store."""
    try:
        iri = current_app.config["BASE"] + iris.encode_path(path)
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


def _locate(path: str) -> tuple[str, Format | None]:
    """The IRI a request path names, and the format its extension asks for (if any)."""
    store = get_store()
    iri = iri_of(path)
    if iri is None:
        abort(404, "no IRI can name this path (it is not valid text)")
    stem, dot, extension = path.rpartition(".")
    if dot and extension in BY_EXTENSION and not pages.exists(store, iri):
        stem_iri = iri_of(stem)
        if stem_iri is not None and pages.exists(store, stem_iri):
            return stem_iri, BY_EXTENSION[extension]
    if not pages.exists(store, iri):
        abort(404, f"nothing in the graph is called <{_shortened(iri)}>")
    return iri, None


def _shortened(text: str, size: int = 200) -> str:
    """What an error message repeats of a request: enough to recognise it, not 10 kB."""
    return text if len(text) <= size else text[:size - 1] + "…"


def _page(iri: str) -> str:
    page = pages.resource_page(get_store(), iri)
    citing = list({c.document.iri: c.document for c in page.cited_by}.values())
    cited = list({c.other.iri: c.other for c in page.cites if c.other}.values())
    picture = neighbourhood(pages.Link(iri, page.label), citing, cited, local)
    return render_template("resource.html", page=page, picture=picture,
                           formats=RESOURCE_FORMATS[1:])


def _representation(iri: str, fmt: Format) -> str | bytes:
    """The page or the RDF description of ``iri``: what the answer cache keeps per version."""
    if fmt is HTML:
        return _page(iri)
    return write_graph(pages.describe(get_store(), iri), fmt, prefixes())


@bp.route("/<path:path>")
def resource(path: str) -> ResponseReturnValue:
    iri, fixed = _locate(path)
    fmt = fixed or choose(RESOURCE_FORMATS, request.headers.get("Accept"),
                          request.args.get("format"))
    # Entity tags are scoped to a URL, so the release and the format identify a representation.
    tag = f"{current_app.config['VERSION']}-{fmt.name}"
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        body, hit = get_cache().answer(store_version(), ("resource", iri, fmt.name),
                                       lambda: _representation(iri, fmt))
        response = Response(body, content_type=fmt.content_type)
        if get_cache().enabled:
            response.headers["X-Cache"] = "hit" if hit else "miss"
    response.set_etag(tag, weak=True)
    response.headers["Content-Location"] = f"{local(iri)}.{fmt.extension}"
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['CACHE_MAX_AGE']}"
    response.vary.add("Accept")
    return response


@bp.route("/lookup")
def lookup() -> ResponseReturnValue:
    """``/lookup?symbol=A/RES/70/174`` -> 303 to the resource with that symbol."""
    symbol = request.args.get("symbol", "").strip()
    if not symbol:
        abort(400, "give a UN symbol: /lookup?symbol=A/RES/70/174")
    iri = pages.by_symbol(get_store(), symbol)
    if iri is None:
        abort(404, f"no document with the symbol {symbol}")
    return redirect(local(iri), 303)


@bp.route("/search")
def search() -> ResponseReturnValue:
    """A symbol goes straight to its resource; other text lists matching resources."""
    text = request.args.get("q", "").strip()
    store = get_store()
    exact = pages.by_symbol(store, text) if text else None
    if exact:
        return redirect(local(exact), 303)
    return render_template("search.html", text=text,
                           results=pages.search(store, text) if text else [])
