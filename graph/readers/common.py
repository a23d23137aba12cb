"""Small pieces every reader needs: dates, ordinals, Roman numerals, opening phrases, page
furniture, words broken at a line end."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache

MONTHS = {name: index for index, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}

# No word boundary after the year: UN tab text glues the next line on ("8 January
# 2016Seventieth session") and PDF text glues footnote markers ("16 December 20215").
DATE_REGEX = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})")

_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
          "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth"]
_TENS_ORD = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
             "seventieth": 70, "eightieth": 80, "ninetieth": 90}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
ROMAN_REGEX = re.compile(r"^(?=[MDCLXVI])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")


def text_identifier(text: str) -> str:
    """The IRI path of a document that prints no symbol: its own text is its identity
    (never the file name), ``doc/sha256/<hex>``."""
    return f"doc/sha256/{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}"


def parse_date(text: str) -> str | None:
    """The first "17 December 2015" in ``text`` as ISO 8601, or ``None``. A date no calendar
    has ("31 June 2015", a misprint or a damaged file) is passed over, never an error."""
    for match in DATE_REGEX.finditer(text):
        try:
            return date(int(match["year"]), MONTHS[match["month"]],
                        int(match["day"])).isoformat()
        except ValueError:
            continue
    return None


def ordinal_to_int(word: str) -> int | None:
    """English ordinal words to numbers: "Seventieth" -> 70, "Sixty-eighth" -> 68."""
    word = word.strip().lower()
    if word in _UNITS[1:]:
        return _UNITS.index(word)
    if word in _TEENS:
        return 10 + _TEENS.index(word)
    if word in _TENS_ORD:
        return _TENS_ORD[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS[1:]:
        return _TENS[tens] + _UNITS.index(unit)
    return None


def roman_to_int(numeral: str) -> int | None:
    """"VII" -> 7; ``None`` for anything that is not a Roman numeral."""
    numeral = numeral.strip().upper()
    if not numeral or not ROMAN_REGEX.match(numeral):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for current, following in zip(numeral, numeral[1:] + " "):
        value = values[current]
        total += -value if following != " " and values[following] > value else value
    return total


# Opening words of preambular paragraphs: a participle or adjective phrase ("Recalling",
# "Deeply concerned", "Bearing in mind", "Having considered"), optionally followed by "also",
# "further", "with appreciation" and the like. Operative openings are a verb in the third
# person ("Requests", "Also invites", "Calls upon"), with the object words that make the
# phrase ("Takes note with appreciation", "Expresses its appreciation").
_FEELINGS = (r"(?:(?:deep|grave|serious|profound|great)\s+)?"
             r"(?:concern|appreciation|gratitude|satisfaction|alarm)")
_ADVERBS = (r"(?:also|further|furthermore|again|once\s+again|further\s+also|"
            r"with\s+" + _FEELINGS + r")")
_INTENSIFIERS = r"(?:Deeply|Gravely|Seriously|Strongly|Fully|Firmly|Also|Further|Profoundly)"
PREAMBLE_OPENING_REGEX = re.compile(
    r"^(?P<opening>(?:" + _INTENSIFIERS + r"\s+(?:[a-z]+ed|aware|mindful|convinced)|"
    r"Bearing\s+in\s+mind|Taking\s+(?:note|into\s+account|into\s+consideration|stock)|"
    r"Noting\s+with\s+\w+|Having\s+(?:taken\s+note|\w+)|"
    r"Expressing\s+(?:its\s+)?" + _FEELINGS + r"|"
    r"[A-Z][a-z]+ing|Convinced|Concerned|Aware|Mindful|Alarmed|Determined|Cognizant|"
    r"Conscious|Encouraged|Guided|Desirous|Pleased|Gratified|Deeply|Noting)"
    r"(?:\s+" + _ADVERBS + r")*)\b")
OPERATIVE_OPENING_REGEX = re.compile(
    r"^(?P<opening>(?:(?:Also|Further|Again|Once\s+again|Strongly|Further\s+also|"
    r"Also\s+strongly|Again\s+strongly)\s+[a-z]+s|[A-Z][a-z]+s)"
    r"(?:\s+(?:note|upon|for|" + _FEELINGS + r"|its\s+" + _FEELINGS + r"|"
    r"its\s+(?:request|support|commitment|condemnation)|with\s+" + _FEELINGS + r"|"
    r"also|further|once\s+again))*)\b")


def preamble_opening(text: str) -> str | None:
    """The opening phrase of a preambular paragraph: "Recalling also", "Bearing in mind"."""
    match = PREAMBLE_OPENING_REGEX.match(text.lstrip("“\"* "))
    return match["opening"] if match else None


def operative_opening(text: str) -> str | None:
    """The opening verb of an operative paragraph: "Requests", "Also invites"."""
    match = OPERATIVE_OPENING_REGEX.match(text.lstrip("“\"* "))
    return match["opening"] if match else None


# Annexed declarations speak in the first person plural: "We reaffirm", "We also express",
# "We commit ourselves". "We, Heads of State and Government, ..." opens no statement.
DECLARATION_OPENING_REGEX = re.compile(
    r"^(?P<opening>We(?:\s+(?:also|further|therefore|strongly|firmly|fully|again|once\s+again|"
    r"solemnly))*\s+[a-z]+)\b")


def declaration_opening(text: str) -> str | None:
    """The opening of a declaration paragraph: "We reaffirm", "We also express"."""
    match = DECLARATION_OPENING_REGEX.match(text.lstrip("“\"* "))
    return match["opening"] if match else None


# Lines that belong to the printed page, not to the document: job numbers ("15-16928 (E)",
# "23-26047 (E) 050124"), page numbers alone or with the job number ("16/16", "**13/16**",
# "21-19220 3/16", "2/8 24-24143"), bar codes ("*1516928*Please recycle"), the document
# system's "<<ODS ...>>" tags, and list bullets left alone on a line by PDF extraction.
PAGE_FURNITURE_REGEXES = (
    re.compile(r"^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?$"),
    re.compile(r"^(?:\d{2}-\d{5}\s+)?\d{1,3}/\d{1,3}(?:\s+\d{2}-\d{5})?$"),
    re.compile(r"^\*\d{7}\*"),
    re.compile(r"^Please recycle"),
    re.compile(r"<<ODS [A-Z0-9 ]+>>"),
    re.compile(r"^[•▪◦●]$"),
)


# Readers ask of every line: the patterns anchored at the start in one pattern matched there,
# the others searched (six searches a line were a tenth of reading PDF text, issue 10).
_FURNITURE_START_REGEX = re.compile("|".join(
    f"(?:{regex.pattern})" for regex in PAGE_FURNITURE_REGEXES if regex.pattern.startswith("^")))
_FURNITURE_ANYWHERE_REGEX = re.compile("|".join(
    f"(?:{regex.pattern})" for regex in PAGE_FURNITURE_REGEXES if not regex.pattern.startswith("^")))


def is_page_furniture(line: str) -> bool:
    """Whether ``line`` is printed page furniture that must never reach the model."""
    # A line opening with a letter other than "P" (most lines) could only be the document
    # system's "<<ODS" tag: the other patterns start with a digit, "*", "Please" or a bullet.
    if line[:1].isalpha() and line[0] != "P" and "<" not in line:
        return False
    stripped = line.strip().replace("**", "").strip()
    return bool(_FURNITURE_START_REGEX.match(stripped) or _FURNITURE_ANYWHERE_REGEX.search(stripped))


def is_running_head(line: str, symbol: str | None, title: str | None) -> bool:
    """Whether ``line`` is a running head: the symbol, alone or beside (part of) the title.

    Running heads repeat the document's own symbol and title ("A/RES/78/227   Follow-up to
    ..."), so they can only be told from text once both are known.
    """
    if not symbol or symbol not in line:
        return False
    rest = " ".join(line.replace(symbol, " ").split())
    return not rest or bool(title and rest in " ".join(title.split()))


def line_starts_with(regex: re.Pattern[str], text: str) -> bool:
    """Whether some line of ``text`` starts with what ``regex`` matches after its first
    character, which must be the line break "\n" (the line before the first is taken as
    empty). Readers ask it of whole files to tell their shapes apart: a pattern led by a
    line break is found by a fast scan for that character, where one led by "^" in
    ``re.MULTILINE`` mode is tried at every character of the file."""
    return regex.search("\n" + text) is not None


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, without its line break or trailing blanks, so
    readers can keep source offsets while they work line by line."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # what follows the last line break is no line
    spans = []
    start = 0
    for line in lines:
        spans.append((start, start + len(line.rstrip())))
        start += len(line) + 1
    return spans


# Hyphenated compounds whose hyphen stays wherever the line falls: UN style prints
# "non-governmental", "self-reliance", "well-being", "thirty-sixth"; and "follow-up",
# "high-level", "evidence-based", "long-term" from the other end. A word split at a syllable
# ("Psycho-" + "tropic", "implemen-" + "tation") has neither part in these lists.
COMPOUND_HEADS = frozenset({
    "non", "self", "well", "ex", "anti", "cross", "so", "semi", "twenty", "thirty", "forty",
    "fifty", "sixty", "seventy", "eighty", "ninety", "one", "two", "three", "four", "five",
    "half", "all", "full", "part", "open", "like"})
COMPOUND_TAILS = frozenset({
    "up", "being", "based", "related", "level", "term", "scale", "border", "making",
    "building", "oriented", "sensitive", "specific", "led", "owned", "wide", "free",
    "friendly", "ended", "off", "out", "run", "fold", "like"})


def is_broken_word(head: str, tail: str, text: str) -> bool:
    """Whether "head-" at a line end and "tail" on the next line are one word that the line
    break hyphenated ("Psycho-" + "tropic"), not a hyphenated compound ("non-" +
    "governmental").

    A capital after the hyphen makes a compound ("Secretary-" + "General"). Otherwise the
    document decides where it can: the hyphenated form printed elsewhere keeps the hyphen
    (checked first: when unsure, keep it), the joined word printed elsewhere drops it. Failing
    that, well-known compound parts keep it.
    """
    if not (head[-1:].islower() and tail[:1].islower()):
        return False
    if _printed(text, f"{head.lower()}-{tail.lower()}"):
        return False
    if _printed(text, (head + tail).lower()):
        return True
    return head.lower() not in COMPOUND_HEADS and tail.lower() not in COMPOUND_TAILS


def _printed(text: str, words: str) -> bool:
    """Whether ``text`` prints ``words`` (lower case; one word, or two joined by a hyphen) as
    whole words, whatever their case.

    A document asks this about a hundred times at most, so the question is put to the text
    lower-cased once (``_lowered``), not answered from every word it prints, which took a
    sixth of reading PDF text (issue 10)."""
    lowered = _lowered(text)
    if lowered is None:
        first, _, second = words.partition("-")
        printed, compounds = _printed_words(text)
        return (first, second) in compounds if second else first in printed
    # The words first, the word boundary before them a lookbehind after them: the engine then
    # scans for the words themselves.
    return re.search(re.escape(words) + r"(?<!\w" + "." * len(words) + r")(?!\w)",
                     lowered) is not None


@lru_cache(maxsize=4)
def _lowered(text: str) -> str | None:
    """``text`` lower-cased, in which a word of the text lower-cased is found as it stands;
    ``None`` for the two characters that break that: "İ", which lower-cases to two
    characters, and "Σ", whose lower case depends on the letters around it."""
    return None if "\u0130" in text or "\u03a3" in text else text.lower()


@lru_cache(maxsize=4)
def _printed_words(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The words a text prints and the pairs of words it prints joined by a hyphen
    ("non-governmental-organization" gives ("non", "governmental") and ("governmental",
    "organization")), lower-cased. Found once per text: searching the whole text again at
    every hyphenated line break made reading cost the square of the text's length."""
    words: set[str] = set()
    compounds: set[tuple[str, str]] = set()
    for chain in set(re.findall(r"\w+(?:-\w+)*", text)):
        parts = chain.lower().split("-")
        words.update(parts)
        compounds.update(zip(parts, parts[1:]))
    return frozenset(words), frozenset(compounds)
