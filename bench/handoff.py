"""Hand-over: the round trip of a tiny query through the query pool, alone and beside busy
threads of the same process, at Python's default GIL switch interval and at the pool's.

A request thread gives the GIL away at each system call of a hand-over (the write of the job,
the wait, the reads of the answer) and must take it back from whatever thread computes
meanwhile (in the server: a page, the ``/stats`` figures); Python makes it wait up to the
switch interval each time. ``server.pool`` lowers the interval to ``SWITCH_INTERVAL``; this
script measures what that buys. The pool (two workers) opens ``--store``; each case sends
``--queries`` queries one after another after a warm-up, with ``--busy`` threads spinning.
The last case sends them ``--gap`` ms apart with no busy thread, as a server's requests come:
a worker (and the request thread) that slept that long is woken again for every query.

    python bench/handoff.py --store data/store
    flock /tmp/unkg-bench.lock python bench/handoff.py --store data/store --busy 2

Times are the mean, p50 and p95 in ms, and the ratio of each mean to the mean with no busy
thread at the default interval, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.pool import SWITCH_INTERVAL, QueryPool  # noqa: E402
from server.store import StoreSource  # noqa: E402
from server.worker import Job  # noqa: E402

DEFAULT_INTERVAL = 0.005  # Python's
QUERY = 'SELECT ?d WHERE { ?d <http://purl.org/dc/terms/identifier> "A/RES/70/174" }'


def spin(stop: threading.Event) -> None:
    """Pure Python work, as a page or the figures do between their system calls."""
    total = 0
    while not stop.is_set():
        for number in range(1000):
            total += number


def round_trips(pool: QueryPool, busy: int, interval: float, count: int,
                gap: float = 0.0) -> list[float]:
    """Milliseconds of ``count`` round trips with ``busy`` spinning threads, ``gap`` ms
    apart."""
    sys.setswitchinterval(interval)
    job = Job(QUERY, "json", False, "http://example.org/", 100)
    stop = threading.Event()
    threads = [threading.Thread(target=spin, args=(stop,)) for _ in range(busy)]
    for thread in threads:
        thread.start()
    times = []
    try:
        for _ in range(count):
            time.sleep(gap / 1000)
            started = time.perf_counter()
            pool.run(job)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store built by unkg build")
    parser.add_argument("--busy", type=int, default=1, help="spinning threads, 1")
    parser.add_argument("--queries", type=int, default=300, help="round trips per case, 300")
    parser.add_argument("--gap", type=float, default=5.0,
                        help="ms between the queries of the last case, 5")
    args = parser.parse_args(argv)
    pool = QueryPool(StoreSource(path=str(args.store)).open, 2, 30.0)
    try:
        round_trips(pool, 0, DEFAULT_INTERVAL, 20)  # warm-up: the shape becomes express
        cases = [(0, DEFAULT_INTERVAL, 0.0), (args.busy, DEFAULT_INTERVAL, 0.0),
                 (0, SWITCH_INTERVAL, 0.0), (args.busy, SWITCH_INTERVAL, 0.0),
                 (0, SWITCH_INTERVAL, args.gap)]
        results = {case: round_trips(pool, *case[:2], args.queries, case[2]) for case in cases}
    finally:
        pool.close()
    reference = statistics.mean(results[(0, DEFAULT_INTERVAL, 0.0)])
    print("| busy threads | switch interval | gap | mean ms | p50 ms | p95 ms | mean / idle |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for (busy, interval, gap), times in results.items():
        ordered = sorted(times)
        mean = statistics.mean(times)
        print(f"| {busy} | {interval * 1000:g} ms | {gap:g} ms | {mean:.2f} | "
              f"{ordered[len(ordered) // 2]:.2f} | {ordered[int(len(ordered) * 0.95)]:.2f} | "
              f"{mean / reference:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
