"""graph.readers.markers: which digits are footnote markers, and the clean text left."""

from __future__ import annotations

import pytest

from graph.document import CleanText
from graph.readers.markers import FoundMarker, MarkerFinder


def source_text(text: str) -> CleanText:
    content = CleanText()
    content.append(text, 0, len(text))
    return content


def finder_after(labels: list[str], seen: list[str], spaced: bool = False) -> MarkerFinder:
    """A finder that has already met the markers ``seen``, in earlier paragraphs."""
    finder = MarkerFinder(labels, spaced=spaced)
    _, markers = finder.extract(source_text(" ".join(f"note{label}" for label in seen)))
    assert [marker.label for marker in markers] == seen
    return finder


# Rows: labels the document's footnotes have, markers already seen (in order), the paragraph,
# the clean text expected, the labels found.
ROWS = [
    # glued to a word, to punctuation, to a closing quote
    (["1", "2"], [], "the Protocols thereto,1 the Convention against Corruption2 and",
     "the Protocols thereto, the Convention against Corruption and", ["1", "2"]),
    (["3"], ["1", "2"], 'entitled "Follow-up",3 and', 'entitled "Follow-up", and', ["3"]),
    # a year with a marker glued on: 2021 + 5
    (["4", "5"], ["1", "2", "3", "4"], "adopted in March 20215 and", "adopted in March 2021 and",
     ["5"]),
    # a year followed by punctuation and the marker
    (["6"], ["1", "2", "3", "4", "5"], "held in Doha in 2015,6 including",
     "held in Doha in 2015, including", ["6"]),
    # after a full stop only where the paragraph (or a sentence) ends
    (["29"], [str(n) for n in range(1, 29)], "committed at sea.29", "committed at sea.", ["29"]),
    # a later reference repeats an earlier label
    ([str(n) for n in range(1, 10)], [str(n) for n in range(1, 10)],
     "the Convention9 and the Protocols thereto,1", "the Convention and the Protocols thereto,",
     ["9", "1"]),
    # numbers that are not markers: symbols, decimals, corrigenda, counts, out of sequence
    (["1", "2"], [], "resolution 70/1 (E/2013/30 and Corr.1) of 2015, 12 States",
     "resolution 70/1 (E/2013/30 and Corr.1) of 2015, 12 States", []),
    (["1"], [], "COVID-19 and Group of 77", "COVID-19 and Group of 77", []),
    # 7 is a footnote, but after 1 the next marker cannot be 7
    (["1", "2", "7"], ["1"], "the Convention7 and", "the Convention7 and", []),
    # one lost marker is tolerated: after 2, marker 4 is believed
    (["3", "4"], ["1", "2"], "Development4 and", "Development and", ["4"]),
    # the next number is a marker even without a footnote, so the reader can warn about it
    ([], [], "the Congress1 and", "the Congress and", ["1"]),
    # a year with a glued digit is only a marker when that footnote exists
    ([], [], "in 20215 and", "in 20215 and", []),
    # after the full stop that ends a sentence, behind a word or a year
    ([str(n) for n in range(1, 13)], [str(n) for n in range(1, 12)],
     "against Corruption.12 It also", "against Corruption. It also", ["12"]),
    (["6", "7"], [str(n) for n in range(1, 7)], "against corruption in 2021.7",
     "against corruption in 2021.", ["7"]),
    # a year and a stop: only with that footnote, and only where a sentence ends
    ([], [], "growth in 2021.1", "growth in 2021.1", []),
    (["1"], [], "a figure of 2021.1 million", "a figure of 2021.1 million", []),
]


@pytest.mark.parametrize("labels, seen, text, clean, found", ROWS,
                         ids=["word-and-comma", "quote", "year", "year-comma", "stop",
                              "repeat", "not-markers", "hyphen-and-count", "out-of-sequence",
                              "lost-marker", "missing-footnote", "year-needs-footnote",
                              "word-stop", "year-stop", "year-stop-needs-footnote",
                              "year-stop-mid-sentence"])
def test_extract(labels: list[str], seen: list[str], text: str, clean: str,
                 found: list[str]) -> None:
    content, markers = finder_after(labels, seen).extract(source_text(text))
    assert content.text == clean
    assert [marker.label for marker in markers] == found


def test_offsets_point_at_the_marker_and_into_the_source() -> None:
    text = "thereto,1 the Convention against Corruption2 and"
    content, markers = MarkerFinder(["1", "2"]).extract(source_text(text))
    assert [(m.offset, m.source_offset) for m in markers] == [(8, 8), (42, 43)]
    assert content.text[:8] == "thereto,"
    assert all(text[offset] == char for char, offset in zip(content.text, content.offsets))


@pytest.mark.parametrize("text, clean, found", [
    ("(the Nelson Mandela Rules), 8 as well as", "(the Nelson Mandela Rules), as well as", ["8"]),
    ("special session of the General Assembly; 8", "special session of the General Assembly;",
     ["8"]),
    # a count after a comma is no marker: it is not followed by a word in lower case
    ("from 7 to 12 March, 8 States", "from 7 to 12 March, 8 States", []),
], ids=["mid-sentence", "paragraph-end", "count"])
def test_spaced_markers_only_when_asked(text: str, clean: str, found: list[str]) -> None:
    earlier = [str(n) for n in range(1, 8)]
    content, markers = finder_after(earlier + ["8"], earlier, spaced=True).extract(
        source_text(text))
    assert (content.text, [m.label for m in markers]) == (clean, found)
    assert MarkerFinder(["8"]).extract(source_text(text))[0].text == text


# Rows: the paragraph, the clean text expected, the labels found; the document has footnotes
# 1 to 9 and markers 1 and 2 were already seen, so 3 is the next label.
PUNCTUATION_SPACED_ROWS = [
    # after the comma, the word before ("Protocol", a month) is not what the number follows
    ("as amended by the 1972 Protocol, 3", "as amended by the 1972 Protocol,", ["3"]),
    ("the Agreement on Port State Measures; 3 and", "the Agreement on Port State Measures; and",
     ["3"]),
    # a year before the comma: only the very next footnote
    ("held from 13 to 17 December 2021, 3", "held from 13 to 17 December 2021,", ["3"]),
    ("held from 13 to 17 December 2021, 4", "held from 13 to 17 December 2021, 4", []),
    # a number before the punctuation: the list goes on
    ("paragraphs 1, 3 and 4 of", "paragraphs 1, 3 and 4 of", []),
    ("articles 2; 3 and 5", "articles 2; 3 and 5", []),
    ("some 1,000, 3 of them", "some 1,000, 3 of them", []),
    # a symbol or decimal before the comma is no list number
    ("resolution 70/1, 3 in which", "resolution 70/1, in which", ["3"]),
    # followed by a capital, the digits are a count
    ("the 1972 Protocol, 3 States", "the 1972 Protocol, 3 States", []),
]


@pytest.mark.parametrize("text, clean, found", PUNCTUATION_SPACED_ROWS,
                         ids=["numbered-word-comma", "semicolon", "year-next",
                              "year-not-next", "list", "list-semicolon", "thousands", "symbol",
                              "capital-after"])
def test_markers_spaced_after_punctuation(text: str, clean: str, found: list[str]) -> None:
    labels = [str(n) for n in range(1, 10)]
    content, markers = finder_after(labels, ["1", "2"], spaced=True).extract(source_text(text))
    assert (content.text, [m.label for m in markers]) == (clean, found)


def test_explicit_markers_are_kept_and_advance_the_numbering() -> None:
    finder = MarkerFinder(["1", "2"])
    content, markers = finder.extract(source_text("the Congress and"),
                                      [FoundMarker("1", 12, 40)])
    assert content.text == "the Congress and"
    assert markers == [FoundMarker("1", 12, 40)]
    _, markers = finder.extract(source_text("the Convention2 and"))
    assert [m.label for m in markers] == ["2"]


# Rows: the paragraph, the clean text expected, the labels found; the document has footnotes
# 1 to 9 and markers 1 and 2 were already seen, so 3 is the next label.
WORD_SPACED_ROWS = [
    ("the Protocols thereto 3 in countering", "the Protocols thereto in countering", ["3"]),
    ("of 17 December 1996 3 and of the report", "of 17 December 1996 and of the report", ["3"]),
    ("against Corruption 3, and", "against Corruption, and", ["3"]),
    ("and the Protocols thereto 3", "and the Protocols thereto", ["3"]),
    # numbers that belong to the text, even when they are the next label
    ("its resolution 3 of 2015", "its resolution 3 of 2015", []),
    ("article 3 and the Protocol", "article 3 and the Protocol", []),
    ("articles 2 and 3 of the Convention", "articles 2 and 3 of the Convention", []),
    ("paragraphs 1 to 3 of", "paragraphs 1 to 3 of", []),
    ("at least 3 times", "at least 3 times", []),
    ("Sustainable Development Goal 3 and", "Sustainable Development Goal 3 and", []),
    ("target 3.4 of the Goals", "target 3.4 of the Goals", []),
    # not the next label: a lost marker is no excuse for a spaced number
    ("the Protocols thereto 4 in", "the Protocols thereto 4 in", []),
    # followed by a capital or a symbol, the digits are text
    ("the Convention 3 States", "the Convention 3 States", []),
    ("the report 3/2 of", "the report 3/2 of", []),
]


@pytest.mark.parametrize("text, clean, found", WORD_SPACED_ROWS,
                         ids=["word", "year", "before-comma", "paragraph-end", "resolution",
                              "article", "list", "range", "count", "goal", "decimal",
                              "not-next", "capital-after", "symbol"])
def test_markers_spaced_from_a_word(text: str, clean: str, found: list[str]) -> None:
    labels = [str(n) for n in range(1, 10)]
    content, markers = finder_after(labels, ["1", "2"], spaced=True).extract(source_text(text))
    assert (content.text, [m.label for m in markers]) == (clean, found)
    assert MarkerFinder(labels).extract(source_text(text))[0].text == text


def test_word_spaced_marker_needs_its_footnote() -> None:
    finder = finder_after(["1", "2"], ["1", "2"], spaced=True)
    content, markers = finder.extract(source_text("the Protocols thereto 3 in countering"))
    assert (content.text, markers) == ("the Protocols thereto 3 in countering", [])


def test_word_spaced_markers_found_from_their_labels_are_the_patterns_matches():
    """``_word_spaced`` finds exactly ``WORD_SPACED_REGEX.finditer``'s matches, including a
    label after a year, after punctuation (no word) and after a label already taken."""
    from graph.readers.markers import WORD_SPACED_REGEX, _word_spaced

    for text in ("the Protocols thereto 2 in", "of 17 December 1996 3 and", "Z 5. 12 b  5\n",
                 "A2021 5, x", "resolution 3 of", "1/2021 4 and", "word 1234 x", "é² 7 y"):
        assert ([(m.span(), m.groupdict()) for m in _word_spaced(text)]
                == [(m.span(), m.groupdict()) for m in WORD_SPACED_REGEX.finditer(text)]), text


@pytest.mark.parametrize("spaced", [False, True])
def test_a_text_without_digits_comes_back_whole_as_a_copy(spaced):
    """Such a text is spared the marker patterns: the same text and offsets, in a new object
    the reader may change, and the numbering left where it was."""
    finder = finder_after(["1", "2"], ["1"], spaced=spaced)
    content = source_text("Recalling the Protocols thereto, as well as the Convention,")
    clean, markers = finder.extract(content)
    assert (clean.text, clean.offsets, markers) == (content.text, content.offsets, [])
    assert clean is not content and clean.offsets is not content.offsets
    _, markers = finder.extract(source_text("the Convention2 and"))
    assert [marker.label for marker in markers] == ["2"]
