"""Versioned, SHACL-validated data releases: ``unkg release VERSION``.

A release is built from the corpus into a fresh in-memory store (so nothing stale from the
user's store leaks into it), validated, and only then written to ``dist/unkg-VERSION/``. A
violation, or a document that could not be read, blocks it: nothing is written and the previous
release stays in place. The directory is written under a temporary name and renamed into place,
so a failure half-way never leaves a half release.

Releases are reproducible: every file is a pure function of the store's triples, the version and
the declared issued date (``--issued`` or ``SOURCE_DATE_EPOCH``; the build record's time is set
to it too). Lines and subjects are sorted, gzip carries no time stamp, blank nodes (only in the
SHACL report) are canonicalised.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, VOID, XSD
from rdflib.term import Node

from graph import commands
from graph.namespaces import BASE, PREFIXES, UNKG
from graph.store import graph_sizes
from graph.validate import (ONTOLOGY_FILE, SHAPES, SHAPES_FILE, Report, data_graph,
                            load_ontology, load_shapes, run_shacl)

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CHECKSUMS = "SHA256SUMS"
VERSION_REGEX = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")
# Local names that can be written as prefixed names without escaping.
_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_IANA = "https://www.iana.org/assignments/media-types/"

# file name -> (media type, title); the order is the order of the DCAT description.
DISTRIBUTIONS: dict[str, tuple[str, str]] = {
    "unkg.ttl": ("text/turtle", "The graph in Turtle, grouped by subject"),
    "unkg.nt.gz": ("application/n-triples", "The graph in N-Triples, gzip-compressed"),
    "unkg.nq": ("application/n-quads", "The graph in N-Quads, one named graph per source document"),
    "unkg.jsonld": ("application/ld+json", "The graph in JSON-LD, with the context of context.jsonld"),
    "context.jsonld": ("application/ld+json", "The JSON-LD context of the release"),
    "ontology.ttl": ("text/turtle", "The unkg ontology"),
    "shapes.ttl": ("text/turtle", "The SHACL shapes the release conforms to"),
    "shacl-report.ttl": ("text/turtle", "The SHACL validation report of the release"),
}
DATA_DUMPS = ("unkg.ttl", "unkg.nt.gz", "unkg.nq", "unkg.jsonld")
DESCRIPTION = "void.ttl"


class ReleaseBlocked(Exception):
    """The release may not go out; ``report`` holds the SHACL report when shapes were broken."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class ReleaseInfo:
    """What identifies a release besides its triples."""

    version: str
    issued: date
    endpoint: URIRef

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{BASE}release/{self.version}")

    def download(self, name: str) -> URIRef:
        return URIRef(f"{BASE}downloads/{self.version}/{name}")  # the path server/downloads.py serves


# ---------------------------------------------------------------------------------------------
# Terms and serializations


def _prefixed(iri: str) -> str | None:
    """``iri`` as a prefixed name when one of the project's prefixes covers it cleanly."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        local = iri[len(str(namespace)):]
        if iri.startswith(str(namespace)) and _PN_LOCAL.match(local):
            return f"{prefix}:{local}"
    return None


def _term(node: Node) -> str:
    """A term in Turtle syntax, with prefixed names where they are safe."""
    if isinstance(node, URIRef):
        return _prefixed(str(node)) or f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        if node.datatype is not None and node.datatype != XSD.string:
            return node.n3().rsplit("^^", 1)[0] + "^^" + _term(node.datatype)
        if node.datatype is not None:
            return Literal(str(node)).n3()
        return node.n3()
    raise TypeError(f"not an RDF term: {node!r}")


def _key(node: Node) -> tuple:
    """A total, stable order on terms: IRIs, then blank nodes, then literals."""
    rank = 0 if isinstance(node, URIRef) else 1 if isinstance(node, BNode) else 2
    if isinstance(node, Literal):
        return (rank, str(node), str(node.datatype or ""), node.language or "")
    return (rank, str(node), "", "")


def turtle(graph: Graph) -> bytes:
    """Turtle grouped by subject, subjects, predicates and objects sorted, all prefixes declared."""
    if any(isinstance(n, BNode) for triple in graph for n in triple):
        graph = to_canonical_graph(graph)
    out = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    for subject in sorted(set(graph.subjects()), key=_key):
        predicates = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, _key(p)))
        lines = []
        for predicate in predicates:
            objects = sorted(graph.objects(subject, predicate), key=_key)
            verb = "a" if predicate == RDF.type else _term(predicate)
            lines.append(f"    {verb} " + ",\n        ".join(_term(o) for o in objects))
        out.append("")
        out.append(_term(subject) + "\n" + " ;\n".join(lines) + " .")
    return ("\n".join(out) + "\n").encode("utf-8")


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.split(b"\n") if line.strip()))
    return b"".join(line + b"\n" for line in lines)


def ntriples_gz(triples: bytes) -> bytes:
    """Sorted N-Triples, gzip-compressed without a file name or time stamp."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(_sorted_lines(triples))
    return buffer.getvalue()


def context() -> dict:
    """The JSON-LD context: the project's prefixes."""
    return {"@context": {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}}


def _json_value(node: Node) -> object:
    if isinstance(node, URIRef):
        return {"@id": str(node)}
    if isinstance(node, BNode):
        return {"@id": f"_:{node}"}
    assert isinstance(node, Literal)
    if node.language:
        return {"@value": str(node), "@language": node.language}
    if node.datatype is not None and node.datatype != XSD.string:
        return {"@value": str(node), "@type": _prefixed(str(node.datatype)) or str(node.datatype)}
    return {"@value": str(node)}


def jsonld(graph: Graph) -> bytes:
    """Flattened JSON-LD: one node object per subject, sorted, the published context inline.

    The context is inlined (it is also published as ``context.jsonld``) so that the file reads
    offline; keys are the same prefixed names as in the Turtle.
    """
    nodes = []
    for subject in sorted(set(graph.subjects()), key=_key):
        node: dict[str, object] = {"@id": str(subject) if isinstance(subject, URIRef) else f"_:{subject}"}
        types = sorted(graph.objects(subject, RDF.type), key=_key)
        if types:
            node["@type"] = [_prefixed(str(t)) or str(t) for t in types]
        for predicate in sorted(set(graph.predicates(subject)) - {RDF.type}, key=_key):
            key = _prefixed(str(predicate)) or str(predicate)
            node[key] = [_json_value(o) for o in sorted(graph.objects(subject, predicate), key=_key)]
        nodes.append(node)
    document = {"@context": context()["@context"], "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The description of the release (VoID + DCAT)


def _local(iri: Node) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", _prefixed(str(iri)) or str(iri)).strip("-")


def description(graph: Graph, quads_per_graph: dict[str, int], files: dict[str, bytes],
                info: ReleaseInfo) -> Graph:
    """VoID and DCAT: counts per class and property, license, version, endpoint, distributions.

    A property partition also counts its distinct subjects and objects: for
    ``cito:hasCitedEntity``, how many citations were resolved and how many resources they cite,
    the figures of the server's ``/stats`` page that VoID has terms for."""
    d = Graph()
    rel = info.iri
    issued = Literal(info.issued.isoformat(), datatype=XSD.date)
    d.add((rel, RDF.type, VOID.Dataset))
    d.add((rel, RDF.type, DCAT.Dataset))
    d.add((rel, DCTERMS.title, Literal(f"unkg {info.version}", lang="en")))
    d.add((rel, DCTERMS.description, Literal(
        "Knowledge graph of United Nations crime-prevention and criminal-justice documents: "
        "resolutions, their paragraphs, footnotes and typed citations, with provenance.", lang="en")))
    d.add((rel, DCTERMS.license, LICENSE))
    d.add((rel, DCTERMS.issued, issued))
    d.add((rel, URIRef(f"{DCAT}version"), Literal(info.version)))
    d.add((rel, OWL.versionInfo, Literal(info.version)))
    d.add((rel, DCTERMS.conformsTo, URIRef(SHAPES.rstrip("#"))))
    d.add((rel, VOID.sparqlEndpoint, info.endpoint))
    d.add((rel, VOID.uriSpace, Literal(str(BASE))))
    for namespace in sorted({str(UNKG)} | {str(ns) for ns in PREFIXES.values()
                                             if any(str(p).startswith(str(ns)) for p in set(graph.predicates()))}):
        d.add((rel, VOID.vocabulary, URIRef(namespace)))

    typed = {s for s in graph.subjects(RDF.type, None)}
    d.add((rel, VOID.triples, Literal(len(graph))))
    d.add((rel, VOID.entities, Literal(len(typed))))
    d.add((rel, VOID.distinctSubjects, Literal(len(set(graph.subjects())))))
    d.add((rel, VOID.properties, Literal(len(set(graph.predicates())))))
    classes = sorted(set(graph.objects(None, RDF.type)), key=_key)
    d.add((rel, VOID.classes, Literal(len(classes))))
    for cls in classes:
        partition = URIRef(f"{rel}#class-{_local(cls)}")
        d.add((rel, VOID.classPartition, partition))
        d.add((partition, VOID["class"], cls))
        d.add((partition, VOID.entities, Literal(len(set(graph.subjects(RDF.type, cls))))))
    for predicate in sorted(set(graph.predicates()), key=_key):
        partition = URIRef(f"{rel}#property-{_local(predicate)}")
        d.add((rel, VOID.propertyPartition, partition))
        d.add((partition, VOID.property, predicate))
        d.add((partition, VOID.triples, Literal(len(set(graph.triples((None, predicate, None)))))))
        d.add((partition, VOID.distinctSubjects, Literal(len(set(graph.subjects(predicate))))))
        d.add((partition, VOID.distinctObjects, Literal(len(set(graph.objects(None, predicate))))))
    for name, count in sorted(quads_per_graph.items()):
        d.add((rel, VOID.subset, URIRef(name)))
        d.add((URIRef(name), RDF.type, VOID.Dataset))
        d.add((URIRef(name), VOID.triples, Literal(count)))
    for example in example_resources(graph):
        d.add((rel, VOID.exampleResource, example))

    for name, data in files.items():
        media, title = DISTRIBUTIONS[name]
        dist = info.download(name)
        d.add((rel, DCAT.distribution, dist))
        if name in DATA_DUMPS:
            d.add((rel, VOID.dataDump, dist))
        d.add((dist, RDF.type, DCAT.Distribution))
        d.add((dist, DCTERMS.title, Literal(title, lang="en")))
        d.add((dist, DCAT.downloadURL, dist))
        d.add((dist, DCAT.mediaType, URIRef(_IANA + media)))
        if name.endswith(".gz"):
            d.add((dist, DCAT.compressFormat, URIRef(_IANA + "application/gzip")))
        d.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        d.add((dist, DCTERMS.license, LICENSE))
        d.add((dist, DCTERMS.issued, issued))
    return d


EXAMPLE_CLASSES = (UNKG.Resolution, UNKG.OperativeParagraph, UNKG.Footnote, UNKG.Treaty,
                   UNKG.Congress, UNKG.Declaration)


def example_resources(graph: Graph) -> list[URIRef]:
    """One resource per main class, to show a newcomer where to start.

    Resources read from the corpus (with provenance) come before those only cited, then the
    first by IRI, so the choice is stable.
    """
    examples = []
    for cls in EXAMPLE_CLASSES:
        instances = sorted((s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)),
                           key=lambda s: ((s, PROV.wasDerivedFrom, None) not in graph, str(s)))
        if instances:
            examples.append(instances[0])
    return examples


# ---------------------------------------------------------------------------------------------
# Making, writing and verifying a release


def store_quads(store: ox.Store) -> bytes:
    """Every quad of the store as sorted N-Quads."""
    return _sorted_lines(cast(bytes, ox.serialize(store.quads_for_pattern(None, None, None),
                                                  format=ox.RdfFormat.N_QUADS)))


def union_triples(store: ox.Store) -> bytes:
    """The union of all graphs of the store as sorted N-Triples."""
    triples = (ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None))
    return _sorted_lines(cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)))


def render_release(store: ox.Store, info: ReleaseInfo) -> tuple[Report, dict[str, bytes]]:
    """Validate the store and render every file of its release; raises ``ReleaseBlocked``."""
    nt = union_triples(store)
    # rdflib's own parser keeps simple literals plain, as every reader of the files will see them.
    graph = Graph().parse(data=nt.decode("utf-8"), format="nt")
    report = run_shacl(data_graph(graph, load_ontology()), load_shapes())
    if not report.conforms:
        raise ReleaseBlocked(f"{len(report.violations)} SHACL violations", report)
    files = {
        "unkg.ttl": turtle(graph),
        "unkg.nt.gz": ntriples_gz(nt),
        "unkg.nq": store_quads(store),
        "unkg.jsonld": jsonld(graph),
        "context.jsonld": (json.dumps(context(), indent=1, sort_keys=True) + "\n").encode(),
        "ontology.ttl": ONTOLOGY_FILE.read_bytes(),
        "shapes.ttl": SHAPES_FILE.read_bytes(),
        "shacl-report.ttl": turtle(report.graph),
    }
    files[DESCRIPTION] = turtle(description(graph, graph_sizes(store), files, info))
    return report, files


def checksums(files: dict[str, bytes]) -> bytes:
    """``sha256sum`` format, sorted by file name."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(files.items())).encode()


def write_release(out: Path, version: str, files: dict[str, bytes]) -> Path:
    """Write ``out/unkg-VERSION`` atomically: a temporary directory, then a rename.

    An existing release of the same version is exchanged with the new one in one step
    (``renameat2(RENAME_EXCHANGE)`` on Linux), so that a reader, or a process killed at any
    moment, sees the whole old release or the whole new one, never a mix and never none. One
    release is written at a time (a ``flock`` on ``out`` itself, which the kernel drops if the
    process dies); what a killed one left behind (its temporary directory) is removed by the
    next.
    """
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"unkg-{version}"
    lock = os.open(out, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _recover(out)
        staging = Path(tempfile.mkdtemp(prefix=f".unkg-{version}.", suffix=".tmp", dir=out))
        try:
            for name, data in sorted(files.items()):
                _write_synced(staging / name, data)
            _write_synced(staging / CHECKSUMS, checksums(files))
            staging.chmod(0o755)
            _fsync(staging)
            _swap(staging, target)
            _fsync(out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # the old release, or an unfinished new one
    finally:
        os.close(lock)
    return target


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _recover(out: Path) -> None:
    """Undo what a release killed half-way left: a release moved aside by the fallback swap
    goes back where it was; temporary directories go."""
    for previous in out.glob(".unkg-*.previous"):
        target = out / previous.name[1:-len(".previous")]
        if target.exists():
            shutil.rmtree(previous, ignore_errors=True)
        else:
            os.rename(previous, target)
    for staging in out.glob(".unkg-*.tmp"):
        shutil.rmtree(staging, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step; False where the system cannot (not Linux, old libc,
    a file system without RENAME_EXCHANGE)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target``; afterwards ``staging`` holds the old release."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        return
    # Two renames: a process killed between them leaves the old release aside, and the next
    # release (``_recover``) puts it back.
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(target, previous)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(previous, target)
        raise
    os.rename(previous, staging)


def verify_release(directory: Path) -> list[str]:
    """Problems with a release directory: missing, corrupted or unlisted files."""
    sums = directory / CHECKSUMS
    listed: dict[str, str] = {}
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest):
            return [f"{CHECKSUMS} line {number} is not '<sha256>  <file>'"]
        listed[name] = digest
    problems = []
    for name, digest in sorted(listed.items()):
        path = directory / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"checksum mismatch: {name}")
    for path in sorted(directory.iterdir()):
        if path.name != CHECKSUMS and path.name not in listed:
            problems.append(f"not in {CHECKSUMS}: {path.name}")
    return problems


# ---------------------------------------------------------------------------------------------
# Command line


def issued_date(value: str | None, environ: dict[str, str] | os._Environ = os.environ) -> date:
    """The declared issued date: ``--issued``, else ``SOURCE_DATE_EPOCH``, else today (UTC)."""
    from graph.cli import UserError

    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise UserError(f"--issued {value!r} is not a date (YYYY-MM-DD)") from None
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except ValueError:
            raise UserError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return datetime.now(timezone.utc).date()


def _build(corpus: str, issued: date, jobs: int) -> ox.Store:
    """The corpus built into a fresh in-memory store by ``jobs`` processes (as ``unkg build``
    extracts), build time = the issued date."""
    from graph.build import build_corpus
    from graph.cli import UserError
    from graph.document import ReaderError
    from graph.jobs import JobError
    from graph.store import open_store

    store = open_store(memory=True)
    try:
        summary = build_corpus(corpus, store, jobs=jobs,
                               build_time=datetime.combine(issued, time(0), timezone.utc))
    except (ReaderError, JobError) as error:
        raise UserError(str(error)) from None
    if summary.errors:
        raise ReleaseBlocked("documents could not be read:\n" + "\n".join(
            f"  {error}" for error in summary.errors))
    return store


def cmd_release(args: argparse.Namespace) -> int:
    """Build, validate and write a release; or verify one. 0 done, 1 blocked or corrupt."""
    from graph.cli import UserError

    if args.verify:
        directory = Path(args.verify)
        if not (directory / CHECKSUMS).is_file():
            raise UserError(f"{directory} has no {CHECKSUMS}: not a release directory")
        problems = verify_release(directory)
        for problem in problems:
            print(problem)
        print(f"{directory}: {'CORRUPT' if problems else 'OK'}")
        return 1 if problems else 0
    if not args.version:
        raise UserError("give the VERSION to release (or --verify DIR)")
    if not VERSION_REGEX.match(args.version):
        raise UserError(f"version {args.version!r} may use only letters, digits and . + _ -")
    issued = issued_date(args.issued)
    info = ReleaseInfo(args.version, issued, URIRef(args.endpoint or f"{BASE}sparql"))
    try:
        store = (commands.read_store(args) if args.no_build
                 else _build(args.corpus, issued, commands.jobs(args)))
        report, files = render_release(store, info)
    except ReleaseBlocked as blocked:
        print(f"release {args.version} blocked: {blocked}", file=sys.stderr)
        if blocked.report is not None:
            sys.stdout.write(blocked.report.text())
        return 1
    target = write_release(Path(args.out), args.version, files)
    print(f"release {args.version} (issued {issued.isoformat()}) written to {target}: "
          f"{len(files) + 1} files; {report.text().splitlines()[0]}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``release`` to the ``unkg`` parser."""
    parser = subparsers.add_parser(
        "release", help="build, validate and write a versioned data release",
        description="Build the corpus, validate it against the SHACL shapes and write "
                    "dist/unkg-VERSION/. Exit status: 0 released (or verified), 1 blocked by "
                    "violations or a corrupted release, 2 error.")
    parser.add_argument("version", nargs="?", metavar="VERSION", help="release version, e.g. 0.1.0")
    parser.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    parser.add_argument("--out", default="dist", help="where releases go (default: dist)")
    parser.add_argument("--issued", help="issued date YYYY-MM-DD (default: $SOURCE_DATE_EPOCH, else today)")
    parser.add_argument("--endpoint", help=f"SPARQL endpoint to advertise (default: {BASE}sparql)")
    parser.add_argument("--no-build", action="store_true",
                        help="release the store (--store) as it is instead of building the corpus")
    parser.add_argument("--verify", metavar="DIR", help="check the checksums of a release directory")
    commands.add_jobs_option(parser)
    parser.set_defaults(func=cmd_release)
