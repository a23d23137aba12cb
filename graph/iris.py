"""IRIs built from a thing's own identity (DESIGN.md §3): pure functions, no state.

An IRI never depends on a file name, a counter or the order of a build, so the same resolution
gets the same IRI whichever document cites it and whenever the graph is built. Body codes are
the short codes used throughout the project (``GA``, ``ECOSOC``, ``CCPCJ`` …) in lower case.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from graph import data
from graph.namespaces import BASE

_SAFE = "/.-_~:"
# Any character ``quote`` would encode; most paths have none, and then quoting (a tenth of the
# time spent writing triples) is skipped.
_UNSAFE_REGEX = re.compile(r"[^A-Za-z0-9/.\-_~:]")


def encode_path(path: str) -> str:
    """A path as it stands in an IRI under the base: every character but ASCII letters,
    digits and ``/.-_~:`` percent-encoded (``doc/GC(65)/RES/14`` -> ``doc/GC%2865%29/RES/14``).

    The build writes every IRI this way, and the server reads a request path (which arrives
    percent-decoded) back into the IRI it names the same way, so the two always agree.
    ``ValueError`` for text that is not Unicode (a lone surrogate)."""
    return quote(path, safe=_SAFE) if _UNSAFE_REGEX.search(path) else path


def _iri(path: str) -> URIRef:
    return URIRef(str(BASE) + encode_path(path))


@lru_cache(maxsize=4096)  # a file names the same few bodies and States again and again
def body_code(body: str) -> str:
    """A name as a path segment: ``GA-C3`` -> ``ga-c3``, ``Côte d'Ivoire`` -> ``cote-d-ivoire``."""
    ascii_name = unicodedata.normalize("NFKD", body).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def resolution(body: str, session: str, number: str, part: str | None = None,
               decision: bool = False) -> URIRef:
    """``res/ga/70/174``, ``res/ecosoc/7/155/C``, ``dec/ga/74/550/A``, ``res/ga/S-23/2``.

    A body whose numbers run on across sessions (the Security Council: 1373, 2322) has no
    session segment: ``res/sc/2322``.
    """
    path = "/".join(part for part in (
        "dec" if decision else "res", body_code(body), session, number) if part)
    return _iri(path + (f"/{part}" if part else ""))


DASHES_REGEX = re.compile("[\u2010-\u2015\u2212]")


def canonical_symbol(symbol: str) -> str:
    """A symbol as the UN document system writes it: no spaces, ASCII hyphens.

    Print and PDF text join symbols with en dashes ("A/79/126–E/2024/53"); the symbol is the
    same document whatever dash printed it.
    """
    return DASHES_REGEX.sub("-", re.sub(r"\s+", "", symbol)).strip("/")


def document(symbol: str) -> URIRef:
    """A UN document by its symbol: ``doc/A/CONF.222/17``, ``doc/A/C.3/68/L.17/Rev.1``."""
    return _iri("doc/" + canonical_symbol(symbol))


def treaty(registration: int | str, volume: int | str | None = None) -> URIRef:
    """A treaty by UNTS registration number, and volume when one number covers several."""
    return _iri(f"treaty/unts/{registration}" + (f"/{volume}" if volume else ""))


def treaty_iri(registration: int, volume: int | None) -> URIRef:
    """A treaty's IRI: by registration alone when the number names one instrument.

    One registration number covers a convention and its protocols (No. 39574: four
    instruments), so there the volume is part of the identity (DESIGN.md §3).
    """
    shared = Counter(item.registration for item in data.instruments())[registration] > 1
    return treaty(registration, volume if shared else None)


def league_treaty(registration: int | str) -> URIRef:
    """A treaty registered in the League of Nations Treaty Series: ``treaty/lnts/2623``."""
    return _iri(f"treaty/lnts/{registration}")


@lru_cache(maxsize=4096)
def organization(code: str) -> URIRef:
    """A body: ``org/ga``, ``org/ecosoc``, ``org/ga-c3``."""
    return _iri(f"org/{body_code(code)}")


def member_state(name: str) -> URIRef:
    """A Member State by its short English name: ``state/united-states-of-america``."""
    return _iri(f"state/{body_code(name)}")


def congress(number: int) -> URIRef:
    """A UN Crime Congress by its ordinal: ``congress/13``."""
    return _iri(f"congress/{number}")


def regional_meeting(congress_number: int, region: str) -> URIRef:
    """The regional preparatory meeting of a congress: ``congress/14/rpm/ap``."""
    return _iri(f"congress/{congress_number}/rpm/{body_code(region)}")


def meeting(body: str, session: str, number: str) -> URIRef:
    """A numbered meeting of a body in a session: ``org/ga-c3/session/68/meeting/16``."""
    return _iri(f"org/{body_code(body)}/session/{session}/meeting/{number}")


def session(body: str, session_: str) -> URIRef:
    """A session of a body: ``org/ga/session/70``."""
    return _iri(f"org/{body_code(body)}/session/{session_}")


def concept(scheme: str, label: str) -> URIRef:
    """A SKOS concept (agenda item, workshop, topic) by scheme and label."""
    return _iri(f"concept/{body_code(scheme)}/{body_code(label)}")


def part_of(parent: URIRef, path: str) -> URIRef:
    """Something that hangs below its document: paragraph ``para/11``, footnote ``fn/7``."""
    return URIRef(f"{parent}/{encode_path(path)}")


def footnote(parent: URIRef, label: str) -> URIRef:
    """A footnote by its printed label: ``res/ga/70/174/fn/7``."""
    return part_of(parent, f"fn/{label}")


def citation(citing: URIRef, cited: str, occurrence: int = 1) -> URIRef:
    """The node of one citation: the ``occurrence``-th time ``citing`` cites ``cited``.

    ``cited`` is the cited thing's IRI (or, for a citation that could not be resolved, its
    printed text). Each occurrence is its own node, so each keeps its own span and verb; a
    short digest keeps the IRI readable, and the count stays the same as long as the paragraph
    does.
    """
    digest = hashlib.sha256(str(cited).encode()).hexdigest()[:12]
    return URIRef(f"{citing}/cite/{digest}" + (f"-{occurrence}" if occurrence > 1 else ""))


def graph_name(document_iri: URIRef) -> URIRef:
    """The named graph that holds the triples extracted from one source document."""
    return URIRef(str(document_iri).replace(str(BASE), str(BASE) + "graph/", 1))


def source_file(sha256: str) -> URIRef:
    """A source file as read, identified by the SHA-256 of its bytes."""
    return _iri(f"source/sha256/{sha256}")


def undocs(symbol: str) -> URIRef:
    """The official UN document system page of a symbol."""
    return URIRef("https://undocs.org/" + quote(symbol, safe="/.-()"))
