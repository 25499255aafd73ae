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
from dataclasses import dataclass

from spacy.attrs import ENT_IOB, ORTH
from spacy.tokens import Doc

from docstore.extract.gazetteer import WordLists
from docstore.extract.pipeline import doc_text

_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
_OPENERS = frozenset({":", "“", '"', "‘", "(", "[", "-", "–", "—", "•", "*", "\n"})

# method -> confidence of a rule-made mention
CONFIDENCE = {
    "gazetteer": 0.95,
    "title_pattern": 0.85,
    "org_headword": 0.75,
    "reporting_verb": 0.75,
    "given_name": 0.65,
    "capitalized_span": 0.45,
    "model": 0.7,
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

    def __init__(self, words: WordLists) -> None:
        self.w = words
        self._cache: dict[int, tuple[str, str, bool]] = {}
        self._body = ""

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
        arr = doc.to_array([ORTH, ENT_IOB]).tolist()
        info = [self._info(doc, orth) for orth, _ in arr]
        free = [iob in (0, 2) for _, iob in arr]  # not inside a ruler or model entity
        body = doc_text(doc)
        self._body = body
        lower_words = set(_LOWER_WORD.findall(body))
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
                elif (
                    (lower in connectors or (text == "-" and not doc[j - 1].whitespace_))
                    and j + 1 < n
                    and free[j + 1]
                    and info[j + 1][2]
                ):
                    j += 1
                else:
                    break
            for a, b in self._split_on_and(i, end, info):
                cand = self._classify(doc, a, b, info, lower_words)
                if cand is not None:
                    out.append(cand)
            i = end
        return out

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
        if len(lowers) >= 2:
            for heads, label, type_, method in (
                (w.org_heads, "ORG", "organization", "org_headword"),
                (w.event_heads, "EVENT", "event", "capitalized_span"),
                (w.fac_heads, "FAC", "place", "capitalized_span"),
                (w.loc_heads, "LOC", "place", "capitalized_span"),
            ):
                if last in heads or (last.endswith("s") and last[:-1] in heads):
                    return self._make(doc, start, end, label, type_, method)
        before = doc[start - 1] if start > 0 else None
        titled = (
            before is not None
            and before.is_lower
            and self._is_title(before.lower_)
            and before.lower_ not in w.title_modifiers
        )
        while start < end and (self._is_title(info[start][1]) or info[start][1] in w.connectors):
            titled = titled or self._is_title(info[start][1])
            start += 1
        if start >= end:
            return None
        size = end - start
        if size <= 2 and self._glued(doc, end, after=True):
            return None  # "John R." before a known "Bolton": part of that name
        if size == 1 and self._glued(doc, start, after=False):
            return None  # "Minsk Agreements": a word glued to a known name
        if all(info[k][1] in w.common_words for k in range(start, end)):
            return None
        if titled and size <= 4:
            return self._make(doc, start, end, "PERSON", "person", "title_pattern", cued=True)
        if size <= 4 and self._near_reporting_verb(doc, start, end):
            return self._make(doc, start, end, "PERSON", "person", "reporting_verb", cued=True)
        if size == 1:
            text, lower, _ = info[start]
            initial = self._sentence_initial(doc, start)
            if initial and lower in lower_words:
                return None
            cand = self._make(doc, start, end, "MISC", "other", "capitalized_span")
            # a lone capitalized word is weak evidence unless it looks like a name on its own
            distinctive = (text.isupper() and len(text) > 1) or any(c.isupper() for c in text[1:])
            cand.weak = initial or not (distinctive or self._body.count(text) > 1)
            return cand
        if info[start][0] in w.given_names and size <= 4:
            return self._make(doc, start, end, "PERSON", "person", "given_name")
        return self._make(doc, start, end, "MISC", "other", "capitalized_span")

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
    """Spans set by the gazetteer rulers (with a key) or a statistical ``ner`` (without)."""
    out = []
    for ent in doc.ents:
        if len(ent) > 1 and ent[0].lower_ == "the":
            ent = ent[1:]
        key = ent.ent_id_ or None
        method = "gazetteer" if key else "model"
        out.append(
            Candidate(
                ent.start,
                ent.end,
                ent.start_char,
                ent.end_char,
                ent.text,
                ent.label_,
                "",
                method,
                key=key,
                short=len(ent) == 1,
            )
        )
    return out
