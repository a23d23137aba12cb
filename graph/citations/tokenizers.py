"""Turn a text into the tokens citations are made of: keywords, numbers, dates, names, symbols.

An extractor pairs a pattern with the token kind it yields and the literal strings it needs, so
that it is skipped on texts that cannot contain it (eyecite's ``TokenExtractor``). Body, treaty
and congress names come from the reference tables, so a new body is added in
``graph/data/bodies.json``, not here. Tokens may overlap (a symbol inside Official Records, a
date inside a list); ``find.py`` decides which ones make a citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Iterable, Iterator

from graph import data
from graph.citations.patterns import (CUT_SYMBOL, DATE, IBID, KEYWORD, MONTHS, OFFICIAL_RECORDS, RESOLUTION_NUMBER,
                            SYMBOL, TAG, TREATY_SERIES, UNTS, alternation, compile_block,
                            literal_alternation)


@dataclass(unsafe_hash=True)
class Token:
    """A piece of text that can be part of a citation; ``groups`` are the pattern's groups.

    Compared and hashed by value like a frozen dataclass, and never changed once made, but not
    frozen: a frozen dataclass sets each field through ``object.__setattr__``, which made
    creating the tokens of the corpus three times as slow (issue 10)."""

    kind: str
    text: str
    start: int
    end: int
    groups: dict[str, str | None] = field(default_factory=dict, compare=False, hash=False)


DIGIT_REGEX = re.compile(r"\d")


@dataclass(frozen=True)
class TokenExtractor:
    """A pattern, the token kind it yields, and strings one of which the text must contain;
    ``digit``: the pattern matches nothing in a text without a digit (``\\d``, any script's)."""

    kind: str
    regex: re.Pattern[str]
    strings: tuple[str, ...] = ()
    digit: bool = False

    def get_tokens(self, text: str) -> Iterator[Token]:
        """Every match in ``text`` as a token (nothing when a required string is missing)."""
        present = {string for string in self.strings if string in text}
        if self.applies(present, DIGIT_REGEX.search(text) is not None):
            yield from self.tokens(text)

    def applies(self, present: set[str], digit: bool) -> bool:
        """Whether the pattern may match a text that holds the required strings ``present``
        (or more) and, as ``digit`` says, a digit: the one gate of ``get_tokens`` and
        ``tokenize``."""
        return (not self.strings or not present.isdisjoint(self.strings)) and (digit or not self.digit)

    def tokens(self, text: str) -> Iterator[Token]:
        """Every match in ``text`` as a token, the required strings not checked."""
        for match in self.matches(text):
            yield Token(self.kind, match.group(), match.start(), match.end(), match.groupdict())

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text)


@dataclass(frozen=True)
class ArticleTokenExtractor(TokenExtractor):
    """An extractor whose pattern is ``(?:\\bthe\\s+)?`` before ``name``: its matches are
    found from those of ``name`` alone, which starts with the names' first characters that the
    engine scans for, where the optional article made it try every character of every
    paragraph (issue 10). An article counts where the pattern takes it, after the last match."""

    name: re.Pattern[str] = re.compile("")

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for name in self.name.finditer(text):
            start = article = name.start()
            while article > end and text[article - 1].isspace():  # what \\s matches
                article -= 1
            match = None
            if article < start and article - 3 >= end and text[article - 3:article] == "the":
                match = self.regex.match(text, article - 3)
                if match and match.end() != name.end():
                    match = None
            match = match or self.regex.match(text, start)
            if match:
                end = match.end()
                yield match


# Generic short names that refer back to a full name of the same kind ("the Convention" = the
# last convention named). Treaty and body short names of the tables are added to these.
_GENERIC_TREATY_NAMES = ("Convention", "Protocol", "Protocols thereto")
# "the Thirteenth Congress", "Thirteenth United Nations Congress on Crime Prevention and …".
_CONGRESS = (r"(?P<ordinal>(?:[A-Z][a-z]+-)?[A-Z][a-z]+(?:th|st|nd|rd))\s+(?:United\s+Nations\s+)?"
             r"Congress(?:\s+on\s+(?:Crime\s+Prevention\s+and\s+Criminal\s+Justice|the\s+"
             r"Prevention\s+of\s+Crime\s+and\s+the\s+Treatment\s+of\s+Offenders))?")
# "the Doha Declaration", "Kyoto Declaration on Advancing Crime Prevention, …".
_DECLARATION = r"(?P<city>[A-Z][a-z]+)\s+Declaration\b"


def _words_of(names: Iterable[str]) -> tuple[str, ...]:
    """The longest word of each name: a text that holds none of them holds none of the names,
    so their extractor skips it (most paragraphs name no treaty; trying the alternation of
    every name at every character took a third of the citation finder's time, issue 10)."""
    return tuple(sorted({max(name.split(), key=len) for name in names}))


def _name_extractors() -> list[TokenExtractor]:
    """Extractors for body, treaty, congress and declaration names, built from the tables."""
    bodies = data.bodies()
    full_bodies = [name for body in bodies for name in body.names]
    short_bodies = sorted({name for body in bodies for name in body.short})
    treaty_names = [name for item in data.instruments() for name in (item.title, *item.names)]
    return [
        TokenExtractor("body", compile_block(alternation(full_bodies, word_start=True) + r"\b"),
                       _words_of(full_bodies)),
        # "the Commission", "the Conference of the Parties to the Convention", "by the
        # Commission of resolution 67/5"; not the start of a full or unknown name ("the
        # Commission on …", "the Conference of the Parties to the United Nations Framework
        # Convention …").
        TokenExtractor("short_body", compile_block(
            r"th(?<!\w..)(?:e|at|is)\s+(?P<name>" + alternation(short_bodies) + r")\b"
            r"(?!\s+(?:on|of|for)\b(?!\s+(?:[Rr]esolutions?|[Dd]ecisions?)\b))"
            r"(?!\s+(?:to|against)\s+(?:the\s+)?[A-Z])"), _words_of(short_bodies)),
        # "Commission resolution 32/1", "Council decision 52/115": a short name used as an
        # adjective needs no article.
        TokenExtractor("short_body", compile_block(
            r"(?P<name>" + alternation(short_bodies, word_start=True)
            + r")(?=\s+(?:[Rr]esolutions?|[Dd]ecisions?)\b)"),
            ("esolution", "ecision")),
        ArticleTokenExtractor("treaty_name", compile_block(
            r"(?:\bthe\s+)?(?P<name>" + alternation(treaty_names) + r")\b"), _words_of(treaty_names),
            name=compile_block(r"(?P<name>" + alternation(treaty_names) + r")\b")),
        TokenExtractor("short_treaty", compile_block(
            r"th(?<!\w..)e\s+(?P<name>" + alternation(list(_GENERIC_TREATY_NAMES))
            + r")\b(?!\s+(?:on|against|for|to)\b)"), _words_of(_GENERIC_TREATY_NAMES)),
        TokenExtractor("congress", compile_block(_CONGRESS), ("Congress",)),
        TokenExtractor("declaration", compile_block(_DECLARATION), ("Declaration",)),
    ]


@cache
def default_extractors() -> tuple[TokenExtractor, ...]:
    """The extractors ``tokenize`` uses unless given others."""
    return (
        TokenExtractor("keyword", compile_block(KEYWORD), ("esolution", "ecision")),
        # Every number holds a digit, and most texts with a full stop hold none: the number
        # pattern, which starts with a lookahead, is tried at every character (issue 10).
        TokenExtractor("number", compile_block(RESOLUTION_NUMBER), ("/", ".", "("), digit=True),
        TokenExtractor("date", compile_block(DATE), tuple(MONTHS), digit=True),
        TokenExtractor("symbol", compile_block(SYMBOL), ("/",), digit=True),
        TokenExtractor("cut_symbol", compile_block(CUT_SYMBOL), ("/",)),
        TokenExtractor("unts", compile_block(UNTS), ("Treaty",), digit=True),
        TokenExtractor("treaty_series", compile_block(TREATY_SERIES), ("Treaty",)),
        TokenExtractor("records", compile_block(OFFICIAL_RECORDS), ("Official Records",)),
        TokenExtractor("ibid", compile_block(IBID), ("Ibid",)),
        TokenExtractor("tag", compile_block(TAG), ("[",), digit=True),
        *_name_extractors(),
    )


class RequiredStrings:
    """Which of the extractors' required strings a text may hold, found in one pass.

    Asking each extractor's strings of every text with ``in`` (55 strings, 17 extractors) was
    half of tokenizing (issue 10). One pattern of the strings that start with a capital and go
    on, led by their first characters (which the engine scans for), finds them all in one pass;
    the others are still asked with ``in``: one character, or a lower-case first letter, at
    which the pattern would stop at nearly every word ("esolution"). The answer may hold a
    string the text lacks, never lack one it holds: a match stands for every string it
    contains or whose start it may hide (a string starting inside the match and going on past
    it), so at worst an extractor runs on a text where it finds nothing, as with any required
    string."""

    def __init__(self, strings: Iterable[str]) -> None:
        strings = set(strings)
        longer = sorted(string for string in strings if len(string) > 1 and string[0].isupper())
        self.asked = tuple(sorted(strings - set(longer)))
        self.regex = re.compile(literal_alternation(longer)) if longer else None
        self.implied = {found: frozenset({found} | {
            other for other in longer
            if other in found or any(other.startswith(found[i:]) for i in range(1, len(found)))})
            for found in longer}

    def present(self, text: str) -> set[str]:
        """The required strings ``text`` may hold."""
        present = {string for string in self.asked if string in text}
        if self.regex is not None:
            implied = self.implied
            for found in set(self.regex.findall(text)):
                present |= implied[found]
        return present


def required_strings(extractors: Iterable[TokenExtractor]) -> RequiredStrings:
    """The finder of the extractors' required strings."""
    return RequiredStrings(string for extractor in extractors for string in extractor.strings)


@cache
def _default_required_strings() -> RequiredStrings:
    return required_strings(default_extractors())


def tokenize(text: str, extractors: Iterable[TokenExtractor] | None = None) -> list[Token]:
    """All tokens of ``text``, by start offset, longer first when two start together."""
    chosen = tuple(extractors or ())
    if chosen:
        present = required_strings(chosen).present(text)
    else:
        chosen, present = default_extractors(), _default_required_strings().present(text)
    digit = DIGIT_REGEX.search(text) is not None
    tokens = [token for extractor in chosen if extractor.applies(present, digit)
              for token in extractor.tokens(text)]
    return sorted(tokens, key=lambda token: (token.start, -token.end))
