"""Readers, one per source shape, chosen by what the text looks like, never by file name.

Each reader module exposes ``NAME``, ``sniff(text) -> int`` (0 = not mine, higher = surer) and
``read(text, source) -> Document``. ``read_document`` asks every reader and lets the most
confident one read the file, so a new shape is supported by adding a module to ``READERS``.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from graph.document import Document, ReaderError
from graph.readers import (committee_report, compilation, files, generic, markdown, pdf_text,
                           tab_text)
from graph.readers.files import MAX_CHARS

READERS: tuple[ModuleType, ...] = (tab_text, markdown, pdf_text, committee_report, compilation,
                                   generic)


def detect_format(text: str) -> ModuleType:
    """The reader that recognises ``text`` best; ``ReaderError`` when none does."""
    scores = [(reader.sniff(text), index, reader) for index, reader in enumerate(READERS)]
    score, _, best = max(scores, key=lambda row: (row[0], -row[1]))
    if score <= 0:
        raise ReaderError("not a UN document: no reader recognises this text (no UN symbol "
                          f"or 'United Nations' in its first {generic.HEAD_CHARS:,} characters)")
    return best


def read_text(text: str, source: str) -> Document:
    """Read a document already in memory; ``source`` names it in errors and provenance.

    A text the best reader cannot read after all (a shape it half recognises) is read as a
    generic document with a warning: a UN document is never refused, only a text that is
    not one. A text longer than ``MAX_CHARS`` is refused at the line where it passes the
    limit. Every failure is a ``ReaderError`` naming ``source``."""
    if not text.strip():
        raise ReaderError(f"{source}: the file is empty")
    if len(text) > MAX_CHARS:
        line = text.count("\n", 0, MAX_CHARS) + 1
        raise ReaderError(f"{source}: line {line:,}: the text goes on past {MAX_CHARS:,} "
                          f"characters ({len(text):,} in all), more than any one UN document "
                          "holds; split it into its documents")
    try:
        reader = detect_format(text)
    except ReaderError as error:
        raise ReaderError(f"{source}: {error}") from None
    try:
        return reader.read(text, source)
    except Exception as error:  # noqa: BLE001 - a reader's failure must not lose the document
        if reader is generic or not generic.sniff(text):
            message = str(error)
            raise ReaderError(message if message.startswith(source)
                              else f"{source}: {message}") from None
        failure = str(error)
    try:
        document = generic.read(text, source)
    except Exception as error:  # noqa: BLE001 - nor may the generic reader's
        raise ReaderError(f"{source}: {error}") from None
    document.warnings.insert(0, f"the {reader.NAME} reader could not read it ({failure})")
    return document


def read_document(path: str | Path) -> Document:
    """Read one source file (text, PDF or Word); every failure is a ``ReaderError`` naming the
    file and the reason."""
    source = files.load(path)
    return read_text(source.text, source.name)
