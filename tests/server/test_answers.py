"""The answer cache: repeated questions answered without a worker, within a byte budget, per
store version; failures never kept."""

from __future__ import annotations

import threading

import pytest

from server import sparql
from server.answers import OVERHEAD, AnswerCache
from server.errors import QueryTimeout
from server.worker import Answer, Job, execute

SELECT = "SELECT ?symbol WHERE { ?r a unkg:Resolution ; dcterms:identifier ?symbol }"
JSON = "application/sparql-results+json"


def answer(body: bytes) -> Answer:
    return Answer(body, 1, False)


class Counting:
    """``compute`` for the cache: counts its calls and answers with the call number."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Answer:
        self.calls += 1
        return answer(f"answer {self.calls}".encode())


def test_a_repeated_key_is_a_hit_and_is_not_computed_again():
    cache, compute = AnswerCache(1 << 20), Counting()
    first, hit_first = cache.answer("v1", "q", compute)
    second, hit_second = cache.answer("v1", "q", compute)
    assert (hit_first, hit_second) == (False, True)
    assert second is first and compute.calls == 1
    other, hit_other = cache.answer("v1", "another query", compute)
    assert not hit_other and other.body == b"answer 2"
    assert (cache.stats().hits, cache.stats().misses, cache.stats().entries) == (1, 2, 2)


def test_a_new_version_drops_the_old_answers_and_a_retired_version_is_not_cached():
    cache, compute = AnswerCache(1 << 20), Counting()
    cache.answer("v1", "q", compute)
    assert cache.answer("v2", "q", compute) == (answer(b"answer 2"), False)
    assert cache.stats().entries == 1
    # A request still pinned to v1 (started before the switch) neither finds nor stores.
    assert cache.answer("v1", "q", compute) == (answer(b"answer 3"), False)
    assert cache.answer("v1", "q", compute) == (answer(b"answer 4"), False)
    assert cache.answer("v2", "q", compute) == (answer(b"answer 2"), True)


def test_the_budget_evicts_the_least_recently_used():
    entry = 1000 + len(repr("a")) + OVERHEAD
    cache = AnswerCache(5 * entry + 10)
    for key in "abcde":
        cache.answer("v", key, lambda: answer(b"x" * 1000))
    cache.answer("v", "a", Counting())  # a is used again: b is now the oldest
    cache.answer("v", "f", lambda: answer(b"x" * 1000))
    stats = cache.stats()
    assert (stats.entries, stats.evictions) == (5, 1) and stats.bytes <= stats.budget_bytes
    assert cache.answer("v", "a", Counting())[1] and cache.answer("v", "f", Counting())[1]
    assert not cache.answer("v", "b", Counting())[1]


def test_an_answer_over_a_quarter_of_the_budget_is_not_kept():
    cache = AnswerCache(4000)
    cache.answer("v", "big", lambda: answer(b"x" * 1000))
    assert cache.stats().entries == 0


def test_failures_are_not_cached():
    cache, compute = AnswerCache(1 << 20), Counting()

    def times_out() -> Answer:
        raise QueryTimeout(1)
    with pytest.raises(QueryTimeout):
        cache.answer("v", "q", times_out)
    assert cache.answer("v", "q", compute) == (answer(b"answer 1"), False)


def test_identical_misses_at_once_compute_once_and_share_the_answer():
    cache, started, release = AnswerCache(1 << 20), threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> Answer:
        calls.append(1)
        started.set()
        release.wait(5)
        return answer(b"shared")
    results: list[tuple[Answer, bool]] = []
    first = threading.Thread(target=lambda: results.append(cache.answer("v", "q", slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(cache.answer("v", "q", slow)))
              for _ in range(3)]
    for thread in others:
        thread.start()
    for _ in range(500):  # until the three wait for the first (each counts as a hit first)
        if cache.stats().hits == 3:
            break
        threading.Event().wait(0.01)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert len(calls) == 1
    assert sorted(hit for _, hit in results) == [False, True, True, True]
    assert {a.body for a, _ in results} == {b"shared"}


def test_a_zero_budget_computes_every_time():
    cache, compute = AnswerCache(0), Counting()
    assert not cache.enabled
    assert [cache.answer("v", "q", compute)[1] for _ in range(2)] == [False, False]
    assert compute.calls == 2


class FakePool:
    """The pool the /sparql view hands jobs to, run in this process: counts the jobs."""

    def __init__(self, store, fail: BaseException | None = None) -> None:
        self.store, self.fail, self.jobs = store, fail, []

    def run(self, job: Job) -> Answer:
        self.jobs.append(job)
        if self.fail is not None:
            raise self.fail
        return execute(self.store, job)


@pytest.fixture()
def cached_app(app_factory, monkeypatch):
    """A fresh app (a cache of its own) whose queries run in a counting in-process pool."""
    made = app_factory(ANSWER_CACHE_MB=64)
    pool = FakePool(made.extensions["unkg"].store)
    monkeypatch.setattr(sparql, "get_pool", lambda: pool)
    return made, pool


def ask(client, query: str = SELECT, accept: str = JSON, **headers):
    return client.get("/sparql", query_string={"query": query},
                      headers={"Accept": accept, **headers})


def test_a_repeated_query_is_answered_without_the_pool(cached_app):
    app, pool = cached_app
    client = app.test_client()
    first, second = ask(client), ask(client)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.data == first.data
    assert second.headers["X-Result-Rows"] == first.headers["X-Result-Rows"]
    assert len(pool.jobs) == 1
    csv = ask(client, accept="text/csv")
    assert csv.headers["X-Cache"] == "miss" and len(pool.jobs) == 2
    health = client.get("/health").get_json()["answer_cache"]
    assert (health["hits"], health["misses"], health["entries"]) == (1, 2, 2)


def test_revalidation_is_still_304_and_needs_no_answer(cached_app):
    app, pool = cached_app
    client = app.test_client()
    tag = ask(client).headers["ETag"]
    again = ask(client, **{"If-None-Match": tag})
    assert again.status_code == 304 and len(pool.jobs) == 1


def test_a_timed_out_query_is_asked_again(app_factory, monkeypatch):
    app = app_factory(ANSWER_CACHE_MB=64)
    pool = FakePool(app.extensions["unkg"].store, fail=QueryTimeout(1))
    monkeypatch.setattr(sparql, "get_pool", lambda: pool)
    client = app.test_client()
    assert [ask(client).status_code for _ in range(2)] == [503, 503]
    assert len(pool.jobs) == 2


def test_no_cache_header_when_the_cache_is_off(app_factory, monkeypatch):
    app = app_factory(ANSWER_CACHE_MB=0)
    pool = FakePool(app.extensions["unkg"].store)
    monkeypatch.setattr(sparql, "get_pool", lambda: pool)
    client = app.test_client()
    assert "X-Cache" not in ask(client).headers and "X-Cache" not in ask(client).headers
    assert len(pool.jobs) == 2
    assert client.get("/health").get_json()["answer_cache"] is None


def test_resource_pages_are_cached_per_format(cached_app):
    app, _ = cached_app
    client = app.test_client()
    pages = [client.get("/res/ga/70/174", headers={"Accept": "text/html"}) for _ in range(2)]
    assert [p.headers["X-Cache"] for p in pages] == ["miss", "hit"]
    assert pages[1].data == pages[0].data and pages[1].mimetype == "text/html"
    turtle = client.get("/res/ga/70/174", headers={"Accept": "text/turtle"})
    assert turtle.headers["X-Cache"] == "miss" and turtle.mimetype == "text/turtle"
