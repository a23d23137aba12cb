"""Score ``unkg extract --format jsonl`` output against the hand-annotated citations in bench/truth.

Usage::

    python bench/score.py [--truth bench/truth] (--pred PRED | --run) [--show-errors] [--write]

``--run`` calls ``unkg extract <corpus file> --format jsonl`` once per truth file (the ``unkg``
installed next to the running interpreter, so the venv's own CLI is scored). ``--pred`` reads
saved output instead: a directory of ``<corpus stem>.jsonl`` files, or one JSONL file whose rows
carry a ``file`` field naming the corpus file.

A citation is identified by the key (document file, location, footnote, kind, body, session,
number, part, symbol, UNTS registration, UNTS volume) and truth and prediction are compared as
multisets of keys, so a resolution cited twice in one paragraph must be found twice. Only the
fields that identify a thing of that kind enter the key (see ``citation_key``); the rest of a
prediction (span, verb, iri, text) is not scored, because the truth records what was cited, not
how an extractor chooses to describe it. Normalisation, documented in bench/truth/README.md:

* body: case-insensitive, full names and symbol prefixes mapped to the short code (``BODY_ALIASES``);
* session / number: surrounding whitespace and leading zeros dropped, ``s-23`` -> ``S-23``;
  Security Council resolutions have no session (their number is global; the printed year is
  redundant), so the session is left out of their key;
* part: upper case, empty -> none;
* symbol (documents): all whitespace removed, upper case;
* footnote label: whitespace removed, upper case (``viii:13`` -> ``VIII:13``);
* unts: a prediction may carry a list of ``{"registration", "volume"}`` objects; each becomes one
  citation, as in the truth (one record per volume);
* kind ``other``: the text, case-folded, without enclosing brackets and without whitespace, is the key.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("resolution", "decision", "treaty", "document", "other")
REQUIRED_FIELDS = ("location", "footnote", "kind", "body", "session", "number", "part", "symbol",
                   "unts", "text")
LOCATIONS = ("text", "footnote")
# Groups always reported, even when empty, so that tables of different runs line up.
FIXED_GROUPS = ["overall", *(f"kind:{k}" for k in KINDS), "footnote"]

# Spellings an extractor may reasonably use for a body, mapped to the short code of the contract.
BODY_ALIASES: dict[str, str] = {
    "GENERAL ASSEMBLY": "GA", "A": "GA",
    "ECONOMIC AND SOCIAL COUNCIL": "ECOSOC", "E": "ECOSOC",
    "SECURITY COUNCIL": "SC", "S": "SC",
    "HUMAN RIGHTS COUNCIL": "HRC", "A/HRC": "HRC",
    "COMMISSION ON CRIME PREVENTION AND CRIMINAL JUSTICE": "CCPCJ", "E/CN.15": "CCPCJ",
    "COMMISSION ON NARCOTIC DRUGS": "CND", "E/CN.7": "CND",
    "CAC/COSP": "COSP-UNCAC", "COSP": "COSP-UNCAC",
    "CTOC/COP": "COP-UNTOC", "COP": "COP-UNTOC",
    "WORLD HEALTH ASSEMBLY": "WHA",
}

Key = tuple[Any, ...]
Row = dict[str, Any]


class ScoreError(Exception):
    """Input the scorer cannot use (missing file, bad JSON, failed extractor run)."""


def _strip(value: Any) -> str | None:
    """The value as a trimmed string, or None for null/empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _numeral(value: Any) -> str | None:
    """A session or number: trimmed, upper case, leading zeros of a plain number dropped."""
    text = _strip(value)
    if text is None:
        return None
    text = re.sub(r"\s+", "", text).upper()
    return (text.lstrip("0") or "0") if text.isdigit() else text


def normalise_body(value: Any) -> str | None:
    """The contract's short code for a body, whatever spelling the prediction used."""
    text = _strip(value)
    if text is None:
        return None
    upper = re.sub(r"\s+", " ", text).upper()
    return BODY_ALIASES.get(upper, upper)


def normalise_footnote(value: Any) -> str | None:
    """A footnote label as printed, without whitespace; roman draft numbers in upper case."""
    text = _strip(value)
    return re.sub(r"\s+", "", text).upper() if text else None


def normalise_symbol(value: Any) -> str | None:
    """A UN symbol compared without whitespace and case (``A/C.3/68/L.17/Rev.1``)."""
    text = _strip(value)
    return re.sub(r"\s+", "", text).upper() if text else None


def normalise_other_text(value: Any) -> str | None:
    """The printed text of an unresolved citation, e.g. ``[LAC 80 (b)]`` -> ``lac80(b)``.

    Whitespace is dropped altogether because PDF text wraps and spaces tags unevenly
    (``[LAC\\n80(e)]``, ``[LAC 80 (b)]``); the enclosing brackets are typography.
    """
    text = _strip(value)
    if text is None:
        return None
    return re.sub(r"\s+", "", text).strip("[]").casefold() or None


def _unts_items(value: Any) -> list[dict[str, Any] | None]:
    """The UNTS objects of a row: a list (prediction), one object (truth) or nothing."""
    if isinstance(value, list):
        return list(value) or [None]
    if isinstance(value, dict):
        return [value]
    return [None]


def citation_key(document: str, row: Row, unts: dict[str, Any] | None) -> Key:
    """The identity of one citation; fields that do not identify its kind are left as None.

    For kind ``other`` the normalised printed text takes the symbol slot: it is all there is.
    """
    kind = (_strip(row.get("kind")) or "").lower()
    location = (_strip(row.get("location")) or "").lower()
    footnote = normalise_footnote(row.get("footnote")) if location == "footnote" else None
    body = session = number = part = symbol = registration = volume = None
    if kind in ("resolution", "decision"):
        body = normalise_body(row.get("body"))
        session = None if body == "SC" else _numeral(row.get("session"))
        number = _numeral(row.get("number"))
        part = (_strip(row.get("part")) or "").upper() or None
    elif kind == "document":
        symbol = normalise_symbol(row.get("symbol"))
    elif kind == "treaty" and unts:
        registration = _numeral(unts.get("registration"))
        volume = _numeral(unts.get("volume"))
    elif kind == "other":
        symbol = normalise_other_text(row.get("text"))
    return (document, location, footnote, kind, body, session, number, part, symbol,
            registration, volume)


def row_keys(document: str, row: Row) -> list[Key]:
    """All citation keys of one JSONL row (a prediction may list several UNTS volumes)."""
    items = _unts_items(row.get("unts")) if row.get("kind") == "treaty" else [None]
    return [citation_key(document, row, item) for item in items]


def read_jsonl(path: Path) -> list[Row]:
    """The JSON objects of a JSONL file; blank lines are skipped, bad lines are errors."""
    return list(parse_jsonl(path.read_text(encoding="utf-8"), str(path)))


def parse_jsonl(text: str, source: str) -> Iterator[Row]:
    """Parse JSONL text, naming the source and line of any line that is not a JSON object."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ScoreError(f"{source}:{number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise ScoreError(f"{source}:{number}: not a JSON object")
        yield row


def load_truth(truth_dir: Path) -> dict[str, list[Row]]:
    """Truth rows by corpus file stem (bench/truth/<stem>.jsonl)."""
    files = sorted(truth_dir.glob("*.jsonl"))
    if not files:
        raise ScoreError(f"no truth files (*.jsonl) in {truth_dir}")
    return {path.stem: read_jsonl(path) for path in files}


def load_predictions(pred: Path, stems: Iterable[str]) -> dict[str, list[Row]]:
    """Predicted rows by corpus file stem, from a directory of <stem>.jsonl or one JSONL file."""
    stems = list(stems)
    if pred.is_dir():
        missing = [stem for stem in stems if not (pred / f"{stem}.jsonl").exists()]
        if missing:
            raise ScoreError(f"{pred}: no prediction file for {', '.join(missing)}")
        return {stem: read_jsonl(pred / f"{stem}.jsonl") for stem in stems}
    if not pred.exists():
        raise ScoreError(f"{pred}: no such file or directory")
    by_stem: dict[str, list[Row]] = {stem: [] for stem in stems}
    for row in read_jsonl(pred):
        name = row.get("file")
        if not name:
            raise ScoreError(f"{pred}: a row has no 'file' field; use a directory of <stem>.jsonl")
        stem = Path(str(name)).stem
        if stem in by_stem:
            by_stem[stem].append(row)
    return by_stem


def corpus_file(corpus: Path, stem: str) -> Path:
    """The corpus file a truth file annotates (same stem, any extension but .json)."""
    matches = [p for p in corpus.glob(f"{stem}.*") if p.suffix != ".json"]
    if len(matches) != 1:
        raise ScoreError(f"{corpus}: expected one corpus file named {stem}.*, found {len(matches)}")
    return matches[0]


def run_extractor(corpus: Path, stems: Iterable[str]) -> dict[str, list[Row]]:
    """Run ``unkg extract --format jsonl`` (the venv's own CLI) on each annotated corpus file."""
    unkg = Path(sys.executable).parent / "unkg"
    if not unkg.exists():
        raise ScoreError(f"{unkg} not found: install the project into this interpreter's venv")
    predictions = {}
    for stem in stems:
        path = corpus_file(corpus, stem)
        done = subprocess.run([str(unkg), "extract", str(path), "--format", "jsonl"],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ScoreError(f"unkg extract {path.name} failed ({done.returncode}): "
                             f"{done.stderr.strip()[-500:]}")
        predictions[stem] = list(parse_jsonl(done.stdout, f"unkg extract {path.name}"))
    return predictions


@dataclass
class Tally:
    """True positives, false positives and false negatives of one group of citations."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: precision is undefined, not perfect."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """None when the truth holds nothing of the group."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): equal to the harmonic mean of P and R wherever both exist."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None


@dataclass
class Score:
    """The outcome of a comparison: tallies by group, and the keys that did not match."""

    groups: dict[str, Tally] = field(default_factory=dict)
    misses: list[Key] = field(default_factory=list)
    false_positives: list[Key] = field(default_factory=list)


def _groups(key: Key) -> list[str]:
    """The report groups a citation counts in: overall, its kind, footnotes, its file."""
    document, location, kind = key[0], key[1], key[3]
    names = ["overall", f"kind:{kind}"]
    if location == "footnote":
        names.append("footnote")
    names.append(f"file:{document}")
    return names


def compare(truth: dict[str, list[Row]], pred: dict[str, list[Row]]) -> Score:
    """Multiset comparison of truth and predicted citation keys, per corpus file."""
    truth_keys: Counter[Key] = Counter()
    pred_keys: Counter[Key] = Counter()
    for stem, rows in truth.items():
        for row in rows:
            truth_keys.update(row_keys(stem, row))
        for row in pred.get(stem, []):
            pred_keys.update(row_keys(stem, row))
    score = Score(groups={name: Tally() for name in FIXED_GROUPS})
    for key in sorted(truth_keys.keys() | pred_keys.keys(), key=_sort_key):
        hit = min(truth_keys[key], pred_keys[key])
        missed = truth_keys[key] - hit
        extra = pred_keys[key] - hit
        for name in _groups(key):
            group = score.groups.setdefault(name, Tally())
            group.tp += hit
            group.fn += missed
            group.fp += extra
        score.misses.extend([key] * missed)
        score.false_positives.extend([key] * extra)
    return score


def _sort_key(key: Key) -> tuple[str, ...]:
    """Keys in document order of a human reader: numbers compared as numbers, None first."""
    return tuple("" if part is None else f"{part:>12}" if str(part).isdigit() else str(part)
                 for part in key)


def format_key(key: Key) -> str:
    """A citation key as one readable line for the error lists."""
    document, location, footnote, kind, body, session, number, part, symbol, reg, vol = key
    where = f"fn {footnote}" if location == "footnote" else location
    if kind in ("resolution", "decision"):
        what = f"{body} {session}/{number}{' ' + part if part else ''}"
    elif kind == "treaty":
        what = f"UNTS No. {reg} vol. {vol}"
    else:
        what = str(symbol)
    return f"{document} [{where}] {kind}: {what}"


def _fmt(value: float | None) -> str:
    """A ratio with three decimals, or n/a where it is undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def _ordered(score: Score) -> list[str]:
    return FIXED_GROUPS + sorted(name for name in score.groups if name.startswith("file:"))


def render_table(score: Score) -> str:
    """The figures as a Markdown table (also what the terminal shows)."""
    lines = ["| group | truth | predicted | TP | FP | FN | precision | recall | F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in _ordered(score):
        t = score.groups[name]
        lines.append(f"| {name} | {t.tp + t.fn} | {t.tp + t.fp} | {t.tp} | {t.fp} | {t.fn} | "
                     f"{_fmt(t.precision)} | {_fmt(t.recall)} | {_fmt(t.f1)} |")
    return "\n".join(lines)


def render_errors(score: Score) -> str:
    """Misses and false positives, one per line."""
    out = [f"misses ({len(score.misses)}):"]
    out += [f"  - {format_key(k)}" for k in score.misses]
    out.append(f"false positives ({len(score.false_positives)}):")
    out += [f"  + {format_key(k)}" for k in score.false_positives]
    return "\n".join(out)


def write_results(path: Path, score: Score, source: str) -> None:
    """bench/results.md: the table, how it was produced, and the error counts."""
    text = (
        "# Citation extraction: scores against the hand-annotated truth\n\n"
        f"Produced by `python bench/score.py {source} --write` against `bench/truth/` "
        "(conventions in `bench/truth/README.md`). Matching is a multiset comparison of "
        "citation keys per corpus file; F1 = 2TP / (2TP + FP + FN).\n\n"
        f"{render_table(score)}\n\n"
        f"Misses: {len(score.misses)}; false positives: {len(score.false_positives)} "
        "(list them with `--show-errors`).\n"
    )
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--truth", type=Path, default=ROOT / "bench" / "truth")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pred", type=Path, help="directory of <stem>.jsonl, or one JSONL with 'file'")
    source.add_argument("--run", action="store_true", help="run `unkg extract` on each corpus file")
    parser.add_argument("--show-errors", action="store_true", help="list misses and false positives")
    parser.add_argument("--write", action="store_true", help="write bench/results.md")
    args = parser.parse_args(argv)
    try:
        truth = load_truth(args.truth)
        pred = (run_extractor(args.corpus, truth) if args.run
                else load_predictions(args.pred, truth))
    except ScoreError as error:
        print(f"score.py: {error}", file=sys.stderr)
        return 2
    score = compare(truth, pred)
    print(render_table(score))
    if args.show_errors:
        print()
        print(render_errors(score))
    if args.write:
        write_results(ROOT / "bench" / "results.md", score,
                      "--run" if args.run else f"--pred {args.pred}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
