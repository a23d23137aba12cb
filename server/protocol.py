"""The SPARQL 1.1 Protocol's query operation: from an HTTP request to a ``Job``.

Pure request handling, no IO: what the client asked (the query and its dataset, §2.1), whether
this read-only endpoint will run it, and the job a worker runs. Status codes follow the
Protocol: 400 for a malformed request, 415 for a body type it does not define, 403 for update
requests and SERVICE, which this endpoint refuses by design.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.wrappers import Request

from server.errors import QueryRefused, SparqlError
from server.lexer import QueryPlan, UpdateRequested, inspect_query
from server.negotiation import Format
from server.worker import Job

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
# Structure limits, far above any real query and far below what overflows the engine's
# stack (server/lexer.py: 2,200 nested braces, 6,500 chained operators); deep nesting of
# RDF collections also costs the parser time growing as a power of the depth (0.3 s at 60).
MAX_NESTING = 64
MAX_OPERATORS = 3000
# Queries (of at most MEMO_LENGTH characters) whose inspection and entity tag are kept: the same
# few queries come again and again (a page's lookups, a client polling), and tokenizing one or
# hashing its job costs as much as running a tiny one.
MEMO = 1024
MEMO_LENGTH = 4096
READ_ONLY = ("this endpoint is read-only: SPARQL Update ({}) is not accepted; download a "
             "release and load it into your own store to change the data")


@dataclass(frozen=True)
class QueryRequest:
    """A query and the dataset the request gives it (None: the request names no graphs)."""

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None


def _refuse_update(params: dict[str, list[str]]) -> None:
    if params.get("update"):
        raise QueryRefused(READ_ONLY.format("the update parameter"))


def _one_query(values: list[str]) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the request carries {len(values)} queries; send exactly one "
                         "`query` parameter")
    return values[0] if values else None


def _direct_body(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"a SPARQL query body must be UTF-8, not {charset}")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the query body is not valid UTF-8 ({error.reason} at byte "
                         f"{error.start})") from None


def read_request(request: Request) -> QueryRequest | None:
    """The query of a GET or POST request, or None for a GET with no query (the service
    description). Raises 400/403/415 for requests the Protocol does not allow."""
    params = {key: request.args.getlist(key) for key in request.args}
    if request.method == "POST":
        if request.mimetype == UPDATE:
            raise QueryRefused(READ_ONLY.format(UPDATE))
        if request.mimetype == FORM:
            for key in request.form:
                params.setdefault(key, []).extend(request.form.getlist(key))
            _refuse_update(params)
            query = _one_query(params.get("query", []))
            if query is None:
                raise BadRequest("the form has no `query` parameter")
        elif request.mimetype == DIRECT:
            _refuse_update(params)
            _one_query(params.get("query", []) + ["(body)"])
            query = _direct_body(request)
        else:
            raise UnsupportedMediaType(
                f"POST a query as {FORM} or {DIRECT}, not {request.mimetype or 'an untyped body'}")
    else:
        _refuse_update(params)
        query = _one_query(params.get("query", []))
        if query is None:
            return None
    default = _graph_iris(params, "default-graph-uri")
    named = _graph_iris(params, "named-graph-uri")
    return QueryRequest(query, default, named)


def _graph_iris(params: dict[str, list[str]], name: str) -> tuple[str, ...] | None:
    """The graphs a dataset parameter names; 400 for a value that is not an absolute IRI
    (checked here, so that no worker is handed one)."""
    values = params.get(name)
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise BadRequest(f"{name} {value[:200]!r} is not an absolute IRI ({error})") from None
    return tuple(values)


def plan(query: str, *, allow_service: bool) -> QueryPlan:
    """Inspect the query before anything runs it: updates and SERVICE are refused here."""
    try:
        found = _inspect(query) if len(query) <= MEMO_LENGTH else inspect_query(query)
    except UpdateRequested as update:
        raise QueryRefused(READ_ONLY.format(update.args[0])) from None
    if found.uses_service and not allow_service:
        raise QueryRefused("SERVICE (federated query) is disabled on this endpoint: the server "
                           "does not make requests to other services on a client's behalf")
    if found.depth > MAX_NESTING or found.operators > MAX_OPERATORS:
        raise SparqlError(
            f"the query nests brackets {found.depth} deep and chains {found.operators} "
            f"operators; this endpoint runs queries up to {MAX_NESTING} and {MAX_OPERATORS} "
            "(the query engine's parser would overflow its stack on much larger ones)")
    return found


_inspect = lru_cache(maxsize=MEMO)(inspect_query)


def make_job(query: QueryRequest, found: QueryPlan, fmt: Format, *, base_iri: str,
             row_limit: int, prefixes: tuple[tuple[str, str], ...]) -> Job:
    """The job for a worker: the query, its dataset, the output format, the row cap and the
    predeclared prefixes (sorted pairs, made once by the caller)."""
    return Job(query=query.query, format=fmt.name, returns_graph=found.returns_graph,
               base_iri=base_iri, row_limit=row_limit,
               default_graphs=query.default_graphs, named_graphs=query.named_graphs,
               union_default_graph=not found.has_dataset, prefixes=prefixes)


def cache_key(job: Job, version: str) -> str:
    """An entity tag for a job's result: the same job on the same release gives the same
    bytes, so the tag is known before the query runs and a revalidation costs nothing."""
    if len(job.query) <= MEMO_LENGTH:
        return _tag(job, version)
    return _digest(job, version)


def _digest(job: Job, version: str) -> str:
    digest = hashlib.sha256(repr((version, job)).encode()).hexdigest()[:24]
    return f"{version}-{digest}"


_tag = lru_cache(maxsize=MEMO)(_digest)
