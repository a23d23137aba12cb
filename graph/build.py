"""Build the graph: corpus files -> documents -> references -> triples -> store.

Each source file becomes one named graph, written only once all its triples exist, so a file
that fails half-way leaves nothing of itself behind and the previous version of its graph
stays in place. The build's own record (when, which files, which extractor) lives in a
separate named graph, ``<base>graph/build``: it is the only part that changes between two
builds of the same corpus.

``build_version`` is what ``unkg build`` runs: the build goes into a new version of the on-disk
store (``graph.store.NewVersion``, a copy of the current one), is validated against the SHACL
shapes, and only then becomes the version served; a server reading the store switches to it
without a restart, and a build that fails or is killed leaves the served version as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from graph import iris
from graph.citations.references import characterization, extract_references
from graph.document import Document, ReaderError
from graph.namespaces import BASE, UNKG, bind_prefixes
from graph.entities.addressees import find_addressees
from graph.entities.congresses import find_congresses
from graph.entities.prose import draft_lives, regional_recommendations, split_names
from graph.rdf.documents import Source, Writer, document_graph, document_parts
from graph.rdf.entities import (write_addressees, write_congress, write_draft_life,
                                 write_recommendation, write_revised, write_sponsors)
from graph.readers import files, read_text
from graph.rdf.reference import reference_graph
from graph.store import NewVersion, replace_graph

if TYPE_CHECKING:
    from graph.validate import Report

BUILD_GRAPH = URIRef(str(BASE) + "graph/build")
REFERENCE_GRAPH = URIRef(str(BASE) + "graph/reference")
MANIFEST = "manifest.json"


@dataclass
class BuildSummary:
    """What a build did, for the CLI's summary and for tests."""

    documents: int = 0
    paragraphs: int = 0
    footnotes: int = 0
    citations: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, doc: Document) -> None:
        for part in doc.walk():
            self.documents += 1
            self.paragraphs += len(part.paragraphs)
            self.footnotes += len(part.footnotes)
            self.warnings.extend(f"{doc.source}: {warning}" for warning in part.warnings)


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
    return FileResult(path, document, iri, graph, len(references))


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


def build_record(results: Iterable[FileResult], build_time: datetime) -> Graph:
    """The build graph: one timed ``prov:Activity`` per extracted file."""
    graph = Graph()
    bind_prefixes(graph)
    stamp = Literal(build_time.isoformat(), datatype=XSD.dateTime)
    for result in results:
        extraction = next(result.graph.subjects(RDF.type, UNKG.Extraction))
        name = iris.graph_name(result.iri)
        graph.add((extraction, RDF.type, UNKG.Extraction))
        graph.add((extraction, PROV.endedAtTime, stamp))
        graph.add((extraction, PROV.generated, name))
        graph.add((name, DCTERMS.source, Literal(result.path.name)))
    return graph


def build_corpus(corpus: str | Path, store: ox.Store, *, build_time: datetime | None = None,
                 progress: bool = False) -> BuildSummary:
    """Build every file of ``corpus`` into ``store`` and say what happened.

    A file that cannot be read is reported in ``errors`` with its name and reason and skipped;
    the others are written. ``build_time`` defaults to now (UTC).
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise ReaderError(f"{corpus}: no such corpus directory")
    manifest = load_manifest(corpus)
    summary = BuildSummary()
    results: list[FileResult] = []
    files = corpus_files(corpus)
    if progress:
        from tqdm import tqdm
        files = tqdm(files, desc="building", unit="file")
    built: dict[URIRef, str] = {}
    for path in files:
        if duplicate := manifest.get(path.name, {}).get("duplicate_of"):
            summary.warnings.append(f"{path.name}: not built, another rendering of {duplicate} "
                                    "(manifest: duplicate_of)")
            continue
        try:
            result = process_file(path, manifest)
        except ReaderError as error:
            summary.errors.append(str(error))
            continue
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the build
            summary.errors.append(f"{path.name}: extraction failed ({type(error).__name__}: {error})")
            continue
        if result.iri in built:
            # One document, one graph: a second rendering would silently replace the first.
            summary.errors.append(
                f"{path.name}: the same document ({result.iri}) as {built[result.iri]}; skipped "
                "(mark one of them 'duplicate_of' the other in the manifest)")
            continue
        built[result.iri] = path.name
        summary.triples += replace_graph(store, iris.graph_name(result.iri), result.graph)
        summary.count(result.document)
        summary.citations += result.citations
        results.append(result)
    summary.triples += replace_graph(store, REFERENCE_GRAPH, reference_graph())
    summary.triples += replace_graph(
        store, BUILD_GRAPH, build_record(results, build_time or datetime.now(timezone.utc)))
    return summary


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
                  build_time: datetime | None = None) -> VersionBuild:
    """Build ``corpus`` into a new version of the store at ``root`` and switch to it.

    The new version starts as a copy of the current one (``fresh``: empty), so that a file that
    cannot be read keeps its previous graph. It becomes current only once it is complete and,
    with ``validate``, conforms to the shapes; otherwise it is removed and the served version
    stays. Raises ``ReaderError`` for a missing corpus before anything is written.
    """
    if not Path(corpus).is_dir():
        raise ReaderError(f"{corpus}: no such corpus directory")
    with NewVersion(root, fresh=fresh) as new:
        assert new.store is not None
        summary = build_corpus(corpus, new.store, build_time=build_time, progress=progress)
        if validate:
            from graph.validate import validate as shacl

            new.store.flush()
            report = shacl(new.store)
            if not report.conforms:
                return VersionBuild(summary, None, new.base, report)
        new.commit()
        return VersionBuild(summary, new.id, new.base)
