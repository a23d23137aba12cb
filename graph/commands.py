"""The store subcommands: ``build``, ``export``, ``query``, ``info``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from graph.cli import UserError
from graph.remote import MEMORY, RemoteSpec, is_remote, parse_store, setting
from graph.store import count_quads, named_graphs, open_store, store_path

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _remote(args: argparse.Namespace) -> RemoteSpec | None:
    """The remote store the store setting names (``graph.remote``), None for a directory."""
    value = setting(args.store)
    if value == MEMORY:
        raise UserError("a memory store lives as long as its process: use it with "
                        "`unkg serve --store memory`")
    try:
        return parse_store(value) if value and is_remote(value) else None
    except ValueError as error:
        raise UserError(f"--store: {error}") from None


def _open(args: argparse.Namespace, *, read_only: bool = False) -> ox.Store:
    if _remote(args) is not None:
        raise UserError(f"`unkg {args.command}` reads an embedded store; ask the remote store "
                        "at its own endpoint, or serve it with `unkg serve`")
    try:
        if read_only and not store_path(args.store).exists():
            raise UserError(f"no store at {store_path(args.store)}: run `unkg build` first")
        return open_store(args.store, read_only=read_only)
    except OSError as error:
        raise UserError(f"cannot open the store at {store_path(args.store)}: {error}") from None


def read_store(args: argparse.Namespace) -> ox.Store:
    """The whole store the setting names, to read (``unkg validate``, ``unkg release
    --no-build``): an embedded one opened read-only, or the version a remote store serves
    copied into memory (``graph.remote.copy_served``)."""
    remote = _remote(args)
    if remote is None:
        return _open(args, read_only=True)
    from graph.remote import Client, copy_served

    store = ox.Store()
    try:
        catalog = copy_served(Client(remote), store)
    except OSError as error:
        raise UserError(f"cannot read the {remote.describe()}: {error}") from None
    if catalog.version is None:
        raise UserError(f"the {remote.describe()} serves nothing yet: run `unkg build` with "
                        "this store first")
    return store


def cmd_build(args: argparse.Namespace) -> int:
    """Build the corpus into a new version of the store, validate it, switch to it, and print
    a summary; 1 if a document failed or the new version was refused."""
    from graph.build import build_version
    from graph.document import ReaderError
    from graph.jobs import JobError

    remote = _remote(args)
    root = remote.query if remote else store_path(args.store)
    options = dict(validate=not getattr(args, "no_validate", False),  # ``unkg fetch`` passes
                   fresh=getattr(args, "fresh", False), progress=not args.quiet,  # none of them
                   jobs=jobs(args), scheduler=getattr(args, "scheduler", None))
    try:
        if remote is not None:  # a SPARQL service (graph.remote): staged graphs, then a switch
            from graph.remote import build_remote
            built = build_remote(args.corpus, remote, **options)  # type: ignore[arg-type]
        else:
            built = build_version(args.corpus, root, **options)  # type: ignore[arg-type]
    except (ReaderError, JobError) as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot write the store at {root}: {error}") from None
    summary = built.summary
    print(f"files read: {summary.read}  kept: {summary.kept}  removed: {len(summary.removed)}  "
          f"documents: {summary.documents}  paragraphs: {summary.paragraphs}  "
          f"footnotes: {summary.footnotes}  citations: {summary.citations}  "
          f"triples: {summary.triples}  warnings: {len(summary.warnings)}  "
          f"errors: {len(summary.errors)}")
    for name in summary.removed if args.verbose else []:
        print(f"removed: the graph of {name}, no longer in the corpus", file=sys.stderr)
    for warning in summary.warnings if args.verbose else []:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in summary.errors:
        print(f"error: {problem}", file=sys.stderr)
    if built.report is not None:
        sys.stderr.write(built.report.text())
        print(f"error: the new version does not conform to the shapes "
              f"({len(built.report.violations)} violations): the store stays at "
              f"{built.previous or 'nothing'} (--no-validate switches anyway)", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"store: {root} now serves version {built.version}", file=sys.stderr)
    return 1 if summary.errors else 0


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}")
    return int(text)


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    """``--jobs N``, for every command that builds (``build``, ``release``, ``serve``), so that
    they all extract the same way (``graph.jobs``)."""
    parser.add_argument("-j", "--jobs", type=_positive, metavar="N",
                        help="extract in N processes (default: one per core; 1 runs in this "
                             "process)")


def jobs(args: argparse.Namespace) -> int:
    """The processes a build extracts in: ``--jobs``, else one per core (``unkg fetch``, which
    builds after fetching, has no ``--jobs``)."""
    from graph.jobs import default_jobs

    return getattr(args, "jobs", None) or default_jobs()


def cmd_export(args: argparse.Namespace) -> int:
    """Serialize the store (all named graphs merged, or as quads) to a file or stdout."""
    store = _open(args, read_only=True)
    fmt = EXPORT_FORMATS[args.format]
    data = _dump(store, fmt) if fmt.supports_datasets else _merged(store, fmt)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _dump(store: ox.Store, fmt: ox.RdfFormat) -> bytes:
    """The whole store, named graphs kept, in a dataset format."""
    return cast(bytes, store.dump(format=fmt))


def _merged(store: ox.Store, fmt: ox.RdfFormat) -> bytes:
    """All named graphs as one graph, for formats that cannot carry graph names."""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(triples, ox.QueryTriples)
    return cast(bytes, ox.serialize(triples, format=fmt, prefixes=_prefixes()))


def _prefixes() -> dict[str, str]:
    from graph.namespaces import PREFIXES
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def cmd_query(args: argparse.Namespace) -> int:
    """Run a SPARQL query over the union of all graphs and print the results.

    The project's prefixes are predeclared, as on the endpoint, so the same query text works in
    both places.
    """
    if args.file:
        try:
            query = Path(args.file).read_text(encoding="utf-8")
        except OSError as error:
            raise UserError(f"cannot read {args.file}: {error.strerror}") from None
    elif args.query:
        query = args.query
    else:
        raise UserError("give a query or --file")
    store = _open(args, read_only=True)
    try:
        results = store.query(query, use_default_graph_as_union=True, prefixes=_prefixes())
    except SyntaxError as error:
        raise UserError(f"bad query: {error}") from None
    out = sys.stdout
    if isinstance(results, ox.QueryBoolean):
        print("true" if results else "false", file=out)
    elif isinstance(results, ox.QueryTriples):
        sys.stdout.buffer.write(cast(bytes, ox.serialize(results, format=ox.RdfFormat.TURTLE,
                                                         prefixes=_prefixes())))
    elif args.output_format == "json":
        sys.stdout.buffer.write(cast(bytes, results.serialize(format=ox.QueryResultsFormat.JSON)))
        print()
    else:
        names = [v.value for v in results.variables]
        rows = [[_cell(solution[name]) for name in names] for solution in results]
        if args.output_format == "csv":
            writer = csv.writer(out)
            writer.writerow(names)
            writer.writerows(rows)
        else:
            _table(names, rows)
    return 0


def _cell(term: object) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def _table(names: list[str], rows: list[list[str]]) -> None:
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c[:w].ljust(w) for c, w in zip(row, widths)))
    print(f"({len(rows)} rows)")


def cmd_info(args: argparse.Namespace) -> int:
    """Print what is in the store: graphs with their sizes, and the most common classes."""
    store = _open(args, read_only=True)
    graphs = named_graphs(store)
    print(f"store: {store_path(args.store)}")
    print(f"quads: {count_quads(store)} in {len(graphs)} named graphs")
    for name in graphs:
        print(f"  {name}  {count_quads(store, name)}")
    classes = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } "
        "GROUP BY ?c ORDER BY DESC(?n) ?c")
    assert isinstance(classes, ox.QuerySolutions)
    print("classes:")
    for row in classes:
        print(f"  {row['n'].value:>6}  {row['c'].value}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add build, export, query and info to the ``unkg`` parser."""
    build = subparsers.add_parser("build", help="build the graph from a corpus into the store")
    build.add_argument("corpus", nargs="?", default="corpus", help="corpus directory (default: corpus)")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    build.add_argument("-v", "--verbose", action="store_true", help="print every warning")
    build.add_argument("--fresh", action="store_true",
                       help="start from an empty store and read every file (by default only "
                            "the files changed since the current version are read)")
    add_jobs_option(build)
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="extract on the Dask cluster of this scheduler (tcp://host:8786; "
                            "needs pip install 'unkg[dask]')")
    build.add_argument("--no-validate", action="store_true",
                       help="switch to the new version without checking it against the shapes")
    build.set_defaults(func=cmd_build)

    export = subparsers.add_parser("export", help="serialize the store")
    export.add_argument("-f", "--format", choices=sorted(EXPORT_FORMATS), default="turtle")
    export.add_argument("-o", "--output", help="file to write (default: stdout)")
    export.set_defaults(func=cmd_export)

    query = subparsers.add_parser("query", help="run a SPARQL query against the store")
    query.add_argument("query", nargs="?", help="the query text")
    query.add_argument("--file", help="read the query from a file")
    query.add_argument("--output-format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(func=cmd_query)

    info = subparsers.add_parser("info", help="what is in the store")
    info.set_defaults(func=cmd_info)
