"""Answers kept in the web process, so that a question asked again never reaches a worker.

The data only changes when a build switches the store to a new version (``server.store``), so
an answer is the same bytes for as long as its version is served: the key is the store version
and the request (a query's ``Job``: the text, dataset, format, row cap; a page's IRI and
format). Entries are kept in least-recently-used order within a budget of bytes (the bodies
and the keys); an answer larger than a quarter of the budget is not kept, so that one large
result cannot empty the cache.

**Versions.** The cache holds answers of one store version. The first request that reads a
newer version drops every entry and retires the old version: a request still pinned to a
retired version (one that started before the switch) is answered without the cache, so it
neither finds nor stores anything, and answers of two versions are never mixed.

**Admission.** Whatever computes an answer runs inside ``guard`` (the app's is
``server.admission.admitted``): a resource page takes a page slot only when it is made, so a
page read from the cache is never held back by pages being made.

**Failures.** Only what ``compute`` returns is kept; a query that fails, times out or finds the
pool full raises, and nothing is stored. When several requests miss on the same key at once,
the first computes and the others wait for it and share its answer or its error: ten clients
sending the same costly query take one worker, not ten.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Any, Callable, Hashable, TypeVar, cast

from flask import current_app

from server.admission import admitted
from server.worker import Answer

T = TypeVar("T")
EXTENSION = "unkg_answers"
OVERHEAD = 200  # bytes an entry costs besides its key and body (the tuple, the OrderedDict slot)
_creating = threading.Lock()


@dataclass
class Stats:
    """What /health reports about the cache."""

    budget_bytes: int
    entries: int
    bytes: int
    hits: int
    misses: int
    evictions: int


class _Pending:
    """A computation in flight that later requests for the same key wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: object = None
        self.error: BaseException | None = None


def size(value: object) -> int:
    """The bytes an answer holds: a query's serialized result, or a page's text."""
    if isinstance(value, Answer):
        return len(value.body)
    if isinstance(value, (bytes, str)):
        return len(value)
    raise TypeError(f"the answer cache keeps results and pages, not {type(value).__name__}")


def _direct(compute: Callable[[], T]) -> T:
    return compute()


class AnswerCache:
    """A byte-bounded LRU of answers of one store version; ``guard(compute)`` computes one."""

    def __init__(self, budget_bytes: int,
                 guard: Callable[[Callable[[], Any]], Any] = _direct) -> None:
        self.budget = max(0, budget_bytes)
        self._guard = guard
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._pending: dict[tuple[str | None, Hashable], _Pending] = {}
        self._version: str | None = None
        self._retired: set[str | None] = set()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = self.evictions = 0

    @property
    def enabled(self) -> bool:
        return self.budget > 0

    def answer(self, version: str | None, key: Hashable,
               compute: Callable[[], T]) -> tuple[T, bool]:
        """The answer for ``key`` on ``version`` and whether it came from the cache (or from
        an identical request computing it at the same time): ``compute()`` runs only on a
        miss, and what it raises reaches every request that waited for it, uncached."""
        if not self.enabled:
            return self._guard(compute), False
        with self._lock:
            if not self._follow(version):
                return self._guard(compute), False
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return cast(T, found[0]), True
            pending = self._pending.get((version, key))
            leader = pending is None
            if leader:
                pending = self._pending[(version, key)] = _Pending()
                self.misses += 1
            else:
                self.hits += 1
        assert pending is not None
        if not leader:
            pending.done.wait()
            if pending.error is not None:
                raise pending.error
            return cast(T, pending.value), True
        try:
            value = self._guard(compute)
        except BaseException as error:
            pending.error = error
            raise
        else:
            pending.value = value
            self._store(version, key, value)
            return value, False
        finally:
            with self._lock:
                self._pending.pop((version, key), None)
            pending.done.set()

    def _follow(self, version: str | None) -> bool:
        """Move to ``version`` if it is new (dropping every entry); False for a retired one.
        Called with the lock held."""
        if version == self._version:
            return True
        if version in self._retired:
            return False
        self._retired.add(self._version)
        self._version = version
        self._entries.clear()
        self._bytes = 0
        return True

    def _store(self, version: str | None, key: Hashable, value: object) -> None:
        cost = size(value) + len(repr(key)) + OVERHEAD
        if cost > self.budget // 4:
            return
        with self._lock:
            if version != self._version or key in self._entries:
                return
            self._entries[key] = (value, cost)
            self._bytes += cost
            while self._bytes > self.budget:
                _, (_, freed) = self._entries.popitem(last=False)
                self._bytes -= freed
                self.evictions += 1

    def stats(self) -> Stats:
        with self._lock:
            return Stats(self.budget, len(self._entries), self._bytes, self.hits, self.misses,
                         self.evictions)


def get_cache() -> AnswerCache:
    """The app's answer cache, made on first use with ``ANSWER_CACHE_MB`` (0: none)."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        with _creating:
            cache = current_app.extensions.setdefault(
                EXTENSION, AnswerCache(int(float(current_app.config["ANSWER_CACHE_MB"]) * 2**20),
                                       admitted))
    return cast(AnswerCache, cache)


def report() -> dict[str, Any] | None:
    """The cache's figures for /health (None when it is off)."""
    cache = get_cache()
    return asdict(cache.stats()) if cache.enabled else None
