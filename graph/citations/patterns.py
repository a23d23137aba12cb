"""Named regular-expression building blocks for UN citations, each with a corpus example.

The blocks are strings in verbose mode so that ``tokenizers.py`` can compose them; patterns that
depend on reference data (body names) are built there from ``graph/data/bodies.json``. Markdown
conversions keep italics (``*Treaty Series*``, ``*Ibid.*``), so the blocks that meet italic
titles accept an optional ``*`` around them.
"""

from __future__ import annotations

import re

from graph.readers.common import MONTHS

FLAGS = re.VERBOSE

# --- Builders ---------------------------------------------------------------------------------


def compile_block(block: str) -> re.Pattern[str]:
    """Compile a verbose block with the flags every pattern of this module uses."""
    return re.compile(block, FLAGS)


def alternation(words: list[str], word_start: bool = False) -> str:
    """A verbose-safe alternation of literal phrases, longest first so that the longest wins.

    Phrases are grouped by their first character (``C(?:ommission|ouncil)``), so the engine
    tries one branch per character of the text instead of every phrase (a third faster on
    the tables' names); within a group the order stays longest first, and phrases of
    different groups never match at the same place, so the match is the same.

    ``word_start``: a phrase matches only where a word starts (``\\b`` before it). When every
    phrase starts with a word character the check is a lookbehind after the first character
    (``C(?<!\\w.)(?:…)``): the pattern then starts with the first characters, which the engine
    scans for, where a leading ``\\b`` was tried at every character of every paragraph (issue
    10: the name patterns four times faster, same matches)."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[:1], []).append(word[1:])
    if word_start and not all(re.match(r"\w", first) for first in groups):
        return r"\b" + alternation(words)
    after_first = r"(?<!\w.)" if word_start else ""
    return "(?:" + "|".join(_escaped(first) + after_first + "(?:" + "|".join(map(_escaped, rests))
                            + ")" for first, rests in groups.items()) + ")"


def literal_alternation(strings: list[str]) -> str:
    """An alternation of exact strings (not verbose-safe: spaces stand for themselves),
    longest first (in the given order among strings of one length), grouped by their first
    character: the pattern then starts with the first characters, which the engine scans for,
    where a plain alternation was tried at every character of the text. Same matches: strings
    of different groups never match at the same place, and within a group the order stays."""
    groups: dict[str, list[str]] = {}
    for string in sorted(strings, key=len, reverse=True):
        groups.setdefault(string[:1], []).append(string[1:])
    return "|".join(re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")"
                    for first, rests in groups.items())


def _escaped(phrase: str) -> str:
    """A literal phrase for a verbose pattern, any white space where it has a space."""
    return re.escape(phrase).replace(r"\ ", r"\s+")


# --- Numbers, dates, Roman numerals -------------------------------------------------------------

# A dash between the ends of a range ("SR.6-8", "paras. 24–26") or the two symbols of a joint
# symbol ("A/73/831-E/2019/56", "A/79/126–E/2024/53"): tab text prints a hyphen, PDF text often
# an en dash, sometimes a non-breaking hyphen (U+2011), a hyphen (U+2010) or an em dash.
DASH = "[-\u2010\u2011\u2013\u2014]"

# "VII" in "155 C (VII)"; "XXI" in "2200 A (XXI)".
ROMAN = r"(?:[IVXLC]{1,7})"

# "18 December 1991"; no word boundary after the year because PDF text glues footnote markers
# onto years ("16 December 20215").
DATE = r"(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})"

# The letter of a resolution in parts: "57/270 B", "74/550 A", "155 C (VII)". It must be followed
# by punctuation, a dash and the last part of a range ("S-20/4 A–E") or one of the words that
# follow a citation, so that "resolution 70/1 A new …" is not read as part A.
PART = r"""
    (?:\s(?P<part>[A-Z])
        (?=\s*(?:[,;.:)(]|$|[-\u2010\u2011\u2013\u2014][A-Z]\b|\s(?:of|and|to|on|or|entitled|in|by|as|annex|adopted|concerning|
                                 which|were|was|is|are|that|the|both|all)\b)))
"""

# --- Resolution and decision numbers --------------------------------------------------------
# Every shape a resolution number takes after the word "resolution". Named groups:
# ``session``/``number`` (session-numbered), ``year`` (ECOSOC or Security Council year),
# ``special`` (special session), ``roman`` (old style), ``wha`` (World Health Assembly),
# ``cop_session`` (Conferences of the Parties to the climate and desertification conventions).

# "S-23/2": resolution 2 of the twenty-third special session.
SPECIAL_NUMBER = r"S-(?P<special>\d{1,2})/(?P<s_number>\d{1,4})"

# "WHA63.22": the World Health Assembly numbers resolutions <session>.<number>; "its resolution
# 63.22" prints the same number without the prefix.
WHA_NUMBER = r"(?:WHA)?(?P<wha>\d{1,2})\.(?P<w_number>\d{1,3})(?!\d|\.\d)"

# "1/CP.21": the Conference of the Parties to the UN Framework Convention on Climate Change
# numbers its decisions <number>/CP.<session>; "3/COP.14": that of the Convention to Combat
# Desertification <number>/COP.<session>.
COP_NUMBER = r"(?P<cop_number>\d{1,3})/(?P<cop_series>CP|COP)\.(?P<cop_session>\d{1,2})(?!\d)"

# "2014/22": ECOSOC numbers resolutions and decisions <year>/<number> since 1978.
YEAR_NUMBER = r"(?P<year>(?:19[4-9]|20\d)\d)/(?P<y_number>\d{1,4})"

# "46/152", "22/6", "3/1": <session>/<number> (GA, HRC, CCPCJ, CND, conferences of parties).
SESSION_NUMBER = r"(?P<session>\d{1,3})/(?P<number>\d{1,4})"

# "155 C (VII)", "415 (V)", "217 A (III)": numbers before 1976 carry the session as a Roman
# numeral, "3201 (S-VI)" a special session's; "2322 (2016)", "1373 (2001)": Security Council
# numbers carry the year of adoption.
OLD_NUMBER = (r"(?P<o_number>\d{1,4})(?:\s(?P<o_part>[A-Z]))?\s\((?:(?P<o_special>S-)?(?P<roman>"
              + ROMAN + r")|(?P<sc_year>(?:19|20)\d\d))\)")

RESOLUTION_NUMBER = rf"""
    (?=[\dSW])                   # the first character of every shape below, checked before
    (?<![\w/.])                  # the lookbehind: much cheaper where no number starts
    (?:{SPECIAL_NUMBER}
      |{OLD_NUMBER}
      |{YEAR_NUMBER}
      |{SESSION_NUMBER}
      |{WHA_NUMBER}
      |{COP_NUMBER})
    (?![\w/])
    {PART}?
"""

# "resolution", "Resolutions", "decision", "decisions". The first letter comes first and what
# may not stand before it is a lookbehind after it: the engine scans for the letters (see
# ``alternation``).
KEYWORD = (r"(?P<keyword>[RrDd](?<![\w-].)(?:(?<=[Rr])esolutions?|(?<=[Dd])ecisions?))\b")

# "its resolution": the issuer of the citing text (or the body just named, "adopted by the
# Conference … in its resolution 6/1").
ITS = r"\b(?P<its>its|their)\s+$"

# --- Document symbols ---------------------------------------------------------------------------
# A UN symbol is a series of components separated by "/": the first names the organ
# ("A", "E", "S", "CTOC", "CAC", "UNODC"), later ones a subsidiary body ("C.3", "CN.15",
# "CONF.222", "HRC", "COP", "EG.1"), a session or year ("68", "2015"), a document type with its
# number ("L.17", "SR.6", "RES") and a modifier ("Rev.1", "Add.1", "Corr.1"); treaty bodies
# print the session in parentheses ("ICCD/COP(15)/23").
# Examples: A/70/490, A/C.3/68/L.17/Rev.1, E/CN.15/2015/16, A/CONF.222/17, CTOC/COP/2012/15,
# A/HRC/23/48, UNODC/CCPCJ/EG.1/2012/2, CTOC/COP/WG.2/2012/3, A/C.3/68/SR.6-8,
# UNEP/OzL.Pro.28/12; special sessions ("A/S-23/10/Rev.1") and budget sections ("A/78/6 (Sect. 16)") included.
SYMBOL_COMPONENT = (r"(?:S-\d{1,2}|[A-Z][A-Za-z]{0,7}(?:\.[A-Z][A-Za-z]{0,7})*"
                    r"(?:\.\d{1,4}[A-Z]?|\(\d{1,3}\))?|\d{1,4}[A-Z]?)")
# The series may carry a number or a session: "WHA57/2004/REC/1", "GC(65)/RES/14".
_SYMBOL_CORE_REST = rf"(?:\d{{1,3}}|\(\d{{1,3}}\))?(?:/{SYMBOL_COMPONENT}){{1,7}}"
SYMBOL_CORE = rf"[A-Z]{{1,6}}{_SYMBOL_CORE_REST}"
# The same where a symbol starts: its first letter first, then the lookbehind that no word,
# "/" or "." comes before it, so that the pattern starts with the letter, which the engine
# scans for (a leading lookahead or lookbehind is tried at every character of every paragraph).
_SYMBOL_START = r"[A-Z](?<![\w/.].)"
# A part or volume printed after the symbol is part of it ("A/CONF.157/24 (Part I)",
# "NPT/CONF.2000/28 (Parts I and II)", "NPT/CONF.2010/50 (Vol. II)", a budget section
# "A/78/6 (Sect. 16)"), and so is what follows it ("NPT/CONF.1995/32 (Part I)/Corr.2").
SYMBOL_PART = (r"\s?\((?:Sect\.\s?\d{1,3}[A-Z]?|Parts?\s[IVX]+(?:\s(?:and|to|-|–)\s[IVX]+)?|"
               r"Vol\.\s?(?:[IVX]+|\d{1,2}))\)")

# "A/C.3/68/SR.6-8": a range of summary records; "A/73/831-E/2019/56": one document under two
# symbols (joint symbol). A range is a dash followed by a number, a joint symbol a dash
# followed by another symbol, which a PDF line break may separate from the dash; the dash is
# kept (``joint_dash``) to print the joint symbol as is.
SYMBOL = rf"""
    (?P<symbol>{_SYMBOL_START}
      (?=[\w./()-]*\d)          # a symbol has a number somewhere: "HIV/AIDS" is not one
      [A-Z]{{0,5}}{_SYMBOL_CORE_REST}(?:{SYMBOL_PART}(?:/{SYMBOL_COMPONENT}){{0,3}})?)
    (?:{DASH}(?P<range_end>\d{{1,4}})(?![\w/]))?
    (?:(?P<joint_dash>{DASH})(?:\s*\n\s*)?(?P<joint>{SYMBOL_CORE}))?
    (?![\w/]|\.\w)           # whole: not "E/CN" of "E/CN.15/…", not "E/CN.15" of "E/CN.15/…"
"""

# A symbol cut short at a slash: "E/CN.15/ 2025/9", "CAC/COSP/ WG.2/2025/2", where a line end
# broke it and the text was not joined. What follows may or may not be the rest; it is kept
# as an unresolved citation rather than guessed into a wrong symbol.
CUT_SYMBOL = rf"""
    (?P<symbol>{_SYMBOL_START}[A-Z]{{0,5}}{_SYMBOL_CORE_REST})/(?=\s)
"""

# The end of a range of numbered records or modifiers, printed after the first: "SR.6–8",
# "Add.1-3", "Add.1 to 3", "Add.1–Add.3" (the prefix may be repeated). Not a decimal ("Add.1 to
# 3.5") and not a date ("SR.16 to 17 October").
RANGE_TAIL = (r"(?:\s*" + DASH + r"\s*|\s+to\s+)(?:[A-Z][A-Za-z]{0,4}\.)?(?P<range_end>\d{1,4})"
              r"(?![\w/]|\.\d)(?!\s+(?:" + "|".join(MONTHS) + r")\b)")

# "E/2013/30 and Corr.1", "UNODC/CCPCJ/EG.1/2012/2 and Add.1": a modifier that attaches to the
# symbol before it; "A/80/150 and Add.1–3": a range of modifiers, one document each.
SYMBOL_SUFFIX = (r"^(?P<gap>\s*(?:,\s*|\s+and\s+))(?P<suffix>(?:Corr|Add|Rev|Amend)\.\d{1,3})"
                 r"(?:" + RANGE_TAIL + r")?(?![\w/])")

# ", 16, 22, 26, 36, 46 and 52" after "A/C.3/68/SR.6-8": further meetings of the same series;
# "and 2" after "Add.1", "and 2" after "Corr.1": further modifiers. A full stop after the number
# ends the sentence ("A/78/123/Add.1 and 2."); one before a digit makes it a decimal.
SYMBOL_CONTINUATION = (r"^(?P<gap>\s*(?:,\s*(?:and\s+)?|\s+and\s+))(?P<number>\d{1,4})"
                       r"(?:" + RANGE_TAIL + r")?(?![\w/]|\.\d)"
                       r"(?!\s+(?:" + "|".join(MONTHS) + r")\b)")   # not "…, 17 October"

# "A/C.3/68/SR.6 to 8", "A/80/150/Add.1–Add.3": a range after a symbol printed whole.
SYMBOL_RANGE = r"^" + RANGE_TAIL

# --- United Nations Treaty Series ---------------------------------------------------------------
# "United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574"
# "United Nations, *Treaty Series*, vol. 2349, No. 42146"; "Ibid., vol. 1577, No. 27531".
# The League of Nations Treaty Series has the same shape, with Roman volumes ("League of
# Nations, Treaty Series, vol. CXII, No. 2623"), and is matched so that it is not taken for the
# UNTS (and so that an "Ibid." after it keeps its series).
# One footnote may print several groups of volumes and numbers, and a group several numbers:
# "vol. 249, Nos. 3511 and 3512; and vol. 2253, No. 3511" (a convention and its protocols);
# "Nos. 3511–3512" is a range of registration numbers. ``UNTS_GROUP`` reads one group (named
# groups ``volumes`` and ``registrations``); ``UNTS_DETAILS`` all of them, each group after the
# first opened by ``UNTS_GROUP_GAP``.
VOLUME = r"(?:\d{1,5}|[IVXLCDM]{1,9}\b)"
_LIST_SEPARATOR = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
_VOLUME_LIST = rf"vols?\.\s*{VOLUME}(?:{_LIST_SEPARATOR}{VOLUME})*"
_REGISTRATION = rf"\d{{1,6}}(?:\s*{DASH}\s*\d{{1,6}})?"
_REGISTRATION_LIST = rf"Nos?\.\s*{_REGISTRATION}(?:{_LIST_SEPARATOR}{_REGISTRATION})*(?!\d)"
UNTS_GROUP = (rf"vols?\.\s*(?P<volumes>{VOLUME}(?:{_LIST_SEPARATOR}{VOLUME})*),\s*"
              rf"Nos?\.\s*(?P<registrations>{_REGISTRATION}(?:{_LIST_SEPARATOR}{_REGISTRATION})*)(?!\d)")
UNTS_GROUP_GAP = r"(?:\s*[;,]\s*(?:and\s+)?|\s+and\s+)(?=vols?\.)"
UNTS_DETAILS = rf"{_VOLUME_LIST},\s*{_REGISTRATION_LIST}(?:{UNTS_GROUP_GAP}{_VOLUME_LIST},\s*{_REGISTRATION_LIST})*"
UNTS = rf"""
    (?P<series>United\s+Nations|League\s+of\s+Nations),\s*\*?Treaty\s+Series\*?,\s*
    {UNTS_DETAILS}
"""

# The series named without volume and number ("United Nations, Treaty Series, vol. 2225"
# cut short by a page break): something was cited, but not in a shape that identifies it.
TREATY_SERIES = r"(?:United\s+Nations|League\s+of\s+Nations),\s*\*?Treaty\s+Series\*?"

# --- Official Records ---------------------------------------------------------------------------
# "Official Records of the Economic and Social Council, 2015, Supplement No. 10 (E/2015/30)"
# "*Official Records of the General Assembly, Forty-seventh Session, Supplement No. 40 (A/47/40)*"
# "Official Records of the General Assembly, Sixty-seventh Session, Supplement No. 53 and
#  corrigendum (A/67/53 and Corr.1)".
RECORDS_VOLUME = r"""
    (?:(?P<or_year>\d{4})|(?P<or_session>[A-Z][a-z]+(?:-[a-z]+)?)\s+(?:[Ss]pecial\s+)?[Ss]ession)
"""
SUPPLEMENT = r"Supplement\s+No\.\s*(?P<supplement>\d{1,3}[A-Z]?)"
RECORDS_TAIL = r"""
    (?P<corrigendum>\s+and\s+corrigend(?:um|a))?
    \*?
    (?:\s*\((?P<symbols>[^()]{3,80})\))?
"""
RECORDS_DETAILS = RECORDS_VOLUME + r"(?:,\s*" + SUPPLEMENT + ")?" + RECORDS_TAIL
# What "Ibid." restates of Official Records: "Ibid., 2014, Supplement No. 8 (E/2014/28)",
# "Ibid., Supplement No. 8A (E/2014/28/Add.1)".
IBID_RECORDS = r"(?:" + RECORDS_VOLUME + r",\s*)?" + SUPPLEMENT + RECORDS_TAIL
OFFICIAL_RECORDS = rf"""
    \*?Official\s+Records\s+of\s+the\s+(?P<or_body>[A-Z][A-Za-z ]+?),\s*
    {RECORDS_DETAILS}
"""

# --- Ibid. --------------------------------------------------------------------------------------
# "Ibid., vol. 2349, No. 42146."  "Ibid., 2014, Supplement No. 8 (E/2014/28), chap. I, sect. C."
# "Ibid., para. 24 and annex."  Markdown prints it in italics: "*Ibid.*".
IBID = r"(?<!\w)\*?(?P<ibid>Ibid)\.\*?(?:,\s*)?"

# --- Recommendation tags of the regional preparatory meetings -----------------------------------
# "[AP 62(a)]", "[LAC 80 (b)]", "[WA 14(b)]", "[A 17(f)]", "[E 57(g)]".
TAG = r"\[(?P<region>[A-Z]{1,4})\s+(?P<paragraph>\d{1,4})\s*(?:\((?P<item>[a-z]{1,4})\))?\]"

# --- Pinpoints after a citation -----------------------------------------------------------------
# ", annex", ", para. 24 and annex", ", chap. I, sect. D", ", sect. I.A": where in the cited
# document; kept with the citation's full span but not part of its identity.
PINPOINT = rf"""
    (?:\*?\s*,?\s*(?:and\s+)?
       (?:annex(?:es)?(?:\s+[IVX]+(?:\.[A-Z])?(?:\s+and\s+[IVX]+)?)?
         |paras?\.\s*\d+(?:\s*(?:{DASH}|to|and)\s*\d+)?(?:\s*\([a-z]\))?
         |chap\.\s*[IVXL]+
         |sects?\.\s*[A-Z0-9]+(?:\.[A-Z0-9]+)?
         |art(?:icle|\.)\s*\d+))*
"""
