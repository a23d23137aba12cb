"""The resolver: found citations plus context in, cited things out (bodies, sessions, Ibid.)."""

from __future__ import annotations

import pytest

from graph import iris
from graph.citations.find import find_citations
from graph.citations.models import Cited, ResolutionCitation
from graph.citations.resolve import Context, resolve_citations, resolve_ibid
from tests.factories import cited, identity


def _resolve(text: str, context: Context) -> list[dict]:
    return [identity(c) for c in resolve_citations(find_citations(text), context)
            if c.kind != "mention"]


# Rows of (issuer of the citing text, text, expected). Each row says what it covers.
ROWS = [
    # "its resolution" in a General Assembly resolution: the Assembly.
    ("GA", "Recalling its resolution 46/152 of 18 December 1991,",
     [cited(date="1991-12-18")]),
    # "its resolution" in a draft of the Third Committee's report: the Assembly adopts it.
    ("GA-C3", "Recalling its resolution 46/152,", [cited()]),
    # A bare number is the issuer's too.
    ("GA", "See resolution 67/234 B.", [cited(session="67", number="234", part="B")]),
    # "its resolution 63.22" in a World Health Assembly text.
    ("WHA", "Recalling its resolution 63.22,", [cited(body="WHA", session="63", number="22")]),
    # ECOSOC's year numbering in an Assembly text is ECOSOC's.
    ("GA", "resolutions 2014/23 of 16 July 2014 and 2015/23 of 21 July 2015",
     [cited(body="ECOSOC", session="2014", number="23", date="2014-07-16"),
      cited(body="ECOSOC", session="2015", number="23", date="2015-07-21")]),
    # A list goes on after a relative clause; a dated number without a keyword is "other".
    ("GA", "Reaffirming its resolutions 62/10 of 1 May 2008, by which it established the Fund, "
           "70/4 of 3 March 2016 and 74/9 of 5 May 2020, and noting 73/4 of 12 April 2019",
     [cited(session="62", number="10", date="2008-05-01"),
      cited(session="70", number="4", date="2016-03-03"),
      cited(session="74", number="9", date="2020-05-05"),
      cited("other", body=None, session=None, number=None)]),
    # Security Council numbers have no session.
    ("GA", "pursuant to resolution 1373 (2001)", [cited(body="SC", session=None, number="1373")]),
    # Old style: Roman session in Arabic numerals; body named in front.
    ("GA", "Economic and Social Council resolution 155 C (VII) of 13 August 1948",
     [cited(body="ECOSOC", session="7", number="155", part="C", date="1948-08-13")]),
    # One body governs the list; a date covers only the numbers of its own session.
    ("GA", "Human Rights Council resolutions 64/293 and 69/195, 69/197 and 69/199 of 18 December "
           "2014",
     [cited(body="HRC", session="64", number="293"),
      cited(body="HRC", session="69", number="195", date="2014-12-18"),
      cited(body="HRC", session="69", number="197", date="2014-12-18"),
      cited(body="HRC", session="69", number="199", date="2014-12-18")]),
    # A range is expanded, and the date after it covers it all.
    ("GA", "resolutions 66/138 to 66/141 of 19 December 2011",
     [cited(session="66", number=str(n), date="2011-12-19") for n in range(138, 142)]),
    # A range across sessions is not expanded: its two ends are kept.
    ("GA", "resolutions 66/138 to 67/2", [cited(session="66", number="138"),
                                          cited(session="67", number="2")]),
    # A body the tables do not know: named by its initials, not taken for the issuer.
    ("GA", "Recalling United Nations Environment Assembly resolution 2/14 of 27 May 2016,",
     [cited(body="UNEA", session="2", number="14", date="2016-05-27")]),
    # ... or by its name when its initials are a known body's code.
    ("GA", "Noting Human Rights Committee resolution 1/2",
     [cited(body="Human Rights Committee", session="1", number="2")]),
    # A one-word organ without "the" is no unknown body; the number's shape decides.
    ("GA", "Recalling also Council resolution 2013/40,",
     [cited(body="ECOSOC", session="2013", number="40")]),
    # A short name without an article means the body last named in full with that short name.
    ("GA", "Taking note of Human Rights Council resolution 48/3 and Council decision 49/102,",
     [cited(body="HRC", session="48", number="3"),
      cited("decision", body="HRC", session="49", number="102")]),
    ("GA", "Invites the Commission on Narcotic Drugs to act in line with Commission\n"
           "                 resolution 65/4,", [cited(body="CND", session="65", number="4")]),
    # A short name before a number the text already cited in full means that body, even
    # when another body of that short name was named since.
    ("GA", "Recalling Commission on Crime Prevention and Criminal Justice resolution 27/3 and "
           "Commission on Narcotic Drugs resolution 61/2, and the repository of Commission "
           "resolution 27/3,",
     [cited(body="CCPCJ", session="27", number="3"), cited(body="CND", session="61", number="2"),
      cited(body="CCPCJ", session="27", number="3")]),
    # Without that earlier citation, the body last named with the short name.
    ("GA", "Recalling Commission on Crime Prevention and Criminal Justice resolution 27/3 and "
           "Commission on Narcotic Drugs resolution 61/2, and Commission resolution 61/5,",
     [cited(body="CCPCJ", session="27", number="3"), cited(body="CND", session="61", number="2"),
      cited(body="CND", session="61", number="5")]),
    # An earlier number of a body without that short name does not count ("Council" is not
    # the Commission on Narcotic Drugs).
    ("GA", "Commission on Narcotic Drugs resolution 49/102 and Human Rights Council resolution "
           "48/3, and Council decision 49/102,",
     [cited(body="CND", session="49", number="102"), cited(body="HRC", session="48", number="3"),
      cited("decision", body="HRC", session="49", number="102")]),
    # A short name shared by bodies of one numbering, none named before: not guessed.
    ("GA", "Recalling Commission resolution 30/2,", [cited("other", body=None, session=None,
                                                           number=None)]),
    # A conference named without its treaty is the conference of the last treaty named.
    ("GA", "the United Nations Convention against Corruption, as decided by the Conference of "
           "the States Parties to the Convention in its resolution 8/2,",
     [cited(body="COSP-UNCAC", session="8", number="2")]),
    ("GA", "the Convention against Transnational Organized Crime, pursuant to resolution 7/1 of "
           "the Conference of the Parties, entitled",
     [cited(body="COP-UNTOC", session="7", number="1")]),
    # The Assembly numbered "session/number" only from its thirty-first session: an earlier
    # "its resolution" number is the body last named that numbers that way ...
    ("GA", "Noting the work of the Commission on Crime Prevention and Criminal Justice and "
           "recalling its resolution 25/1,", [cited(body="CCPCJ", session="25", number="1")]),
    # ... or, with none named, kept as "other"; an old-style number stays the Assembly's.
    ("GA", "Recalling its resolution 12/3 and its resolution 415 (V),",
     [cited("other", body=None, session=None, number=None),
      cited(session="5", number="415")]),
    # ECOSOC numbered "year/number" from 1978 only; a printed body is believed.
    ("GA", "resolution 1975/12 and Economic and Social Council resolution 1976/3",
     [cited("other", body=None, session=None, number=None),
      cited(body="ECOSOC", session="1976", number="3")]),
    # A body named after the number.
    ("GA", "resolution 6/1 of the Conference of the Parties to the United Nations Convention "
           "against Transnational Organized Crime",
     [cited(body="COP-UNTOC", session="6", number="1")]),
    # "by <body> in its resolution": the body, not the issuer.
    ("GA", "As defined by the Commission on Crime Prevention and Criminal Justice in its "
           "resolution 22/6", [cited(body="CCPCJ", session="22", number="6")]),
    # The body that adopted a list, named before it with its session ("the adoption by …").
    ("GA", "Welcoming the adoption by the Conference of the States Parties to the United Nations "
           "Convention against Corruption, at its tenth session, held in Atlanta, United States, "
           "from 11 to 15 December 2023, of resolutions 10/1 to 10/3,",
     [cited(body="COSP-UNCAC", session="10", number=str(n)) for n in (1, 2, 3)]),
    # The body that adopted resolutions at a session, named before "in particular resolution".
    ("GA", "Recalling the resolutions adopted by the Commission on Crime Prevention and Criminal "
           "Justice at its thirty-third session, held in Vienna from 13 to 17 May 2024, in "
           "particular resolution 33/2, entitled", [cited(body="CCPCJ", session="33", number="2")]),
    ("GA", "Welcoming the sixty-sixth session of the Commission on Narcotic Drugs and the "
           "resolutions adopted by the Commission at that session, in particular resolutions "
           "66/1 to 66/3 and 66/8,",
     [cited(body="CND", session="66", number=str(n)) for n in (1, 2, 3, 8)]),
    # "the adoption by the Commission of resolution …": the short name before "of" a keyword.
    ("GA", "Welcoming the work of the Commission on the Status of Women and the adoption by the "
           "Commission of resolution 68/2,", [cited(body="CSW", session="68", number="2")]),
    # The subject that adopted the resolution, with its session between.
    ("GA", "Noting that the Commission on Narcotic Drugs, at its sixty-seventh session, adopted "
           "resolution 67/3,", [cited(body="CND", session="67", number="3")]),
    # "the Security Council, in its resolution": the Council, with its year numbering.
    ("GA", "the Security Council, in its resolution 2331 (2016),",
     [cited(body="SC", session=None, number="2331")]),
    # A Human Rights Council resolution by its symbol.
    ("GA", "A/HRC/RES/53/3", [cited(body="HRC", session="53", number="3",
                                     symbol="A/HRC/RES/53/3")]),
    # A resolution inside a document of a conference of States parties.
    ("GA", "CAC/COSP/2011/14, sect. I.A, resolution 4/1.",
     [cited("document", symbol="CAC/COSP/2011/14"),
      cited(body="COSP-UNCAC", session="4", number="1")]),
    # A repeated keyword continuing a list keeps the body the list began with, across a
    # relative clause with a quoted title: the Assembly's, in a Council text.
    ("HRC", "Recalling General Assembly resolution S-31/1 of 3 May 2020, by which the Assembly "
            "adopted the declaration entitled \"Our pledge: to act, now\", and resolution 78/150 "
            "of 19 December 2023 on fighting fraud,",
     [cited(session="S-31", number="1", date="2020-05-03"),
      cited(session="78", number="150", date="2023-12-19")]),
    # ... the Council's, in an Assembly text, after a bare "and".
    ("GA", "Human Rights Council resolution 50/12 of 7 July 2022 and resolution 52/30,",
     [cited(body="HRC", session="50", number="12", date="2022-07-07"),
      cited(body="HRC", session="52", number="30")]),
    # ... the Security Council's, and a chain of repeated keywords keeps it.
    ("GA", "Security Council resolutions 1267 (1999) and 1989 (2011), resolution 2253 (2015) "
           "and resolution 2368 (2017),",
     [cited(body="SC", session=None, number=n) for n in ("1267", "1989", "2253", "2368")]),
    # ... a commission's, against the issuer.
    ("GA", "Commission on Narcotic Drugs resolution 64/2 of 16 April 2021, and resolution 65/3,",
     [cited(body="CND", session="64", number="2", date="2021-04-16"),
      cited(body="CND", session="65", number="3")]),
    # "its" after another body's list is the issuer.
    ("GA", "Human Rights Council resolution 50/12 and its resolution 77/3,",
     [cited(body="HRC", session="50", number="12"), cited(session="77", number="3")]),
    # A new governing phrase ("and noting") starts a new reference: the issuer again.
    ("GA", "Human Rights Council resolution 50/12, by which the Council acted, and noting "
           "resolution 77/3,", [cited(body="HRC", session="50", number="12"),
                                cited(session="77", number="3")]),
    # So does a new sentence.
    ("GA", "Human Rights Council resolution 50/12 applies. Resolution 77/3 and",
     [cited(body="HRC", session="50", number="12"), cited(session="77", number="3")]),
    # A list body that cannot have issued the number is not inherited: ECOSOC has no
    # "1373 (2001)", the Security Council has.
    ("GA", "Economic and Social Council resolution 2019/19 and resolution 1373 (2001),",
     [cited(body="ECOSOC", session="2019", number="19"),
      cited(body="SC", session=None, number="1373")]),
    # A resolution by its symbol.
    ("ECOSOC", "See A/RES/70/174.", [cited(session="70", number="174", symbol="A/RES/70/174")]),
    # A special session, by number and by symbol.
    ("GA", "Resolution S-23/2, annex", [cited(session="S-23", number="2")]),
    ("GA", "A/RES/S-30/1", [cited(session="S-30", number="1", symbol="A/RES/S-30/1")]),
    # Decisions are their own kind.
    ("GA", "its decision 74/550 B of 12 August 2020",
     [cited("decision", body="GA", session="74", number="550", part="B", date="2020-08-12")]),
    # Without an issuer, a bare number cannot be resolved: kept as "other".
    (None, "resolution 5/1", [cited("other", body=None, session=None, number=None)]),
    # A Roman session that is no numeral: kept as "other".
    ("GA", "resolution 415 (IIII)", [cited("other", body=None, session=None, number=None)]),
    # Summary-record range expanded; continuation numbers kept.
    ("GA-C3", "(A/C.3/68/SR.6-8, 16)",
     [cited("document", symbol=f"A/C.3/68/SR.{n}") for n in (6, 7, 8, 16)]),
    # A joint symbol is one document.
    ("GA", "CTOC/COP/WG.2/2012/3-CTOC/COP/WG.3/2012/4.",
     [cited("document", symbol="CTOC/COP/WG.2/2012/3-CTOC/COP/WG.3/2012/4")]),
    # A joint symbol printed with an en dash (PDF text) or a non-breaking hyphen: one
    # document, the dash kept as printed.
    ("GA", "A/78/112–E/2023/79.", [cited("document", symbol="A/78/112–E/2023/79")]),
    ("GA", "A/78/112\u2011E/2023/79.", [cited("document", symbol="A/78/112\u2011E/2023/79")]),
    # A PDF line that ends at the dash of a joint symbol does not split it.
    ("GA", "A/78/112–\n                 E/2023/79.",
     [cited("document", symbol="A/78/112–E/2023/79")]),
    # A summary-record range with en dashes, in the list and in its continuation.
    ("GA-C3", "(A/C.3/77/SR.3–5 and 9–10)",
     [cited("document", symbol=f"A/C.3/77/SR.{n}") for n in (3, 4, 5, 9, 10)]),
    # A decision symbol of a series no known body issues: the document, by its symbol.
    ("GA", "See CBD/COP/DEC/15/4.",
     [cited("document", symbol="CBD/COP/DEC/15/4")]),
    # ... with a corrigendum, and with the body named before "decision": still the document.
    ("GA", "CBD/COP/DEC/15/4/Corr.1.", [cited("document", symbol="CBD/COP/DEC/15/4/Corr.1")]),
    ("GA", "Conference of the Parties decision CBD/COP/DEC/15/4",
     [cited("document", symbol="CBD/COP/DEC/15/4")]),
    # A resolution symbol of a known series is still the body's resolution.
    ("GA", "See A/RES/70/174.", [cited(session="70", number="174", symbol="A/RES/70/174")]),
    # Symbols of treaty bodies and of series the tables do not know are documents.
    ("GA", "ICCD/COP(15)/23; FCCC/CP/2015/10; UNEP/EA.5/Res.14; CRC/C/GC/25.",
     [cited("document", symbol=s) for s in ("ICCD/COP(15)/23", "FCCC/CP/2015/10",
                                            "UNEP/EA.5/Res.14", "CRC/C/GC/25")]),
    # A range of addenda after "and", with an en dash: every addendum is a document.
    ("GA", "A/79/212 and Add.1–3.",
     [cited("document", symbol=s) for s in ("A/79/212", "A/79/212/Add.1", "A/79/212/Add.2",
                                            "A/79/212/Add.3")]),
    # ... with a hyphen.
    ("GA", "E/CN.7/2024/4 and Add.1-2.",
     [cited("document", symbol=s) for s in ("E/CN.7/2024/4", "E/CN.7/2024/4/Add.1",
                                            "E/CN.7/2024/4/Add.2")]),
    # ... in words.
    ("GA", "A/78/301 and Add.2 to 4;",
     [cited("document", symbol=s) for s in ("A/78/301", "A/78/301/Add.2", "A/78/301/Add.3",
                                            "A/78/301/Add.4")]),
    # ... with the prefix repeated at the end of the range.
    ("GA", "CTOC/COP/2024/6 and Add.1–Add.3",
     [cited("document", symbol=s) for s in ("CTOC/COP/2024/6", "CTOC/COP/2024/6/Add.1",
                                            "CTOC/COP/2024/6/Add.2", "CTOC/COP/2024/6/Add.3")]),
    # A list of addenda ending a sentence: the full stop does not hide the last one.
    ("GA", "A/77/95 and Add.1 and 2.",
     [cited("document", symbol=s) for s in ("A/77/95", "A/77/95/Add.1", "A/77/95/Add.2")]),
    # A list of corrigenda, as of addenda.
    ("GA", "E/2019/30 and Corr.1 and 2.",
     [cited("document", symbol=s) for s in ("E/2019/30", "E/2019/30/Corr.1", "E/2019/30/Corr.2")]),
    # A range printed on the modifier of a whole symbol.
    ("GA", "A/76/120/Add.1–Add.2.",
     [cited("document", symbol=s) for s in ("A/76/120/Add.1", "A/76/120/Add.2")]),
    # A summary-record range in words, and the meeting that continues it.
    ("GA-C3", "A/C.3/79/SR.4 to 6, 12.",
     [cited("document", symbol=f"A/C.3/79/SR.{n}") for n in (4, 5, 6, 12)]),
    # Official Records: a range of addenda inside the parentheses.
    ("GA", "Official Records of the General Assembly, Seventy-ninth Session, Supplement No. 6 "
           "(A/79/6 and Add.1–2).",
     [cited("document", symbol=s) for s in ("A/79/6", "A/79/6/Add.1", "A/79/6/Add.2")]),
    # ... and a list of corrigenda.
    ("GA", "Official Records of the Economic and Social Council, 2023, Supplement No. 8 "
           "(E/2023/28 and Corr.1 and 2).",
     [cited("document", symbol=s) for s in ("E/2023/28", "E/2023/28/Corr.1", "E/2023/28/Corr.2")]),
    # A day of a month after a record is no end of a range.
    ("GA-C3", "A/C.3/79/SR.16 to 18 October",
     [cited("document", symbol="A/C.3/79/SR.16")]),
    # A range of resolutions with an en dash, expanded like "66/138 to 66/141".
    ("GA", "resolutions 71/208–71/210 of 19 December 2016",
     [cited(session="71", number=str(n), date="2016-12-19") for n in (208, 209, 210)]),
    # Official Records: the document by its printed symbol.
    ("GA", "See Official Records of the Economic and Social Council, 2015, Supplement No. 10 "
           "(E/2015/30).", [cited("document", symbol="E/2015/30")]),
    # Official Records of the Assembly without a symbol: the supplement's symbol pattern.
    ("GA", "Official Records of the General Assembly, Sixty-seventh Session, Supplement No. 53 "
           "and corrigendum, chap. IV",
     [cited("document", symbol="A/67/53"), cited("document", symbol="A/67/53/Corr.1")]),
    # Official Records of ECOSOC without a symbol: no pattern, kept as "other".
    ("GA", "Official Records of the Economic and Social Council, 2015, Supplement No. 10",
     [cited("other")]),
    # A known treaty gets its title from treaties.json.
    ("GA", "United Nations, Treaty Series, vol. 2349, No. 42146.",
     [cited("treaty", unts=[{"registration": 42146, "volume": 2349}],
            label="United Nations Convention against Corruption")]),
    # An unknown UNTS number is still a treaty, without a title.
    ("GA", "United Nations, Treaty Series, vol. 3000, No. 55555.",
     [cited("treaty", unts=[{"registration": 55555, "volume": 3000}])]),
    # One registration number, four instruments.
    ("GA", "United Nations, Treaty Series, vols. 2225, 2237, 2241 and 2326, No. 39574.",
     [cited("treaty", unts=[{"registration": 39574, "volume": v}
                            for v in (2225, 2237, 2241, 2326)])]),
    # One volume with "Nos.": one treaty per number, each in that volume (numbers the table
    # does not know, so no titles).
    ("GA", "United Nations, Treaty Series, vol. 3100, Nos. 60001 and 60002.",
     [cited("treaty", unts=[{"registration": 60001, "volume": 3100}]),
      cited("treaty", unts=[{"registration": 60002, "volume": 3100}])]),
    # Every group is read: "; and vol. 3200, No. 60001" is a third treaty.
    ("GA", "United Nations, Treaty Series, vol. 3100, Nos. 60001 and 60002; and vol. 3200, No. 60001.",
     [cited("treaty", unts=[{"registration": 60001, "volume": 3100}]),
      cited("treaty", unts=[{"registration": 60002, "volume": 3100}]),
      cited("treaty", unts=[{"registration": 60001, "volume": 3200}])]),
    # As many volumes as numbers: paired in printed order.
    ("GA", "United Nations, Treaty Series, vols. 3110 and 3111, Nos. 60010 and 60011.",
     [cited("treaty", unts=[{"registration": 60010, "volume": 3110}]),
      cited("treaty", unts=[{"registration": 60011, "volume": 3111}])]),
    # Counts that do not pair are "other" with a reason, and the next group is still read.
    ("GA", "United Nations, Treaty Series, vols. 1, 2 and 3, Nos. 10 and 11, vol. 3120, No. 60020.",
     [cited("other"), cited("treaty", unts=[{"registration": 60020, "volume": 3120}])]),
    # The League of Nations series with "Nos.": one League treaty per number.
    ("GA", "League of Nations, Treaty Series, vol. CLXXIX, Nos. 4137 and 4138.",
     [cited("treaty", number="4137", unts=[]), cited("treaty", number="4138", unts=[])]),
    # A League of Nations Treaty Series reference is a treaty with the League's number and
    # IRI, and no UN Treaty Series numbers.
    ("GA", "League of Nations, Treaty Series, vol. CLXXIX, No. 4137.",
     [cited("treaty", number="4137", unts=[])]),
    # A treaty series without volume and number is kept as "other".
    ("GA", "United Nations, Treaty Series, vol. 2225 (see below)", [cited("other")]),
    # A recommendation tag is kept as "other" with its paragraph.
    ("UNODC", "[AP 62(a)]", [cited("other", body="AP", number="62(a)")]),
]


@pytest.mark.parametrize("issuer, text, expected", ROWS, ids=[f"{r[0]}:{r[1][:40]}" for r in ROWS])
def test_resolve_citations(issuer: str | None, text: str, expected: list[Cited]) -> None:
    assert _resolve(text, Context(issuer=issuer)) == [identity(c) for c in expected]


# Rows of (issuer, session of the citing text, text, expected): numbers the issuer cannot yet
# have adopted when the citing text was.
SESSION_ROWS = [
    # A bare number of a later session than a Council text's own is not the Council's: the
    # body named before that can have issued it is.
    ("HRC", "57", "Recalling General Assembly resolution 78/1 and Human Rights Council resolution "
                  "54/2, and noting resolution 79/12,",
     [cited(session="78", number="1"), cited(body="HRC", session="54", number="2"),
      cited(session="79", number="12")]),
    # ... and with none named, it is kept as "other" with the reason.
    ("HRC", "57", "Recalling its resolution 79/12,", [cited("other", body=None, session=None,
                                                            number=None)]),
    # A number of the text's own session is the issuer's.
    ("GA", "79", "Recalling its resolution 79/12,", [cited(session="79", number="12")]),
    # ECOSOC's years: a later year than the text's is impossible too.
    ("ECOSOC", "2024", "Recalling its resolution 2025/3,", [cited("other", body=None, session=None,
                                                                  number=None)]),
]


@pytest.mark.parametrize("issuer, session, text, expected", SESSION_ROWS,
                         ids=[f"{r[0]}-{r[1]}:{r[2][:30]}" for r in SESSION_ROWS])
def test_issuer_numbers_not_later_than_the_citing_text(issuer: str, session: str, text: str,
                                                        expected: list[Cited]) -> None:
    expected_identities = [identity(c) for c in expected]
    assert _resolve(text, Context(issuer=issuer, session=session)) == expected_identities


# Footnote sequences, resolved in order with one context (eyecite's checkResolution rows):
# each footnote's expected symbols / UNTS volumes / resolution numbers.
IBID_ROWS = [
    # Ibid. keeps the UNTS series and takes the restated volume and number.
    (["United Nations, Treaty Series, vol. 2349, No. 42146.",
      "Ibid., vols. 2225, 2237, 2241 and 2326, No. 39574."],
     [["42146/2349"], ["39574/2225", "39574/2237", "39574/2241", "39574/2326"]]),
    # With nothing restated Ibid. repeats the previous reference; a chain keeps repeating it.
    (["A/CONF.234/16.", "Ibid., para. 24 and annex.", "Ibid."],
     [["A/CONF.234/16"], ["A/CONF.234/16"], ["A/CONF.234/16"]]),
    # Ibid. keeps the Official Records series (ECOSOC) and overrides year and symbol.
    (["See Official Records of the Economic and Social Council, 2009, Supplement No. 8 "
      "(E/2009/28), chap. I, sect. C.",
      "Ibid., 2014, Supplement No. 8 (E/2014/28), chap. I, sect. C."],
     [["E/2009/28"], ["E/2014/28"]]),
    # Ibid. of Assembly records without a symbol: the series gives the symbol pattern.
    (["Official Records of the General Assembly, Sixty-seventh Session, Supplement No. 53 "
      "(A/67/53).", "Ibid., Sixty-eighth Session, Supplement No. 53."],
     [["A/67/53"], ["A/68/53"]]),
    # Ibid. after a footnote of two references repeats both.
    (["Ibid., vols. 2171 and 2173, No. 27531; and resolution 66/138, annex.", "Ibid."],
     [["27531/2171", "27531/2173", "66/138"], ["27531/2171", "27531/2173", "66/138"]]),
    # The League of Nations Treaty Series is not the UNTS, nor is an Ibid. that follows it
    # (Roman volume): both are League treaties; a UNTS reference after them is the UN's again.
    (["League of Nations, Treaty Series, vol. 198, No. 4648.", "Ibid., vol. LX, No. 1414.",
      "United Nations, Treaty Series, vol. 520, No. 7515.", "Ibid., vol. 976, No. 14152."],
     [["lnts/4648"], ["lnts/1414"], ["7515/520"], ["14152/976"]]),
    # Ibid. after a footnote of several groups repeats all of them; an Ibid. restating two
    # groups keeps the series for both.
    (["United Nations, Treaty Series, vol. 249, Nos. 3511 and 3512; and vol. 2253, No. 3511.",
      "Ibid.", "Ibid., vol. 1015, No. 14860, and vol. 1016, No. 14861."],
     [["3511/249", "3512/249", "3511/2253"], ["3511/249", "3512/249", "3511/2253"],
      ["14860/1015", "14861/1016"]]),
    # Ibid. with nothing before it, or after prose or a sales number, cites nothing either.
    (["Ibid.", "Available from www.unodc.org.", "Ibid."], [[], [], []]),
    (["United Nations publication, Sales No. E.05.II.A.4.", "Ibid., annex II."], [[], []]),
]


def _short(item: Cited) -> list[str]:
    if item.kind == "treaty":
        return [f"{u['registration']}/{u['volume']}" for u in item.unts] or [
            (item.iri or "").partition("/treaty/")[2]]
    if item.kind == "document":
        return [item.symbol or ""]
    if item.kind == "resolution":
        return [f"{item.session}/{item.number}"]
    return [item.kind]


@pytest.mark.parametrize("footnotes, expected", IBID_ROWS, ids=[r[0][-1][:30] for r in IBID_ROWS])
def test_ibid_chains_across_footnotes(footnotes: list[str], expected: list[list[str]]) -> None:
    context = Context(issuer="GA")
    results = []
    for text in footnotes:
        found = [c for c in resolve_citations(find_citations(text), context) if c.kind != "mention"]
        context.previous = found
        results.append([short for item in found for short in _short(item)])
    assert results == expected


# "its" in an operative paragraph that directs a body to act: (paragraphs of a General Assembly
# text of 2025 in order, body/session/number of every resolution the last one cites).
ITS_ROWS = [
    # The addressed conference adopts resolutions and the number is of a session it has held.
    (["Invites the Conference of the States Parties to the United Nations Convention against "
      "Corruption to consider, at its eleventh session, the matter, in accordance with its "
      "resolution 10/2,"], ["COSP-UNCAC 10/2"]),
    # ... by its short name, although another body was named in full last ("Human Rights
    # Council" could have issued a 9/3 too).
    (["Welcoming the work of the Conference of the States Parties to the United Nations "
      "Convention against Corruption,", "Taking note of the reports of the Human Rights Council,",
      "Invites the Conference of the States Parties to consider, in accordance with its "
      "resolution 9/3,"], ["COSP-UNCAC 9/3"]),
    # A commission directed to act, "its" a number the Assembly could also have adopted in 1977:
    # the subject of the infinitive is meant.
    (["Noting the work of the Commission on Crime Prevention and Criminal Justice,",
      "Requests the Commission to act pursuant to its resolution 32/1,"], ["CCPCJ 32/1"]),
    # The Secretary-General adopts no resolutions: "its" stays the issuer.
    (["Requests the Secretary-General to report on the implementation of its resolution "
      "79/190,"], ["GA 79/190"]),
    # A number the addressed body cannot have reached (eleven sessions by 2025) is the issuer's.
    (["Invites the Conference of the States Parties to the United Nations Convention against "
      "Corruption to consider its resolution 79/4,"], ["GA 79/4"]),
    # The document cited the number from the issuer before, and never from the addressee.
    (["Recalling its resolution 31/3,", "Requests the Commission on Narcotic Drugs to act "
      "pursuant to its resolution 31/3,"], ["GA 31/3"]),
    # The document cited the addressee's number before: that body again.
    (["Welcoming the adoption by the Commission on Narcotic Drugs of resolution 66/2,",
      "Encourages the Commission on Narcotic Drugs to continue, in line with its resolution "
      "66/2, its work,"], ["CND 66/2"]),
    # A special-session number is not of a commission's own numbering: the Assembly's.
    (["Calls upon the Commission on Narcotic Drugs to follow up on its resolution S-30/1,"],
     ["GA S-30/1"]),
    # A preambular paragraph keeps "its" for the issuer, whatever body it names.
    (["Inviting the Commission on Narcotic Drugs to take note of its resolution 66/5,"],
     ["GA 66/5"]),
    # "its" read as the issuer cannot be (no Assembly "10/6"): the body the document already
    # cited a 10/6 from wins over the body named in full last.
    (["Recalling resolution 10/6 of the Conference of the States Parties to the United Nations "
      "Convention against Corruption,", "Taking note of the reports of the Human Rights Council,",
      "Noting its resolution 10/6,"], ["COSP-UNCAC 10/6"]),
    # "its" owned by a possessive body in the same clause, whose numbers the document already
    # cited in full: that body, not the issuer.
    (["Recalling Commission on the Status of Women resolutions 60/2 and 63/1,",
      "Urges States to apply the guidance of the Commission on the Status of Women, notably "
      "that set out in its resolutions 60/2 and 63/1,"], ["CSW 60/2", "CSW 63/1"]),
    # ... also not cited before, when the number is of a session the body has held.
    (["Takes note of the recommendations of the Commission on Narcotic Drugs, in particular "
      "those in its resolution 67/2,"], ["CND 67/2"]),
    # ... but a number it cannot have reached stays the issuer's.
    (["Takes note of the recommendations of the Commission on Narcotic Drugs, in particular "
      "those in its resolution 78/12,"], ["GA 78/12"]),
    # The object of a coordinated second verb owns "its" when the number fits it.
    (["Invites States to share data, and invites the Commission on Narcotic Drugs to consider "
      "them in the follow-up to its resolution 67/3;"], ["CND 67/3"]),
    # "its" at the start of a preambular paragraph stays the issuer's.
    (["Recalling the work of the Commission on Narcotic Drugs,", "Recalling its resolution "
      "67/3,"], ["GA 67/3"]),
]


@pytest.mark.parametrize("texts, expected", ITS_ROWS, ids=[r[0][-1][:50] for r in ITS_ROWS])
def test_its_means_the_body_directed_to_act_when_the_number_is_its_own(
        texts: list[str], expected: list[str]) -> None:
    context = Context(issuer="GA", session="80", year=2025)
    for text in texts:
        cited = [c for c in resolve_citations(find_citations(text), context) if c.kind != "mention"]
    assert [f"{c.body} {c.session}/{c.number}" for c in cited] == expected


# Short names resolve to what the same document named before: (texts in order, expected IRI
# path of the last text's mention).
NAME_ROWS = [
    # "the Commission" after the Commission on Narcotic Drugs.
    (["the Commission on Narcotic Drugs met", "requests the Commission to"], "org/cnd"),
    # "the Convention" after the Convention against Corruption.
    (["the United Nations Convention against Corruption", "article 5 of the Convention"],
     "treaty/unts/42146/2349"),
    # A short title from the table, with no earlier mention.
    (["parties under the Organized Crime Convention"], "treaty/unts/39574/2225"),
    # A congress by ordinal.
    (["the success of the Thirteenth Congress"], "congress/13"),
    # A declaration: the one of the congress in context.
    (["the Thirteenth United Nations Congress on Crime Prevention and Criminal Justice",
      "implementation of the Doha Declaration"], "congress/13/declaration"),
]


@pytest.mark.parametrize("texts, expected", NAME_ROWS, ids=[r[1] for r in NAME_ROWS])
def test_short_names_mean_what_the_context_named(texts: list[str], expected: str) -> None:
    context = Context(issuer="GA")
    for text in texts:
        mentions = [c for c in resolve_citations(find_citations(text), context)
                    if c.kind == "mention"]
    assert mentions[-1].iri is not None and mentions[-1].iri.endswith("/" + expected)


def test_short_names_govern_the_body_of_its_resolution() -> None:
    context = Context(issuer="GA")
    resolve_citations(find_citations("the Commission on Crime Prevention and Criminal Justice"),
                      context)
    assert _resolve("as requested by the Commission in its resolution 23/1",
                    context) == [identity(cited(body="CCPCJ", session="23", number="1"))]


def test_a_short_name_after_a_number_means_the_body_named_before() -> None:
    context = Context(issuer="GA")
    resolve_citations(find_citations(
        "the Conference of the Parties to the United Nations Convention against Transnational "
        "Organized Crime"), context)
    assert _resolve("pursuant to resolution 6/1 of the Conference, entitled", context) == [
        identity(cited(body="COP-UNTOC", session="6", number="1"))]


def test_a_short_name_of_the_issuer_needs_no_earlier_mention() -> None:
    text = "the Convention, adopted by the Assembly in its resolution 58/4 of 31 October 2003"
    assert _resolve(text, Context(issuer="GA")) == [
        identity(cited(session="58", number="4", date="2003-10-31"))]
    # Without an antecedent, "the Commission" means nothing in an Assembly text.
    context = Context(issuer="GA")
    [mention] = [c for c in resolve_citations(find_citations("the Commission"), context)]
    assert (mention.kind, mention.iri) == ("mention", None)


def test_a_tag_is_placed_below_the_congress_in_context() -> None:
    context = Context(issuer="UNODC")
    resolve_citations(find_citations("the Fourteenth Congress"), context)
    [item] = resolve_citations(find_citations("[AP 62(a)]"), context)
    assert item.iri and item.iri.endswith("congress/14/rpm/ap/report/para/62/a")


def test_a_resolver_can_be_replaced_and_fall_back_to_the_default() -> None:
    calls = []

    def my_ibid(citation, context):
        calls.append(citation.matched)
        return resolve_ibid(citation, context)

    context = Context(issuer="GA", previous=[cited("document", symbol="A/70/99")])
    result = resolve_citations(find_citations("Ibid., annex."), context, resolve_ibid=my_ibid)
    assert calls == ["Ibid."] and [c.symbol for c in result] == ["A/70/99"]


def test_iris_follow_the_design() -> None:
    found = resolve_citations(find_citations(
        "General Assembly resolution 57/270 B, resolution 1373 (2001) and decision 74/550 A"),
        Context(issuer="GA"))
    iris = [c.iri for c in found if c.kind != "mention"]
    assert [i.split("unkg/")[1] for i in iris] == ["res/ga/57/270/B", "res/sc/1373",
                                                    "dec/ga/74/550/A"]


def test_an_impossible_default_body_is_kept_as_other_with_the_reason() -> None:
    [item] = [c for c in resolve_citations(find_citations("Recalling its resolution 12/3,"),
                                           Context(issuer="GA")) if c.kind != "mention"]
    assert (item.kind, item.text) == ("other", "12/3")
    assert item.reason and item.reason.startswith("GA did not number resolutions")


# Printed body names that are fragments, not names, with the short name they end with: (text
# naming the body in full first, fragment printed as the body, expected body).
FRAGMENT_ROWS = [
    # A word glued to a footnote marker: no code "CC" is invented; "Conference" is the
    # conference named before.
    ("resolution 9/1 of the Conference of the States Parties to the United Nations Convention "
     "against Corruption,", "Corruption5 and Conference", "COSP-UNCAC"),
    # A fragment ending in a known short name ("Commission") means the commission named before.
    ("Commission on Narcotic Drugs resolution 66/1,", "Drugs2 Commission", "CND"),
]


@pytest.mark.parametrize("named, printed, expected", FRAGMENT_ROWS, ids=[r[1] for r in FRAGMENT_ROWS])
def test_a_fragment_printed_as_a_body_falls_back_to_its_short_name(named: str, printed: str,
                                                                   expected: str) -> None:
    context = Context(issuer="GA", session="80", year=2025)
    resolve_citations(find_citations(named), context)
    fragment = ResolutionCitation("9/6", 0, 3, {}, {"session": "9", "number": "6",
                                                   "style": "session", "body": printed})
    assert [(c.kind, c.body) for c in resolve_citations([fragment], context)] == [
        ("resolution", expected)]


def test_numbers_inside_a_range_cite_the_whole_range_and_its_ends_themselves() -> None:
    text = "Recalling resolutions 10/1 to 10/4 of 15 December 2023,"
    found = [c for c in resolve_citations(find_citations(text), Context(issuer="COSP-UNCAC"))
             if c.kind != "mention"]
    assert [(c.number, c.text, text[slice(*c.span)]) for c in found] == [
        ("1", "10/1", "resolutions 10/1"),
        ("2", "10/1 to 10/4 of 15 December 2023", "10/1 to 10/4 of 15 December 2023"),
        ("3", "10/1 to 10/4 of 15 December 2023", "10/1 to 10/4 of 15 December 2023"),
        ("4", "10/4", "10/4 of 15 December 2023")]


def test_a_body_named_inside_a_citation_is_what_its_short_name_means_later() -> None:
    context = Context(issuer="GA")
    _resolve("the annex to resolution 4/1 of the Conference of the States Parties to the United "
             "Nations Convention against Corruption,", context)
    assert _resolve("as decided in Conference decision 5/102,", context) == [
        identity(cited("decision", body="COSP-UNCAC", session="5", number="102"))]


@pytest.mark.parametrize("text", [
    "Security Council resolution 2322 (2016) of 12 December 2016",  # by body and number
    "See S/RES/2322 (2016).",  # by its symbol alone
], ids=["by-number", "by-symbol"])
def test_security_council_resolutions_are_named_by_number_alone(text):
    [cited] = [c for c in resolve_citations(find_citations(text), Context(issuer="GA"))
               if c.kind != "mention"]
    assert (cited.kind, cited.body, cited.session, cited.number) == ("resolution", "SC", None, "2322")
    assert cited.iri == str(iris.resolution("SC", "", "2322"))
