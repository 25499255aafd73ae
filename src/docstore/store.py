"""Store: the Python API behind the CLI (ingest, re-extraction, reading back)."""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, insert, or_, select, text, update
from sqlalchemy.engine import URL

from docstore import extract, migrate
from docstore.article import LaidOut
from docstore.db import READ_ONLY_OPTION, describe, make_engine, resolve_url
from docstore.extract.types import DocumentInput
from docstore.ingest import Prepared, discover, prepare_file
from docstore.models import Document, IngestError, IngestRun, Passage
from docstore.readers import ReadOptions
from docstore.writer import (
    clear_extraction,
    entities_of,
    insert_document,
    now_iso,
    recompute_entity_dates,
    write_extraction,
)

# Share of the shorter body's word triples that must recur in the other for two articles
# with the same title and day to count as one (format conversions keep nearly all).
DUPLICATE_OVERLAP = 0.6


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


class Interrupted(KeyboardInterrupt):
    """SIGTERM during ingest: handled like Ctrl-C (the current document's transaction rolls
    back, the run row ends `interrupted`). A KeyboardInterrupt, so that no `except
    Exception` on the way (a reader, the extractor) can swallow it."""


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
            with _terminate_as_interrupt():
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
            with _signals_deferred():
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
        ctx = get_context("spawn" if _has_threads() else "fork")
        # The stored hashes go to each worker once (not with every job); jobs are handed out
        # in chunks, at most `window` files ahead of the writer, so that memory stays flat
        # when extraction outpaces writing.
        chunk = _JOB_CHUNK
        window = threading.Semaphore(chunk * options.workers * 4)
        stop = threading.Event()

        def jobs() -> Iterator[Path]:
            for path in files:
                window.acquire()
                if stop.is_set():
                    return
                yield path

        with ctx.Pool(
            options.workers,
            initializer=_worker_init,
            initargs=(options.model, options.read, known),
        ) as pool:
            try:
                for path, prepared in zip(
                    files, pool.imap(_prepare_job, jobs(), chunksize=chunk), strict=True
                ):
                    window.release()
                    yield path, prepared
            finally:  # stopped early: unblock the pool's feeder so that the pool can close
                stop.set()
                window.release(len(files) + 1)

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
                    dup = _find_duplicate(conn, laid)
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
        with _terminate_as_interrupt():
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


def _find_duplicate(conn: Connection, laid: LaidOut) -> tuple[int, str] | None:
    """The same article from another format (a page and its CSV export row, say): the
    same URL, or the same title (compared loosely) on the same day with a body that says
    mostly the same thing. The body check keeps two different articles that happen to
    share a generic title ("Telephone conversation with ...") on one day apart."""
    a = laid.article
    if a.url:
        row = conn.execute(
            select(Document.id, Document.source)
            .where(Document.url.in_(url_variants(a.url)))
            .order_by(Document.id)
            .limit(1)
        ).first()
        if row is not None:
            return int(row[0]), str(row[1])
    day = (a.published_at or "")[:10]
    if len(day) < 10:
        return None
    wanted = normalize_title(a.title)
    # Titles first; a body is read only for a matching title (a busy day has many articles).
    candidates = conn.execute(
        select(Document.id, Document.source, Document.title)
        .where(Document.published_at >= day, Document.published_at < day + "~")
        .order_by(Document.id)
    ).all()
    shingles = None
    for doc_id, source, title in candidates:
        if normalize_title(title) != wanted:
            continue
        body = conn.execute(select(Document.body).where(Document.id == doc_id)).scalar_one()
        shingles = shingles if shingles is not None else _shingles(laid.body)
        if _resemble(shingles, _shingles(body)):
            return int(doc_id), str(source)
    return None


_APOSTROPHES = re.compile(r"['’ʼ`]")
_TITLE_PUNCT = re.compile(r"[^\w\s]+|_")


def normalize_title(title: str) -> str:
    """Case, punctuation and whitespace do not tell two titles apart: apostrophes vanish
    ("Russia’s" == "Russias"), other punctuation separates words ("national-security" ==
    "national security")."""
    folded = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", title).casefold())
    return " ".join(_TITLE_PUNCT.sub(" ", folded).split())


def url_variants(url: str) -> list[str]:
    """The spellings of one URL that sources mix up: http/https, a doubled slash in the
    path (Wikinews exports have `org//wiki/`), a trailing slash."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return [url]
    cut = rest.find("/")
    host, path = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    paths = {path, re.sub("/{2,}", "/", path)}
    paths |= {p.rstrip("/") for p in paths} | {p.rstrip("/") + "/" for p in paths}
    return sorted(
        {url}
        | {
            f"{sch}://{h}{p}"
            for sch in ("http", "https")
            for h in {host, host.lower()}
            for p in paths
        }
    )


_WORD = re.compile(r"\w+")


def _shingles(body: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(unicodedata.normalize("NFKC", body).casefold())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def _resemble(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> bool:
    """Most word triples of the shorter text recur in the longer one."""
    if not a or not b:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) >= DUPLICATE_OVERLAP * len(small)


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
_JOB_CHUNK = 8


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


# Per worker process: what every job needs, received once by the pool initializer.
_worker_job: tuple[ReadOptions, str | None, frozenset[str]] | None = None


def _worker_init(model: str | None, read: ReadOptions, known: frozenset[str]) -> None:
    global _worker_job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM
    _worker_job = (read, model, known)
    extract.get_extractor(model)


def _prepare_job(path: Path) -> list[Prepared]:
    assert _worker_job is not None, "worker not initialized"
    read, model, known = _worker_job
    out = prepare_file(path, read, model, known)
    for item in out:  # the writer needs neither sentences nor the unlaid blocks: less to send
        if item.extraction is not None:
            item.extraction.sentences = []
        if item.laid is not None:
            item.laid.article.blocks = []
    return out


def _has_threads() -> bool:
    import threading

    return threading.active_count() > 1


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while closing the run row, so that a second Ctrl-C cannot
    leave it `running`; they are delivered right after."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, ValueError):  # no sigmask on this platform
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, sigs)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into an exception so the run row is closed as interrupted.

    Only in this process: a forked worker inherits the handler, and the pool stops its
    workers with SIGTERM, so there the signal keeps its default action (an exception raised
    inside a worker's exit sequence would leave it running parts of the parent's code)."""
    owner = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Interrupted()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


__all__ = [
    "IngestOptions",
    "IngestReport",
    "Interrupted",
    "Outcome",
    "ReextractReport",
    "Store",
]
