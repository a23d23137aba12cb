"""Citations placed in the text a page shows (server/annotate.py): rows of (text, its source
span, citations with their source spans, the segments expected), then the whole corpus checked
against the offset maps of the readers that read it."""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from pathlib import Path

import pytest

from graph.build import corpus_files
from graph.readers import read_document
from server.annotate import AFTER, BEFORE, NOT_FOUND, Mark, Segment, annotate

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
RECALLING = "Recalling its resolution 46/152 of 18 December 1991 on crime prevention,"


def mark(start: int, printed: str, cited: str | None = "x", end: int | None = None) -> Mark:
    """A citation read at source offset ``start``; it ends where its printed text does."""
    return Mark(f"cite-{start}-{cited}", start, end or start + len(printed), printed, cited)


def shown(segments: list[Segment]) -> list[tuple[str, ...]]:
    """Each segment as (text, the things it cites...), with a ``beside`` note when it has one."""
    return [(s.text, *(m.cited or "?" for m in s.marks), *([s.beside] if s.beside else []))
            for s in segments]


ROWS = [
    # The clean text is the source text: the citation stands at its own offset.
    (RECALLING, (100, 172), [mark(110, "its resolution 46/152 of 18 December 1991")],
     [("Recalling ",), ("its resolution 46/152 of 18 December 1991", "x"),
      (" on crime prevention,",)]),
    # The source had ten more characters before the citation (a line break and indentation):
    # the citation is found that much earlier in the clean text.
    (RECALLING, (100, 182), [mark(120, "its resolution 46/152 of 18 December 1991")],
     [("Recalling ",), ("its resolution 46/152 of 18 December 1991", "x"),
      (" on crime prevention,",)]),
    # The same words twice: each citation gets its own occurrence, in source order.
    ("resolution 1/2 and, again, resolution 1/2", (0, 42),
     [mark(0, "resolution 1/2", "a"), mark(28, "resolution 1/2", "b")],
     [("resolution 1/2", "a"), (" and, again, ",), ("resolution 1/2", "b")]),
    # The second occurrence, although the first comes before the estimate too: characters were
    # dropped before the second, never added.
    ("resolution 1/2 and resolution 1/2.", (0, 40), [mark(25, "resolution 1/2", "b")],
     [("resolution 1/2 and ",), ("resolution 1/2", "b"), (".",)]),
    # One span citing several things (a range read as its members): one segment, all marks.
    ("66/138 to 66/141 of 19 December 2011", (0, 36),
     [mark(0, "66/138 to 66/141 of 19 December 2011", "66/139"),
      mark(0, "66/138 to 66/141 of 19 December 2011", "66/140"),
      mark(0, "66/138", "66/138"), mark(10, "66/141 of 19 December 2011", "66/141")],
     [("66/138", "66/138"), (" to ", "66/139", "66/140"),
      ("66/141 of 19 December 2011", "66/141")]),
    # Printed text with its white space collapsed still matches the text's own line breaks.
    ("See the Convention\nagainst Corruption.", (0, 38),
     [mark(8, "the Convention against Corruption", end=41)],
     [("See ",), ("the Convention\nagainst Corruption", "x"), (".",)]),
    # A compilation's tag stands after the recommendation's text; an unresolved citation.
    ("Increase access to justice.", (50, 77), [mark(78, "[WA 42(b)]"), mark(60, "increase", None)],
     [("Increase access to justice.",), ("increase", "?", NOT_FOUND), ("[WA 42(b)]", "x", AFTER)]),
    ("Text.", (50, 55), [mark(10, "[front]")], [("[front]", "x", BEFORE), ("Text.",)]),
    # Markup-like characters are text like any other (the template escapes them).
    ('A <b> & "C" (E/1/2)', (0, 19), [mark(13, "E/1/2")],
     [('A <b> & "C" (',), ("E/1/2", "x"), (")",)]),
]


@pytest.mark.parametrize("text,span,marks,expected", ROWS,
                         ids=["exact", "drift", "repeated", "later-repeat", "nested-and-multi",
                              "white-space", "beside", "before", "markup"])
def test_citations_are_placed_where_they_were_read(text, span, marks, expected):
    assert shown(annotate(text, span, marks)) == expected


def test_the_opening_phrase_is_its_own_segment():
    segments = annotate(RECALLING, (0, 72), [mark(10, "its resolution 46/152")], "Recalling")
    assert [(s.text, s.opening) for s in segments][:2] == [("Recalling", True), (" ", False)]
    assert "".join(s.text for s in segments) == RECALLING


def test_a_text_without_span_shows_its_citations_after_it():
    assert shown(annotate("Text.", None, [mark(0, "Text")])) == [
        ("Text.",), ("Text", "x", NOT_FOUND)]


def _clean_texts() -> dict[tuple[str, tuple[int, int]], object]:
    """Every paragraph and footnote of the corpus by (file checksum, source span), with the
    reader's map from clean-text offsets to source offsets."""
    found = {}
    for path in corpus_files(CORPUS):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        for part in read_document(path).walk():
            for item in [*part.paragraphs, *part.footnotes]:
                found[(sha, item.span)] = item.content
    return found


def test_every_corpus_citation_is_placed_where_the_extractor_read_it(corpus_store):
    rows = corpus_store.query("""
        PREFIX cito: <http://purl.org/spar/cito/> PREFIX unkg: <https://w3id.org/unkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?c ?citing ?text ?ps ?pe ?source ?cs ?ce ?printed ?cited WHERE {
          ?c cito:hasCitingEntity ?citing ; unkg:spanStart ?cs ; unkg:spanEnd ?ce ;
             unkg:citedText ?printed .
          OPTIONAL { ?c cito:hasCitedEntity ?cited }
          ?citing unkg:text ?text ; unkg:spanStart ?ps ; unkg:spanEnd ?pe ;
                  prov:wasDerivedFrom ?source .
        }""", use_default_graph_as_union=True)
    texts: dict[tuple, list[Mark]] = defaultdict(list)
    for row in rows:
        key = (row["citing"].value, row["text"].value, int(row["ps"].value),
               int(row["pe"].value), row["source"].value.rpartition("/")[2])
        texts[key].append(Mark(row["c"].value, int(row["cs"].value), int(row["ce"].value),
                               row["printed"].value, row["cited"] and row["cited"].value))
    clean = _clean_texts()
    placed = beside = 0
    for (_, text, start, end, sha), marks in texts.items():
        offsets = clean[(sha, (start, end))].offsets
        position, found = 0, set()
        for segment in annotate(text, (start, end), marks):
            if segment.beside:
                # Only tags printed after a recommendation stand outside their text.
                assert segment.beside == AFTER and segment.text.startswith("["), segment
                beside += 1
                continue
            for citation in segment.marks:
                # The segment lies inside the citation's own span, mapped through the reader's
                # offsets (an inner citation may take part of an outer one's text).
                first = bisect.bisect_left(offsets, citation.start)
                last = bisect.bisect_left(offsets, citation.end - 1) + 1
                assert first <= position and position + len(segment.text) <= last, (
                    text, segment, citation)
                found.add(citation)
            position += len(segment.text)
        assert position == len(text)
        assert found == {m for m in marks if start <= m.start < end}
        placed += len(found)
    assert placed > 450 and beside > 250  # when written: 501 citations in texts, 279 tags
