"""The only module that touches the embedded Oxigraph store.

The store lives on disk under a data directory (default ``data/store``, or ``UNKG_STORE``), or
in memory for tests. rdflib code sees it through oxrdflib's ``Dataset(store="Oxigraph")``;
queries and bulk loads go straight to pyoxigraph, which is an order of magnitude faster and
releases the GIL while it works.

**Versions.** A build never writes into the store a server is reading: it writes a new version
beside it and switches to it in one step, so a server keeps answering while the data is rebuilt
(README, "Reliability"). The data directory holds::

    data/store/current-version     the id of the served version (replaced atomically)
    data/store/versions/<id>/      one Oxigraph store per version
    data/store/versions/<id>.lease locked (shared) by every process that has <id> open
    data/store/versions/.build.lock  held by the one build running

``NewVersion`` starts from a copy of the current version (a RocksDB checkpoint: hard links,
so it costs almost nothing), takes the build's writes, and ``commit`` writes the new id to a
temporary file and renames it over ``current-version`` (``os.replace``, atomic): a reader sees
the old id or the new one, never a half-written store. A process killed at any moment leaves
the old version current and at worst an unfinished version directory, which the next build (or
any process that lets go of a version) removes: ``collect`` deletes every version that is not
current and whose lease nobody holds. Leases are ``flock`` locks, which the kernel drops when a
process dies, even by SIGKILL, so a killed process never pins a version.

The pointer file is not called ``current`` because an Oxigraph directory holds RocksDB's own
``CURRENT`` file: a store written before versions existed (the data directory is itself an
Oxigraph store) is served as the version ``legacy`` until the first versioned build replaces
it, after which its RocksDB files are removed like any unused version.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import cast
import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef

from graph.namespaces import bind_prefixes
# graph_nquads: a file's graph as the N-Quads the build loads (one way of writing them).
from graph.rdf.tripleset import graph_nquads, ox_term  # noqa: F401

DEFAULT_STORE = Path("data/store")
POINTER = "current-version"
VERSIONS = "versions"
LEGACY = "legacy"
BUILD_LOCK = ".build.lock"
LEASE = ".lease"
_VERSION_ID = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-z-]+$")
# The files of a RocksDB directory, for removing a legacy store from the data directory.
_ROCKSDB_FILE = re.compile(r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\.[0-9]+)?|MANIFEST-[0-9]+|"
                           r"OPTIONS-[0-9]+(\.dbtmp)?|[0-9]+\.(sst|log|blob|ldb|dbtmp))$")
log = logging.getLogger("unkg.store")


def store_path(path: str | Path | None = None) -> Path:
    """Where the store lives: the argument, else ``UNKG_STORE``, else ``data/store``."""
    return Path(path or os.environ.get("UNKG_STORE") or DEFAULT_STORE)


def open_store(path: str | Path | None = None, *, memory: bool = False,
               read_only: bool = False) -> ox.Store:
    """Open the current version of the store (``memory=True`` for a throwaway one).

    Read-only, the version is leased for the rest of the process, so no build removes it under
    a reader. Read-write, a data directory with no version yet becomes a plain Oxigraph store
    (served as ``legacy``); builds use ``NewVersion`` instead, which never writes into the
    version being served.
    """
    if memory:
        return ox.Store()
    root = store_path(path)
    if read_only:
        opened = open_current(root)
        if opened is None:
            return ox.Store.read_only(str(root))  # raises the OSError the callers report
        version, store, lease = opened
        if _HELD.setdefault((str(root.resolve()), version), lease) is not lease:
            lease.release()  # this process holds that version already
        return store
    current = current_version(root)
    location = version_dir(root, current) if current else root
    location.mkdir(parents=True, exist_ok=True)
    return ox.Store(str(location))


# Leases of the versions open_store(read_only=True) handed out, held until the process ends.
_HELD: dict[tuple[str, str], "Lease"] = {}


# ---------------------------------------------------------------------------------------------
# Versions


def current_version(root: str | Path) -> str | None:
    """The id of the version ``root`` serves: the pointer's, ``legacy`` for a plain Oxigraph
    directory, ``None`` when there is none yet."""
    root = Path(root)
    try:
        text = (root / POINTER).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return LEGACY if (root / "CURRENT").is_file() else None
    except (UnicodeDecodeError, NotADirectoryError) as error:
        raise OSError(f"{root / POINTER}: not a store version pointer ({error})") from None
    if not _VERSION_ID.match(text):
        raise OSError(f"{root / POINTER}: not a store version ({text[:40]!r})")
    return text


def version_dir(root: str | Path, version: str) -> Path:
    """The Oxigraph directory of ``version``."""
    return Path(root) if version == LEGACY else Path(root) / VERSIONS / version


def versions(root: str | Path) -> list[str]:
    """Every version present under ``root`` (complete or not), oldest first."""
    root = Path(root)
    found = {LEGACY} if (root / "CURRENT").is_file() else set()
    directory = root / VERSIONS
    if directory.is_dir():
        found |= {p.name for p in directory.iterdir() if p.is_dir() and _VERSION_ID.match(p.name)}
    return sorted(found, key=lambda v: "" if v == LEGACY else v)


def _new_version_id() -> str:
    """UTC time to the microsecond (so ids sort by age), process id, random: unique."""
    now = time.time()
    return (f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now))}-{int(now % 1 * 1e6):06d}-"
            f"{os.getpid()}-{secrets.token_hex(3)}")


class Lease:
    """A ``flock`` on ``versions/<id>.lease``: shared while a process has the version open,
    exclusive while ``collect`` removes it. The kernel releases it when the process dies.

    ``fd`` is ``None`` where no lease file can be written (a read-only file system): nothing
    can build there either, so nothing needs protecting.
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    @classmethod
    def take(cls, root: str | Path, version: str, *, exclusive: bool = False,
             wait: bool = True) -> Lease | None:
        """The lease of ``version``; ``None`` when ``wait`` is false and another process holds
        a conflicting one."""
        path = Path(root) / VERSIONS / f"{version}{LEASE}"
        fd = _lock(path, exclusive=exclusive, wait=wait)
        return None if fd is False else cls(path, cast(int | None, fd))

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the lock
            self.fd = None

    def remove(self) -> None:
        """Delete the lease file (while holding it exclusively), then let go."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        self.release()


def _lock(path: Path, *, exclusive: bool, wait: bool) -> int | None | bool:
    """Lock ``path`` (created if missing): the descriptor; ``False`` when busy and not waiting;
    ``None`` when the file cannot be created (read-only file system or directory).

    Another process may delete the file between our open and our lock (``collect`` does, while
    holding it exclusively); the lock is then on a file nobody else will ever see, so we check
    that the path still names the file we locked and start again if not."""
    flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            if isinstance(error, (PermissionError, FileNotFoundError)) or error.errno == errno.EROFS:
                return None
            raise
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            os.close(fd)
            return False
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def open_current(root: str | Path) -> tuple[str, ox.Store, Lease] | None:
    """The current version of ``root`` opened read-only, with its lease; ``None`` if none.

    The lease is taken before the store is opened and the pointer read again after, so the
    version cannot be removed between the two (``collect`` never removes the current version,
    nor a leased one)."""
    root = Path(root)
    for _ in range(100):
        version = current_version(root)
        if version is None:
            return None
        lease = Lease.take(root, version)
        assert lease is not None  # waiting for a shared lease never gives up
        location = version_dir(root, version)
        present = (location / "CURRENT").is_file()
        if present:
            try:
                return version, ox.Store.read_only(str(location)), lease
            except OSError:
                lease.release()
                if current_version(root) == version:
                    raise
                continue
        lease.release()
        if current_version(root) == version:
            raise OSError(f"{root}: the current version {version} has no store at {location}")
    raise OSError(f"{root}: the current version kept changing while it was being opened")


def collect(root: str | Path) -> list[str]:
    """Remove every version that is neither current nor open in any process; their ids.

    Unfinished versions left by a killed build go the same way. Safe to run from any number of
    processes at once: a version is removed only under its exclusive lease, after checking
    again that it has not become current."""
    root = Path(root)
    directory = root / VERSIONS
    if not directory.is_dir():
        return []
    try:
        current = current_version(root)
    except OSError:
        return []
    candidates = set(versions(root))
    candidates |= {p.name[:-len(LEASE)] for p in directory.glob(f"*{LEASE}")
                   if _VERSION_ID.match(p.name[:-len(LEASE)]) or p.name == LEGACY + LEASE}
    removed = []
    for version in sorted(candidates - {current}):
        lease = Lease.take(root, version, exclusive=True, wait=False)
        if lease is None:
            continue
        try:
            if current_version(root) == version or lease.fd is None:
                continue
            _remove(root, version)
            lease.remove()
            removed.append(version)
        except OSError as error:
            log.warning("could not remove store version %s: %s", version, error)
        finally:
            lease.release()
    return removed


def _remove(root: Path, version: str) -> None:
    if version != LEGACY:
        if version_dir(root, version).exists():
            shutil.rmtree(version_dir(root, version))
        return
    # A legacy store shares its directory with the versions: remove only RocksDB's files,
    # CURRENT last, so that an interrupted removal is still recognised and finished later.
    names = sorted((p.name for p in root.iterdir() if p.is_file() and _ROCKSDB_FILE.match(p.name)),
                   key=lambda name: name == "CURRENT")
    for name in names:
        (root / name).unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch(root: str | Path, version: str) -> None:
    """Make ``version`` current: write its id beside the pointer, then rename over it."""
    root = Path(root)
    if not (version_dir(root, version) / "CURRENT").is_file():
        raise OSError(f"{root}: version {version} is not a complete store")
    temporary = root / f".{POINTER}.{version}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, f"{version}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, root / POINTER)
    _fsync_dir(root)


class NewVersion:
    """A version of the store being written beside the served one.

    ``with NewVersion(root) as new: fill(new.store); new.commit()``: on leaving the block
    without ``commit`` (an error, a refused validation), the new version is removed and the
    current one stays. One build at a time: a second waits for the first.
    """

    def __init__(self, root: str | Path, *, fresh: bool = False) -> None:
        self.root = Path(root)
        (self.root / VERSIONS).mkdir(parents=True, exist_ok=True)
        build_lock = _lock(self.root / VERSIONS / BUILD_LOCK, exclusive=True, wait=False)
        if build_lock is False:
            log.warning("%s: another build is running; waiting for it to finish", self.root)
            build_lock = _lock(self.root / VERSIONS / BUILD_LOCK, exclusive=True, wait=True)
        if not isinstance(build_lock, int) or isinstance(build_lock, bool):
            raise OSError(f"{self.root}: cannot lock {VERSIONS}/{BUILD_LOCK} to build")
        self._build_lock: int | None = build_lock
        self.committed = False
        try:
            for stale in self.root.glob(f".{POINTER}.*.tmp"):  # from a build killed mid-switch
                stale.unlink(missing_ok=True)
            collect(self.root)
            self.base = current_version(self.root)
            self.id = _new_version_id()
            lease = Lease.take(self.root, self.id)
            assert lease is not None
            self._lease = lease
            self.path = version_dir(self.root, self.id)
            if self.base is not None and not fresh:
                opened = open_current(self.root)
                if opened is not None:
                    self.base = opened[0]
                    opened[1].backup(str(self.path))
                    opened[2].release()
            self.store: ox.Store | None = ox.Store(str(self.path))
        except BaseException:
            self._unlock()
            raise

    def __enter__(self) -> NewVersion:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if not self.committed:
            self.abort()

    def close(self) -> None:
        """Flush and close the writable store (the version's files are then final)."""
        if self.store is not None:
            self.store.flush()
            self.store = None  # the last reference: pyoxigraph closes the store

    def commit(self) -> None:
        """Make the new version current and remove the versions nobody uses any more."""
        self.close()
        try:
            switch(self.root, self.id)
            self.committed = True
        finally:
            self._lease.release()
            if self.committed:
                collect(self.root)
            self._unlock()

    def abort(self) -> None:
        """Throw the new version away; the current one stays."""
        self.store = None
        self._lease.release()
        collect(self.root)
        self._unlock()

    def _unlock(self) -> None:
        if self._build_lock is not None:
            os.close(self._build_lock)
            self._build_lock = None


# ---------------------------------------------------------------------------------------------
# Graphs


def as_dataset(store: ox.Store) -> Dataset:
    """An rdflib view of the store, with the project's prefixes bound."""
    dataset = Dataset(store=OxigraphStore(store=store))
    bind_prefixes(dataset)
    return dataset


def to_quads(graph: Graph, name: URIRef) -> list[ox.Quad]:
    """The triples of an rdflib graph as pyoxigraph quads in the named graph ``name``."""
    graph_name = ox.NamedNode(str(name))
    return [ox.Quad(cast(ox.NamedNode | ox.BlankNode, ox_term(s)), cast(ox.NamedNode, ox_term(p)),
                    ox_term(o), graph_name) for s, p, o in graph]


def replace_graph(store: ox.Store, name: URIRef, triples: Graph) -> int:
    """Replace the named graph ``name`` with ``triples`` and return how many were written.

    The quads are converted before anything is removed, so a bad term fails here without
    touching the store; the insert itself is one pyoxigraph transaction.
    """
    quads = to_quads(triples, name)
    node = ox.NamedNode(str(name))
    if store.contains_named_graph(node):
        store.remove_graph(node)
    store.extend(quads)
    return len(quads)


class BulkLoad:
    """Named graphs replaced with one run of Oxigraph's bulk loader.

    ``put`` spools a graph's N-Quads to a temporary file and ``drop`` marks a graph for removal;
    ``finish`` removes every graph dropped or about to be replaced, then bulk-loads the spool,
    several times faster than transactional inserts (README, "Builds"). The bulk loader is not
    atomic, so load only into a store nobody reads yet: a ``NewVersion``.

    The spool is an anonymous temporary file (``TMPDIR``), not memory, since a large corpus's
    N-Quads can outgrow it; having no name, it goes with the process even when that is killed.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.graphs: set[str] = set()
        self._spool = tempfile.TemporaryFile(prefix="unkg-build-", suffix=".nq")

    def __enter__(self) -> BulkLoad:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._spool.close()

    def put(self, name: str, nquads: bytes) -> None:
        """Replace graph ``name`` with ``nquads`` (every quad of which is in that graph)."""
        self.graphs.add(name)
        self._spool.write(nquads)

    def drop(self, name: str) -> None:
        """Remove graph ``name``, if the store has it."""
        self.graphs.add(name)

    def finish(self) -> None:
        """Remove, then load; the store holds the result when this returns."""
        self._spool.flush()
        for name in sorted(self.graphs):
            node = ox.NamedNode(name)
            if self.store.contains_named_graph(node):
                self.store.remove_graph(node)
        if self._spool.tell():
            self._spool.seek(0)
            self.store.bulk_load(self._spool, format=ox.RdfFormat.N_QUADS)
        self._spool.close()


def named_graphs(store: ox.Store) -> list[str]:
    """The names of every named graph in the store, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """How many quads each named graph of the store holds."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows if isinstance(row["g"], ox.NamedNode)}


def count_quads(store: ox.Store, graph: str | None = None) -> int:
    """How many quads the store (or one named graph of it) holds."""
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }" if graph is None else
             f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    results = store.query(query)
    assert isinstance(results, ox.QuerySolutions)
    return int(next(iter(results))["n"].value)

