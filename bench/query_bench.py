"""Endpoint fast path: a large SELECT answered as SPARQL JSON, pyoxigraph against rdflib.

The server runs queries on the pyoxigraph store and serializes with pyoxigraph's own
serializer; the obvious alternative is rdflib over the same store (oxrdflib), serializing
rdflib terms. Both run here, in one process, on the corpus graph, so the figure that matters
is the ratio, not the seconds:

    python bench/query_bench.py [--rows 25000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from graph.build import build_corpus
from graph.store import as_dataset, open_store

ROOT = Path(__file__).resolve().parents[1]
QUERY = "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {rows}"


def _median_seconds(run: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(run())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    store = open_store(memory=True)
    build_corpus(ROOT / "corpus", store)
    query = QUERY.format(rows=args.rows)
    dataset = as_dataset(store)
    dataset.default_union = True  # the server answers over the union of the named graphs too

    def oxigraph() -> bytes:
        results = store.query(query, use_default_graph_as_union=True)
        return results.serialize(format=ox.QueryResultsFormat.JSON)

    def rdflib() -> bytes:
        return dataset.query(query).serialize(format="json")

    rows = sum(1 for _ in store.query(query, use_default_graph_as_union=True))
    reference, ref_size = _median_seconds(rdflib, args.repeat)
    fast, fast_size = _median_seconds(oxigraph, args.repeat)
    print(f"{rows} rows as SPARQL JSON, median of {args.repeat}")
    print("| path | seconds | bytes | ratio to rdflib |")
    print("|---|---:|---:|---:|")
    print(f"| rdflib over oxrdflib (reference) | {reference:.3f} | {ref_size} | 1.00 |")
    print(f"| pyoxigraph query + serializer (server) | {fast:.3f} | {fast_size} | {fast / reference:.2f} |")


if __name__ == "__main__":
    main()
