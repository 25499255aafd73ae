"""Apply judgements to one document's extraction, after extraction and linking, before it
is written: a pure function of the extraction and the judgements, so that the result is
the same at ingest, at re-extraction and in another database that imported them.

Judgements apply in the order they were made; each one rewrites entity keys, records,
mentions and statements of the extraction. Statement judgements set a status per statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from docstore.curation.records import JudgementData
from docstore.extract.learned import LABEL_BY_TYPE, LEARNED_METHOD
from docstore.extract.normalize import normalize
from docstore.extract.types import EntityRecord, Extraction, MentionRecord, StatementRecord


@dataclass(frozen=True)
class DocumentText:
    """What the learned gazetteer searches: the body and its passages' (seq, start, end)."""

    body: str
    passages: tuple[tuple[int, int, int], ...]


# Mention labels for entities that only a judgement names, by the type judged: the same as
# the pipeline's learned names give.
LABELS = LABEL_BY_TYPE


@dataclass
class Curated:
    """The extraction being rewritten, with one status per statement."""

    extraction: Extraction
    statuses: list[str]
    uid: str


def apply_judgements(
    extraction: Extraction,
    judgements: list[JudgementData],
    uid: str,
    text: DocumentText | None = None,
) -> list[str]:
    """Rewrite `extraction` in place by the active judgements; the statements' statuses.

    With the document's `text`, names that analysts gave (aliases added, new names) are
    first looked for in it, so that the judged entity is found where extraction missed it."""
    state = Curated(extraction, ["auto"] * len(extraction.statements), uid)
    if text is not None:
        _learned_mentions(state, judgements, text)
    for j in judgements:
        if j.active and j.kind in _HANDLERS:
            _HANDLERS[j.kind](state, j)
    return state.statuses


def learned_names(judgements: list[JudgementData]) -> list[tuple[str, dict[str, Any]]]:
    """(name, entity snapshot) for every name an active judgement gives an entity."""
    out = []
    for j in judgements:
        if not j.active:
            continue
        if j.kind == "alias_add":
            out.append((j.arguments["alias"], j.arguments["entity"]))
        elif j.kind == "entity_rename":
            out.append((j.arguments["name"], j.arguments["entity"]))
    return out


def _learned_mentions(state: Curated, judgements: list[JudgementData], text: DocumentText) -> None:
    """The learned gazetteer's safety net: each judged name found in the text (as written,
    on word boundaries) where no mention is becomes a mention of its entity. Extraction
    itself finds these names (docstore.curation.learned); this catches an extraction made
    before the judgement, such as one prepared while an analyst judged during an ingest."""
    ex = state.extraction
    taken = [(m.char_start, m.char_end) for m in ex.mentions]
    added: list[MentionRecord] = []
    for name, snap in learned_names(judgements):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
        for match in pattern.finditer(text.body):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            seq = next((q for q, ps, pe in text.passages if ps <= start and end <= pe), None)
            if seq is None:
                continue
            record = _ensure(state, snap)
            taken.append((start, end))
            added.append(
                MentionRecord(
                    entity_key=record.key,
                    passage_seq=seq,
                    char_start=start,
                    char_end=end,
                    text=match.group(0),
                    label=LABELS.get(record.type, "MISC"),
                    method=LEARNED_METHOD,
                    confidence=1.0,
                )
            )
    if added:
        ex.mentions = sorted(ex.mentions + added, key=lambda m: (m.char_start, m.char_end))


def record_from(snap: dict[str, Any]) -> EntityRecord:
    """An entity record from a judgement's snapshot, for an entity this document does not
    name by itself (the entity a name is merged or aliased into)."""
    return EntityRecord(
        key=snap["key"],
        name=snap["name"],
        type=snap["type"],
        country=snap.get("country"),
        wikidata_id=snap.get("wikidata_id"),
        aliases=[],
    )


def _ensure(state: Curated, snap: dict[str, Any]) -> EntityRecord:
    entities = state.extraction.entities
    if snap["key"] not in entities:
        entities[snap["key"]] = record_from(snap)
    return entities[snap["key"]]


def _remap_keys(state: Curated, remap: dict[str, str]) -> None:
    ex = state.extraction

    def m(key: str | None) -> str | None:
        return remap.get(key, key) if key is not None else None

    ex.mentions = [
        replace(x, entity_key=remap.get(x.entity_key, x.entity_key)) for x in ex.mentions
    ]
    ex.statements = [
        replace(
            s,
            subject_key=m(s.subject_key) or s.subject_key,
            object_key=m(s.object_key),
            speaker_key=m(s.speaker_key),
        )
        for s in ex.statements
    ]


def _merge(state: Curated, j: JudgementData) -> None:
    entities = state.extraction.entities
    others = [o for o in j.arguments.get("others", []) if o["key"] in entities]
    if not others:
        return
    keep = _ensure(state, j.arguments["entity"])
    for o in others:
        record = entities.pop(o["key"])
        keep.aliases.append((record.name, "document"))
        keep.aliases.extend(record.aliases)
    _remap_keys(state, {o["key"]: keep.key for o in others})


def _statement_refs(s: StatementRecord) -> list[str | None]:
    return [s.subject_key, s.object_key, s.speaker_key]


def _move_mentions(
    state: Curated,
    chosen: Callable[[MentionRecord], bool],
    new_key: str | None,
) -> set[str]:
    """Give the chosen mentions to `new_key` (or drop them when None). A statement follows
    when every mention of its entity inside its span moved; an entity left with no
    mention and no statement disappears. The keys the moved mentions had."""
    ex = state.extraction
    moved = [m for m in ex.mentions if chosen(m)]
    if not moved:
        return set()
    old_keys = {m.entity_key for m in moved if m.entity_key != new_key}
    moved_ids = {id(m) for m in moved}
    kept = [m for m in ex.mentions if id(m) not in moved_ids]

    def follows(s: StatementRecord, key: str | None) -> bool:
        if key not in old_keys:
            return False
        inside = [m for m in ex.mentions if m.entity_key == key and _within(m, s)]
        return bool(inside) and all(id(m) in moved_ids for m in inside)

    statements: list[StatementRecord] = []
    statuses: list[str] = []
    for s, status in zip(ex.statements, state.statuses, strict=True):
        subject, obj, speaker = (follows(s, k) for k in _statement_refs(s))
        if new_key is None and (subject or obj):
            continue  # its entity was not there after all
        if subject or obj or speaker:
            s = replace(
                s,
                subject_key=new_key if subject and new_key else s.subject_key,
                object_key=new_key if obj else s.object_key,
                speaker_key=(new_key if speaker else s.speaker_key),
            )
        statements.append(s)
        statuses.append(status)
    ex.statements, state.statuses = statements, statuses
    ex.mentions = kept + (
        [replace(m, entity_key=new_key) for m in moved] if new_key is not None else []
    )
    ex.mentions.sort(key=lambda m: (m.char_start, m.char_end))
    used = {m.entity_key for m in ex.mentions}
    used.update(k for s in ex.statements for k in _statement_refs(s) if k)
    for key in old_keys - used:
        ex.entities.pop(key, None)
    return old_keys


def _within(m: MentionRecord, s: StatementRecord) -> bool:
    return s.char_start <= m.char_start and m.char_end <= s.char_end


def _split(state: Curated, j: JudgementData) -> None:
    alias = normalize(j.arguments["alias"])
    new = j.arguments["new"]
    chosen = [
        m
        for m in state.extraction.mentions
        if m.entity_key == j.target and normalize(m.text) == alias
    ]
    if not chosen:
        return
    record = _ensure(state, new)
    record.aliases.append((j.arguments["alias"], "manual"))
    old = state.extraction.entities.get(j.target)
    if old is not None:
        old.aliases = [(a, s) for a, s in old.aliases if normalize(a) != alias]
    ids = {id(m) for m in chosen}
    _move_mentions(state, lambda m: id(m) in ids, new["key"])


def _alias_add(state: Curated, j: JudgementData) -> None:
    """A judged alias names its entity wherever it is found: the learned gazetteer."""
    alias = normalize(j.arguments["alias"])
    ex = state.extraction
    entity = j.arguments["entity"]
    if any(normalize(m.text) == alias for m in ex.mentions) or entity["key"] in ex.entities:
        record = _ensure(state, entity)
        record.aliases.append((j.arguments["alias"], "manual"))
    _move_mentions(
        state,
        lambda m: m.entity_key != entity["key"] and normalize(m.text) == alias,
        entity["key"],
    )


def _alias_remove(state: Curated, j: JudgementData) -> None:
    """The name does not stand for this entity: its mentions by that name are dropped."""
    alias = normalize(j.arguments["alias"])
    record = state.extraction.entities.get(j.target)
    if record is not None:
        record.aliases = [(a, s) for a, s in record.aliases if normalize(a) != alias]
    _move_mentions(state, lambda m: m.entity_key == j.target and normalize(m.text) == alias, None)


def _reject(state: Curated, j: JudgementData) -> None:
    ex = state.extraction
    if j.target not in ex.entities and not any(m.entity_key == j.target for m in ex.mentions):
        return
    ex.entities.pop(j.target, None)
    ex.mentions = [m for m in ex.mentions if m.entity_key != j.target]
    statements: list[StatementRecord] = []
    statuses: list[str] = []
    for s, status in zip(ex.statements, state.statuses, strict=True):
        if j.target in (s.subject_key, s.object_key):
            continue
        if s.speaker_key == j.target:
            s = replace(s, speaker_key=None)
        statements.append(s)
        statuses.append(status)
    ex.statements, state.statuses = statements, statuses


def _rename(state: Curated, j: JudgementData) -> None:
    record = state.extraction.entities.get(j.target)
    if record is not None:
        record.name = j.arguments["name"]
        record.aliases.append((j.arguments["name"], "manual"))


def _retype(state: Curated, j: JudgementData) -> None:
    record = state.extraction.entities.get(j.target)
    if record is not None:
        record.type = j.arguments["type"]


def _link(state: Curated, j: JudgementData) -> None:
    record = state.extraction.entities.get(j.target)
    if record is not None:
        record.wikidata_id = j.arguments["wikidata"]


def _matching(state: Curated, j: JudgementData) -> list[int]:
    if j.document_uid != state.uid:
        return []
    return [
        i
        for i, s in enumerate(state.extraction.statements)
        if (s.char_start, s.char_end, s.predicate) == (j.char_start, j.char_end, j.predicate)
    ]


def _status(value: str) -> Callable[[Curated, JudgementData], None]:
    def handler(state: Curated, j: JudgementData) -> None:
        for i in _matching(state, j):
            state.statuses[i] = value

    return handler


def _edit(state: Curated, j: JudgementData) -> None:
    args = j.arguments
    for i in _matching(state, j):
        s = state.extraction.statements[i]
        changes: dict[str, Any] = {}
        if args.get("predicate"):
            changes["predicate"] = args["predicate"]
        if args.get("polarity"):
            changes["polarity"] = args["polarity"]
        if isinstance(args.get("object"), dict):
            changes["object_key"] = _ensure(state, args["object"]).key
            changes["object_text"] = None
        state.extraction.statements[i] = replace(s, **changes)


_HANDLERS: dict[str, Callable[[Curated, JudgementData], None]] = {
    "entity_merge": _merge,
    "entity_split": _split,
    "entity_rename": _rename,
    "entity_retype": _retype,
    "entity_reject": _reject,
    "entity_link": _link,
    "alias_add": _alias_add,
    "alias_remove": _alias_remove,
    "statement_reject": _status("rejected"),
    "statement_verify": _status("verified"),
    "statement_edit": _edit,
}
