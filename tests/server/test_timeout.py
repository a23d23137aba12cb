"""A runaway query is stopped at the timeout, on a real waitress server, while other queries
keep being answered; its worker process is killed and replaced."""

from __future__ import annotations

import threading

from server.pool import EXPRESS_WORKERS
from tests.server.processes import alive, wait_for


RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?q ?r ?s }")  # ~125^6 combinations: runs for days
SIMPLE = "ASK { ?t a unkg:Treaty }"
ACCEPT = {"Accept": "application/sparql-results+json"}


def test_runaway_query_is_stopped_while_a_simple_query_answers(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=2.0, QUERY_WORKERS=2)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    assert fetch("GET", endpoint, params={"query": SIMPLE}, headers=ACCEPT).json()["boolean"]
    pool = app.extensions["unkg"].started_pool()
    workers_before = set(pool.pids())

    outcome: dict = {}

    def run_away() -> None:
        outcome["response"] = fetch("POST", endpoint, form={"query": RUNAWAY}, headers=ACCEPT)

    runaway = threading.Thread(target=run_away)
    runaway.start()
    wait_for(lambda: pool.idle() == 1, seconds=30.0)  # the runaway query holds one worker

    simple = fetch("POST", endpoint, form={"query": SIMPLE}, headers=ACCEPT)
    assert simple.status == 200 and simple.json()["boolean"] is True
    assert runaway.is_alive(), "the simple query was answered while the runaway still ran"

    runaway.join(30)
    stopped = outcome["response"]
    assert stopped.status == 503
    assert "stopped after the time limit of 2 s" in stopped.text

    killed = workers_before - set(pool.pids())
    assert len(killed) == 1
    pid = killed.pop()
    wait_for(lambda: not alive(pid), seconds=30.0)  # killed at once, reaped in the background
    wait_for(lambda: len(pool.pids(express=False)) == 2 and pool.idle() == 2,
             seconds=30.0)  # replaced
    health = fetch("GET", f"{server.url}/health").json()
    assert len(health["workers"]["processes"]) == 2 + EXPRESS_WORKERS
    after = fetch("GET", endpoint, params={"query": SIMPLE}, headers=ACCEPT)
    assert after.json()["boolean"] is True


def test_busy_pool_answers_503_with_retry_after(app_factory, serve, fetch):
    app = app_factory(QUERY_TIMEOUT=5.0, QUERY_WORKERS=1, QUERY_QUEUE=0)
    server = serve(app)
    endpoint = f"{server.url}/sparql"
    fetch("GET", endpoint, params={"query": SIMPLE})
    pool = app.extensions["unkg"].started_pool()
    runaway = threading.Thread(target=fetch, args=("POST", endpoint),
                               kwargs={"form": {"query": RUNAWAY}})
    runaway.start()
    wait_for(lambda: pool.idle() == 0, seconds=30.0)
    # A shape never seen (the express worker takes only shapes known to be cheap).
    waiting = fetch("GET", endpoint, params={"query": "ASK { ?t a unkg:Resolution }"})
    assert runaway.is_alive(), "answered at once, not after the runaway was stopped"
    runaway.join(30)
    assert waiting.status == 503
    assert waiting.headers["Retry-After"] == "5"
    assert "busy" in waiting.text
