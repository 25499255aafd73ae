"""The one error type readers raise for input they cannot turn into an article."""

from __future__ import annotations

import contextlib
import os
import re

# Characters that would split or garble an error line: controls (a newline in a file name)
# and the surrogates Python uses for file-name bytes that are not valid UTF-8.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(name: str) -> str:
    """`name` as one printable line: controls and undecodable bytes as escapes."""
    if not _UNPRINTABLE.search(name):
        return name
    # A lone surrogate that stands for no file-name byte stays as it is, escaped below.
    with contextlib.suppress(UnicodeError):
        name = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


class ReaderError(Exception):
    """Bad input: a message for people, naming the file (and row) and the reason."""

    def __init__(self, source: str, reason: str, row: int | None = None) -> None:
        self.source = printable(source)
        self.reason = reason
        self.row = row
        where = f"{self.source}, row {row}" if row is not None else self.source
        super().__init__(f"{where}: {' '.join(reason.split())}")
