"""Addressees of operative paragraphs: the bodies a directive verb asks to act."""

from pathlib import Path

import pytest

from graph.entities.addressees import find_addressees
from graph.document import CleanText, Document, Paragraph
from graph.readers import read_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _doc(*rows: tuple[str, str]) -> Document:
    paragraphs = [Paragraph(f"para/{i}", "operative", CleanText(text, list(range(len(text)))),
                            number=str(i), opening=opening)
                  for i, (opening, text) in enumerate(rows, 1)]
    return Document(source="t.txt", text="", format="test", paragraphs=paragraphs)


ROWS = [
    # a full name, then the infinitive
    ([("Requests", "Requests the United Nations Office on Drugs and Crime to continue its work;")],
     {"para/1": ["UNODC"]}),
    # two bodies joined by "and", a clause before the infinitive
    ([("Also invites", "Also invites the Commission on Narcotic Drugs and the Secretary-General, "
                       "within existing resources, to report;")], {"para/1": ["CND", "SG"]}),
    # a short name means the body last named in full with it
    ([("Welcomes", "Welcomes the work of the Commission on Crime Prevention and Criminal Justice;"),
      ("Requests", "Requests the Commission to review the implementation of the declaration;")],
     {"para/2": ["CCPCJ"]}),
    # a body named after the infinitive is not addressed
    ([("Urges", "Urges Member States to cooperate with the United Nations Office on Drugs and Crime;")], {}),
    # a verb that addresses nobody
    ([("Decides", "Decides that the Commission on Narcotic Drugs shall meet;")], {}),
    # a short name with nothing named before it stays unresolved
    ([("Requests", "Requests the Commission to report;")], {}),
]


@pytest.mark.parametrize("rows,expected", ROWS, ids=["full-name", "two-bodies", "short-name",
                                                     "after-infinitive", "not-directive", "unknown-short"])
def test_addressees(rows, expected):
    found = find_addressees(_doc(*rows))
    assert {pid: [a.code for a in found[pid]] for pid in found} == expected


def test_spans_point_at_the_name():
    text = "Requests the United Nations Office on Drugs and Crime to act;"
    [addressee] = find_addressees(_doc(("Requests", text)))["para/1"]
    assert text[slice(*addressee.span)] == "United Nations Office on Drugs and Crime"


def test_requests_of_70_174():
    found = find_addressees(read_document(CORPUS / "000_d84c65ec1904ae7a.txt"))
    assert {pid: [a.code for a in found[pid]] for pid in found} == {
        "para/10": ["UNODC"], "para/11": ["UNODC"], "para/13": ["CCPCJ"],
        "para/14": ["SG"], "para/17": ["SG"]}
