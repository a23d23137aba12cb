"""Find citations in a text: tokens in, typed citations with exact spans out; never resolves.

The finder reads what is printed and records its guesses in the citations' metadata (the body
named before or after a list, the date that follows a number, the body before "in its"); which
body "its" or "the Commission" stands for, and what "Ibid." repeats, is the resolver's job
(``resolve.py``), because it needs context the finder does not have.
"""

from __future__ import annotations

import re
from typing import Callable

from graph.citations.models import (CitationBase, DocumentCitation, IbidCitation, ItsResolutionCitation,
                          NameCitation, OfficialRecordsCitation, ResolutionCitation, TagCitation,
                          TreatyCitation, UnknownCitation)
from graph.citations.patterns import (DASH, DATE, IBID_RECORDS, ITS, PINPOINT, RESOLUTION_NUMBER, SYMBOL,
                            SYMBOL_CONTINUATION, SYMBOL_RANGE, SYMBOL_SUFFIX, UNTS_GROUP,
                            UNTS_GROUP_GAP, compile_block)
from graph.readers.common import parse_date, roman_to_int
from graph.citations.tokenizers import Token, tokenize

Tokenizer = Callable[[str], list[Token]]

_ITS_REGEX = compile_block(ITS)
_PINPOINT_REGEX = compile_block(PINPOINT)
_SYMBOL_REGEX = compile_block(SYMBOL)
_SUFFIX_REGEX = compile_block(SYMBOL_SUFFIX)
_CONTINUATION_REGEX = compile_block(SYMBOL_CONTINUATION)
_SYMBOL_RANGE_REGEX = compile_block(SYMBOL_RANGE)
_UNTS_GROUP_REGEX = compile_block(UNTS_GROUP)
_UNTS_GROUP_GAP_REGEX = compile_block(UNTS_GROUP_GAP)
_IBID_RECORDS_REGEX = compile_block(IBID_RECORDS)

# Token kinds that name a body, in full or short; and every kind of name.
_BODIES = ("body", "short_body")
_NAMES = (*_BODIES, "treaty_name", "short_treaty", "congress", "declaration")
# "General Assembly resolution 70/1": the body right before the keyword.
_ADJACENT_GAP = re.compile(r"\s*")
# Between two numbers of one list: "46/152, 60/1", "69/192 and 69/201", ", and 67/152".
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|,?\s+and\s+)")
# "66/138 to 66/141", "66/138–66/141": a range.
_RANGE_GAP = re.compile(r"\s+to\s+|\s*" + DASH + r"\s*")
# "75/254 A to C", "57/270 A–B": a range of the parts of one resolution; "53/243 A and B",
# "62/208 A, B and C": a list of them. One citation each.
_PART_RANGE = re.compile(r"(?:\s+to\s+|\s*" + DASH + r"\s*)(?P<last>[A-Z])(?![\w/])")
_PART_LIST = re.compile(r"(?:,\s*|\s+and\s+|,\s+and\s+)(?P<next>[A-Z])(?![\w/]|\.\w)")
# Words between two numbers of one list: up to 300 characters of one clause, quoted titles
# whole ("entitled “Transforming our world: the 2030 Agenda …”"), no keyword of their own (a
# clause that cites with one starts another list).
_PROSE = r"(?:“[^”]{0,300}”|\"[^\"]{0,300}\"|(?![Rr]esolution|[Dd]ecision)[^;:()“\"])"
# A relative clause opening inside a list: "…, by which it adopted …", "…, in the annex to
# which …".
_RELATIVE = (r",\s*(?:(?:in|by|under|through|with|to|of|for|on)\s+)?"
             r"(?:the\s+[a-z]+\s+(?:to|of)\s+)?(?:which|whom)\s")
# "46/152 of 18 December 1991"; "… cybercrime, both of 26 April 2013".
_DATE_GAP = re.compile(r"\s*,?\s*(?:(?:both|all|also)\s+)?(?:of|adopted\s+on|dated)\s+")
# A clause inside a list, which goes on with the number after it: a subject ("22/7 on
# strengthening … cybercrime and 22/8"; "70/1 of …, entitled “…”, 69/313") or a relative clause
# ("64/293 of 30 July 2010, by which it adopted the Global Plan of Action, 72/1 of …"; "46/152,
# in the annex to which …, and 60/1"). ``sep`` is the list separator before the next number.
_CLAUSE_GAP = compile_block(
    r"(?:" + _RELATIVE + r"|\s*,?\s+(?:on|entitled|concerning)\s)"
    + _PROSE + r"{0,300}?(?P<sep>,\s*(?:and\s+)?|\s+and\s+)(?=" + RESOLUTION_NUMBER + ")")
# A keyword repeated in one list: "General Assembly resolution S-32/1 of 2 June 2021, by which
# the Assembly adopted …, and resolution 79/199"; "Security Council resolution 1373 (2001) and
# resolution 2178 (2014)". Coordination, after a relative or subject clause at most, continues
# the list; a sentence, a semicolon or a new governing phrase after a comma (", and recalling
# resolution …", ", noting also resolution …") starts a new one, so the prose may hold none.
_CONTINUED_PROSE = (r"(?:(?!\.\s+[A-Z]|,\s*(?:and\s+)?(?:also\s+|further\s+)?[a-z]+ing\b)"
                    + _PROSE + ")")
_CONTINUED_LIST_GAP = compile_block(
    r"(?:(?:" + _RELATIVE + r"|\s*,?\s+(?:on|entitled|concerning)\s)"
    + _CONTINUED_PROSE + r"{0,300}?)?"
    r"(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)")
# "72/1 of 27 September 2017" with no keyword before it: a resolution number all the same.
_DATED_NUMBER = compile_block(_DATE_GAP.pattern + DATE)
_PROSE_DATE_GAP = re.compile(r"\s*,?\s+(?:on|entitled)\s" + _PROSE + r"{0,300}?,\s*(?:both|all)\s+of\s+")
# "resolution 3/1 of 13 November 2009 of the Conference of the States Parties …";
# "resolution 10/3, also entitled “…”, adopted by the Conference of the Parties".
_AFTER_BODY_GAP = re.compile(r"\s*,?\s*(?:(?:also\s+)?entitled\s+[“\"][^”\"]{1,400}[”\"]\s*,?\s*)?"
                             r"(?:of|adopted\s+by)\s+(?:the\s+)?")
# "the Commission on Crime Prevention and Criminal Justice in its resolution 22/6";
# "adopted by the Conference …, at its sixth session, in its resolution 6/1".
# "at its tenth session", "at that session", "at its resumed thirty-third session, held in …".
_SESSION_CLAUSE = (r"\s*,?\s*(?:at\s+(?:its|that|this|the\s+same)(?:\s+[\w-]+){0,2}?\s+session"
                   r"(?:,?\s*held\s+[^;()]{0,120}?)?,?)?")
_ANTECEDENT_GAP = re.compile(_SESSION_CLAUSE + r"\s*(?:in|by|through)\s+")
# "the adoption by the Conference …, at its tenth session, held in Atlanta …, of resolutions
# 10/1 to 10/12"; "the Commission on Narcotic Drugs, in resolution 66/1"; "the Commission, at
# its sixty-seventh session, adopted resolution 67/1": a body that acts.
_ACTOR_GAP = re.compile(_SESSION_CLAUSE + r"\s*(?:of|in|(?:(?:has|had)\s+)?adopted)\s+")
# "all relevant Human Rights Council resolutions, including resolution 23/9"; "the resolutions
# adopted by the Conference … at its eleventh session, held in Vienna …, in particular
# resolution 11/1": the body of a general mention governs the example that follows it.
_INCLUDING_GAP = re.compile(
    r"(?:\s*(?:resolutions|decisions)(?:\s+and\s+(?:resolutions|decisions))?|" + _SESSION_CLAUSE + r")"
    r"\s*,?\s+(?:including|in\s+particular|especially|notably)\s+")
# "United Nations Environment Assembly resolution 2/14": a body the tables do not know, named
# right before the keyword as capitalised words that end with the noun of an organ. A word
# glued to a digit ("Corruption5", a footnote marker left in the text) is no word of a name.
_UNKNOWN_BODY = re.compile(
    r"(?<![\w'’-])(?P<name>(?:[A-Z][A-Za-z'’-]*\s+(?:(?:of|on|for|and|the|to|in)\s+)*)+"
    r"(?:Council|Commission|Committee|Assembly|Board|Conference|Forum|Programme|Organization))"
    r"\s+$")
# An operative paragraph that directs a body to act: "Invites the Conference of the States
# Parties to consider …", "Also requests the Commission, as the governing body of the Office, to
# …", "Calls upon the Commission to …". The operative verb (third person, not the participle of a
# preambular paragraph), then the body (``_ADDRESSEE_TO`` checks the infinitive after it).
_DIRECTIVE = re.compile(r"\s*(?:(?:Also|Further)\s+[a-z]+s|[A-Z][a-z]+s)"
                        r"(?:\s+(?:also|further|upon|on))*\s+")
_ARTICLE = re.compile(r"(?:the\s+)?")
_ADDRESSEE_TO = re.compile(r"(?:\s*,[^;:,]{0,200},)?\s+to\s+[a-z]")
# Who else owns a later "its" in the same clause: the body of a possessive ("the
# recommendations of the Commission on Narcotic Drugs, in particular those contained in its
# resolutions") or the body a coordinated second verb directs to act ("…, and invites the
# Commission on Narcotic Drugs to take them into account in … its resolution").
_POSSESSOR = re.compile(r"\bof\s+(?:the\s+)?$")
_COORDINATED_DIRECTIVE = re.compile(r"\band\s+(?:(?:also|further)\s+)?[a-z]+s"
                                    r"(?:\s+(?:also|further|upon|on))*\s+(?:the\s+)?$")
# What ends the clause of an owner before "its": a sentence, a semicolon or colon, or a new
# governing phrase ("… of the Commission and recalling its resolution": the issuer recalls).
_CLAUSE_BREAK = re.compile(r"[;:]|\.\s+[A-Z]|\band\s+(?:(?:also|further)\s+)?[a-z]+ing\b")
# Opening words of a paragraph ("Recalling", "Welcomes") that precede a name at its start.
_OPENING_WORD = re.compile(r"(?:[A-Z][a-z]+(?:ing|s)|The|the)")
# "CAC/COSP/2011/14, sect. I.A, resolution 4/1": a resolution inside the cited document.
_WITHIN_SYMBOL_GAP = re.compile(r",\s*(?:[^;()]{0,40}?,\s*)?")
# Symbols of resolutions and decisions: "A/RES/70/174", "E/RES/2014/22", "A/DEC/74/550".
_RESOLUTION_SYMBOL = re.compile(r"^(?P<series>.+?)/(?P<type>RES|DEC)/(?P<rest>.+)$")
# Numbered components that a list of further numbers continues: "SR.6", "PV.80", "Add.1"
# ("A/C.3/68/SR.6-8, 16 and 22", "A/78/123/Add.1 and 2").
_NUMBERED_COMPONENT = re.compile(r"^(?P<head>.*/[A-Z][A-Za-z]{0,4}\.)(?P<number>\d{1,4})$")
# Why a symbol that stops at a slash is kept unresolved.
CUT_SYMBOL_REASON = "document symbol cut short at '/', as a line end breaks one: not guessed whole"
# The longest printed range of records or modifiers ("SR.6-8", "Add.1–3") that is expanded.
MAX_SERIES_RANGE = 100


def expand_series(symbol: str, range_end: str | None) -> list[str]:
    """Every member of a printed range: "A/80/150/Add.1" ending at "3" is Add.1, Add.2 and
    Add.3. A range that does not rise, or is implausibly long, keeps the printed symbol alone
    (the record is kept, not dropped)."""
    series = _NUMBERED_COMPONENT.match(symbol)
    first = int(series["number"]) if series else 0
    if not (series and range_end and 0 < int(range_end) - first <= MAX_SERIES_RANGE):
        return [symbol]
    return [f"{series['head']}{n}" for n in range(int(series["number"]), int(range_end) + 1)]


# The numbering style (``numbering`` in bodies.json) of each Conference of the Parties series.
COP_STYLES = {"CP": "cp", "COP": "ccd"}


def _number_metadata(token: Token) -> dict[str, str | None]:
    """Session, number, part and numbering style of a number token, session in Arabic numerals."""
    g = token.groups
    if g.get("special"):
        return {"style": "special", "session": f"S-{g['special']}", "number": g["s_number"],
                "part": g.get("part")}
    if g.get("o_number"):
        if g.get("sc_year"):
            return {"style": "year-in-parentheses", "session": None, "number": g["o_number"],
                    "part": g.get("o_part")}
        roman = roman_to_int(g["roman"] or "")
        if roman and g.get("o_special"):
            return {"style": "special", "session": f"S-{roman}", "number": g["o_number"],
                    "part": g.get("o_part")}
        return {"style": "roman", "session": str(roman) if roman else None,
                "number": g["o_number"], "part": g.get("o_part")}
    if g.get("year"):
        return {"style": "year", "session": g["year"], "number": g["y_number"], "part": g.get("part")}
    if g.get("cop_session"):
        return {"style": COP_STYLES[g["cop_series"] or "CP"], "session": g["cop_session"],
                "number": g["cop_number"], "part": None}
    if g.get("wha"):
        return {"style": "wha", "session": g["wha"], "number": g["w_number"], "part": g.get("part")}
    return {"style": "session", "session": g.get("session"), "number": g.get("number"),
            "part": g.get("part")}


class _Finder:
    """One pass over the tokens of one text, left to right."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = _outside_longer_names(tokens)
        self.citations: list[CitationBase] = []
        self.consumed = 0
        self.groups = 0
        # Where the last list of resolutions ended, and the body it was printed with (or the
        # body "its" stood for): what a repeated keyword continuing that list inherits.
        self.last_list: tuple[int, str | None] | None = None
        self.addressee = self._addressee()

    def run(self) -> list[CitationBase]:
        handlers = _HANDLERS
        for index, token in enumerate(self.tokens):
            # Names are read inside citations too ("resolution 3/1 of the Conference of the
            # States Parties to …"): the resolver learns from them what later short names mean.
            if token.kind in handlers and (token.start >= self.consumed or token.kind in _NAMES):
                end = handlers[token.kind](self, index)
                self.consumed = max(self.consumed, end)
        return sorted(self.citations, key=lambda c: c.start)

    # -- helpers -------------------------------------------------------------------------------

    def _addressee(self) -> Token | None:
        """The body an operative paragraph opens by directing to act ("Invites the Commission
        to …"), whose "its" a later citation of the paragraph may mean."""
        directive = _DIRECTIVE.match(self.text)
        if not directive:
            return None
        body = next((token for token in self.tokens if token.kind in _BODIES
                     and token.start >= directive.end()
                     and _ARTICLE.fullmatch(self.text, directive.end(), token.start)), None)
        return body if body and _ADDRESSEE_TO.match(self.text, body.end) else None

    def _its_owner(self, index: int, its_start: int) -> Token | None:
        """The body other than the issuer that "its" at ``its_start`` may stand for.

        In order: a body a coordinated second verb directs to act in the clause of "its"
        ("…, and invites the Commission … to …, … its"); the body the paragraph opens by
        directing to act; a possessive body in the clause ("of the Commission …, … its"), which
        in "requests the Commission, as the governing body of the Office, to … its" is only
        part of the addressee's description. The nearest body before "its" counts, and only
        when no sentence, semicolon or new governing phrase stands between; the resolver takes
        it only if it adopts resolutions and the number can be its own.
        """
        body = next((token for token in reversed(self.tokens[:index])
                     if token.kind in _BODIES and token.end <= its_start), None)
        if body and _CLAUSE_BREAK.search(self.text, body.end, its_start):
            body = None
        before = self.text[max(0, body.start - 60):body.start] if body else ""
        if body and _COORDINATED_DIRECTIVE.search(before) and _ADDRESSEE_TO.match(self.text, body.end):
            return body
        if self.addressee and self.addressee.end <= its_start:
            return self.addressee
        return body if body and _POSSESSOR.search(before) else None

    def _pinpoint(self, end: int) -> tuple[str | None, int]:
        """The pinpoint after offset ``end`` (", annex"), and where it ends."""
        match = _PINPOINT_REGEX.match(self.text, end)
        pin = match.group().strip(" ,*") if match else ""
        return (pin, match.end()) if match and pin else (None, end)

    def _previous(self, index: int, kinds: tuple[str, ...], end: int,
                  gap: re.Pattern[str]) -> Token | None:
        """The nearest token of ``kinds`` before ``end`` whose gap to ``end`` matches ``gap``."""
        for token in reversed(self.tokens[:index]):
            if token.end <= end and token.kind in kinds and gap.fullmatch(self.text, token.end, end):
                return token
            if token.end <= end - 300:
                break
        return None

    # -- resolutions and decisions ------------------------------------------------------------

    def _resolutions(self, index: int) -> int:
        """A keyword and the list of numbers that follows it, with their dates and body."""
        keyword = self.tokens[index]
        items: list[tuple[Token, dict[str, str | None]]] = []
        dates: dict[int, Token] = {}
        ranges: dict[int, Token] = {}
        body_after: Token | None = None
        position = keyword.end
        clause: re.Match[str] | None = None
        for token in self.tokens[index + 1:]:
            if token.start < position:
                continue
            if items and (clause := _CLAUSE_GAP.match(self.text, position)):
                # The clause and every token inside it (names, dates) are passed over.
                position = clause.start("sep")
                if token.start < position:
                    continue
            if token.kind == "keyword":
                break
            if token.kind == "number":
                if not items:
                    if self.text[position:token.start].strip() not in ("", "No.", "Nos."):
                        break
                elif _RANGE_GAP.fullmatch(self.text, position, token.start):
                    ranges[len(items)] = items[-1][0]
                elif not _LIST_GAP.fullmatch(self.text, position, token.start):
                    break
                numbers = _number_metadata(token)
                items.append((token, numbers))
                position = token.end
                part = numbers.get("part")
                if part and (parts := _PART_RANGE.match(self.text, position)):
                    last = parts["last"]
                    if "A" <= part < last <= "Z":
                        items.extend((token, {**numbers, "part": chr(letter)})
                                     for letter in range(ord(part) + 1, ord(last) + 1))
                        position = parts.end()
                while part and (listed := _PART_LIST.match(self.text, position)):
                    if listed["next"] != chr(ord(part) + 1):
                        break  # parts listed run on in order: "A and B", not "A and I"
                    part = listed["next"]
                    items.append((token, {**numbers, "part": part}))
                    position = listed.end()
            elif token.kind == "date" and items and len(items) - 1 not in dates:
                if not (_DATE_GAP.fullmatch(self.text, position, token.start)
                        or _PROSE_DATE_GAP.fullmatch(self.text, position, token.start)):
                    continue
                dates[len(items) - 1] = token
                position = token.end
            elif token.kind in _BODIES and items:
                if _AFTER_BODY_GAP.fullmatch(self.text, position, token.start):
                    body_after = token
                    position = token.end
                break
            elif token.start > position + 320:
                break
        if not items:
            return keyword.end
        self.groups += 1
        its = _ITS_REGEX.search(self.text, max(0, keyword.start - 8), keyword.start)
        body_before = None if its else (
            self._previous(index, _BODIES, keyword.start, _ADJACENT_GAP)
            or self._previous(index, _BODIES, keyword.start, _INCLUDING_GAP)
            or self._previous(index, _BODIES, keyword.start, _ACTOR_GAP))
        if body_before and body_before.kind == "short_body":
            # "United Nations Environment Assembly resolution": a short name ending a longer
            # name the tables do not know is that unknown body's.
            longer = self._unknown_body(keyword.start)
            body_before = None if longer and longer[0] < body_before.start else body_before
        unknown = None if its or body_before or body_after else self._unknown_body(keyword.start)
        # A body printed right before the keyword is part of the citation ("General Assembly
        # resolution 70/1"); one that a clause separates from it only governs it.
        adjacent = body_before and _ADJACENT_GAP.fullmatch(self.text, body_before.end, keyword.start)
        start = (its.start() if its else body_before.start if body_before and adjacent
                 else unknown[0] if unknown else keyword.start)
        antecedent = self._previous(index, _BODIES, its.start(), _ANTECEDENT_GAP) if its else None
        within = self._previous(index, ("symbol",), start, _WITHIN_SYMBOL_GAP)
        body = body_before or body_after
        list_body = None if its or body or unknown else self._continued_list_body(keyword.start)
        end = position
        for position_in_list, (token, numbers) in enumerate(items):
            date = dates.get(position_in_list)
            item_end = date.end if date else token.end
            pin, full_end = self._pinpoint(item_end)
            first = ranges.get(position_in_list)
            metadata = {
                **numbers, "decision": keyword.text.lower().startswith("decision"),
                "body": _body_name(body) or (unknown[1] if unknown else None), "date": parse_date(date.text) if date else None,
                "group": self.groups, "pin": pin,
                "range_from": _printed_number(first) if first else None,
                "range_span": (first.start, full_end) if first else None,
                "range_text": self.text[first.start:full_end] if first else None,
                "within_symbol": within.groups["symbol"] if within and not body else None,
                "list_body": list_body,
            }
            cls: type[ResolutionCitation] = ResolutionCitation
            if its:
                cls = ItsResolutionCitation
                metadata["antecedent_guess"] = _body_name(antecedent)
                metadata["addressee"] = _body_name(self._its_owner(index, its.start()))
            self.citations.append(cls(
                token.text, token.start, token.end, dict(token.groups), metadata,
                full_start=start if position_in_list == 0 else token.start, full_end=full_end))
            end = max(end, full_end)
        self.last_list = (end, _body_name(body) or (unknown[1] if unknown else None)
                          or _body_name(antecedent) or list_body)
        return end

    def _continued_list_body(self, keyword_start: int) -> str | None:
        """The body of the list a bare keyword continues ("General Assembly resolution S-32/1
        …, and resolution 79/199"), when only coordination and a clause stand between them."""
        if self.last_list is None:
            return None
        list_end, body = self.last_list
        return body if _CONTINUED_LIST_GAP.fullmatch(self.text, list_end, keyword_start) else None

    def _unknown_body(self, end: int) -> tuple[int, str] | None:
        """Where an organ the tables do not know is named right before ``end``, and its name.

        The paragraph's own opening word is not part of the name ("Recalling United Nations
        Environment Assembly resolution 2/14"); a single word ("Council resolution") is a short
        name, not an unknown body, and so are words that begin inside a name the tables know
        ("… Convention against Corruption and Conference resolution 10/6" is no body "CC").
        """
        match = _UNKNOWN_BODY.search(self.text, max(0, end - 200), end)
        if not match:
            return None
        words = match["name"].split()
        start = match.start("name")
        while words and _OPENING_WORD.fullmatch(words[0]) and (
                start == 0 or words[0] in ("The", "the")):
            start = self.text.index(words[1], start) if len(words) > 1 else end
            words.pop(0)
        inside_name = any(token.kind in _NAMES and token.start < start < token.end
                          for token in self.tokens)
        if inside_name or sum(word[0].isupper() for word in words) < 2:
            return None
        return start, " ".join(words)

    def _prefixed_number(self, index: int) -> int:
        """A number that names its body itself ("WHA63.22"); or one that no keyword introduces
        but that only a resolution has: dated ("72/1 of 27 September 2017"), of a special
        session ("S-30/1"), in old style ("2200 A (XXI)") or in parts ("57/270 B"). Those are
        kept with a reason, not dropped; "page 2/8" and "targets 16.4" are not citations."""
        token = self.tokens[index]
        if token.text.startswith("WHA"):
            self.groups += 1
            self.citations.append(ResolutionCitation(
                token.text, token.start, token.end, dict(token.groups),
                {**_number_metadata(token), "body": "WHA", "group": self.groups}))
            return token.end
        dated = _DATED_NUMBER.match(self.text, token.end)
        if not (dated or token.groups.get("special") or token.groups.get("roman")
                or token.groups.get("part")):
            return token.start
        self.citations.append(UnknownCitation(
            token.text, token.start, token.end, dict(token.groups),
            {"reason": "a number shaped like a resolution's, without the word 'resolution' or "
                       "'decision' before it"}, full_end=dated.end() if dated else None))
        return dated.end() if dated else token.end

    # -- document symbols -----------------------------------------------------------------------

    def _symbol(self, index: int) -> int:
        """A symbol, with "and Corr.1" after it and further numbers of a series of records."""
        token = self.tokens[index]
        symbol = token.groups["symbol"] or token.text
        resolution = _RESOLUTION_SYMBOL.match(symbol)
        if resolution and not token.groups.get("joint"):
            return self._resolution_symbol(token, resolution)
        end, range_end = token.end, token.groups.get("range_end")
        # "A/C.3/68/SR.6 to 8", "A/80/150/Add.1–Add.3": a range the symbol pattern leaves out.
        tail = (None if range_end or token.groups.get("joint")
                or not _NUMBERED_COMPONENT.match(symbol)
                else _SYMBOL_RANGE_REGEX.match(self.text[end:]))
        if tail:
            end, range_end = end + tail.end(), tail["range_end"]
        pin, full_end = self._pinpoint(end)
        self.citations.append(DocumentCitation(
            self.text[token.start:end], token.start, end, dict(token.groups),
            {"symbol": symbol, "joint": token.groups.get("joint"),
             "joint_dash": token.groups.get("joint_dash") or "-", "pin": pin,
             "range_end": range_end}, full_end=full_end))
        return max(full_end, self._symbol_followers(symbol, end))

    def _symbol_followers(self, symbol: str, end: int) -> int:
        """"E/2013/30 and Corr.1"; "A/C.3/68/SR.6-8, 16, 22 and 26": more symbols of one series;
        "A/80/150 and Add.1–3", "E/2013/30 and Corr.1 and 2": ranges and lists of modifiers."""
        series = _NUMBERED_COMPONENT.match(symbol)
        while True:
            suffix = _SUFFIX_REGEX.match(self.text[end:])
            continuation = _CONTINUATION_REGEX.match(self.text[end:]) if series else None
            match = suffix or continuation
            if not match:
                return end
            start = end + match.end("gap")
            stop = end + match.end()
            if suffix:
                printed = f"{symbol}/{suffix['suffix']}"
                range_end = suffix["range_end"]
                series = _NUMBERED_COMPONENT.match(printed)
            else:
                printed = f"{series['head']}{match['number']}" if series else symbol
                range_end = match["range_end"]
            self.citations.append(DocumentCitation(
                self.text[start:stop], start, stop, dict(match.groupdict()),
                {"symbol": printed, "range_end": range_end}))
            end = stop

    def _resolution_symbol(self, token: Token, match: re.Match[str]) -> int:
        """"A/RES/70/174", "S/RES/2322 (2016)": a resolution cited by its symbol."""
        rest = match["rest"]
        session, _, number = rest.rpartition("/")
        year = re.match(r"\s*\((?P<year>\d{4})\)", self.text[token.end:])
        end = token.end + (year.end() if year else 0)
        self.groups += 1
        pin, full_end = self._pinpoint(end)
        self.citations.append(ResolutionCitation(
            self.text[token.start:end], token.start, end, dict(token.groups),
            {"style": "symbol", "session": session or None, "number": number,
             "decision": match["type"] == "DEC", "symbol": token.text, "body": match["series"],
             "group": self.groups, "pin": pin}, full_end=full_end))
        return full_end

    # -- treaties, Official Records, Ibid. -------------------------------------------------------

    def _unts_groups(self, start: int) -> list[re.Match[str]]:
        """Every "vol(s). …, No(s). …" group from ``start`` on: "vol. 249, Nos. 3511 and 3512;
        and vol. 2253, No. 3511" is two groups, each read (none dropped)."""
        groups: list[re.Match[str]] = []
        position = start
        while group := _UNTS_GROUP_REGEX.match(self.text, position):
            groups.append(group)
            gap = _UNTS_GROUP_GAP_REGEX.match(self.text, group.end())
            if not gap:
                break
            position = gap.end()
        return groups

    def _treaty(self, index: int) -> int:
        """A treaty series reference: one citation per group of volumes and numbers, the first
        from the series name on, the last with the pinpoint after it."""
        token = self.tokens[index]
        series = " ".join((token.groups["series"] or "").split())
        groups = self._unts_groups(token.start + token.text.index("vol"))
        full_end = token.end
        for position, group in enumerate(groups):
            start = token.start if position == 0 else group.start()
            pin, full_end = self._pinpoint(group.end()) if group is groups[-1] else (None, group.end())
            self.citations.append(TreatyCitation(
                self.text[start:group.end()], start, group.end(), dict(group.groupdict()),
                {"registrations": _registrations(group["registrations"]),
                 "volumes": _volumes(group["volumes"]), "series": series, "pin": pin},
                full_end=full_end))
        return full_end

    def _records(self, index: int) -> int:
        token = self.tokens[index]
        g = token.groups
        pin, full_end = self._pinpoint(token.end)
        self.citations.append(OfficialRecordsCitation(
            token.text, token.start, token.end, dict(g),
            {"body": g["or_body"], "year": g["or_year"], "session": g["or_session"],
             "supplement": g["supplement"], "corrigendum": bool(g["corrigendum"]),
             "symbols": _symbols(g["symbols"]), "pin": pin},
            full_end=full_end))
        return full_end

    def _ibid(self, index: int) -> int:
        """"Ibid." and the details it restates: UNTS volumes (every group of them, one citation
        each after the first), or an Official Records volume."""
        token = self.tokens[index]
        metadata: dict[str, object] = {}
        end = token.end
        groups = self._unts_groups(end)
        records = _IBID_RECORDS_REGEX.match(self.text, end)
        if groups:
            metadata = {"registrations": _registrations(groups[0]["registrations"]),
                        "volumes": _volumes(groups[0]["volumes"])}
            end = groups[0].end()
        elif records:
            metadata = {"year": records["or_year"], "session": records["or_session"],
                        "supplement": records["supplement"], "symbols": _symbols(records["symbols"])}
            end = records.end()
        later = groups[1:]
        pin, full_end = self._pinpoint(end) if not later else (None, end)
        self.citations.append(IbidCitation(
            self.text[token.start:end].rstrip(", "), token.start, end, dict(token.groups),
            {**metadata, "pin": pin}, full_end=full_end))
        for group in later:
            pin, full_end = self._pinpoint(group.end()) if group is later[-1] else (None, group.end())
            self.citations.append(IbidCitation(
                group.group(), group.start(), group.end(), dict(group.groupdict()),
                {"registrations": _registrations(group["registrations"]),
                 "volumes": _volumes(group["volumes"]), "pin": pin}, full_end=full_end))
        return full_end

    def _cut_symbol(self, index: int) -> int:
        """A symbol that stops at a slash ("E/CN.15/ 2025/9"): kept, never guessed whole."""
        token = self.tokens[index]
        self.citations.append(UnknownCitation(
            token.text, token.start, token.end, dict(token.groups),
            {"reason": CUT_SYMBOL_REASON}))
        return token.end

    def _unknown(self, index: int) -> int:
        """A treaty series named without the volume and number that identify the treaty."""
        token = self.tokens[index]
        self.citations.append(UnknownCitation(
            token.text, token.start, token.end, dict(token.groups),
            {"reason": "treaty series named without volume and registration number"}))
        return token.end

    # -- tags and names -------------------------------------------------------------------------

    def _tag(self, index: int) -> int:
        token = self.tokens[index]
        g = token.groups
        self.citations.append(TagCitation(
            token.text, token.start, token.end, dict(g),
            {"region": g["region"], "paragraph": g["paragraph"], "item": g["item"]}))
        return token.end

    def _name(self, index: int) -> int:
        token = self.tokens[index]
        entity = {"body": "body", "short_body": "body", "treaty_name": "treaty",
                  "short_treaty": "treaty", "congress": "congress",
                  "declaration": "declaration"}[token.kind]
        name = token.groups.get("name") or token.text
        self.citations.append(NameCitation(
            token.text, token.start, token.end, dict(token.groups),
            {"entity": entity, "name": " ".join(name.split()),
             "short": token.kind.startswith("short")}))
        # Names do not consume text: a citation may start inside one ("General Assembly
        # resolution 70/1" starts with the body's name).
        return token.start


def _outside_longer_names(tokens: list[Token]) -> list[Token]:
    """The tokens without short names that are part of a longer body name ("Assembly" in
    "General Assembly", "Commission" in "the Commission resolution"), which would otherwise
    stand nearer to the keyword than the name they belong to."""
    names = [token for token in tokens if token.kind in _BODIES]
    return [token for token in tokens if token.kind != "short_body" or not any(
        other.start <= token.start and token.end <= other.end and other.end - other.start
        > token.end - token.start for other in names)]


def _printed_number(token: Token) -> str:
    """"66/138" for the number token of "66/138": session and number, as the range start."""
    numbers = _number_metadata(token)
    return f"{numbers['session'] or ''}/{numbers['number']}"


def _body_name(token: Token | None) -> str | None:
    if token is None:
        return None
    return " ".join((token.groups.get("name") or token.text).split())


def _volumes(printed: str | None) -> tuple[int, ...]:
    """"2225, 2237, 2241 and 2326" -> (2225, 2237, 2241, 2326); "CXII" -> (112,)."""
    numbers = (int(number) if number.isdigit() else roman_to_int(number)
               for number in re.findall(r"\d+|[IVXLCDM]+", printed or ""))
    return tuple(number for number in numbers if number)


def _registrations(printed: str | None) -> tuple[int, ...]:
    """"3511 and 3512" -> (3511, 3512); a range "3511–3513" -> (3511, 3512, 3513). A range that
    does not rise, or is implausibly long, keeps its two printed ends (never dropped)."""
    numbers: list[int] = []
    for first, last in re.findall(r"(\d+)(?:\s*" + DASH + r"\s*(\d+))?", printed or ""):
        low, high = int(first), int(last or first)
        numbers.extend(range(low, high + 1) if 0 <= high - low <= MAX_SERIES_RANGE else (low, high))
    return tuple(numbers)


def _symbols(printed: str | None) -> tuple[str, ...]:
    """The symbols of "(E/2013/30 and Corr.1)" or "(A/47/40)": modifiers joined to their base,
    ranges and lists of them expanded ("(E/2013/30 and Corr.1 and 2)", "(A/80/53 and Add.1–3)")."""
    found: list[str] = []
    for match in _SYMBOL_REGEX.finditer(printed or ""):
        found.extend(expand_series(match["symbol"], match["range_end"]))
        rest = printed[match.end():] if printed else ""
        series = _NUMBERED_COMPONENT.match(match["symbol"])
        while follower := (_SUFFIX_REGEX.match(rest)
                           or (series and _CONTINUATION_REGEX.match(rest))):
            member = (f"{match['symbol']}/{follower['suffix']}" if "suffix" in follower.groupdict()
                      else f"{series['head']}{follower['number']}" if series else "")
            found.extend(expand_series(member, follower["range_end"]))
            series = _NUMBERED_COMPONENT.match(member)
            rest = rest[follower.end():]
    return tuple(found)


# What reads each kind of token, looked up once, not bound anew for every text.
_HANDLERS: dict[str, Callable[[_Finder, int], int]] = {
    "keyword": _Finder._resolutions, "number": _Finder._prefixed_number,
    "symbol": _Finder._symbol, "cut_symbol": _Finder._cut_symbol, "unts": _Finder._treaty,
    "treaty_series": _Finder._unknown, "records": _Finder._records, "ibid": _Finder._ibid,
    "tag": _Finder._tag, **{kind: _Finder._name for kind in _NAMES},
}


def find_citations(text: str, tokenizer: Tokenizer = tokenize) -> list[CitationBase]:
    """Every citation in ``text``, in order, with spans into ``text``.

    Args:
        text: clean text of one paragraph or footnote (or any string).
        tokenizer: turns the text into tokens; replace it to add or drop token kinds.

    Returns:
        Typed citations (``ResolutionCitation``, ``DocumentCitation``, ``TreatyCitation``,
        ``OfficialRecordsCitation``, ``IbidCitation``, ``TagCitation``, ``NameCitation``);
        nothing is resolved yet.
    """
    tokens = tokenizer(text)
    return _Finder(text, tokens).run() if tokens else []
