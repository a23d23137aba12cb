"""What a SPARQL request is, found before it runs: its form, and whether it may run at all.

pyoxigraph offers no way to parse a query without evaluating it, and evaluating a ``SERVICE``
pattern makes an HTTP request from the server. So the text is tokenized here the way SPARQL's
grammar tokenizes it (comments, IRIs, the four kinds of string, variables, prefixed names,
language tags), and only bare words are looked at: in SPARQL a bare word is a keyword, so
``SERVICE`` (any case) outside a comment, string, IRI or name is the federated-query keyword and
nothing else. The query's syntax is then checked by the one engine that runs it, so there are
not two grammars that could disagree about what a query means; rdflib's parser was considered
and not used for that reason (and because it rejects queries Oxigraph accepts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_OPERATIONS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD",
                               "MOVE", "COPY", "WITH"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
              |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'
              |"(?:[^"\\\r\n]|\\.)*")
  | (?P<variable>[?$]\w+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


# What makes the engine's parser and query algebra recurse: each bracket opens a level, and
# each operator of a chain ("a + b + c", "{} UNION {} UNION {}") adds one, so a query can be
# made to overflow the stack of the process running it (measured on Oxigraph 0.5 with an 8 MB
# stack: 2,200 nested braces, 6,500 chained operators).
OPENING, CLOSING = frozenset("({["), frozenset(")}]")
OPERATORS = frozenset("!&|=<>+-*/^")
OPERATOR_WORDS = frozenset({"UNION", "MINUS"})


@dataclass(frozen=True)
class QueryPlan:
    """What the text asks for: ``form`` is SELECT/ASK/CONSTRUCT/DESCRIBE, or None when the
    text is not a query at all (the engine then reports the syntax error). ``depth`` is the
    deepest nesting of brackets, ``operators`` the count of operators (see ``OPERATORS``)."""

    form: str | None
    uses_service: bool
    has_dataset: bool
    depth: int = 0
    operators: int = 0

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


class UpdateRequested(ValueError):
    """The text is a SPARQL Update request (the endpoint is read-only)."""


def keywords(text: str) -> Iterator[str]:
    """The bare words of a SPARQL text (its keywords), upper-cased, in order."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            yield match.group().upper()


def inspect_query(text: str) -> QueryPlan:
    """The plan of a query; raises ``UpdateRequested`` for an update."""
    words: list[str] = []
    depth = deepest = operators = 0
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word":
            words.append(token.upper())
            operators += words[-1] in OPERATOR_WORDS
        elif kind == "other":
            if token in OPENING:
                depth += 1
                deepest = max(deepest, depth)
            elif token in CLOSING:
                depth = max(depth - 1, 0)
            operators += token in OPERATORS
    operation = next((w for w in words if w not in ("BASE", "PREFIX")), None)
    if operation in UPDATE_OPERATIONS:
        raise UpdateRequested(operation)
    return QueryPlan(form=operation if operation in QUERY_FORMS else None,
                     uses_service="SERVICE" in words,
                     has_dataset="FROM" in words,
                     depth=deepest, operators=operators)
