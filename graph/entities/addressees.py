"""Who an operative paragraph asks to act: "Requests the United Nations Office on Drugs and
Crime to …", "Also invites the Commission and the Secretary-General to …".

An operative paragraph opens with a directive verb followed by its addressees, then an
infinitive. The addressees are the bodies named in that stretch, by full name or by a short name
("the Commission") that means the body last named in full with it. Bodies come from the curated
table (``graph/data/bodies.json``); a stretch that names no known body ("Member States") gives
no addressee, so only real bodies are linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph import data
from graph.citations.patterns import literal_alternation
from graph.document import Document, Paragraph, Span

# Directive verbs, in the third person as operative paragraphs print them.
DIRECTIVE_REGEX = re.compile(
    r"\b(?:requests|invites|urges|calls\s+upon|encourages|recommends|reiterates\s+its\s+"
    r"(?:request|invitation)\s+to|appeals\s+to)$", re.IGNORECASE)
# Where the addressees end: the infinitive ("to continue"), a clause or the paragraph's end.
STRETCH_END_REGEX = re.compile(r"\s+to\s+(?=[a-z])(?!the\b|all\b|its\b|their\b|that\b)|[;:.]|,\s+(?:within|in|as|where|when|through|with|inter)\b")


@dataclass(frozen=True)
class Addressee:
    """A body an operative paragraph addresses, with where its name stands in the paragraph."""

    code: str
    span: Span


def _directive(paragraph: Paragraph) -> bool:
    return bool(paragraph.opening and DIRECTIVE_REGEX.search(paragraph.opening.strip("* ")))


def _names() -> list[tuple[str, str]]:
    """Every full name of every body, longest first, so the longest match wins."""
    names = [(name, body.code) for body in data.bodies() for name in body.names]
    return sorted(names, key=lambda row: -len(row[0]))


@cache
def _patterns() -> tuple[re.Pattern[str] | None, dict[str, str], re.Pattern[str]]:
    """The full names' pattern, each name's body code, and the short names' pattern: built
    once, not for every document (escaping every name of the tables each time was a fifth of
    finding addressees)."""
    names = _names()
    # Grouped by first character: every paragraph is searched for full names, and a plain
    # alternation of the names was tried at every character of each (issue 10).
    full_regex = re.compile(literal_alternation([name for name, _ in names])) if names else None
    short_regex = re.compile(r"\bthe\s+(?P<short>" + "|".join(sorted(
        {re.escape(s) for body in data.bodies() for s in body.short}, key=len, reverse=True))
        + r")\b(?!\s+(?:on|of|for|to|against)\b)")
    return full_regex, dict(names), short_regex


def find_addressees(document: Document) -> dict[str, list[Addressee]]:
    """The addressees of each directive operative paragraph, by paragraph id.

    Paragraphs are read in order so that a short name ("the Commission") means the body last
    named in full in the document with that short name.
    """
    last_named: dict[str, str] = {}
    found: dict[str, list[Addressee]] = {}
    full_regex, codes, short_regex = _patterns()
    for paragraph in document.paragraphs:
        text = paragraph.text
        if paragraph.kind == "operative" and paragraph.opening and _directive(paragraph):
            opening = paragraph.opening.strip("* ")
            start = text.find(opening) + len(opening)
            end_match = STRETCH_END_REGEX.search(text, start)
            end = end_match.start() if end_match else len(text)
            addressees = [Addressee(codes[m.group()], m.span())
                          for m in full_regex.finditer(text, start, end)] if full_regex else []
            for match in short_regex.finditer(text, start, end):
                code = last_named.get(match["short"])
                if code and not any(a.span[0] <= match.start() < a.span[1] for a in addressees):
                    addressees.append(Addressee(code, match.span()))
            if addressees:
                found[paragraph.id] = sorted(set(addressees), key=lambda a: a.span)
        for match in full_regex.finditer(text) if full_regex else ():
            body = data.body_by_code(codes[match.group()])
            if body:
                last_named.update({short: body.code for short in body.short})
    return found
