"""Store: the Python API, one method per CLI verb (ingest, extract, query, export, ...).

The CLI parses options, calls a Store method and prints what it returns; notebooks and
scripts call the same methods. Results are plain: dataclasses, `Rows` (dicts) and dicts.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, Engine, bindparam, event, insert, or_, select, text, update
from sqlalchemy.engine import URL

from docstore import extract, migrate, vocabulary
from docstore.curation import actions as curation_actions
from docstore.curation.learned import load_learned
from docstore.curation.verbs import CurationVerbs
from docstore.db import READ_ONLY_OPTION, describe, make_engine, resolve_url
from docstore.duplicates import find_duplicate
from docstore.enrich import can_enrich, enrich, filled_note
from docstore.export import (
    ExportOptions,
    exportable,
    format_for,
    relation_sql,
    replacing,
    write_rows,
)
from docstore.extract.learned import LearnedNames
from docstore.extract.types import DocumentInput
from docstore.extracted import Extracted, extract_file
from docstore.ingest import Prepared, discover, iter_prepared, prepare_remote
from docstore.models import Document, IngestError, IngestRun, Passage
from docstore.pieces import extract_document
from docstore.profile import (
    OVERVIEW_COLUMNS,
    entity_profile,
    find_entities,
    list_entities,
    resolve_entity,
)
from docstore.query import DEFAULT_TIMEOUT, QueryResult
from docstore.readers import ReadOptions
from docstore.results import Revision, Rows, ViewSummary
from docstore.search import Hit
from docstore.signals import (
    Interrupted,
    interrupt_behind,
    raise_if_terminated,
    signals_deferred,
    terminate_as_interrupt,
)
from docstore.views import ViewInfo, catalog, describe_view
from docstore.workers import prepare_in_pool
from docstore.writer import (
    clear_extraction,
    entities_of,
    insert_document,
    now_iso,
    rebuild_entity_dates,
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
    # Keep every document's outcome in the report (`--json` lists them). Off, only
    # failures are kept, so that a million-row ingest does not grow in memory.
    keep_outcomes: bool = True


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


class Store(CurationVerbs):
    """One docstore database and everything the CLI does with it.

    `Store("news.db")`, `Store("postgresql+psycopg://...")` or `Store(":memory:")`; without
    an argument, $DOCSTORE_DB, else ./docstore.db. A database behind the code is upgraded
    on opening (unless `upgrade=False`). One pooled engine serves the Store's writes and
    `engine` its reads; queries run on one read-only pooled engine made on first use.
    Reads never take SQLite's write lock, so they run while another process ingests.
    Curation verbs (merge_entities, reject_statement, undo_judgement, ...) come from
    docstore.curation.verbs.
    """

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
        from docstore.query import ReadOnlyRunner

        self.url = db if isinstance(db, URL) else resolve_url(db)
        # Writers begin with SQLite's write lock (BEGIN IMMEDIATE), so that concurrent
        # writers wait for each other instead of failing.
        self._writer: Engine = make_engine(self.url, readonly=readonly)
        # Every DBAPI connection of the pool, by id (sqlite3 connections cannot be weakly
        # referenced), until the pool closes it.
        self._raw_connections: dict[int, Any] = {}
        event.listen(self._writer, "connect", self._track_connection)
        event.listen(self._writer, "close", self._forget_connection)
        event.listen(self._writer, "close_detached", self._forget_connection)
        # The same pool, for reading: a plain BEGIN, which neither waits for nor blocks a
        # writer. Use it for your own SQL (`with store.engine.connect() as conn: ...`).
        self.engine: Engine = self._writer.execution_options(**{READ_ONLY_OPTION: True})
        self._reads = ReadOnlyRunner(self.url, self._writer)
        if readonly:
            if check_schema:
                try:
                    migrate.require_current(self._writer)
                except BaseException:
                    self.close()
                    raise
        elif upgrade:
            migrate.ensure_schema(self._writer, notify)
            vocabulary.ensure_predicates(self._writer)

    def __repr__(self) -> str:
        return f"Store({describe(self.url)!r})"

    def transaction(self) -> AbstractContextManager[Connection]:
        """A write transaction for your own SQL (`with store.transaction() as conn:`): on
        SQLite it takes the write lock up front, so that it waits for other writers instead
        of failing halfway. Reads need none: use `store.engine`."""
        return self._writer.begin()

    @property
    def location(self) -> str:
        return describe(self.url)

    def close(self) -> None:
        self._reads.close()
        self._writer.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------

    def ingest(
        self,
        paths: str | Path | Iterable[str | Path],
        options: IngestOptions | None = None,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_file: Callable[[Path], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders (one path or several); one transaction per document,
        failures reported in the returned report rather than raised."""
        if isinstance(paths, str | Path):
            paths = [paths]
        options = options or IngestOptions()
        learned = self._learned()  # before the run row: a failure here leaves no run behind
        report = IngestReport(run_id=self._start_run())

        def record(outcome: Outcome) -> None:
            if options.keep_outcomes or outcome.status == "failed":
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
            raise_if_terminated()

        status = "completed"
        crash: BaseException | None = None
        try:
            with terminate_as_interrupt():
                found = discover(paths, options.read)
                report.files_seen = len(found.files) + len(found.remote)
                for err in found.errors:
                    record(Outcome(err.source, "failed", str(err)))
                    if options.fail_fast:
                        return report
                for name in found.remote:  # standard input and URLs: here, in order
                    with _UidProbe(self) as probe:
                        fetched = prepare_remote(name, options.read, options.model, probe, learned)
                    for item in fetched:
                        record(self._store_prepared(item, options, learned))
                    if options.fail_fast and report.failed:
                        return report
                for path, prepared in self._prepare_all(found.files, options, learned):
                    if on_file and path is not None:  # None: a batch of rows, not a file
                        on_file(path)
                    for item in prepared:
                        record(self._store_prepared(item, options, learned))
                        if options.fail_fast and report.failed:
                            return report
                raise_if_terminated()
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM as Interrupted
            report.interrupted = True
            status = "interrupted"
            raise
        except BaseException as exc:  # a crash: the run says so, with the reason
            if (interrupt := interrupt_behind(exc)) is not None:
                report.interrupted = True
                status = "interrupted"
                raise interrupt from exc
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
        self._raw_connections[id(dbapi_conn)] = dbapi_conn

    def _forget_connection(self, dbapi_conn: Any, _record: Any = None) -> None:
        """Before the pool closes a connection (also one it invalidates because an interrupt
        landed inside a statement): roll it back first. Closing a SQLite connection whose
        statement is still referenced (by the interrupt's traceback) only makes it a zombie
        that keeps its transaction, and with it the write lock, until that statement is
        freed; the run row could then not be closed."""
        self._raw_connections.pop(id(dbapi_conn), None)
        with suppress(Exception):
            dbapi_conn.rollback()

    def _release_connections(self) -> None:
        for raw in list(self._raw_connections.values()):
            with suppress(Exception):
                raw.rollback()

    def _learned(self) -> LearnedNames:
        """The names analysts confirmed, for this run's extractions (read once per run: a
        judgement made meanwhile still reaches its documents when they are written)."""
        with self.engine.connect() as conn:
            return load_learned(conn)

    def _prepare_all(
        self, files: list[Path], options: IngestOptions, learned: LearnedNames
    ) -> Iterator[tuple[Path | None, Iterable[Prepared]]]:
        if options.workers <= 1 or len(files) < 2:
            # Documents one at a time, each stored before the next is read: a large CSV
            # is committed as it streams, in memory that does not grow with it.
            with _UidProbe(self) as probe:
                for path in files:
                    yield path, iter_prepared(path, options.read, options.model, probe, learned)
            return
        with self.engine.connect() as conn:
            known = frozenset(conn.execute(select(Document.uid)).scalars())
        yield from prepare_in_pool(
            files, options.read, options.model, options.workers, known, learned
        )

    def _store_prepared(
        self, item: Prepared, options: IngestOptions, learned: LearnedNames | None = None
    ) -> Outcome:
        """Store one document in one transaction; any failure leaves nothing of it."""
        if item.error or item.laid is None:
            return Outcome(item.source, "failed", item.error or f"{item.source}: unreadable")
        laid = item.laid
        if item.known:  # stored when prepared: confirm with a read, without the write lock
            with self.engine.connect() as conn:
                existing = conn.execute(_UID_STORED, {"uid": laid.uid}).scalar()
            if existing is not None and not can_enrich(laid.article):
                return Outcome(item.source, "skipped", "already stored", existing)
        try:
            extraction = item.extraction  # None when already stored as it was prepared
            with self._writer.begin() as conn:
                _lock_writers(conn)
                existing = conn.execute(
                    select(Document.id).where(Document.uid == laid.uid)
                ).scalar()
                if existing is not None:
                    note = filled_note(enrich(conn, existing, laid.article))
                    return Outcome(item.source, "skipped", "already stored" + note, existing)
                deleted = curation_actions.deleted_by(conn, laid.uid)
                if deleted is not None:
                    return Outcome(
                        item.source,
                        "skipped",
                        f"deleted by judgement {deleted}"
                        f" (docstore judgements undo {deleted} lets it in again)",
                    )
                if not options.allow_duplicates:
                    dup = find_duplicate(conn, laid)
                    if dup is not None:
                        note = filled_note(enrich(conn, dup[0], laid.article))
                        return Outcome(
                            item.source,
                            "duplicate",
                            f"same article as document {dup[0]} ({dup[1]}){note}; "
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
                        extraction = extract_document(
                            extractor,
                            DocumentInput(laid.body, laid.passages, laid.article.published_at),
                            learned=learned,
                        )
                doc_id, passages = insert_document(conn, laid, version)
                write_extraction(conn, doc_id, passages, extraction, laid.uid)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            if (interrupt := interrupt_behind(exc)) is not None:
                raise interrupt from exc
            return Outcome(
                item.source, "failed", f"{item.source}: could not be stored ({one_line(exc)})"
            )
        return Outcome(item.source, "added", "", doc_id)

    def _start_run(self) -> int:
        pid, host = os.getpid(), socket.gethostname()
        with self._writer.begin() as conn:
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
        with self._writer.begin() as conn:
            conn.execute(
                insert(IngestError),
                {"run_id": run_id, "source": outcome.source, "error": outcome.message},
            )

    def _finish_run(self, report: IngestReport, status: str) -> None:
        with self._writer.begin() as conn:
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
        learned = self._learned()
        with terminate_as_interrupt():
            for doc_id in ids:
                error = None
                try:
                    with self._writer.begin() as conn:
                        _lock_writers(conn)  # entities and their dates: one writer at a time
                        self._reextract_one(conn, doc_id, extractor, learned)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:
                    error = f"document {doc_id}: re-extraction failed ({one_line(exc)})"
                    report.failed.append(error)
                else:
                    report.done.append(doc_id)
                if on_document:
                    on_document(doc_id, error)
                raise_if_terminated()
        return report

    def _reextract_one(
        self, conn: Connection, doc_id: int, extractor: Any, learned: LearnedNames | None = None
    ) -> None:
        """Extract one stored document again and replace what was stored of it; `learned`
        names default to those of the judgements `conn` sees (a judgement being made)."""
        from docstore.article import Passage as PassageData

        if learned is None:
            learned = load_learned(conn)
        doc = conn.execute(
            select(Document.uid, Document.body, Document.published_at).where(Document.id == doc_id)
        ).one()
        rows = conn.execute(
            select(Passage.seq, Passage.kind, Passage.text, Passage.char_start, Passage.char_end)
            .where(Passage.document_id == doc_id)
            .order_by(Passage.seq)
        ).all()
        passages = tuple(PassageData(*row) for row in rows)
        extraction = extract_document(
            extractor, DocumentInput(doc.body, passages, doc.published_at), learned=learned
        )
        before = entities_of(conn, doc_id)
        clear_extraction(conn, doc_id)
        ids = {
            seq: pid
            for seq, pid in conn.execute(
                select(Passage.seq, Passage.id).where(Passage.document_id == doc_id)
            )
        }
        write_extraction(conn, doc_id, ids, extraction, doc.uid)
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
        self,
        sql: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        allow_superuser: bool = False,
    ) -> Rows:
        """The rows of one read-only statement, with `:name` parameters.

        The connection itself refuses writes, DDL, ATTACH and writing pragmas, and more than
        one statement; the statement is cancelled after `timeout` seconds (None: no limit).
        Failures raise QueryError with a one-line reason.
        """
        with self._reads.run(
            sql, params, timeout=timeout, allow_superuser=allow_superuser
        ) as result:
            return Rows(result.columns, result.rows)

    @contextmanager
    def stream(
        self,
        sql: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        server_side: bool = False,
        allow_superuser: bool = False,
    ) -> Iterator[QueryResult]:
        """Like `query`, with the rows as an iterator consumed while the block runs:
        `with store.stream(sql) as result: for row in result.rows: ...`. SQLite computes
        them as they are read; `server_side` reads them from a PostgreSQL cursor in batches
        (for one SELECT), so that memory stays flat."""
        with self._reads.run(
            sql, params, timeout=timeout, stream=server_side, allow_superuser=allow_superuser
        ) as result:
            yield result

    def export(
        self,
        name: str | None = None,
        *,
        sql: str | None = None,
        to: str | Path | TextIO,
        options: ExportOptions | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        allow_superuser: bool = False,
    ) -> int:
        """Stream a table or view (`name`) or a read-only query's rows (`sql`) to a file
        path or an open text file (opened with newline=""), in constant memory; returns the
        number of rows written. The format follows `options`, else the file's extension
        (an extension that names no format is refused). A file is replaced only when the
        export succeeds (rows go to a temporary file beside it first)."""
        if (name is None) == (sql is None):
            raise ValueError("give exactly one of name or sql")
        path = to if isinstance(to, str | Path) else None
        if options is None:
            options = ExportOptions(format=format_for(path))
        statement = sql if sql is not None else relation_sql(self.engine, str(name))
        with self._reads.run(
            statement, params, timeout=timeout, stream=True, allow_superuser=allow_superuser
        ) as result:
            if path is None:
                return write_rows(to, result.columns, result.rows, options)  # type: ignore[arg-type]
            with replacing(path) as fh:
                return write_rows(fh, result.columns, result.rows, options)

    def exportable(self) -> list[str]:
        """Every view and table worth exporting (views first), for `export --all`."""
        return list(exportable(self.engine))

    def search(
        self,
        text: str,
        *,
        entity: str | None = None,
        entity_ids: list[int] | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Passages matching every word of `text` (a "quoted phrase" whole), best first,
        with a highlighted snippet; `entity` (a name, key or alias) or `entity_ids` keeps
        documents that mention it."""
        from docstore.search import search

        with self.engine.connect() as conn:
            if entity is not None:
                entity_ids = [resolve_entity(conn, entity)[0]]
            return search(conn, text, entity_ids=entity_ids, limit=limit)

    def entities(self, *, type: str | None = None, limit: int | None = 50) -> Rows:
        """Entities, most mentioned first, with their counts and dates (entity_overview)."""
        with self.engine.connect() as conn:
            rows = list_entities(conn, type_=type, limit=limit)
        return Rows(OVERVIEW_COLUMNS.replace(" ", "").split(","), (tuple(r.values()) for r in rows))

    def find_entities(self, name: str) -> list[int]:
        """Ids of the entities `name` matches (name, key or any alias), most mentioned first."""
        with self.engine.connect() as conn:
            return find_entities(conn, name)

    def entity(self, name: str | int, *, limit: int = 10) -> dict[str, Any]:
        """One entity by name, key, alias or id: counts, aliases, its top documents and
        the entities mentioned with it. EntityNotFound when nothing matches."""
        with self.engine.connect() as conn:
            entity_id = name if isinstance(name, int) else resolve_entity(conn, name)[0]
            return entity_profile(conn, entity_id, limit=limit)

    def views(self) -> list[ViewSummary]:
        """The saved views, each with the question it answers."""
        with self.engine.connect() as conn:
            return [ViewSummary(*row) for row in catalog(conn)]

    def view(self, name: str) -> ViewInfo:
        """One saved view: question, description, columns and an example query."""
        with self.engine.connect() as conn:
            return describe_view(conn, name)

    # -- schema and maintenance ---------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> str | None:
        """Upgrade the schema to `revision`; returns the revision now current."""
        migrate.upgrade(self._writer, revision)
        vocabulary.ensure_predicates(self._writer)
        return self.current()

    def downgrade(self, revision: str) -> str | None:
        """Downgrade the schema to `revision` ("base" removes every table)."""
        migrate.downgrade(self._writer, revision)
        return self.current()

    def current(self) -> str | None:
        """The database's schema revision (None for an empty database)."""
        with self.engine.connect() as conn:
            return migrate.current_revision(conn)

    @staticmethod
    def head() -> str:
        """The newest schema revision this docstore knows."""
        return migrate.head_revision()

    @staticmethod
    def history() -> list[Revision]:
        """The schema revisions, newest first."""
        return [Revision(*row) for row in migrate.history()]

    def rebuild_fts(self) -> str:
        """Rebuild the full-text index of passages; says what was done."""
        from docstore.search import rebuild

        with self._writer.begin() as conn:
            return rebuild(conn)

    def rebuild_dates(self) -> int:
        """Recompute every entity's first and last seen; returns how many entities."""
        with self._writer.begin() as conn:
            _lock_writers(conn)
            return rebuild_entity_dates(conn)

    # -- extraction without a database ---------------------------------------------------------

    @staticmethod
    def extract(
        path: str | Path, *, format: str | None = None, model: str | None = None
    ) -> list[Extracted]:
        """What ingesting `path` would store (passages, mentions, entities, statements), one
        item per document in it, without touching any database. ReaderError when the file
        cannot be read."""
        return extract_file(Path(path), ReadOptions(format=format), model)


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
        except Exception as exc:  # the reader's `except Exception` must not swallow it
            if (interrupt := interrupt_behind(exc)) is not None:
                raise interrupt from exc
            raise
        finally:
            self.conn.rollback()

    def __enter__(self) -> _UidProbe:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


__all__ = [
    "Extracted",
    "IngestOptions",
    "IngestReport",
    "Interrupted",
    "Outcome",
    "ReextractReport",
    "Store",
]
