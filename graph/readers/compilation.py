"""Reader placeholder: recognises nothing until it is written."""

from __future__ import annotations

from graph.document import Document, ReaderError

NAME = "compilation"


def sniff(text: str) -> int:
    return 0


def read(text: str, source: str) -> Document:
    raise ReaderError("compilation reader not written yet")
