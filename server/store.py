"""The store, opened once per process, and the query pool that runs client queries.

Decision: the server opens the store **read-only**, in the web process and in every query
worker. Oxigraph (RocksDB) lets one process hold a store read-write, behind a lock on its
directory, and any number of processes open it read-only alongside; the query workers are
separate processes, so read-only is the only mode in which they can all see the store. The
server never writes: ``unkg serve`` builds an empty store first, closes it, then serves.
Rebuilding while a server runs is not supported (Oxigraph calls reading during another
process's writes undefined); rebuild, then restart the server.

Tests hand ``create_app`` an in-memory ``pyoxigraph.Store`` instead of a path. Worker processes
cannot share its memory, so each worker loads an N-Quads snapshot of it taken when the pool
starts.

``get_store()`` returns the process's store rather than opening one per request on ``g`` (as
Flask's tutorial does for SQLite): an Oxigraph store is safe to share between threads and costly
to open.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from server.pool import QueryPool

EXTENSION = "unkg"


@dataclass(frozen=True)
class StoreSource:
    """How a worker process gets its own handle on the data (picklable)."""

    path: str | None = None
    snapshot: bytes | None = None

    def open(self) -> ox.Store:
        if self.path is not None:
            return ox.Store.read_only(self.path)
        store = ox.Store()
        store.load(self.snapshot or b"", format=ox.RdfFormat.N_QUADS)
        return store


@dataclass
class Resources:
    """What the app holds per process: the store, how to reopen it, and the lazy pool."""

    store: ox.Store
    source: StoreSource | None
    workers: int
    timeout: float
    _pool: QueryPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pool(self) -> QueryPool:
        """The query pool, started on first use so that pages alone never spawn workers."""
        with self._lock:
            if self._pool is None:
                source = self.source or StoreSource(snapshot=self.store.dump(
                    format=ox.RdfFormat.N_QUADS))
                self._pool = QueryPool(source.open, self.workers, self.timeout)
                atexit.register(self._pool.close)
            return self._pool

    def started_pool(self) -> QueryPool | None:
        """The pool if a query has started it (health reports do not start it)."""
        return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


class StoreMissing(RuntimeError):
    """The configured store directory does not exist or holds no Oxigraph store."""


def open_read_only(path: str | Path) -> ox.Store:
    """The store at ``path``, read-only; StoreMissing with the reason when it cannot be."""
    if not Path(path).is_dir():
        raise StoreMissing(f"no store at {path}: build one with `unkg build` (or `unkg serve`)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise StoreMissing(f"cannot open the store at {path}: {error}") from None


def init_app(app: Flask) -> None:
    """Open the configured store (a path, or a Store object in tests) for this app."""
    configured = app.config["STORE"]
    if isinstance(configured, ox.Store):
        store, source = configured, None
    else:
        store, source = open_read_only(configured), StoreSource(path=str(configured))
    app.extensions[EXTENSION] = Resources(store, source, int(app.config["QUERY_WORKERS"]),
                                          float(app.config["QUERY_TIMEOUT"]))


def resources() -> Resources:
    return current_app.extensions[EXTENSION]


def get_store() -> ox.Store:
    """The store of the current app, for the server's own (bounded) page queries."""
    return resources().store


def get_pool() -> QueryPool:
    """The worker pool that runs client queries under the timeout."""
    return resources().pool()
