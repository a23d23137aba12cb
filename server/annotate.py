"""Place the graph's citations in the text a page shows: pure functions, no IO.

A citation node records the span of the *source file* it was read from (``unkg:spanStart`` /
``unkg:spanEnd``) and its printed text (``unkg:citedText``, white space collapsed), while a
paragraph or footnote records its *clean* text (``unkg:text``: markup, line wraps, footnote
markers and page furniture removed) and the source span that text was built from. The graph
does not keep the map between the two (``graph/document.py`` ``CleanText.offsets``), so a
citation is placed where its printed words occur in the clean text, near the position its
source offset suggests:

- the clean text only ever drops or replaces source characters, so a citation sits at or before
  ``citation start - paragraph start`` in it, and what was dropped before a citation (the
  *drift*) can only grow along the text;
- citations are placed in source order, each at the latest occurrence the drift so far allows,
  after the citation before it (or at the same place, when one span lies inside the other:
  "66/138" inside "66/138 to 66/141 of 19 December 2011").

On the corpus this puts every citation at the offset the extractor read it from (checked
against the readers' offset maps in ``tests/server/test_annotate.py``). A citation whose span
lies outside the paragraph (the tags "[WA 42(b)]" a compilation prints after a recommendation)
or whose words are not found is not dropped: it is shown after the text, marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from typing import Sequence


# Why a citation is shown beside the text (``Segment.beside``).
BEFORE = "printed before this text"
AFTER = "printed after this text"
NOT_FOUND = "its words were not found in this text"


@dataclass(frozen=True)
class Mark:
    """One citation node: the source span it was read from, its printed text, what it cites
    (``None`` when the extractor could not resolve it)."""

    node: str
    start: int
    end: int
    printed: str
    cited: str | None


@dataclass(frozen=True)
class Segment:
    """A stretch of the shown text. ``marks`` are the citations it is (several when one span
    cites several things, "vols. 2225, 2237 and 2241"), empty for plain text. ``beside`` says
    why a citation is shown before or after the text rather than in it."""

    text: str
    marks: tuple[Mark, ...] = ()
    opening: bool = False
    beside: str | None = None


def _pattern(printed: str) -> re.Pattern[str]:
    """The printed text with any run of white space matching any other."""
    return re.compile(r"\s+".join(re.escape(word) for word in printed.split()))


def place(text: str, start: int, groups: Sequence[tuple[Mark, ...]]
          ) -> dict[tuple[Mark, ...], tuple[int, int]]:
    """Where in ``text`` (whose source span begins at ``start``) each group of same-span marks
    stands, as clean-text ``(begin, end)``; groups that cannot be placed are left out."""
    placed: dict[tuple[Mark, ...], tuple[int, int]] = {}
    floor = drift = 0
    last: tuple[Mark, tuple[int, int]] | None = None
    for group in sorted(groups, key=lambda g: (g[0].start, -g[0].end)):
        mark = group[0]
        if last is not None:
            # After the previous citation, or at its start when the two spans overlap.
            floor = last[1][1] if mark.start >= last[0].end else last[1][0]
        found = [(m.start(), m.end()) for m in _pattern(mark.printed).finditer(text, floor)]
        if not found:
            continue
        estimate = mark.start - start
        allowed = [f for f in found if estimate - f[0] >= drift]
        extent = max(allowed) if allowed else min(found)
        placed[group] = extent
        drift, last = estimate - extent[0], (mark, extent)
    return placed


def annotate(text: str, span: tuple[int, int] | None, marks: Sequence[Mark],
             opening: str | None = None) -> list[Segment]:
    """The text cut into plain and citation segments, in reading order.

    ``span`` is the source span of ``text``; ``opening`` its opening phrase ("Recalling"),
    flagged on the segments it covers. Where citations nest, the innermost one is the link.
    Citations outside the span, or not found in the text, follow it as segments of their own.
    """
    groups = [tuple(g) for _, g in groupby(sorted(marks, key=_order), key=_span_key)]
    inside = [g for g in groups if span and span[0] <= g[0].start < span[1]]
    placed = place(text, span[0], inside) if span else {}
    cuts = {0, len(text)} | {i for extent in placed.values() for i in extent}
    head = len(opening) if opening and text.startswith(opening) else 0
    cuts.add(head)
    points = sorted(cuts)
    segments: list[Segment] = []
    for begin, end in zip(points, points[1:]):
        covering = [g for g, (b, e) in placed.items() if b <= begin and end <= e]
        group = min(covering, key=lambda g: placed[g][1] - placed[g][0], default=())
        is_opening = end <= head
        last = segments[-1] if segments else None
        if last and last.marks == group and last.opening == is_opening:
            segments[-1] = Segment(last.text + text[begin:end], group, is_opening)
        else:
            segments.append(Segment(text[begin:end], group, is_opening))
    before = [Segment(g[0].printed, g, beside=BEFORE) for g in groups
              if span and g[0].start < span[0]]
    after = [Segment(g[0].printed, g, beside=AFTER if span and g[0].start >= span[1]
                     else NOT_FOUND) for g in groups if g not in placed and g[0].start >=
             (span[0] if span else 0)]
    return before + segments + after


def _order(mark: Mark) -> tuple[int, int, str, str]:
    return (mark.start, mark.end, mark.printed, mark.cited or "")


def _span_key(mark: Mark) -> tuple[int, int, str]:
    return (mark.start, mark.end, mark.printed)
