"""``/health``: is the store reachable, how big is it, which release and which version of the
store (``graph.store``; null for an in-memory store) are served."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from server import answers
from server.store import get_store, resources, store_version

bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> tuple[Response, int]:
    """200 with the quad count when the store answers, 503 when it does not."""
    try:
        quads = len(get_store())
    except OSError as error:
        return jsonify(status="unavailable", store=str(error),
                       version=current_app.config["VERSION"]), 503
    pool = resources().started_pool()
    workers = {"processes": pool.pids(), "idle": pool.idle()} if pool else None
    return jsonify(status="ok", store="reachable", triples=quads,
                   version=current_app.config["VERSION"], store_version=store_version(),
                   workers=workers, answer_cache=answers.report(),
                   query_timeout=current_app.config["QUERY_TIMEOUT"],
                   row_limit=current_app.config["ROW_LIMIT"]), 200
