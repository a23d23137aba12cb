"""Footnote markers: find them in paragraph text, take them out, remember where they stood.

Source texts lose the superscript: a marker becomes digits glued to the word, punctuation or
year before it ("thereto,1", "Corruption5", "2015,6", "20215" = 2021 + marker 5), to the full
stop that ends a sentence ("Convention.12", "in 2021.7") or, in some
conversions, digits after a space ("(the Nelson Mandela Rules), 8 as well", "the Protocols
thereto 2 in", "of 17 December 1996 3 and"). Digits alone
cannot tell a marker from a number, so a candidate is accepted only when it fits the footnotes
the document actually has: UN footnotes are numbered in order of first reference, so a new
marker must be the next label (or skip at most ``MAX_LOST_MARKERS`` labels whose markers
the conversion lost), and any later reference repeats a label already seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from graph.document import CleanText, Marker

# How many footnotes in a row may lose their marker in conversion (001 loses footnote 3 and
# still marks 4) before a number stops being believed as the next marker.
MAX_LOST_MARKERS = 2

# What comes before a marker is checked by a lookbehind placed after the marker's first
# character ("\d(?<=[^\W\d_]\d)", not "(?<=[^\W\d_])\d"): the pattern then starts with a
# character class, which the regex engine scans for quickly, where a leading lookbehind was
# tried at every character of every paragraph (issue 10: 2 to 4 times faster, same matches).
# Digits glued to a letter or closing punctuation: "thereto8", "thereto,1", "Rules);18".
# Not after "/", "-" or "." (symbols "A/70/1", "COVID-19", "Corr.1") nor inside a number.
GLUED_REGEX = re.compile(r"(?P<label>\d(?<=[^\W\d_]\d|[,;:)\]”’\"']\d)\d{0,2})(?=$|[\s,;:.)\]])")
# A year with a marker glued to it: "20215" is 2021 and marker 5.
YEAR_REGEX = re.compile(r"(?:1(?<![\d/.\-]1)[89]|2(?<![\d/.\-]2)0)\d\d(?P<label>\d{1,2})(?=$|[\s,;:.)\]])")
# Digits after a full stop, only where a sentence ends: "at sea.29" (end of the paragraph or
# before the next sentence). "Corr.1" and "E.96.IV.13" are followed by neither.
STOP_REGEX = re.compile(r"(?P<label>\d(?<=[^\W\d_]\.\d|\)\.\d)\d{0,2})(?=\s*$|\s+[A-Z“\"])")
# The same after a year that ends the sentence: "against corruption in 2021.7". Like a marker
# glued to a year, only believed when that footnote exists ("2021.7" might be a number).
YEAR_STOP_REGEX = re.compile(
    r"(?:1(?<![\d/.\-]1)[89]|2(?<![\d/.\-]2)0)\d\d\.(?P<label>\d{1,3})(?=\s*$|\s+[A-Z“\"])")
# A marker set off by a space after punctuation, as markdown conversions print them:
# "Rules), 8 as well", "Assembly; 12", and before the next number of a list: "resolutions
# 5/3 of 29 November 2013, 14 6/2 and 6/3" (a number is never followed by another so). Only for readers that ask for it (``spaced=True``).
# The punctuation is checked by a lookbehind after the space, so that the pattern starts with
# the space, which the engine scans for (see ``GLUED_REGEX``).
SPACED_REGEX = re.compile(r" (?<=[,;:)”\"] )(?P<label>\d{1,3})(?=\s+[a-z]|\s+\d{1,4}/\d|\s*$)")
# The number before such punctuation. After the punctuation, the word before it ("the 1972
# Protocol, 2") no longer takes the number, but a number does: "paragraphs 1, 2 and 3" is a
# list going on. Only a year ("17 December 2021, 3") may carry a marker there, and then only
# the very next footnote.
NUMBER_BEFORE_REGEX = re.compile(r"(?<![\w/.\-])(?P<number>\d+)[,;:]$")
YEAR_NUMBER_REGEX = re.compile(r"(?:1[89]|20)\d\d")
# A marker set off by a space after a word or a year, as raw pdftotext prints a superscript
# it set apart: "the Protocols thereto 2 in", "of 17 December 1996 3 and". Here digits are as
# often part of the text ("resolution 3 of", "articles 5 and 6"), so the word before must be
# no word that numbers take (``NUMBERED_WORDS``), the digits must end where a word, clause or
# line ends, and the label must be exactly the next footnote (see ``_Candidate.next_only``).
WORD_SPACED_REGEX = re.compile(
    r"(?P<word>(?<![\w/.\-])[^\W\d_]+|(?<![\d/.\-])(?:1[89]|20)\d\d) (?P<label>\d{1,3})"
    r"(?=[,;:.)](?!\d)|\s+[a-z]|\s*$)")
# Its label alone, which starts with a space the engine scans for: ``WORD_SPACED_REGEX`` starts
# with a lookbehind tried at every character of every paragraph (a sixth of reading the
# corpus). Its matches never overlap (the word or year of one cannot start inside the digits of
# another), so each is found from its label, by looking back for the word (``_word_spaced``).
SPACED_LABEL_REGEX = re.compile(r" \d{1,3}(?=[,;:.)](?!\d)|\s+[a-z]|\s*$)")
LETTER_REGEX = re.compile(r"[^\W\d_]")
# What every marker pattern needs: the patterns' ``\d`` (any Unicode digit), not just 0-9.
DIGIT_REGEX = re.compile(r"\d")
# Words a number follows as part of the text: what is numbered ("resolution 3", "Goal 16"),
# the joints of number lists and ranges ("5 and 6", "40 to 47"), counts ("at least 3") and
# months ("December 3").
NUMBERED_WORDS = frozenset("""
    resolution resolutions decision decisions article articles paragraph paragraphs para paras
    subparagraph subparagraphs chapter chapters section sections annex annexes appendix
    appendices rule rules principle principles goal goals target targets indicator indicators
    recommendation recommendations part parts volume volumes vol no nos number numbers page
    pages p pp item items table tables figure figures box protocol protocols schedule step
    steps phase phases stage stages level levels tier option options category categories
    session sessions meeting meetings amendment amendments regulation regulations standard
    standards clause clauses point points line lines footnote footnotes note notes annexure
    and or nor to through than of from between by in at on per with for the a an
    least most some about over under nearly almost approximately only all first last next
    january february march april may june july august september october november december
""".split())


@dataclass(frozen=True)
class FoundMarker:
    """A marker taken out of a paragraph: label, clean-text offset, source offset."""

    label: str
    offset: int
    source_offset: int


@dataclass(frozen=True)
class _Candidate:
    """Digits that may be a marker. ``repeatable``: may repeat a label already used (spaced
    digits may not); ``needs_footnote``: only believed when the footnote exists (digits
    glued to a year); ``next_only``: only believed as the very next footnote, none lost in
    between (digits spaced from a word); ``known``: a marker the reader took from markup."""

    start: int
    end: int
    label: str
    repeatable: bool = True
    needs_footnote: bool = False
    next_only: bool = False
    known: FoundMarker | None = None


class MarkerFinder:
    """Takes footnote markers out of the paragraphs of one document, in reading order.

    The finder is stateful on purpose: whether "7" after "2015," is a marker depends on which
    labels earlier paragraphs already used. Create one per document and feed it every
    paragraph in document order.
    """

    def __init__(self, labels: Iterable[str], spaced: bool = False) -> None:
        self.labels = set(labels)
        self.spaced = spaced
        # Digits spaced from a word are believed only as the next footnote: once the markers
        # have passed the highest label, looking for them is skipped (most paragraphs).
        self.highest = max((int(label) for label in self.labels if label.isdecimal()), default=0)
        self.seen: set[str] = set()
        self.last = 0

    def extract(self, content: CleanText,
                explicit: Iterable[FoundMarker] = ()) -> tuple[CleanText, list[FoundMarker]]:
        """Return ``content`` without its markers, and the markers found.

        ``explicit`` lists markers the reader already knows from markup (``<sup>5</sup>``,
        already removed from ``content``); they are kept as they are and advance the
        numbering like any other marker.
        """
        text = content.text
        candidates: list[_Candidate] = []
        # Every marker is digits, and most paragraphs hold none: one search for a digit spares
        # them the six patterns (issue 10).
        if DIGIT_REGEX.search(text):
            candidates = [_Candidate(m.start("label"), m.end("label"), m["label"],
                                     needs_footnote=regex in (YEAR_REGEX, YEAR_STOP_REGEX))
                          for regex in (GLUED_REGEX, YEAR_REGEX, STOP_REGEX, YEAR_STOP_REGEX)
                          for m in regex.finditer(text)]
            if self.spaced:
                candidates += _after_punctuation(text)
                if self.highest > self.last:
                    candidates += [_Candidate(m.start("label") - 1, m.end(), m["label"],
                                              repeatable=False, next_only=True)
                                   for m in _word_spaced(text)
                                   if m["word"].lower() not in NUMBERED_WORDS]
        candidates += [_Candidate(m.offset, m.offset, m.label, known=m) for m in explicit]
        cuts: list[tuple[int, int]] = []
        found: list[FoundMarker] = []
        for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
            if cuts and candidate.start < cuts[-1][1]:
                continue
            if candidate.known:
                found.append(candidate.known)
            elif self._believe(candidate):
                cuts.append((candidate.start, candidate.end))
                digits = candidate.start + (content.text[candidate.start] == " ")
                found.append(FoundMarker(candidate.label, candidate.start,
                                         content.offsets[digits]))
            else:
                continue
            self._use(candidate.label)
        return _remove(content, cuts), _shift(found, cuts)

    def _believe(self, candidate: _Candidate) -> bool:
        """Whether the candidate's digits are a footnote marker."""
        if candidate.label in self.seen:
            return candidate.repeatable
        number = int(candidate.label)
        if number <= self.last:
            return False
        if candidate.next_only:
            return candidate.label in self.labels and number == self.last + 1
        if candidate.label in self.labels:
            return number <= self.last + 1 + MAX_LOST_MARKERS
        # A marker whose footnote is missing is still believed when it is exactly the next
        # number, so that the reader can warn about it instead of leaving digits in the text.
        return not candidate.needs_footnote and number == self.last + 1

    def _use(self, label: str) -> None:
        self.seen.add(label)
        if label.isdigit():
            self.last = max(self.last, int(label))


def _word_spaced(text: str) -> list[re.Match[str]]:
    """``WORD_SPACED_REGEX.finditer(text)``, found from each label: the word before it is the
    run of letters the space ends, or else a year of four digits."""
    matches = []
    for label in SPACED_LABEL_REGEX.finditer(text):
        space = start = label.start()
        while start and LETTER_REGEX.match(text, start - 1):
            start -= 1
        if start == space:
            start = space - 4  # no letters: only a year can end here
        match = WORD_SPACED_REGEX.match(text, start) if start >= 0 else None
        if match and match.start("label") == space + 1:
            matches.append(match)
    return matches


def _after_punctuation(text: str) -> list[_Candidate]:
    """Candidates set off by a space after punctuation; not after a number in a list."""
    candidates = []
    for match in SPACED_REGEX.finditer(text):
        before = NUMBER_BEFORE_REGEX.search(text, 0, match.start())
        if before and not YEAR_NUMBER_REGEX.fullmatch(before["number"]):
            continue
        candidates.append(_Candidate(match.start(), match.end(), match["label"],
                                     repeatable=False, next_only=bool(before)))
    return candidates


def _remove(content: CleanText, cuts: list[tuple[int, int]]) -> CleanText:
    """``content`` without the character ranges in ``cuts`` (sorted, not overlapping)."""
    if not cuts:  # most paragraphs: a copy, the offsets copied once
        return CleanText(content.text, content.offsets[:])
    text, offsets, position = [], [], 0
    for start, end in cuts:
        text.append(content.text[position:start])
        offsets.extend(content.offsets[position:start])
        position = end
    text.append(content.text[position:])
    offsets.extend(content.offsets[position:])
    return CleanText("".join(text), offsets)


def _shift(found: list[FoundMarker], cuts: list[tuple[int, int]]) -> list[FoundMarker]:
    """Clean offsets of the markers in the text after the cuts were made."""
    shifted = []
    for marker in found:
        removed = sum(end - start for start, end in cuts if end <= marker.offset)
        shifted.append(FoundMarker(marker.label, marker.offset - removed, marker.source_offset))
    return shifted


def as_markers(found: Iterable[FoundMarker]) -> list[Marker]:
    """The document model's markers (label and clean offset) for markers found."""
    return [Marker(marker.label, marker.offset) for marker in found]
