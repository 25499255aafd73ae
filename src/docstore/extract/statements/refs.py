"""Resolve noun phrases to entity keys within one document.

Names resolve through their mention; definite descriptions through the entities'
countries, descriptions and the titles the document gives people ("the Belarusian
president" is the person whose country is BY and whose title says President; "the
Belarusian Foreign and Defence Ministers" are that person, else each office's ministry);
pronouns to the most recent person, or in transcripts and quotes to the speaker.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from docstore.extract.gazetteer import load_gazetteer, load_offices
from docstore.extract.statements.data import Cues
from docstore.extract.statements.text import Chunk, Token
from docstore.extract.types import Analysis, MentionRecord

PERSON_LABELS = frozenset({"PERSON"})


@dataclass(frozen=True)
class Ref:
    """What a noun phrase stands for: ``kind`` is name, description, group, office or
    pronoun. An office description naming several offices ("the Foreign and Defence
    Ministers") stands for ``key`` and the ``others``."""

    key: str | None
    kind: str
    text: str
    others: tuple[str, ...] = ()

    def each(self) -> list[Ref]:
        """One reference per entity: this one, then one for each of ``others``."""
        return [self, *(Ref(k, self.kind, self.text) for k in self.others)]


@dataclass
class DocRefs:
    """Document-wide state for resolution: people in text order and their titles."""

    analysis: Analysis
    cues: Cues
    titles: dict[str, list[str]] = field(default_factory=dict)
    # the person the text is about: the last sentence's first third-person subject
    topic: str | None = None
    sentence_start: int = 0
    _person_starts: list[int] = field(default_factory=list)
    _person_keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for m in sorted(self.analysis.mentions, key=lambda m: m.char_start):
            if self.is_person(m):
                self._person_starts.append(m.char_start)
                self._person_keys.append(m.entity_key)

    def is_person(self, m: MentionRecord) -> bool:
        ent = self.analysis.entities.get(m.entity_key)
        if ent is not None:
            return ent.type == "person"
        return m.label in PERSON_LABELS

    def entity_type(self, key: str) -> str | None:
        ent = self.analysis.entities.get(key)
        return ent.type if ent else None

    def country_key(self, key: str) -> str | None:
        """The country an entity is or belongs to, as an entity key known to the document."""
        ent = self.analysis.entities.get(key)
        if ent is None:
            return key if key.startswith("country:") else None
        if ent.type == "country":
            return key
        if ent.country:
            ck = f"country:{ent.country.lower()}"
            return ck if ck in self.analysis.entities else None
        return None

    def last_person(self, before: int) -> str | None:
        i = bisect.bisect_left(self._person_starts, before)
        return self._person_keys[i - 1] if i else None

    def person_for_pronoun(self, before: int) -> str | None:
        """A person named earlier in the sentence, else the topic, else the last person."""
        i = bisect.bisect_left(self._person_starts, before)
        if i and self._person_starts[i - 1] >= self.sentence_start:
            return self._person_keys[i - 1]
        return self.topic or (self._person_keys[i - 1] if i else None)

    def person_by_title(self, words: list[str], country: str | None, before: int) -> str | None:
        """The person whose description or document titles contain all title words."""
        candidates: set[str] = set()
        for key, ent in self.analysis.entities.items():
            if ent.type != "person":
                continue
            if country and self.country_key(key) != country:
                continue
            texts = [ent.description or ""] + self.titles.get(key, [])
            if any(_has_words(t, words) for t in texts):
                candidates.add(key)
        if not candidates:
            return None
        i = bisect.bisect_left(self._person_starts, before)
        for k in range(i - 1, -1, -1):
            if self._person_keys[k] in candidates:
                return self._person_keys[k]
        return next(iter(candidates)) if len(candidates) == 1 else None

    def resolve(self, tokens: list[Token], ch: Chunk, speaker: str | None = None) -> Ref | None:
        """What the chunk refers to, or None when it names nothing known."""
        body = self.analysis.doc.body
        text = body[tokens[ch.start].start : tokens[ch.end - 1].end]
        pos = tokens[ch.start].start
        if ch.pronoun is not None:
            return self._pronoun(ch.pronoun, pos, speaker, text)
        office = self._office(tokens, ch, text, pos)
        if office is not None:
            return office
        head = tokens[ch.end - 1]
        if head.mention is not None:
            m = head.mention
            if m.label == "NORP" and not head.bare.endswith("s") and ch.end < len(tokens):
                nxt = tokens[ch.end]
                if nxt.text[:1].islower() and nxt.lower not in self.cues.prepositions:
                    return None  # a demonym modifying a common noun ("Belarusian musicians")
            return Ref(m.entity_key, "name", text)
        country = None
        for m in ch.mentions:
            country = self.country_key(m.entity_key) or country
        word = head.bare
        if word in self.cues.group_nouns:
            return Ref(country, "group", text) if country else None
        if word in self.cues.title_heads:
            if word.endswith("s") and word[:-1] in self.cues.title_heads:
                return Ref(country, "group", text)
            words = [
                t.bare
                for t in tokens[ch.start : ch.end]
                if t.mention is None
                and (t.bare in self.cues.title_heads or t.bare in self.cues.title_modifiers)
            ]
            key = self.person_by_title(words, country, pos)
            return Ref(key, "description", text)
        return Ref(None, "name", text)

    def _office(self, tokens: list[Token], ch: Chunk, text: str, pos: int) -> Ref | None:
        """A description of minister offices of one country ("the Belarusian Foreign and
        Defence Ministers", "Ukraine's Foreign Minister", "Minister of Foreign Affairs of
        Belarus"): the person the document names in a single office, else each office's
        ministry, added to the document's entities. None for any other phrase."""
        offices = load_offices()
        span = tokens[ch.start : ch.end]
        if not any(t.mention is None and t.bare in offices.heads for t in span):
            return None
        before = tokens[ch.start - 1] if ch.start else None
        country = None
        if before is not None and before.possessive and before.mention is not None:
            country = before.mention.entity_key  # "Ukraine's Foreign Minister"
        read = _office_bodies(tokens, ch, country)
        if read is None:
            return None
        country, bodies = read
        if not bodies or country is None or not country.startswith("country:"):
            return None
        if len(bodies) == 1:
            words = [
                t.bare
                for t in span
                if t.mention is None
                and (t.bare in self.cues.title_heads or t.bare in self.cues.title_modifiers)
            ]
            person = self.person_by_title(words, country, pos)
            if person is not None:
                return Ref(person, "description", text)
        keys = self._ministries(country, bodies)
        return Ref(keys[0], "office", text, tuple(keys[1:])) if keys else None

    def _ministries(self, country: str, bodies: list[str]) -> list[str] | None:
        """Keys of the ministries named, added to the document's entities (None when the
        gazetteer lacks one)."""
        gazetteer = load_gazetteer()
        code = country.split(":", 1)[1]
        keys = []
        for body in dict.fromkeys(bodies):
            key = f"org:{code}-{body}"
            record = gazetteer.entities.get(key)
            if record is None:
                return None
            if key not in self.analysis.entities:
                self.analysis.entities[key] = replace(record, aliases=list(record.aliases))
            keys.append(key)
        return keys

    def _pronoun(self, word: str, pos: int, speaker: str | None, text: str) -> Ref | None:
        if word in self.cues.person_pronouns:
            key = self.person_for_pronoun(pos)
            return Ref(key, "pronoun", text) if key else None
        if speaker is None:
            return None
        if word in self.cues.speaker_pronouns:
            return Ref(speaker, "pronoun", text)
        return Ref(self.country_key(speaker) or speaker, "pronoun", text)


def _office_bodies(
    tokens: list[Token], ch: Chunk, country: str | None
) -> tuple[str | None, list[str]] | None:
    """(country, ministry bodies) named by an office phrase; None when a word of it is
    not part of an office ("Prime Minister", "Deputy Foreign Minister", "his ...")."""
    offices = load_offices()
    bodies: list[str] = []
    k = ch.start
    while k < ch.end:
        t = tokens[k]
        if t.mention is not None:
            country = t.mention.entity_key
            k += 1
            continue
        phrase = next(
            (
                (words, body)
                for words, body in offices.phrases.get(t.lower, ())
                if all(k + n < ch.end and tokens[k + n].lower == w for n, w in enumerate(words))
            ),
            None,
        )
        if phrase is not None:
            bodies.append(phrase[1])
            k += len(phrase[0])
            continue
        if t.bare not in offices.heads and t.lower not in ("the", "and", "&", ",", "of"):
            return None
        k += 1
    return country, bodies


def _has_words(text: str, words: list[str]) -> bool:
    if not words or not text:
        return False
    have = set(text.lower().replace("(", " ").replace(")", " ").split())
    return all(w in have or w.rstrip("s") in have for w in words)
