"""Find gazetteer names in a tokenized document: the pipeline's first entity component.

Names are matched on the document's own text, from one token's start to another's end, so
the patterns are never tokenized: building the matcher for the whole gazetteer (tens of
thousands of names) takes milliseconds instead of the seconds a spaCy `EntityRuler` spends
tokenizing each pattern into a `PhraseMatcher`. A name of one word is matched exactly, so
that "US" never matches "us"; a name of several words (or a word with inner punctuation,
such as "al-Qaeda") is matched case-insensitively. Longer names win over shorter ones, then
earlier ones; entities already on the document are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from docstore.extract.gazetteer import Pattern

# one token to spaCy's English tokenizer: a word, or an abbreviation such as "U.S."
_ONE_WORD = re.compile(r"(?:\w+|(?:\w\.)+\w?\.?)", re.UNICODE)
# inside a phrase, where a token can end: after a word character before a non-word one, or
# after punctuation
_BOUNDARY = re.compile(r"(?<=\w)(?=\W)|(?<=[^\w\s])(?=.)")


class GazetteerMatcher:
    """Exact single words and case-folded phrases, by dictionary lookups along the tokens."""

    def __init__(self, names: Iterable[Pattern]) -> None:
        self.words: dict[str, tuple[str, str]] = {}
        self.phrases: dict[str, tuple[str, str]] = {}
        # lower-cased beginnings of phrases that end where a token can end: a scan stops as
        # soon as the text read so far begins no phrase
        self.prefixes: set[str] = set()
        for name in names:
            text = name.text.strip()
            if not text:
                continue
            if _ONE_WORD.fullmatch(text):
                self.words.setdefault(text, (name.label, name.key))
                continue
            folded = text.lower()
            self.phrases.setdefault(folded, (name.label, name.key))
            self.prefixes.update(_token_prefixes(folded))

    def __len__(self) -> int:
        return len(self.words) + len(self.phrases)

    def matches(self, doc: Doc, text: str) -> list[tuple[int, int, str, str]]:
        """(start token, end token, label, key) of every name in the document."""
        if not len(doc):
            return []
        starts, lengths = doc.to_array(["IDX", "LENGTH"]).T.tolist()
        ends = [s + n for s, n in zip(starts, lengths, strict=True)]
        n = len(starts)
        words, phrases, prefixes = self.words, self.phrases, self.prefixes
        found: list[tuple[int, int, str, str]] = []
        for i in range(n):
            begin = starts[i]
            word = text[begin : ends[i]]
            hit = words.get(word)
            if hit is not None:
                found.append((i, i + 1, *hit))
            if word.lower() not in prefixes:
                continue
            for j in range(i, n):
                folded = text[begin : ends[j]].lower()
                hit = phrases.get(folded)
                if hit is not None:
                    found.append((i, j + 1, *hit))
                if folded not in prefixes:
                    break
        return found

    def __call__(self, doc: Doc, text: str) -> Doc:
        found = self.matches(doc, text)
        if not found:
            return doc
        # phrases before single words, longer before shorter, earlier before later
        found.sort(key=lambda m: (m[1] - m[0] == 1, m[0] - m[1], m[0]))
        taken = (doc.to_array("ENT_TYPE") != 0).tolist()
        spans = []
        for start, end, label, key in found:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            spans.append(Span(doc, start, end, label=label, span_id=key))
        if spans:
            doc.set_ents(spans, default="unmodified")
        return doc


def _token_prefixes(folded: str) -> Iterable[str]:
    """Beginnings of a phrase that end at a possible token boundary: before a space, and on
    either side of punctuation."""
    yield folded
    for m in _BOUNDARY.finditer(folded):
        yield folded[: m.start()]
