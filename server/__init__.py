"""The unkg web server: SPARQL endpoint, linked-data pages, query page, downloads.

``create_app`` follows Flask's application-factory pattern: defaults, then ``UNKG_*``
environment variables (or a test config), then the store, the blueprints and the error
handlers. Nothing reads configuration at import time.
"""

from __future__ import annotations

import logging
import os
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from graph.namespaces import BASE

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "STORE": "data/store",        # directory of the Oxigraph store (opened read-only)
    "QUERY_TIMEOUT": 30.0,        # seconds a query may run before its worker is killed
    "QUERY_WORKERS": 4,           # worker processes running client queries (and one spare)
    "QUERY_QUEUE": 48,            # queries that may wait for a busy worker (503 past it)
    "WORKER_MEMORY": 1024,        # MB a query may add to its worker (RLIMIT_AS); 0: no cap
    "PAGE_SLOTS": 2,              # pages made at once (server/admission.py)
    "PAGE_QUEUE": 48,             # pages that may wait for a slot (503 past it)
    "PAGE_WAIT": 30.0,            # seconds a page may wait for a slot (then 503)
    "ROW_LIMIT": 10_000,          # rows (or triples) a query may return
    "MAX_BODY": 1_000_000,        # bytes of request body (413 above)
    "ALLOW_SERVICE": False,       # SERVICE would make the server send requests on demand
    "BASE": str(BASE),            # instance IRIs: <BASE><path> is served at /<path>
    "VERSION": None,              # release version for ETags; default: newest release or package
    "CACHE_MAX_AGE": 300,         # seconds clients and proxies may reuse a response
    "ANSWER_CACHE_MB": 64,        # answers kept in the web process (server/answers.py); 0: none
    "DIST": "dist",               # where releases (dist/unkg-VERSION/) are found
    "ONTOLOGY": str(REPO_ROOT / "ontology"),  # directory of the ontology's *.ttl files
}


def config_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """``UNKG_<NAME>`` for every default, converted to the default's type."""
    found: dict[str, Any] = {}
    for name, default in DEFAULTS.items():
        raw = environ.get(f"UNKG_{name}")
        if raw is None:
            continue
        if isinstance(default, bool):
            found[name] = raw.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, (int, float)):
            found[name] = type(default)(raw)
        else:
            found[name] = raw
    return found


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` replaces the environment: tests pass ``STORE`` as an
    in-memory ``pyoxigraph.Store``, ``unkg serve`` the environment merged with its flags."""
    from server import (admission, downloads, errors, health, home, hooks, ontology,
                        resources, sparql, stats, store)
    from server.downloads import latest_release

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(config_from_env(os.environ) if test_config is None else test_config)
    if not app.config["BASE"].endswith(("/", "#")):
        app.config["BASE"] += "/"
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY"])
    app.config["VERSION"] = (app.config["VERSION"] or latest_release(app.config["DIST"])
                             or package_version("unkg"))
    logging.getLogger("unkg.server").setLevel(logging.INFO)

    store.init_app(app)
    hooks.init_app(app)
    admission.init_app(app)
    errors.register(app)
    for module in (sparql, home, ontology, downloads, health, stats, resources):
        app.register_blueprint(module.bp)
    return app
