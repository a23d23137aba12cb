"""Build the graph: corpus files -> documents -> references -> triples -> store.

Each source file becomes one named graph, written only once all its triples exist, so a file
that fails half-way leaves nothing of itself behind and the previous version of its graph
stays in place. The build's own record (when, which files, which extractor) lives in a
separate named graph, ``<base>graph/build``: it is the only part that changes between two
builds of the same corpus.

Two steps, kept apart so that another kind of store can take the same output: **extraction**
turns one file into its graph as N-Quads bytes (``extract_file``), in this process, in a pool
of processes or on a Dask cluster (``graph.jobs``); **loading** removes the graphs that go and
bulk-loads the new ones (``graph.store.BulkLoad``).

**Incremental.** The record names, for each file, the SHA-256 of the bytes read and the
extractor that read them (``prov:wasAssociatedWith`` the software at a digest of its code and
dependencies). A build into a store that has a record reads only the files whose bytes or
extractor differ, keeps the graphs of the others, and removes the graph of a file that left the
corpus, so that the result equals a build from nothing (build times aside).

``build_version`` is what ``unkg build`` runs: the build goes into a new version of the on-disk
store (``graph.store.NewVersion``, a copy of the current one), is validated against the SHACL
shapes, and only then becomes the version served; a server reading the store switches to it
without a restart, and a build that fails or is killed leaves the served version as it was.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from graph import iris, statistics
from graph.citations.references import characterization, extract_references
from graph.document import Document, ReaderError
from graph.namespaces import BASE, UNKG, bind_prefixes
from graph.entities.addressees import find_addressees
from graph.entities.congresses import find_congresses
from graph.entities.prose import draft_lives, regional_recommendations, split_names
from graph.rdf.documents import EXTRACTOR_VERSION, Source, Writer, document_graph, document_parts
from graph.rdf.entities import (write_addressees, write_congress, write_draft_life,
                                 write_recommendation, write_revised, write_sponsors)
from graph.readers import files, read_text
from graph.rdf.reference import reference_graph
from graph.jobs import run
from graph.store import BulkLoad, NewVersion, graph_nquads

if TYPE_CHECKING:
    from graph.validate import Report

BUILD_GRAPH = URIRef(str(BASE) + "graph/build")
REFERENCE_GRAPH = URIRef(str(BASE) + "graph/reference")
MANIFEST = "manifest.json"


@dataclass
class BuildSummary:
    """What a build did, for the CLI's summary and for tests.

    ``read`` files were extracted (failed or not), ``kept`` were unchanged since the build
    record and keep their graphs, ``removed`` are the files that left the corpus, whose graphs
    went with them. Documents, paragraphs, footnotes and citations count the files read;
    ``triples`` the quads written."""

    documents: int = 0
    paragraphs: int = 0
    footnotes: int = 0
    citations: int = 0
    triples: int = 0
    read: int = 0
    kept: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, extracted: Extracted) -> None:
        self.documents += extracted.documents
        self.paragraphs += extracted.paragraphs
        self.footnotes += extracted.footnotes
        self.citations += extracted.citations
        self.triples += extracted.quads
        self.warnings.extend(extracted.warnings)


def load_manifest(corpus: Path) -> dict[str, dict]:
    """The manifest's records by file name; an empty mapping when there is no manifest."""
    path = corpus / MANIFEST
    if not path.exists():
        return {}
    try:
        records = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return {record["file"]: record for record in records}
    except (ValueError, KeyError, TypeError) as error:
        raise ReaderError(f"{path}: not a valid manifest ({error})") from None


def corpus_files(corpus: Path) -> list[Path]:
    """The source documents of a corpus directory, in a stable order."""
    return sorted(p for p in corpus.iterdir()
                  if p.is_file() and p.suffix.lower() in files.SUFFIXES and p.name != MANIFEST)


@dataclass
class FileResult:
    """The outcome of reading and extracting one file, before anything touches the store."""

    path: Path
    document: Document
    iri: URIRef
    graph: Graph
    citations: int
    source: Source


def process_file(path: Path, manifest: dict[str, dict]) -> FileResult:
    """Read, extract and turn into triples one file; raises ``ReaderError`` on bad input."""
    loaded = files.load(path)
    document = read_text(loaded.text, path.name)
    references = [ref for part in document.walk() for ref in extract_references(part)]
    source = Source(path.name, hashlib.sha256(loaded.raw).hexdigest(),
                    loaded.text if loaded.extracted else None)
    symbol = manifest.get(path.name, {}).get("symbol")
    if symbol and not document.symbol:
        document.symbol = symbol
    iri, graph = document_graph(document, references, source, characterization)
    write_entities(Writer(source, graph), document)
    return FileResult(path, document, iri, graph, len(references), source)


@dataclass(frozen=True)
class Extracted:
    """One file's extraction as a worker hands it back: its graph as N-Quads, the counts the
    summary adds up and what the record says of it; or the error that stopped it. Plain
    values only, so that it pickles cheaply across processes and machines."""

    name: str
    error: str | None = None
    document: str = ""
    graph: str = ""
    nquads: bytes = b""
    quads: int = 0
    sha256: str = ""
    extraction: str = ""
    extractor: str = ""
    documents: int = 0
    paragraphs: int = 0
    footnotes: int = 0
    citations: int = 0
    warnings: tuple[str, ...] = ()


def extract_file(path: str | Path, manifest: dict[str, dict]) -> Extracted:
    """Read one file and turn it into N-Quads: what a build worker runs. A bad document is
    not an exception but an ``Extracted`` with its error, named, so one file never stops the
    others."""
    path = Path(path)
    try:
        result = process_file(path, manifest)
        name = iris.graph_name(result.iri)
        nquads, quads = graph_nquads(result.graph, name)
    except ReaderError as error:
        return Extracted(path.name, str(error))
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the build
        return Extracted(path.name, f"{path.name}: extraction failed "
                                    f"({type(error).__name__}: {error})")
    parts = list(result.document.walk())
    return Extracted(
        path.name, document=str(result.iri), graph=str(name), nquads=nquads, quads=quads,
        sha256=result.source.sha256, extraction=str(result.source.extraction),
        extractor=str(extractor_agent()),
        documents=len(parts), paragraphs=sum(len(part.paragraphs) for part in parts),
        footnotes=sum(len(part.footnotes) for part in parts), citations=result.citations,
        warnings=tuple(f"{result.document.source}: {warning}"
                       for part in parts for warning in part.warnings))


def extract_bytes(path: str, raw: bytes | None, manifest: dict[str, dict]) -> Extracted:
    """``extract_file`` of a file's bytes, for a Dask worker that may not see the corpus
    directory: the readers read files, so the bytes go to a temporary one of the same name.
    ``None``: the build could not read the file, so the reader says why, from ``path``."""
    if raw is None:
        return extract_file(path, manifest)
    with tempfile.TemporaryDirectory(prefix="unkg-extract-") as directory:
        copy = Path(directory) / Path(path).name
        copy.write_bytes(raw)
        return extract_file(copy, manifest)


@functools.cache
def extractor_agent() -> URIRef:
    """The extractor as the build record names it: unkg at the SHA-256 of its code (every
    module and data file of the ``graph`` package) and of the versions of the libraries it
    runs on. Any change to them makes the next build read every file again, so that a fix to
    the extractor reaches the store."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".ttl") and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    for requirement in requires("unkg") or []:
        if "extra ==" not in requirement:
            library = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
            try:
                digest.update(f"{library}=={version(library)}\n".encode())
            except PackageNotFoundError:
                digest.update(f"{library} missing\n".encode())
    return iris.part_of(URIRef(str(BASE) + "software/unkg"),
                        f"{EXTRACTOR_VERSION}/sha256/{digest.hexdigest()}")


def write_entities(w: Writer, document: Document) -> None:
    """What the document tells in prose: congresses, addressees of operative paragraphs, draft
    lives, regional recommendations."""
    parts = document_parts(document)
    for congress in find_congresses(parts):
        write_congress(w, congress)
    for part, iri in parts:
        for pid, addressees in find_addressees(part).items():
            write_addressees(w, iris.part_of(iri, pid), addressees)
        if part.sponsors:
            write_sponsors(w, iri, split_names(part.sponsors))
        if part.kind.startswith("draft-") and part.symbol and not part.label:
            write_revised(w, iri, part.symbol, decision=part.kind == "draft-decision")
        if part.kind == "report":
            for life in draft_lives(part):
                write_draft_life(w, part, iri, life)
        for recommendation in regional_recommendations(part):
            paragraph = part.paragraph(recommendation.paragraph)
            write_recommendation(w, iri, recommendation, paragraph.span if paragraph else (0, 0))


@dataclass(frozen=True)
class Recorded:
    """One file as the build record tells it: the graph its extraction generated, from which
    bytes (``sha256``), by which extractor (``extractor``, see ``extractor_agent``), ended when.
    The last three are missing in records written before builds were incremental."""

    name: str
    graph: str
    extraction: str
    sha256: str | None = None
    extractor: str | None = None
    ended: str | None = None


_RECORD = f"""PREFIX dcterms: <{DCTERMS}> PREFIX prov: <{PROV}>
SELECT ?name ?graph ?extraction ?sha ?agent ?ended WHERE {{ GRAPH <{BUILD_GRAPH}> {{
    ?graph dcterms:source ?name . ?extraction prov:generated ?graph .
    OPTIONAL {{ ?extraction prov:endedAtTime ?ended }}
    OPTIONAL {{ ?extraction prov:used/dcterms:identifier ?sha }}
    OPTIONAL {{ ?extraction prov:wasAssociatedWith ?agent }} }} }}"""


def read_record(store: ox.Store) -> dict[str, Recorded]:
    """The build record of ``store`` by file name; empty for a store never built into."""
    solutions = store.query(_RECORD)
    assert isinstance(solutions, ox.QuerySolutions)
    record = {}
    for row in solutions:
        sha, agent, ended = row["sha"], row["agent"], row["ended"]
        record[row["name"].value] = Recorded(
            row["name"].value, row["graph"].value, row["extraction"].value,
            sha.value.removeprefix("sha256:") if sha is not None else None,
            agent.value if agent is not None else None, ended.value if ended is not None else None)
    return record


def build_record(entries: Iterable[Recorded]) -> Graph:
    """The build graph: one ``unkg:Extraction`` per file whose graph the store holds, with the
    file's name, the SHA-256 of the bytes read, the extractor and when it ended."""
    graph = Graph()
    bind_prefixes(graph)
    for entry in entries:
        extraction, name = URIRef(entry.extraction), URIRef(entry.graph)
        graph.add((extraction, RDF.type, UNKG.Extraction))
        graph.add((extraction, PROV.generated, name))
        graph.add((name, DCTERMS.source, Literal(entry.name)))
        if entry.ended:
            graph.add((extraction, PROV.endedAtTime, Literal(entry.ended, datatype=XSD.dateTime)))
        if entry.sha256:
            source = iris.source_file(entry.sha256)
            graph.add((extraction, PROV.used, source))
            graph.add((source, DCTERMS.identifier, Literal(f"sha256:{entry.sha256}")))
        if entry.extractor:
            graph.add((extraction, PROV.wasAssociatedWith, URIRef(entry.extractor)))
    return graph


def _sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes; ``None`` when it cannot be read (the reader will say
    why)."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def build_corpus(corpus: str | Path, store: ox.Store, *, build_time: datetime | None = None,
                 progress: bool = False, jobs: int = 1,
                 scheduler: str | None = None) -> BuildSummary:
    """Build every file of ``corpus`` into ``store`` and say what happened.

    Only files whose bytes or extractor differ from the store's build record are read (all of
    them in a store without one); ``jobs`` processes read them, or the Dask cluster at
    ``scheduler``. A file that cannot be read is reported in ``errors`` with its name and
    reason and keeps its previous graph; the graph of a file no longer in the corpus is
    removed. ``build_time`` defaults to now (UTC). The store is written with the bulk loader,
    which is not atomic: build into a ``NewVersion`` (``build_version``) where anyone reads.
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise ReaderError(f"{corpus}: no such corpus directory")
    manifest = load_manifest(corpus)
    summary = BuildSummary()
    paths = []
    for path in corpus_files(corpus):
        if duplicate := manifest.get(path.name, {}).get("duplicate_of"):
            summary.warnings.append(f"{path.name}: not built, another rendering of {duplicate} "
                                    "(manifest: duplicate_of)")
        else:
            paths.append(path)
    previous = read_record(store)
    agent = str(extractor_agent())
    entries: dict[str, Recorded] = {}  # file name -> the record of its graph after this build
    changed = []
    for path in paths:
        before = previous.get(path.name)
        if (before and before.extractor == agent and before.sha256 == _sha256(path)
                and store.contains_named_graph(ox.NamedNode(before.graph))):
            entries[path.name] = before
        else:
            changed.append(path)
    summary.read, summary.kept = len(changed), len(entries)
    owners = {entry.graph: entry.name for entry in entries.values()}
    failed: list[Recorded] = []
    stamp = (build_time or datetime.now(timezone.utc)).isoformat()
    with BulkLoad(store) as load:
        for extracted in _extract(changed, manifest, jobs, scheduler, progress):
            if extracted.error is None and extracted.graph in owners:
                # One document, one graph: a second rendering would silently replace the first.
                extracted = Extracted(extracted.name, (
                    f"{extracted.name}: the same document ({extracted.document}) "
                    f"as {owners[extracted.graph]}; skipped (mark one of them 'duplicate_of' the "
                    "other in the manifest)"))
            if extracted.error is not None:
                summary.errors.append(extracted.error)
                if extracted.name in previous:  # its last good graph stays
                    failed.append(previous[extracted.name])
                continue
            owners[extracted.graph] = extracted.name
            load.put(extracted.graph, extracted.nquads)
            summary.add(extracted)
            entries[extracted.name] = Recorded(extracted.name, extracted.graph,
                                               extracted.extraction, extracted.sha256,
                                               extracted.extractor, stamp)
        for before in failed:
            if before.graph not in owners:  # else another file's graph replaces it
                entries[before.name] = before
                owners[before.graph] = before.name
        present = {path.name for path in paths}
        for before in previous.values():
            if before.graph not in owners:
                load.drop(before.graph)
            if before.name not in present:
                summary.removed.append(before.name)
        summary.removed.sort()
        for name, graph in ((REFERENCE_GRAPH, reference_graph()),
                            (BUILD_GRAPH, build_record(entries[n] for n in sorted(entries)))):
            nquads, quads = graph_nquads(graph, name)
            load.put(str(name), nquads)
            summary.triples += quads
        load.finish()
    # The data is complete: its statistics are counted once, here, for every reader.
    summary.triples += statistics.derive(store)
    return summary


def _extract(paths: list[Path], manifest: dict[str, dict], jobs: int, scheduler: str | None,
             progress: bool) -> Iterator[Extracted]:
    """Every file of ``paths`` extracted, in order, where ``jobs`` or ``scheduler`` say."""
    own = [{path.name: manifest[path.name]} if path.name in manifest else {} for path in paths]
    if scheduler is None:
        results = run(extract_file, zip(paths, own), jobs=jobs, count=len(paths))
    else:  # the cluster's workers may not see this directory: they get the bytes
        results = run(extract_bytes, ((str(p), _bytes(p), m) for p, m in zip(paths, own)),
                      scheduler=scheduler)
    if progress and paths:
        from tqdm import tqdm
        results = tqdm(results, total=len(paths), desc="extracting", unit="file")
    yield from results


def _bytes(path: Path) -> bytes | None:
    """A file's bytes, ``None`` when they cannot be read (``extract_bytes`` then says why)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


@dataclass
class VersionBuild:
    """What ``build_version`` did: the build's summary, the version it made current (``None``
    when it did not switch), the one served before, and the SHACL report that refused it."""

    summary: BuildSummary
    version: str | None
    previous: str | None
    report: Report | None = None


def build_version(corpus: str | Path, root: str | Path, *, validate: bool = True,
                  fresh: bool = False, progress: bool = False,
                  build_time: datetime | None = None, jobs: int = 1,
                  scheduler: str | None = None) -> VersionBuild:
    """Build ``corpus`` into a new version of the store at ``root`` and switch to it.

    The new version starts as a copy of the current one (``fresh``: empty), so that only the
    files that changed are read and a file that cannot be read keeps its previous graph
    (``build_corpus``). It becomes current only once it is complete and, with ``validate``,
    conforms to the shapes; otherwise it is removed and the served version stays. Raises
    ``ReaderError`` for a missing corpus before anything is written.
    """
    if not Path(corpus).is_dir():
        raise ReaderError(f"{corpus}: no such corpus directory")
    with NewVersion(root, fresh=fresh) as new:
        assert new.store is not None
        from graph.validate_graphs import CACHE_FILE

        summary, report = build_checked(corpus, new.store, validate=validate,
                                        build_time=build_time, progress=progress, jobs=jobs,
                                        scheduler=scheduler, cache=Path(root) / CACHE_FILE)
        if report is not None:
            return VersionBuild(summary, None, new.base, report)
        new.commit()
        return VersionBuild(summary, new.id, new.base)


def build_checked(corpus: str | Path, store: ox.Store, *, validate: bool = True,
                  build_time: datetime | None = None, progress: bool = False, jobs: int = 1,
                  scheduler: str | None = None,
                  cache: Path | None = None) -> tuple[BuildSummary, Report | None]:
    """``build_corpus`` into ``store``, then, with ``validate``, the whole store checked
    against the shapes: the SHACL report when it does not conform, else ``None``. What every
    build that may be served runs, into a new version (``build_version``) or into the copy of
    a remote store's (``graph.remote.build_remote``). Validation goes graph by graph in
    ``jobs`` processes, and only graphs whose statements changed since the run ``cache`` keeps
    are validated again (``graph.validate_graphs``)."""
    summary = build_corpus(corpus, store, build_time=build_time, progress=progress, jobs=jobs,
                           scheduler=scheduler)
    if not validate:
        return summary, None
    from graph.validate import validate as shacl

    store.flush()
    report = shacl(store, jobs=jobs, cache=cache)
    return summary, None if report.conforms else report
