"""Admission of page requests: a bulkhead between pages and SPARQL queries.

Pages (resource pages, ``/lookup``, ``/search``, ``/stats``, the query page, ``/ontology``,
``/downloads``) are made in the web process by the server's own queries on the store, which
hold a core while they run (pyoxigraph releases the GIL, so several pages run at once). SPARQL
queries run in the worker processes of ``server.pool``, which admits them itself: ``--workers``
at once, ``--queue`` waiting, 503 past that. Without a bound on pages, a crowd of page requests
takes every request thread and every core, and a query that needs a millisecond waits seconds
behind them. So at most ``PAGE_SLOTS`` pages are made at once; the others wait, first come first
served, at most ``PAGE_QUEUE`` of them and each at most ``PAGE_WAIT`` seconds, then get a 503
with ``Retry-After`` (at once when the queue is full). SPARQL requests, ``/health`` and
static files pass straight through. A resource page (or its RDF) is answered from the answer
cache (``server.answers``) when it was made before: such a request runs no costly query, so it
takes a slot only if it has to make the page (``admitted``, which the cache calls on a miss),
and a crowd rereading cached pages is never refused or queued behind pages being made. Each kind of work has its own bounded capacity, so neither
can starve the other; the request threads (``unkg serve --threads``) must outnumber the pages
and queries that may be admitted or waiting, or requests would queue in waitress instead, where
nothing tells a cheap request from a costly one.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Callable, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from werkzeug.exceptions import ServiceUnavailable

EXTENSION = "unkg.pages"
EXEMPT = {None, "sparql.endpoint", "health.health", "static"}  # None: no route (404, 405)
CACHED = {"resources.resource"}  # pages admitted only when the answer cache has to make them
RETRY_AFTER = 5
T = TypeVar("T")


class _Ticket:
    def __init__(self) -> None:
        self.ready = threading.Event()
        self.granted = False


class Gate:
    """At most ``slots`` holders at once; at most ``queue`` waiting, first come first served,
    each for at most ``wait`` seconds."""

    def __init__(self, slots: int, queue: int, wait: float) -> None:
        self.slots, self.queue, self.wait = max(slots, 1), max(queue, 0), wait
        self._free = self.slots
        self._waiting: deque[_Ticket] = deque()
        self._lock = threading.Lock()

    def enter(self) -> None:
        """Take a slot, waiting if need be; ServiceUnavailable when none comes."""
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            if len(self._waiting) >= self.queue:
                raise ServiceUnavailable(
                    f"the server is making {self.slots} pages and {len(self._waiting)} more are "
                    "waiting; try again in a few seconds", retry_after=RETRY_AFTER)
            ticket = _Ticket()
            self._waiting.append(ticket)
        ticket.ready.wait(self.wait)
        with self._lock:
            if ticket.granted:
                return
            self._waiting.remove(ticket)
        raise ServiceUnavailable(f"the server was too busy to make this page within "
                                 f"{self.wait:g} s; try again shortly", retry_after=RETRY_AFTER)

    def leave(self) -> None:
        """Give the slot to the longest-waiting request, or free it."""
        with self._lock:
            if self._waiting:
                ticket = self._waiting.popleft()
                ticket.granted = True
                ticket.ready.set()
            else:
                self._free += 1

    def state(self) -> dict[str, int]:
        with self._lock:
            return {"slots": self.slots, "busy": self.slots - self._free,
                    "waiting": len(self._waiting), "queue": self.queue}


def _enter() -> None:
    if request.endpoint in EXEMPT:
        return
    if request.endpoint in CACHED:
        g.unkg_page_deferred = True  # the slot is taken by ``admitted`` if the page is made
        return
    current_app.extensions[EXTENSION].enter()
    g.unkg_page_slot = True


def admitted(make: Callable[[], T]) -> T:
    """``make()``, holding a page slot while it runs if this request's admission was deferred
    to the moment its page has to be made (``CACHED``); otherwise ``make()`` as it is."""
    if not (has_request_context() and g.get("unkg_page_deferred")):
        return make()
    gate = current_app.extensions[EXTENSION]
    gate.enter()
    try:
        return make()
    finally:
        gate.leave()


def _leave(_error: BaseException | None = None) -> None:
    if g.pop("unkg_page_slot", False):
        current_app.extensions[EXTENSION].leave()


def init_app(app: Flask) -> None:
    """Bound the pages ``app`` makes at once (``PAGE_SLOTS``, ``PAGE_QUEUE``, ``PAGE_WAIT``)."""
    app.extensions[EXTENSION] = Gate(int(app.config["PAGE_SLOTS"]), int(app.config["PAGE_QUEUE"]),
                                     float(app.config["PAGE_WAIT"]))
    app.before_request(_enter)
    app.teardown_request(_leave)
