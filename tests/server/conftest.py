"""Fixtures: the app from the factory over a small in-memory graph, its client, a live server.

The graph (``fixtures/graph.trig``) is hand-made in the shapes ``graph/rdf.py`` writes, so the
pages and the example queries meet the same vocabulary as on the real corpus.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from waitress.server import create_server

from server import create_app

FIXTURES = Path(__file__).parent / "fixtures"
ROW_LIMIT = 20


def load_fixture_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURES / "graph.trig"), format=ox.RdfFormat.TRIG)
    return store


def make_app(store: ox.Store, tmp: Path, **overrides) -> Flask:
    config = {"TESTING": True, "STORE": store, "QUERY_TIMEOUT": 20.0, "QUERY_WORKERS": 2,
              "ROW_LIMIT": ROW_LIMIT, "ONTOLOGY": str(FIXTURES / "ontology"),
              "DIST": str(tmp / "dist"), "VERSION": "test-1", "CACHE_MAX_AGE": 60}
    return create_app({**config, **overrides})


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = make_app(load_fixture_store(), tmp_path_factory.mktemp("server"))
    yield application
    application.extensions["unkg"].close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class LiveServer:
    """A waitress server for ``app`` on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app: Flask, threads: int = 4) -> None:
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()


@pytest.fixture(scope="session")
def live(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server
