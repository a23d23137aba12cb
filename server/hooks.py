"""Per-request hooks: the request log line, and CORS headers for browser clients."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger("unkg.server")
EXPOSED = "ETag, Content-Location, X-Result-Rows, X-Result-Limit, X-Result-Truncated"


def _start() -> None:
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    """Any origin may read the endpoint and the data: they are public and read-only."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log.info("%s %s %s %.1f ms %s", request.method, request.full_path.rstrip("?"),
             response.status_code, elapsed, response.content_length or "-")
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
