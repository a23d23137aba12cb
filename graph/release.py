"""Versioned, SHACL-validated data releases: ``unkg release VERSION``.

A release is built from the corpus into a fresh store on disk (so nothing stale from the
user's store leaks into it, and a large corpus does not have to fit in memory), or read from
the user's store (``--no-build``), validated graph by graph (``graph.validate_graphs``: the
report of the whole union, in memory bounded by the largest graph), and only then written to
``dist/unkg-VERSION/``. A violation, or a document that could not be read, blocks it: nothing
is written and the previous release stays in place. The directory is written under a
temporary name and renamed into place, so a failure half-way never leaves a half release.

Every dump is written as a stream, never held whole: the store's N-Quads are dumped by Oxigraph,
sorted in bounded memory (chunks sorted in memory, then merged from temporary files), and the
union's distinct triples, read back from the sorted quads, are counted for the VoID description
while Oxigraph writes them as N-Triples, from which it writes the Turtle and the JSON-LD; each
file's SHA-256 and size are taken while it is written.

Releases are reproducible: every file is a pure function of the store's statements, the
version and the declared issued date (``--issued`` or ``SOURCE_DATE_EPOCH``; the build record's
time is set to it too). Lines are sorted (so subjects come grouped, in the order of their
N-Triples form), gzip carries no time stamp, blank nodes of the SHACL report are canonicalised.
The data itself has none (a build writes none), so the dumps need no canonicalisation.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import gzip
import hashlib
import heapq
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, VOID, XSD

from graph import commands
from graph.namespaces import BASE, PREFIXES, UNKG
from graph.store import graph_sizes
from graph.validate import ONTOLOGY_FILE, SHAPES, SHAPES_FILE, Report, validate

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CHECKSUMS = "SHA256SUMS"
VERSION_REGEX = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")
# Local names that can be written as prefixed names without escaping.
_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_IANA = "https://www.iana.org/assignments/media-types/"
# How much of a dump is sorted in memory at a time (then merged from temporary files).
SORT_CHUNK_BYTES = 128 << 20
_BUFFER = 1 << 20

# file name -> (media type, title); the order is the order of the DCAT description.
DISTRIBUTIONS: dict[str, tuple[str, str]] = {
    "unkg.ttl": ("text/turtle", "The graph in Turtle, grouped by subject"),
    "unkg.nt.gz": ("application/n-triples", "The graph in N-Triples, gzip-compressed"),
    "unkg.nq": ("application/n-quads", "The graph in N-Quads, one named graph per source document"),
    "unkg.jsonld": ("application/ld+json", "The graph in JSON-LD (expanded, one node object per subject)"),
    "context.jsonld": ("application/ld+json", "A JSON-LD context with the project's prefixes, to compact unkg.jsonld"),
    "ontology.ttl": ("text/turtle", "The unkg ontology"),
    "shapes.ttl": ("text/turtle", "The SHACL shapes the release conforms to"),
    "shacl-report.ttl": ("text/turtle", "The SHACL validation report of the release"),
}
DATA_DUMPS = ("unkg.ttl", "unkg.nt.gz", "unkg.nq", "unkg.jsonld")
DESCRIPTION = "void.ttl"
EXAMPLE_CLASSES = (UNKG.Resolution, UNKG.OperativeParagraph, UNKG.Footnote, UNKG.Treaty,
                   UNKG.Congress, UNKG.Declaration)
_TYPE = ox.NamedNode(str(RDF.type))
_DERIVED_FROM = ox.NamedNode(str(PROV.wasDerivedFrom))


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
# Writing files: streamed, hashed and measured on the way


class _Hashing(io.RawIOBase):
    """A file that takes the SHA-256 and the size of what is written to it, so that a dump of
    gigabytes is not read again for its checksum; buffered by ``io.BufferedWriter``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.file = open(path, "wb")
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sha256.update(data)
        self.size += len(data)
        return self.file.write(data)

    def close(self) -> None:
        if not self.closed:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
        super().close()


class Writer:
    """Writes the files of a release into its (temporary) directory, remembering each one's
    SHA-256 and size for ``SHA256SUMS`` and the description."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.sums: dict[str, str] = {}
        self.sizes: dict[str, int] = {}

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        """A buffered binary file of the release, recorded once closed."""
        raw = _Hashing(self.directory / name)
        with io.BufferedWriter(raw, _BUFFER) as buffered:  # type: ignore[type-var]
            yield cast(BinaryIO, buffered)
        self.sums[name], self.sizes[name] = raw.sha256.hexdigest(), raw.size

    def put(self, name: str, data: bytes) -> None:
        with self.open(name) as file:
            file.write(data)

    def finish(self) -> None:
        """``SHA256SUMS``, in ``sha256sum`` format, sorted by file name."""
        self.put(CHECKSUMS, "".join(f"{digest}  {name}\n" for name, digest
                                    in sorted(self.sums.items())).encode())


def sort_lines(source: Path, target: BinaryIO, scratch: Path,
               chunk_bytes: int = SORT_CHUNK_BYTES) -> None:
    """The lines of ``source`` sorted bytewise, each once, written to ``target``. Chunks of
    ``chunk_bytes`` are sorted in memory and written to ``scratch``, then merged, so memory is
    bounded by a chunk, not by the file."""
    chunks: list[Path] = []
    with source.open("rb") as lines:
        while block := lines.readlines(chunk_bytes):
            block.sort()
            chunks.append(scratch / f"sorted-{len(chunks)}")
            with chunks[-1].open("wb") as chunk:
                chunk.writelines(block)
            del block
    with ExitStack() as stack:
        previous = None
        for line in heapq.merge(*(stack.enter_context(c.open("rb")) for c in chunks)):
            if line != previous:
                target.write(line)
                previous = line
    for path in chunks:
        path.unlink()


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def small_turtle(graph: Graph) -> bytes:
    """A small rdflib graph (the description, the SHACL report) as Turtle the way the dump is
    written: blank nodes canonicalised, triples in the order of their N-Triples lines,
    serialized by Oxigraph with the project's prefixes."""
    if any(isinstance(n, BNode) for triple in graph for n in triple):
        graph = to_canonical_graph(graph)
    lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)))
    triples = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes()) or b""


def context() -> dict:
    """The JSON-LD context: the project's prefixes."""
    return {"@context": _prefixes()}


# ---------------------------------------------------------------------------------------------
# Counting the union for its description (VoID + DCAT)


@dataclass
class Census:
    """What VoID says of the union, counted while its distinct triples pass by on their way to
    the dumps (``count``), in the order of their N-Triples lines, where the triples of a
    subject, and of a subject and a predicate, come together."""

    subjects: int = 0
    entities: int = 0  # subjects with a type
    classes: Counter[str] = field(default_factory=Counter)  # instances of each class
    properties: Counter[str] = field(default_factory=Counter)  # triples of each property
    property_subjects: Counter[str] = field(default_factory=Counter)
    # class -> the best example so far: (only cited, not read from the corpus; IRI)
    examples: dict[str, tuple[bool, str]] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.properties.values())

    def count(self, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        """``triples``, passed on as they are, counted."""
        subject: object = None
        predicate: ox.NamedNode | None = None
        run = 0  # triples of the current subject and predicate
        types: list[str] = []
        derived = False
        for triple in triples:
            s, p = triple.subject, triple.predicate
            if p != predicate or s != subject:
                if predicate is not None:
                    self.properties[predicate.value] += run
                if s != subject:
                    self._subject(subject, types, derived)
                    subject, types, derived = s, [], False
                predicate, run = p, 0
                self.property_subjects[p.value] += 1
                derived = derived or p == _DERIVED_FROM
            run += 1
            if p == _TYPE:
                types.append(cast(ox.NamedNode, triple.object).value)
            yield triple
        if predicate is not None:
            self.properties[predicate.value] += run
        self._subject(subject, types, derived)

    def _subject(self, subject: object, types: list[str], derived: bool) -> None:
        if subject is None:
            return
        self.subjects += 1
        self.entities += bool(types)
        self.classes.update(types)
        if isinstance(subject, ox.NamedNode):
            # Resources read from the corpus (with provenance) before those only cited, then
            # the first by IRI, so the choice is stable.
            candidate = (not derived, subject.value)
            for cls in types:
                if cls in _EXAMPLES and candidate < self.examples.get(cls, (True, "\U0010ffff")):
                    self.examples[cls] = candidate


_EXAMPLES = {str(c) for c in EXAMPLE_CLASSES}


def distinct_objects(store: ox.Store) -> dict[str, int]:
    """The distinct objects of each property over the union (a count Oxigraph makes in one
    scan, holding the distinct objects of a property at a time rather than the union)."""
    rows = store.query("SELECT ?p (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
                       use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return {row["p"].value: int(row["n"].value) for row in rows}


def _prefixed(iri: str) -> str | None:
    """``iri`` as a prefixed name when one of the project's prefixes covers it cleanly."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        local = iri[len(str(namespace)):]
        if iri.startswith(str(namespace)) and _PN_LOCAL.match(local):
            return f"{prefix}:{local}"
    return None


def _local(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", _prefixed(iri) or iri).strip("-")


def description(census: Census, objects: dict[str, int], quads_per_graph: dict[str, int],
                sizes: dict[str, int], info: ReleaseInfo) -> Graph:
    """VoID and DCAT: counts per class and property, license, version, endpoint, distributions
    with their sizes (``sizes``: file name -> bytes, in the order of ``DISTRIBUTIONS``).

    A property partition also counts its distinct subjects and objects (``objects``): for
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
                                             if any(p.startswith(str(ns)) for p in census.properties)}):
        d.add((rel, VOID.vocabulary, URIRef(namespace)))

    d.add((rel, VOID.triples, Literal(census.triples)))
    d.add((rel, VOID.entities, Literal(census.entities)))
    d.add((rel, VOID.distinctSubjects, Literal(census.subjects)))
    d.add((rel, VOID.properties, Literal(len(census.properties))))
    d.add((rel, VOID.classes, Literal(len(census.classes))))
    for cls, count in sorted(census.classes.items()):
        partition = URIRef(f"{rel}#class-{_local(cls)}")
        d.add((rel, VOID.classPartition, partition))
        d.add((partition, VOID["class"], URIRef(cls)))
        d.add((partition, VOID.entities, Literal(count)))
    for predicate, count in sorted(census.properties.items()):
        partition = URIRef(f"{rel}#property-{_local(predicate)}")
        d.add((rel, VOID.propertyPartition, partition))
        d.add((partition, VOID.property, URIRef(predicate)))
        d.add((partition, VOID.triples, Literal(count)))
        d.add((partition, VOID.distinctSubjects, Literal(census.property_subjects[predicate])))
        d.add((partition, VOID.distinctObjects, Literal(objects.get(predicate, 0))))
    for name, count in sorted(quads_per_graph.items()):
        d.add((rel, VOID.subset, URIRef(name)))
        d.add((URIRef(name), RDF.type, VOID.Dataset))
        d.add((URIRef(name), VOID.triples, Literal(count)))
    for cls in EXAMPLE_CLASSES:
        if str(cls) in census.examples:
            d.add((rel, VOID.exampleResource, URIRef(census.examples[str(cls)][1])))

    for name in (n for n in DISTRIBUTIONS if n in sizes):
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
        d.add((dist, DCAT.byteSize, Literal(sizes[name], datatype=XSD.nonNegativeInteger)))
        d.add((dist, DCTERMS.license, LICENSE))
        d.add((dist, DCTERMS.issued, issued))
    return d


# ---------------------------------------------------------------------------------------------
# Making, writing and verifying a release


def _distinct(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The triples of sorted quads, each once: a triple's quads come together in the order of
    N-Quads lines (a line is the triple's N-Triples, then the graph)."""
    previous = None
    for quad in quads:
        triple = quad.triple
        if triple != previous:
            yield triple
            previous = triple


def write_dumps(store: ox.Store, writer: Writer, scratch: Path) -> Census:
    """The four dumps of the store, streamed through files in ``scratch``; the union counted
    on the way."""
    dump = scratch / "store.nq"
    store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    with writer.open("unkg.nq") as nquads:
        sort_lines(dump, nquads, scratch)
    dump.unlink()
    census = Census()
    union = scratch / "union.nt"
    sorted_quads = ox.parse(path=str(writer.directory / "unkg.nq"), format=ox.RdfFormat.N_QUADS,
                            lenient=True)
    ox.serialize(census.count(_distinct(sorted_quads)), output=str(union),
                 format=ox.RdfFormat.N_TRIPLES)
    with ThreadPoolExecutor(1) as thread:  # zlib lets go of the GIL: gzip beside the rest
        compressed = thread.submit(_gzip, union, writer)
        for name, fmt in (("unkg.ttl", ox.RdfFormat.TURTLE), ("unkg.jsonld", ox.RdfFormat.JSON_LD)):
            with writer.open(name) as file:
                ox.serialize(ox.parse(path=str(union), format=ox.RdfFormat.N_TRIPLES, lenient=True),
                             output=file, format=fmt, prefixes=_prefixes())
        compressed.result()
    union.unlink()
    return census


def _gzip(source: Path, writer: Writer) -> None:
    """``unkg.nt.gz``: gzip's default level (level 9 took twice the time for 5 % less), no
    file name or time stamp in the header."""
    with writer.open("unkg.nt.gz") as file, source.open("rb") as lines, \
            gzip.GzipFile(filename="", mode="wb", fileobj=file, mtime=0, compresslevel=6) as out:
        shutil.copyfileobj(lines, out, _BUFFER)


def render_release(store: ox.Store, info: ReleaseInfo, directory: Path, scratch: Path, *,
                   jobs: int = 1, cache: Path | None = None) -> Report:
    """Validate the store and write every file of its release into ``directory``, using
    ``scratch`` for temporary files; raises ``ReleaseBlocked`` before writing anything.
    ``cache``: a validation cache file (``graph.validate_graphs.Cache``) to start from."""
    report = validate(store, jobs=jobs, cache=cache)
    if not report.conforms:
        raise ReleaseBlocked(f"{len(report.violations)} SHACL violations", report)
    writer = Writer(directory)
    census = write_dumps(store, writer, scratch)
    writer.put("context.jsonld", (json.dumps(context(), indent=1, sort_keys=True) + "\n").encode())
    writer.put("ontology.ttl", ONTOLOGY_FILE.read_bytes())
    writer.put("shapes.ttl", SHAPES_FILE.read_bytes())
    writer.put("shacl-report.ttl", small_turtle(report.graph))
    writer.put(DESCRIPTION, small_turtle(description(
        census, distinct_objects(store), graph_sizes(store), writer.sizes, info)))
    writer.finish()
    return report


@contextmanager
def release_directory(out: Path, version: str) -> Iterator[tuple[Path, Path]]:
    """A temporary directory to write ``out/unkg-VERSION`` into and one for scratch files; the
    first takes the release's place when the block ends without an exception.

    An existing release of the same version is exchanged with the new one in one step
    (``renameat2(RENAME_EXCHANGE)`` on Linux), so that a reader, or a process killed at any
    moment, sees the whole old release or the whole new one, never a mix and never none. One
    release is made at a time (a ``flock`` on ``out`` itself, held from start to end, which the
    kernel drops if the process dies); what a killed one left behind (its temporary
    directories) is removed by the next.
    """
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"unkg-{version}"
    lock = os.open(out, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _recover(out)
        staging, scratch = (Path(tempfile.mkdtemp(prefix=f".unkg-{version}.", suffix=".tmp", dir=out))
                            for _ in range(2))
        try:
            yield staging, scratch
            staging.chmod(0o755)
            _fsync(staging)
            _swap(staging, target)
            _fsync(out)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)  # the old release, or an unfinished new one
    finally:
        os.close(lock)


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
            continue
        with path.open("rb") as file:
            if hashlib.file_digest(file, "sha256").hexdigest() != digest:
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


def _build(corpus: str, issued: date, jobs: int, directory: Path) -> ox.Store:
    """The corpus built into a fresh store in ``directory`` (on disk: a large corpus need not
    fit in memory) by ``jobs`` processes (as ``unkg build`` extracts), build time = the
    issued date."""
    from graph.build import build_corpus
    from graph.cli import UserError
    from graph.document import ReaderError
    from graph.jobs import JobError

    store = ox.Store(str(directory))
    try:
        summary = build_corpus(corpus, store, jobs=jobs,
                               build_time=datetime.combine(issued, time(0), timezone.utc))
    except (ReaderError, JobError) as error:
        raise UserError(str(error)) from None
    if summary.errors:
        raise ReleaseBlocked("documents could not be read:\n" + "\n".join(
            f"  {error}" for error in summary.errors))
    store.flush()
    return store


def _validation_cache(args: argparse.Namespace, scratch: Path) -> Path:
    """A copy, in ``scratch``, of the validation cache that ``unkg build`` keeps beside an
    embedded store (none for a fresh build or a remote store): the graphs whose runs it holds
    are not validated again. Its keys are digests of everything a run read, so a cache is
    never wrong, only useful or not; the validation rewrites the copy, never the store's."""
    from graph.remote import is_remote, setting
    from graph.store import store_path
    from graph.validate_graphs import CACHE_FILE

    copy = scratch / CACHE_FILE
    value = setting(args.store)
    if args.no_build and not is_remote(value):
        try:
            shutil.copyfile(store_path(value) / CACHE_FILE, copy)
        except OSError:
            pass  # no cache: every graph is validated
    return copy


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
    jobs = commands.jobs(args)
    try:
        with release_directory(Path(args.out), args.version) as (staging, scratch):
            store = (commands.read_store(args) if args.no_build
                     else _build(args.corpus, issued, jobs, scratch / "store"))
            cache = _validation_cache(args, scratch)
            report = render_release(store, info, staging, scratch, jobs=jobs, cache=cache)
            del store  # closed before its directory goes
    except ReleaseBlocked as blocked:
        print(f"release {args.version} blocked: {blocked}", file=sys.stderr)
        if blocked.report is not None:
            sys.stdout.write(blocked.report.text())
        return 1
    target = Path(args.out) / f"unkg-{args.version}"
    print(f"release {args.version} (issued {issued.isoformat()}) written to {target}: "
          f"{len(list(target.iterdir()))} files; {report.text().splitlines()[0]}")
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
