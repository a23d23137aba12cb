"""The store, opened once per process, and the query pool that runs client queries.

Decision: the server opens the store **read-only**, in the web process and in every query
worker. Oxigraph (RocksDB) lets one process hold a store read-write, behind a lock on its
directory, and any number of processes open it read-only alongside; the query workers are
separate processes, so read-only is the only mode in which they can all see the store.

**Rebuilding while serving.** ``unkg build`` never writes into the version being served: it
writes a new version beside it and switches the data directory's pointer to it atomically once
the version is complete and conforms to the shapes (``graph.store``). Every process of the
server follows the pointer without a restart: a ``LiveStore`` looks at the pointer whenever a
request or a query starts (one ``stat``, ``VersionPointer``) and opens the new version when it
has changed.
A request is pinned to the version it started on (``get_store`` keeps it on ``flask.g``), and
a worker switches only between two queries, so a query in flight finishes on the old version,
the next one runs on the new, and no answer ever mixes the two. A process holds a lease on
every version it has open; the last one to let go of an old version removes it.

Tests hand ``create_app`` an in-memory ``pyoxigraph.Store`` instead of a path. Worker processes
cannot share its memory, so each worker loads an N-Quads snapshot of it taken when the pool
starts.

``get_store()`` returns the process's store rather than opening one per request (as Flask's
tutorial does for SQLite): an Oxigraph store is safe to share between threads and costly to
open.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar, cast

import pyoxigraph as ox
from flask import Flask, Response, current_app, g, request

from graph.remote import is_remote
from graph.store import POINTER, Lease, collect, current_version, open_current
from server.pool import QueryPool, pool_options

EXTENSION = "unkg"
RETRY_AFTER = 1.0  # seconds before trying again a new version that could not be opened
log = logging.getLogger("unkg.server")
T = TypeVar("T")


class StoreMissing(RuntimeError):
    """The configured store directory does not exist or holds no Oxigraph store."""


class FigureCache:
    """Figures derived from one store version, each computed once.

    The first caller of a name computes it; callers asking meanwhile wait for that computation
    rather than start their own (a store built before builds stored their statistics has the
    ``/stats`` figures counted here: half a minute at 1M triples, and a crowd of first visitors
    each computing them would hold every page slot and core). A computation that
    fails is forgotten, so the next caller tries again, and its waiters get the same error.
    """

    def __init__(self) -> None:
        self._futures: dict[str, Future[Any]] = {}
        self._lock = threading.Lock()

    def get(self, name: str, compute: Callable[[], T]) -> T:
        with self._lock:
            future = self._futures.get(name)
            mine = future is None
            if future is None:
                future = self._futures[name] = Future()
        if mine:
            try:
                future.set_result(compute())
            except BaseException as error:
                with self._lock:
                    del self._futures[name]
                future.set_exception(error)
                raise
        return cast(T, future.result())

    def clear(self) -> None:
        with self._lock:
            self._futures.clear()


class Version:
    """One version of the store opened read-only by this process, with its lease.

    ``users`` counts who holds it: the ``LiveStore`` while it is current, and each request
    pinned to it. When the count falls to zero the store is closed, the lease dropped and the
    versions nobody uses any more are removed (in the background).
    """

    def __init__(self, root: Path, version: str, store: ox.Store, lease: Lease | None) -> None:
        self.root, self.id, self.store, self._lease = root, version, store, lease
        self.figures = FigureCache()  # computed from this version, never another
        self.users = 1
        self._lock = threading.Lock()

    def hold(self) -> Version:
        with self._lock:
            self.users += 1
        return self

    def drop(self) -> None:
        with self._lock:
            self.users -= 1
            if self.users > 0:
                return
            self.store = cast(ox.Store, None)  # the last reference: pyoxigraph closes it
            self.figures.clear()
            lease, self._lease = self._lease, None
        if lease is not None:
            lease.release()
            _collect_later(self.root)


def _collect_later(root: Path) -> None:
    threading.Thread(target=_collect, args=(root,), name="unkg-store-collect", daemon=True).start()


def _collect(root: Path) -> None:
    try:
        removed = collect(root)
    except OSError as error:
        log.warning("could not remove old store versions: %s", error)
        return
    if removed:
        log.info("removed store versions no longer used: %s", ", ".join(removed))


class VersionPointer:
    """The version a store directory serves, read from its pointer file only when that file
    has changed.

    Reading the pointer (open, read, decode, check) took 15-30 µs of every request, about
    12% of the web process's CPU for an answer read from the cache; looking at it with
    ``stat`` takes 3-4 µs. A build never writes the pointer in place: ``graph.store.switch``
    renames a new file over it, so a switch gives the path another inode. This object keeps
    the file it read open, so that inode cannot be freed and reused by a later pointer file
    while it is remembered: the same (device, inode) is then the same file, and with the same
    size and modification time (in case someone rewrote it in place) the same content. The
    next request after a switch sees it, however close together two switches come (comparing
    times alone would miss two writes within one tick of the file system's clock).

    With no pointer file (a store written before versions existed, served as ``legacy``, or
    none yet) the answer last read stands until a pointer appears: only a build creates one.
    """

    def __init__(self, root: Path) -> None:
        self.root, self.path = root, root / POINTER
        self._lock = threading.Lock()
        self._fd: int | None = None  # the pointer file last read, kept open (its inode)
        self._seen: tuple[tuple[int, ...] | None, str | None] | None = None  # (its key, id)

    @staticmethod
    def _key(stat: os.stat_result) -> tuple[int, ...]:
        return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns

    def read(self) -> str | None:
        """What ``graph.store.current_version`` says now; raises its OSError."""
        seen = self._seen
        try:
            key: tuple[int, ...] | None = self._key(os.stat(self.path))
        except FileNotFoundError:
            key = None
        if seen is not None and seen[0] == key:
            return seen[1]
        with self._lock:
            return self._read()

    def _read(self) -> str | None:
        """Open the pointer, then read it: what is read is at least as new as the file held,
        so a switch between the two is seen again on the next look, never missed."""
        try:
            fd: int | None = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            fd = None
        try:
            version = current_version(self.root)
            key = None if fd is None else self._key(os.fstat(fd))
        except BaseException:
            if fd is not None:
                os.close(fd)
            raise
        self._release()
        self._fd, self._seen = fd, (key, version)
        return version

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        with self._lock:
            self._release()
            self._seen = None


class LiveStore:
    """The current version of an on-disk store, followed when a build switches it."""

    _pointer: VersionPointer | None = None  # none for a store that is not a directory

    def __init__(self, root: str | Path, *,
                 on_open: Callable[[Version], None] | None = None) -> None:
        """``on_open`` is called with each version this process opens (the first, then each
        switch): the web process computes the figures of a new version there."""
        self.root = Path(root)
        if not self.root.is_dir():
            raise StoreMissing(f"no store at {root}: build one with `unkg build` (or `unkg serve`)")
        self._lock = threading.Lock()
        self._failed: tuple[str, float] | None = None
        self._on_open = on_open
        self._pointer = VersionPointer(self.root)
        try:
            self._current = self._open()
        except OSError as error:
            raise StoreMissing(f"cannot open the store at {root}: {error}") from None
        if on_open is not None:
            on_open(self._current)
        # Versions whose last user died (a server killed after a switch) go now.
        _collect_later(self.root)

    def _open(self) -> Version:
        opened = open_current(self.root)
        if opened is None:
            raise OSError("no version has been built yet (run `unkg build`)")
        version, store, lease = opened
        return Version(self.root, version, store, lease)

    @property
    def version(self) -> str:
        return self._current.id

    def current(self) -> Version:
        """The current version, held for the caller (who must ``drop`` it)."""
        assert self._pointer is not None
        try:
            wanted = self._pointer.read()
        except OSError as error:
            log.error("cannot read the store's version pointer: %s", error)
            wanted = None
        with self._lock:
            if wanted is not None and wanted != self._current.id and not self._failing(wanted):
                try:
                    new = self._open()
                except OSError as error:  # keep serving the version that works
                    log.error("cannot open store version %s, still serving %s: %s",
                              wanted, self._current.id, error)
                    self._failed = (wanted, time.monotonic())
                else:
                    log.info("store version %s replaces %s", new.id, self._current.id)
                    old, self._current = self._current, new
                    old.drop()
                    if self._on_open is not None:
                        self._on_open(new)
            return self._current.hold()

    def _failing(self, wanted: str) -> bool:
        return (self._failed is not None and self._failed[0] == wanted
                and time.monotonic() - self._failed[1] < RETRY_AFTER)

    def close(self) -> None:
        with self._lock:
            self._current.drop()
        if self._pointer is not None:
            self._pointer.close()


class _WorkerStore:
    """What a query worker queries: the current version, checked before every query.

    A worker answers one query at a time, so it switches between two queries, never during
    one. Only ``query`` is used by ``server.worker``; other attributes are the current store's.
    """

    def __init__(self, root: str) -> None:
        self._live = LiveStore(root)

    def _store(self) -> ox.Store:
        version = self._live.current()
        version.drop()  # the LiveStore keeps it open; this thread is the only one switching
        return version.store

    def query(self, *args: Any, **kwargs: Any) -> Any:
        return self._store().query(*args, **kwargs)

    def __len__(self) -> int:
        return len(self._store())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store(), name)


@dataclass(frozen=True)
class StoreSource:
    """How a worker process gets its own handle on the data (picklable)."""

    path: str | None = None
    snapshot: bytes | None = None

    def open(self) -> ox.Store:
        if self.path is not None:
            # Duck-typed: the worker only queries it, and each query sees one whole version.
            return cast(ox.Store, _WorkerStore(self.path))
        store = ox.Store()
        store.load(self.snapshot or b"", format=ox.RdfFormat.N_QUADS)
        return store


@dataclass
class Resources:
    """What the app holds per process: the store (fixed, or followed on disk), how workers
    open it, and the lazy pool."""

    store: ox.Store | None
    source: StoreSource | None
    workers: int
    timeout: float
    live: LiveStore | None = None
    figures: FigureCache = field(default_factory=FigureCache)  # of a fixed store
    _pool: QueryPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    pool_options: dict[str, int] = field(default_factory=dict)  # queue, memory_mb

    def pool(self) -> QueryPool:
        """The query pool, started on first use so that pages alone never spawn workers."""
        with self._lock:
            if self._pool is None:
                assert self.source is not None or self.store is not None
                source = self.source or StoreSource(snapshot=self.store.dump(  # type: ignore[union-attr]
                    format=ox.RdfFormat.N_QUADS))
                self._pool = QueryPool(source.open, self.workers, self.timeout,
                                       **self.pool_options)
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
            if self.live is not None:
                self.live.close()
                self.live = None


def init_app(app: Flask) -> None:
    """Open the configured store (a path, a remote store's URL, or a Store object in tests)
    for this app."""
    configured = app.config["STORE"]
    workers, timeout = int(app.config["QUERY_WORKERS"]), float(app.config["QUERY_TIMEOUT"])
    if isinstance(configured, ox.Store):
        app.extensions[EXTENSION] = Resources(configured, None, workers, timeout)
    elif is_remote(configured):  # a SPARQL service: queries forwarded (server.remote)
        from server import remote
        app.extensions[EXTENSION] = remote.resources(configured, app.config)
        remote.init_app(app)
    else:
        app.extensions[EXTENSION] = Resources(None, StoreSource(path=str(configured)), workers,
                                              timeout, live=LiveStore(configured,
                                                                      on_open=compute_figures))
    app.extensions[EXTENSION].pool_options = pool_options(app.config)
    app.before_request(_pin_and_untag)
    app.after_request(_tag)
    app.teardown_appcontext(_unpin)


def resources() -> Resources:
    return current_app.extensions[EXTENSION]


def _pinned() -> Version | None:
    """The version this request reads, pinned on its first use (``None``: a fixed store)."""
    live = resources().live
    if live is None:
        return None
    version = g.get("unkg_version")
    if version is None:
        version = g.unkg_version = live.current()
    return version


def _pin_and_untag() -> None:
    """Pin the request to the current version before anything runs (so an entity tag never
    names a newer version than the data it tags), and take the version off the tags of
    ``If-None-Match``: the views compare their own tags, and a tag of another version then
    matches nothing, so a client revalidating after a switch gets the new data, not a 304."""
    version = store_version()
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if version is not None and header:
        request.environ["HTTP_IF_NONE_MATCH"] = header.replace(f"~{version}\"", "\"")


def _tag(response: Response) -> Response:
    """Entity tags carry the store version, as the views build theirs from the release alone."""
    version = g.get("unkg_version")
    tag, weak = response.get_etag()
    if version is not None and tag:
        response.set_etag(f"{tag}~{version.id}", weak=bool(weak))
    return response


def _unpin(_error: BaseException | None = None) -> None:
    version = g.pop("unkg_version", None)
    if version is not None:
        version.drop()


def get_store() -> ox.Store:
    """The store of the current request, for the server's own (bounded) page queries: the
    same version for the whole request, even if a build switches meanwhile."""
    version = _pinned()
    if version is not None:
        return version.store
    store = resources().store
    assert store is not None
    return store


def store_version() -> str | None:
    """The id of the version this request reads (``None`` for an in-memory store)."""
    version = _pinned()
    return version.id if version is not None else None


# Figures derived from the data, by name: filled by ``figure`` as the modules that draw them
# are imported, read when a version is opened.
FIGURES: dict[str, Callable[[ox.Store], Any]] = {}


def figure(name: str, compute: Callable[[ox.Store], T]) -> Callable[[], T]:
    """Register ``compute(store)`` as a figure of the data (``/stats``, the ontology's usage
    counts); the function returned gives its value for the version the current request reads.

    Computed once per store version, never mixed with another: the web process starts
    computing every registered figure as soon as it opens a version (``compute_figures``), and
    a request asking before that is done waits for the same computation."""
    FIGURES[name] = compute

    def current() -> T:
        version = _pinned()
        if version is not None:
            pinned = version
            return pinned.figures.get(name, lambda: compute(pinned.store))
        fixed = resources()
        assert fixed.store is not None
        return fixed.figures.get(name, lambda: compute(cast(ox.Store, fixed.store)))
    return current


def compute_figures(version: Version) -> None:
    """Compute every registered figure of ``version`` in the background, so the first visitor
    of ``/stats`` after a start or a switch rarely waits. A version a build made holds its
    statistics (``graph/statistics.py``): the figures are then read and labelled, in seconds;
    a store without them has them counted here (minutes at 10M triples). Stops early once the
    version is retired and nobody reads it any more."""
    version.hold()

    def run() -> None:
        try:
            for name, compute in list(FIGURES.items()):
                if version.users <= 1:  # only this thread holds it: a newer one is served
                    return
                started = time.monotonic()
                try:
                    version.figures.get(name, lambda: compute(version.store))
                except (OSError, RuntimeError, ValueError, SyntaxError) as error:
                    log.warning("store version %s: cannot compute %s: %s", version.id, name,
                                error)
                else:
                    log.info("store version %s: %s ready after %.1f s", version.id, name,
                             time.monotonic() - started)
        finally:
            version.drop()
    threading.Thread(target=run, name="unkg-figures", daemon=True).start()


def get_pool() -> QueryPool:
    """The worker pool that runs client queries under the timeout."""
    return resources().pool()
