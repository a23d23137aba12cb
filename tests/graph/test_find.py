"""The finder: text in, typed citations with metadata and exact spans out (nothing resolved)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from graph import data
from graph.citations.find import CUT_SYMBOL_REASON, find_citations
from graph.citations.patterns import alternation, literal_alternation
from graph.citations.tokenizers import (ArticleTokenExtractor, RequiredStrings, TokenExtractor,
                                        default_extractors, required_strings, tokenize)
from graph.citations.models import NameCitation, ResolutionCitation, UnknownCitation
from tests.factories import (comparable, document, ibid, its_resolution, name, records, resolution,
                             tag, treaty)

# Rows of (text, expected citations other than names). Each row says what it covers.
ROWS = [
    # "its resolution" with a date: the short form, the date read as ISO 8601.
    ("Recalling its resolution 46/152 of 18 December 1991, in the annex",
     [its_resolution(date="1991-12-18")]),
    # Old style with part and Roman session, body named in front.
    ("in pursuance of Economic and Social Council resolution 155 C (VII) of 13 August 1948",
     [resolution("155 C (VII)", style="roman", session="7", number="155", part="C",
                 body="Economic and Social Council", date="1948-08-13")]),
    # Old style without part.
    ("General Assembly resolution 415 (V) of 1 December 1950",
     [resolution("415 (V)", style="roman", session="5", number="415", body="General Assembly",
                 date="1950-12-01")]),
    # A part after a session number.
    ("Recalling also its resolution 57/270 B of 23 June 2003 on the integrated",
     [its_resolution("57/270 B", session="57", number="270", part="B", date="2003-06-23")]),
    # A decision in parts.
    ("Recalling further its decision 74/550 A of 13 April 2020",
     [its_resolution("74/550 A", session="74", number="550", part="A", decision=True,
                     date="2020-04-13")]),
    # ECOSOC's year numbering.
    ("Taking into account Economic and Social Council resolution 2014/22 of 16 July 2014",
     [resolution("2014/22", style="year", session="2014", number="22",
                 body="Economic and Social Council", date="2014-07-16")]),
    # Security Council: number and year in parentheses.
    ("the Committee established pursuant to resolution 1373 (2001) concerning counter-terrorism",
     [resolution("1373 (2001)", style="year-in-parentheses", session=None, number="1373")]),
    # A special session in old style.
    ("General Assembly resolution 3201 (S-VI) of 1 May 1974",
     [resolution("3201 (S-VI)", style="special", session="S-6", number="3201",
                 body="General Assembly", date="1974-05-01")]),
    # Special session.
    ("Resolution S-23/2, annex, and resolution S-23/3, annex.",
     [resolution("S-23/2", style="special", session="S-23", number="2", pin="annex"),
      resolution("S-23/3", style="special", session="S-23", number="3", pin="annex")]),
    # World Health Assembly, prefixed number after the keyword.
    ("World Health Assembly resolution WHA63.22 of 21 May 2010",
     [resolution("WHA63.22", style="wha", session="63", number="22",
                 body="World Health Assembly", date="2010-05-21")]),
    # A list with dates between numbers: each date is read where it stands.
    ("Reaffirming its resolutions 46/152 of 18 December 1991, 69/149, 69/192 and 69/201 of "
     "18 December 2014",
     [its_resolution(date="1991-12-18"), its_resolution("69/149"), its_resolution("69/192"),
      its_resolution("69/201", date="2014-12-18")]),
    # A relative clause inside a list: the list goes on after it; names inside it are passed.
    ("Reaffirming its resolutions 62/10 of 1 May 2008, by which it established the Fund for "
     "Victims of the Commission, 70/4 of 3 March 2016 and 74/9 of 5 May 2020 on the review,",
     [its_resolution("62/10", date="2008-05-01"), its_resolution("70/4", date="2016-03-03"),
      its_resolution("74/9", date="2020-05-05")]),
    ("its resolutions 46/152, in the annex to which the Assembly set out its principles, and 60/1",
     [its_resolution(), its_resolution("60/1")]),
    # A quoted title, even with a colon, is one clause of the list.
    ("its resolutions 71/1 of 19 September 2016, entitled “Working together: a declaration on "
     "refugees”, 72/5 on the Global Compact and 73/9,",
     [its_resolution("71/1", date="2016-09-19"), its_resolution("72/5"), its_resolution("73/9")]),
    # A clause that cites with a keyword of its own starts another list.
    ("its resolution 60/1, in which it recalled resolution 59/2, and 61/3",
     [its_resolution("60/1"), resolution("59/2"), resolution("61/3")]),
    # A number no keyword introduces is kept, with a reason, when only a resolution has its
    # shape (dated, special session, old style); a bare "2/8" is no citation.
    ("as set out in 73/4 of 12 April 2019, S-28/2 and 3201 (S-VI), and on page 2/8,",
     [UnknownCitation(number, 0, 0, metadata={
         "reason": "a number shaped like a resolution's, without the word 'resolution' or "
                   "'decision' before it"}) for number in ("73/4", "S-28/2", "3201 (S-VI)")]),
    # A body named once is read on every number of its list; subjects between numbers.
    ("Recalling Commission on Crime Prevention and Criminal Justice resolutions 22/7 on "
     "strengthening cooperation to combat cybercrime and 22/8 on promoting technical "
     "assistance, both of 26 April 2013,",
     [resolution("22/7", body="Commission on Crime Prevention and Criminal Justice"),
      resolution("22/8", body="Commission on Crime Prevention and Criminal Justice",
                 date="2013-04-26")]),
    # A range: the end carries where it starts.
    ("General Assembly resolutions 66/138 to 66/141 of 19 December 2011",
     [resolution("66/138", body="General Assembly"),
      resolution("66/141", body="General Assembly", range_from="66/138", date="2011-12-19",
                 range_span=(29, 65), range_text="66/138 to 66/141 of 19 December 2011")]),
    # A body named after the number.
    ("recalling resolution 3/1 of 13 November 2009 of the Conference of the States Parties to "
     "the United Nations Convention against Corruption,",
     [resolution("3/1", date="2009-11-13", body="Conference of the States Parties to the "
                 "United Nations Convention against Corruption")]),
    # "by <body> in its resolution": the antecedent guess.
    ("As defined by the Commission on Crime Prevention and Criminal Justice in its resolution "
     "22/6 (see",
     [its_resolution("22/6", antecedent_guess="Commission on Crime Prevention and Criminal "
                                              "Justice")]),
    # A general mention's body governs the example that follows it.
    ("and all relevant Human Rights Council resolutions, including resolution 23/9 of 13 June 2013",
     [resolution("23/9", body="Human Rights Council", date="2013-06-13")]),
    # The body that adopted a set of resolutions at a session governs the one singled out.
    ("Recalling the resolutions adopted by the Commission on Crime Prevention and Criminal "
     "Justice at its thirty-third session, held in Vienna from 13 to 17 May 2024, in particular "
     "resolution 33/2, entitled",
     [resolution("33/2", body="Commission on Crime Prevention and Criminal Justice")]),
    # ... also named short, "at that session", with a range and a list.
    ("and the resolutions adopted by the Commission at that session, in particular "
     "resolutions 66/1 to 66/3 and 66/8,",
     [resolution("66/1", body="Commission"),
      resolution("66/3", body="Commission", range_from="66/1", range_span=(89, 101),
                 range_text="66/1 to 66/3"),
      resolution("66/8", body="Commission")]),
    # An organ the tables do not know, named before the keyword; the opening word is not part
    # of its name.
    ("Recalling United Nations Environment Assembly resolution 2/14,",
     [resolution("2/14", body="United Nations Environment Assembly")]),
    # A short name without an article before the keyword is a body name, read on its number.
    ("Taking note of Human Rights Council resolution 48/3 and Council decision 49/102,",
     [resolution("48/3", body="Human Rights Council"),
      resolution("49/102", body="Council", decision=True)]),
    # ... also when a line break separates it from the keyword (PDF text).
    ("in line with Commission\n                 resolution 65/4, and",
     [resolution("65/4", body="Commission")]),
    # ... but not when it ends a longer name the tables do not know.
    ("Noting Global Forum Assembly resolution 3/7,",
     [resolution("3/7", body="Global Forum Assembly")]),
    # A short name right after a treaty's title is not the end of an unknown body's name
    # ("Corruption and Conference" is no body).
    ("of the United Nations Convention against Corruption and Conference resolution 9/4,",
     [resolution("9/4", body="Conference")]),
    # ... nor after a word glued to a footnote marker left in the text.
    ("as urged by the Kigali Forum on Drugs3 and Conference resolution 9/4,",
     [resolution("9/4", body="Conference")]),
    # A conference named without its treaty, before "in its" and after "of".
    ("as decided by the Conference of the States Parties to the Convention in its resolution 8/2",
     [its_resolution("8/2", antecedent_guess="Conference of the States Parties to the Convention")]),
    ("pursuant to resolution 7/1 of the Conference of the Parties, entitled",
     [resolution("7/1", body="Conference of the Parties")]),
    # A resolution cited inside a document: the document's series is kept.
    ("CAC/COSP/2011/14, sect. I.A, resolution 4/1.",
     [document("CAC/COSP/2011/14", pin="sect. I.A"),
      resolution("4/1", within_symbol="CAC/COSP/2011/14")]),
    # A resolution by its symbol.
    ("See A/RES/70/174.",
     [resolution("A/RES/70/174", style="symbol", session="70", number="174",
                 symbol="A/RES/70/174", body="A")]),
    # Document symbols of every shape.
    # An operative paragraph that directs a body to act records it as the addressee of "its".
    ("Invites the Conference of the States Parties to consider, at its twelfth session, the "
     "matter, in accordance with its resolution 11/2,",
     [its_resolution("11/2", addressee="Conference of the States Parties")]),
    # ... with a parenthetical clause between the body and its infinitive.
    ("Also requests the Commission on Narcotic Drugs, as the governing body of the Office, to "
     "act pursuant to its resolution 67/3;",
     [its_resolution("67/3", addressee="Commission on Narcotic Drugs")]),
    # ... and a body that adopts no resolutions, which the resolver passes over.
    ("Requests the Secretary-General to report on the implementation of its resolution 79/190;",
     [its_resolution("79/190", addressee="Secretary-General")]),
    # A preambular paragraph directs no one: "its" has no addressee.
    ("Inviting the Commission to recall its resolution 33/2,", [its_resolution("33/2")]),
    # A body named without an infinitive after it is not directed to act.
    ("Welcomes the Commission on Narcotic Drugs and its resolution 67/1,",
     [its_resolution("67/1")]),
    # A possessive names the owner of "its" in its clause, in any paragraph.
    ("Noting the guidance of the Commission on the Status of Women, notably that set out in "
     "its resolution 61/2,",
     [its_resolution("61/2", addressee="Commission on the Status of Women")]),
    # A second, coordinated verb directs a body to act: that body owns a later "its".
    ("Encourages States to share data, and requests the Commission on Crime Prevention and "
     "Criminal Justice to consider them when following up on its resolution 31/4;",
     [its_resolution("31/4", addressee="Commission on Crime Prevention and Criminal Justice")]),
    # A semicolon ends the clause of the possessive: "its" has no owner there.
    ("Welcoming the reports of the Commission on Narcotic Drugs; recalling its resolution 66/1,",
     [its_resolution("66/1")]),
    # So does a new governing phrase after "and".
    ("Noting the work of the Human Rights Council and recalling its resolution 77/2,",
     [its_resolution("77/2")]),
    ("A/70/490 and A/C.3/68/L.17/Rev.1 and E/CN.15/2015/16 and A/CONF.222/17",
     [document("A/70/490"), document("A/C.3/68/L.17/Rev.1"), document("E/CN.15/2015/16"),
      document("A/CONF.222/17")]),
    ("CTOC/COP/2012/15, A/HRC/23/48 and UNODC/CCPCJ/EG.1/2012/2 and Add.1.",
     [document("CTOC/COP/2012/15"), document("A/HRC/23/48"),
      document("UNODC/CCPCJ/EG.1/2012/2"), document("Add.1", symbol="UNODC/CCPCJ/EG.1/2012/2/Add.1")]),
    # Corrigendum attached to its base symbol.
    ("E/2013/30 and Corr.1", [document("E/2013/30"), document("Corr.1", symbol="E/2013/30/Corr.1")]),
    # Addenda continued by number; a date after a record is not another record.
    ("A/78/123/Add.1 and 2; A/C.3/68/SR.16, 17 October",
     [document("A/78/123/Add.1"), document("2", symbol="A/78/123/Add.2"),
      document("A/C.3/68/SR.16")]),
    # A joint symbol is one document.
    ("A/73/831-E/2019/56", [document("A/73/831-E/2019/56", symbol="A/73/831", joint="E/2019/56")]),
    # ... also with an en dash, which is kept to print the joint symbol as it stands.
    ("A/79/126–E/2024/53.", [document("A/79/126–E/2024/53", symbol="A/79/126",
                                      joint="E/2024/53", joint_dash="–")]),
    # A pinpoint range with an en dash belongs to the citation.
    ("A/CONF.234/16, paras. 3–5.", [document("A/CONF.234/16", pin="paras. 3–5")]),
    # Summary-record range and the meetings that continue it.
    ("(A/C.3/68/SR.6-8, 16 and 22)",
     [document("A/C.3/68/SR.6-8", symbol="A/C.3/68/SR.6", range_end="8"),
      document("16", symbol="A/C.3/68/SR.16"), document("22", symbol="A/C.3/68/SR.22")]),
    # A special-session symbol and a budget section.
    ("(A/S-23/10/Rev.1) and (A/78/6 (Sect. 16))",
     [document("A/S-23/10/Rev.1"), document("A/78/6 (Sect. 16)")]),
    # "HIV/AIDS" has no number: not a symbol.
    ("the HIV/AIDS pandemic", []),
    # A treaty body's session in parentheses is part of its symbol, read whole.
    ("See ICCD/COP(15)/23.", [document("ICCD/COP(15)/23")]),
    # A series the tables do not know, ending in a modifier: a symbol all the same.
    ("(FCCC/CP/2015/10/Add.1)", [document("FCCC/CP/2015/10/Add.1")]),
    # "Res.5" is a numbered component, not the "/RES/" of a resolution symbol: a document.
    ("See UNEP/EA.5/Res.5.", [document("UNEP/EA.5/Res.5")]),
    # "/DEC/" makes a decision symbol; whose it is (if anyone's) is the resolver's question.
    ("See CBD/COP/DEC/15/4.",
     [resolution("CBD/COP/DEC/15/4", style="symbol", session="15", number="4", decision=True,
                 symbol="CBD/COP/DEC/15/4", body="CBD/COP")]),
    # Decoys: a word pair, a name with a number, a date and a lower-case pair are no symbols.
    ("HIV/AIDS and/or COVID-19 since 10/12, and/or 3/4 of them", []),
    # UNTS, several volumes under one registration number.
    ("United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574.",
     [treaty("United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574",
             registrations=(39574,), volumes=(2225, 2237, 2241, 2326))]),
    # "Nos." and a second group after "; and": one citation per group, none dropped; the
    # pinpoint goes with the last group.
    ("United Nations, Treaty Series, vol. 249, Nos. 3511 and 3512; and vol. 2253, No. 3511, art. 1.",
     [treaty("United Nations, Treaty Series, vol. 249, Nos. 3511 and 3512",
             registrations=(3511, 3512), volumes=(249,)),
      treaty("vol. 2253, No. 3511", registrations=(3511,), volumes=(2253,), pin="art. 1")]),
    # Groups separated by a comma; several volumes with several numbers stay one group.
    ("United Nations, Treaty Series, vols. 1015 and 1016, Nos. 14860 and 14861, vol. 976, No. 14152.",
     [treaty("United Nations, Treaty Series, vols. 1015 and 1016, Nos. 14860 and 14861",
             registrations=(14860, 14861), volumes=(1015, 1016)),
      treaty("vol. 976, No. 14152", registrations=(14152,), volumes=(976,))]),
    # A range of registration numbers is one number each.
    ("United Nations, Treaty Series, vol. 3000, Nos. 55555–55557.",
     [treaty("United Nations, Treaty Series, vol. 3000, Nos. 55555–55557",
             registrations=(55555, 55556, 55557), volumes=(3000,))]),
    # Ibid. restating two groups: the later group is an Ibid. of its own (same series).
    ("Ibid., vol. 249, No. 3511; and vol. 2253, No. 3511.",
     [ibid("Ibid., vol. 249, No. 3511", registrations=(3511,), volumes=(249,)),
      ibid("vol. 2253, No. 3511", registrations=(3511,), volumes=(2253,))]),
    # UNTS with markdown italics.
    ("United Nations, *Treaty Series*, vol. 2349, No. 42146.",
     [treaty("United Nations, *Treaty Series*, vol. 2349, No. 42146")]),
    # Ibid. restating UNTS details, then a resolution in the same footnote.
    ("Ibid., vols. 2171 and 2173, No. 27531; and resolution 66/138, annex.",
     [ibid("Ibid., vols. 2171 and 2173, No. 27531", registrations=(27531,), volumes=(2171, 2173)),
      resolution("66/138", pin="annex")]),
    # Ibid. restating an Official Records volume.
    ("Ibid., 2014, Supplement No. 8 (E/2014/28), chap. I, sect. C.",
     [ibid("Ibid., 2014, Supplement No. 8 (E/2014/28)", year="2014", supplement="8",
           symbols=("E/2014/28",), pin="chap. I, sect. C")]),
    # Ibid. restating only a supplement.
    ("Ibid., Supplement No. 8A (E/2014/28/Add.1).",
     [ibid("Ibid., Supplement No. 8A (E/2014/28/Add.1)", supplement="8A",
           symbols=("E/2014/28/Add.1",))]),
    # A repeated keyword after a relative clause: the earlier list's body is passed on.
    ("General Assembly resolution 70/1, by which it adopted the Agenda, and resolution 71/2",
     [resolution("70/1", body="General Assembly"),
      resolution("71/2", list_body="General Assembly")]),
    # After a new governing phrase nothing is passed on.
    ("General Assembly resolution 70/1, and recalling resolution 71/2",
     [resolution("70/1", body="General Assembly"), resolution("71/2")]),
    # The League of Nations Treaty Series has the UNTS shape but another series.
    ("League of Nations, Treaty Series, vol. 198, No. 4648.",
     [treaty("League of Nations, Treaty Series, vol. 198, No. 4648", registrations=(4648,),
             volumes=(198,), series="League of Nations")]),
    # ... which prints its volumes in Roman numerals: read as numbers.
    ("League of Nations, *Treaty Series*, vols. LXXXIV and CXII, No. 1950.",
     [treaty("League of Nations, *Treaty Series*, vols. LXXXIV and CXII, No. 1950",
             registrations=(1950,), volumes=(84, 112), series="League of Nations")]),
    # The series without volume and number: found, but unknown.
    ("United Nations, Treaty Series, vol. 2225 (see below)",
     [UnknownCitation("United Nations, Treaty Series", 0, 0, metadata={
         "reason": "treaty series named without volume and registration number"})]),
    # Ibid. repeating the whole previous reference, in italics.
    ("*Ibid.*, para. 24 and annex.", [ibid("*Ibid.*", pin="para. 24 and annex")]),
    # Official Records with corrigendum and two symbols.
    ("See Official Records of the Economic and Social Council, 2013, Supplement No. 10 and "
     "corrigendum (E/2013/30 and Corr.1), chap. I, sect. D.",
     [records("Official Records of the Economic and Social Council, 2013, Supplement No. 10 and "
              "corrigendum (E/2013/30 and Corr.1)", year="2013", corrigendum=True,
              symbols=("E/2013/30", "E/2013/30/Corr.1"), pin="chap. I, sect. D")]),
    # Official Records of a General Assembly session, in italics.
    ("*Official Records of the General Assembly, Forty-seventh Session, Supplement No. 40 "
     "(A/47/40)*, annex VI.B.",
     [records("*Official Records of the General Assembly, Forty-seventh Session, Supplement "
              "No. 40 (A/47/40)", body="General Assembly", year=None, session="Forty-seventh",
              supplement="40", symbols=("A/47/40",), pin="annex VI.B")]),
    # Recommendation tags, with and without a space before the item.
    ("the high-level segment. [AP 62(a)] and [LAC 80 (b)]",
     [tag(), tag("[LAC 80 (b)]", region="LAC", paragraph="80", item="b")]),
    # A symbol cut short at a slash by an unjoined line end: kept with a reason, never a
    # shorter symbol ("E/CN") or nothing at all; the whole symbol before it is still found.
    ("(E/CN.7/ 2024/3) and (see CTOC/COP/WG.3/2023/2 and CTOC/COP/ WG.3/2024/1).",
     [UnknownCitation("E/CN.7/", 0, 0, metadata={"reason": CUT_SYMBOL_REASON}),
      document("CTOC/COP/WG.3/2023/2"),
      UnknownCitation("CTOC/COP/", 0, 0, metadata={"reason": CUT_SYMBOL_REASON})]),
    # A symbol followed by a full stop that ends the sentence is whole; one followed by a
    # decimal-like component is not cut there ("E/CN" of "E/CN.15").
    ("See A/79/88. Also E/CN.15/2024/5.", [document("A/79/88"), document("E/CN.15/2024/5")]),
    # Not citations: a keyword without a number, article numbers, page numbers.
    ("relevant General Assembly resolutions, article 32 of the Convention, page 2/8", []),
]


def _found(text: str) -> list[tuple]:
    return [comparable(c) for c in find_citations(text) if not isinstance(c, NameCitation)]


@pytest.mark.parametrize("text, expected", ROWS, ids=[row[0][:40] for row in ROWS])
def test_find_citations(text: str, expected: list) -> None:
    assert _found(text) == [comparable(c) for c in expected]


SPAN_ROWS = [
    # span() is the number, full_span() adds "its", the keyword and the date.
    ("Recalling its resolution 46/152 of 18 December 1991,", "46/152",
     "its resolution 46/152 of 18 December 1991"),
    # The first of a list starts at the body; pinpoints extend the full span.
    ("See General Assembly resolution 69/194, annex.", "69/194",
     "General Assembly resolution 69/194, annex"),
    # A body that a clause separates from the keyword governs the list but is not its text.
    ("the resolutions adopted by the Commission at that session, in particular resolution 66/1,",
     "66/1", "resolution 66/1"),
    # A range of addenda: the printed group is the span of each of its members.
    ("A/79/212 and Add.1–3.", "Add.1–3", "Add.1–3"),
    ("A/79/212 and Add.1 to 3.", "Add.1 to 3", "Add.1 to 3"),
    # A range on the modifier of a whole symbol belongs to the symbol's span.
    ("A/76/120/Add.1–Add.2.", "A/76/120/Add.1–Add.2", "A/76/120/Add.1–Add.2"),
    # Ibid. with restated details.
    ("Ibid., vol. 2349, No. 42146.", "Ibid., vol. 2349, No. 42146", "Ibid., vol. 2349, No. 42146"),
]


@pytest.mark.parametrize("text, span, full_span", SPAN_ROWS, ids=[r[1] for r in SPAN_ROWS])
def test_spans_point_into_the_text(text: str, span: str, full_span: str) -> None:
    # The last citation of the text is the one a row describes.
    citation = [c for c in find_citations(text) if not isinstance(c, NameCitation)][-1]
    assert text[slice(*citation.span())] == span
    assert text[slice(*citation.full_span())] == full_span


def test_one_list_shares_a_group_and_the_next_keyword_starts_another() -> None:
    found = [c for c in find_citations(
        "its resolutions 68/179 of 18 December 2013 and 69/167 and Economic and Social Council "
        "resolutions 2014/23 and 2015/23") if isinstance(c, ResolutionCitation)]
    assert [c.metadata.group for c in found] == [1, 1, 2, 2]


NAME_ROWS = [
    # A body's full name, from bodies.json.
    ("the Commission on Crime Prevention and Criminal Justice", "body", "Commission on Crime "
     "Prevention and Criminal Justice", False),
    # Its short name.
    ("requests the Commission to review", "body", "Commission", True),
    # A treaty's short title from treaties.json.
    ("parties under the Organized Crime Convention and", "treaty", "Organized Crime Convention",
     False),
    # A generic short name.
    ("article 14, paragraph 2, of the Convention, and", "treaty", "Convention", True),
    # A congress by ordinal.
    ("the success of the Thirteenth Congress as", "congress", "Thirteenth Congress", False),
    # A declaration by city.
    ("implementation of the Doha Declaration;", "declaration", "Doha Declaration", False),
]


@pytest.mark.parametrize("text, entity, expected, short", NAME_ROWS, ids=[r[2] for r in NAME_ROWS])
def test_names_are_found_as_mentions(text: str, entity: str, expected: str, short: bool) -> None:
    names = [c for c in find_citations(text) if isinstance(c, NameCitation)]
    assert [(c.metadata.entity, c.metadata.name, c.metadata.short) for c in names] == \
        [(entity, expected, short)]
    assert comparable(names[0])[0] == comparable(name(expected, entity))[0]


def test_a_replacement_tokenizer_is_used() -> None:
    assert find_citations("its resolution 46/152", tokenizer=lambda text: []) == []


def test_name_extractors_skip_only_texts_that_hold_no_name():
    """The words an extractor requires are a filter, never a change of what it finds: every
    name of the tables is still found in a sentence, and a text without them yields nothing."""
    names = ([name for body in data.bodies() for name in (*body.names, *body.short)]
             + [name for item in data.instruments() for name in (item.title, *item.names)])
    texts = [f"Recalling the {name}, and resolution 46/152 of 18 December 1991," for name in names]
    for extractor in default_extractors():
        unfiltered = replace(extractor, strings=(), digit=False)
        for text in texts + ["Recalling its earlier work on the matter,"]:
            assert list(extractor.get_tokens(text)) == list(unfiltered.get_tokens(text)), text


def test_required_strings_found_in_one_pass_never_miss_one():
    """The one-pass search may say a string is there when it is not, never the other way:
    strings inside a longer one, and strings whose start a longer match hides."""
    finder = RequiredStrings(["Protocol", "Protocols", "Conference", "esolution", "ecision",
                              "Office", "Official Records", "/", "("])
    for text in ["the Protocols thereto", "Conferencesolution", "Officecision (A/1)",
                 "Official Records", "Official  Records", "Protocol", "nothing here", ""]:
        assert finder.present(text) >= {string for string in ("Protocol", "Protocols",
                                                               "Conference", "esolution",
                                                               "ecision", "Office",
                                                               "Official Records", "/", "(")
                                         if string in text}, text
    strings = required_strings(default_extractors())
    alphabet = "resolution Resolution Protocols Conference ecision Official Records / . ( e s"
    random = __import__("random").Random(10)
    for _ in range(2000):
        text = "".join(random.choice(alphabet.split(" ") + [" ", ""]) for _ in range(8))
        assert strings.present(text) >= {string for extractor in default_extractors()
                                         for string in extractor.strings if string in text}, text


def test_tokenize_finds_what_every_extractor_finds():
    """Filtering by the strings found in one pass changes no token."""
    for text in ["Recalling its resolution 46/152 of 18 December 1991, the Protocols thereto",
                 "Official Records of the General Assembly, Supplement No. 53 (A/76/53), Ibid.",
                 "the Conference of the States Parties to the Convention decision 10/1",
                 "resolution ٤٦/١٥٢ of ١٨ December ١٩٩١ (A/٧٦/٥٣)", "decision S-X/Y, the Treaty"]:
        expected = sorted((token for extractor in default_extractors()
                           for token in extractor.get_tokens(text)),
                          key=lambda token: (token.start, -token.end))
        assert [(t, t.groups) for t in tokenize(text)] == [(t, t.groups) for t in expected]
        assert tokenize(text, default_extractors()) == expected


def test_article_extractor_finds_what_its_pattern_finds():
    """Found from the names alone, the tokens are the pattern's own matches: the article taken
    only when it is a word before the name, and never from inside the token before."""
    treaty = next(e for e in default_extractors() if isinstance(e, ArticleTokenExtractor))
    plain = TokenExtractor(treaty.kind, treaty.regex)
    for text in ["the Convention against Torture", "bathe  Convention", "the\nthe Convention",
                 "Convention the Convention", "soothe Convention", "the  1988 Convention the",
                 "(the Convention), the\tConvention"]:
        assert list(treaty.get_tokens(text)) == list(plain.get_tokens(text)), text


@pytest.mark.parametrize("text, expected", [
    ("Commission on  Narcotic Drugs, at", "Commission on  Narcotic Drugs"),
    ("Commission on Crime", "Commission"),
    ("Conference of the\nParties to", "Conference of the\nParties"),
    ("Courts", "Court"),
    ("Council", "Council"),
])
def test_alternation_matches_the_longest_listed_phrase(text, expected):
    """Grouped by first character, the alternation still prefers the longest phrase, and any
    white space stands for a space."""
    phrases = ["Court", "Commission", "Council", "Commission on Narcotic Drugs",
               "Conference of the Parties"]
    assert re.compile(alternation(phrases), re.VERBOSE).match(text).group() == expected


def test_literal_alternation_matches_what_a_plain_one_does():
    """Grouped by first character, exact strings match as the plain alternation of them
    longest first: same spans, same strings; a space is a space, not any white space."""
    strings = ["Commission on Narcotic Drugs", "Commission", "Council", "Court", "(Court)",
               "Conference of the Parties", "Office", "A.B"]
    plain = re.compile("|".join(map(re.escape, sorted(strings, key=len, reverse=True))))
    grouped = re.compile(literal_alternation(strings))
    for text in ["the Commission on Narcotic Drugs and the Council", "Commission on\nNarcotic",
                 "(Court) Court Conference of the Parties, Office AxB A.B", ""]:
        assert ([m.group() for m in grouped.finditer(text)] == [m.group() for m in plain.finditer(text)]
                and [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]), text


@pytest.mark.parametrize("phrases", [["Court", "Commission", "Council"], ["(Court)", "Council"]])
def test_word_start_alternation_matches_where_a_leading_word_boundary_does(phrases):
    """``word_start`` puts the word boundary's check after the first character (or keeps
    ``\\b`` when a phrase starts with no word character): the same matches as ``\\b`` before."""
    texts = ["the Court, theCourt, Council-Court", "(Court) x(Court) Councils", "Court\nCouncil"]
    leading = re.compile(r"\b" + alternation(phrases), re.VERBOSE)
    checked = re.compile(alternation(phrases, word_start=True), re.VERBOSE)
    for text in texts:
        assert ([m.span() for m in checked.finditer(text)]
                == [m.span() for m in leading.finditer(text)]), text
