"""Reader placeholder: recognises nothing until it is written."""

from __future__ import annotations

from graph.document import Document, ReaderError

NAME = "tab_text"


def sniff(text: str) -> int:
    return 0


def read(text: str, source: str) -> Document:
    raise ReaderError("tab_text reader not written yet")
