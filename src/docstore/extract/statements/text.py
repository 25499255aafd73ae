"""Tokens and noun-phrase chunks of one sentence, for rules that run without a tagger.

The blank spaCy pipeline gives no parts of speech, so phrases are found from shape:
entity mentions, capitalized words, title and group nouns, determiners and pronouns.
Offsets stay absolute (into the document body) so evidence can be cut exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docstore.extract.statements.data import Cues
from docstore.extract.types import MentionRecord

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-’'.&]\w+)*(?:[’']s\b)?|[’']ll\b|[^\w\s]")
_POSSESSIVE = ("’s", "'s")


class Token:
    """One word or punctuation mark, with the shape features rules ask about."""

    __slots__ = ("text", "lower", "bare", "start", "end", "possessive", "capitalized", "mention")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.lower = text.lower()
        self.possessive = self.lower.endswith(_POSSESSIVE)
        # lower-cased text without a possessive ending
        self.bare = self.lower[:-2] if self.possessive else self.lower
        self.capitalized = text[:1].isupper()
        self.start = start
        self.end = end
        self.mention: MentionRecord | None = None


@dataclass
class Chunk:
    """A noun phrase: tokens[start:end] of the sentence."""

    start: int
    end: int
    mentions: list[MentionRecord]
    pronoun: str | None = None

    @property
    def size(self) -> int:
        return self.end - self.start


def tokenize(body: str, start: int, end: int, mentions: list[MentionRecord]) -> list[Token]:
    """Tokens of body[start:end], each tied to the mention that covers it, if any."""
    text = body[start:end]
    tokens = [Token(m.group(), start + m.start(), start + m.end()) for m in _TOKEN.finditer(text)]
    if mentions:
        j = 0
        ordered = sorted(mentions, key=lambda m: m.char_start)
        for tok in tokens:
            while j < len(ordered) and ordered[j].char_end <= tok.start:
                j += 1
            k = j
            while k < len(ordered) and ordered[k].char_start < tok.end:
                if ordered[k].char_end > tok.start:
                    tok.mention = ordered[k]
                k += 1
    return tokens


def _nominal(tok: Token, cues: Cues) -> bool:
    if tok.mention is not None:
        return True
    if tok.bare in cues.title_heads or tok.bare in cues.group_nouns:
        return True
    if tok.bare in cues.title_modifiers:
        return True
    return tok.capitalized and tok.text[:1].isalpha()


def chunk_at(
    tokens: list[Token],
    i: int,
    cues: Cues,
    sentence_start: bool = False,
    blocked: frozenset[int] = frozenset(),
) -> Chunk | None:
    """The noun phrase starting at token i (not running into ``blocked`` tokens), or None."""
    n = len(tokens)
    if blocked:
        n = next((k for k in range(i, n) if k in blocked), n)
    if i >= n:
        return None
    pronoun = _pronoun_chunk(tokens, i, n, cues)
    if pronoun is not None:
        return pronoun
    tok = tokens[i]
    head_start = i
    if tok.mention is None and (tok.lower in cues.determiners or tok.lower in cues.possessives):
        head_start += 1
    j = _phrase_end(tokens, head_start, n, cues, first_of_sentence=sentence_start)
    if j is None:
        return None
    while j > head_start and tokens[j - 1].text == ".":
        j -= 1
    if j == head_start:
        return None
    found: list[MentionRecord] = []
    for t in tokens[i:j]:
        if t.mention is not None and (not found or found[-1] is not t.mention):
            found.append(t.mention)
    return Chunk(i, j, found)


def _pronoun_chunk(tokens: list[Token], i: int, n: int, cues: Cues) -> Chunk | None:
    tok = tokens[i]
    if tok.mention is not None:
        return None
    personal = tok.lower in cues.person_pronouns or tok.lower in cues.speaker_pronouns
    # "her" before a noun is a possessive determiner ("her troops"), not a phrase
    if personal and not (tok.lower == "her" and i + 1 < n and _nominal(tokens[i + 1], cues)):
        return Chunk(i, i + 1, [], pronoun=tok.lower)
    if tok.lower in cues.group_pronouns and tok.text != "US":
        return Chunk(i, i + 1, [], pronoun=tok.lower)
    return None


def _phrase_end(
    tokens: list[Token], head_start: int, n: int, cues: Cues, first_of_sentence: bool
) -> int | None:
    """Where the nominal words from ``head_start`` end; None when a sentence's first word
    is only capitalized for being first."""
    j = head_start
    while j < n:
        t = tokens[j]
        if t.mention is not None or _nominal(t, cues):
            first = first_of_sentence and j == head_start == 0 and t.mention is None
            if first and not _titleish(t, cues):
                return None
            j += 1
            if t.possessive:
                break
            continue
        step = _joiner(tokens, j, head_start, n, cues)
        if not step:
            break
        j += step
    return j


def _joiner(tokens: list[Token], j: int, head_start: int, n: int, cues: Cues) -> int:
    """How many tokens at j continue a phrase without being nominal themselves: an
    honorific, an abbreviation's period, "of (the)" in a title, "and" between names."""
    t = tokens[j]
    if t.lower in cues.honorifics or (t.text == "." and j > head_start and _abbrev(tokens[j - 1])):
        return 1
    if j == head_start or j + 1 >= n:
        return 0
    nxt = tokens[j + 1]
    if t.lower in ("of", "for") and _joins_of(tokens, j, cues):
        return 2 if nxt.lower == "the" else 1
    if t.lower in ("and", "&") and tokens[j - 1].mention is None:
        return 1 if nxt.mention is None and nxt.capitalized else 0
    return 0


def _abbrev(tok: Token) -> bool:
    return tok.lower in ("dr", "mr", "mrs", "ms", "st", "jr", "prof", "gen") or (
        len(tok.text) == 1 and tok.text.isupper()
    )


def _titleish(tok: Token, cues: Cues) -> bool:
    return (
        tok.bare in cues.title_heads
        or tok.bare in cues.title_modifiers
        or (tok.bare in cues.group_nouns)
    )


def _joins_of(tokens: list[Token], j: int, cues: Cues) -> bool:
    """Whether "of" (or "for") at j continues a name or title ("Secretary of Defence",
    "Special Representative for Iran")."""
    prev = tokens[j - 1]
    k = j + 1
    if k < len(tokens) and tokens[k].lower == "the":
        k += 1
    if k >= len(tokens):
        return False
    nxt = tokens[k]
    return _titleish(prev, cues) and (nxt.mention is not None or nxt.capitalized)


def chunks(tokens: list[Token], cues: Cues, blocked: frozenset[int] = frozenset()) -> list[Chunk]:
    """Non-overlapping noun phrases of a sentence, left to right, avoiding ``blocked``."""
    out: list[Chunk] = []
    i = 0
    while i < len(tokens):
        if i in blocked:
            i += 1
            continue
        ch = chunk_at(tokens, i, cues, sentence_start=i == 0, blocked=blocked)
        if ch is None:
            i += 1
            continue
        out.append(ch)
        i = ch.end
    return out


def phrase_match(
    tokens: list[Token], i: int, table: dict[str, list[tuple[str, ...]]]
) -> tuple[str, ...] | None:
    """The longest phrase of ``table`` starting at token i."""
    tok = tokens[i]
    for phrase in table.get(tok.lower, ()):
        if all(i + k < len(tokens) and tokens[i + k].lower == w for k, w in enumerate(phrase)):
            return phrase
    return None


def is_negation(tokens: list[Token], i: int, cues: Cues) -> int:
    """Length of a negation cue starting at token i (0 when none)."""
    tok = tokens[i]
    if tok.lower.endswith(("n't", "n’t")):
        return 1
    phrase = phrase_match(tokens, i, cues.negation)
    return len(phrase) if phrase else 0
