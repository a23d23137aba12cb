"""What bounds the server under load (issue 11, items 1 and 2), on real waitress servers: the
query pool's bounded queue (503 with Retry-After at once past it, never a hang), runaway
queries stopped at the timeout while a simple query is answered, the per-worker memory cap,
and the bulkhead that keeps pages from taking the threads queries need. Behaviour only: no
assertion on how long anything takes (the figures are bench/load.py's)."""

from __future__ import annotations

import importlib.util
import itertools
import os
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.exceptions import ServiceUnavailable

from server.admission import Gate
from server.pool import EXPRESS_WORKERS, QUICK
from server.pool import NICE as DEMOTED
from server.pool import shape
from tests.server.processes import alive, wait_for

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_load", REPO / "bench" / "load.py")
assert _spec is not None and _spec.loader is not None
load = importlib.util.module_from_spec(_spec)
sys.modules["bench_load"] = load  # its dataclasses look their module up
_spec.loader.exec_module(load)

SIMPLE = "ASK { ?t a unkg:Treaty }"


def tiny(number: int, kind: str = "Treaty") -> str:
    """Texts of one cheap shape per ``kind`` (prefixed names are kept in a shape), each
    different, so that none is answered from the answer cache (server/answers.py) and every
    one reaches the pool."""
    return f"ASK {{ ?t a unkg:{kind} FILTER(?t != <urn:x:{number}>) }}"
# A query that runs long enough to be caught running (a second or two here), then finishes.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i VALUES ?x { 1 2 3 } }"
JSON = {"Accept": "application/sparql-results+json"}


class Background:
    """A request sent from a thread; ``reply`` once it is answered. A comment numbers its text
    (the shape stays the same), so no two are answered together by the answer cache
    (server/answers.py): each one reaches the pool."""

    sent = itertools.count()

    def __init__(self, fetch, url: str, query: str) -> None:
        self.reply = None
        self.thread = threading.Thread(target=self._run,
                                       args=(fetch, url, f"{query}\n# {next(self.sent)}"))
        self.thread.start()

    def _run(self, fetch, url: str, query: str) -> None:
        self.reply = fetch("POST", url, form={"query": query}, headers=JSON)

    def join(self):
        self.thread.join(120)
        assert not self.thread.is_alive(), "the request hung"
        return self.reply


def test_past_the_queue_a_query_gets_503_with_retry_after_at_once(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1, QUERY_QUEUE=1)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()  # SIMPLE never ran: a quick query, not an express one

    slow = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.idle() == 0)          # the slow query has the only worker
    queued = Background(fetch, endpoint, SIMPLE)
    wait_for(lambda: pool.waiting() == 1)       # the simple one waits in the queue
    refused = fetch("POST", endpoint, form={"query": tiny(0, "Resolution")}, headers=JSON)

    assert slow.thread.is_alive() and pool.waiting() == 1, "refused only after the wait"
    assert refused.status == 503
    assert refused.headers["Retry-After"] == "5"
    assert "1 queries are already waiting" in refused.text
    assert slow.join().status == 200
    assert queued.join().status == 200 and queued.reply.json()["boolean"] is True
    assert pool.waiting() == 0


def test_waiting_queries_are_served_first_come_first_served(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1, QUERY_QUEUE=4)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    fetch("GET", endpoint, params={"query": SIMPLE})
    pool = app.extensions["unkg"].started_pool()
    slow = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.idle() == 0)
    waiting = []
    for number in range(3):  # the live test server has 4 request threads
        # NOW() is the moment the worker starts the query: it orders them as served.
        query = f"SELECT ({number} AS ?n) (STR(NOW()) AS ?started) WHERE {{}}"
        waiting.append(Background(fetch, endpoint, query))
        wait_for(lambda n=number: pool.waiting() == n + 1)
    assert slow.join().status == 200
    served = sorted((r.join().json()["results"]["bindings"][0] for r in waiting),
                    key=lambda row: row["started"]["value"])
    assert [int(row["n"]["value"]) for row in served] == [0, 1, 2]


def test_a_quick_query_overtakes_slow_ones_waiting(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1, QUERY_QUEUE=4)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()
    assert Background(fetch, endpoint, SLOW).join().status == 200  # now known to be slow
    assert pool.lane(SLOW) == "slow"

    running = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.idle() == 0)
    timed = "SELECT (STR(NOW()) AS ?started) WHERE { VALUES ?x { 0 } }"
    slow_waiting = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.waiting() == 1)
    quick = Background(fetch, endpoint, timed)
    wait_for(lambda: pool.waiting() == 2)

    assert running.join().status == 200
    assert quick.join().status == 200
    assert slow_waiting.thread.is_alive(), "the slow query went first"
    assert slow_waiting.join().status == 200


def test_slow_queries_leave_a_worker_to_quick_ones(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=2, QUERY_QUEUE=4)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()
    assert Background(fetch, endpoint, SLOW).join().status == 200  # now known to be slow

    first = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.idle() == 1)
    second = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.waiting() == 1)
    assert pool.idle() == 1  # kept for quick queries
    quick = fetch("POST", endpoint, form={"query": SIMPLE}, headers=JSON)
    assert quick.status == 200 and first.thread.is_alive()
    assert first.join().status == 200 and second.join().status == 200


def test_query_shapes_ignore_literals_iris_numbers_and_comments():
    one = 'SELECT ?d WHERE { ?d dcterms:identifier "A/RES/70/174" ; <urn:a> 12 } # one'
    other = "SELECT ?d  WHERE {\n ?d dcterms:identifier 'E/CN.15/2017/11' ; <urn:b> 3.5 }"
    assert shape(one) == shape(other) == "SELECT ?d WHERE { ?d dcterms:identifier _ ; _ _ }"
    assert shape("SELECT ?n1 WHERE { ?s eli:cites+ ?n1 }") != shape("SELECT ?n1 WHERE { ?s eli:cites ?n1 }")


@pytest.mark.parametrize("name", ["cartesian product", "deep property path"])
def test_a_runaway_is_stopped_at_the_timeout_while_a_simple_query_answers(
        name, app_factory, serve, fetch):
    query = {n: q for n, q, _ in load.RUNAWAYS}[name]
    app = app_factory(QUERY_TIMEOUT=3.0, QUERY_WORKERS=2)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    fetch("GET", endpoint, params={"query": SIMPLE})
    pool = app.extensions["unkg"].started_pool()
    before = set(pool.pids())

    runaway = Background(fetch, endpoint, query)
    wait_for(lambda: pool.idle() == 1)
    answers = []
    while runaway.thread.is_alive() and len(answers) < 20:
        answers.append(fetch("POST", endpoint, form={"query": tiny(len(answers))}, headers=JSON))
    stopped = runaway.join()

    assert answers and all(a.status == 200 and a.json()["boolean"] for a in answers)
    assert stopped.status == 503
    assert "stopped after the time limit of 3 s" in stopped.text
    killed = before - set(pool.pids())
    assert len(killed) == 1
    pid = killed.pop()
    wait_for(lambda: not alive(pid))  # killed at once, reaped in the background
    wait_for(lambda: len(pool.pids(express=False)) == 2 and pool.idle() == 2)
    assert fetch("POST", endpoint, form={"query": SIMPLE}, headers=JSON).status == 200


def test_a_long_query_yields_the_cpu(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=4.0, QUERY_WORKERS=2)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()
    normal = {pid: os.getpriority(os.PRIO_PROCESS, pid) for pid in pool.pids()}
    runaway = Background(fetch, endpoint, load.CARTESIAN)
    wait_for(lambda: any(os.getpriority(os.PRIO_PROCESS, pid) >= DEMOTED
                          for pid in pool.pids()))  # after DEMOTE_AFTER seconds
    quick = fetch("POST", endpoint, form={"query": SIMPLE}, headers=JSON)
    assert quick.status == 200 and runaway.thread.is_alive()
    assert runaway.join().status == 503
    for pid in pool.pids():
        if pid in normal:
            assert os.getpriority(os.PRIO_PROCESS, pid) == normal[pid]


def test_a_demoted_worker_gets_its_priority_back_or_is_not_reused():
    import multiprocessing

    from server.pool import _Worker

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=time.sleep, args=(30,), daemon=True)
    process.start()
    worker = _Worker(process, parent)
    try:
        was = worker.demote()
        assert was is not None
        assert os.getpriority(os.PRIO_PROCESS, process.pid) == max(was, DEMOTED)
        if worker.restore(was):  # allowed where the server may raise priorities (root here)
            assert os.getpriority(os.PRIO_PROCESS, process.pid) == was
        else:                    # elsewhere the pool replaces the worker
            assert os.getpriority(os.PRIO_PROCESS, process.pid) == max(was, DEMOTED)
    finally:
        worker.stop()
        child.close()


def test_a_growing_result_is_stopped_by_the_memory_cap_and_the_worker_replaced(
        app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=120.0, QUERY_WORKERS=2, WORKER_MEMORY=256)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    fetch("GET", endpoint, params={"query": SIMPLE})
    pool = app.extensions["unkg"].started_pool()
    before = set(pool.pids())

    growing = Background(fetch, endpoint, load.GROWING)
    wait_for(lambda: pool.idle() == 1)
    meanwhile = fetch("POST", endpoint, form={"query": SIMPLE}, headers=JSON)
    stopped = growing.join()

    assert meanwhile.status == 200
    assert stopped.status == 503
    assert "memory limit of a query (256 MB)" in stopped.text
    assert "Query Out of Memory" in stopped.text
    killed = before - set(pool.pids())
    assert len(killed) == 1
    pid = killed.pop()
    wait_for(lambda: not alive(pid))  # killed at once, reaped in the background
    wait_for(lambda: len(pool.pids(express=False)) == 2 and pool.idle() == 2)
    assert fetch("POST", endpoint, form={"query": SIMPLE}, headers=JSON).status == 200
    health = fetch("GET", f"{server.url}/health").json()
    assert len(health["workers"]["processes"]) == 2 + EXPRESS_WORKERS


def test_a_worker_that_dies_is_a_500_that_says_so_and_is_replaced(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    fetch("GET", endpoint, params={"query": SIMPLE})
    pool = app.extensions["unkg"].started_pool()
    victim = pool.pids(express=False)[0]
    slow = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.idle() == 0)
    os.kill(victim, 9)
    failed = slow.join()
    assert failed.status == 500
    assert "stopped unexpectedly (signal 9)" in failed.text
    wait_for(lambda: pool.pids() and victim not in pool.pids() and pool.idle() == 1)
    assert fetch("POST", endpoint, form={"query": SIMPLE}, headers=JSON).status == 200


# --- the express lane -----------------------------------------------------------------------


def test_an_express_query_overtakes_every_lane_while_the_workers_are_busy(
        app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1, QUERY_QUEUE=4)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()
    assert fetch("POST", endpoint, form={"query": tiny(0)}, headers=JSON).status == 200
    assert pool.lane(tiny(1)) == "express"  # its shape ran, and took well under 5 ms of CPU

    running = Background(fetch, endpoint, SLOW)  # never seen: a quick query, on the worker
    wait_for(lambda: pool.idle() == 0)
    waiting = Background(fetch, endpoint, "SELECT ?x WHERE { VALUES ?x { 0 } }")  # quick
    wait_for(lambda: pool.waiting() == 1)
    express = [fetch("POST", endpoint, form={"query": tiny(n)}, headers=JSON)
               for n in range(1, 4)]

    assert all(a.status == 200 and a.json()["boolean"] for a in express)
    assert running.thread.is_alive() and pool.waiting() == 1, "answered only after the others"
    assert running.join().status == 200 and waiting.join().status == 200


def test_new_and_slow_shapes_never_take_the_express_worker(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1, QUERY_QUEUE=4)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()
    pool._cost(shape(SLOW), 1.0)  # as if it had run: known to be slow

    running = Background(fetch, endpoint, SLOW)
    wait_for(lambda: pool.idle() == 0)
    slow = Background(fetch, endpoint, SLOW)
    new = Background(fetch, endpoint, tiny(0, "Resolution"))  # never seen: it might be a runaway
    wait_for(lambda: pool.waiting() == 2)
    assert pool.idle(express=True) == EXPRESS_WORKERS  # idle, yet neither took it
    assert running.join().status == 200
    assert new.join().status == 200 and slow.join().status == 200


def test_a_shape_leaves_the_express_lane_once_it_costs_more(app_factory):
    pool = app_factory(QUERY_WORKERS=1).extensions["unkg"].pool()
    key = shape(SIMPLE)
    assert pool.lane(SIMPLE) == "quick"   # never seen
    pool._cost(key, 0.0005)
    assert pool.lane(SIMPLE) == "express"
    pool._cost(key, QUICK)                # one costly run: its average passes 5 ms
    assert pool.lane(SIMPLE) == "quick"
    pool._cost(key, 30.0, stopped=True)   # stopped: slow at once
    assert pool.lane(SIMPLE) == "slow"


def test_a_dead_express_worker_is_replaced_by_an_express_worker(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=60.0, QUERY_WORKERS=1, QUERY_QUEUE=4)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    pool = app.extensions["unkg"].pool()
    for query in (tiny(0), tiny(0, "Resolution")):
        assert fetch("POST", endpoint, form={"query": query}, headers=JSON).status == 200
    [victim] = pool.pids(express=True)
    os.kill(victim, 9)
    failed = fetch("POST", endpoint, form={"query": tiny(1)}, headers=JSON)
    assert failed.status == 500 and "stopped unexpectedly (signal 9)" in failed.text
    wait_for(lambda: len(pool.pids(express=True)) == EXPRESS_WORKERS
             and victim not in pool.pids() and pool.idle(express=True) == EXPRESS_WORKERS)

    running = Background(fetch, endpoint, SLOW)  # the other worker is busy
    wait_for(lambda: pool.idle() == 0)
    answered = fetch("POST", endpoint, form={"query": tiny(1, "Resolution")}, headers=JSON)
    assert answered.status == 200 and running.thread.is_alive()
    assert running.join().status == 200


# --- pages ----------------------------------------------------------------------------------


def test_the_gate_admits_slots_then_queues_then_refuses():
    gate = Gate(slots=1, queue=1, wait=30)
    gate.enter()
    admitted = threading.Event()

    def second() -> None:
        gate.enter()
        admitted.set()
    waiter = threading.Thread(target=second)
    waiter.start()
    wait_for(lambda: gate.state()["waiting"] == 1)
    with pytest.raises(ServiceUnavailable) as refused:
        gate.enter()
    assert ("Retry-After", "5") in refused.value.get_headers()
    assert not admitted.is_set()
    gate.leave()
    waiter.join(10)
    assert admitted.is_set() and gate.state() == {"slots": 1, "busy": 1, "waiting": 0,
                                                  "queue": 1}
    gate.leave()
    assert gate.state()["busy"] == 0


def test_the_gate_gives_up_after_its_wait():
    gate = Gate(slots=1, queue=4, wait=0.2)
    gate.enter()
    with pytest.raises(ServiceUnavailable, match="too busy to make this page"):
        gate.enter()
    assert gate.state()["waiting"] == 0
    gate.leave()
    gate.enter()  # the slot is free again
    gate.leave()


def test_busy_pages_are_refused_while_queries_and_health_pass(app_factory, serve, fetch):
    app = app_factory(PAGE_SLOTS=1, PAGE_QUEUE=0)
    server = serve(app)
    gate = app.extensions["unkg.pages"]
    gate.enter()  # as if a page were being made
    try:
        page = fetch("GET", f"{server.url}/stats")
        query = fetch("GET", f"{server.url}/sparql", params={"query": SIMPLE}, headers=JSON)
        health = fetch("GET", f"{server.url}/health")
    finally:
        gate.leave()
    assert page.status == 503 and page.headers["Retry-After"] == "5"
    assert "pages" in page.text
    assert query.status == 200 and health.status == 200
    assert fetch("GET", f"{server.url}/stats").status == 200
    assert gate.state()["busy"] == 0  # every page gave its slot back


def test_a_cached_resource_page_passes_while_every_page_slot_is_taken(app_factory, serve, fetch):
    app = app_factory(PAGE_SLOTS=1, PAGE_QUEUE=0, ANSWER_CACHE_MB=64)
    server = serve(app)
    gate = app.extensions["unkg.pages"]
    html = {"Accept": "text/html"}
    made = fetch("GET", f"{server.url}/res/ga/70/174", headers=html)
    assert made.status == 200 and made.headers["X-Cache"] == "miss"
    assert gate.state()["busy"] == 0  # making it took the slot and gave it back
    gate.enter()  # as if another page were being made
    try:
        cached = fetch("GET", f"{server.url}/res/ga/70/174", headers=html)
        other = fetch("GET", f"{server.url}/res/ga/70/174", headers={"Accept": "text/turtle"})
    finally:
        gate.leave()
    assert cached.status == 200 and cached.headers["X-Cache"] == "hit"
    assert cached.text == made.text
    assert other.status == 503 and other.headers["Retry-After"] == "5"  # this one must be made
    assert gate.state()["busy"] == 0
