"""Fixtures: the app from the factory over a small in-memory graph, its client, a live server.

The graph (``fixtures/graph.trig``) is hand-made in the shapes ``graph/rdf/documents.py`` writes, so the
pages and the example queries meet the same vocabulary as on the real corpus.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from waitress.server import create_server

from graph.build import build_corpus
from server import create_app

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
ROW_LIMIT = 20


def load_fixture_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURES / "graph.trig"), format=ox.RdfFormat.TRIG)
    return store


def make_app(store: ox.Store, tmp: Path, **overrides) -> Flask:
    """An app over ``store``; its answer cache is off unless a test turns it on
    (``ANSWER_CACHE_MB``): the pool's tests send one query several times, each to a worker."""
    config = {"TESTING": True, "STORE": store, "QUERY_TIMEOUT": 20.0, "QUERY_WORKERS": 2,
              "ROW_LIMIT": ROW_LIMIT, "ONTOLOGY": str(FIXTURES / "ontology"),
              "DIST": str(tmp / "dist"), "VERSION": "test-1", "CACHE_MAX_AGE": 60,
              "ANSWER_CACHE_MB": 0}
    return create_app({**config, **overrides})


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = make_app(load_fixture_store(), tmp_path_factory.mktemp("server"))
    yield application
    application.extensions["unkg"].close()


@pytest.fixture()
def app_factory(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Apps with their own configuration (``app_factory(QUERY_TIMEOUT=1)``), closed after."""
    made: list[Flask] = []

    def factory(**overrides) -> Flask:
        made.append(make_app(load_fixture_store(), tmp_path, **overrides))
        return made[-1]
    yield factory
    for application in made:
        application.extensions["unkg"].close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def corpus_store() -> ox.Store:
    """The real corpus, built once into memory: pages and charts against the corpus numbers."""
    store = ox.Store()
    summary = build_corpus(CORPUS, store)
    assert summary.errors == []
    return store


@pytest.fixture(scope="session")
def corpus_app(corpus_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = make_app(corpus_store, tmp_path_factory.mktemp("corpus-server"),
                           ROW_LIMIT=10_000, ONTOLOGY=str(FIXTURES.parents[2] / "ontology"))
    yield application
    application.extensions["unkg"].close()


@dataclass
class Reply:
    """What a live server answered."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


def http(method: str, url: str, *, params: dict | None = None, form: dict | None = None,
         headers: dict | None = None) -> Reply:
    """One HTTP request with the standard library (errors are answers, not exceptions)."""
    if params:
        url += "?" + urlencode(params)
    data = urlencode(form).encode() if form is not None else None
    request = Request(url, data=data, method=method, headers=headers or {})
    try:
        with urlopen(request, timeout=60) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


@pytest.fixture(scope="session")
def fetch() -> Callable[..., Reply]:
    return http


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


@pytest.fixture(scope="session")
def corpus_live(corpus_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(corpus_app) as server:
        yield server


@pytest.fixture()
def serve() -> Iterator[Callable[[Flask], LiveServer]]:
    """Start a live server for any app; stopped after the test."""
    started: list[LiveServer] = []

    def start(application: Flask) -> LiveServer:
        started.append(LiveServer(application).__enter__())
        return started[-1]
    yield start
    for server in started:
        server.__exit__()
