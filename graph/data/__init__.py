"""The curated reference tables (``bodies.json``, ``treaties.json``, ``verbs.json``), loaded once.

The tables are data, with their sources inside them; code asks them questions ("which body is
called 'Economic and Social Council'?", "what is UNTS No. 39574, vol. 2241?") and must still work
when the answer is "unknown": a document from another year will name bodies and treaties that
are not in them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sessions:
    """How far a body's session numbering had gone: ``held`` sessions by ``year``, at most
    ``per_year`` more each year after."""

    held: int
    year: int
    per_year: int

    def last_by(self, year: int | None) -> int:
        """The highest session number the body can have reached in ``year`` (an upper bound;
        without a year, the count the table records)."""
        return self.held + max(0, (year or self.year) - self.year) * self.per_year


@dataclass(frozen=True)
class Body:
    """One UN body: short code, names as printed, contextual short names, symbol series."""

    code: str
    name: str
    names: tuple[str, ...]
    short: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    numbering: str | None = None
    numbered_from: int | None = None
    resolutions_of: str | None = None
    supplement_symbol: str | None = None
    sub_organization_of: str | None = None
    relation: str | None = None
    secretariat: str | None = None
    sessions: Sessions | None = None
    source: str = ""


@dataclass(frozen=True)
class Instrument:
    """One treaty instrument: UNTS registration number, volume, title and other names."""

    registration: int
    volume: int
    title: str
    names: tuple[str, ...] = field(default_factory=tuple)


def _load(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def bodies() -> tuple[Body, ...]:
    """The bodies of ``bodies.json``."""
    return tuple(Body(code=row["code"], name=row["name"], names=tuple(row["names"]),
                      short=tuple(row.get("short", ())), symbols=tuple(row.get("symbols", ())),
                      numbering=row.get("numbering"), numbered_from=row.get("numbered_from"),
                      resolutions_of=row.get("resolutions_of"),
                      supplement_symbol=row.get("supplement_symbol"),
                      sub_organization_of=row.get("subOrganizationOf"),
                      relation=row.get("relation"), secretariat=row.get("secretariat"),
                      sessions=Sessions(row["sessions"]["held"], row["sessions"]["year"],
                                        row["sessions"]["per_year"]) if "sessions" in row else None,
                      source=row.get("source", ""))
                 for row in _load("bodies.json")["bodies"])


@cache
def instruments() -> tuple[Instrument, ...]:
    """Every instrument of ``treaties.json``, one per (registration, volume)."""
    return tuple(Instrument(row["registration"], item["volume"], item["title"], tuple(item["names"]))
                 for row in _load("treaties.json")["treaties"] for item in row["instruments"])


@cache
def verbs() -> dict[str, dict[str, str]]:
    """The rows of ``verbs.json`` by every form of their phrase, in lower case."""
    return {form.lower(): row for row in _load("verbs.json")["verbs"]
            for form in (row["verb"], *row["forms"])}


def body_by_code(code: str | None) -> Body | None:
    """The body with this short code, if the table knows it."""
    return _bodies_by_code().get(code)


@cache
def _bodies_by_code() -> dict[str | None, Body]:
    """The first body of each code: the citation resolver asks about every citation."""
    found: dict[str | None, Body] = {}
    for body in bodies():
        found.setdefault(body.code, body)
    return found


def body_by_name(name: str) -> Body | None:
    """The body whose full name (any printed variant) is ``name``, spacing ignored."""
    wanted = " ".join(name.split())
    return next((body for body in bodies() if wanted in body.names), None)


def body_by_symbol(symbol: str) -> Body | None:
    """The body whose symbol series is the longest prefix of ``symbol`` ("E/CN.15/2015/16")."""
    best: tuple[int, Body | None] = (0, None)
    for body in bodies():
        for prefix in body.symbols:
            if (symbol == prefix or symbol.startswith(prefix + "/")) and len(prefix) > best[0]:
                best = (len(prefix), body)
    return best[1]


def instrument(registration: int, volume: int | None) -> Instrument | None:
    """The instrument registered under ``registration`` in ``volume``, if the table knows it."""
    return next((item for item in instruments()
                 if item.registration == registration and item.volume == volume), None)
