"""graph.readers.common: dates, numbers, opening phrases, page furniture, line spans, words
broken at a line end."""

from __future__ import annotations

import re

import pytest

from graph.readers.common import (
    declaration_opening,
    is_broken_word,
    is_page_furniture,
    is_running_head,
    line_spans,
    line_starts_with,
    operative_opening,
    ordinal_to_int,
    parse_date,
    preamble_opening,
    roman_to_int,
)


@pytest.mark.parametrize("text, expected", [
    ("Resolution adopted by the General Assembly on 17 December 2015", "2015-12-17"),
    # tab text glues the masthead's next line onto the date
    ("8 January 2016Seventieth session", "2016-01-08"),
    # PDF text glues a footnote marker onto the year
    ("adopted on 16 December 20215 and", "2021-12-16"),
    ("no date here", None),
    # part of a longer number is not a day
    ("No. 317 December 2015", None),
], ids=["plain", "glued-after", "marker-on-year", "none", "inside-number"])
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("word, expected", [
    ("Seventieth", 70), ("Seventy-sixth", 76), ("twenty-fourth", 24), ("Thirteenth", 13),
    ("first", 1), ("Seventy", None),
], ids=["tens", "compound", "lower", "teen", "unit", "cardinal"])
def test_ordinal_to_int(word: str, expected: int | None) -> None:
    assert ordinal_to_int(word) == expected


@pytest.mark.parametrize("numeral, expected", [
    ("VII", 7), ("xi", 11), ("XIV", 14), ("IIII", None), ("A", None), ("", None),
], ids=["vii", "lower", "subtractive", "invalid", "letter", "empty"])
def test_roman_to_int(numeral: str, expected: int | None) -> None:
    assert roman_to_int(numeral) == expected


@pytest.mark.parametrize("text, expected", [
    ("Recalling also its resolution 57/270 B", "Recalling also"),
    ("Recalling further its resolution 69/191", "Recalling further"),
    ("Bearing in mind also its resolution 69/244", "Bearing in mind also"),
    ("Taking note with appreciation of the recommendations", "Taking note with appreciation"),
    ("Taking into account Economic and Social Council resolution", "Taking into account"),
    ("Taking stock of the 65-year legacy", "Taking stock"),
    ("Having considered the report of the Thirteenth Congress", "Having considered"),
    ("Deeply concerned about the growing links", "Deeply concerned"),
    ("Expressing its grave concern about the negative effects", "Expressing its grave concern"),
    ("Aware also of the report", "Aware also"),
    ("Noting with concern the situation", "Noting with concern"),
    ("We, Heads of State and Government,", None),
    ("To that end, declare the following:", None),
], ids=lambda value: value if isinstance(value, str) and len(value) < 30 else None)
def test_preamble_opening(text: str, expected: str | None) -> None:
    assert preamble_opening(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Requests the Secretary-General to submit", "Requests"),
    ("Also invites Member States to integrate", "Also invites"),
    ("Also calls upon Member States to take", "Also calls upon"),
    ("Expresses its appreciation to the United Nations Office", "Expresses its appreciation"),
    ("Expresses its profound gratitude to the people", "Expresses its profound gratitude"),
    ("Expresses concern regarding the overall financial situation", "Expresses concern"),
    ("Takes note with appreciation of the report", "Takes note with appreciation"),
    ("Welcomes with appreciation the offer", "Welcomes with appreciation"),
    ("Calls for greater coherence", "Calls for"),
    # "its resolution" is the object, not part of the phrase
    ("Reaffirms its resolution 70/1, entitled", "Reaffirms"),
    ("*Endorses* the Kyoto Declaration", "Endorses"),
    ("To develop and implement", None),
], ids=lambda value: value if isinstance(value, str) and len(value) < 30 else None)
def test_operative_opening(text: str, expected: str | None) -> None:
    assert operative_opening(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("We reaffirm the cross-cutting nature", "We reaffirm"),
    ("We also express deep concern", "We also express"),
    ("We strongly reaffirm the responsibility", "We strongly reaffirm"),
    ("We commit ourselves to take decisive actions", "We commit"),
    ("We, Heads of State and Government", None),
    ("Develop, implement and evaluate crime prevention strategies", None),
], ids=["reaffirm", "also", "strongly", "commit", "we-comma", "imperative"])
def test_declaration_opening(text: str, expected: str | None) -> None:
    assert declaration_opening(text) == expected


@pytest.mark.parametrize("line, expected", [
    ("15-16928 (E)", True),
    ("23-26047 (E)    050124", True),
    ("16/16", True),
    ("**13/16** ", True),
    ("21-19220 **9/16**", True),
    ("2/8                                   24-24143", True),
    ("24-24143                              3/8", True),
    ("*1516928*Please recycle ", True),
    ("<<ODS DOC SYMBOL1>>A/RES/70/174<<ODS DOC SYMBOL1>>", True),
    (" •", True),
    ("Resolution 65/229, annex.", False),
    ("2. Reaffirms its resolution 70/1", False),
    ("17 December 2015", False),
    ("Please recycle", True),
    ("Text<<ODS JOB NO 123>>", True),
    ("Recalling 21-19220 3/16", False),
    ("Pending 3/16", False),
], ids=["job", "job-date", "page", "bold-page", "job-bold-page", "even-footer", "odd-footer",
        "barcode", "ods", "bullet", "footnote", "paragraph", "date", "recycle", "ods-after-word",
        "word-first", "p-word-first"])
def test_is_page_furniture(line: str, expected: bool) -> None:
    assert is_page_furniture(line) is expected


TITLE = ("Follow-up to the Fourteenth United Nations Congress on Crime Prevention and Criminal "
         "Justice and preparations for the Fifteenth United Nations Congress")


@pytest.mark.parametrize("line, symbol, title, expected", [
    ("A/RES/78/227   Follow-up to the Fourteenth United Nations Congress", "A/RES/78/227",
     TITLE, True),
    ("Follow-up to the Fourteenth United Nations Congress   A/RES/78/227", "A/RES/78/227",
     TITLE, True),
    ("A/RES/78/227", "A/RES/78/227", None, True),
    ("recalling A/RES/78/227 of 19 December 2023", "A/RES/78/227", TITLE, False),
    ("A/RES/78/227   Follow-up", None, TITLE, False),
], ids=["even", "odd", "symbol-only", "in-text", "no-symbol-known"])
def test_is_running_head(line: str, symbol: str | None, title: str | None,
                         expected: bool) -> None:
    assert is_running_head(line, symbol, title) is expected


def test_line_spans_drop_breaks_and_trailing_blanks() -> None:
    text = "\tone  \r\ntwo\n\nthree"
    assert [text[start:end] for start, end in line_spans(text)] == ["\tone", "two", "", "three"]


@pytest.mark.parametrize("head, tail, text, expected", [
    ("Psycho", "tropic", "Narcotic Drugs and Psycho-\ntropic Substances", True),
    ("implemen", "tation", "the implemen-\ntation of the Plan", True),
    # compounds keep their hyphen: a known first or last part, a capital after the hyphen
    ("non", "governmental", "role of non-\ngovernmental organizations", False),
    ("follow", "up", "the follow-\nup to the Congress", False),
    ("well", "being", "the well-\nbeing of victims", False),
    ("thirty", "sixth", "at its thirty-\nsixth session", False),
    ("Secretary", "General", "by the Secretary-\nGeneral", False),
    ("COVID", "nineteen", "the COVID-\nnineteen pandemic", False),
    # the document decides first: the hyphenated form printed elsewhere keeps the hyphen,
    # even when the joined word is printed too; the joined word alone drops it
    ("inter", "agency", "inter-\nagency work and inter-agency groups", False),
    ("inter", "agency", "inter-\nagency and inter-agency, interagency", False),
    ("evidence", "based", "evidence-\nbased policy and evidencebased", True),
    ("inter", "national", "inter-\nnational law", True),
    # case aside, and whole words only; a text with "İ" or "Σ" asked from its words
    ("inter", "agency", "inter-\nagency and INTER-Agency", False),
    ("inter", "agency", "inter-\nagency and xinter-agency, interagencies", True),
    ("evidence", "based", "İ evidence-\nbased and Evidencebased", True),
    ("inter", "agency", "Σ inter-\nagency and Inter-agency", False),
], ids=["syllable", "syllable-2", "prefix", "tail", "tail-2", "number", "capital",
        "upper-head", "printed-hyphenated", "hyphenated-wins", "printed-joined", "unknown",
        "any-case", "whole-words", "dotted-i", "sigma"])
def test_is_broken_word(head: str, tail: str, text: str, expected: bool) -> None:
    assert is_broken_word(head, tail, text) is expected


@pytest.mark.parametrize("text", ["", "#", "# Title", "x\n## Heading", "x #  no\n#nope", "a\r\n# b",
                                  "\n\n# c", "x\u2028# d"])
def test_line_starts_with_is_a_multiline_start_of_line(text):
    assert line_starts_with(re.compile(r"\n#{1,6} "), text) == bool(
        re.search(r"^#{1,6} ", text, re.MULTILINE))
