"""The ``unkg`` command line.

Each area keeps its own subcommands next to its code: a module in ``COMMAND_MODULES`` exposes
``register(subparsers)``, which adds its parsers and sets ``func`` on them. ``func(args)``
returns the exit code. Errors meant for the user are ``UserError``; they print one line and
exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

COMMAND_MODULES: tuple[str, ...] = (
    "graph.commands",
    "server.cli",
    "graph.validate",
    "graph.release",
    "graph.extract",
    "graph.fetch",
)


class UserError(Exception):
    """A mistake in the command line or its input, reported as one line on stderr."""


def make_parser() -> argparse.ArgumentParser:
    """The full parser, with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="unkg", description="Knowledge graph of UN crime-prevention documents.")
    parser.add_argument("--store", help="store directory (default: $UNKG_STORE or data/store)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``unkg`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as error:
        print(f"unkg {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of our output went away (``unkg extract … | head``): not an error.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
