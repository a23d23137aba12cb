"""The generic reader: any UN document is read, never refused; only a text that is not one is."""

from pathlib import Path

import pytest

from graph.citations.references import extract_references
from graph.document import ReaderError
from graph.readers import detect_format, generic, read_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
REAL = (CORPUS / "A_RES_76_181.txt").read_text(encoding="utf-8")
# The same official text without its adoption line: a UN document of no shape the other
# readers know (as a note or a report would be).
NO_SHAPE = REAL.replace("Resolution adopted by the General Assembly", "Note by the Secretariat")


def test_a_un_document_of_no_known_shape_is_read_generically_with_a_warning():
    assert detect_format(NO_SHAPE) is generic
    document = read_text(NO_SHAPE, "note.txt")
    assert document.format == "generic" and document.symbol == "A/RES/76/181"
    assert document.warnings[0].startswith("read as a generic document")
    assert len(document.footnotes) == 20
    assert all(note.paragraph for note in document.footnotes)
    numbered = [p for p in document.paragraphs if p.kind == "narrative"]
    assert numbered[0].id == "para/1" and numbered[0].text.startswith("Expresses its satisfaction")
    # the Kyoto Declaration numbers its paragraphs again: the second "1." is its own paragraph
    assert any(p.id == "para/1/2" for p in document.paragraphs)


def test_the_generic_reading_keeps_every_citation_of_the_text():
    shaped = {(r.location, r.footnote, r.kind, r.session, r.number, r.symbol)
              for r in extract_references(read_text(REAL, "A_RES_76_181.txt"))}
    generic_refs = {(r.location, r.footnote, r.kind, r.session, r.number, r.symbol)
                    for r in extract_references(read_text(NO_SHAPE, "note.txt"))}
    assert shaped <= generic_refs | {("text", None, "document", None, None, "A/76/463")}


def test_a_reader_that_fails_falls_back_to_the_generic_reading():
    # An adoption line and nothing after it: the PDF-text reader finds no resolution text.
    text = REAL[:REAL.index("[on the report")]
    document = read_text(text, "cut.txt")
    assert document.format == "generic"
    assert "could not read it" in document.warnings[0]


@pytest.mark.parametrize("text", ["Just a shopping list: eggs, milk.\n", "x" * 500])
def test_a_text_that_is_not_a_un_document_is_refused_with_its_name(text):
    with pytest.raises(ReaderError, match=r"^list\.txt: not a UN document"):
        read_text(text, "list.txt")
