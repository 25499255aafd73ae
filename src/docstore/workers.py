"""Reading and extraction in worker processes, feeding the single writer in order.

Only the main process writes; workers read files, lay them out and extract, and send back
plain `Prepared` items. The stored content hashes and the learned names (analysts' judged
names, found as their entities) go to each worker once (not with every job), so that a
worker can skip extraction for content already stored. A CSV or JSON Lines file is not one
job: its rows are read here, as the jobs are handed out, and go to the
workers in batches, so that a million-row file is never held whole.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from docstore import extract
from docstore.article import Article
from docstore.extract.learned import LearnedNames
from docstore.ingest import Prepared, prepare_articles, prepare_file, read_batches, streamable
from docstore.readers import ReaderError, ReadOptions

JOB_CHUNK = 8


ROW_BATCH = 32


@dataclass
class _Rows:
    """A batch of documents read from a streamed file; `last` when it ends the file."""

    path: Path
    items: list[Article | ReaderError]
    last: bool


def prepare_in_pool(
    files: list[Path],
    read: ReadOptions,
    model: str | None,
    workers: int,
    known: frozenset[str],
    learned: LearnedNames | None = None,
) -> Iterator[tuple[Path | None, list[Prepared]]]:
    """What each file yielded, in the order given, prepared by `workers` processes: (path,
    items) once per file, or per batch of rows of a streamed file with the path given only
    with its last batch.

    Jobs are handed out in chunks, at most a window of jobs ahead of the consumer, so that
    memory stays flat when extraction outpaces writing.
    """
    ctx = get_context("spawn" if _has_threads() else "fork")
    chunk = JOB_CHUNK
    window = threading.Semaphore(chunk * workers * 4)
    stop = threading.Event()

    def jobs() -> Iterator[Path | _Rows]:
        for path in files:
            if streamable(path, read):
                batches = read_batches(path, read, ROW_BATCH)
                batch = next(batches)
                for following in batches:
                    window.acquire()
                    if stop.is_set():
                        return
                    yield _Rows(path, batch, last=False)
                    batch = following
                window.acquire()
                if stop.is_set():
                    return
                yield _Rows(path, batch, last=True)
                continue
            window.acquire()
            if stop.is_set():
                return
            yield path

    initargs = (model, read, known, learned)
    with ctx.Pool(workers, initializer=_worker_init, initargs=initargs) as pool:
        try:
            for path, prepared in pool.imap(_prepare_job, jobs(), chunksize=chunk):
                window.release()
                yield path, prepared
        finally:  # stopped early: unblock the pool's feeder so that the pool can close
            stop.set()
            window.release(len(files) * 2 + chunk * workers * 4 + 1)


# Per worker process: what every job needs, received once by the pool initializer.
_worker_job: tuple[ReadOptions, str | None, frozenset[str], LearnedNames | None] | None = None


def _worker_init(
    model: str | None, read: ReadOptions, known: frozenset[str], learned: LearnedNames | None
) -> None:
    global _worker_job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM
    _worker_job = (read, model, known, learned)
    extract.get_extractor(model)


def _prepare_job(job: Path | _Rows) -> tuple[Path | None, list[Prepared]]:
    assert _worker_job is not None, "worker not initialized"
    read, model, known, learned = _worker_job
    if isinstance(job, _Rows):
        out = prepare_articles(job.items, job.path, model, known, learned)
        done = job.path if job.last else None
    else:
        out = prepare_file(job, read, model, known, learned)
        done = job
    for item in out:  # the writer needs neither sentences nor the unlaid blocks: less to send
        if item.extraction is not None:
            item.extraction.sentences = []
        if item.laid is not None:
            item.laid.article.blocks = []
    return done, out


def _has_threads() -> bool:
    return threading.active_count() > 1
