"""``unkg extract FILE… --format jsonl``: the JSON-lines contract, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FIELDS = {"document", "location", "footnote", "paragraph", "kind", "body", "session", "number",
          "part", "symbol", "unts", "verb", "text", "span", "iri", "label", "date", "reason"}


def _rows(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_one_json_object_per_citation_with_every_contract_field(capsys) -> None:
    assert main(["extract", str(CORPUS / "000_d84c65ec1904ae7a.txt"), "--format", "jsonl"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert len(rows) == 41
    assert all(set(row) == FIELDS for row in rows)
    fn8 = [row for row in rows if row["footnote"] == "8"]
    assert fn8[0]["unts"] == [{"registration": 39574, "volume": v} for v in (2225, 2237, 2241, 2326)]
    assert all(isinstance(row["span"], list) and len(row["span"]) == 2 for row in rows)


def test_the_compilation_gives_one_other_record_per_tag(capsys) -> None:
    assert main(["extract", str(CORPUS / "003_8c3c0a644e4dd5d6.txt")]) == 0
    rows = _rows(capsys.readouterr().out)
    assert sum(row["kind"] == "other" for row in rows) == 279


def test_the_committee_report_expands_summary_records_and_labels_draft_footnotes(capsys) -> None:
    assert main(["extract", str(CORPUS / "004_1571e35c9475b5fc.txt")]) == 0
    rows = _rows(capsys.readouterr().out)
    records = [row["symbol"] for row in rows
               if row["paragraph"] == "para/2" and row["kind"] == "document"]
    assert records == [f"A/C.3/68/SR.{n}" for n in (6, 7, 8, 16, 22, 26, 36, 46, 52)]
    assert {"VIII:13", "decision:1"} <= {row["footnote"] for row in rows}


def test_an_unreadable_file_is_reported_and_the_others_are_still_extracted(capsys, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    missing = tmp_path / "missing.txt"
    status = main(["extract", str(empty), str(CORPUS / "001_58fb4a8a10c58e57.txt"), str(missing)])
    out, err = capsys.readouterr()
    assert status == 1
    assert "empty.txt" in err and "missing.txt" in err
    assert len(_rows(out)) == 25


def test_an_unknown_format_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(CORPUS / "000_d84c65ec1904ae7a.txt"), "--format", "xml"])
    assert exit_info.value.code == 2
