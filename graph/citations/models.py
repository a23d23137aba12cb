"""Citation models.

The typed citation classes the finder produces come first; ``Cited`` is what the resolver makes
of one, and ``Reference`` (a ``Cited`` plus where and how it was cited) is the resolved citation
every later stage consumes (``rdf.py``, ``unkg extract``), with the fields of the extraction
contract (docs/extract.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


# --- Typed citations found in a text (find.py), before resolution (resolve.py) -----------------


@dataclass(eq=False)
class CitationBase:
    """A citation as found: the matched text, its span in the searched text, named groups.

    ``span()`` covers the citation proper ("resolution 46/152"); ``full_span()`` also covers
    what belongs to it around that ("its … of 18 December 1991", ", annex"). Offsets are in the
    text given to ``find_citations``. ``metadata`` is the kind's own ``Metadata`` (a dict is
    accepted and converted), so each kind declares its fields instead of guessing them.
    """

    matched: str
    start: int
    end: int
    groups: dict[str, str | None] = field(default_factory=dict)
    metadata: Any = None
    full_start: int | None = None
    full_end: int | None = None

    @dataclass
    class Metadata:
        """Fields every kind may carry."""

        pin: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.metadata, dict):
            self.metadata = self.Metadata(**self.metadata)
        elif self.metadata is None:
            self.metadata = self.Metadata()

    def span(self) -> tuple[int, int]:
        """Offsets of the matched text."""
        return (self.start, self.end)

    def full_span(self) -> tuple[int, int]:
        """Offsets of the citation with its surroundings (body, date, pinpoint)."""
        return (self.start if self.full_start is None else self.full_start,
                self.end if self.full_end is None else self.full_end)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.matched!r}, {self.start}, {self.end}, {self.metadata})"


@dataclass(eq=False, repr=False)
class ResolutionCitation(CitationBase):
    """A resolution or decision number: "resolution 46/152", "155 C (VII)", "2322 (2016)".

    ``style`` is the numbering shape (``session``, ``year``, ``special``, ``roman``,
    ``year-in-parentheses``, ``wha``, ``symbol``); ``session`` is already in Arabic numerals
    ("7" for "(VII)", "S-23" for "S-23/2", the year for "2014/22"). ``body`` is the body named in
    front of the list ("Economic and Social Council resolutions …") or after it ("resolution 3/1
    of the Conference of the States Parties …"), as printed; only the resolver turns it into a
    code. ``group`` numbers the list a citation belongs to, so that the resolver can spread one
    body and one date over it; ``range_from`` ("66/138") marks the end of "66/138 to 66/141",
    and ``range_span``/``range_text`` are where the whole range is printed, which the numbers
    inside it (139, 140) cite from. ``list_body`` is the body of an earlier list that a repeated
    keyword continues ("General Assembly resolution S-32/1 …, and resolution 79/199"): printed
    for that list, not for this number, so the resolver takes it only if the body can have
    issued the number.
    """

    @dataclass
    class Metadata(CitationBase.Metadata):
        decision: bool = False
        style: str = "session"
        session: str | None = None
        number: str | None = None
        part: str | None = None
        body: str | None = None
        date: str | None = None
        group: int = 0
        range_from: str | None = None
        range_span: tuple[int, int] | None = None
        range_text: str | None = None
        symbol: str | None = None
        within_symbol: str | None = None
        list_body: str | None = None


@dataclass(eq=False, repr=False)
class ItsResolutionCitation(ResolutionCitation):
    """The short form "its resolution 46/152": the issuer is whoever "its" stands for.

    ``antecedent_guess`` is the body named just before "in its" ("adopted by the Conference of
    the Parties … in its resolution 6/1"); without one, "its" is the issuer of the citing text.
    ``addressee`` is the body an operative paragraph directs to act ("Invites the Conference of
    the States Parties to consider, …, in accordance with its resolution 10/4"), or the body the
    clause of "its" names as owner ("the recommendations of the Commission …, in particular
    those contained in its resolutions"; "…, and invites the Commission … to … its resolution"),
    which "its" may stand for instead of the issuer (the resolver decides).
    """

    @dataclass
    class Metadata(ResolutionCitation.Metadata):
        antecedent_guess: str | None = None
        addressee: str | None = None


@dataclass(eq=False, repr=False)
class DocumentCitation(CitationBase):
    """A UN document symbol: "A/CONF.222/17", "E/2013/30/Corr.1", "A/C.3/68/SR.7".

    ``joint`` is the second symbol of a document issued under two ("A/73/831-E/2019/56"),
    ``joint_dash`` the dash printed between them (an en dash in PDF text), kept as printed;
    ``range_end`` ends a printed range of records ("A/C.3/68/SR.6-8"), which the resolver expands.
    """

    @dataclass
    class Metadata(CitationBase.Metadata):
        symbol: str = ""
        joint: str | None = None
        joint_dash: str = "-"
        range_end: str | None = None


@dataclass(eq=False, repr=False)
class OfficialRecordsCitation(CitationBase):
    """"Official Records of the Economic and Social Council, 2015, Supplement No. 10 (E/2015/30)".

    ``session`` is the session as printed in words ("Forty-seventh"), ``year`` the year of an
    ECOSOC volume; ``symbols`` are the symbols printed in parentheses.
    """

    @dataclass
    class Metadata(CitationBase.Metadata):
        body: str | None = None
        year: str | None = None
        session: str | None = None
        supplement: str | None = None
        corrigendum: bool = False
        symbols: tuple[str, ...] = ()


@dataclass(eq=False, repr=False)
class TreatyCitation(CitationBase):
    """"United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574".

    ``series`` is the treaty series as printed: "United Nations" or "League of Nations". One
    citation is one printed group of volumes and numbers ("vol. 249, Nos. 3511 and 3512"), so
    ``registrations`` may hold several numbers; ``resolve.py`` pairs them with the volumes.
    """

    @dataclass
    class Metadata(CitationBase.Metadata):
        registrations: tuple[int, ...] = ()
        volumes: tuple[int, ...] = ()
        series: str = "United Nations"


@dataclass(eq=False, repr=False)
class IbidCitation(CitationBase):
    """"Ibid." with whatever details it restates; the rest comes from the previous footnote.

    Restated details: UNTS ``volumes``/``registrations`` (one group of them per citation),
    Official Records ``year``/``session``/
    ``supplement``/``symbols``. With none restated, Ibid. repeats the previous reference whole.
    """

    @dataclass
    class Metadata(CitationBase.Metadata):
        registrations: tuple[int, ...] = ()
        volumes: tuple[int, ...] = ()
        year: str | None = None
        session: str | None = None
        supplement: str | None = None
        symbols: tuple[str, ...] = ()


@dataclass(eq=False, repr=False)
class TagCitation(CitationBase):
    """A recommendation's source tag: "[AP 62(a)]" = Asia-Pacific report, paragraph 62 (a)."""

    @dataclass
    class Metadata(CitationBase.Metadata):
        region: str = ""
        paragraph: str = ""
        item: str | None = None


@dataclass(eq=False, repr=False)
class NameCitation(CitationBase):
    """A named entity: a body ("the Commission"), a treaty ("the Organized Crime Convention"),
    a congress ("the Thirteenth Congress") or a declaration ("the Doha Declaration").

    ``entity`` is ``body``, ``treaty``, ``congress`` or ``declaration``; ``short`` is true for a
    short name that refers back to an earlier full one.
    """

    @dataclass
    class Metadata(CitationBase.Metadata):
        entity: str = ""
        name: str = ""
        short: bool = False


@dataclass(eq=False, repr=False)
class UnknownCitation(CitationBase):
    """Something that looks like a citation but has no shape the finder knows."""

    @dataclass
    class Metadata(CitationBase.Metadata):
        reason: str = ""


@dataclass
class Cited:
    """What one citation resolves to; ``citations.py`` adds where it was cited.

    ``span`` is in the text that was searched. ``kind`` follows ``Reference``, plus ``mention``
    for named entities, which are resolved but are not citations of the extraction contract.
    """

    kind: str
    text: str
    span: tuple[int, int]
    body: str | None = None
    session: str | None = None
    number: str | None = None
    part: str | None = None
    symbol: str | None = None
    unts: list[dict[str, int]] = field(default_factory=list)
    date: str | None = None
    label: str | None = None
    iri: str | None = None
    reason: str | None = None


# The order of the fields in ``unkg extract``'s JSON objects (docs/extract.md).
CONTRACT_FIELDS = ("document", "location", "kind", "text", "span", "footnote", "paragraph", "body",
                   "session", "number", "part", "symbol", "unts", "verb", "iri", "label", "date",
                   "reason")


@dataclass(kw_only=True)
class Reference(Cited):
    """One resolved citation: what is cited (``Cited``), and who cites it, where, with which verb.

    ``kind`` is ``resolution``, ``decision``, ``treaty``, ``document`` or ``other``. ``span`` is
    in the *source* text of the file. ``paragraph`` is the id of the citing paragraph (for a
    footnote, the paragraph that holds its marker); ``footnote`` the printed footnote label (for
    a part of a committee report, ``"VIII:13"``). ``unts`` holds one ``{"registration": …,
    "volume": …}`` per instrument. ``label`` is a name for the cited thing when the text gives
    one ("United Nations Convention against Corruption"). ``reason`` says why a citation of kind
    ``other`` could not be resolved.
    """

    document: str | None
    location: str
    footnote: str | None = None
    paragraph: str | None = None
    verb: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as the JSON object of ``unkg extract --format jsonl``.

        Field by field rather than ``dataclasses.asdict``, whose deep copy of every value was a
        tenth of ``unkg extract``'s time: the fields are strings, numbers and None, but for
        the span (a list in JSON) and the UNTS records (copied, so the record is the caller's)."""
        record = {name: getattr(self, name) for name in CONTRACT_FIELDS}
        record["span"] = list(self.span)
        record["unts"] = [dict(item) for item in self.unts]
        return record
