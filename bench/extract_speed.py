"""Extraction speed: MB of source text per CPU second, per stage, against a reference.

Issue 10 asks extraction (a corpus file -> its RDF graph, ``graph.build.process_file``) to read
at least 2 MB of source text per second per core. This script times, for every file of a
corpus, in one process (CPU time of this process, so other jobs on a shared machine change the
figures less than wall time would):

* ``process_file``: the whole step, as the build runs it (each file's result dropped before
  the next file, as a build worker hands it to the store: keeping 58 graphs alive would time
  Python's garbage collector as well);
* ``extract_file``: what a build worker runs per file, ``process_file`` and the graph's
  N-Quads for the bulk loader (``graph_nquads``);
* its stages, run the same way one after the other: ``load`` (bytes to text, ``files.load``),
  ``read`` (text to ``Document``, ``read_text``), ``citations`` (``extract_references`` over
  every part), ``triples`` (``document_graph`` and the entity writers);
* a reference measured in the same run: reading the same files and counting the words of their
  text with one compiled regular expression (``\\w+``), the least any extractor has to do. The
  ratio to it is comparable between machines and loads where the MB/s are not.

Each round times every stage over the whole corpus, each right after the reference; the MB/s
are from a stage's fastest round (the least disturbed by other processes), the ratio to the
reference is the median over the rounds of the two timed together. ``unkg extract`` is timed
as ``graph/extract.py`` runs it (``load``, ``read``, ``citations`` and each citation as JSON),
without printing. The last line says what ratio 2 MB/s is at the reference's speed here.

    python bench/extract_speed.py [--corpus corpus] [--rounds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build import (characterization, corpus_files, extract_file,  # noqa: E402
                         load_manifest, process_file, write_entities)
from graph.citations.references import extract_references  # noqa: E402
from graph.rdf.documents import Source, Writer, document_graph  # noqa: E402
from graph.readers import files, read_document, read_text  # noqa: E402

WORD = re.compile(r"\w+")
REFERENCE_PASSES = 5
GOAL_MB_PER_S = 2.0  # issue 10, item 2
STAGES = ("reference", "load", "read", "citations", "triples", "process_file", "extract_file",
          "unkg extract")


def stage_runners(paths: list[Path], manifest: dict[str, dict]) -> dict[str, Callable[[], object]]:
    """One callable per stage, each running that stage over every file.

    A stage's input is prepared once, outside its timing, by the stages before it, so each is
    timed alone; ``process_file`` runs all of them as the build does."""
    loaded = {path: files.load(path) for path in paths}
    documents = {path: read_text(loaded[path].text, path.name) for path in paths}
    references = {path: [ref for part in documents[path].walk() for ref in extract_references(part)]
                  for path in paths}
    # The stages after reading change the document as the build does (the manifest's symbol);
    # applying that once up front keeps the timed stages free of it.
    for path in paths:
        symbol = manifest.get(path.name, {}).get("symbol")
        if symbol and not documents[path].symbol:
            documents[path].symbol = symbol

    def reference() -> int:
        return sum(len(WORD.findall(path.read_bytes().decode("utf-8"))) for path in paths)

    def triples() -> None:
        for path in paths:
            raw = loaded[path]
            source = Source(path.name, "0" * 64, raw.text if raw.extracted else None)
            _, graph = document_graph(documents[path], references[path], source, characterization)
            write_entities(Writer(source, graph), documents[path])

    def process_all() -> None:
        for path in paths:
            process_file(path, manifest)

    def extract_all() -> None:
        for path in paths:  # graph/extract.py's loop, printing aside
            for part in read_document(path).walk():
                for reference in extract_references(part):
                    json.dumps(reference.to_json(), ensure_ascii=False)

    return {
        "reference": reference,
        "load": lambda: [files.load(path) for path in paths],
        "read": lambda: [read_text(loaded[path].text, path.name) for path in paths],
        "citations": lambda: [extract_references(part) for path in paths
                              for part in documents[path].walk()],
        "triples": triples,
        "process_file": process_all,
        "extract_file": lambda: [extract_file(path, manifest) for path in paths],
        "unkg extract": extract_all,
    }


def cpu_seconds(run: Callable[[], object]) -> float:
    """The CPU time this process spends in ``run()``."""
    start = time.process_time()
    run()
    return time.process_time() - start


def measure(runners: dict[str, Callable[[], object]], rounds: int
            ) -> tuple[dict[str, float], dict[str, float]]:
    """Per stage, the least CPU time over ``rounds`` rounds, and the median over the rounds of
    its time divided by the reference's, timed just before it (``REFERENCE_PASSES`` passes):
    on a shared machine another job slows both alike, so the ratio moves less than the time."""
    times: dict[str, list[float]] = {stage: [] for stage in STAGES}
    ratios: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for _ in range(rounds):
        for stage in STAGES[1:]:
            reference = cpu_seconds(lambda: [runners["reference"]()
                                             for _ in range(REFERENCE_PASSES)]) / REFERENCE_PASSES
            seconds = cpu_seconds(runners[stage])
            times["reference"].append(reference)
            times[stage].append(seconds)
            ratios[stage].append(seconds / reference)
    ratios["reference"] = [1.0]
    return ({stage: min(values) for stage, values in times.items()},
            {stage: statistics.median(values) for stage, values in ratios.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    paths = corpus_files(args.corpus)
    manifest = load_manifest(args.corpus)
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    load_before = os.getloadavg()[0]
    runners = stage_runners(paths, manifest)
    seconds, ratios = measure(runners, args.rounds)
    load_after = os.getloadavg()[0]
    goal = megabytes / seconds["reference"] / GOAL_MB_PER_S

    print(f"{len(paths)} files, {megabytes:.2f} MB of source text, {args.rounds} rounds, "
          f"load average {load_before:.2f}-{load_after:.2f} on {os.cpu_count()} cores")
    print(f"{'stage':<14}{'best CPU s':>11}{'MB/s':>8}{'x reference (median)':>22}")
    for stage in STAGES:
        print(f"{stage:<14}{seconds[stage]:>11.3f}{megabytes / seconds[stage]:>8.2f}"
              f"{ratios[stage]:>22.1f}")
    print(f"{GOAL_MB_PER_S} MB/s at the reference's best speed is {goal:.1f} x reference")
    if args.json:
        args.json.write_text(json.dumps({
            "files": len(paths), "megabytes": megabytes, "rounds": args.rounds,
            "load_average": [load_before, load_after], "cpu_seconds": seconds,
            "mb_per_s": {stage: megabytes / s for stage, s in seconds.items()},
            "x_reference": ratios, "goal_x_reference": goal,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
