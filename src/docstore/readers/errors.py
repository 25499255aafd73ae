"""The one error type readers raise for input they cannot turn into an article."""

from __future__ import annotations


class ReaderError(Exception):
    """Bad input: a message for people, naming the file (and row) and the reason."""

    def __init__(self, source: str, reason: str, row: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.row = row
        where = f"{source}, row {row}" if row is not None else source
        super().__init__(f"{where}: {reason}")
