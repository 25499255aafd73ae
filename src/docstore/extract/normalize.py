"""Name normalization shared by extraction and the store's `entity_aliases.normalized`.

Both sides must fold names the same way, or cross-document linking silently misses:
"Lukashenka’s", "LUKASHENKA" and "Lukashenka" all become ``lukashenka``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$")
_SPACE = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def strip_diacritics(text: str) -> str:
    """ "Kwaśniewski" -> "Kwasniewski": decompose, then drop combining marks."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """The matching form of a name: casefolded, apostrophes folded, possessive and
    diacritics stripped, whitespace collapsed."""
    text = strip_diacritics(name.translate(_APOSTROPHES)).casefold()
    text = _SPACE.sub(" ", text).strip()
    return _POSSESSIVE.sub("", text).strip()


def slug(name: str) -> str:
    """The key part of an entity key: "Michael Carpenter" -> "michael-carpenter"."""
    return _NON_ALNUM.sub("-", normalize(name).replace("'", "")).strip("-")
