"""Citation factories with corpus defaults, so that a table row states only what differs.

The defaults are the first citation of A/RES/70/174 ("its resolution 46/152 of 18 December
1991") and its footnote 7 ("United Nations, Treaty Series, vol. 2349, No. 42146"), as eyecite's
factories default to "1 U.S. 1".
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Sequence

from graph.document import CleanText, Document, Footnote, Marker, Paragraph
from graph.citations.models import (CitationBase, Cited, DocumentCitation, IbidCitation, ItsResolutionCitation,
                          NameCitation, OfficialRecordsCitation, ResolutionCitation, TagCitation,
                          TreatyCitation)


def resolution(matched: str = "46/152", **metadata: Any) -> ResolutionCitation:
    """A found resolution number; the session and number default to the matched "S/N"."""
    session, _, number = matched.partition("/")
    defaults = {"session": session, "number": number} if number else {}
    return ResolutionCitation(matched, 0, 0, metadata={**defaults, **metadata})


def its_resolution(matched: str = "46/152", **metadata: Any) -> ItsResolutionCitation:
    """"its resolution 46/152"."""
    session, _, number = matched.partition("/")
    return ItsResolutionCitation(matched, 0, 0, metadata={"session": session, "number": number,
                                                         **metadata})


def document(matched: str = "A/CONF.222/17", **metadata: Any) -> DocumentCitation:
    """A symbol; the symbol defaults to the matched text."""
    return DocumentCitation(matched, 0, 0, metadata={"symbol": matched, **metadata})


def records(matched: str, **metadata: Any) -> OfficialRecordsCitation:
    """An Official Records reference (ECOSOC 2015, Supplement No. 10 by default)."""
    defaults = {"body": "Economic and Social Council", "year": "2015", "supplement": "10",
                "symbols": ("E/2015/30",)}
    return OfficialRecordsCitation(matched, 0, 0, metadata={**defaults, **metadata})


def treaty(matched: str = "United Nations, Treaty Series, vol. 2349, No. 42146",
           **metadata: Any) -> TreatyCitation:
    """A UNTS reference (the Convention against Corruption by default)."""
    return TreatyCitation(matched, 0, 0, metadata={"registrations": (42146,), "volumes": (2349,),
                                                   **metadata})


def ibid(matched: str = "Ibid.", **metadata: Any) -> IbidCitation:
    """"Ibid." with the details it restates."""
    return IbidCitation(matched, 0, 0, metadata=metadata)


def tag(matched: str = "[AP 62(a)]", **metadata: Any) -> TagCitation:
    """A recommendation tag (Asia-Pacific, paragraph 62 (a), by default)."""
    return TagCitation(matched, 0, 0, metadata={"region": "AP", "paragraph": "62", "item": "a",
                                                **metadata})


def name(matched: str, entity: str, **metadata: Any) -> NameCitation:
    """A named entity mention."""
    return NameCitation(matched, 0, 0, metadata={"entity": entity, "name": matched, **metadata})


def cited(kind: str = "resolution", **fields: Any) -> Cited:
    """What a citation resolves to (GA resolution 46/152 by default)."""
    defaults: dict[str, Any] = {"body": "GA", "session": "46", "number": "152"} \
        if kind in ("resolution", "decision") else {}
    return Cited(kind, fields.pop("text", ""), fields.pop("span", (0, 0)), **{**defaults, **fields})


def comparable(citation: CitationBase) -> tuple[str, str, dict[str, Any]]:
    """What a finder test compares: class, matched text and metadata, without list bookkeeping
    (``group`` numbers lists in the order met, which rows need not restate)."""
    metadata = {k: v for k, v in asdict(citation.metadata).items() if k != "group"}
    return type(citation).__name__, citation.matched, metadata


IDENTITY = ("kind", "body", "session", "number", "part", "symbol", "unts", "date", "label")


def identity(item: Cited) -> dict[str, Any]:
    """What a resolver test compares: the identity of the cited thing (not text or span)."""
    return {key: getattr(item, key) for key in IDENTITY}


def clean(text: str, start: int = 0) -> CleanText:
    """Clean text equal to its source, starting at ``start`` of the source."""
    return CleanText(text, list(range(start, start + len(text))))


def hand_document(paragraphs: list[tuple[str, str, str | None]],
                  footnotes: Sequence[tuple[str, str, str | None]] = (), *, body: str | None = "GA",
                  symbol: str | None = "A/RES/99/1", label: str | None = None,
                  kind: str = "resolution") -> Document:
    """A ``Document`` built by hand: paragraphs (id, text, opening), footnotes (label, text,
    paragraph id). Footnote markers are put at the end of the paragraph they belong to; texts
    are laid end to end in the source so that spans can be checked against it."""
    source = ""
    built: list[Paragraph] = []
    for pid, text, opening in paragraphs:
        content = clean(text, len(source))
        source += text + "\n"
        markers = [Marker(fn_label, len(text)) for fn_label, _, owner in footnotes if owner == pid]
        built.append(Paragraph(pid, "preamble" if pid.startswith("preamble") else "operative",
                               content, opening=opening, markers=markers))
    notes: list[Footnote] = []
    for fn_label, text, owner in footnotes:
        notes.append(Footnote(fn_label, clean(text, len(source)), paragraph=owner))
        source += text + "\n"
    return Document(source="hand-made", text=source, format="hand", kind=kind, symbol=symbol,
                    body=body, label=label, paragraphs=built, footnotes=notes)
