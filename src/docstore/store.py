"""Store: the Python API behind the CLI (ingest, re-extraction, reading back)."""

from __future__ import annotations

import os
import socket
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, insert, or_, select, text, update
from sqlalchemy.engine import URL

from docstore import extract, migrate
from docstore.db import READ_ONLY_OPTION, describe, make_engine, resolve_url
from docstore.duplicates import find_duplicate
from docstore.extract.types import DocumentInput
from docstore.ingest import Prepared, discover, prepare_file
from docstore.models import Document, IngestError, IngestRun, Passage
from docstore.readers import ReadOptions
from docstore.signals import Interrupted, signals_deferred, terminate_as_interrupt
from docstore.workers import prepare_in_pool
from docstore.writer import (
    clear_extraction,
    entities_of,
    insert_document,
    now_iso,
    recompute_entity_dates,
    write_extraction,
)


@dataclass
class IngestOptions:
    read: ReadOptions = field(default_factory=ReadOptions)
    model: str | None = None
    workers: int = 1
    fail_fast: bool = False
    allow_duplicates: bool = False


@dataclass
class Outcome:
    """What happened to one document (or one unreadable input)."""

    source: str
    status: str  # added | skipped | duplicate | failed
    message: str = ""
    document_id: int | None = None


@dataclass
class IngestReport:
    run_id: int
    files_seen: int = 0
    added: int = 0
    skipped: int = 0
    failed: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False

    @property
    def errors(self) -> list[str]:
        return [o.message for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        return f"{self.added} added, {self.skipped} skipped, {self.failed} failed"


@dataclass
class ReextractReport:
    version: str
    done: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class Store:
    def __init__(
        self,
        db: str | URL | None = None,
        *,
        upgrade: bool = True,
        notify: Callable[[str], None] | None = None,
        readonly: bool = False,
        check_schema: bool = True,
    ) -> None:
        """`readonly`: connections that cannot write (SQLite mode=ro, a PostgreSQL read-only
        transaction), no schema upgrade, and (unless not `check_schema`) a one-line refusal
        unless the database is docstore's at the code's revision: what reading commands use."""
        self.url = db if isinstance(db, URL) else resolve_url(db)
        self.engine: Engine = make_engine(self.url, readonly=readonly)
        self._raw_connections: weakref.WeakSet[Any] = weakref.WeakSet()
        event.listen(self.engine, "connect", self._track_connection)
        if readonly:
            if check_schema:
                try:
                    migrate.require_current(self.engine)
                except BaseException:
                    self.engine.dispose()
                    raise
        elif upgrade:
            migrate.ensure_schema(self.engine, notify)

    def __repr__(self) -> str:
        return f"Store({describe(self.url)!r})"

    @property
    def location(self) -> str:
        return describe(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        options: IngestOptions | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_file: Callable[[Path], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders; one transaction per document, failures reported."""
        options = options or IngestOptions()
        report = IngestReport(run_id=self._start_run())

        def record(outcome: Outcome) -> None:
            report.outcomes.append(outcome)
            if outcome.status == "added":
                report.added += 1
            elif outcome.status == "failed":
                report.failed += 1
                self._record_error(report.run_id, outcome)
            else:
                report.skipped += 1
            if on_outcome:
                on_outcome(outcome)

        status = "completed"
        crash: BaseException | None = None
        try:
            with terminate_as_interrupt():
                found = discover(paths, options.read)
                report.files_seen = len(found.files)
                for err in found.errors:
                    record(Outcome(err.source, "failed", str(err)))
                    if options.fail_fast:
                        return report
                for path, prepared in self._prepare_all(found.files, options):
                    if on_file:
                        on_file(path)
                    for item in prepared:
                        record(self._store_prepared(item, options))
                        if options.fail_fast and report.failed:
                            return report
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM as Interrupted
            report.interrupted = True
            status = "interrupted"
            raise
        except BaseException as exc:  # a crash: the run says so, with the reason
            crash = exc
            status = "failed"
            raise
        finally:
            if status == "completed" and report.failed:
                status = "failed"
            with signals_deferred():
                # An interrupt can land between a connection's BEGIN and SQLAlchemy's record
                # of it: roll back every connection of this store so that none holds the
                # write lock the run row needs.
                self._release_connections()
                if crash is not None:
                    message = f"ingest stopped: {type(crash).__name__}: {one_line(crash)}"
                    self._record_error(report.run_id, Outcome("(run)", "failed", message))
                self._finish_run(report, status)
        return report

    def _track_connection(self, dbapi_conn: Any, _record: Any) -> None:
        with suppress(TypeError):
            self._raw_connections.add(dbapi_conn)

    def _release_connections(self) -> None:
        for raw in list(self._raw_connections):
            with suppress(Exception):
                raw.rollback()

    def _prepare_all(
        self, files: list[Path], options: IngestOptions
    ) -> Iterator[tuple[Path, list[Prepared]]]:
        if options.workers <= 1 or len(files) < 2:
            with _UidProbe(self) as probe:
                for path in files:
                    yield path, prepare_file(path, options.read, options.model, probe)
            return
        with self.engine.connect() as conn:
            known = frozenset(conn.execute(select(Document.uid)).scalars())
        yield from prepare_in_pool(files, options.read, options.model, options.workers, known)

    def _store_prepared(self, item: Prepared, options: IngestOptions) -> Outcome:
        """Store one document in one transaction; any failure leaves nothing of it."""
        if item.error or item.laid is None:
            return Outcome(item.source, "failed", item.error or f"{item.source}: unreadable")
        laid = item.laid
        if item.known:  # stored when prepared: confirm with a read, without the write lock
            with self.engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
                existing = conn.execute(_UID_STORED, {"uid": laid.uid}).scalar()
            if existing is not None:
                return Outcome(item.source, "skipped", "already stored", existing)
        try:
            extraction = item.extraction  # None when already stored as it was prepared
            with self.engine.begin() as conn:
                _lock_writers(conn)
                existing = conn.execute(
                    select(Document.id).where(Document.uid == laid.uid)
                ).scalar()
                if existing is not None:
                    return Outcome(item.source, "skipped", "already stored", existing)
                if not options.allow_duplicates:
                    dup = find_duplicate(conn, laid)
                    if dup is not None:
                        return Outcome(
                            item.source,
                            "duplicate",
                            f"same article as document {dup[0]} ({dup[1]}); "
                            "--allow-duplicates stores it anyway",
                            dup[0],
                        )
                version = item.extractor_version
                if extraction is None or version is None:  # stored when prepared, deleted since
                    # Only here does the writer need a pipeline of its own: with workers, the
                    # main process then never loads one.
                    extractor = extract.get_extractor(options.model)
                    version = extractor.version
                    if extraction is None:
                        extraction = extractor.extract(
                            DocumentInput(laid.body, laid.passages, laid.article.published_at)
                        )
                doc_id, passages = insert_document(conn, laid, version)
                write_extraction(conn, doc_id, passages, extraction)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            return Outcome(
                item.source, "failed", f"{item.source}: could not be stored ({one_line(exc)})"
            )
        return Outcome(item.source, "added", "", doc_id)

    def _start_run(self) -> int:
        pid, host = os.getpid(), socket.gethostname()
        with self.engine.begin() as conn:
            _lock_writers(conn)
            _abandon_dead_runs(conn, host)
            return int(
                conn.execute(
                    insert(IngestRun).returning(IngestRun.id),
                    {
                        "started_at": now_iso(),
                        "status": "running",
                        "pid": pid,
                        "host": host,
                        "files_seen": 0,
                        "documents_added": 0,
                        "documents_skipped": 0,
                        "documents_failed": 0,
                    },
                ).scalar_one()
            )

    def _record_error(self, run_id: int, outcome: Outcome) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(IngestError),
                {"run_id": run_id, "source": outcome.source, "error": outcome.message},
            )

    def _finish_run(self, report: IngestReport, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(IngestRun)
                .where(IngestRun.id == report.run_id)
                .values(
                    finished_at=now_iso(),
                    status=status,
                    files_seen=report.files_seen,
                    documents_added=report.added,
                    documents_skipped=report.skipped,
                    documents_failed=report.failed,
                )
            )

    # -- re-extraction ----------------------------------------------------------------------

    def reextract(
        self,
        *,
        outdated_only: bool = True,
        model: str | None = None,
        on_document: Callable[[int, str | None], None] | None = None,
    ) -> ReextractReport:
        """Recompute mentions and statements from stored text, keeping document ids.

        One transaction per document: a document whose extraction fails keeps its old
        mentions and statements (and version), is reported, and the rest go on.
        `on_document(id, error)` is called after each, with `error` None on success.
        """
        extractor = extract.get_extractor(model)
        with self.engine.connect() as conn:
            query = select(Document.id).order_by(Document.id)
            if outdated_only:
                query = query.where(
                    or_(
                        Document.extractor_version.is_(None),
                        Document.extractor_version != extractor.version,
                    )
                )
            ids = list(conn.execute(query).scalars())
        report = ReextractReport(version=extractor.version)
        with terminate_as_interrupt():
            for doc_id in ids:
                error = None
                try:
                    with self.engine.begin() as conn:
                        _lock_writers(conn)  # entities and their dates: one writer at a time
                        self._reextract_one(conn, doc_id, extractor)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:
                    error = f"document {doc_id}: re-extraction failed ({one_line(exc)})"
                    report.failed.append(error)
                else:
                    report.done.append(doc_id)
                if on_document:
                    on_document(doc_id, error)
        return report

    def _reextract_one(self, conn: Connection, doc_id: int, extractor: Any) -> None:
        from docstore.article import Passage as PassageData

        doc = conn.execute(
            select(Document.body, Document.published_at).where(Document.id == doc_id)
        ).one()
        rows = conn.execute(
            select(Passage.seq, Passage.kind, Passage.text, Passage.char_start, Passage.char_end)
            .where(Passage.document_id == doc_id)
            .order_by(Passage.seq)
        ).all()
        passages = tuple(PassageData(*row) for row in rows)
        extraction = extractor.extract(DocumentInput(doc.body, passages, doc.published_at))
        before = entities_of(conn, doc_id)
        clear_extraction(conn, doc_id)
        ids = {
            seq: pid
            for seq, pid in conn.execute(
                select(Passage.seq, Passage.id).where(Passage.document_id == doc_id)
            )
        }
        write_extraction(conn, doc_id, ids, extraction)
        # Entities it still mentions keep their dates (widened by write_extraction); those it
        # no longer mentions may lose their first or last document.
        recompute_entity_dates(conn, before - entities_of(conn, doc_id))
        conn.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(extractor_version=extractor.version)
        )

    # -- reading back -----------------------------------------------------------------------

    def query(
        self, sql: str, params: dict[str, Any] | None = None, *, timeout: float | None = 30.0
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Columns and rows of one read-only statement (see docstore.query)."""
        from docstore.query import run_query

        with run_query(self.url, sql, params, timeout=timeout) as result:
            return result.columns, list(result.rows)

    def search(
        self, text: str, *, entity_ids: list[int] | None = None, limit: int = 20
    ) -> list[Any]:
        """Ranked passages for `text` (see docstore.search)."""
        from docstore.search import search

        with self.engine.connect() as conn:
            return search(conn, text, entity_ids=entity_ids, limit=limit)


def _lock_writers(conn: Connection) -> None:
    """Serialize document writers, so that the "already stored?" and "duplicate?" checks
    and the insert are one step for concurrent ingests. SQLite writers already are
    (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITER_LOCK})


_PG_WRITER_LOCK = 7_325_002


def _abandon_dead_runs(conn: Connection, host: str) -> None:
    """Runs left `running` by a process of this host that no longer exists (killed with
    SIGKILL, or the machine went down) become `abandoned`. Runs of other hosts, or from
    before docstore recorded processes, cannot be checked and stay as they are."""
    rows = conn.execute(
        select(IngestRun.id, IngestRun.pid).where(
            IngestRun.status == "running", IngestRun.host == host, IngestRun.pid.is_not(None)
        )
    ).all()
    gone = [run_id for run_id, pid in rows if pid is not None and not _process_alive(pid)]
    if gone:
        conn.execute(
            update(IngestRun)
            .where(IngestRun.id.in_(gone))
            .values(status="abandoned", finished_at=now_iso())
        )


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return True
    return True


def one_line(exc: BaseException) -> str:
    """A database error's own message, without the SQL and parameters SQLAlchemy adds."""
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc) or type(exc).__name__
    return " ".join(message.split("\n", 1)[0].split())


_UID_STORED = select(Document.id).where(Document.uid == bindparam("uid"))


class _UidProbe:
    """A set-like view of stored content hashes, asked one at a time (single process).

    Holds one connection for the whole run (not one per document) and ends its
    transaction after each question, so that it never holds a lock or an old snapshot.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: Connection | None = None

    def __contains__(self, uid: object) -> bool:
        if self.conn is None:
            self.conn = self.store.engine.connect().execution_options(**{READ_ONLY_OPTION: True})
        try:
            return self.conn.execute(_UID_STORED, {"uid": uid}).first() is not None
        finally:
            self.conn.rollback()

    def __enter__(self) -> _UidProbe:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


__all__ = [
    "IngestOptions",
    "IngestReport",
    "Interrupted",
    "Outcome",
    "ReextractReport",
    "Store",
]
