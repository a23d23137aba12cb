"""``unkg extract FILE… --format jsonl``: the citation-extraction API on the command line.

One JSON object per citation (``Reference.to_json()``) on stdout, in document order, so the
output can be piped into other tools or scored (``bench/score.py``). A file that cannot be read
is reported on stderr with its name and the reason; the other files are still processed and the
exit status is 1. The contract is documented in docs/extract.md.
"""

from __future__ import annotations

import argparse
import json
import sys

from graph.citations.references import extract_references
from graph.document import ReaderError
from graph.readers import read_document

FORMATS = ("jsonl",)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` subcommand."""
    parser = subparsers.add_parser(
        "extract", help="print the citations of UN documents as JSON lines",
        description="Find and resolve every citation of each FILE; one JSON object per citation.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="UN document text files")
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Extract each file in turn; 1 when any file could not be read, else 0."""
    status = 0
    for path in args.files:
        try:
            document = read_document(path)
        except ReaderError as error:
            print(f"unkg extract: {error}", file=sys.stderr)
            status = 1
            continue
        for part in document.walk():
            for reference in extract_references(part):
                print(json.dumps(reference.to_json(), ensure_ascii=False))
    return status
