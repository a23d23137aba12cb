"""Entities the documents describe in prose: the life of committee drafts, and the regional
recommendations behind a congress.

A committee report tells each draft's story in a handful of fixed sentence shapes: "the
representative of Belarus, on behalf of Belarus and Peru, introduced a draft resolution
entitled “…” (A/C.3/68/L.17)", "had before it a revised draft resolution (…/Rev.1), submitted
by the sponsors of draft resolution … and Armenia, Australia, …", "Subsequently, … joined in
sponsoring", "Also at its 46th meeting, the Committee adopted draft resolution …/Rev.1, as
orally revised (see para. 47, draft resolution VIII)". A draft decision the Chair puts forward
has no symbol: "on the proposal of the Chair, the Committee decided to recommend … (see para.
48)", "the Chair proposed a draft decision entitled “…”". This module reads those shapes from the
narrative paragraphs and nothing else: no list of countries, so a report it has never seen
yields the States it names.

The compilation of regional recommendations tags each item with the meeting report it comes
from (``[AP 62(a)]``); its footnote names the meeting behind each code.

Everything here is a pure function from ``Document`` to small dataclasses: no RDF.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from graph.document import Document, Paragraph
from graph.readers.common import MONTHS, ordinal_to_int
from graph.readers.compilation import CONGRESS_REGEX, LEGEND_REGEX, TAG_REGEX

# Committee draft symbols: "A/C.3/68/L.17", "A/C.3/68/L.17/Rev.1".
DRAFT_SYMBOL = r"[A-Z]/C\.\d+/\d+/L\.\d+"
DRAFT_SYMBOL_REGEX = re.compile(rf"(?P<symbol>{DRAFT_SYMBOL})(?P<revision>/Rev\.\d+)?")
_MONTH = "|".join(MONTHS)
# "At the 16th meeting, on 17 October", "Also at its 46th meeting", "At the same meeting".
MEETING_REGEX = re.compile(
    rf"^(?:Also\s+)?[Aa]t\s+(?:the|its)\s+(?:(?P<number>\d+)(?:st|nd|rd|th)|(?P<same>same))\s+"
    rf"meeting(?:,\s+on\s+(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH}))?")
MEETING_DATE_REGEX = re.compile(
    rf"(?P<number>\d+)(?:st|nd|rd|th)\s+meeting,\s+on\s+(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})")
INTRODUCED_REGEX = re.compile(
    r"the\s+representative\s+of\s+(?P<by>[^,]+?(?:\s+\([^)]*\))?)"
    r"(?:,\s+on\s+behalf\s+of\s+(?P<behalf>.+?))?,?\s+introduced\s+(?:a|the)\s+(?:revised\s+)?"
    r"draft\s+(?:resolution|decision)")
ENTITLED_REGEX = re.compile(r"entitled\s+[“\"](?P<title>[^”\"]+)[”\"]")
REVISED_REGEX = re.compile(
    rf"revised\s+draft\s+(?:resolution|decision)\s+\((?P<symbol>{DRAFT_SYMBOL}/Rev\.\d+)\),\s+"
    r"submitted\s+by\s+(?P<by>.+?)\.(?=\s+[A-Z]|$)")
SPONSORS_OF_REGEX = re.compile(
    rf"^the\s+sponsors\s+of\s+draft\s+(?:resolution|decision)\s+{DRAFT_SYMBOL}"
    r"(?:\s+and\s+(?P<more>.+))?$")
JOINED_REGEX = re.compile(
    r"(?:^|\.\s+)(?:Subsequently,?\s+)?(?P<states>[A-Z][^.]+?)\s+joined\s+in\s+sponsoring\s+"
    r"the\s+(?:revised\s+)?draft")
ADOPTED_REGEX = re.compile(
    rf"the\s+Committee\s+adopted\s+draft\s+(?:resolution|decision)\s+"
    rf"(?P<symbol>{DRAFT_SYMBOL}(?:/Rev\.\d+)?)(?P<rest>[^.]*)")
VOTE_REGEX = re.compile(r"without\s+a\s+vote|by\s+a\s+recorded\s+vote\s+of\s+[^()]+?(?=\s*\(|$)")
RECOMMENDED_REGEX = re.compile(r"draft\s+(?:resolution|decision)\s+(?P<label>[IVXLC]+)\)")
DECISION_WORD_REGEX = re.compile(r"draft\s+decision")
# A draft decision without a symbol: the Chair proposes it, or the Committee acts on it.
CHAIR_REGEX = re.compile(
    r"on\s+the\s+proposal\s+of\s+the\s+Chair|the\s+Chair\s+(?:proposed|submitted|introduced)\s+"
    r"(?:a|the)\s+draft\s+decision")
DECISION_INTRODUCED_REGEX = re.compile(
    r"(?:proposed|submitted|introduced)\s+(?:a|the)\s+draft\s+decision")
DECISION_ADOPTED_REGEX = re.compile(
    r"the\s+Committee\s+(?:adopted\s+(?:the|a)\s+draft\s+decision|decided\s+to\s+recommend)"
    r"(?P<rest>.*)")
# Drafts another body sends: "which was recommended by the Economic and Social Council for
# adoption by the General Assembly".
SUBMITTED_REGEX = re.compile(
    r"recommended\s+by\s+the\s+(?P<body>[A-Z][A-Za-z ]+?)\s+for\s+adoption")
GROUP_ITEM_REGEX = re.compile(r"\(agenda item (?P<number>\d+)\)")
WORKSHOP_REGEX = re.compile(r"\(workshop (?P<number>\d+)\)")


@dataclass(frozen=True)
class Meeting:
    """A numbered meeting of the committee, with its date when the report gives one."""

    number: int
    date: str | None = None


@dataclass
class DraftLife:
    """What a committee report says happened to one draft (by its first symbol, or ``None``
    for a draft decision the report gives no symbol: its identity is then the report's own
    draft decision).

    ``sponsors`` are the sponsors of the text the committee acted on (the introducing States,
    then those the revision added). ``original_sponsors`` are the States the draft was
    introduced on behalf of: the sponsors of the first symbol. ``revision_sponsors`` holds,
    per revision, the States that revision names besides the sponsors before it.
    ``additional_sponsors`` joined in sponsoring afterwards.
    ``proposed_by_chair``: the Chair of the committee put the draft forward, so the committee
    itself is its introducer.
    ``submitted_by`` is the body that sent a draft no State introduced (the Economic and
    Social Council recommends drafts to the Assembly).
    ``vote`` is the report's words ("without a vote") or ``None`` when it says nothing.
    """

    symbol: str | None
    decision: bool = False
    title: str | None = None
    submitted_by: str | None = None
    introduced_by: str | None = None
    on_behalf_of: list[str] = field(default_factory=list)
    introduced_at: Meeting | None = None
    revisions: list[str] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    original_sponsors: list[str] = field(default_factory=list)
    revision_sponsors: dict[str, list[str]] = field(default_factory=dict)
    proposed_by_chair: bool = False
    additional_sponsors: list[str] = field(default_factory=list)
    adopted: str | None = None
    adopted_at: Meeting | None = None
    orally_revised: bool = False
    orally_corrected: bool = False
    vote: str | None = None
    recommended_as: str | None = None
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RegionalRecommendation:
    """One tag of one recommendation: which regional meeting said it, and where."""

    paragraph: str
    tag: str
    region: str
    region_name: str | None
    report_paragraph: str
    item: str | None
    congress: int
    heading: str | None
    group: str | None
    subtheme: str | None
    agenda_item: str | None
    workshop: str | None


def split_names(text: str, compounds: AbstractSet[str] = frozenset()) -> list[str]:
    """"Argentina, Brazil and Peru" -> the three names, articles dropped where they are only
    grammar ("the Philippines" -> "Philippines", not "the former Yugoslav Republic ...").

    A name may itself hold "and" ("Bosnia and Herzegovina"): between commas it is kept whole,
    and in the last chunk a split that leaves a name already seen whole (``compounds``) wins
    over the plain last "and".
    """
    # commas inside parentheses belong to a name: "Micronesia (the Federated States of)"
    chunks = [chunk.strip() for chunk in re.split(r",\s+(?![^()]*\))", text.strip())
              if chunk.strip()]
    if not chunks:
        return []
    last = chunks.pop()
    if last.startswith("and "):
        last = last[4:]
    parts = last.split(" and ")
    if len(parts) > 1 and (len(chunks) > 0 or last not in compounds):
        splits = [(" and ".join(parts[:i]), " and ".join(parts[i:])) for i in range(1, len(parts))]
        known = [s for s in splits if all(" and " not in side or _bare(side) in compounds
                                          for side in s)]
        chunks.extend(known[0] if known else splits[-1])
    else:
        chunks.append(last)
    return [_bare(name) for name in chunks]


def _bare(name: str) -> str:
    name = name.strip().rstrip(".")
    return name[4:] if name.startswith("the ") and name[4:5].isupper() else name


def _compounds(paragraphs: list[Paragraph]) -> set[str]:
    """Names holding "and" that a list of the report prints between commas: in "…, Bosnia and
    Herzegovina, …" the "and" cannot separate two names."""
    found = set()
    for paragraph in paragraphs:
        for chunk in re.findall(r"(?<=, )([^,]+? and [^,]+?)(?=, )", paragraph.text):
            if not re.search(r"\b(?:on behalf|submitted|introduced|meeting)\b", chunk):
                found.add(_bare(chunk))
    return found


def _year(report: Document) -> int | None:
    when = report.date or report.distributed
    return int(when[:4]) if when else None


def _meeting_dates(paragraphs: list[Paragraph], report: Document) -> dict[int, str]:
    """The date of each numbered meeting the report dates anywhere. Reports name day and
    month only; the year is the report's, or the year before for months after its date."""
    year = _year(report)
    dates: dict[int, str] = {}
    if year is None:
        return dates
    issued = report.date or report.distributed or ""
    for paragraph in paragraphs:
        for match in MEETING_DATE_REGEX.finditer(paragraph.text):
            when = date(year, MONTHS[match["month"]], int(match["day"])).isoformat()
            if when > issued:
                when = date(year - 1, MONTHS[match["month"]], int(match["day"])).isoformat()
            dates.setdefault(int(match["number"]), when)
    return dates


def draft_lives(report: Document) -> list[DraftLife]:
    """The life of every committee draft the report's narrative tells, in order of first
    mention. A paragraph that names no draft ("At the same meeting, the representative of
    Colombia orally revised the draft resolution") continues the story of the last one named.
    A draft decision without a symbol is keyed by its rank among such decisions, so two of them
    in one report stay two lives."""
    narrative = [p for p in report.paragraphs if p.kind == "narrative"]
    compounds = _compounds(narrative)
    dates = _meeting_dates(narrative, report)
    lives: dict[str | int, DraftLife] = {}
    current: str | int | None = None  # a symbol, or the rank of a draft decision without one
    meeting: Meeting | None = None
    heading: str | None = None
    for paragraph in narrative:
        if paragraph.heading != heading:
            heading, current = paragraph.heading, None
            if named := DRAFT_SYMBOL_REGEX.search(heading or ""):
                current = named["symbol"]
        text = " ".join(paragraph.text.split("\n", 1)[0].split())  # the report's own words
        if at := MEETING_REGEX.match(text):
            if at["number"]:
                number = int(at["number"])
                meeting = Meeting(number, dates.get(number))
        else:
            meeting = None
        symbols = {m["symbol"] for m in DRAFT_SYMBOL_REGEX.finditer(text)}
        if len(symbols) > 1:  # a list of drafts ("the following documents: L.2, L.3 ...")
            current = None
            continue
        if symbols:
            current = symbols.pop()
        elif (CHAIR_REGEX.search(text) or DECISION_INTRODUCED_REGEX.search(text)) and not (
                isinstance(current, int) and lives[current].adopted_at is None):
            current = sum(isinstance(key, int) for key in lives)  # a new decision's story
        if current is None:
            continue
        life = lives.setdefault(current, DraftLife(
            current if isinstance(current, str) else None, decision=isinstance(current, int)))
        life.paragraphs.append(paragraph.id)
        _read_events(life, text, meeting, compounds)
    return list(lives.values())


def _read_events(life: DraftLife, text: str, meeting: Meeting | None,
                 compounds: set[str]) -> None:
    """Add what one narrative paragraph says about a draft to its life."""
    life.decision = life.decision or bool(DECISION_WORD_REGEX.search(text))
    if life.title is None and (entitled := ENTITLED_REGEX.search(text)):
        life.title = entitled["title"]
    if submitted := SUBMITTED_REGEX.search(text):
        life.submitted_by = submitted["body"]
        life.introduced_at = life.introduced_at or meeting
    if introduced := INTRODUCED_REGEX.search(text):
        life.introduced_by = _bare(introduced["by"])
        life.on_behalf_of = split_names(introduced["behalf"] or "", compounds)
        life.original_sponsors = list(life.on_behalf_of or [life.introduced_by])
        life.sponsors = list(life.original_sponsors)
        life.introduced_at = meeting
    if CHAIR_REGEX.search(text):
        life.proposed_by_chair = True
        life.introduced_at = life.introduced_at or meeting
    if revised := REVISED_REGEX.search(text):
        if revised["symbol"] not in life.revisions:
            life.revisions.append(revised["symbol"])
        by = revised["by"]
        if of := SPONSORS_OF_REGEX.match(by):
            new = split_names(of["more"] or "", compounds)
        else:
            new = split_names(re.sub(r"^.*?\bon\s+behalf\s+of\s+", "", by), compounds)
        added = [name for name in dict.fromkeys(new) if name not in life.sponsors]
        life.revision_sponsors[revised["symbol"]] = added
        life.sponsors.extend(added)
    if joined := JOINED_REGEX.search(text):
        life.additional_sponsors.extend(split_names(joined["states"], compounds))
    if re.search(r"orally\s+revised", text):
        life.orally_revised = True
    if re.search(r"orally\s+corrected", text):
        life.orally_corrected = True
    if adopted := ADOPTED_REGEX.search(text):
        life.adopted = adopted["symbol"]
        if life.adopted not in (life.symbol, *life.revisions):  # a revision named only here
            life.revisions.append(life.adopted)
        life.adopted_at = meeting
        if vote := VOTE_REGEX.search(adopted["rest"]):
            life.vote = " ".join(vote.group().split())
        if recommended := RECOMMENDED_REGEX.search(text):
            life.recommended_as = recommended["label"]
    elif life.symbol is None and (decided := DECISION_ADOPTED_REGEX.search(text)):
        life.adopted_at = meeting
        if vote := VOTE_REGEX.search(decided["rest"]):
            life.vote = " ".join(vote.group().split())
        if recommended := RECOMMENDED_REGEX.search(text):
            life.recommended_as = recommended["label"]


def regions(compilation: Document) -> dict[str, str]:
    """Region code -> region, from the footnote that explains the tags."""
    names: dict[str, str] = {}
    for footnote in compilation.footnotes:
        for match in LEGEND_REGEX.finditer(" ".join(footnote.text.split())):
            names.setdefault(match["code"], match["name"])
    return names


def regional_recommendations(compilation: Document) -> list[RegionalRecommendation]:
    """One record per tag of every recommendation in a compilation; empty for a document
    whose title names no congress."""
    congress = CONGRESS_REGEX.search(compilation.title or "")
    number = ordinal_to_int(congress["ordinal"]) if congress else None
    if number is None:
        return []
    names = regions(compilation)
    records = []
    for paragraph in compilation.paragraphs:
        if paragraph.kind != "recommendation":
            continue
        group, _, subtheme = (paragraph.heading or "").partition(" > ")
        agenda = GROUP_ITEM_REGEX.search(group)
        workshop = WORKSHOP_REGEX.search(group)
        for tag in paragraph.tags:
            parsed = TAG_REGEX.fullmatch(tag)
            if parsed is None:
                continue
            records.append(RegionalRecommendation(
                paragraph=paragraph.id, tag=tag, region=parsed["region"],
                region_name=names.get(parsed["region"]),
                report_paragraph=parsed["paragraph"], item=parsed["item"], congress=number,
                heading=paragraph.heading, group=group or None, subtheme=subtheme or None,
                agenda_item=agenda["number"] if agenda else None,
                workshop=workshop["number"] if workshop else None))
    return records
