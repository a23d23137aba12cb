"""Broken documents (issue 11, item 4): property-based and mutation tests of every reader, the
PDF and Word inputs, the citation finder and the build, seeded from the real corpus.

Real files are damaged the ways files get damaged: cut off at any point, bytes overwritten,
saved in another encoding (UTF-16, Latin-1, Windows-1252), lines lost, repeated or shuffled,
footnotes without markers and markers without footnotes, control characters, a PDF page or a
Word part broken, a 50 MB file, a PDF without a text layer. Whatever comes in:

- reading raises nothing but ``ReaderError``, whose message starts with the file's name and
  names the place where there is one (line and byte, page, part of a Word file);
- a document that is read is consistent (every character of its clean text maps into the
  source, every citation span lies in the source) and turns into triples the store accepts;
- ``build_corpus`` completes, reporting each unreadable file by name, or leaves the store as it
  was: the graph of a file that fails stays as the last good build wrote it.

Hypothesis runs derandomized (the same examples on every run, so CI never flakes) with example
counts that keep this file to about half a minute.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import iris
from graph.build import build_corpus, write_entities
from graph.citations.find import find_citations
from graph.citations.references import characterization, extract_references
from graph.citations.resolve import Context, resolve_citations
from graph.document import Document, ReaderError
from graph.rdf.documents import Source, Writer, document_graph
from graph.readers import files, read_document, read_text
from graph.store import open_store, to_quads

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
WHEN = datetime(2024, 1, 1, tzinfo=timezone.utc)
WINDOW = 30_000   # characters of a seed a text example keeps: every reader, fast
SEEDS = sorted(CORPUS.glob("*.txt")) + sorted(p for p in FIXTURES.iterdir() if p.is_file())


def examples(count: int) -> settings:
    return settings(max_examples=count, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@functools.cache
def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- what must hold of whatever is read ----------------------------------------------------------

def check_read(text: str, name: str) -> Document | None:
    """Read ``text`` as file ``name``, find and resolve its citations and make its triples;
    only a ReaderError naming the file may stop it, and what is read must be consistent."""
    try:
        document = read_text(text, name)
    except ReaderError as error:
        assert str(error).startswith(f"{name}: "), error
        assert "\n" not in str(error)
        return None
    for part in document.walk():
        for item in [*part.paragraphs, *part.footnotes]:
            content = item.content
            assert len(content.text) == len(content.offsets), (item, name)
            assert all(0 <= offset <= len(text) for offset in content.offsets), (item, name)
            start, end = item.span
            assert 0 <= start <= end <= len(text)
    references = [ref for part in document.walk() for ref in extract_references(part)]
    for reference in references:
        assert 0 <= reference.span[0] <= reference.span[1] <= len(text), reference
    source = Source(name, "0" * 64, None)
    iri, graph = document_graph(document, references, source, characterization)
    write_entities(Writer(source, graph), document)
    assert to_quads(graph, iris.graph_name(iri))   # every term is one the store takes
    return document


def check_file(path: Path) -> Document | None:
    """``files.load`` on a file: text, or a ReaderError naming it; then ``check_read``."""
    try:
        loaded = files.load(path)
    except ReaderError as error:
        assert str(error).startswith(f"{path.name}: "), error
        assert "\n" not in str(error)
        return None
    return check_read(loaded.text, path.name)


# --- text mutations --------------------------------------------------------------------------------

JUNK = st.lists(st.sampled_from(
    list("\x00\x01\x07\x0b\x0c\x1b\x7f\f\r\t\n \u00a0\u00ad\u200b\u2028\ufeff\ufffd¹²³⁴⁵⁶⁷⁸⁹⁰")
    + list("<>*_#[]()|\\/.,;:-–—“”\"'") + list("0123456789")
    + ["resolution ", "46/152", "A/RES/", "Ibid.", "United Nations", "\n1 ", "\t1.\t",
       "_______________", "General Assembly", " of 31 June 2015", "vol. ", "No. "]),
    min_size=1, max_size=20).map("".join)
FOOTNOTE_LINE = re.compile(r"^[ \t]*\d{1,3}[ \t]+\S")
GLUED_MARKER = re.compile(r"(?<=[^\W\d][,.;:)]|[^\W\d]{2}|\)[,.;:])\d{1,2}(?=\s)")


@st.composite
def broken_texts(draw) -> tuple[str, str]:
    """A corpus file (or a window of a long one), damaged one to three times."""
    path = draw(st.sampled_from(SEEDS))
    text = seed_text(path)
    if len(text) > WINDOW:   # the masthead and what follows, or a window cut out of the middle
        start = draw(st.sampled_from([0, 0, draw(st.integers(0, len(text) - WINDOW))]))
        text = text[start:start + WINDOW]
    for _ in range(draw(st.integers(1, 3))):
        text = draw(st.sampled_from(MUTATIONS))(draw, text)
    return path.name, text


def _point(draw, text: str) -> int:
    return draw(st.integers(0, len(text)))


def truncate(draw, text: str) -> str:
    return text[:_point(draw, text)]


def cut_out(draw, text: str) -> str:
    start = _point(draw, text)
    return text[:start] + text[start + draw(st.integers(1, 2000)):]


def insert_junk(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 8))):
        at = _point(draw, text)
        text = text[:at] + draw(JUNK) + text[at:]
    return text


def overwrite_bytes(draw, text: str) -> str:
    raw = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 30))):
        if raw:
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return raw.decode("utf-8", errors="replace")


def mojibake(draw, text: str) -> str:
    """The file read in the wrong encoding: UTF-8 as Latin-1, UTF-16 as Latin-1."""
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-16-be", "cp1252"]))
    return text.encode(encoding, errors="replace").decode("latin-1")


def lose_lines(draw, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 40))):
        if lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
    return "\n".join(lines)


def repeat_lines(draw, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 20))):
        line = lines[draw(st.integers(0, len(lines) - 1))]
        lines.insert(draw(st.integers(0, len(lines))), line)
    return "\n".join(lines)


def shuffle_lines(draw, text: str) -> str:
    lines = text.split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    block = lines[start:start + draw(st.integers(2, 60))]
    lines[start:start + len(block)] = draw(st.permutations(block))
    return "\n".join(lines)


def drop_footnotes(draw, text: str) -> str:
    """Markers without footnotes."""
    return "\n".join(line for line in text.split("\n") if not FOOTNOTE_LINE.match(line))


def drop_markers(draw, text: str) -> str:
    """Footnotes without markers."""
    return GLUED_MARKER.sub("", text)


def flatten(draw, text: str) -> str:
    """Layout lost: tabs, blank lines or all line breaks gone."""
    how = draw(st.sampled_from(["tabs", "blank", "lines"]))
    if how == "tabs":
        return text.replace("\t", " ")
    if how == "blank":
        return re.sub(r"\n\s*\n", "\n", text)
    return text.replace("\n", " ")


def control_characters(draw, text: str) -> str:
    step = draw(st.integers(7, 500))
    return "".join(chr(draw(st.integers(0, 31))) if i % step == 0 else c
                   for i, c in enumerate(text))


MUTATIONS = [truncate, cut_out, insert_junk, overwrite_bytes, mojibake, lose_lines,
             repeat_lines, shuffle_lines, drop_footnotes, drop_markers, flatten,
             control_characters]


@examples(120)
@given(broken_texts())
def test_a_damaged_text_is_read_or_refused_by_name(case):
    name, text = case
    check_read(text, name)


@examples(30)
@given(st.sampled_from(SEEDS), st.data())
def test_every_cut_of_a_real_file_is_read_or_refused_by_name(path, data):
    """Truncation alone, anywhere in the whole file (not a window), masthead kept."""
    text = seed_text(path)
    check_read(text[:data.draw(st.integers(0, len(text)), label="cut")], path.name)


# --- file-level mutations: bytes, encodings, PDF and Word ------------------------------------------

@functools.cache
def rendered() -> dict[str, bytes]:
    """A real resolution set again as a UN-layout PDF and a Word file (tests/graph/un_layout)."""
    from tests.graph.un_layout import render_docx, render_pdf

    document = read_document(CORPUS / "A_RES_76_181.txt")
    return {"pdf": render_pdf(document), "docx": render_docx(document)}


def _flip(draw, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 20))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def _damaged_part(draw, raw: bytes) -> bytes:
    """A Word package with one part cut, emptied, scrambled or missing."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    victim = draw(st.sampled_from(source.namelist()))
    how = draw(st.sampled_from(["cut", "empty", "flip", "drop"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in source.namelist():
            data = source.read(name)
            if name == victim:
                if how == "drop":
                    continue
                data = {"cut": lambda: data[:draw(st.integers(0, len(data)))],
                        "empty": lambda: b"",
                        "flip": lambda: _flip(draw, data) if data else data}[how]()
            package.writestr(name, data)
    return out.getvalue()


@st.composite
def broken_files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["txt", "txt", "pdf", "docx"]))
    if kind == "txt":
        path = draw(st.sampled_from(SEEDS))
        text = seed_text(path)[:WINDOW]
        how = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1", "flip",
                                    "truncate", "utf-8-sig"]))
        if how in ("flip", "truncate"):
            raw = text.encode("utf-8")
            raw = _flip(draw, raw) if how == "flip" else raw[:draw(st.integers(0, len(raw)))]
        else:
            raw = text.encode(how, errors="replace")
        return f"{path.stem}.txt", raw
    raw = rendered()[kind]
    how = draw(st.sampled_from(["truncate", "flip", "part"] if kind == "docx"
                               else ["truncate", "flip"]))
    if how == "truncate":
        raw = raw[:draw(st.integers(0, len(raw)))]
    elif how == "flip":
        raw = _flip(draw, raw)
    else:
        raw = _damaged_part(draw, raw)
    return f"broken.{kind}", raw


@examples(50)
@given(broken_files())
def test_a_damaged_file_is_read_or_refused_by_name(tmp_path, case):
    name, raw = case
    path = tmp_path / name
    path.write_bytes(raw)
    check_file(path)


# --- the citation finder on its own ---------------------------------------------------------------

CITATION_PIECES = st.sampled_from([
    "resolution", "resolutions", "its resolution", "decision", "46/152", "70/1", "155 C (VII)",
    "of 18 December 1991", " and ", ", ", "A/CONF.222/17", "A/RES/70/", "E/CN.15/2013/",
    "(Part I)", "Treaty Series, vol. 2349, No. 42146", "vols. 2225, 2237 and 2326, No. 39574",
    "Ibid.", "ibid., vol.", "Official Records of the General Assembly, Seventieth Session, "
    "Supplement No. 10", "(A/70/10)", "[AP 62(a)]", "[WA 42(b)]", " to ", "66/138 to 66/141",
    "S-23/2", "1/CP.21", "75/254 A to C", "General Assembly", "Economic and Social Council",
    "Thirteenth United Nations Congress", "Doha Declaration", "the Convention", "annex",
    "para.", "\n", "\u00a0", "–", "(", ")", ";", "2014/22", "of 31 February 2015",
    "vol. 99999999999999999999", "No. 999999999999999999999999"])


@examples(300)
@given(st.lists(st.one_of(CITATION_PIECES, st.text(max_size=8)), max_size=25).map("".join))
def test_the_citation_finder_takes_any_text(text):
    """Lists, ranges, Ibid. chains and numbers out of any range, glued to anything: the finder
    returns citations inside the text and the resolver resolves them, or nothing."""
    found = find_citations(text)
    for citation in found:
        start, end = citation.span()
        assert 0 <= start <= end <= len(text)
        assert citation.matched == text[start:end] or citation.matched in text
    resolve_citations(found, Context(issuer="GA", session="70", year=2015))


# --- particular damage, with the place the error names ----------------------------------------

def _pdf(draw) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for _ in range(3):
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _docx_with(part: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(rendered()["docx"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in source.namelist():
            package.writestr(name, data if name == part else source.read(name))
    return out.getvalue()


def _bad_deflate(raw: bytes, part: str) -> bytes:
    """The Word file with the compressed bytes of ``part`` overwritten (its CRC then fails)."""
    data = bytearray(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        info = package.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0x5A
    return bytes(data)


TEXT_181 = (CORPUS / "A_RES_76_181.txt").read_text(encoding="utf-8")
LATIN_TEXT = TEXT_181.replace("General Assembly,", "Assemblée générale,", 1)

REFUSED = [
    ("empty.txt", lambda: b"", r"^empty\.txt: the file is empty$"),
    ("blank.txt", lambda: b" \n\t\n", r"^blank\.txt: the file is empty$"),
    ("utf16.txt", lambda: TEXT_181.encode("utf-16"),
     r"^utf16\.txt: not UTF-8 text: line 1, byte 0 \(0xFF\) \(it starts with a UTF-16 "
     r"byte-order mark; save it as UTF-8\)$"),
    ("latin1.txt", lambda: LATIN_TEXT.encode("latin-1", errors="replace"),
     r"^latin1\.txt: not UTF-8 text: line 35, byte [\d,]+ \(0xE9\) \(Latin-1 or "),
    ("cp1252.txt", lambda: "United Nations “A/RES/1”".encode("cp1252"),
     r"^cp1252\.txt: not UTF-8 text: line 1, byte 15 \(0x93\)"),
    ("prose.txt", lambda: b"Just a shopping list: eggs, milk.\n",
     r"^prose\.txt: not a UN document: .*first 3,000 characters"),
    ("scan.pdf", lambda: _pdf(lambda c: c.rect(72, 72, 300, 400, fill=1)),
     r"^scan\.pdf: the PDF has no text layer on any of its 3 pages"),
    ("html.pdf", lambda: b"<html>Document not found</html>", r"^html\.pdf: not a readable PDF"),
    ("cut.pdf", lambda: rendered()["pdf"][:len(rendered()["pdf"]) // 2],
     r"^cut\.pdf: (not a readable PDF|page \d+: cannot be read)"),
    ("xml.docx", lambda: _docx_with("word/document.xml", b"<w:document><w:body>"),
     r"^xml\.docx: part word/document\.xml, line 1, column \d+: not well-formed XML"),
    ("notes.docx", lambda: _docx_with("word/footnotes.xml", b"\x00\x01"),
     r"^notes\.docx: part word/footnotes\.xml, line 1, column \d+: not well-formed XML"),
    ("deflate.docx", lambda: _bad_deflate(rendered()["docx"], "word/document.xml"),
     r"^deflate\.docx: part word/document\.xml: damaged"),
    ("cut.docx", lambda: rendered()["docx"][:1000], r"^cut\.docx: not a readable Word"),
]


@pytest.mark.parametrize("name,content,message", REFUSED, ids=[c[0] for c in REFUSED])
def test_unreadable_files_name_the_place(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content())
    with pytest.raises(ReaderError) as raised:
        read_document(path)
    assert re.search(message, str(raised.value)), str(raised.value)


def test_a_damaged_pdf_page_is_named(tmp_path):
    """A page whose content stream PDFium cannot load: the error says which page."""
    raw = rendered()["pdf"]
    objects = [m.start() for m in re.finditer(rb"/Type /Page\b", raw)]
    assert len(objects) > 2
    broken = bytearray(raw)
    at = objects[1]
    broken[at:at + len(b"/Type /Page")] = b"/Type /Pag\x00"
    path = tmp_path / "page.pdf"
    path.write_bytes(bytes(broken))
    try:
        read_document(path)
    except ReaderError as error:
        assert re.match(r"^page\.pdf: (page \d+: cannot be read|not a readable PDF)",
                        str(error)), error


def test_a_50_MB_file_is_refused_quickly_at_its_line(tmp_path):
    """50 MB of real text: refused at the line where it passes the limit, in about a second
    (read, it would take hours), and a build around it completes with the others."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    big = corpus / "huge.txt"
    chunk = TEXT_181.encode("utf-8")
    with big.open("wb") as out:
        for _ in range(50_000_000 // len(chunk) + 1):
            out.write(chunk)
    assert big.stat().st_size >= 50_000_000
    with pytest.raises(ReaderError, match=r"^huge\.txt: line [\d,]+: the text goes on past "
                                          r"5,000,000 characters"):
        read_document(big)
    (corpus / "huge.pdf").write_bytes(b"%PDF-1.4\n" + bytes(50_000_000))
    (corpus / "huge.docx").write_bytes(b"PK\x03\x04" + bytes(50_000_000))
    shutil.copy(CORPUS / "A_RES_77_50.txt", corpus)
    summary = build_corpus(corpus, open_store(memory=True), build_time=WHEN)
    assert sorted(e.split(":")[0] for e in summary.errors) == ["huge.docx", "huge.pdf",
                                                               "huge.txt"]
    assert summary.documents == 1


def test_a_file_over_the_byte_limit_is_not_even_read(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.pdf"
    path.write_bytes(bytes(5000))
    with pytest.raises(ReaderError, match=r"^big\.pdf: 5,000 bytes, more than the 1,000"):
        files.load(path)


def test_markers_without_footnotes_and_footnotes_without_markers():
    """Both read, with a warning per orphan, and keep every citation of the text."""
    whole = check_read(TEXT_181, "A_RES_76_181.txt")
    no_notes = check_read(drop_footnotes(None, TEXT_181), "A_RES_76_181.txt")
    no_markers = check_read(drop_markers(None, TEXT_181), "A_RES_76_181.txt")
    assert whole and no_notes and no_markers
    assert whole.footnotes and not no_notes.footnotes
    assert any("has no footnote" in w for w in no_notes.warnings), no_notes.warnings
    assert len(no_markers.footnotes) == len(whole.footnotes)
    assert any("has no marker" in w for w in no_markers.warnings), no_markers.warnings
    # A digit left in the text may still pass for a marker; nearly all are orphans.
    assert len([f for f in no_markers.footnotes if f.paragraph]) <= 2


def test_a_document_without_its_masthead_is_named_by_its_text():
    """Cut above the resolution's number, a document has no symbol and no number: it still
    gets an IRI (from its text, as a generic document without a symbol), not an error."""
    lines = (CORPUS / "A_C.3_80_L.21.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(line for line in lines if "L.21" not in line)
    document = check_read(text, "A_C.3_80_L.21.txt")
    assert document is not None and document.symbol is None


def test_an_impossible_date_is_no_date():
    """"31 June 2021" (a misprint) is passed over, not an error of the whole file."""
    text = TEXT_181.replace("16 December 2021", "31 June 2021", 1)
    assert "31 June 2021" in text
    document = check_read(text, "A_RES_76_181.txt")
    assert document is not None
    citations = find_citations("resolution 46/152 of 31 June 1991")
    assert citations and citations[0].metadata.date is None


# --- the build: completes, or leaves the store as it was ------------------------------------------

BUILD_SEEDS = ["A_80_L.3.txt", "A_RES_77_50.txt", "A_RES_76_150.txt"]


@functools.cache
def baseline() -> bytes:
    """The store after a good build of three small files, as N-Quads."""
    store = open_store(memory=True)
    corpus = Path(_tmp_corpus())
    summary = build_corpus(corpus, store, build_time=WHEN)
    assert summary.errors == []
    return bytes(store.dump(format=ox.RdfFormat.N_QUADS))


@functools.cache
def _tmp_corpus() -> str:
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="unkg-broken-"))
    for name in BUILD_SEEDS:
        shutil.copy(CORPUS / name, directory)
    return str(directory)


def _graphs(store: ox.Store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for quad in store:
        found.setdefault(str(quad.graph_name), set()).add(str(quad.triple))
    return found


@examples(20)
@given(victim=st.sampled_from(BUILD_SEEDS), damage=st.data())
def test_a_build_completes_or_leaves_the_store_as_it_was(tmp_path_factory, victim, damage):
    corpus = tmp_path_factory.mktemp("corpus")
    for name in BUILD_SEEDS:
        shutil.copy(CORPUS / name, corpus)
    raw = (corpus / victim).read_bytes()
    how = damage.draw(st.sampled_from(["truncate", "flip", "utf-16", "text"]), label="how")
    if how == "truncate":
        raw = raw[:damage.draw(st.integers(0, len(raw)), label="cut")]
    elif how == "flip":
        raw = _flip(damage.draw, raw)
    elif how == "utf-16":
        raw = raw.decode("utf-8").encode("utf-16")
    else:
        _, text = damage.draw(broken_texts(), label="text")
        raw = text.encode("utf-8", errors="replace")
    (corpus / victim).write_bytes(raw)

    store = open_store(memory=True)
    store.load(baseline(), format=ox.RdfFormat.N_QUADS)
    before = _graphs(store)
    summary = build_corpus(corpus, store, build_time=WHEN)   # never raises
    after = _graphs(store)
    for error in summary.errors:
        assert error.split(": ")[0] in BUILD_SEEDS, error
        assert "extraction failed" not in error, error   # only ReaderErrors: no crash
    unreadable = [e for e in summary.errors if e.startswith(f"{victim}: ")
                  and "the same document" not in e]
    if unreadable:
        # The file that failed left its last good graph, and nothing else changed but the
        # build's own record.
        changed = {g for g in set(before) | set(after) if before.get(g) != after.get(g)}
        assert changed <= {"<https://w3id.org/unkg/graph/build>"}, changed
    else:
        assert summary.documents >= summary.read - len(summary.errors)  # the files read
