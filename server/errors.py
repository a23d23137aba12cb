"""Errors the server raises, and the handlers that answer them (registered by the factory).

Views raise; nothing here is caught inside a view. Every error is answered in the form the
client asked for: an HTML page for a browser, plain text otherwise (SPARQL clients show the
body of an error response to their user, so it carries the whole message, e.g. the parser's
position). Statuses follow the SPARQL 1.1 Protocol: 400 for a malformed query, 4xx for what this
read-only endpoint refuses; a timeout is 503, because the server chose to stop the query.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotAcceptable

from server.negotiation import HTML, Format, by_accept

log = logging.getLogger("unkg.server")
PLAIN = Format("text", "text/plain", "txt")


class SparqlError(Exception):
    """A query the endpoint did not answer, with the HTTP status that says why."""

    status = 400
    title = "Bad Request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def headers(self) -> dict[str, str]:
        return {}


class QueryFailed(SparqlError):
    """The engine rejected the query (syntax) or failed while running it (server)."""

    def __init__(self, message: str, *, syntax: bool) -> None:
        super().__init__(f"malformed query: {message}" if syntax else message)
        if not syntax:
            self.status, self.title = 500, "Query Failed"


class QueryRefused(SparqlError):
    """A well-formed request this endpoint will not carry out (update, SERVICE)."""

    status = 403
    title = "Forbidden"


class QueryTimeout(SparqlError):
    """The query ran longer than the configured limit and was stopped."""

    status = 503
    title = "Query Timeout"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query was stopped after the time limit of {seconds:g} s; "
                         "narrow it down (a LIMIT, fewer unbound patterns) or run it on a "
                         "downloaded release")


class ServerBusy(SparqlError):
    """Every query worker stayed busy for as long as a query may run."""

    status = 503
    title = "Service Busy"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"all query workers were busy for {seconds:g} s; try again shortly")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}


def _wants_html() -> bool:
    try:
        return by_accept(request.headers.get("Accept"), (PLAIN, HTML)) is HTML and bool(
            request.headers.get("Accept"))
    except NotAcceptable:
        return False


def error_response(status: int, title: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    """An error in HTML for browsers, in plain text for everything else; never cached."""
    if _wants_html():
        response = Response(render_template("error.html", status=status, title=title,
                                            message=message), status, mimetype="text/html")
    else:
        response = Response(f"{status} {title}: {message}\n", status, mimetype="text/plain")
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def _sparql_error(error: SparqlError) -> Response:
    if error.status >= 500:
        log.warning("query failed with %s: %s", error.status, error.message)
    return error_response(error.status, error.title, error.message, error.headers())


def _http_error(error: HTTPException) -> Response:
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    return error_response(error.code or 500, error.name, error.description or "", headers)


def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    failure = InternalServerError()
    return error_response(500, failure.name, failure.description or "")


def register(app: Flask) -> None:
    """Answer every error raised by a view (or by routing) through ``error_response``."""
    app.register_error_handler(SparqlError, _sparql_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
