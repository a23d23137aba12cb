"""graph.readers.files on PDF and Word files shaped like the UN's: GA resolution 76/181, read
from its real extracted text (corpus/A_RES_76_181.txt), set again as a UN-layout PDF and as a
Word file with real footnotes (tests/graph/un_layout.py), must read back to the same document.

Why compare with the text version: the readers are tuned on text, and a PDF or Word file only
adds a layer (PDFium's lines, python-docx's paragraphs) between the page and that text. If the
layer loses a paragraph break, glues two pages or drops a superscript, the citations, the
paragraphs or the footnotes come out different, and these tests say which.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pyoxigraph
import pytest

from graph.build import build_corpus
from graph.citations.references import extract_references
from graph.document import Document, ReaderError
from graph.readers import files, read_document
from graph.store import open_store
from tests.graph.un_layout import FOOTNOTE_RULE, render_docx, render_pdf

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "corpus" / "A_RES_76_181.txt"
NAME = "A_RES_76_181"
FORMATS = ("pdf", "docx")
# What identifies a citation, spans aside (they point into different texts).
CITATION_KEYS = ("location", "footnote", "kind", "body", "session", "number", "part", "symbol",
                 "unts")
METADATA = ("kind", "symbol", "number", "title", "body", "date", "meeting", "report", "session",
            "agenda_item", "distributed")


@cache
def original() -> Document:
    """The document as read from its real text: what every rendering must read back to."""
    return read_document(SOURCE)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The PDF and the Word file of A/RES/76/181, rendered once for the module."""
    directory = tmp_path_factory.mktemp("rendered")
    paths = {}
    for fmt, render in (("pdf", render_pdf), ("docx", render_docx)):
        paths[fmt] = directory / f"{NAME}.{fmt}"
        paths[fmt].write_bytes(render(original()))
    return paths


@pytest.fixture(scope="module")
def read_back(rendered: dict[str, Path]) -> dict[str, Document]:
    """Each rendering read as a document, once for the module (reading a PDF takes time)."""
    return {fmt: read_document(path) for fmt, path in rendered.items()}


def citations(document: Document) -> Counter[tuple[str, ...]]:
    """The document's citations as a multiset of what identifies each, spans aside."""
    found: Counter[tuple[str, ...]] = Counter()
    for part in document.walk():
        for reference in extract_references(part):
            record = reference.to_json()
            found[tuple(repr(record[key]) for key in CITATION_KEYS)] += 1
    return found


def squeeze(text: str) -> str:
    """Text with every run of white space as one space: line breaks differ between shapes."""
    return " ".join(text.split())


# --- the renderings read back ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_load_extracts_text(rendered: dict[str, Path], fmt: str) -> None:
    """The text made from the file, not the file: kept (``extracted``) for the spans."""
    loaded = files.load(rendered[fmt])
    assert (loaded.name, loaded.extracted) == (f"{NAME}.{fmt}", True)
    assert loaded.raw == rendered[fmt].read_bytes()
    assert "Resolution adopted by the General Assembly" in loaded.text
    assert "76/181. Fourteenth United Nations Congress" in loaded.text
    assert f"\n{FOOTNOTE_RULE}\n" in loaded.text
    # The superscript marker is glued to its word and the text goes on after a space.
    assert "Criminal Justice1 and the related recommendations" in squeeze(loaded.text)


def test_pdf_pages_are_separated_as_pdftotext_does(rendered: dict[str, Path]) -> None:
    """One form feed per page turn, always at the start of a line: the last line of a page
    glued to the next page's running head ("*2119220*\\fA/RES/76/181 ...") hid the head, and
    the head's second line then ran into the text."""
    import pypdfium2 as pdfium

    text = files.load(rendered["pdf"]).text
    pages = len(pdfium.PdfDocument(rendered["pdf"].read_bytes()))
    assert pages > 10
    assert text.count(files.PAGE_BREAK) == pages - 1
    assert all(text[at - 1] == "\n" for at in range(len(text)) if text[at] == files.PAGE_BREAK)


def test_pdf_keeps_the_space_between_paragraphs(rendered: dict[str, Path]) -> None:
    """White space between lines on the page becomes a blank line, as between the headings
    of the annex and the paragraphs around them; lines of one paragraph stay together."""
    text = files.load(rendered["pdf"]).text
    assert "\n\nAdvancing crime prevention\n\nAddressing the causes, including the root " \
           "causes, of crime\n\n21. Develop" in text
    assert "Emphasizing the responsibility assumed by the United Nations in the field of " \
           "crime\nprevention" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_citations_as_the_text(read_back: dict[str, Document], fmt: str) -> None:
    expected = citations(original())
    assert len(expected) > 20
    assert citations(read_back[fmt]) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_paragraphs_and_footnotes_as_the_text(read_back: dict[str, Document],
                                                   fmt: str) -> None:
    document, expected = read_back[fmt], original()
    assert document.warnings == []
    assert Counter(p.kind for p in document.paragraphs) == Counter(
        p.kind for p in expected.paragraphs)
    assert [f.label for f in document.footnotes] == [f.label for f in expected.footnotes]
    # and, stricter, the same identities, texts and places of markers and footnotes
    assert [(p.id, p.text.strip(), p.markers) for p in document.paragraphs] == [
        (p.id, p.text.strip(), p.markers) for p in expected.paragraphs]
    assert [(f.label, f.text, f.paragraph) for f in document.footnotes] == [
        (f.label, f.text, f.paragraph) for f in expected.footnotes]


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_metadata_as_the_text(read_back: dict[str, Document], fmt: str) -> None:
    document, expected = read_back[fmt], original()
    assert {key: getattr(document, key) for key in METADATA} == {
        key: getattr(expected, key) for key in METADATA}


def test_docx_footnotes_are_numbered_by_reference_not_by_id(rendered: dict[str, Path]) -> None:
    """Word's footnote ids are not the printed numbers (the rendering starts them at 2, after
    the separators): the text numbers them 1, 2, ... in the order they are referenced."""
    with zipfile.ZipFile(rendered["docx"]) as package:
        notes_xml = package.read("word/footnotes.xml").decode("utf-8")
        assert "word/footnotes.xml" in package.read("[Content_Types].xml").decode("utf-8")
    assert 'w:id="2"' in notes_xml and 'w:type="separator"' in notes_xml
    text = files.load(rendered["docx"]).text
    notes = text.split(FOOTNOTE_RULE, 1)[1]
    assert re.findall(r"^(\d+)  ", notes, re.MULTILINE) == [
        str(n) for n in range(1, len(original().footnotes) + 1)]
    assert "\n1  A/CONF.234/16.\n" in notes


def test_text_files_are_their_own_text() -> None:
    loaded = files.load(SOURCE)
    assert loaded.extracted is False
    assert loaded.text == SOURCE.read_text(encoding="utf-8")


# --- files that cannot be read --------------------------------------------------------------


def _pdf(draw: Callable[[Canvas], object], **options: Any) -> bytes:
    """A one-page PDF drawn by ``draw``."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, **options)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _zip(**members: str) -> bytes:
    """A zip archive of text members: a package that is not Word's."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _empty_docx() -> bytes:
    """A valid Word file without a word in it."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Unreadable:
    """A file that must be refused with one clear reason."""

    name: str
    content: Callable[[], bytes]
    reason: str


UNREADABLE = [
    Unreadable("page.pdf", lambda: b"<html><body>Document not found</body></html>",
               "not a readable PDF"),
    Unreadable("scan.pdf", lambda: _pdf(lambda c: c.rect(72, 72, 300, 400, fill=1)),
               "the PDF has no text layer"),
    Unreadable("locked.pdf", lambda: _pdf(lambda c: c.drawString(72, 700, "United Nations"),
                                          encrypt="secret"),
               "not a readable PDF"),
    Unreadable("page.docx", lambda: b"<html><body>Document not found</body></html>",
               "not a readable Word (.docx) file"),
    Unreadable("archive.docx", lambda: _zip(**{"readme.txt": "not a Word package"}),
               "not a readable Word (.docx) file"),
    Unreadable("blank.docx", _empty_docx, "the Word file has no text"),
    Unreadable("resolution.rtf", lambda: b"{\\rtf1 United Nations}",
               "not a supported file type"),
    Unreadable("latin1.txt", lambda: "Résolution".encode("latin-1"), "not UTF-8 text"),
]


@pytest.mark.parametrize("case", UNREADABLE, ids=lambda case: case.name)
def test_unreadable_files_are_refused_by_name(tmp_path: Path, case: Unreadable) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content())
    for read in (files.load, read_document):
        with pytest.raises(ReaderError) as raised:
            read(path)
        message = str(raised.value)
        assert message.startswith(f"{case.name}: {case.reason}"), message
        assert "\n" not in message


def test_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match=r"^gone\.pdf: cannot be read"):
        files.load(tmp_path / "gone.pdf")


# --- the build keeps the extracted text -----------------------------------------------------

PREFIXES = """PREFIX unkg: <https://w3id.org/unkg/ontology#>
PREFIX cito: <http://purl.org/spar/cito/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _rows(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT over all graphs, as plain strings."""
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    names = [variable.value for variable in results.variables]
    return [{name: row[name].value for name in names} for row in results]


@pytest.mark.parametrize("fmt", FORMATS)
def test_build_stores_the_extracted_text_and_spans_index_it(
        rendered: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    """Spans of a PDF or Word file point into the extracted text, so the build stores that
    text on the source file node, and every citation's span there gives its cited text."""
    shutil.copy(rendered[fmt], tmp_path)
    store = open_store(memory=True)
    summary = build_corpus(tmp_path, store)
    assert summary.errors == []
    text = files.load(rendered[fmt]).text
    [source] = _rows(store, f"""SELECT ?text WHERE {{ ?file a unkg:SourceFile ;
        rdfs:label "{NAME}.{fmt}" ; unkg:sourceText ?text }}""")
    assert source["text"] == text
    spans = _rows(store, """SELECT ?cited ?start ?end WHERE { ?citation a cito:Citation ;
        unkg:citedText ?cited ; unkg:spanStart ?start ; unkg:spanEnd ?end ;
        prov:wasDerivedFrom ?file . ?file rdfs:label ?name }""")
    assert len(spans) >= sum(citations(original()).values())
    for span in spans:
        printed = text[int(span["start"]):int(span["end"])]
        assert squeeze(printed) == squeeze(span["cited"]), span
