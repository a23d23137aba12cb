"""Resolve found citations into what they cite: body, session, number, symbol, UNTS instrument.

Short forms need context the finder does not have: "its resolution" means the issuer of the
citing text (or the body just named before "in its"); "Ibid." repeats the previous footnote and
overrides what it restates; "the Commission" is the last commission named. ``Context`` carries
that context from one paragraph or footnote to the next. Each kind has its own resolver, passed
to ``resolve_citations`` as a keyword argument, so a caller can replace one and fall back to the
default for the rest (eyecite's ``resolve_citations``). A citation that cannot be resolved
becomes a ``Cited`` of kind ``other`` with a reason: nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Sequence


from graph import data, iris
from graph.citations.find import expand_series
from graph.citations.models import (CitationBase, Cited, DocumentCitation, IbidCitation, ItsResolutionCitation,
                          NameCitation, OfficialRecordsCitation, ResolutionCitation, TagCitation,
                          TreatyCitation, UnknownCitation)
from graph.readers.common import ordinal_to_int


@dataclass
class Context:
    """What the resolver knows about the text around a citation.

    ``issuer`` is the short code of the body whose text is being read (``Document.body``),
    ``session`` the session (or ECOSOC year) of that text (``Document.session``), ``year`` the
    year it was adopted (how many sessions another body can have held by then);
    ``previous`` what the previous footnote cited (for "Ibid."); ``records_body`` the body of
    the last Official Records cited; ``series`` the treaty series of the last treaty reference
    (an "Ibid., vol. …" keeps it); ``names`` the body each short name ("Commission") last
    stood for; ``named`` the codes of the bodies named in full, most recent last; ``treaty`` the last treaty instrument named; ``congress`` the last congress
    named; ``subject_congress`` the congress the document itself is about (its title), whose
    regional meetings recommendation tags refer to; ``cited`` the bodies each session and number
    ("26", "4") was already resolved to in the document, most recent last.
    """

    issuer: str | None = None
    session: str | None = None
    year: int | None = None
    previous: list[Cited] = field(default_factory=list)
    records_body: str | None = None
    series: str = "United Nations"
    names: dict[str, str] = field(default_factory=dict)
    named: list[str] = field(default_factory=list)
    treaty: data.Instrument | None = None
    congress: int | None = None
    subject_congress: int | None = None
    cited: dict[tuple[str | None, str], list[str]] = field(default_factory=dict)


Resolver = Callable[[CitationBase, Context], list[Cited]]

# Numbering shapes that many bodies share: the issuer's unless a body is printed.
SESSION_STYLES = ("session", "roman", "special")
# The longest range "66/138 to 66/141" that is expanded number by number.
MAX_RANGE = 100


def _other(citation: CitationBase, reason: str) -> list[Cited]:
    return [Cited("other", citation.matched, citation.full_span(), reason=reason)]


# --- bodies -------------------------------------------------------------------------------------


def body_code(printed: str | None, context: Context, style: str | None = None,
              session: str | None = None, number: str | None = None) -> str | None:
    """The short code of a body as printed: a full name, a short name, a code or a series.

    A short name ("Commission") is resolved by ``short_name_body``; given the ``style`` and
    ``session`` of the number it issued, only a body that could have issued it is accepted, and
    given the ``number`` too, a body the document already cited it from is preferred.
    """
    if not printed:
        return None
    name = " ".join(printed.split())
    if name.startswith("the "):
        name = name[4:]
    code = _table_code(name)
    return code if code is not None else short_name_body(name, context, style, session, number)


@lru_cache(maxsize=4096)  # the same few names, again and again; each a walk over the tables
def _table_code(name: str) -> str | None:
    """The code of the body the tables know by this code, full name or symbol series."""
    body = data.body_by_code(name) or data.body_by_name(name) or data.body_by_symbol(name)
    return body.code if body else None


def short_name_body(name: str, context: Context, style: str | None = None,
                    session: str | None = None, number: str | None = None) -> str | None:
    """The body a short name means here, or None.

    In order: the body with that short name the document already cited this very session and
    number from ("Commission on Crime Prevention and Criminal Justice resolution 26/4", later
    "Commission resolution 26/4": a text does not cite two bodies' 26/4 under one short name,
    whichever commission was named last); the body last named in full in the same document
    with that short name ("the Commission", "Commission resolution 32/1"); for the conference of the parties to "the
    Convention", the conference whose name holds the title of the last treaty named; the issuer,
    when it abbreviates its own name ("the Assembly" in an Assembly resolution, whose opening
    "The General Assembly," is not a paragraph); and, before a number, the only body with that
    short name that numbers in its shape ("Council resolution 2013/40" is ECOSOC's). A body
    that cannot have issued the number (``plausible``) is passed over.
    """
    def fits(code: str | None) -> bool:
        return code is not None and (style is None or plausible(code, style, session))

    candidates = [body for body in data.bodies() if name in body.short]
    earlier = [code for code in context.cited.get((session, number or ""), [])
               if any(code == body.code for body in candidates)]
    if earlier and fits(earlier[-1]):
        return earlier[-1]
    if fits(context.names.get(name)):
        return context.names[name]
    if context.treaty:
        titles = [title for item in data.instruments()
                  if item.registration == context.treaty.registration
                  for title in (item.title, *item.names)]
        conference = next((body.code for body in candidates
                           if any(title in full for full in body.names for title in titles)), None)
        if fits(conference):
            return conference
    issuer = data.body_by_code(issuer_of_resolutions(context))
    if issuer and name in issuer.short and fits(issuer.code):
        return issuer.code
    shaped = [body.code for body in candidates if style and body.numbering == style and fits(body.code)]
    return shaped[0] if len(shaped) == 1 else None


def plausible(code: str, style: str, session: str | None) -> bool:
    """Whether the body ``code`` can have issued a number of this shape and session.

    A body numbers its resolutions in one shape (``numbering`` in ``bodies.json``) from a first
    session or year on (``numbered_from``): the General Assembly printed "415 (V)" until its
    thirty-first session and ECOSOC "155 C (VII)" until 1978, so a General Assembly "10/1" or an
    ECOSOC "1975/3" does not exist. Old-style Roman numbers and symbols fit every body; a body
    whose numbering the table does not state is taken on trust.
    """
    body = data.body_by_code(code)
    if body is None or body.numbering is None or style in ("roman", "symbol"):
        return True
    if style == "special":
        return body.numbering == "session"
    if style != body.numbering:
        return False
    return not (body.numbered_from and session and session.isdigit()
                and int(session) < body.numbered_from)


def _after_citing_text(code: str, session: str | None, context: Context) -> bool:
    """Whether the number is of a later session (or year) of the issuer than the citing text's
    own: a Council text of the fifty-eighth session cannot cite the Council's "79/199"."""
    own = context.session
    if code != issuer_of_resolutions(context) or not (session and own):
        return False
    return session.isdigit() and own.isdigit() and int(session) > int(own)


def _possible(code: str, style: str, session: str | None, context: Context) -> bool:
    """``plausible``, and for the issuer's own numbers not later than the citing text."""
    return plausible(code, style, session) and not _after_citing_text(code, session, context)


def _plausible_in_context(context: Context, style: str, session: str | None,
                          number: str | None) -> str | None:
    """What an impossible default ("its resolution 9/1" in an Assembly text) means: the body
    the document already cited this very number from, if it could have issued it (a text does
    not cite two bodies' 10/4 without naming the second); else the body most recently named in
    full that numbers resolutions and could have issued it."""
    def numbers(code: str) -> bool:
        return bool((data.body_by_code(code) or data.Body("", "", ())).numbering)

    earlier = reversed(context.cited.get((session, number or ""), []))
    return next((code for code in (*earlier, *reversed(context.named))
                 if numbers(code) and _possible(code, style, session, context)), None)


def _fits(code: str, style: str, session: str | None, context: Context) -> bool:
    """Whether a body that is not the issuer can have issued this number: printed in the body's
    own numbering shape, of a session it can have reached by the citing text's year."""
    body = data.body_by_code(code)
    if body is None or style != body.numbering or not plausible(code, style, session):
        return False
    if not (session and session.isdigit()):
        return False
    limit = (context.year if style == "year"
             else body.sessions.last_by(context.year) if body.sessions else None)
    return limit is None or int(session) <= limit


def _addressed_body(addressee: str | None, style: str, session: str | None, number: str | None,
                    context: Context) -> str | None:
    """The body "its" means when the clause names another owner for it (``addressee``).

    The owner is a body an operative paragraph directs to act, or one named in the clause of
    "its" as a possessive or as the object of a coordinated verb ("the recommendations of the
    Commission on Narcotic Drugs, in particular those contained in its resolutions 64/5";
    "…, and invites the Commission on Narcotic Drugs to … its resolution 68/2").
    "Invites the Conference of the States Parties to consider, …, in accordance with its
    resolution 10/4": "its" is the Conference, the subject of "consider", when it adopts
    resolutions and the number is its own: already cited from it in this document, or of its
    numbering and of a session it can have held. "Requests the Secretary-General to report on
    its resolution 78/227" stays the issuer's (the Secretary-General adopts none), and so does
    a number the document already cited from the issuer and not from the addressee.
    """
    issuer = issuer_of_resolutions(context)
    code = body_code(addressee, context, style, session, number) if addressee else None
    body = data.body_by_code(code)
    if code is None or body is None or code == issuer or body.numbering in (None, "none"):
        return None
    earlier = context.cited.get((session, number or ""), [])
    if code in earlier:
        return code
    if issuer in earlier:
        return None
    return code if _fits(code, style, session, context) else None


def _unknown_body_code(printed: str) -> str | None:
    """A code for a body the tables do not know, from the initials of its capitalised words
    ("United Nations Environment Assembly" -> "UNEA"), or its name when the initials are a
    known body's code ("Human Rights Committee" is not HRC); a short name of the tables
    ("Council", "Conference of the States Parties") is no unknown body, and neither is a
    fragment that is not a name ("Corruption5 and Conference", a word glued to a footnote
    marker): a code is never invented from it."""
    words = printed.split()
    initials = "".join(word[0] for word in words if word[0].isupper())
    if (len(words) < 2 or any(" ".join(words) in body.short for body in data.bodies())
            or not all(word.isalpha() or not word[0].isupper() for word in words)):
        return None
    return " ".join(words) if data.body_by_code(initials) else initials


def _trailing_short_name(printed: str) -> str | None:
    """The longest short name of the tables that a printed body name ends with ("Conference"
    in "Corruption5 and Conference"): what a fragment that is no name still says."""
    name = " ".join(printed.split())
    shorts = [short for body in data.bodies() for short in body.short
              if name == short or name.endswith(" " + short)]
    return max(shorts, key=len, default=None)


def issuer_of_resolutions(context: Context) -> str | None:
    """The body whose resolutions the citing text calls "its": a committee drafts for its parent."""
    body = data.body_by_code(context.issuer)
    if body and body.resolutions_of:
        return body.resolutions_of
    return context.issuer


def _default_body(style: str, issuer: str | None) -> str | None:
    """The body of a number printed without one.

    Numbers shaped like only one body's ("2014/22" is ECOSOC's year numbering, "1373 (2001)"
    the Security Council's, "WHA63.22" the World Health Assembly's) belong to that body unless
    the issuer numbers the same way; session numbers ("46/152", "415 (V)", "S-23/2") are the
    issuer's.
    """
    issuer_body = data.body_by_code(issuer)
    if issuer_body and issuer_body.numbering == style:
        return issuer
    return _shaped_body(style) or issuer


def _shaped_body(style: str) -> str | None:
    """The body whose own shape a number has ("WHA63.22", "1/CP.21", "2014/22"); none for
    the session numbers many bodies share."""
    if style in SESSION_STYLES:
        return None
    return next((body.code for body in data.bodies() if body.numbering == style), None)


# --- resolvers ------------------------------------------------------------------------------------


def resolve_resolution(citation: CitationBase, context: Context) -> list[Cited]:
    """A resolution or decision: who adopted it, which session, which number.

    The body is, in order: the one printed with the list; the one printed with the earlier list
    a repeated keyword continues, if it can have issued the number; the one named before "in
    its"; for "its" in a paragraph that directs a body to act, that body when the number is
    its own (``_addressed_body``); the body whose document the number is cited inside
    ("CAC/COSP/2011/14, …, resolution 4/1"); the body a numbering shape belongs to unless the issuer numbers the same way; and the
    issuer. A body that was not printed but only inferred must be able to have issued the
    number (``plausible``, and for the issuer not in a session later than the citing text's);
    if not, the body last named that can is taken, or the citation is kept as ``other`` with
    the reason.
    """
    assert isinstance(citation, ResolutionCitation)
    m = citation.metadata
    if m.style == "symbol" and m.symbol and m.body and data.body_by_symbol(m.body) is None:
        return _symbol_document(citation, m.symbol)
    issuer = issuer_of_resolutions(context)
    listed = body_code(m.list_body, context, m.style, m.session, m.number) if m.list_body else None
    if m.body:
        body = (body_code(m.body, context, m.style, m.session, m.number)
                or _unknown_body_code(m.body)
                or body_code(_trailing_short_name(m.body), context, m.style, m.session, m.number))
        if not body:
            return _other(citation, f"no body called '{' '.join(m.body.split())}' was named "
                                    "before, or none that numbers resolutions this way")
    elif listed and _possible(listed, m.style, m.session, context):
        body = listed
    elif isinstance(citation, ItsResolutionCitation):
        body = (body_code(m.antecedent_guess, context, m.style, m.session, m.number)
                or _addressed_body(m.addressee, m.style, m.session, m.number, context) or issuer)
    elif m.within_symbol and (m.pin or "").lower().startswith("annex"):
        # "FCCC/CP/2015/10/Add.1, decision 1/CP.21, annex": where in the report the annexed
        # text (the Paris Agreement) stands, a pinpoint of the document, not a citation of it.
        return []
    elif m.within_symbol:
        found = data.body_by_symbol(m.within_symbol)
        body = (found.resolutions_of or found.code) if found else None
    else:
        body = _default_body(m.style, issuer)
    if body and not m.body and not _possible(body, m.style, m.session, context):
        inferred = body
        # "its decision 3/COP.14, the Conference of the Parties …": a number only one body
        # issues in that shape is that body's, whoever "its" seemed to be.
        shaped = _shaped_body(m.style)
        body = (_plausible_in_context(context, m.style, m.session, m.number)
                or (shaped if shaped and _possible(shaped, m.style, m.session, context) else None))
        if not body:
            return _other(citation, f"{inferred} did not number resolutions this way in that "
                                    "session (or not yet when the citing text was adopted), "
                                    "and no body named before did")
    if not body or not m.number:
        return _other(citation, "the issuing body of this resolution is not known")
    numbered_on = (data.body_by_code(body) or data.Body(body, body, ())).numbering
    if not m.session and "year-in-parentheses" not in (m.style, numbered_on):
        return _other(citation, "the session of this resolution could not be read")
    kind = "decision" if m.decision else "resolution"
    # Security Council numbers run on across years: the number alone is the identity.
    identity_session = "" if numbered_on == "year-in-parentheses" else (m.session or "")
    numbers = _range(m.range_from, m.session, m.number)
    for number in numbers:
        context.cited.setdefault((m.session, number), []).append(body)
    return [Cited(kind, *((citation.matched, citation.full_span()) if number == m.number
                          else (m.range_text or citation.matched,
                                m.range_span or citation.full_span())),
                  body=body, session=m.session, number=number, part=m.part, symbol=m.symbol,
                  date=m.date,
                  iri=str(iris.resolution(body, identity_session, number, m.part, m.decision)))
            for number in numbers]


def _symbol_document(citation: CitationBase, symbol: str) -> list[Cited]:
    """A "…/DEC/…" or "…/RES/…" symbol of a series no known body issues ("CBD/COP/DEC/15/4",
    a decision of a treaty's Conference of the Parties): its numbers say nothing a resolution
    identity could be built from, but the symbol itself identifies the document, so it is
    cited as one rather than kept as ``other``."""
    return [Cited("document", citation.matched, citation.full_span(), symbol=symbol,
                  iri=str(iris.document(symbol)))]


def _range(range_from: str | None, session: str | None, number: str) -> list[str]:
    """The numbers a citation stands for: "66/141" ending "66/138 to 66/141" is 139, 140, 141.

    Only a range within one session, in order and of a plausible length, is expanded; anything
    else keeps the printed end alone.
    """
    start_session, _, start = (range_from or "").rpartition("/")
    if (start_session == (session or "") and start.isdigit() and number.isdigit()
            and 0 < int(number) - int(start) <= MAX_RANGE):
        return [str(n) for n in range(int(start) + 1, int(number) + 1)]
    return [number]


def resolve_document(citation: CitationBase, context: Context) -> list[Cited]:
    """A document symbol; a printed range of records or modifiers ("SR.6-8", "Add.1–3") is
    expanded, every member with the span of the printed range."""
    assert isinstance(citation, DocumentCitation)
    m = citation.metadata
    symbols = ([f"{m.symbol}{m.joint_dash}{m.joint}"] if m.joint
               else expand_series(m.symbol, m.range_end))
    return [Cited("document", citation.matched, citation.full_span(), symbol=symbol,
                  iri=str(iris.document(symbol))) for symbol in symbols]


def _records_documents(citation: CitationBase, body: str | None, session: str | None,
                       supplement: str | None, symbols: tuple[str, ...],
                       corrigendum: bool = False) -> list[Cited]:
    """The documents an Official Records reference stands for, by symbol.

    Without a printed symbol, a body's supplements may follow a fixed pattern (the General
    Assembly's Supplement No. 40 of the forty-seventh session is A/47/40; "and corrigendum"
    adds its Corr.1).
    """
    if not symbols and supplement and session:
        template = (data.body_by_code(body) or data.Body("", "", ())).supplement_symbol
        number = ordinal_to_int(session)
        if template and number:
            symbol = template.format(session=number, supplement=supplement)
            symbols = (symbol, f"{symbol}/Corr.1") if corrigendum else (symbol,)
    if not symbols:
        return _other(citation, "Official Records without a document symbol")
    return [Cited("document", citation.matched, citation.full_span(), symbol=symbol,
                  iri=str(iris.document(symbol))) for symbol in symbols]


def resolve_records(citation: CitationBase, context: Context) -> list[Cited]:
    """"Official Records of the …, Supplement No. 10 (E/2015/30)": the document E/2015/30."""
    assert isinstance(citation, OfficialRecordsCitation)
    m = citation.metadata
    context.records_body = body_code(m.body, context)
    return _records_documents(citation, context.records_body, m.session, m.supplement, m.symbols,
                              m.corrigendum)


def _treaty(citation: CitationBase, registration: int, volumes: tuple[int, ...]) -> Cited:
    """One UNTS instrument: one ``unts`` entry per volume; several instruments share a number.

    A single instrument is named as the reference graph names it (``iris.treaty_iri``:
    ``treaty/unts/42146``, ``treaty/unts/39574/2241``); a reference to several volumes is named
    by its registration number and ``rdf.py`` links each volume.
    """
    unts = [{"registration": registration, "volume": volume} for volume in volumes]
    if len(volumes) == 1:
        item = data.instrument(registration, volumes[0])
        iri, label = iris.treaty_iri(registration, volumes[0]), item.title if item else None
    else:
        iri, label = iris.treaty(registration), None
    return Cited("treaty", citation.matched, citation.full_span(), unts=unts, iri=str(iri),
                 label=label)


def pair_volumes(registrations: tuple[int, ...],
                 volumes: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]] | None:
    """Which volumes each registration number of one printed group is read in.

    One number: every volume is its ("vols. 2225 and 2237, No. 39574"). One volume: every
    number is in it ("vol. 249, Nos. 3511 and 3512"). As many volumes as numbers: pairs in
    printed order ("vols. 1015 and 1016, Nos. 14860 and 14861" is 14860 in 1015 and 14861 in
    1016), the way UNTS footnotes list instruments registered together. Any other count
    cannot be paired without guessing: None.
    """
    if len(registrations) == 1:
        return [(registrations[0], volumes)]
    if len(volumes) == 1:
        return [(registration, volumes) for registration in registrations]
    if len(volumes) == len(registrations):
        return [(registration, (volume,)) for registration, volume in zip(registrations, volumes)]
    return None


def _league_treaty(citation: CitationBase, registration: int) -> Cited:
    """A League of Nations Treaty Series reference ("vol. CXII, No. 2623"): a treaty with an
    identifier of its own, but not a UN one.

    ``unts`` holds UN Treaty Series numbers only and stays empty; the League's registration
    number, which like a UNTS number names one instrument, is the ``number`` and names the IRI
    ``treaty/lnts/2623``. The volume stays in the printed text.
    """
    return Cited("treaty", citation.matched, citation.full_span(), number=str(registration),
                 iri=str(iris.league_treaty(registration)))


def _series_treaty(citation: CitationBase, context: Context, registrations: tuple[int, ...],
                   volumes: tuple[int, ...]) -> list[Cited]:
    """A group of volumes and numbers in the treaty series last named, the UN's or the League
    of Nations': one treaty per registration number, or ``other`` with the reason it cannot be
    read (a group is never dropped)."""
    if context.series not in ("United Nations", "League of Nations"):
        return _other(citation, f"{context.series} Treaty Series: not a UN Treaty Series number")
    if not registrations or not volumes:
        return _other(citation, f"{context.series} Treaty Series reference without volume or number")
    pairs = pair_volumes(registrations, volumes)
    if pairs is None:
        return _other(citation, f"{len(volumes)} volumes and {len(registrations)} registration "
                                "numbers in one group: which number is in which volume is not printed")
    if context.series == "League of Nations":
        return [_league_treaty(citation, registration) for registration, _ in pairs]
    return [_treaty(citation, registration, group) for registration, group in pairs]


def resolve_treaty(citation: CitationBase, context: Context) -> list[Cited]:
    """"United Nations, Treaty Series, vol. 2349, No. 42146"; "League of Nations, Treaty
    Series, vol. CXII, No. 2623"."""
    assert isinstance(citation, TreatyCitation)
    context.series = citation.metadata.series
    return _series_treaty(citation, context, citation.metadata.registrations,
                          citation.metadata.volumes)


def resolve_ibid(citation: CitationBase, context: Context) -> list[Cited]:
    """"Ibid.": the previous footnote's series, with the details the Ibid. restates.

    Restated UNTS volumes make a treaty reference; a restated Official Records volume keeps the
    previous records' body; with nothing restated ("Ibid., para. 24 and annex.") the previous
    footnote's references are repeated whole. Chains work because each footnote's resolution
    becomes ``context.previous`` for the next. After a footnote that cites nothing by an
    identifier, Ibid. cites nothing either.
    """
    assert isinstance(citation, IbidCitation)
    m = citation.metadata
    if m.registrations:
        return _series_treaty(citation, context, m.registrations, m.volumes)
    if m.supplement:
        return _records_documents(citation, context.records_body, m.session, m.supplement, m.symbols)
    if not context.previous:
        # The footnote before cites nothing by an identifier (a publication known only by its
        # sales number): neither does its Ibid.
        return []
    return [replace(cited, text=citation.matched, span=citation.full_span())
            for cited in context.previous]


def resolve_tag(citation: CitationBase, context: Context) -> list[Cited]:
    """"[AP 62(a)]": paragraph 62 (a) of the report of a regional preparatory meeting.

    The tag identifies no UN document by symbol, so it is kept as kind ``other`` with its text;
    its IRI names the paragraph below the regional meeting of the congress the document is
    about, or else of the congress last named.
    """
    assert isinstance(citation, TagCitation)
    m = citation.metadata
    paragraph = m.paragraph + (f"({m.item})" if m.item else "")
    iri = None
    congress = context.subject_congress or context.congress
    if congress:
        meeting = iris.regional_meeting(congress, m.region)
        iri = str(iris.part_of(meeting, f"report/para/{m.paragraph}" + (f"/{m.item}" if m.item else "")))
    return [Cited("other", " ".join(citation.matched.split()), citation.full_span(), body=m.region,
                  number=paragraph, iri=iri,
                  reason="recommendation tag: report paragraph of a regional preparatory meeting")]


def resolve_name(citation: CitationBase, context: Context) -> list[Cited]:
    """A named entity, full or short, as a ``mention``; full names update the context.

    "the Commission" is the last body named whose short names include "Commission"; "the
    Convention" the last treaty named; "the Thirteenth Congress" congress 13.
    """
    assert isinstance(citation, NameCitation)
    m = citation.metadata
    iri = label = None
    if m.entity == "body":
        code = body_code(m.name, context)
        body = data.body_by_code(code)
        if body and not m.short:
            context.names.update({short: body.code for short in body.short})
            context.named = [code for code in context.named if code != body.code] + [body.code]
        if body:
            iri, label = str(iris.organization(body.code)), body.name
    elif m.entity == "treaty":
        item = context.treaty if m.short else next(
            (i for i in data.instruments() if m.name in (i.title, *i.names)), None)
        if item and (not m.short or m.name.split()[0] in item.title):
            context.treaty = context.treaty if m.short else item
            iri, label = str(iris.treaty(item.registration, item.volume)), item.title
    elif m.entity == "congress":
        number = ordinal_to_int(citation.groups.get("ordinal") or "")
        if number:
            context.congress = number
            iri, label = str(iris.congress(number)), f"{citation.groups['ordinal']} Congress"
    elif m.entity == "declaration" and context.congress:
        iri, label = str(iris.part_of(iris.congress(context.congress), "declaration")), m.name
    return [Cited("mention", citation.matched, citation.full_span(), iri=iri, label=label,
                  reason=None if iri else f"no {m.entity} known by this name here")]


def resolve_unknown(citation: CitationBase, context: Context) -> list[Cited]:
    """Anything else the finder returned: kept, with the finder's reason."""
    reason = citation.metadata.reason if isinstance(citation, UnknownCitation) else ""
    return _other(citation, reason or f"no resolver for {type(citation).__name__}")


def _spread_over_lists(citations: Sequence[CitationBase]) -> None:
    """One body named in a list governs all its numbers; a date covers the numbers before it.

    A date is spread back only over undated numbers of the same session as the dated one, since
    "resolutions 64/293 and 69/195, 69/197 and 69/199 of 18 December 2014" dates only the 69s.
    """
    groups: dict[int, list[ResolutionCitation]] = {}
    for citation in citations:
        if isinstance(citation, ResolutionCitation):
            groups.setdefault(citation.metadata.group, []).append(citation)
    for members in groups.values():
        body = next((c.metadata.body for c in members if c.metadata.body), None)
        for member in members:
            member.metadata.body = member.metadata.body or body
        for index, member in enumerate(members):
            if not member.metadata.date:
                continue
            for earlier in reversed(members[:index]):
                if earlier.metadata.date or earlier.metadata.session != member.metadata.session:
                    break
                earlier.metadata.date = member.metadata.date


def resolve_citations(
    citations: Sequence[CitationBase], context: Context, *,
    resolve_resolution: Resolver = resolve_resolution,
    resolve_document: Resolver = resolve_document,
    resolve_records: Resolver = resolve_records,
    resolve_treaty: Resolver = resolve_treaty,
    resolve_ibid: Resolver = resolve_ibid,
    resolve_tag: Resolver = resolve_tag,
    resolve_name: Resolver = resolve_name,
    resolve_unknown: Resolver = resolve_unknown,
) -> list[Cited]:
    """Resolve the citations of one text, in order, updating ``context`` as names go by.

    Args:
        citations: what ``find_citations`` returned for one paragraph or footnote.
        context: the issuer and what earlier texts said; updated in place.
        resolve_*: one resolver per kind; pass your own to change one step, e.g.
            ``resolve_citations(c, ctx, resolve_ibid=my_ibid)``, and call the default from it
            to fall back.

    Returns:
        One ``Cited`` per cited thing (a list or range gives several), in text order.
    """
    _spread_over_lists(citations)
    resolvers: list[tuple[type, Resolver]] = [
        (ResolutionCitation, resolve_resolution), (DocumentCitation, resolve_document),
        (OfficialRecordsCitation, resolve_records), (TreatyCitation, resolve_treaty),
        (IbidCitation, resolve_ibid), (TagCitation, resolve_tag), (NameCitation, resolve_name),
    ]
    resolved: list[Cited] = []
    for citation in citations:
        resolver = next((r for cls, r in resolvers if isinstance(citation, cls)), resolve_unknown)
        resolved.extend(resolver(citation, context))
    return resolved
