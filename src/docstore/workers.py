"""Reading and extraction in worker processes, feeding the single writer in order.

Only the main process writes; workers read files, lay them out and extract, and send back
plain `Prepared` items. The stored content hashes go to each worker once (not with every
job), so that a worker can skip extraction for content already stored.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path

from docstore import extract
from docstore.ingest import Prepared, prepare_file
from docstore.readers import ReadOptions

JOB_CHUNK = 8


def prepare_in_pool(
    files: list[Path], read: ReadOptions, model: str | None, workers: int, known: frozenset[str]
) -> Iterator[tuple[Path, list[Prepared]]]:
    """Each file with what it yielded, in the order given, prepared by `workers` processes.

    Jobs are handed out in chunks, at most a window of files ahead of the consumer, so that
    memory stays flat when extraction outpaces writing.
    """
    ctx = get_context("spawn" if _has_threads() else "fork")
    chunk = JOB_CHUNK
    window = threading.Semaphore(chunk * workers * 4)
    stop = threading.Event()

    def jobs() -> Iterator[Path]:
        for path in files:
            window.acquire()
            if stop.is_set():
                return
            yield path

    with ctx.Pool(workers, initializer=_worker_init, initargs=(model, read, known)) as pool:
        try:
            for path, prepared in zip(
                files, pool.imap(_prepare_job, jobs(), chunksize=chunk), strict=True
            ):
                window.release()
                yield path, prepared
        finally:  # stopped early: unblock the pool's feeder so that the pool can close
            stop.set()
            window.release(len(files) + 1)


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
    return threading.active_count() > 1
