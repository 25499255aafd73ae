"""Tie candidates to entity keys: gazetteer keys, short forms of full names in the same
document, entities already stored (through `AliasLookup`), or a new key from the name.

Keys are stable across documents because they derive from the gazetteer or from the name's
slug (``person:michael-carpenter``), and transliteration variants are one gazetteer entry.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from docstore.article import Passage
from docstore.extract.entities import CONFIDENCE, Candidate
from docstore.extract.gazetteer import Gazetteer, load_word_lists
from docstore.extract.learned import NO_NAMES, LearnedNames
from docstore.extract.normalize import normalize, slug
from docstore.extract.types import EntityRecord, MentionRecord


class AliasLookup(Protocol):
    """Entities already stored under a normalized name, for cross-document linking."""

    def entities_for_alias(self, normalized: str) -> list[EntityRecord]: ...


KEY_PREFIX = {
    "person": "person",
    "organization": "org",
    "country": "country",
    "place": "place",
    "event": "event",
    "other": "other",
}
TYPE_BY_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
}
LABEL_BY_TYPE = {
    "person": "PERSON",
    "organization": "ORG",
    "country": "GPE",
    "place": "GPE",
    "event": "EVENT",
    "other": "MISC",
}
SHORT_FORM_CONFIDENCE = 0.8
LOOKUP_CONFIDENCE = 0.6
UNCUED_SINGLE_CONFIDENCE = 0.3


class Linker:
    """Resolves one document's candidates; create one per document."""

    def __init__(
        self, gazetteer: Gazetteer, lookup: AliasLookup | None, learned: LearnedNames = NO_NAMES
    ) -> None:
        self.gaz = gazetteer
        self.lookup = lookup
        self.learned = learned
        self.records: dict[str, EntityRecord] = {}
        self._looked_up: dict[str, EntityRecord | None] = {}
        # candidates a possessive country scopes ("Kenya's Supreme Court"): id -> alpha-2
        self.scoped: dict[int, str] = {}
        # national body keys of this document -> the slug of the body's own name
        self.national_keys: dict[str, str] = {}

    def _stored(self, name: str) -> EntityRecord | None:
        """The one stored entity known under this name, if exactly one."""
        if self.lookup is None:
            return None
        norm = normalize(name)
        if norm not in self._looked_up:
            found = {r.key: r for r in self.lookup.entities_for_alias(norm)}
            self._looked_up[norm] = next(iter(found.values())) if len(found) == 1 else None
        return self._looked_up[norm]

    def _record(self, key: str, name: str, type_: str) -> EntityRecord:
        record = self.records.get(key)
        if record is None:
            known = self.gaz.entities.get(key)
            judged = self.learned.entity(key)
            if known is not None:
                record = replace(known, aliases=list(known.aliases))
                if judged is not None:  # analysts' name and type win over the gazetteer's
                    record.name, record.type = judged.name, judged.type
            elif judged is not None:
                record = judged.record()
            else:
                record = EntityRecord(key=key, name=name, type=type_)
            self.records[key] = record
        return record

    def _adopt(self, stored: EntityRecord) -> EntityRecord:
        if stored.key not in self.records:
            self.records[stored.key] = replace(stored, aliases=list(stored.aliases))
        return self.records[stored.key]

    def resolve(
        self, cands: list[Candidate], acronyms: dict[int, int] | None = None
    ) -> list[tuple[Candidate, str, float]]:
        """Give every kept candidate (entity key, confidence); drops unusable ones.
        ``acronyms`` maps the index of an acronym defined in parentheses to its full name's."""
        resolved: list[tuple[Candidate, str, float] | None] = [None] * len(cands)
        _promote_people(cands)
        # pass 1: everything that names itself fully
        for n, c in enumerate(cands):
            if c.key is None and c.method == "model" and id(c) not in self.scoped:
                c.key = self.gaz.key_for(c.text)
                c.type = TYPE_BY_LABEL.get(c.label, "other")
            if c.key is not None:
                rec = self._record(c.key, c.text, c.type)
                c.type = rec.type
                resolved[n] = (c, c.key, CONFIDENCE[c.method])
            elif not c.short:
                resolved[n] = (c, self._new_key(c).key, CONFIDENCE[c.method])
        self._national_short_forms(resolved)
        # index the words of multi-word person names seen in this document
        by_word: dict[str, set[str]] = defaultdict(set)
        for item in resolved:
            if item is not None and item[0].type == "person" and len(item[0].text.split()) > 1:
                for part in item[0].text.split():
                    by_word[normalize(part)].add(item[1])
                    particle, _, rest = part.rpartition("-")
                    if rest and particle.lower() in _PARTICLES:  # "Assad" of "al-Assad"
                        by_word[normalize(rest)].add(item[1])
            elif item is not None and item[0].method == "capitalized_span":
                last = item[0].text.split()[-1]
                by_word[normalize(last)].add(item[1])
                particle, _, rest = last.rpartition("-")
                if rest and particle.lower() in _PARTICLES:
                    by_word[normalize(rest)].add(item[1])
        defined = _acronym_keys(cands, resolved, acronyms or {})
        # pass 2: single words - short forms, stored entities, or weak new names
        for n, c in enumerate(cands):
            if resolved[n] is not None:
                continue
            if c.text in defined:
                key = defined[c.text]
                c.method, c.type = "short_form", self.records[key].type
                c.label = LABEL_BY_TYPE[c.type]
                resolved[n] = (c, key, SHORT_FORM_CONFIDENCE)
                continue
            keys = by_word.get(normalize(c.text), set())
            if len(keys) == 1:
                key = next(iter(keys))
                c.method, c.type = "short_form", self.records[key].type
                c.label = LABEL_BY_TYPE[c.type]
                resolved[n] = (c, key, SHORT_FORM_CONFIDENCE)
                continue
            stored = self._stored(c.text)
            if stored is not None and (not c.cued or stored.type == "person"):
                rec = self._adopt(stored)
                c.method, c.type, c.label = "lookup", rec.type, LABEL_BY_TYPE.get(rec.type, "MISC")
                resolved[n] = (c, rec.key, LOOKUP_CONFIDENCE)
                continue
            if c.weak:
                continue
            conf = CONFIDENCE[c.method] if c.cued else UNCUED_SINGLE_CONFIDENCE
            resolved[n] = (c, self._new_key(c).key, conf)
        return [r for r in resolved if r is not None]

    def _new_key(self, c: Candidate) -> EntityRecord:
        """A name no gazetteer entry knows: a stored entity with that name, else a new key."""
        stored = self._stored(c.text)
        if stored is not None and stored.type == c.type:
            return self._adopt(stored)
        code = self.scoped.get(id(c))
        if code is not None:
            national: tuple[str, str, str] | None = (
                f"org:{code}-{slug(c.text)}",
                code.upper(),
                slug(c.text),
            )
        else:
            national = self._national_body(c) if c.type == "organization" else None
        if national is not None:
            key, country, base = national
            record = self._record(key, c.text, c.type)
            record.country = record.country or country
            self.national_keys[key] = base
            return record
        key = f"{KEY_PREFIX.get(c.type, 'other')}:{slug(c.text)}"
        return self._record(key, c.text, c.type)

    def _national_body(self, c: Candidate) -> tuple[str, str, str] | None:
        """ "Labour Party of Norway", "Supreme Court of Kenya": a body whose name exists in
        many countries is keyed with its country (org:no-labour-party), as the gazetteer's
        government bodies are. Returns (key, country code, slug of the body's name)."""
        m = _OF_COUNTRY.match(c.text)
        if m is None:
            return None
        key = self.gaz.key_for(m.group(2))
        if key is None or not key.startswith("country:"):
            return None
        code = key.split(":", 1)[1]
        return f"org:{code}-{slug(m.group(1))}", code.upper(), slug(m.group(1))

    def _national_short_forms(self, resolved: list[tuple[Candidate, str, float] | None]) -> None:
        """ "The Supreme Court" after "Kenya's Supreme Court" in the same document: a body's
        bare name is that national body when the document names exactly one."""
        by_base: dict[str, set[str]] = defaultdict(set)
        for item in resolved:
            if item is not None and item[1] in self.national_keys:
                by_base[self.national_keys[item[1]]].add(item[1])
        for n, item in enumerate(resolved):
            if item is None or item[0].type != "organization":
                continue
            c, key, _ = item
            base = slug(c.text)
            if key != f"org:{base}" or len(by_base.get(base, ())) != 1:
                continue
            c.method = "short_form"
            resolved[n] = (c, next(iter(by_base[base])), SHORT_FORM_CONFIDENCE)


# the last word of a body whose name exists in many countries
_GENERIC_HEAD = (
    r"(?:Party|Court|Parliament|Assembly|Senate|Congress|Council|Commission|Bank|Army|"
    r"Police|Ministry|Front|Movement|Alliance|Union|Federation|Tribunal|Cabinet)"
)
# "<body> of [the] <country>"
_OF_COUNTRY = re.compile(rf"^(.+? {_GENERIC_HEAD}) of (?:the )?(.+)$")
# a generic body's own name: "Supreme Court", "Labour Party", "National Assembly"
_GENERIC_BODY = re.compile(rf"^(?:[A-Z][\w'’-]* )+{_GENERIC_HEAD}$")
_POSSESSIVE_GAP = frozenset({"'s ", "’s "})
# a mention of Georgia that the text places in the United States
_US_STATE_BEFORE = re.compile(r"(?:U\.?S\.? state of|state of|Atlanta,|Savannah,)\s*$")
_US_STATE_AFTER = re.compile(r"^,? ?(?:U\.?S\.?|USA|United States)\b")
US_GEORGIA = "place:georgia-us"


def _us_state(c: Candidate, passages: Sequence[Passage], starts: list[int]) -> bool:
    """Is this "Georgia" the US state by its context ("the US state of Georgia", "Atlanta,
    Georgia", "Georgia, U.S.")?"""
    if c.key != "country:ge" or not passages:
        return False
    p = passages[bisect_right(starts, c.char_start) - 1]
    a, b = c.char_start - p.char_start, c.char_end - p.char_start
    return bool(_US_STATE_BEFORE.search(p.text[max(0, a - 20) : a])) or bool(
        _US_STATE_AFTER.match(p.text[b : b + 20])
    )


def _generic_body(name: str) -> bool:
    """A body's name that many countries use: generic words before a generic head word."""
    if not _GENERIC_BODY.match(name):
        return False
    generic = load_word_lists().generic_body_words
    return all(word.lower() in generic for word in name.split()[:-1])


def _possessive_countries(
    ordered: list[Candidate], gazetteer: Gazetteer, passages: Sequence[Passage], starts: list[int]
) -> dict[int, str]:
    """ "Norway's Labour Party", "Kenya's Supreme Court": a generic body right after a
    country's possessive belongs to that country (id of the candidate -> alpha-2 code). A
    gazetteer key of another country's body with that name is dropped."""
    out: dict[int, str] = {}
    for a, b in zip(ordered, ordered[1:], strict=False):
        if not (a.key or "").startswith("country:") or not passages:
            continue
        if b.label not in ("ORG", "MISC") or not _generic_body(b.text):
            continue
        p = passages[bisect_right(starts, a.char_start) - 1]
        gap = p.text[a.char_end - p.char_start : b.char_start - p.char_start]
        if gap not in _POSSESSIVE_GAP:
            continue
        code = (a.key or "").split(":", 1)[1]
        known = gazetteer.entities.get(b.key) if b.key else None
        if known is not None and (known.country or "").lower() == code:
            continue  # the gazetteer already has this country's body
        b.key, b.type, b.label = None, "organization", "ORG"
        if b.method == "capitalized_span":
            b.method = "org_headword"
        b.short = False
        out[id(b)] = code
    return out


_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "an", "ash", "at", "az", "bin", "ibn"})


def _acronym_keys(
    cands: list[Candidate],
    resolved: list[tuple[Candidate, str, float] | None],
    acronyms: dict[int, int],
) -> dict[str, str]:
    """Acronym text -> the key of the full name it abbreviates in this document."""
    out: dict[str, str] = {}
    for short, full in acronyms.items():
        item = resolved[full]
        if item is not None and resolved[short] is None:
            out.setdefault(cands[short].text, item[1])
    return out


def find_acronyms(cands: list[Candidate], passages: Sequence[Passage]) -> dict[int, int]:
    """Index pairs (acronym, full name) for "Syrian Democratic Forces (SDF)": an all-capital
    single word in parentheses right after a name of two or more words (its letters may come
    from another language: "Kurdistan Workers' Party (PKK)")."""
    out: dict[int, int] = {}
    starts = [p.char_start for p in passages]
    for n in range(1, len(cands)):
        short, full = cands[n], cands[n - 1]
        if not (short.short and short.text.isupper() and len(short.text) >= 2):
            continue
        if len(full.text.split()) < 2:
            continue
        p = passages[bisect_right(starts, full.char_start) - 1] if passages else None
        if p is None:
            continue
        between = p.text[full.char_end - p.char_start : short.char_start - p.char_start]
        after = p.text[short.char_end - p.char_start : short.char_end - p.char_start + 1]
        if between == " (" and after == ")":
            out[n] = n - 1
    return out


def _promote_people(cands: list[Candidate]) -> None:
    """A two- or three-word unknown name whose last word is elsewhere used alone as a person
    ("Giuliani said") is a person's full name."""
    cued = {normalize(c.text) for c in cands if c.short and c.cued}
    for c in cands:
        words = c.text.split()
        if c.method == "capitalized_span" and 2 <= len(words) <= 3 and normalize(words[-1]) in cued:
            c.type, c.label, c.method = "person", "PERSON", "given_name"


def link(
    cands: list[Candidate],
    gazetteer: Gazetteer,
    passages: Sequence[Passage],
    lookup: AliasLookup | None = None,
    learned: LearnedNames = NO_NAMES,
) -> tuple[list[MentionRecord], dict[str, EntityRecord]]:
    """Mentions (document offsets, passage, label, method, confidence) and their entities,
    each entity carrying every name form seen as a ``document`` alias; entities that
    `learned` names are given their judged name and type."""
    linker = Linker(gazetteer, lookup, learned)
    starts = [p.char_start for p in passages]
    mentions: list[MentionRecord] = []
    ordered = sorted(cands, key=lambda c: c.char_start)
    us_state = [c for c in ordered if _us_state(c, passages, starts)]
    if us_state and not any(c.key == "place:tbilisi" for c in ordered):
        # the document's Georgia is the state: "the Georgia governor" follows "Atlanta, Georgia"
        us_state = [c for c in ordered if c.key == "country:ge"]
    for c in us_state:
        c.key, c.type = US_GEORGIA, "place"
        record = linker._record(US_GEORGIA, "Georgia", "place")
        record.country = "US"
    linker.scoped = _possessive_countries(ordered, gazetteer, passages, starts)
    for c, key, conf in linker.resolve(ordered, find_acronyms(ordered, passages)):
        if not slug(c.text):
            continue
        record = linker.records[key]
        if all(alias != c.text for alias, _ in record.aliases):
            record.aliases.append((c.text, "document"))
        seq = passages[bisect_right(starts, c.char_start) - 1].seq if passages else 0
        mentions.append(
            MentionRecord(key, seq, c.char_start, c.char_end, c.text, c.label, c.method, conf)
        )
    used = {m.entity_key for m in mentions}
    return mentions, {k: r for k, r in linker.records.items() if k in used}
