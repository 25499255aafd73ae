"""Entity candidates: gazetteer/model spans from the Doc plus rule-based names.

The rules work on runs of capitalized tokens that no ruler claimed. A run is classified by its
context (a title before it, a reporting verb next to it) or its head word (Ministry, Council ...).
Sentence-initial words that the document also uses in lower case, or that are common English
words, are stripped, so "Interestingly" or "According" never start a name.

Spans never include a leading "the" nor a possessive ending: "Lukashenka’s" gives the mention
"Lukashenka" (spaCy splits "’s" and "’" off as their own tokens).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.attrs import ENT_ID, ENT_IOB, ORTH
from spacy.tokens import Doc

from docstore.extract.gazetteer import WordLists
from docstore.extract.learned import LEARNED_METHOD, NOT_A_NAME, SPANS_KEY
from docstore.extract.pipeline import doc_text

_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
_POSSESSIVE_MARKS = frozenset({"'", "’", "'s", "’s"})
_OPENERS = frozenset({":", "“", '"', "‘", "(", "[", "-", "–", "—", "•", "*", "\n"})

# entity key prefix -> the mention label of a gazetteer name found by a rule
_LABEL_BY_KEY = {
    "person": "PERSON",
    "org": "ORG",
    "country": "GPE",
    "place": "GPE",
    "event": "EVENT",
}

# method -> confidence of a rule-made mention
CONFIDENCE = {
    "gazetteer": 0.95,
    "title_pattern": 0.85,
    "org_headword": 0.75,
    "reporting_verb": 0.75,
    "given_name": 0.65,
    "capitalized_span": 0.45,
    "model": 0.7,
    LEARNED_METHOD: 1.0,
}


@dataclass
class Candidate:
    """A span that names something; `key` is set when the gazetteer (or linking) knows it."""

    start: int  # token index
    end: int
    char_start: int
    char_end: int
    text: str
    label: str
    type: str
    method: str
    key: str | None = None
    # single capitalized word: may be a short form of a name seen elsewhere
    short: bool = False
    cued: bool = False  # a title or reporting verb marks it as a person
    weak: bool = False  # kept only if linking ties it to a known name


def _is_cap(text: str) -> bool:
    return text[:1].isupper() and all(c.isalpha() or c in ".-'’" for c in text)


class NameRules:
    """Rule-based name finder over the tokens the rulers left alone."""

    def __init__(
        self, words: WordLists, key_for: Callable[[str], str | None] | None = None
    ) -> None:
        self.w = words
        # gazetteer lookup of a full name ("Republican Party" for "Republican Parties")
        self.key_for = key_for
        self._cache: dict[int, tuple[str, str, bool]] = {}
        self._body = ""
        self._lower_words: set[str] = set()
        # a run holding one of these is never typed a person by its given name or surname
        self._heads = words.org_heads | words.loc_heads | words.fac_heads | words.event_heads
        # name particles: "bin", "al-", "de", "van" (the connectors that are not English words)
        self._particles = words.connectors - {"of", "for", "and", "the", "on", "in"}

    def _info(self, doc: Doc, orth: int) -> tuple[str, str, bool]:
        info = self._cache.get(orth)
        if info is None:
            text = doc.vocab.strings[orth]
            info = (text, text.lower(), _is_cap(text))
            if len(self._cache) < 200_000:
                self._cache[orth] = info
        return info

    def _is_title(self, lower: str) -> bool:
        titles = self.w.titles
        return lower in titles or (lower.endswith("s") and lower[:-1] in titles)

    def find(self, doc: Doc) -> list[Candidate]:
        arr = doc.to_array([ORTH, ENT_IOB, ENT_ID]).tolist()
        info = [self._info(doc, orth) for orth, _, _ in arr]
        # not inside a gazetteer entity; a model's entity (no id) the rules may re-read, and
        # `merge_candidates` chooses between the two
        free = [iob in (0, 2) or not ent_id for _, iob, ent_id in arr]
        body = doc_text(doc)
        self._body = body
        lower_words = set(_LOWER_WORD.findall(body))
        self._lower_words = lower_words
        connectors = self.w.connectors
        out: list[Candidate] = []
        n = len(doc)
        i = 0
        while i < n:
            if not (free[i] and info[i][2]):
                i += 1
                continue
            end = j = i + 1
            while j < n and free[j]:
                text, lower, cap = info[j]
                if cap:
                    end = j = j + 1
                elif self._syllable_join(doc, j, info, free):
                    end = j = j + 2  # "Kim Yo-jong", "Moon Jae-in", "Chan-o-cha"
                elif (
                    (lower in connectors or (text == "-" and not doc[j - 1].whitespace_))
                    and j + 1 < n
                    and free[j + 1]
                    and info[j + 1][2]
                    and info[j + 1][1] not in self.w.common_words  # "Soleimani in January"
                ):
                    j += 1
                else:
                    step = self._inner_join(doc, i, j, info, free)
                    if not step:
                        break
                    end = j = j + step
            caps = self._all_caps(doc, i, end, info)
            if caps is not None:
                out += caps
                i = end
                continue
            coordinated = self._coordinated_heads(doc, i, end, info)
            if coordinated:
                out += coordinated
                i = end
                continue
            for a, b in self._split_on_and(i, end, info):
                out += self._classify_split(doc, a, b, info, lower_words)
            i = end
        return out

    @staticmethod
    def _syllable_join(
        doc: Doc, j: int, info: list[tuple[str, str, bool]], free: list[bool]
    ) -> bool:
        """A hyphen glued between a short name syllable and a short lower-case one, as in
        romanized Korean and Thai names; "Moscow-backed" and "Paris-based" do not qualify
        (the word before is longer than a syllable)."""
        if j + 1 >= len(doc) or doc[j].text != "-" or not free[j + 1]:
            return False
        before, after = doc[j - 1], doc[j + 1]
        return (
            not before.whitespace_
            and not doc[j].whitespace_
            and 1 <= len(before.text) <= 4
            and before.is_alpha
            and (before.text[:1].isupper() or before.text.islower())
            and after.is_alpha
            and after.text.islower()
            and len(after.text) <= 4
            and not info[j + 1][2]
        )

    def _all_caps(
        self, doc: Doc, start: int, end: int, info: list[tuple[str, str, bool]]
    ) -> list[Candidate] | None:
        """A run in capitals (a headline, a dateline "MOSCOW (Reuters) -") holds only the
        names the gazetteer knows, never one long name; None when the run is not in
        capitals, or is a single word the gazetteer does not know (an acronym)."""
        words = [k for k in range(start, end) if info[k][2]]
        if not words or not all(info[k][0].isupper() and len(info[k][0]) > 1 for k in words):
            return None
        if self.key_for is None:
            return None if len(words) == 1 else []
        out: list[Candidate] = []
        k = start
        while k < end:
            for size in range(min(4, end - k), 0, -1):
                text = doc[k : k + size].text
                key = self.key_for(text) if info[k][2] and info[k + size - 1][2] else None
                if key is not None and (size > 1 or len(text) > 2):
                    label = _LABEL_BY_KEY.get(key.split(":", 1)[0], "MISC")
                    cand = self._make(doc, k, k + size, label, "", "gazetteer")
                    cand.key = key
                    out.append(cand)
                    k += size
                    break
            else:
                k += 1
        if len(words) == 1 and not out:
            return None
        return out

    def _classify_split(
        self,
        doc: Doc,
        start: int,
        end: int,
        info: list[tuple[str, str, bool]],
        lower_words: set[str],
    ) -> list[Candidate]:
        """Classify a run; a person's name stops before "of": "Senator Ron Wyden of Oregon" is
        the person "Ron Wyden" and the place "Oregon" (organizations keep their "of"); a
        person's or an untyped name stops before "in"."""
        cand = self._classify(doc, start, end, info, lower_words)
        if cand is None:
            return []
        body_and_person = self._role_of_body(doc, cand, info, lower_words)
        if body_and_person:
            return body_and_person
        if cand.type not in ("person", "other"):
            return [cand]
        # "Ziad al-Sharabi in Mokha": an untyped name stops before "in" too
        stops = ("of", "in") if cand.type == "person" else ("in",)
        cut = next(
            (
                k
                for k in range(cand.start + 1, cand.end)
                if info[k][1] in stops and doc[k - 1].whitespace_  # not "Jae-in"
            ),
            None,
        )
        if cut is None:
            return [cand]
        first = self._make(doc, cand.start, cut, cand.label, cand.type, cand.method, cand.cued)
        return [first, *self._classify_split(doc, cut + 1, cand.end, info, lower_words)]

    def _role_of_body(
        self,
        doc: Doc,
        cand: Candidate,
        info: list[tuple[str, str, bool]],
        lower_words: set[str],
    ) -> list[Candidate]:
        """ "the CEO of Oxfam Amitabh Behar": after a role and "of", a run of three or more
        words is the body the role belongs to, then the person (the last two words)."""
        if cand.type not in ("person", "other"):
            return []
        k = cand.start - 1
        if k >= 1 and info[k][1] == "the":
            k -= 1  # "the head of the World Food Programme David Beasley"
        if k < 1 or info[k][1] != "of":
            return []
        role = info[k - 1][1]
        if not (self._is_title(role) or role in self.w.role_words):
            return []
        words = [t for t in range(cand.start, cand.end) if info[t][2]]
        if len(words) < 3:
            return []
        split = words[-2]
        w = self.w
        heads = w.org_heads | w.loc_heads | w.fac_heads | w.event_heads | w.common_words
        if any(info[t][1] in heads for t in words[-2:]):
            return []  # "the head of the World Health Organization": no person in it
        body = self._classify(doc, cand.start, split, info, lower_words)
        if body is None:
            return []
        if body.type in ("other", "person"):
            body = self._make(doc, body.start, body.end, "ORG", "organization", "org_headword")
        person = self._make(doc, split, cand.end, "PERSON", "person", "title_pattern", cued=True)
        return [body, person]

    def _head_singular(self, lower: str) -> str | None:
        """The organization head a plural names ("parties" -> "party"), if it is one."""
        for singular in (lower[:-3] + "y" if lower.endswith("ies") else "", lower[:-1]):
            if singular and singular in self.w.org_heads:
                return singular
        return None

    def _coordinated_heads(
        self, doc: Doc, start: int, end: int, info: list[tuple[str, str, bool]]
    ) -> list[Candidate]:
        """ "the Democratic and Republican Parties": one known organization per conjunct
        ("Democratic Party", "Republican Party"), else nothing."""
        while start < end and (
            info[start][1] in self.w.common_words or info[start][1] in self.w.connectors
        ):
            start += 1  # "The Democratic and ..."
        if self.key_for is None or end - start < 4 or not info[end - 1][1].endswith("s"):
            return []
        head = self._head_singular(info[end - 1][1])
        if head is None or not any(info[k][1] == "and" for k in range(start, end - 1)):
            return []
        parts, a = [], start
        for k in range(start, end - 1):
            if info[k][1] in ("and", ","):
                parts.append((a, k))
                a = k + 1
        parts.append((a, end - 1))
        out = []
        for x, y in parts:
            if x >= y:
                continue
            key = self.key_for(f"{doc[x:y].text} {head}")
            if key is None:
                return []
            last = y == end - 1
            cand = self._make(doc, x, end if last else y, "ORG", "organization", "org_headword")
            cand.key = key
            out.append(cand)
        return out

    def _inner_join(
        self, doc: Doc, start: int, j: int, info: list[tuple[str, str, bool]], free: list[bool]
    ) -> int:
        """How many tokens from j continue the name started at `start` (0: none): a particle
        glued by a hyphen ("al-Assad"), a plural or common-noun possessive inside an
        organization name ("Workers' Party", "People's Protection Units"), or "of" and a
        known place after a geographic or organization head ("Gulf of Oman", "Democratic
        Forces for the Liberation of Rwanda")."""
        n = len(doc)
        text, lower, _ = info[j]
        glued = not doc[j - 1].whitespace_
        heads = self.w.org_heads | self.w.loc_heads | self.w.event_heads
        headed = any(info[k][1] in heads for k in range(start, j))
        if (
            headed
            and lower in self.w.connectors
            and lower != "and"  # "X Party and the Y Union" is two names
            and j + 2 < n
            and info[j + 1][1] == "the"
            and free[j + 1]
            and free[j + 2]
            and info[j + 2][2]
            and info[j + 2][1] not in self.w.common_words
        ):
            return 2  # "Forces for the Liberation"
        if (
            lower in self.w.connectors
            and j + 2 < n
            and not doc[j].whitespace_
            and info[j + 1][0] == "-"
            and not doc[j + 1].whitespace_
            and free[j + 2]
            and info[j + 2][2]
        ):
            return 2
        if (
            text == "-"
            and glued
            and j + 1 < n
            and not doc[j].whitespace_
            and free[j + 1]
            and info[j + 1][0].isalpha()
            and info[j + 1][0].islower()
            and len(info[j + 1][0]) <= 3
            and info[j - 1][2]
            and (j + 2 >= n or doc[j + 1].whitespace_ or not doc[j + 2].is_alpha)
        ):
            return 2  # a hyphenated lower-case syllable: "Moon Jae-in"
        if (
            glued
            and text in _POSSESSIVE_MARKS
            and (text in ("'", "’") or info[j - 1][1] in self.w.name_possessives)
        ):
            k = j + 1
            while k < n and free[k] and info[k][2]:
                k += 1
            last = info[k - 1][1] if k > j + 1 else ""
            if last in heads or (last.endswith("s") and last[:-1] in heads):
                return 1
        headed = info[start][1] in self.w.loc_heads or any(
            info[k][1] in self.w.org_heads for k in range(start, j)
        )
        if (
            lower == "of"
            and j + 1 < n
            and headed
            and doc[j + 1].ent_iob_ == "B"
            and doc[j + 1].ent_type_ in ("GPE", "LOC")
        ):
            k = j + 2
            while k < n and doc[k].ent_iob_ == "I":
                k += 1
            return k - j
        return 0

    def _entity_prefix(self, doc: Doc, start: int) -> int | None:
        """Start of a demonym or place name (or a dash-joined chain of them) right before the
        run: "Syrian Army", "Iran–Iraq War" name one organization or event."""
        k = start - 1
        if k < 0 or doc[k].ent_type_ not in ("NORP", "GPE") or not doc[k].whitespace_:
            return None
        while True:
            while k > 0 and doc[k].ent_iob_ == "I":
                k -= 1
            dash = k - 1
            if (
                dash > 0
                and doc[dash].text in ("-", "–", "—")
                and not doc[dash].whitespace_
                and not doc[dash - 1].whitespace_
                and doc[dash - 1].ent_type_ in ("NORP", "GPE")
            ):
                k = dash - 1
                continue
            return k

    def _split_on_and(
        self, start: int, end: int, info: list[tuple[str, str, bool]]
    ) -> list[tuple[int, int]]:
        """ "Peter Brandt and Senator Tom Okafor" is two names; "Committee on Oversight and
        Reform" (ending in a head word) stays one."""
        last = info[end - 1][1]
        heads = self.w.org_heads | self.w.event_heads
        if last in heads or not any(info[k][1] == "and" for k in range(start, end)):
            return [(start, end)]
        parts, a = [], start
        for k in range(start, end):
            if info[k][1] == "and":
                parts.append((a, k))
                a = k + 1
        parts.append((a, end))
        return [(x, y) for x, y in parts if x < y]

    def _sentence_initial(self, doc: Doc, i: int) -> bool:
        if i == 0 or doc[i].is_sent_start:
            return True
        prev = doc[i - 1]
        return prev.text in _OPENERS or prev.is_space

    def _classify(
        self,
        doc: Doc,
        start: int,
        end: int,
        info: list[tuple[str, str, bool]],
        lower_words: set[str],
    ) -> Candidate | None:
        w = self.w
        if end - start >= 2 and info[start][1] in w.event_prefixes:
            return self._make(doc, start, end, "EVENT", "event", "capitalized_span")
        # strip sentence-initial ordinary words, and common words anywhere at the start
        while start < end:
            lower = info[start][1]
            initial = self._sentence_initial(doc, start)
            ordinary = lower in w.common_words or lower in w.connectors or lower == "-"
            verbish = lower.endswith(("ly", "ing", "ed")) and info[start][0] not in w.given_names
            if ordinary or (initial and (lower in lower_words or verbish)):
                start += 1
                continue
            break
        while end > start and (info[end - 1][1] in w.connectors or info[end - 1][0] == "-"):
            if end - 3 >= start and info[end - 2][0] == "-" and not doc[end - 3].whitespace_:
                break  # "Jae-in": a syllable hyphenated to the name
            end -= 1
        if start >= end:
            return None
        lowers = [info[k][1] for k in range(start, end)]
        last = lowers[-1].rstrip(".")
        if any(
            a in w.org_heads and b in ("of", "for")
            for a, b in zip(lowers, lowers[1:], strict=False)
        ):
            return self._make(doc, start, end, "ORG", "organization", "org_headword")
        if len(lowers) >= 3 and lowers[0] in w.loc_heads and lowers[1] == "of":
            return self._make(doc, start, end, "LOC", "place", "capitalized_span")
        prefix = self._entity_prefix(doc, start)
        if len(lowers) >= 2 or prefix is not None:
            for heads, label, type_, method in (
                (w.org_heads, "ORG", "organization", "org_headword"),
                (w.event_heads, "EVENT", "event", "capitalized_span"),
                (w.fac_heads, "FAC", "place", "capitalized_span"),
                (w.loc_heads, "LOC", "place", "capitalized_span"),
            ):
                if last in heads or (last.endswith("s") and last[:-1] in heads):
                    first = start if prefix is None else prefix
                    return self._make(doc, first, end, label, type_, method)
        cue = doc[start - 1] if start > 0 else None
        if cue is not None and cue.is_lower and cue.lower_ in w.org_cues and end - start <= 4:
            return self._make(doc, start, end, "ORG", "organization", "org_headword")  # "agency X"
        titled = self._titled_before(doc, start)
        last_role = None
        for k in range(start, end):
            lower = info[k][1]
            if self._is_title(lower) or lower in w.role_words:
                last_role = k
            elif lower not in w.title_modifiers:
                break
        if last_role is not None and last_role + 1 < end and info[last_role + 1][2]:
            titled = True  # "Shadow Foreign Secretary David Lammy" -> "David Lammy"
            start = last_role + 1
        while start < end and (
            self._is_title(info[start][1])
            or info[start][1] in w.connectors
            or info[start][0] == "-"
        ):
            titled = titled or self._is_title(info[start][1])
            start += 1
        if start >= end:
            return None
        size = sum(1 for k in range(start, end) if info[k][2])  # words, not "-" or "al"
        named = self._name_around_place(doc, start, end, info)
        if named is not None:
            return named
        if size <= 2 and self._glued(doc, end, after=True):
            return None  # "John R." before a known "Bolton": part of that name
        if end - start == 1 and self._glued(doc, start, after=False):
            return None  # "Minsk Agreements": a word glued to a known name
        if all(info[k][1] in w.common_words for k in range(start, end)):
            return None
        acronym = end - start == 1 and info[start][0].isupper()  # "the SDF said": not a person
        if all(info[k][1] in w.non_person_subjects for k in range(start, end)):
            return None  # "Traders said", "Analysts say"
        if titled and size <= 4 and not acronym:
            return self._make(doc, start, end, "PERSON", "person", "title_pattern", cued=True)
        if size <= 4 and not acronym and self._near_reporting_verb(doc, start, end):
            return self._make(doc, start, end, "PERSON", "person", "reporting_verb", cued=True)
        if end - start == 1:
            text, lower, _ = info[start]
            initial = self._sentence_initial(doc, start)
            if initial and lower in lower_words:
                return None
            if self._party_adjective(doc, start, text):
                return None
            cand = self._make(doc, start, end, "MISC", "other", "capitalized_span")
            # a lone capitalized word is weak evidence unless it looks like a name on its own
            distinctive = (text.isupper() and len(text) > 1) or any(c.isupper() for c in text[1:])
            cand.weak = initial or not (distinctive or self._body.count(text) > 1)
            return cand
        if info[start][0] in w.given_names and size <= 4:
            return self._make(doc, start, end, "PERSON", "person", "given_name")
        # the open name lists type what is still untyped after the context and the model
        # (`retype_other`)
        return self._make(doc, start, end, "MISC", "other", "capitalized_span")

    def _person_name(
        self, start: int, end: int, info: list[tuple[str, str, bool]], lower_words: set[str]
    ) -> bool:
        """Two to four capitalized words that read as a person's name: the first a known given
        name, or two words, a known surname after a word that reads like a given name; no
        organization, place, facility or event head word anywhere ("Youssef Chahed", "Souhail
        Garcia"; not "Grant Thornton", "Patrice Talon Foundation"). Name particles ("bin",
        "al-", "El", "de") are not counted as words."""
        words = []
        for k in range(start, end):
            text, lower, cap = info[k]
            if lower in self._particles:
                continue
            if lower in self.w.connectors:
                return False  # "Of", "And", "The" inside: a title, not a name
            lower = lower.rstrip(".")
            if lower in self._heads or (lower.endswith("s") and lower[:-1] in self._heads):
                return False
            if cap and (self._is_title(lower) or lower in self.w.role_words):
                return False  # "Presidential Spokesperson X Y": the person is not the run
            if cap:
                words.append(k)
        if not 2 <= len(words) <= 4:
            return False
        k = words[-1]
        last = info[k][1]
        after_particle = info[k - 1][1] in self._particles or (
            info[k - 1][0] == "-" and k - 2 >= start and info[k - 2][1] in self._particles
        )
        if not after_particle and (last in lower_words or last in self.w.common_words):
            return False  # "Christian Democrats" where the text writes "democrats"
        first = info[words[0]][0]
        if first in self.w.given_names or first in self.w.open_given_names:
            return True
        # an unknown first word only in a pair: in "Moderator Chris Wallace" or "Muslim Zara
        # Kay" the run holds more than the person
        return (
            len(words) == 2
            and last in self.w.surnames
            and self._given_like(info[words[0]], lower_words)
        )

    def _given_like(self, word: tuple[str, str, bool], lower_words: set[str]) -> bool:
        """A known given name, or a word that could be one: not an English word the name
        lists left out ("Grant"), not a surname of its own ("Goldman"), not a word the text
        writes in lower case, a title or a role."""
        text, lower, _ = word
        w = self.w
        if text in w.given_names or text in w.open_given_names:
            return True
        return not (
            len(text) < 3
            or text.isupper()
            or lower in w.name_words
            or lower in w.surnames
            or lower in w.common_words
            or lower in lower_words
            or self._is_title(lower)
            or lower in w.role_words
            or lower in w.title_modifiers
        )

    def retype_other(self, doc: Doc, cands: list[Candidate]) -> None:
        """Untyped names (the model's or the capitalized-span fallback's MISC, after the
        context typed what it could: a name after "at" or "in" is a place) that read as a
        person's name by the open name lists become persons, in place."""
        for c in cands:
            if (
                c.label != "MISC"
                or c.method not in ("model", "capitalized_span")
                or c.key is not None
                or not 2 <= c.end - c.start <= 8
            ):
                continue
            info = [self._info(doc, doc[k].orth) for k in range(c.start, c.end)]
            if self._person_name(0, len(info), info, self._lower_words):
                c.label, c.type, c.method, c.weak = "PERSON", "person", "given_name", False

    def _name_around_place(
        self, doc: Doc, start: int, end: int, info: list[tuple[str, str, bool]]
    ) -> Candidate | None:
        """One capitalized word right before or after a known city or place, in one name:
        "Real Madrid", "Hapoel Jerusalem", "Munich Re" name an organization, not the place."""
        if end - start != 1 or self._sentence_initial(doc, start):
            return None
        text, lower, _ = info[start]
        w = self.w
        if (
            lower in w.common_words
            or lower in w.place_modifiers
            or lower in w.connectors
            or self._is_title(lower)
            or lower in w.role_words
            or text.isupper()
            or any(lower in heads for heads in (w.org_heads, w.event_heads, w.loc_heads))
            or any(lower in heads for heads in (w.fac_heads,))
        ):
            return None
        place = self._place_next_to(doc, start, end)
        if place is None:
            return None
        a, b = min(start, place[0]), max(end, place[1])
        return self._make(doc, a, b, "ORG", "organization", "capitalized_span")

    @staticmethod
    def _place_next_to(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
        """The known city or place (a gazetteer GPE span) directly after or before the word."""
        if end < len(doc) and doc[end].ent_iob_ == "B" and doc[start].whitespace_ == " ":
            k = end + 1
            while k < len(doc) and doc[k].ent_iob_ == "I":
                k += 1
            if doc[end].ent_type_ == "GPE" and doc[end].ent_id_.startswith("place:"):
                return end, k
        if start > 0 and doc[start - 1].ent_iob_ in ("B", "I") and doc[start - 1].whitespace_:
            k = start - 1
            while k > 0 and doc[k].ent_iob_ == "I":
                k -= 1
            if doc[k].ent_type_ == "GPE" and doc[k].ent_id_.startswith("place:"):
                return k, start
        return None

    def _party_adjective(self, doc: Doc, start: int, text: str) -> bool:
        """ "Republican side", "Democratic primary": the adjective of a known party, not a name
        of its own."""
        nxt = doc[start + 1] if start + 1 < len(doc) else None
        return (
            self.key_for is not None
            and nxt is not None
            and nxt.is_lower
            and nxt.is_alpha
            and self.key_for(f"{text} Party") is not None
        )

    def _titled_before(self, doc: Doc, start: int) -> bool:
        """A lower-case title right before the run ("minister Sameh Shoukry"), or before a
        comma that sets the name off ("the current president, Alexander Lukashenko")."""
        k = start - 1
        if k >= 1 and doc[k].text == ",":
            k -= 1
        if k < 0:
            return False
        before = doc[k]
        return (
            before.is_lower
            and self._is_title(before.lower_)
            and before.lower_ not in self.w.title_modifiers
            and (k == start - 1 or before.lower_ not in ("of", "the"))
        )

    def _near_reporting_verb(self, doc: Doc, start: int, end: int) -> bool:
        verbs = self.w.reporting_verbs
        if end < len(doc) and doc[end].lower_ in verbs:
            return True
        return start > 0 and doc[start - 1].lower_ in verbs and doc[start - 1].is_lower

    @staticmethod
    def _glued(doc: Doc, pos: int, after: bool) -> bool:
        """Is the run (ending at `pos`, or starting at it) directly joined to an entity?
        "Old Europe", "Russo-Ukrainian", "Minsk Agreements"."""
        if after:
            nxt = pos + 1 if pos < len(doc) and doc[pos].text == "-" else pos
            return (
                nxt < len(doc) and doc[nxt].ent_iob_ == "B" and not doc[pos - 1].text.endswith(",")
            )
        prev = pos - 1
        return prev >= 0 and doc[prev].ent_iob_ in ("B", "I") and bool(doc[prev].whitespace_)

    @staticmethod
    def _make(
        doc: Doc, start: int, end: int, label: str, type_: str, method: str, cued: bool = False
    ) -> Candidate:
        span = doc[start:end]
        return Candidate(
            start,
            end,
            span.start_char,
            span.end_char,
            span.text,
            label,
            type_,
            method,
            short=end - start == 1,
            cued=cued,
        )


def ruler_candidates(doc: Doc) -> list[Candidate]:
    """Spans set by the gazetteer rulers (with a key), the learned names (with a key, kept
    as the analysts wrote them) or a statistical ``ner`` (without)."""
    out = []
    learned = doc.user_data.get(SPANS_KEY, ())
    for ent in doc.ents:
        # read label and key before trimming: a sliced Span carries neither
        label, key = ent.label_, ent.ent_id_ or None
        if label == NOT_A_NAME:
            continue  # a rejected entity's name: claimed so that nothing else takes it
        if key and (ent.start, ent.end) in learned:
            method = LEARNED_METHOD
        else:
            if len(ent) > 1 and ent[0].lower_ == "the":
                ent = ent[1:]
            method = "gazetteer" if key else "model"
        out.append(
            Candidate(
                ent.start,
                ent.end,
                ent.start_char,
                ent.end_char,
                ent.text,
                label,
                "",
                method,
                key=key,
                short=len(ent) == 1,
            )
        )
    return out
