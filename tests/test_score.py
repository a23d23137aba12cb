"""The scorer's matching and arithmetic on small hand-made rows, and the shape of the truth files."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "bench" / "truth"
CORPUS = ROOT / "corpus"


def _load_score_module():
    """bench/ is a directory of scripts, not a package: load score.py by path."""
    spec = importlib.util.spec_from_file_location("bench_score", ROOT / "bench" / "score.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building classes
    spec.loader.exec_module(module)
    return module


score = _load_score_module()


def res(session, number, body="GA", part=None, location="text", footnote=None, kind="resolution"):
    """A resolution row; defaults to GA in the text, so a table row states only what differs."""
    return {"location": location, "footnote": footnote, "kind": kind, "body": body,
            "session": session, "number": number, "part": part, "symbol": None, "unts": None,
            "text": f"resolution {session}/{number}"}


def doc(symbol, location="footnote", footnote="1"):
    return {"location": location, "footnote": footnote, "kind": "document", "symbol": symbol,
            "text": symbol}


def treaty(registration, volume, footnote="7"):
    return {"location": "footnote", "footnote": footnote, "kind": "treaty",
            "unts": {"registration": registration, "volume": volume}, "text": "Treaty Series"}


def tag(text):
    return {"location": "text", "footnote": None, "kind": "other", "text": text}


# (truth rows, predicted rows, expected (tp, fp, fn) overall)
MATCH_ROWS = [
    ([res("46", "152")], [res("46", "152")], (1, 0, 0)),
    # body spelled out, session with a leading zero, whitespace: same citation
    ([res("46", "152")], [res("046", " 152 ", body="General Assembly")], (1, 0, 0)),
    # a different body is a different resolution: one miss and one false positive
    ([res("22", "6", body="CCPCJ")], [res("22", "6", body="HRC")], (0, 1, 1)),
    # the part matters, its case does not
    ([res("57", "270", part="B")], [res("57", "270", part="b")], (1, 0, 0)),
    ([res("57", "270", part="B")], [res("57", "270")], (0, 1, 1)),
    # a decision is not a resolution
    ([res("74", "550", part="A", kind="decision")], [res("74", "550", part="A")], (0, 1, 1)),
    # multiset: the truth cites 46/152 twice, the prediction finds it once
    ([res("46", "152"), res("46", "152")], [res("46", "152")], (1, 0, 1)),
    # the same citation in a footnote is not the one in the text
    ([res("70", "1", location="footnote", footnote="8")], [res("70", "1")], (0, 1, 1)),
    # footnote labels: whitespace and case of the roman draft number are ignored
    ([res("46", "152", location="footnote", footnote="VIII:13")],
     [res("46", "152", location="footnote", footnote=" viii:13")], (1, 0, 0)),
    # Security Council: the year in parentheses is not a session, so it does not count
    ([res(None, "1373", body="SC")], [res("2001", "1373", body="Security Council")], (1, 0, 0)),
    # a printed symbol on a resolution does not change its identity
    ([res("70", "174")], [{**res("70", "174"), "symbol": "A/RES/70/174"}], (1, 0, 0)),
    # symbols: whitespace and case do not matter, a revision does
    ([doc("A/C.3/68/L.17/Rev.1")], [doc("a/c.3/68/L.17/ Rev.1")], (1, 0, 0)),
    ([doc("A/C.3/68/L.17/Rev.1")], [doc("A/C.3/68/L.17")], (0, 1, 1)),
    # a prediction listing four UNTS volumes is four treaty citations
    ([treaty(39574, v) for v in (2225, 2237, 2241, 2326)],
     [{**treaty(39574, 2225), "unts": [{"registration": 39574, "volume": v}
                                      for v in (2225, 2237, 2241, 2326)]}], (4, 0, 0)),
    ([treaty(39574, 2225)], [treaty(39574, 2237)], (0, 1, 1)),
    # tags: brackets, case and spacing are typography
    ([tag("[LAC 80 (b)]")], [tag("lac 80(b)")], (1, 0, 0)),
    ([tag("[AP 62(a)]")], [tag("[AP 62(b)]")], (0, 1, 1)),
    # nothing predicted
    ([res("46", "152"), doc("A/70/490")], [], (0, 0, 2)),
]
MATCH_IDS = ["same", "body-alias-and-padding", "other-body", "part-case", "part-missing",
             "decision-vs-resolution", "multiset", "text-vs-footnote", "footnote-label",
             "sc-year", "resolution-symbol-ignored", "symbol-normalised", "symbol-revision",
             "unts-list", "unts-volume", "tag-typography", "tag-differs", "no-prediction"]


@pytest.mark.parametrize("truth,pred,expected", MATCH_ROWS, ids=MATCH_IDS)
def test_matching(truth, pred, expected):
    result = score.compare({"doc": truth}, {"doc": pred})
    overall = result.groups["overall"]
    assert (overall.tp, overall.fp, overall.fn) == expected
    assert len(result.misses) == expected[2] and len(result.false_positives) == expected[1]


# (tp, fp, fn, precision, recall, f1); None where the ratio is undefined
ARITHMETIC_ROWS = [
    (8, 2, 0, 0.8, 1.0, 16 / 18),
    (3, 1, 3, 0.75, 0.5, 0.6),
    (0, 2, 2, 0.0, 0.0, 0.0),
    (0, 0, 4, None, 0.0, 0.0),
    (0, 3, 0, 0.0, None, 0.0),
    (0, 0, 0, None, None, None),
]


@pytest.mark.parametrize("tp,fp,fn,precision,recall,f1", ARITHMETIC_ROWS,
                         ids=["perfect-recall", "mixed", "all-wrong", "nothing-predicted",
                              "nothing-true", "empty"])
def test_precision_recall_f1(tp, fp, fn, precision, recall, f1):
    tally = score.Tally(tp, fp, fn)
    for got, expected in ((tally.precision, precision), (tally.recall, recall), (tally.f1, f1)):
        assert got is None if expected is None else got == pytest.approx(expected)


def test_groups_split_by_kind_footnote_and_file():
    truth = {"a": [res("46", "152"), treaty(42146, 2349), doc("A/70/99")],
             "b": [tag("[E 57(g)]")]}
    pred = {"a": [res("46", "152"), treaty(42146, 2349), doc("A/70/98")], "b": []}
    groups = score.compare(truth, pred).groups
    counts = {name: (t.tp, t.fp, t.fn) for name, t in groups.items()}
    assert counts["overall"] == (2, 1, 2)
    assert counts["kind:resolution"] == (1, 0, 0)
    assert counts["kind:treaty"] == (1, 0, 0)
    assert counts["kind:document"] == (0, 1, 1)
    assert counts["kind:other"] == (0, 0, 1)
    assert counts["kind:decision"] == (0, 0, 0)
    assert counts["footnote"] == (1, 1, 1)
    assert counts["file:a"] == (2, 1, 1) and counts["file:b"] == (0, 0, 1)


def test_prediction_file_with_file_field(tmp_path):
    rows = [{**res("46", "152"), "file": "corpus/a.txt"}, {**res("1", "1"), "file": "other.txt"}]
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    loaded = score.load_predictions(path, ["a"])
    assert [r["number"] for r in loaded["a"]] == ["152"]


@pytest.mark.parametrize("content,message", [
    ('{"kind": "resolution"}\nnot json\n', ":2: not JSON"),
    ('[1, 2]\n', ":1: not a JSON object"),
    ('{"kind": "resolution"}\n', "no 'file' field"),
], ids=["bad-json", "not-object", "no-file-field"])
def test_bad_prediction_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "pred.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(score.ScoreError, match=message):
        score.load_predictions(path, ["a"])


def test_main_writes_results_table(tmp_path, monkeypatch, capsys):
    truth_dir = tmp_path / "truth"
    truth_dir.mkdir()
    (truth_dir / "a.jsonl").write_text(json.dumps(res("46", "152")) + "\n", encoding="utf-8")
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    (pred_dir / "a.jsonl").write_text(json.dumps(res("46", "153")) + "\n", encoding="utf-8")
    monkeypatch.setattr(score, "ROOT", tmp_path)
    (tmp_path / "bench").mkdir()
    assert score.main(["--truth", str(truth_dir), "--pred", str(pred_dir), "--show-errors", "--write"]) == 0
    out = capsys.readouterr().out
    assert "| overall | 1 | 1 | 0 | 1 | 1 | 0.000 | 0.000 | 0.000 |" in out
    assert "  - a [text] resolution: GA 46/152" in out and "  + a [text] resolution: GA 46/153" in out
    assert "| kind:resolution | 1 | 1 | 0 | 1 | 1 |" in (tmp_path / "bench" / "results.md").read_text()


TRUTH_FILES = sorted(TRUTH.glob("*.jsonl"))


def test_every_seed_file_has_a_truth_file():
    """The seed files are annotated whole in bench/truth; the real documents' blind truth
    (bench/real/truth) covers some of them, each an existing corpus file."""
    seed_stems = {p.stem for p in CORPUS.glob("[0-9][0-9][0-9]_*.txt")}
    assert {p.stem for p in TRUTH_FILES} == seed_stems
    real = {p.stem for p in (CORPUS.parent / "bench" / "real" / "truth").glob("*.jsonl")}
    assert len(real) >= 15 and real <= {p.stem for p in CORPUS.glob("*.txt")}


@pytest.mark.parametrize("path", TRUTH_FILES, ids=[p.stem for p in TRUTH_FILES])
def test_truth_file_is_valid(path):
    rows = score.read_jsonl(path)
    assert rows, f"{path.name} is empty"
    for number, row in enumerate(rows, 1):
        where = f"{path.name}:{number}"
        assert tuple(row) == score.REQUIRED_FIELDS, where
        assert row["kind"] in score.KINDS, where
        assert row["location"] in score.LOCATIONS, where
        assert (row["footnote"] is None) == (row["location"] == "text"), where
        assert row["text"], where
        if row["kind"] in ("resolution", "decision"):
            assert row["body"] and row["number"], where
            assert row["body"] == "SC" or row["session"], where
            assert row["symbol"] is None and row["unts"] is None, where
        elif row["kind"] == "treaty":
            assert set(row["unts"]) == {"registration", "volume"}, where
            assert all(isinstance(v, int) for v in row["unts"].values()), where
        elif row["kind"] == "document":
            assert row["symbol"] and " " not in row["symbol"], where
        else:
            assert all(row[f] is None for f in ("body", "session", "number", "symbol", "unts")), where
