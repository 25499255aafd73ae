"""Signals during long runs: SIGTERM as an interrupt, and moments that must not be cut."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Interrupted(KeyboardInterrupt):
    """SIGTERM during ingest: handled like Ctrl-C (the current document's transaction rolls
    back, the run row ends `interrupted`). A KeyboardInterrupt, so that no `except
    Exception` on the way (a reader, the extractor) can swallow it."""


@contextmanager
def signals_deferred() -> Iterator[None]:
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


_pending: list[bool] = [False]


def raise_if_terminated() -> None:
    """Raise the SIGTERM whose exception was swallowed where it landed.

    A signal handler's exception surfaces in whatever Python code runs at that moment; in
    a garbage-collector callback, a weakref callback or a `__del__`, Python prints it as
    "ignored" and goes on. Long loops call this between documents so such a SIGTERM still
    stops the run."""
    if _pending[0]:
        _pending[0] = False
        raise Interrupted()


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
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
        _pending[0] = True
        raise Interrupted()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    _pending[0] = False
    try:
        yield
    except KeyboardInterrupt:
        _pending[0] = False  # delivered
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM that `exc` replaced, if any. Cleanup code that fails while an
    interrupt passes through replaces it with its own error (SQLAlchemy's PostgreSQL
    pre-ping, interrupted mid-query, fails to restore autocommit); that error must still
    stop the run as an interrupt, not be reported as one failed document."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
