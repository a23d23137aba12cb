"""An rdflib store for the graph of one source file: written once, read a few times.

rdflib's ``Memory`` store keeps six indexes and sends an event for every triple it adds: about
10 µs a triple, which was half the extraction time of the corpus (issue 10: extraction at
2 MB/s per core). A file's graph is written by ``Writer`` in one go and then read whole (the
build turns it into quads) or asked a few questions (the build record, tests), so here adding
a triple is one dict insertion, and the index a lookup needs is built when it is first asked
for and kept up to date from then on. Prefix bindings are ``SimpleMemory``'s.
"""

from __future__ import annotations

from typing import Any, Iterator

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory

Triple = tuple[Any, Any, Any]


class TripleSet(SimpleMemory):
    """The triples of one graph in insertion order (a dict used as an ordered set)."""

    def __init__(self) -> None:
        super().__init__()
        self.triple_dict: dict[Triple, None] = {}
        # Triples by the term at one position (0 subject, 1 predicate, 2 object), built when a
        # lookup first needs it, then extended by every add.
        self._indexes: dict[int, dict[Any, list[Triple]]] = {}

    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:
        # Known or new by the size, not by a look-up first: hashing a triple runs rdflib's
        # Python ``Literal.__hash__``, and a set-again key keeps its place.
        size = len(self.triple_dict)
        self.triple_dict[triple] = None
        if len(self.triple_dict) == size:
            return
        for position, index in self._indexes.items():
            index.setdefault(triple[position], []).append(triple)

    def remove(self, triple_pattern: Triple, context: Any = None) -> None:
        for triple in list(self._matching(triple_pattern)):
            del self.triple_dict[triple]
        self._indexes.clear()

    def triples(self, triple_pattern: Triple, context: Any = None
                ) -> Iterator[tuple[Triple, Iterator[Any]]]:
        for triple in self._matching(triple_pattern):
            yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        return len(self.triple_dict)

    def _matching(self, pattern: Triple) -> Iterator[Triple]:
        bound = [(position, term) for position, term in enumerate(pattern) if term is not None]
        if not bound:
            yield from list(self.triple_dict)
            return
        if len(bound) == 3:
            if pattern in self.triple_dict:
                yield pattern
            return
        # Subjects and objects pick out few triples; predicates many.
        position, term = min(bound, key=lambda item: (item[0] == 1, item[0]))
        candidates = self._index(position).get(term, ())
        rest = [(p, t) for p, t in bound if p != position]
        yield from [triple for triple in candidates if all(triple[p] == t for p, t in rest)]

    def _index(self, position: int) -> dict[Any, list[Triple]]:
        index = self._indexes.get(position)
        if index is None:
            index = self._indexes[position] = {}
            for triple in self.triple_dict:
                index.setdefault(triple[position], []).append(triple)
        return index


def new_graph() -> Graph:
    """An empty graph on a ``TripleSet``."""
    return Graph(store=TripleSet())
