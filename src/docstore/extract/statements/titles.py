"""Titles of people: "US Deputy Assistant Secretary of Defence Dr. Michael Carpenter",
"Mike Pompeo, the secretary of state," and transcript speaker labels.

A title is a run of title words, capitalized words and country or organization names
ending right before (or set off by commas right after) a person's name; it gives a
``holds_position`` statement and helps resolve later descriptions ("the US official").
"""

from __future__ import annotations

from dataclasses import dataclass

from docstore.extract.statements.data import Cues
from docstore.extract.statements.refs import DocRefs
from docstore.extract.statements.text import Token
from docstore.extract.types import MentionRecord


@dataclass(frozen=True)
class Title:
    person_key: str
    text: str
    start: int  # body offsets of the title text
    end: int
    org_key: str | None
    method: str


def _titleish(tok: Token, cues: Cues) -> bool:
    return tok.bare in cues.title_heads or tok.bare in cues.title_modifiers


def _has_head(tokens: list[Token], cues: Cues) -> bool:
    return any(t.mention is None and t.bare in cues.title_heads for t in tokens)


def _org_key(tokens: list[Token], refs: DocRefs) -> str | None:
    for t in tokens:
        if t.mention is None:
            continue
        kind = refs.entity_type(t.mention.entity_key)
        if kind == "organization":
            return t.mention.entity_key
        country = refs.country_key(t.mention.entity_key)
        if country:
            return country
    return None


def _make(person: MentionRecord, run: list[Token], refs: DocRefs, method: str) -> Title | None:
    cues = refs.cues
    while run and (run[0].lower in cues.determiners or run[0].lower in ("of", "and", "the", "for")):
        run = run[1:]
    while run and (
        run[-1].lower in ("of", "and", "the", "for", ".") or run[-1].lower in cues.honorifics
    ):
        run = run[:-1]
    if not run or not _has_head(run, cues):
        return None
    if any(t.bare in cues.title_not_current for t in run):
        return None
    if any(t.mention is not None and refs.is_person(t.mention) for t in run):
        return None
    body = refs.analysis.doc.body
    start, end = run[0].start, run[-1].end
    return Title(person.entity_key, body[start:end], start, end, _org_key(run, refs), method)


def title_before(tokens: list[Token], i: int, refs: DocRefs) -> Title | None:
    """The title right before the person mention whose first token is i."""
    cues = refs.cues
    person = tokens[i].mention
    assert person is not None
    j = i - 1
    while j >= 0 and (tokens[j].lower in cues.honorifics or tokens[j].text == "."):
        j -= 1
    prev = tokens[j - 1] if j >= 1 else None
    if (
        prev is not None
        and tokens[j].text == ","
        and not (prev.mention and refs.is_person(prev.mention))
    ):
        j -= 1  # a title set off by a comma: "the current president, Alexander Lukashenko"
    run, j = _title_run(tokens, j, person, refs)
    if j >= 0 and tokens[j].bare in cues.title_not_current:
        return None  # "former president George W. Bush"
    return _make(person, run, refs, "title:prefix")


def _title_run(
    tokens: list[Token], j: int, person: MentionRecord, refs: DocRefs
) -> tuple[list[Token], int]:
    """The title words ending at token j (read leftwards), and the token before them."""
    run: list[Token] = []
    while j >= 0:
        t = tokens[j]
        if t.mention is not None and t.mention is not person:
            if refs.is_person(t.mention):
                break
        elif not (
            _titleish(t, refs.cues)
            or t.lower in ("of", "the", "and", "for")
            # "Minister of Foreign Affairs", "President of the Republic"
            or (t.capitalized and j > 0 and tokens[j - 1].lower in ("of", "the"))
        ):
            break
        run.insert(0, t)
        j -= 1
    return run, j


def title_in_mention(person: MentionRecord, refs: DocRefs) -> Title | None:
    """A title inside a titled-name mention ("President of Belarus Alexander Lukashenko")."""
    ent = refs.analysis.entities.get(person.entity_key)
    if ent is None:
        return None
    text = person.text
    names = [ent.name] + [a for a, _ in ent.aliases]
    best = 0
    for name in names:
        if name and len(name) < len(text) and text.lower().endswith(name.lower()):
            best = max(best, len(name))
    if not best:
        return None
    prefix = text[: len(text) - best].rstrip()
    for hon in ("Dr.", "Mr.", "Mrs.", "Ms.", "Dr", "Mr", "Mrs", "Ms"):
        if prefix.endswith(" " + hon) or prefix == hon:
            prefix = prefix[: -len(hon)].rstrip()
    words = prefix.lower().split()
    cues = refs.cues
    if not any(w in cues.title_heads for w in words):
        return None
    if any(w in cues.title_not_current for w in words):
        return None
    org = None
    for m in refs.analysis.mentions:
        if person.char_start <= m.char_start and m.char_end <= person.char_start + len(prefix):
            org = refs.country_key(m.entity_key) or org
    start = person.char_start
    return Title(person.entity_key, prefix, start, start + len(prefix), org, "title:prefix")


def title_after(
    tokens: list[Token], i_end: int, person: MentionRecord, refs: DocRefs
) -> Title | None:
    """An appositive title after the name: "Mike Pompeo, the secretary of state,"."""
    cues = refs.cues
    j = i_end
    n = len(tokens)
    if j < n and tokens[j].text == ",":
        j += 1
    elif j + 1 < n and tokens[j].lower == "who" and tokens[j + 1].lower == "is":
        j += 2
    else:
        return None
    if j < n and tokens[j].lower in cues.determiners:
        j += 1
    run: list[Token] = []
    while j < n:
        t = tokens[j]
        named = t.mention is not None and not refs.is_person(t.mention)
        if named or _titleish(t, cues) or (t.lower in ("of", "the", "and") and run):
            run.append(t)
        else:
            break
        j += 1
    if j < n and tokens[j].text not in (",", ".", ";") and tokens[j].lower not in cues.prepositions:
        return None
    return _make(person, run, refs, "apposition:title")


def speaker_label(tokens: list[Token], refs: DocRefs) -> tuple[str | None, int] | None:
    """(person key, offset after the colon) when a passage opens with "Name:"; (None,
    offset) when it opens with a label that names nobody ("Question:", "Q:")."""
    for k, t in enumerate(tokens[:16]):
        if t.text != ":":
            continue
        if tuple(x.lower.rstrip(".") for x in tokens[:k]) in refs.cues.question_labels:
            return None, t.end
        person = tokens[k - 1].mention if k else None
        if person is None or not refs.is_person(person):
            return None
        for prev in tokens[:k]:
            ok = (
                prev.mention is not None
                or prev.capitalized
                or _titleish(prev, refs.cues)
                or prev.lower in ("of", "the", "and", ".")
            )
            if not ok:
                return None
        return person.entity_key, t.end
    return None
