"""``unkg serve``: build the graph if the store is empty, then serve it with waitress.

Every setting has a flag and an ``UNKG_*`` environment variable; a flag wins. The IRI base is
only ``UNKG_BASE``, because the build reads it too and both must agree. Waitress serves
the web requests with a pool of threads; client queries run in the worker processes of
``server.pool`` (``--workers``), which is where the timeout is enforced.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox

from graph.cli import UserError
from graph.commands import add_jobs_option, jobs
from graph.remote import MEMORY, is_remote, setting
from graph.store import store_path

FLAGS = {  # flag destination -> app config key
    "timeout": "QUERY_TIMEOUT",
    "row_limit": "ROW_LIMIT",
    "workers": "QUERY_WORKERS",
    "queue": "QUERY_QUEUE",
    "worker_memory": "WORKER_MEMORY",
    "page_slots": "PAGE_SLOTS",
    "page_queue": "PAGE_QUEUE",
    "page_wait": "PAGE_WAIT",
    "max_body": "MAX_BODY",
    "dist": "DIST",
    "cache_mb": "ANSWER_CACHE_MB",
}


def serve_config(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, Any]:
    """The app config: ``UNKG_*`` variables, then the flags given, with the resolved store."""
    from server import config_from_env

    config = config_from_env(environ)
    config.update({key: getattr(args, dest) for dest, key in FLAGS.items()
                   if getattr(args, dest) is not None})
    value = setting(args.store, environ)
    config["STORE"] = (value if value == MEMORY or is_remote(value)  # graph.remote
                       else str(store_path(args.store)))
    return config


def request_threads(config: Mapping[str, Any]) -> int:
    """Enough request threads for every query and page that may be running or waiting
    (``server.pool``, ``server.admission``), and 8 more for /health, static files and errors:
    a request past those bounds is answered 503 at once instead of queueing inside waitress,
    where a cheap request would wait behind costly ones."""
    return (int(config["QUERY_WORKERS"]) + int(config["QUERY_QUEUE"])
            + int(config["PAGE_SLOTS"]) + int(config["PAGE_QUEUE"]) + 8)


def _is_empty(path: Path) -> bool:
    """Whether the store's current version (``graph.store``) is missing or holds nothing."""
    from graph.store import open_current

    opened = open_current(path) if path.is_dir() else None
    if opened is None:
        return True
    _, store, lease = opened
    empty = len(store) == 0
    del store
    lease.release()
    return empty


def ensure_store(path: Path, corpus: Path, jobs: int = 1) -> None:
    """Build ``corpus`` into the store at ``path`` when it holds nothing yet, as ``unkg build``
    does (``graph.build.build_version``: extracted by ``jobs`` processes into a new version,
    validated, then switched to), so the server then opens it read-only like any version."""
    if not _is_empty(path):
        return
    from graph.build import build_version
    from graph.document import ReaderError
    from graph.jobs import JobError

    if not corpus.is_dir():
        raise UserError(f"the store at {path} is empty and there is no corpus at {corpus} "
                        "to build it from")
    log = logging.getLogger("unkg.server")
    log.info("store %s is empty: building %s first", path, corpus)
    try:
        built = build_version(corpus, path, jobs=jobs)
    except (ReaderError, JobError) as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot write the store at {path}: {error}") from None
    summary = built.summary
    for problem in summary.errors:
        log.warning("build: %s", problem)
    if built.report is not None:
        raise UserError(f"the build of {corpus} does not conform to the shapes "
                        f"({len(built.report.violations)} violations; `unkg validate` lists "
                        "them): nothing to serve")
    log.info("built %d documents, %d triples, %d errors", summary.documents, summary.triples,
             len(summary.errors))


def memory_store(corpus: Path, jobs: int = 1) -> ox.Store:
    """``--store memory``: the corpus built (by ``jobs`` processes) into a store that lives as
    long as the server."""
    from graph.build import build_corpus
    from graph.document import ReaderError
    from graph.jobs import JobError

    store = ox.Store()
    try:
        summary = build_corpus(corpus, store, progress=False, jobs=jobs)
    except (ReaderError, JobError) as error:
        raise UserError(str(error)) from None
    logging.getLogger("unkg.server").info("built %s in memory: %d triples, %d errors", corpus,
                                          summary.triples, len(summary.errors))
    return store


def cmd_serve(args: argparse.Namespace) -> int:
    """Build if needed, then serve until interrupted."""
    from waitress import serve

    from server import create_app
    from server.store import StoreMissing

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = serve_config(args, os.environ)
    processes = jobs(args)  # the first build extracts as `unkg build` does
    if config["STORE"] == MEMORY:  # built now, gone when the server stops
        config["STORE"] = memory_store(Path(args.corpus), processes)
    elif is_remote(config["STORE"]):
        from server.remote import ensure_built
        ensure_built(config["STORE"], Path(args.corpus), processes)
    else:
        ensure_store(Path(config["STORE"]), Path(args.corpus), processes)
    try:
        app = create_app(config)
    except StoreMissing as error:
        raise UserError(str(error)) from None
    threads = args.threads or request_threads(app.config)
    logging.getLogger("unkg.server").info(
        "serving %s on http://%s:%s/ (timeout %ss, %s rows, %s query workers, %s MB a query, "
        "%s waiting, %s pages at once and %s waiting, %s threads, %s MB of answers)",
        config["STORE"], args.host, args.port, app.config["QUERY_TIMEOUT"],
        app.config["ROW_LIMIT"], app.config["QUERY_WORKERS"],
        app.config["WORKER_MEMORY"] or "unlimited", app.config["QUERY_QUEUE"],
        app.config["PAGE_SLOTS"], app.config["PAGE_QUEUE"], threads,
        app.config["ANSWER_CACHE_MB"])
    serve(app, host=args.host, port=args.port, threads=threads, ident="unkg")
    return 0


def _env(name: str, default: str) -> str:
    return os.environ.get(f"UNKG_{name}", default)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``serve`` to the ``unkg`` parser."""
    parser = subparsers.add_parser(
        "serve", help="serve the SPARQL endpoint and linked-data pages (builds an empty store)",
        description="Flags override the UNKG_* environment variables named in brackets.")
    parser.add_argument("--host", default=_env("HOST", "127.0.0.1"), help="[UNKG_HOST] 127.0.0.1")
    parser.add_argument("--port", type=int, default=int(_env("PORT", "8080")),
                        help="[UNKG_PORT] 8080")
    threads = _env("THREADS", "")
    parser.add_argument("--threads", type=int, default=int(threads) if threads else None,
                        help="[UNKG_THREADS] waitress request threads; default: as many as "
                             "pages and queries may run and wait, plus 8")
    parser.add_argument("--workers", type=int,
                        help="[UNKG_QUERY_WORKERS] query processes (and one spare), 4")
    parser.add_argument("--queue", type=int,
                        help="[UNKG_QUERY_QUEUE] queries waiting for a busy worker (503 past "
                             "them), 48")
    parser.add_argument("--worker-memory", type=int, metavar="MB",
                        help="[UNKG_WORKER_MEMORY] memory a query may use in its worker "
                             "process, MB (0: no cap), 1024")
    parser.add_argument("--page-slots", type=int,
                        help="[UNKG_PAGE_SLOTS] pages made at once, 2")
    parser.add_argument("--page-queue", type=int,
                        help="[UNKG_PAGE_QUEUE] pages waiting for a slot (503 past them), 48")
    parser.add_argument("--page-wait", type=float,
                        help="[UNKG_PAGE_WAIT] seconds a page may wait for a slot, 30")
    parser.add_argument("--timeout", type=float, help="[UNKG_QUERY_TIMEOUT] seconds, 30")
    parser.add_argument("--row-limit", type=int, help="[UNKG_ROW_LIMIT] rows per result, 10000")
    parser.add_argument("--max-body", type=int, help="[UNKG_MAX_BODY] request bytes, 1000000")
    parser.add_argument("--cache-mb", type=float, metavar="MB",
                        help="[UNKG_ANSWER_CACHE_MB] answers to queries and pages kept in "
                             "memory until the next build (0: none), 64")
    parser.add_argument("--dist", help="[UNKG_DIST] release directory, dist")
    parser.add_argument("--corpus", default=_env("CORPUS", "corpus"),
                        help="[UNKG_CORPUS] corpus built when the store is empty, corpus")
    add_jobs_option(parser)
    parser.set_defaults(func=cmd_serve)
