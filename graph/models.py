"""Citation models.

``Reference`` is the resolved citation every later stage consumes (``rdf.py``, ``unkg
extract``): one record per cited thing, with the fields of the extraction contract (README,
"Citation extraction"). The typed citation classes the finder produces live below it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Reference:
    """One resolved citation: who cites what, where, with which verb.

    ``kind`` is ``resolution``, ``decision``, ``treaty``, ``document`` or ``other``. ``span`` is
    in the *source* text of the file. ``paragraph`` is the id of the citing paragraph (for a
    footnote, the paragraph that holds its marker); ``footnote`` the printed footnote label (for
    a part of a committee report, ``"VIII:13"``). ``unts`` holds one ``{"registration": …,
    "volume": …}`` per instrument. ``label`` is a name for the cited thing when the text gives
    one ("United Nations Convention against Corruption"). ``reason`` says why a citation of kind
    ``other`` could not be resolved.
    """

    document: str | None
    location: str
    kind: str
    text: str
    span: tuple[int, int]
    footnote: str | None = None
    paragraph: str | None = None
    body: str | None = None
    session: str | None = None
    number: str | None = None
    part: str | None = None
    symbol: str | None = None
    unts: list[dict[str, int]] = field(default_factory=list)
    verb: str | None = None
    iri: str | None = None
    label: str | None = None
    date: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as the JSON object of ``unkg extract --format jsonl``."""
        record = asdict(self)
        record["span"] = list(self.span)
        return record
