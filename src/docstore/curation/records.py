"""Judgements as plain data: what was decided, about what, by whom; read and written here.

A judgement names its target by what survives re-extraction (an entity key, a document
uid, a statement's document uid + offsets + predicate), so that it can be applied again to
every new extraction. Rows are never deleted; undo stamps `undone_at`.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from docstore.models import JUDGEMENT_KINDS, Judgement

ENTITY_KINDS = tuple(k for k in JUDGEMENT_KINDS if k.startswith(("entity_", "alias_")))
STATEMENT_KINDS = tuple(k for k in JUDGEMENT_KINDS if k.startswith("statement_"))


def default_author() -> str:
    """The OS user: who judged, unless --author says otherwise."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "unknown"


def now_precise() -> str:
    """UTC time with microseconds: judgements are applied in the order they were made."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class JudgementData:
    """One judgement. `arguments` holds what the kind needs plus a snapshot of the entities
    involved (names, types, aliases), so that it can be applied and undone after those
    rows are gone and to databases that never had them."""

    kind: str
    target: str
    arguments: dict[str, Any] = field(default_factory=dict)
    author: str = ""
    created_at: str = ""
    note: str | None = None
    target_name: str | None = None
    document_uid: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    predicate: str | None = None
    undone_at: str | None = None
    undone_by: str | None = None
    uid: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in JUDGEMENT_KINDS:
            raise ValueError(f"unknown judgement kind {self.kind!r}")
        self.author = self.author or default_author()
        self.created_at = self.created_at or now_precise()
        self.uid = self.uid or self.content_hash()

    def content_hash(self) -> str:
        """The same decision by the same author at the same time: the same uid anywhere."""
        basis = json.dumps(
            [self.kind, self.target, self.arguments, self.author, self.created_at],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def entity_keys(self) -> set[str]:
        """Every entity key this judgement touches."""
        if self.kind in STATEMENT_KINDS:
            obj = self.arguments.get("object")
            return {obj["key"]} if isinstance(obj, dict) else set()
        if self.kind == "document_delete":
            return set()
        keys = {self.target}
        keys.update(o["key"] for o in self.arguments.get("others", []))
        if self.kind == "entity_split":
            keys.add(self.arguments["new"]["key"])
        return keys

    def names(self) -> set[str]:
        """Every name form this judgement is about, to find documents that may say them."""
        out: set[str] = set()
        for snap in [self.arguments.get("entity"), *self.arguments.get("others", [])]:
            if isinstance(snap, dict):
                out.add(snap["name"])
                out.update(snap.get("aliases", []))
        for key in ("alias", "name"):
            value = self.arguments.get(key)
            if isinstance(value, str):
                out.add(value)
        return {n for n in out if n.strip()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "kind": self.kind,
            "target": self.target,
            "target_name": self.target_name,
            "document_uid": self.document_uid,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "predicate": self.predicate,
            "arguments": self.arguments,
            "author": self.author,
            "created_at": self.created_at,
            "note": self.note,
            "undone_at": self.undone_at,
            "undone_by": self.undone_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JudgementData:
        """From one exported line; raises ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        missing = [k for k in ("uid", "kind", "target", "author", "created_at") if not data.get(k)]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if not isinstance(data.get("arguments", {}), dict):
            raise ValueError("arguments must be an object")
        fields: dict[str, Any] = {
            k: data.get(k)
            for k in (
                "uid",
                "kind",
                "target",
                "target_name",
                "document_uid",
                "char_start",
                "char_end",
                "predicate",
                "author",
                "created_at",
                "note",
                "undone_at",
                "undone_by",
            )
        }
        return cls(arguments=dict(data.get("arguments") or {}), **fields)


def statement_target(uid: str, char_start: int, char_end: int, predicate: str) -> str:
    return f"{uid}:{char_start}-{char_end}:{predicate}"


def insert_judgement(conn: Connection, j: JudgementData) -> int:
    values = j.as_dict()
    values["arguments"] = json.dumps(j.arguments, sort_keys=True, ensure_ascii=False)
    j.id = int(conn.execute(insert(Judgement).returning(Judgement.id), values).scalar_one())
    return j.id


_COLUMNS = (
    Judgement.id,
    Judgement.uid,
    Judgement.kind,
    Judgement.target,
    Judgement.target_name,
    Judgement.document_uid,
    Judgement.char_start,
    Judgement.char_end,
    Judgement.predicate,
    Judgement.arguments,
    Judgement.author,
    Judgement.created_at,
    Judgement.note,
    Judgement.undone_at,
    Judgement.undone_by,
)


def _from_row(row: Any) -> JudgementData:
    values = dict(row._mapping)
    values["arguments"] = json.loads(values["arguments"] or "{}")
    return JudgementData(**values)


def load(
    conn: Connection,
    *,
    active_only: bool = False,
    author: str | None = None,
    kinds: tuple[str, ...] | None = None,
    target: str | None = None,
    document_uid: str | None = None,
) -> list[JudgementData]:
    """Judgements in the order they were made (the order they are applied in).

    With `document_uid`, only entity judgements and those about that document's
    statements: what one document's write needs."""
    query = select(*_COLUMNS).order_by(Judgement.created_at, Judgement.id)
    if target is not None:
        query = query.where(Judgement.target == target)
    if document_uid is not None:
        query = query.where(
            or_(Judgement.kind.in_(ENTITY_KINDS), Judgement.document_uid == document_uid)
        )
    if active_only:
        query = query.where(Judgement.undone_at.is_(None))
    if author is not None:
        query = query.where(Judgement.author == author)
    if kinds is not None:
        query = query.where(Judgement.kind.in_(kinds))
    return [_from_row(r) for r in conn.execute(query)]


def get(conn: Connection, judgement_id: int) -> JudgementData | None:
    row = conn.execute(select(*_COLUMNS).where(Judgement.id == judgement_id)).first()
    return _from_row(row) if row is not None else None


def by_uid(conn: Connection, uids: list[str]) -> dict[str, JudgementData]:
    if not uids:
        return {}
    rows = conn.execute(select(*_COLUMNS).where(Judgement.uid.in_(uids)))
    return {r.uid: _from_row(r) for r in rows}
