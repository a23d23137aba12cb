"""Small pieces every reader needs: dates, ordinals, Roman numerals, opening phrases."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {name: index for index, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}

DATE_REGEX = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})\b")

_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
          "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
          "seventeenth", "eighteenth", "nineteenth"]
_TENS_ORD = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
             "seventieth": 70, "eightieth": 80, "ninetieth": 90}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
ROMAN_REGEX = re.compile(r"^(?=[MDCLXVI])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")


def parse_date(text: str) -> str | None:
    """The first "17 December 2015" in ``text`` as ISO 8601, or ``None``."""
    match = DATE_REGEX.search(text)
    if not match:
        return None
    return date(int(match["year"]), MONTHS[match["month"]], int(match["day"])).isoformat()


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


# Opening words of preambular paragraphs: a participle or adjective phrase, optionally followed
# by "also", "further", "once again", "with appreciation" and the like. Operative verbs are the
# first word(s) of a numbered paragraph in the third person ("Requests", "Also invites").
_ADVERBS = r"(?:also|further|furthermore|again|once\s+again|further\s+also|with\s+(?:deep\s+)?(?:appreciation|concern|satisfaction|grave\s+concern|serious\s+concern))"
PREAMBLE_OPENING_REGEX = re.compile(
    r"^(?P<opening>(?:(?:Deeply|Gravely|Seriously|Strongly|Fully|Firmly|Also|Further)\s+)?"
    r"(?:Bearing\s+in\s+mind|Taking\s+(?:note|into\s+account|into\s+consideration)|"
    r"Noting\s+with\s+\w+|Having\s+\w+(?:\s+(?:the|note))?|"
    r"[A-Z][a-z]+ing|Convinced|Concerned|Aware|Mindful|Alarmed|Determined|Cognizant|"
    r"Conscious|Encouraged|Guided|Desirous|Emphasizing|Acknowledging|Noting)"
    r"(?:\s+" + _ADVERBS + r")*)\b")
OPERATIVE_OPENING_REGEX = re.compile(
    r"^(?P<opening>(?:(?:Also|Further|Again|Once\s+again|Strongly|Further\s+also|Also\s+strongly)\s+)?"
    r"[A-Z][a-z]+s(?:\s+(?:note|its\s+\w+|with\s+(?:appreciation|concern|satisfaction)|upon|"
    r"also|further|once\s+again))*)\b")


def preamble_opening(text: str) -> str | None:
    """The opening phrase of a preambular paragraph: "Recalling also", "Bearing in mind"."""
    match = PREAMBLE_OPENING_REGEX.match(text.lstrip("“\"* "))
    return match["opening"] if match else None


def operative_opening(text: str) -> str | None:
    """The opening verb of an operative paragraph: "Requests", "Also invites"."""
    match = OPERATIVE_OPENING_REGEX.match(text.lstrip("“\"* "))
    return match["opening"] if match else None
