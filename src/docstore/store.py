"""Store: the Python API behind the CLI (ingest, re-extraction, reading back)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update
from sqlalchemy.engine import URL

from docstore import migrate
from docstore.db import describe, make_engine, resolve_url
from docstore.extract import EXTRACTOR_VERSION, get_extractor
from docstore.extract.types import DocumentInput
from docstore.ingest import Prepared, discover, prepare_file
from docstore.models import Document, IngestError, IngestRun, Passage
from docstore.readers import ReadOptions
from docstore.writer import clear_extraction, insert_document, now_iso, write_extraction


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


class Interrupted(Exception):
    """SIGTERM during ingest: stop after the current document, as with Ctrl-C."""


class Store:
    def __init__(
        self,
        db: str | URL | None = None,
        *,
        upgrade: bool = True,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.url = db if isinstance(db, URL) else resolve_url(db)
        self.engine: Engine = make_engine(self.url)
        if upgrade:
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
        except (KeyboardInterrupt, Interrupted):
            report.interrupted = True
            status = "interrupted"
            raise
        finally:
            if status != "interrupted" and report.failed:
                status = "failed"
            self._finish_run(report, status)
        return report

    def _prepare_all(
        self, files: list[Path], options: IngestOptions
    ) -> Iterator[tuple[Path, list[Prepared]]]:
        if options.workers <= 1 or len(files) < 2:
            for path in files:
                yield path, prepare_file(path, options.read, options.model, _UidProbe(self))
            return
        with self.engine.connect() as conn:
            known = frozenset(conn.execute(select(Document.uid)).scalars())
        ctx = get_context("spawn" if _has_threads() else "fork")
        with ctx.Pool(options.workers, initializer=_worker_init, initargs=(options.model,)) as pool:
            jobs = pool.imap(
                _prepare_job, ((p, options.read, options.model, known) for p in files), chunksize=4
            )
            yield from zip(files, jobs, strict=True)

    def _store_prepared(self, item: Prepared, options: IngestOptions) -> Outcome:
        if item.error or item.laid is None:
            return Outcome(item.source, "failed", item.error or f"{item.source}: unreadable")
        laid = item.laid
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(
                    select(Document.id).where(Document.uid == laid.uid)
                ).scalar()
                if existing is not None:
                    return Outcome(item.source, "skipped", "already stored", existing)
                if not options.allow_duplicates:
                    dup = _find_duplicate(
                        conn, laid.article.url, laid.article.title, laid.article.published_at
                    )
                    if dup is not None:
                        return Outcome(
                            item.source,
                            "duplicate",
                            f"same article as document {dup[0]} ({dup[1]})",
                            dup[0],
                        )
                extraction = item.extraction
                if extraction is None:  # prepared as known, but gone since: extract now
                    extraction = get_extractor(options.model).extract(
                        DocumentInput(laid.body, laid.passages, laid.article.published_at)
                    )
                doc_id, passages = insert_document(conn, laid, get_extractor(options.model).version)
                write_extraction(conn, doc_id, passages, extraction)
        except (KeyboardInterrupt, Interrupted):
            raise
        except Exception as exc:
            return Outcome(item.source, "failed", f"{item.source}: could not be stored ({exc})")
        return Outcome(item.source, "added", "", doc_id)

    def _start_run(self) -> int:
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(IngestRun).returning(IngestRun.id),
                    {
                        "started_at": now_iso(),
                        "status": "running",
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
        on_document: Callable[[int], None] | None = None,
    ) -> int:
        """Recompute mentions and statements from stored text, keeping document ids."""
        extractor = get_extractor(model)
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
        for doc_id in ids:
            with self.engine.begin() as conn:
                self._reextract_one(conn, doc_id, extractor)
            if on_document:
                on_document(doc_id)
        return len(ids)

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
        clear_extraction(conn, doc_id)
        ids = {
            seq: pid
            for seq, pid in conn.execute(
                select(Passage.seq, Passage.id).where(Passage.document_id == doc_id)
            )
        }
        write_extraction(conn, doc_id, ids, extraction)
        conn.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(extractor_version=extractor.version)
        )

    # -- reading back -----------------------------------------------------------------------

    def count(self, table: type) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _find_duplicate(
    conn: Connection, url: str | None, title: str, published_at: str | None
) -> tuple[int, str] | None:
    """The same article from another format: same URL, or same title and same day."""
    conditions = []
    if url:
        conditions.append(Document.url == url)
    if published_at:
        conditions.append(
            and_(
                Document.title == title,
                func.substr(Document.published_at, 1, 10) == published_at[:10],
            )
        )
    if not conditions:
        return None
    row = conn.execute(
        select(Document.id, Document.source).where(or_(*conditions)).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


class _UidProbe:
    """A set-like view of stored content hashes, asked one at a time (single process)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __contains__(self, uid: object) -> bool:
        with self.store.engine.connect() as conn:
            return conn.execute(select(Document.id).where(Document.uid == uid)).first() is not None


def _worker_init(model: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    get_extractor(model)


def _prepare_job(args: tuple[Path, ReadOptions, str | None, frozenset[str]]) -> list[Prepared]:
    path, read, model, known = args
    return prepare_file(path, read, model, known)


def _has_threads() -> bool:
    import threading

    return threading.active_count() > 1


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into an exception so the run row is closed as interrupted."""

    def handler(signum: int, frame: FrameType | None) -> None:
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


__all__ = ["EXTRACTOR_VERSION", "IngestOptions", "IngestReport", "Outcome", "Store"]
