"""The compilation reader on the regional-meetings mapping exercise (003) and on small
hand-made compilations, including broken ones."""

from collections import Counter
from pathlib import Path

import pytest

from graph.document import ReaderError
from graph.readers import compilation, detect_format, read_document, read_text

CORPUS = Path(__file__).parents[2] / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
MAIN_THEME = ("Main theme of the Congress: “Advancing crime prevention, criminal justice and "
              "the rule of law: towards the achievement of the 2030 Agenda.\"")


@pytest.fixture(scope="module")
def mapping():
    return read_document(next(CORPUS.glob("003_*.txt")))


def test_read_document_picks_the_compilation_reader_by_content():
    text = next(CORPUS.glob("003_*.txt")).read_text(encoding="utf-8")
    assert detect_format(text) is compilation
    assert read_text(text, "renamed.txt").identifier == "congress/14/rpm/compilation"


def test_metadata(mapping):
    assert (mapping.kind, mapping.symbol, mapping.identifier) == (
        "compilation", None, "congress/14/rpm/compilation")
    assert mapping.title == (
        "“A mapping exercise”: compilation of the recommendations -grouped thematically- of the "
        "five regional preparatory meetings for the Fourteenth United Nations Congress on Crime "
        "Prevention and Criminal Justice")
    assert mapping.warnings == []


def test_recommendations_and_tags_are_counted(mapping):
    assert [p.id for p in mapping.paragraphs] == [f"rec/{n}" for n in range(1, 280)]
    assert {p.kind for p in mapping.paragraphs} == {"recommendation"}
    tags = [tag for p in mapping.paragraphs for tag in p.tags]
    assert len(tags) == 279
    assert Counter(tag[1:].split()[0] for tag in tags) == {
        "LAC": 77, "E": 52, "AP": 51, "WA": 50, "A": 49}


@pytest.mark.parametrize("pid, tags, start, end", [
    ("rec/1", ["[AP 62(a)]"], "Building on the successful experience of the Thirteenth Congress",
     "at the opening of the Fourteenth Congress, during the high-level segment."),
    # printed "[LAC 80 (b)]"
    ("rec/8", ["[LAC 80(b)]"], "The Fourteenth Congress, through the Kyoto declaration",
     "up until five years before its intended maturity."),
    # printed "[LAC\n80(e)]"
    ("rec/11", ["[LAC 80(e)]"], "The Kyoto declaration should highlight public-private",
     "to achieve the Sustainable Development Goals."),
    # a line of the text begins with a space: " fora on crime prevention"
    ("rec/216", ["[A 45(b)]"], "Promote and raise awareness on a culture of lawfulness",
     "consider organizing youth fora on crime prevention, criminal justice and the rule of law "
     "at global, regional or national levels."),
    ("rec/279", ["[E 56(g)]"], "", ""),
], ids=["first", "spaced-tag", "wrapped-tag", "indented-line", "last"])
def test_recommendation_text_and_tags(mapping, pid, tags, start, end):
    rec = mapping.paragraph(pid)
    assert rec.tags == tags
    assert rec.text.startswith(start) and rec.text.endswith(end)
    assert "[" not in rec.text and "•" not in rec.text


@pytest.mark.parametrize("pid, heading", [
    ("rec/1", "General issues: Political message and thematic orientation of the Congress - "
              "\"Other issues\" as reflected in the reports of the RPMs"),
    ("rec/24", f"{MAIN_THEME} > Enhancing capacity of crime prevention and criminal justice "
               "institutions and practitioners and strengthening international cooperation"),
    ("rec/279", "International cooperation and technical assistance to prevent and address all "
                "forms of crime: (a) terrorism in all its forms and manifestations; and (b) new "
                "and emerging forms of crime (agenda item 6); and current crime trends, recent "
                "developments and emerging solutions, in particular new technologies as means "
                "for and tools against crime (workshop 4) > New technologies as tools against "
                "crime"),
], ids=["general-issues", "main-theme", "agenda-item-6"])
def test_recommendations_sit_under_their_headings(mapping, pid, heading):
    assert mapping.paragraph(pid).heading == heading


def test_six_groups_of_the_congress_programme(mapping):
    groups = list(dict.fromkeys(p.heading.split(" > ")[0] for p in mapping.paragraphs))
    assert len(groups) == 6
    assert [g for g in groups if "(agenda item" in g] == groups[2:]
    assert sum("(workshop" in g for g in groups) == 4


def test_tag_legend_is_the_title_footnote(mapping):
    [legend] = mapping.footnotes
    assert legend.label == "2"
    assert mapping.text[legend.marker_offset] == "2"
    assert legend.text.startswith("Throughout this document, “[AP…]” stands for the Report of "
                                  "the Asia and Pacific Regional Preparatory Meeting")


def test_spans_point_at_the_source(mapping):
    for rec in mapping.paragraphs:
        start, end = rec.span
        assert mapping.text[start:end].split()[:3] == rec.text.split()[:3]
        assert mapping.text[start:end].split()[-1] == rec.text.split()[-1]


def test_small_compilation_with_furniture():
    small = read_document(FIXTURES / "compilation_small.txt")
    assert small.identifier == "congress/15/rpm/compilation"
    assert [(p.tags, p.heading) for p in small.paragraphs] == [
        (["[AP 10(a)]"], "General issues of the Congress"),
        (["[LAC 20(b)]", "[E 30(c)]"], "General issues of the Congress"),
        (["[WA 12(d)]"], "Prevention of crime (agenda item 3); and data on crime (workshop 1)"
                         " > Community-based crime prevention"),
        (["[A 5(b)]"], "Prevention of crime (agenda item 3); and data on crime (workshop 1)"
                       " > Community-based crime prevention"),
        (["[E 31]"], "Prevention of crime (agenda item 3); and data on crime (workshop 1)"
                     " > Gender-specific measures"),
        (["[E 32(a)]"], "Prevention of crime (agenda item 3); and data on crime (workshop 1)"
                        " > Gender-specific measures"),
    ]
    texts = [p.text for p in small.paragraphs]
    assert texts[2] == ("Involve local communities in crime prevention and in the evaluation of "
                        "multi-stakeholder programmes, in particular in urban areas")
    # a page number and a bullet inside a recommendation do not cut it
    assert texts[3] == ("Improve the collection of data on crime and criminal justice, "
                        "including through surveys of victims.")
    # a bullet glued to its text is not part of it
    assert texts[5] == "Train police officers on gender issues."
    assert [(f.label, f.text[-30:]) for f in small.footnotes] == [
        ("3", " Regional Preparatory Meeting.")]
    assert small.warnings == []


def test_truncated_compilation_warns_about_untagged_text():
    truncated = read_document(FIXTURES / "compilation_truncated.txt")
    assert len(truncated.paragraphs) == 3
    assert truncated.warnings == [
        "text after the last tagged recommendation (truncated file?): "
        "'Promote the exchange of good practices among'"]


@pytest.mark.parametrize("text, message", [
    ("Recommendations of the preparatory meetings\n\nDo this. [AP 1(a)]\nDo that. [E 2]\n"
     "Do more. [A 3(b)]\n", "names no Crime Congress"),
    ("Recommendations of the regional preparatory meetings for the Ninth Congress on Crime "
     "Prevention\n\nNo tag here: [AP] [E] [A]\n", "no reader recognises"),
], ids=["no-congress", "no-tags"])
def test_unreadable_compilations_are_reader_errors(text, message):
    with pytest.raises(ReaderError, match=message):
        read_text(text, "broken.txt")
