"""Statement rules: trigger patterns over sentences and entity mentions.

Each sentence is tokenized once; triggers from ``data/triggers.yaml`` are found by a
dict probe per token. The subject is the nearest noun phrase before the trigger that
is not the object of a preposition (names, descriptions and pronouns resolved in the
document), the object the phrase after it or the complement text. Cue words from
``data/cues.yaml`` set polarity and modality; negation is never dropped: a cue between
subject and trigger always makes the statement negative.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from docstore.extract.statements.data import (
    Cues,
    Trigger,
    cues,
    prefilter,
    triggers,
)
from docstore.extract.statements.data import speech_acts as refs_speech_acts
from docstore.extract.statements.eventdates import event_date
from docstore.extract.statements.refs import DocRefs, Ref
from docstore.extract.statements.syntax import Parse, parse_sentences
from docstore.extract.statements.text import (
    Chunk,
    Token,
    chunk_at,
    chunks,
    is_negation,
    phrase_match,
    tokenize,
)
from docstore.extract.statements.titles import (
    Title,
    speaker_label,
    title_after,
    title_before,
    title_in_mention,
)
from docstore.extract.types import Analysis, Sentence, StatementRecord

_QUOTES_CLOSE = frozenset({"”", '"', "’"})
_QUOTES_OPEN = frozenset({"“", '"', "‘"})
_WORDS = re.compile(r"\w+(?:[’']\w+)?")
_JOINERS = frozenset(
    {
        (",",),
        ("and",),
        (",", "and"),
        ("as", "well", "as"),
        (",", "as", "well", "as"),
        ("and", "also"),
        (",", "and", "also"),
    }
)


@dataclass
class _Match:
    start: int
    end: int
    trigger: Trigger
    passive: bool = False


@dataclass
class _Span:
    """Reported content of a say-trigger: tokens[start:end] said by ``speaker``."""

    start: int
    end: int
    speaker: str | None


@dataclass
class _Ctx:
    sentence: Sentence
    tokens: list[Token]
    refs: DocRefs
    cues: Cues
    speaker: str | None
    first: int  # first token after a speaker label
    blocked: frozenset[int] = frozenset()
    chunks: list[Chunk] = field(default_factory=list)
    spans: list[_Span] = field(default_factory=list)
    objects_of: dict[int, Ref] = field(default_factory=dict)
    parsed: bool = False
    parse: Parse | None = None


def find_statements(analysis: Analysis) -> list[StatementRecord]:
    """Statements of one document, in text order."""
    if not analysis.sentences:
        return []
    cue = cues()
    refs = DocRefs(analysis, cue)
    work = _candidate_sentences(analysis, refs)
    out: list[StatementRecord] = []
    for s, toks in work:
        out.extend(_title_statements(s, toks, refs))
    out.extend(_transcript_statements(analysis, refs, work))
    return _dedup(out)


def _candidate_sentences(analysis: Analysis, refs: DocRefs) -> list[tuple[Sentence, list[Token]]]:
    """Tokenized sentences that hold a trigger word or name a person (tokenizing is the main
    cost, so the others are skipped)."""
    body = analysis.doc.body
    mentions = sorted(analysis.mentions, key=lambda m: m.char_start)
    starts = [m.char_start for m in mentions]
    wanted = prefilter()
    out = []
    for s in sorted(analysis.sentences, key=lambda s: s.char_start):
        lo, hi = bisect.bisect_left(starts, s.char_start), bisect.bisect_left(starts, s.char_end)
        near = mentions[lo:hi]
        words = _WORDS.findall(body, s.char_start, s.char_end)
        if wanted.isdisjoint(w.lower() for w in words) and not any(refs.is_person(m) for m in near):
            continue
        out.append((s, tokenize(body, s.char_start, s.char_end, near)))
    return out


def _transcript_statements(
    analysis: Analysis, refs: DocRefs, work: list[tuple[Sentence, list[Token]]]
) -> list[StatementRecord]:
    """Sentence statements, with the speaker of transcript labels ("Name:") carried from
    passage to passage; a label naming nobody ("Question:") resets it, and the passage it
    opens is a question: nothing in it is anyone's statement."""
    passage_start = {p.seq: p.char_start for p in analysis.doc.passages}
    speaker: str | None = None
    question_passage: int | None = None
    out: list[StatementRecord] = []
    for s, toks in work:
        first = 0
        if passage_start.get(s.passage_seq) == s.char_start:
            label = speaker_label(toks, refs)
            if label is not None:
                speaker = label[0]
                question_passage = s.passage_seq if speaker is None else None
                first = next((k for k, t in enumerate(toks) if t.start >= label[1]), len(toks))
        if question_passage == s.passage_seq:
            continue
        refs.sentence_start = s.char_start
        ctx = _Ctx(s, toks, refs, refs.cues, speaker, first)
        out.extend(_sentence_statements(ctx))
        refs.topic = _topic(ctx) or refs.topic
    return out


def _lazy_chunks(ctx: _Ctx) -> Iterator[Chunk]:
    i = ctx.first
    while i < len(ctx.tokens):
        ch = chunk_at(ctx.tokens, i, ctx.cues, sentence_start=i == 0)
        if ch is None:
            i += 1
            continue
        yield ch
        i = ch.end


def _topic(ctx: _Ctx) -> str | None:
    """The sentence's first third-person subject, for pronouns in the next sentences."""
    toks, cue = ctx.tokens, ctx.cues
    for ch in ctx.chunks or _lazy_chunks(ctx):
        if ch.start < ctx.first or (ch.pronoun and ch.pronoun not in cue.person_pronouns):
            continue
        if ch.start > 0 and toks[ch.start - 1].lower in cue.prepositions:
            continue
        ref = _resolve(ctx, ch)
        if ref is not None and ref.key and ctx.refs.entity_type(ref.key) == "person":
            return ref.key
    return None


def _record(ctx: _Ctx, **kw: object) -> StatementRecord:
    s = ctx.sentence
    body = ctx.refs.analysis.doc.body
    return StatementRecord(
        passage_seq=s.passage_seq,
        char_start=s.char_start,
        char_end=s.char_end,
        quote=body[s.char_start : s.char_end],
        **kw,  # type: ignore[arg-type]
    )


def _title_statements(s: Sentence, toks: list[Token], refs: DocRefs) -> list[StatementRecord]:
    found: list[Title] = []
    i = 0
    while i < len(toks):
        m = toks[i].mention
        if m is None or not refs.is_person(m):
            i += 1
            continue
        end = i
        while end < len(toks) and toks[end].mention is m:
            end += 1
        for title in (title_in_mention(m, refs) or title_before(toks, i, refs),):
            if title:
                found.append(title)
        after = title_after(toks, end, m, refs)
        if after:
            found.append(after)
        i = end
    out = []
    body = refs.analysis.doc.body
    for t in found:
        refs.titles.setdefault(t.person_key, []).append(t.text)
        out.append(
            StatementRecord(
                passage_seq=s.passage_seq,
                subject_key=t.person_key,
                predicate="holds_position",
                char_start=s.char_start,
                char_end=s.char_end,
                quote=body[s.char_start : s.char_end],
                method=t.method,
                confidence=0.85 if t.method == "title:prefix" else 0.75,
                object_key=t.org_key,
                object_text=t.text,
                event_date=None,
            )
        )
    return out


def _find_triggers(ctx: _Ctx) -> list[_Match]:
    toks, cue = ctx.tokens, ctx.cues
    table = triggers()
    found: list[_Match] = []
    i = ctx.first
    n = len(toks)
    while i < n:
        tok = toks[i]
        match = None
        if tok.mention is None:
            for trig in table.get(tok.lower, ()):
                size = len(trig.tokens)
                if i + size > n:
                    continue
                if any(
                    toks[i + k].lower != w or toks[i + k].mention is not None
                    for k, w in enumerate(trig.tokens[1:], 1)
                ):
                    continue
                if _verb_context_ok(toks, i, trig, cue):
                    match = _Match(i, i + size, trig, _passive(toks, i, trig, cue))
                    break
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match.end
    specific = [m.start for m in found if not m.trigger.generic]
    return [
        m
        for m in found
        if not (m.trigger.generic and any(m.end <= s <= m.end + 2 for s in specific))
    ]


def _verb_context_ok(toks: list[Token], i: int, trig: Trigger, cue: Cues) -> bool:
    if trig.noun or len(trig.tokens) > 1 and not trig.ambiguous:
        return True
    prev = toks[i - 1] if i else None
    if prev is not None and (prev.lower in cue.determiners or prev.lower in cue.possessives):
        return False
    if not trig.ambiguous:
        return True
    if prev is None:
        return False
    form = toks[i].lower
    if prev.lower in cue.verbal_context or prev.lower.endswith(("n't", "n’t")):
        return True
    if form.endswith("ing"):
        return prev.lower in cue.be_forms
    if form.endswith("s") and not form.endswith("ss"):
        # an -s form after a name or a group is a verb: "Putin visits Minsk"
        return (
            (prev.mention is not None and prev.mention.label != "NORP")
            or prev.bare in cue.group_nouns
            or prev.bare in cue.title_heads
        )
    return False


def _passive(toks: list[Token], i: int, trig: Trigger, cue: Cues) -> bool:
    if trig.noun or trig.ambiguous or len(trig.tokens) > 1:
        return False
    j = i - 1
    if j >= 0 and toks[j].lower.endswith("ly"):
        j -= 1
    return j >= 0 and toks[j].lower in cue.be_forms


def _clause_left(ctx: _Ctx, i: int) -> int:
    toks, cue = ctx.tokens, ctx.cues
    left = ctx.first
    for span in ctx.spans:
        if span.start <= i < span.end:
            left = max(left, span.start)
    for k in range(i - 1, left - 1, -1):
        t = toks[k]
        if t.lower in cue.clause_breaks:
            return k + 1
        opener = t.text == "," and k + 1 < len(toks) and toks[k + 1].lower in cue.comma_openers
        # ", as well as" coordinates phrases rather than opening a clause
        if opener and not (k + 2 < len(toks) and toks[k + 2].lower == "well"):
            return k + 1
    return left


def _speaker_at(ctx: _Ctx, i: int) -> str | None:
    for span in ctx.spans:
        if span.start <= i < span.end:
            return span.speaker
    return ctx.speaker


def _resolve(ctx: _Ctx, ch: Chunk) -> Ref | None:
    return ctx.refs.resolve(ctx.tokens, ch, _speaker_at(ctx, ch.start))


def _subject_before(ctx: _Ctx, i: int, left: int) -> tuple[Ref | None, int]:
    """The nearest subject phrase before token i, and where its phrase ends."""
    toks, cue = ctx.tokens, ctx.cues
    for ch in reversed(ctx.chunks):
        if ch.end > i or ch.start < left:
            continue
        if ch.start > 0 and toks[ch.start - 1].lower in cue.prepositions:
            continue
        if toks[ch.end - 1].possessive and ch.pronoun is None:
            continue
        if ch.pronoun in ctx.cues.object_pronouns:
            continue
        if ch.start in ctx.objects_of:
            return ctx.objects_of[ch.start], ch.end
        ref = _resolve(ctx, ch) or _possessor_group(ctx, ch)
        if ref is not None and ref.key is None and ref.kind == "group":
            ref = _possessor_group(ctx, ch)
        if ref is None:
            continue
        head = _apposition_head(ctx, ch, i, left)
        return (head, ch.end) if head is not None else (ref, ch.end)
    return None, left


def _possessor_group(ctx: _Ctx, ch: Chunk) -> Ref | None:
    """ "Ukraine's army", "Iran's government": the possessor names the group."""
    toks = ctx.tokens
    k = ch.start - 1
    mention = toks[k].mention if k >= ctx.first and toks[k].possessive else None
    if mention is None or toks[ch.start].bare not in ctx.cues.group_nouns:
        return None
    key = mention.entity_key
    return Ref(key, "name", toks[k].text) if key.startswith("country:") else None


def _apposition_head(ctx: _Ctx, ch: Chunk, i: int, left: int) -> Ref | None:
    """ "Chile, a close U.S. partner, has declined ...": the subject is the name before
    the apposition, not the apposition."""
    toks = ctx.tokens
    k = ch.start - 1
    while k > left and ch.start - k <= 3 and toks[k].text[:1].islower():
        k -= 1  # "a close U.S. partner": words before the name
    if k - 1 < left or toks[k].text != ",":
        return None
    if not any(t.text == "," for t in toks[ch.end : i]):
        return None
    if k == ch.start - 1 and toks[ch.start].mention is not None:
        return None  # "A, B and C": a list, not an apposition
    prev = next((c for c in ctx.chunks if c.end == k and c.start >= left), None)
    if prev is None or not prev.mentions or prev.pronoun:
        return None
    ref = _resolve(ctx, prev)
    return ref if ref is not None and ref.key is not None else None


def _co_subjects(ctx: _Ctx, subject_end: int, left: int) -> list[Ref]:
    """Named subjects listed before the one ending at ``subject_end`` ("A, B and C said")."""
    toks, cue = ctx.tokens, ctx.cues
    found: list[Ref] = []
    current = next((c for c in ctx.chunks if c.end == subject_end), None)
    while current is not None and current.start - 1 > left:
        joiner = toks[current.start - 1].lower
        if joiner not in ("and", ",") or (joiner == "," and not found):
            break  # "A, B and C": a comma joins only before the last "and"; else apposition
        prev = next((c for c in ctx.chunks if c.end == current.start - 1), None)
        if prev is None or prev.start < left or not prev.mentions or prev.pronoun:
            break
        if prev.start > 0 and toks[prev.start - 1].lower in cue.prepositions:
            break
        if toks[prev.end - 1].possessive:
            break
        ref = _resolve(ctx, prev)
        if ref is None or ref.key is None or ref.kind != "name":
            break
        found.insert(0, ref)
        current = prev
    return found


def _sentence_subject(ctx: _Ctx, before: int) -> Ref | None:
    """The first phrase of the sentence that can be a subject."""
    toks, cue = ctx.tokens, ctx.cues
    for ch in ctx.chunks:
        if ch.start >= before:
            return None
        if ch.start > 0 and toks[ch.start - 1].lower in cue.prepositions:
            continue
        if ch.pronoun in ctx.cues.object_pronouns or (
            toks[ch.end - 1].possessive and not ch.pronoun
        ):
            continue
        ref = _resolve(ctx, ch)
        if ref is not None:
            return ref if ref.key else None
    return None


def _possessor(ctx: _Ctx, i: int) -> tuple[Ref | None, int, bool]:
    """For a nominal trigger at i: (possessor, start of its phrase, whether one was found)."""
    toks, cue = ctx.tokens, ctx.cues
    k = i - 1
    word = toks[k].lower if k >= ctx.first else ""
    if (
        word[:1].isalpha()
        and toks[k].text[:1].islower()
        and toks[k].mention is None
        and word not in cue.possessives
        and word not in cue.determiners
        and word not in cue.prepositions
    ):
        k -= 1  # one adjective: "a personal meeting"
    if k < ctx.first:
        return None, i, False
    t = toks[k]
    if t.lower in cue.possessives:
        ahead = _cataphor(ctx, k)
        if ahead is not None:
            return ahead, k, True
        ch = Chunk(k, k + 1, [], pronoun=t.lower)
        return _resolve(ctx, ch), k, True
    if t.possessive and t.mention is not None:
        ch = next((c for c in ctx.chunks if c.start <= k < c.end), Chunk(k, k + 1, [t.mention]))
        return _resolve(ctx, Chunk(ch.start, k + 1, ch.mentions)), ch.start, True
    if t.lower in cue.determiners:
        return None, k, False
    return None, k + 1, False


def _cataphor(ctx: _Ctx, k: int) -> Ref | None:
    """The person a pronoun in a fronted phrase points ahead to ("During his visit, X ...")."""
    toks, cue = ctx.tokens, ctx.cues
    if toks[k].lower not in cue.person_pronouns:
        return None
    if k - 1 != ctx.first or toks[k - 1].lower not in cue.prepositions:
        return None
    comma = next((j for j in range(k, len(toks)) if toks[j].text == ","), None)
    if comma is None:
        return None
    for ch in ctx.chunks:
        if ch.start > comma:
            ref = _resolve(ctx, ch)
            if ref is not None and ref.key and ctx.refs.entity_type(ref.key) == "person":
                return ref
            return None
    return None


def _complement(ctx: _Ctx, j: int, comma_stops: bool, cap: int = 24) -> tuple[str, int]:
    """Text of the complement starting at token j, and the token index where it ends."""
    toks, cue = ctx.tokens, ctx.cues
    end = j
    while end < len(toks) and end - j < cap:
        t = toks[end]
        if t.lower in cue.clause_breaks:
            break
        if t.lower == "and" and end > j and _new_clause(toks, end + 1, cue):
            break  # "offered to resign and President Trump said ..."
        if t.text == ",":
            nxt = toks[end + 1].lower if end + 1 < len(toks) else ""
            if comma_stops or nxt in cue.comma_openers:
                break
        end += 1
    while end > j and (toks[end - 1].text in _QUOTES_CLOSE or not toks[end - 1].text[0].isalnum()):
        if toks[end - 1].text in (")", "%"):
            break
        end -= 1
    if end <= j:
        return "", j
    body = ctx.refs.analysis.doc.body
    return body[toks[j].start : toks[end - 1].end], end


def _new_clause(toks: list[Token], k: int, cue: Cues) -> bool:
    """Does a new subject start at token k: a person mention, a title or a pronoun?"""
    if k >= len(toks):
        return False
    t = toks[k]
    return (
        t.lower in cue.subject_pronouns
        or (t.mention is not None and t.mention.label == "PERSON")
        or (t.capitalized and t.bare in cue.title_heads)
    )


def _coordinated(ctx: _Ctx, first: Chunk, prep: str | None) -> list[tuple[Chunk, Ref]]:
    """The phrase at ``first`` and those joined to it ("A and B", ", as well as with C")."""
    toks = ctx.tokens
    out: list[tuple[Chunk, Ref]] = []
    ch: Chunk | None = first
    while ch is not None:
        ref = _resolve(ctx, ch)
        if ref is None:
            break
        out.append((ch, ref))
        j = ch.end
        words = []
        while j < len(toks) and toks[j].lower in (",", "and", "as", "well", "along", "also"):
            words.append(toks[j].lower)
            j += 1
        if tuple(words) not in _JOINERS:
            break
        repeated = prep is not None and j < len(toks) and toks[j].lower == prep
        if words == [","] and not repeated:
            break  # a bare comma ends the phrase ("visit to Minsk, Dr. Carpenter met")
        if repeated:
            j += 1
        ch = chunk_at(toks, j, ctx.cues, blocked=ctx.blocked)
    return out


def _quote_before(ctx: _Ctx, i: int) -> tuple[int, int] | None:
    """Token span of a quotation closing right before token i (", wrote X")."""
    toks = ctx.tokens
    k = i - 1
    while k >= 0 and toks[k].text in (",", "."):
        k -= 1
    if k < 0 or toks[k].text not in _QUOTES_CLOSE:
        return None
    for j in range(k - 1, -1, -1):
        if toks[j].text in _QUOTES_OPEN and toks[j].text != "’":
            return j + 1, k
    return (ctx.first, k) if k > ctx.first else None


def _colon_quotes(ctx: _Ctx) -> list[_Span]:
    """Quotations introduced by a colon ('X wrote on Twitter: "I offered to resign"'):
    said by the sentence's subject, so "I" inside them is that person."""
    toks = ctx.tokens
    out = []
    for k in range(ctx.first + 1, len(toks) - 1):
        if toks[k].text != ":" or toks[k + 1].text not in ("“", '"'):
            continue
        subject = _sentence_subject(ctx, k)
        if subject is None or ctx.refs.entity_type(subject.key or "") != "person":
            continue
        close = next((j for j in range(k + 2, len(toks)) if toks[j].text in ("”", '"')), len(toks))
        out.append(_Span(k + 2, close, subject.key))
    return out


def _sentence_statements(ctx: _Ctx) -> list[StatementRecord]:
    matches = _find_triggers(ctx)
    if not matches:
        return []
    ctx.blocked = frozenset(k for m in matches for k in range(m.start, m.end))
    ctx.chunks = chunks(ctx.tokens, ctx.cues, ctx.blocked)
    ctx.spans.extend(_colon_quotes(ctx))
    out: list[StatementRecord] = []
    # say-triggers first: their content decides who reports the other statements
    ordered = [m for m in matches if m.trigger.object == "content"]
    ordered += [m for m in matches if m.trigger.object != "content"]
    for m in ordered:
        out.extend(_statements_for(ctx, m))
    return _drop_weak_says(out)


def _drop_weak_says(found: list[StatementRecord]) -> list[StatementRecord]:
    """A `say` whose content is itself a speech act of the speaker's (a threat, a demand, an
    accusation, a proposal, a rejection ...) gives way to it: that statement is stored with
    the speaker; `say` stays where the content reports events or views."""
    strong = refs_speech_acts()
    reported = {st.speaker_key for st in found if st.predicate in strong and st.speaker_key}
    return [st for st in found if not (st.predicate == "say" and st.subject_key in reported)]


_Object = tuple[str | None, str | None, int]  # entity key, text, chunk start (-1: none)


@dataclass
class _Who:
    """The subject side of one trigger: the subject, subjects listed before it, objects
    already known (a passive's patient), where negation and modality cues are looked
    for, and a quotation before an inverted say ('"...", said X')."""

    subject: Ref | None
    co_subjects: list[Ref] = field(default_factory=list)
    objects: list[_Object] = field(default_factory=list)
    window_from: int = 0
    inverted: tuple[int, int] | None = None


def _statements_for(ctx: _Ctx, m: _Match) -> list[StatementRecord]:
    left = _clause_left(ctx, m.start)
    who = _who(ctx, m, left)
    if who is None or who.subject is None or who.subject.key is None:
        return []
    predicate, objects = _objects(ctx, m, who)
    if not objects and not (m.trigger.reciprocal and who.co_subjects):
        return []
    return _emit_all(ctx, m, who, left, predicate, objects)


def _who(ctx: _Ctx, m: _Match, left: int) -> _Who | None:
    trig = m.trigger
    inverted = _quote_before(ctx, m.start) if trig.object == "content" else None
    if inverted is not None:
        ch = chunk_at(ctx.tokens, m.end, ctx.cues, blocked=ctx.blocked)
        return _Who(_resolve(ctx, ch) if ch else None, window_from=max(left, m.start - 4),
                    inverted=inverted)  # fmt: skip
    if trig.noun:
        return _nominal_subject(ctx, m, left)
    # the phrase rules first; the parse where they find nobody (an agent away from its
    # verb, a subject beyond a clause the rules cannot see past)
    found = _passive_by(ctx, m, left) if m.passive else _verbal_subject(ctx, m, left)
    if found is not None and found.subject is not None and found.subject.key is not None:
        return found
    return _syntactic_who(ctx, m, left, passive_only=m.passive) or found


def _passive_by(ctx: _Ctx, m: _Match, left: int) -> _Who | None:
    """ "X was rejected by Y": Y did it to X; without "by" nobody is known to have."""
    toks = ctx.tokens
    if m.end >= len(toks) or toks[m.end].lower != "by":
        return None
    ch = chunk_at(toks, m.end + 1, ctx.cues, blocked=ctx.blocked)
    agents = [ref for _, ref in _coordinated(ctx, ch, None)] if ch else []  # "by A and B"
    objects = _patient(ctx, m, left)
    if not agents or not objects:
        return None
    return _Who(agents[-1], agents[:-1], objects=objects, window_from=left)


def _patient(ctx: _Ctx, m: _Match, left: int) -> list[_Object]:
    """What a passive trigger was done to: the phrase before it (after a relative clause
    that ends before it, the noun that clause hangs on), or short text before "was"."""
    toks = ctx.tokens
    if toks[left].lower in ("which", "that", "who") and any(
        t.text == "," for t in toks[left : m.start]
    ):
        return _relative_head(ctx, _Match(left + 1, left + 1, m.trigger))
    patient, _ = _subject_before(ctx, m.start, left)
    if patient is not None and patient.key is not None:
        return [(patient.key, None, -1)]
    be = m.start - 1
    if be - left > 6 or be <= left:
        return []
    body = ctx.refs.analysis.doc.body
    return [(None, body[toks[left].start : toks[be - 1].end], -1)]  # "The proposal"


def _nominal_subject(ctx: _Ctx, m: _Match, left: int) -> _Who | None:
    """The possessor of a nominal trigger ("his visit to"), or the subject of its verb."""
    subject, np_start, found = _possessor(ctx, m.start)
    window_from = max(left, np_start - 3)
    if not found:
        before = np_start - 1
        if np_start <= left or (before >= 0 and ctx.tokens[before].lower in ctx.cues.prepositions):
            return None
        subject, _ = _subject_before(ctx, np_start, left)
    return _Who(subject, window_from=window_from)


def _verbal_subject(ctx: _Ctx, m: _Match, left: int) -> _Who:
    """The nearest subject phrase before a verbal trigger, with the names listed with it."""
    subject, window_from = _subject_before(ctx, m.start, left)
    co_subjects: list[Ref] = []
    if subject is not None and subject.key and subject.kind == "name":
        co_subjects = _co_subjects(ctx, window_from, left)
    if subject is None and left == m.start - 1 and ctx.tokens[left].lower == "and":
        # "She spoke about X, and promised to ...": the sentence subject carries over
        subject, window_from = _sentence_subject(ctx, left), left
    if subject is None:
        window_from = max(left, m.start - 4)
    return _Who(subject, co_subjects, window_from=window_from)


def _syntactic_who(ctx: _Ctx, m: _Match, left: int, passive_only: bool = False) -> _Who | None:
    """Subject (and a passive's patient) from the parse, when it names resolvable phrases;
    None leaves the decision to the phrase rules."""
    toks = ctx.tokens
    side = toks[m.end :] if passive_only else toks[ctx.first : m.start]
    if not any(t.mention is not None for t in side):
        return None  # no entity where the subject (or a passive's agent) would be: no parse
    parse = _parse(ctx)
    if parse is None:
        return None
    roles = parse.roles(ctx.tokens[m.start].start)
    if roles is None or (passive_only and not roles.passive):
        return None
    found = [r for r in (_ref_at(ctx, c) for c in roles.subjects) if r is not None]
    if roles.passive:
        return _passive_who(ctx, m, left, found, roles.objects)
    named = [(r, end) for r, end in found if r.key is not None]
    if not named:
        return None
    (subject, end), rest = named[0], named[1:]
    if end > m.start or (rest and subject.kind != "name"):
        return None  # a subject after its verb is a question or an inversion: rules decide
    return _Who(subject, [r for r, _ in rest if r.kind == "name"], window_from=end)


def _parse(ctx: _Ctx) -> Parse | None:
    """The sentence's parse, made the first time a trigger of it needs one (the parser is
    the costliest step, so it runs only on sentences with a trigger and an entity whose
    subject the phrase rules did not find)."""
    if not ctx.parsed:
        ctx.parsed = True
        if any(t.mention is not None for t in ctx.tokens):
            s = ctx.sentence
            text = ctx.refs.analysis.doc.body[s.char_start : s.char_end]
            ctx.parse = parse_sentences([(text, s.char_start)]).get(s.char_start)
    return ctx.parse


def _passive_who(
    ctx: _Ctx, m: _Match, left: int, agents: list[tuple[Ref, int]], patients_at: list[int]
) -> _Who:
    """A passive: the agent ("by X") does it to the patients; without an agent nobody is
    known to have done it."""
    held = [_ref_at(ctx, c) for c in patients_at]
    patients: list[_Object] = [(h[0].key, None, -1) for h in held if h and h[0].key]
    named = [ref for ref, _ in agents if ref.key is not None]
    if not named:
        return _passive_by(ctx, m, left) or _Who(None)
    objects = patients or _patient(ctx, m, left)
    return _Who(named[-1], named[:-1], objects=objects, window_from=left)


def _ref_at(ctx: _Ctx, char: int) -> tuple[Ref, int] | None:
    """The resolved phrase holding the token at ``char``, and the token index it ends at."""
    k = next((i for i, t in enumerate(ctx.tokens) if t.start <= char < t.end), None)
    if k is None or k < ctx.first:
        return None
    ch = next((c for c in ctx.chunks if c.start <= k < c.end), None)
    if ch is None:
        return None
    if ch.pronoun in ctx.cues.object_pronouns or ch.start in ctx.objects_of:
        return (ctx.objects_of[ch.start], ch.end) if ch.start in ctx.objects_of else None
    ref = _resolve(ctx, ch)
    return (ref, ch.end) if ref is not None else None


def _objects(ctx: _Ctx, m: _Match, who: _Who) -> tuple[str, list[_Object]]:
    """The predicate (a directive may change it) and the objects of one trigger."""
    trig = m.trigger
    predicate = trig.predicate
    wants = trig.directive or (predicate if trig.object == "directive" else None)
    directive = _directive(ctx, m) if wants and who.inverted is None else None
    if trig.object == "directive" and directive is None:
        return predicate, []
    if who.objects:
        return predicate, who.objects
    if directive is not None:
        return wants or predicate, [directive]
    if trig.object == "content":
        objects, content = _content_object(ctx, m, who.inverted)
        if content is not None and who.subject is not None:
            ctx.spans.append(_Span(content[0], content[1], who.subject.key))
    elif trig.object == "clause":
        objects = _clause_object(ctx, m)
    else:
        objects = _entity_objects(ctx, m)
    if trig.bare:
        objects = _bare_objects(ctx, m, who, objects)
    return predicate, objects


def _bare_objects(ctx: _Ctx, m: _Match, who: _Who, objects: list[_Object]) -> list[_Object]:
    """An event that stands without an object keeps its own words, or the office it names
    ("was elected president": not the subject as its own object)."""
    toks, body = ctx.tokens, ctx.refs.analysis.doc.body
    me = who.subject.key if who.subject else None
    if objects and all(key == me for key, _, _ in objects):
        text, _ = _complement(ctx, m.end, comma_stops=True, cap=8)
        objects = [(None, text, -1)] if text else []
    if not objects:
        objects = [(None, body[toks[m.start].start : toks[m.end - 1].end], -1)]
    return objects


def _speaker_and_mood(ctx: _Ctx, m: _Match, mood: str) -> tuple[str, str | None]:
    span_speaker = next((s.speaker for s in ctx.spans if s.start <= m.start < s.end), None)
    according = _according_to(ctx)
    if span_speaker is not None:
        return "reported", span_speaker
    if according is not None:
        return "reported", according.key
    if ctx.speaker is not None:
        return "reported", ctx.speaker
    return mood, None


def _emit_all(
    ctx: _Ctx, m: _Match, who: _Who, left: int, predicate: str, objects: list[_Object]
) -> list[StatementRecord]:
    toks, cue, trig = ctx.tokens, ctx.cues, m.trigger
    assert who.subject is not None
    negative = trig.negative or _negated(ctx, who.window_from, m.start)
    mood = _mood(ctx, who.window_from, m.start if not trig.generic else m.end, left)
    mood, speaker = _speaker_and_mood(ctx, m, mood)
    conf = trig.confidence
    if who.subject.kind in ("pronoun", "description", "group", "office"):
        conf -= 0.1
    if not negative and any(is_negation(toks, k, cue) for k in range(len(toks))):
        conf -= 0.1
    s = ctx.sentence
    body = ctx.refs.analysis.doc.body
    when = event_date(
        body[s.char_start : s.char_end],
        ctx.refs.analysis.doc.published_at,
        toks[m.start].start - s.char_start,
    )
    out = []
    subjects = [*who.co_subjects, *who.subject.each()]
    for subj in subjects:
        pairs = objects
        if trig.reciprocal and not objects:
            pairs = [(other.key, None, -1) for other in subjects if other.key != subj.key]
        out.extend(_emit(ctx, predicate, subj, pairs, conf, negative, mood, speaker, when))
    return out


def _emit(
    ctx: _Ctx,
    predicate: str,
    subject: Ref,
    objects: list[tuple[str | None, str | None, int]],
    conf: float,
    negative: bool,
    mood: str,
    speaker: str | None,
    when: str | None,
) -> list[StatementRecord]:
    out = []
    for key, text, ch_start in objects:
        if key is not None and key == subject.key:
            continue
        if key is not None and ch_start >= 0:
            ctx.objects_of.setdefault(ch_start, subject)
        conf_obj = conf - (0.05 if key is None else 0.0)
        out.append(
            _record(
                ctx,
                subject_key=subject.key,
                predicate=predicate,
                method=f"trigger:{predicate}",
                confidence=round(max(conf_obj, 0.1), 2),
                object_key=key,
                object_text=text,
                polarity="negative" if negative else "positive",
                modality=mood,
                speaker_key=speaker,
                event_date=when,
            )
        )
    return out


def _directive(ctx: _Ctx, m: _Match) -> tuple[str | None, str | None, int] | None:
    """(addressee key, what was asked, chunk start) for "told X to ...", "asked X to ..."."""
    toks, cue = ctx.tokens, ctx.cues
    for k in range(m.end + 1, min(m.end + 7, len(toks) - 1)):
        t = toks[k]
        if t.lower == "to":
            break
        if t.lower in ("that", "whether", "about") or t.lower in cue.clause_breaks:
            return None
        if not t.text[:1].isalnum():
            return None
    else:
        return None
    key, start = None, -1
    ch = chunk_at(toks, m.end, cue, blocked=ctx.blocked)
    if ch is not None and ch.end <= k:
        ref = _resolve(ctx, ch)
        if ref is not None and ref.key is not None and ref.kind != "group":
            key, start = ref.key, ch.start
    text, _ = _complement(ctx, m.end, comma_stops=True, cap=16)
    return (key, text or None, start) if key or text else None


def _entity_objects(ctx: _Ctx, m: _Match) -> list[_Object]:
    toks = ctx.tokens
    j = m.end
    if _word(toks, j) == "that" and m.trigger.predicate in ("demand", "request"):
        j += 1  # "demanded that Sweden extradite ...": Sweden, and what
    ch = chunk_at(toks, j, ctx.cues, blocked=ctx.blocked)
    if ch is not None:
        prep = m.trigger.tokens[-1] if m.trigger.tokens[-1] in ctx.cues.prepositions else None
        out: list[_Object] = []
        for c, ref in _coordinated(ctx, ch, prep):
            text = ref.text if ref.key is None or ref.kind in ("group", "office") else None
            if toks[c.end - 1].possessive or j > m.end:
                # "asked for Bolton's resignation": the name, and what of it
                text, _ = _complement(ctx, c.start, comma_stops=True, cap=8 if j == m.end else 16)
            out.append((ref.key, text, c.start))
            out.extend((key, text, -1) for key in ref.others)
        if out:
            return out
    if m.end >= len(toks) or toks[m.end].lower in ctx.cues.prepositions:
        return []
    if not toks[m.end].text[:1].isalnum():
        return _relative_head(ctx, m)
    text, _ = _complement(ctx, m.end, comma_stops=True, cap=12)
    return [(None, text, -1)] if text else []


def _relative_head(ctx: _Ctx, m: _Match) -> list[_Object]:
    """ "the plan, which the African Union has condemned, ...": the noun the relative
    clause hangs on is the object."""
    toks = ctx.tokens
    k = next(
        (
            k
            for k in range(m.start - 1, ctx.first, -1)
            if toks[k].lower in ("which", "that", "whom")
        ),
        None,
    )
    if k is None or toks[k - 1].text != ",":
        return []
    body = ctx.refs.analysis.doc.body
    ch = next((c for c in ctx.chunks if c.end == k - 1), None)
    ref = _resolve(ctx, ch) if ch is not None else None
    if ch is not None and ref is not None and ref.key is not None:
        return [(ref.key, None, ch.start)]
    start = _clause_left(ctx, k - 1)
    if k - 1 - start > 6 or k - 1 <= start:
        return []
    return [(None, body[toks[start].start : toks[k - 2].end], -1)]


def _clause_object(ctx: _Ctx, m: _Match) -> list[tuple[str | None, str | None, int]]:
    toks = ctx.tokens
    key = None
    j = m.end
    if j < len(toks) and toks[j].lower in ("with", "to", "on"):
        j += 1
    ch = chunk_at(toks, j, ctx.cues, blocked=ctx.blocked)
    if ch is not None:
        ref = _resolve(ctx, ch)
        if ref is not None and ref.key is not None and ref.kind != "group":
            key = ref.key
    text, _ = _complement(ctx, m.end, comma_stops=True)
    if not text and key is None:
        return []
    return [(key, text or None, ch.start if ch is not None and key else -1)]


def _content_object(
    ctx: _Ctx, m: _Match, inverted: tuple[int, int] | None
) -> tuple[list[_Object], tuple[int, int] | None]:
    """What a say-trigger reports (object_text, and what it is about), and its token span."""
    toks, cue = ctx.tokens, ctx.cues
    if inverted is not None:
        return _span_object(ctx, None, _trim(toks, *inverted))
    j = m.end
    ch = chunk_at(toks, j, cue, blocked=ctx.blocked)
    if ch is not None and ch.pronoun is None and _word(toks, ch.end) in ("that", "about"):
        j = ch.end  # "told Putin that ...", not "reported Iran issued ..."
    quote = _quotation_after(ctx, j)
    if quote is not None:
        return _span_object(ctx, None, quote)
    about, j = _about(ctx, j)
    start, had_comma = _content_start(ctx, m, j)
    quoted = None if start > j else _quote_near(ctx, m.start)
    if quoted is not None:
        return _span_object(ctx, about, quoted)
    text, end = _content_text(ctx, start, had_comma)
    if not text and about is None:
        fronted = _fronted_content(ctx, m)
        if fronted is not None:
            return _span_object(ctx, None, fronted)
    if not text:
        return ([(about, None, -1)] if about else []), None
    return [(about, text, -1)], (start, end)


def _span_object(
    ctx: _Ctx, about: str | None, span: tuple[int, int] | None
) -> tuple[list[_Object], tuple[int, int] | None]:
    if span is None:
        return [], None
    a, b = span
    toks, body = ctx.tokens, ctx.refs.analysis.doc.body
    return [(about, body[toks[a].start : toks[b - 1].end], -1)], span


def _quotation_after(ctx: _Ctx, j: int) -> tuple[int, int] | None:
    """said, "...": the quotation opening after a comma or colon at j."""
    toks, cue = ctx.tokens, ctx.cues
    opening = j
    while opening < len(toks) and toks[opening].text in (",", ":"):
        opening += 1
    if not (opening > j and opening < len(toks) and toks[opening].text in ("“", '"')):
        return None
    stops = ("”", '"')
    close = next(
        (k for k in range(opening + 1, len(toks))
         if toks[k].text in stops or toks[k].lower in cue.clause_breaks),
        len(toks),
    )  # fmt: skip
    return _trim(toks, opening + 1, close)


def _about(ctx: _Ctx, j: int) -> tuple[str | None, int]:
    """ "said about X ...": X's key, and where the content goes on."""
    toks = ctx.tokens
    if j >= len(toks) or toks[j].lower != "about":
        return None, j
    ch = chunk_at(toks, j + 1, ctx.cues, blocked=ctx.blocked)
    if ch is None:
        return None, j
    ref = _resolve(ctx, ch)
    return (ref.key if ref else None), ch.end


def _content_start(ctx: _Ctx, m: _Match, j: int) -> tuple[int, bool]:
    """Where reported content starts (after "that" when it comes soon), and whether a
    comma came before that "that" (the content then ends at the next comma)."""
    toks, cue = ctx.tokens, ctx.cues
    start, had_comma = j, False
    for k in range(j, min(j + 8, len(toks))):
        if toks[k].text == ";" or toks[k].lower in cue.clause_breaks:
            break
        if toks[k].lower == "that":
            had_comma = any(t.text == "," for t in toks[m.end : k])
            start = k + 1
            break
    while start < len(toks) and toks[start].text in (",", ":", "“", '"'):
        start += 1
    return start, had_comma


def _content_text(ctx: _Ctx, start: int, had_comma: bool) -> tuple[str, int]:
    toks = ctx.tokens
    if had_comma:
        end = next((k for k in range(start, len(toks)) if toks[k].text == ","), len(toks))
        text = (
            ctx.refs.analysis.doc.body[toks[start].start : toks[end - 1].end] if end > start else ""
        )
    else:
        text, end = _complement(ctx, start, comma_stops=False, cap=60)
    if _time_only(text, ctx.cues):
        return "", end  # "..., the Kremlin said Friday.": the content is before, not "Friday"
    return text, end


def _time_only(text: str, cue: Cues) -> bool:
    words = _WORDS.findall(text.lower())
    return bool(words) and all(w in cue.time_words or w.isdigit() for w in words)


def _word(toks: list[Token], k: int) -> str:
    return toks[k].lower if k < len(toks) else ""


def _fronted_content(ctx: _Ctx, m: _Match) -> tuple[int, int] | None:
    """Content before ", he added" ending the sentence: the clause from the sentence start."""
    toks, cue = ctx.tokens, ctx.cues
    if any(t.text[:1].isalnum() and t.lower not in cue.time_words for t in toks[m.end :]):
        return None  # only a time may follow: "..., the Kremlin said Friday."
    k = m.start - 1
    while k > ctx.first and toks[k].text != ",":
        k -= 1
    if k <= ctx.first or m.start - k > 5:
        return None
    return _trim(toks, ctx.first, k)


def _quote_near(ctx: _Ctx, i: int) -> tuple[int, int] | None:
    """A quotation closing a few tokens before token i ('"...", Pompeo told the press')."""
    toks = ctx.tokens
    for k in range(i - 1, max(ctx.first, i - 8) - 1, -1):
        t = toks[k].text
        closing = t == "”" or (t == '"' and sum(x.text == '"' for x in toks[: k + 1]) % 2 == 0)
        if not closing:
            continue
        for j in range(k - 1, ctx.first - 1, -1):
            if toks[j].text in ("“", '"'):
                if j > ctx.first and toks[j - 1].text not in (",", ":"):
                    return None  # a quoted phrase inside the clause ('is the "main difference"')
                return _trim(toks, j + 1, k)
        return _trim(toks, ctx.first, k)
    return None


def _trim(toks: list[Token], a: int, b: int) -> tuple[int, int] | None:
    while b > a and toks[b - 1].text in (",", ";", ":"):
        b -= 1
    return (a, b) if b > a else None


def _negated(ctx: _Ctx, a: int, b: int) -> bool:
    toks = ctx.tokens
    k = max(a, 0)
    negative = False
    while k < b:
        if toks[k].lower == "but":
            negative = False
        size = is_negation(toks, k, ctx.cues)
        if size:
            negative = True
            k += size
            continue
        k += 1
    return negative


def _mood(ctx: _Ctx, a: int, b: int, left: int) -> str:
    toks, cue = ctx.tokens, ctx.cues
    mood = "asserted"
    k = max(a, 0)
    while k < b:
        for phrase, md in cue.modality.get(toks[k].lower, ()):
            if all(k + n < b and toks[k + n].lower == w for n, w in enumerate(phrase)):
                mood = md
                k += len(phrase) - 1
                break
        k += 1
    for k in range(left, b):
        if toks[k].lower in ("if", "unless"):
            return "hypothetical"
    return mood


def _according_to(ctx: _Ctx) -> Ref | None:
    toks = ctx.tokens
    for k in range(ctx.first, len(toks)):
        phrase = phrase_match(toks, k, ctx.cues.attribution)
        if phrase is None:
            continue
        ch = chunk_at(toks, k + len(phrase), ctx.cues)
        ref = _resolve(ctx, ch) if ch else None
        return ref if ref is not None else Ref(None, "name", "")
    return None


def _dedup(items: list[StatementRecord]) -> list[StatementRecord]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for st in items:
        key = (
            st.char_start,
            st.subject_key,
            st.predicate,
            st.object_key,
            st.object_text,
            st.polarity,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(st)
    out.sort(key=lambda st: (st.char_start, st.predicate != "holds_position"))
    return out
