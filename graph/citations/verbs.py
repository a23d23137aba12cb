"""The CiTO characterization of a citation, from the opening phrase of the citing paragraph.

The mapping is data (``graph/data/verbs.json``, with the reason for each row); this module only
normalises the phrase: "Recalling also" and "Also recalls" are both "recall", "Takes note with
appreciation" is "taking note". Anything unknown is plain ``cito:cites``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from rdflib import URIRef

from graph import data
from graph.namespaces import CITO

# Adverbs that qualify an opening without changing what it does to the cited text.
_ADVERBS = re.compile(r"^(?:(?:also|further|furthermore|again|once\s+again|strongly|deeply|fully|"
                      r"firmly|gravely|seriously)\s+)+", re.IGNORECASE)


@lru_cache(maxsize=1024)  # a file's citations open with the same few verbs
def characterization(verb: str | None) -> URIRef:
    """The CiTO property for an opening phrase: "Recalling also" -> ``cito:obtainsBackgroundFrom``.

    The longest listed form that starts the phrase wins ("Taking note" before "Taking"),
    so "Takes note with appreciation" and "Taking into account" find their own rows.
    """
    if not verb:
        return CITO.cites
    phrase = " ".join(_ADVERBS.sub("", verb.strip()).split()).lower()
    rows = data.verbs()
    for form in _longest_first():
        if phrase == form or phrase.startswith(form + " "):
            return CITO[rows[form]["cito"]]
    return CITO.cites


@cache
def _longest_first() -> list[str]:
    """The forms of the verb table, longest first; sorted once, not at every citation."""
    return sorted(data.verbs(), key=len, reverse=True)
