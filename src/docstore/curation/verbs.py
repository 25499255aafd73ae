"""The curation verbs of Store: one method per CLI command, each one transaction.

Every verb takes the writers' lock (PostgreSQL: an advisory lock; SQLite: its single
writer), so that analysts judging at once never lose each other's updates, then records
the judgement and brings stored rows in line (docstore.curation.actions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select

from docstore.curation.actions import (
    CurationError,
    JudgementEffect,
    judge,
    resolve_document,
    resolve_entity,
    snapshot,
    stored_document,
    undo,
)
from docstore.curation.exchange import ImportReport, import_judgements, read_jsonl, write_jsonl
from docstore.curation.records import JudgementData, default_author, load, statement_target
from docstore.extract.learned import LearnedNames
from docstore.extract.normalize import normalize, slug
from docstore.models import Document, Entity, Mention, Predicate, Statement
from docstore.terms import ENTITY_TYPES, POLARITIES

_QID = re.compile(r"Q[1-9][0-9]*")


class CurationVerbs:
    """Mixed into Store: it supplies `engine` (reads), `transaction` (writes, with the
    write lock taken up front) and `_reextract_one`."""

    engine: Engine

    if TYPE_CHECKING:  # provided by Store

        def transaction(self) -> AbstractContextManager[Connection]: ...

        def _reextract_one(
            self,
            conn: Connection,
            doc_id: int,
            extractor: Any,
            learned: LearnedNames | None = None,
        ) -> None: ...

    def _reextractor(self) -> Callable[[Connection, int], None]:
        """Re-extract one stored document; the extractor is built on first use only."""
        from docstore import extract

        extractor: list[Any] = []

        def reextract(conn: Connection, doc_id: int) -> None:
            if not extractor:
                extractor.append(extract.get_extractor(None))
            self._reextract_one(conn, doc_id, extractor[0])

        return reextract

    def _judge(self, build: Callable[[Connection], JudgementData]) -> JudgementEffect:
        from docstore.store import _lock_writers

        reextract = self._reextractor()
        with self.transaction() as conn:
            _lock_writers(conn)
            return judge(conn, build(conn), reextract)

    def _entity_judgement(
        self,
        kind: str,
        entity: str,
        arguments: Callable[[Connection, dict[str, Any]], dict[str, Any]],
        author: str | None,
        note: str | None,
    ) -> JudgementEffect:
        def build(conn: Connection) -> JudgementData:
            snap = snapshot(conn, resolve_entity(conn, entity))
            return JudgementData(
                kind=kind,
                target=snap["key"],
                target_name=snap["name"],
                arguments={"entity": snap, **arguments(conn, snap)},
                author=author or default_author(),
                note=note,
            )

        return self._judge(build)

    # -- entities -------------------------------------------------------------------------

    def merge_entities(
        self, keep: str, others: list[str], *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """The others are the same thing as `keep`: their mentions, statements and names
        become its own, now and in every document written later."""

        def args(conn: Connection, snap: dict[str, Any]) -> dict[str, Any]:
            snaps: list[dict[str, Any]] = []
            for ref in others:
                other = snapshot(conn, resolve_entity(conn, ref))
                if other["key"] == snap["key"]:
                    raise CurationError(f"cannot merge {snap['key']} into itself")
                if other["key"] not in {s["key"] for s in snaps}:
                    snaps.append(other)
            if not snaps:
                raise CurationError("name at least one entity to merge into the first")
            return {"others": snaps}

        return self._entity_judgement("entity_merge", keep, args, author, note)

    def split_entity(
        self, entity: str, alias: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """The mentions of `entity` that read `alias` are another thing: a new entity."""

        def args(conn: Connection, snap: dict[str, Any]) -> dict[str, Any]:
            wanted = normalize(alias)
            texts = conn.execute(
                select(Mention.text)
                .join(Entity, Entity.id == Mention.entity_id)
                .where(Entity.key == snap["key"])
                .distinct()
            ).scalars()
            if not any(normalize(t) == wanted for t in texts):
                raise CurationError(f"no mention of {snap['key']} reads {alias!r}")
            key = f"{snap['type']}:{slug(alias)}"
            if key == snap["key"]:
                key += "-split"
            new = {"key": key, "name": alias.strip(), "type": snap["type"]}
            new["country"] = snap.get("country")
            return {"alias": alias.strip(), "new": new}

        return self._entity_judgement("entity_split", entity, args, author, note)

    def rename_entity(
        self, entity: str, name: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """Give an entity the name analysts use; its key stays."""
        if not name.strip():
            raise CurationError("the new name is empty")
        return self._entity_judgement(
            "entity_rename",
            entity,
            lambda conn, snap: {"name": name.strip(), "before": snap["name"]},
            author,
            note,
        )

    def retype_entity(
        self, entity: str, type_: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        if type_ not in ENTITY_TYPES:
            raise CurationError(f"type {type_!r} is not one of {', '.join(ENTITY_TYPES)}")
        return self._entity_judgement(
            "entity_retype",
            entity,
            lambda conn, snap: {"type": type_, "before": snap["type"]},
            author,
            note,
        )

    def reject_entity(
        self, entity: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """Not an entity: its mentions and statements go, and it is never extracted again."""
        return self._entity_judgement("entity_reject", entity, lambda c, s: {}, author, note)

    def link_entity(
        self, entity: str, wikidata: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        if not _QID.fullmatch(wikidata):
            raise CurationError(f"--wikidata {wikidata!r} is not a Wikidata id such as Q184")
        return self._entity_judgement(
            "entity_link",
            entity,
            lambda conn, snap: {"wikidata": wikidata, "before": snap.get("wikidata_id")},
            author,
            note,
        )

    def add_alias(
        self, entity: str, alias: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """Another name of the entity: mentions by that name, stored and future, are it."""
        if not normalize(alias):
            raise CurationError(f"alias {alias!r} is empty")
        return self._entity_judgement(
            "alias_add", entity, lambda conn, snap: {"alias": alias.strip()}, author, note
        )

    def remove_alias(
        self, entity: str, alias: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """A name that does not stand for the entity: its mentions by that name go."""

        def args(conn: Connection, snap: dict[str, Any]) -> dict[str, Any]:
            wanted = normalize(alias)
            if normalize(snap["name"]) == wanted:
                raise CurationError(f"{alias!r} is the name of {snap['key']}; rename it first")
            if not any(normalize(a) == wanted for a in snap["aliases"]):
                raise CurationError(f"{alias!r} is not an alias of {snap['key']}")
            return {"alias": alias.strip()}

        return self._entity_judgement("alias_remove", entity, args, author, note)

    # -- statements -----------------------------------------------------------------------

    def _statement_judgement(
        self,
        kind: str,
        statement_id: int,
        arguments: Callable[[Connection], dict[str, Any]],
        author: str | None,
        note: str | None,
    ) -> JudgementEffect:
        def build(conn: Connection) -> JudgementData:
            row = conn.execute(
                select(
                    Document.uid,
                    Statement.char_start,
                    Statement.char_end,
                    Statement.predicate,
                    Statement.quote,
                )
                .join(Document, Document.id == Statement.document_id)
                .where(Statement.id == statement_id)
            ).first()
            if row is None:
                raise CurationError(f"no statement with id {statement_id}")
            return JudgementData(
                kind=kind,
                target=statement_target(row.uid, row.char_start, row.char_end, row.predicate),
                target_name=row.quote,
                document_uid=row.uid,
                char_start=row.char_start,
                char_end=row.char_end,
                predicate=row.predicate,
                arguments=arguments(conn),
                author=author or default_author(),
                note=note,
            )

        return self._judge(build)

    def reject_statement(
        self, statement_id: int, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """A false statement: kept with status 'rejected', out of the views, for good."""
        return self._statement_judgement(
            "statement_reject", statement_id, lambda c: {}, author, note
        )

    def verify_statement(
        self, statement_id: int, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        return self._statement_judgement(
            "statement_verify", statement_id, lambda c: {}, author, note
        )

    def edit_statement(
        self,
        statement_id: int,
        *,
        predicate: str | None = None,
        object_: str | None = None,
        polarity: str | None = None,
        author: str | None = None,
        note: str | None = None,
    ) -> JudgementEffect:
        """Correct a statement's predicate, object or polarity; the evidence stays."""
        if predicate is None and object_ is None and polarity is None:
            raise CurationError("give --predicate, --object or --polarity")
        if polarity is not None and polarity not in POLARITIES:
            raise CurationError(f"polarity {polarity!r} is not one of {', '.join(POLARITIES)}")

        def args(conn: Connection) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if predicate is not None:
                known = conn.execute(
                    select(Predicate.name).where(Predicate.name == predicate)
                ).scalar()
                if known is None:
                    raise CurationError(
                        f"unknown predicate {predicate!r}; see: SELECT name FROM predicates"
                    )
                out["predicate"] = predicate
            if object_ is not None:
                out["object"] = snapshot(conn, resolve_entity(conn, object_))
            if polarity is not None:
                out["polarity"] = polarity
            return out

        return self._statement_judgement("statement_edit", statement_id, args, author, note)

    # -- documents ------------------------------------------------------------------------

    def find_document(self, document: str) -> tuple[int, str, str]:
        """A stored document by id or uid: (id, uid, title); CurationError if none."""
        with self.engine.connect() as conn:
            return resolve_document(conn, document)

    def delete_document(
        self, document: str, *, author: str | None = None, note: str | None = None
    ) -> JudgementEffect:
        """Remove a document and all that was extracted from it; ingest skips it from now
        on. Ingest-run records stay. The judgement keeps the document's text, so that undo
        stores it again."""

        def build(conn: Connection) -> JudgementData:
            doc_id, uid, title = resolve_document(conn, document)
            return JudgementData(
                kind="document_delete",
                target=uid,
                target_name=title,
                document_uid=uid,
                arguments={"title": title, **stored_document(conn, doc_id)},
                author=author or default_author(),
                note=note,
            )

        return self._judge(build)

    # -- the judgements themselves --------------------------------------------------------

    def list_judgements(self, *, author: str | None = None) -> list[JudgementData]:
        with self.engine.connect() as conn:
            return load(conn, author=author)

    def undo_judgement(self, judgement_id: int, *, author: str | None = None) -> JudgementEffect:
        """Undo a judgement: the database as if it had never been made."""
        from docstore.store import _lock_writers

        reextract = self._reextractor()
        with self.transaction() as conn:
            _lock_writers(conn)
            return undo(conn, judgement_id, author or default_author(), reextract)

    def export_judgements(self, path: str | Path) -> int:
        """Every judgement (undone ones too) as JSON Lines; the number written."""
        judgements = self.list_judgements()
        with open(path, "w", encoding="utf-8") as out:
            return write_jsonl(judgements, out)

    def import_judgements(self, path: str | Path) -> ImportReport:
        """Judgements from an export, applied here; importing twice changes nothing."""
        from docstore.store import _lock_writers

        incoming = read_jsonl(Path(path))
        reextract = self._reextractor()
        with self.transaction() as conn:
            _lock_writers(conn)
            return import_judgements(conn, incoming, reextract)
