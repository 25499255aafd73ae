"""Readers: a registry over bytes, one module per input format, each turning bytes into
`Article`s.

`read_file` yields an `Article` or a `ReaderError` per document, so that one bad row in
a CSV does not stop the rest of the file. Which reader takes a file is decided by its
extension, else by its bytes (magic numbers, then a look at the text); see `registry`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docstore.article import Article
from docstore.readers import docx, html, pdf, tabular, text
from docstore.readers.errors import ReaderError
from docstore.readers.registry import Reader

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "FORMATS",
    "READERS",
    "ReadOptions",
    "Reader",
    "ReaderError",
    "detect_format",
    "is_supported",
    "read_bytes",
    "read_file",
    "streams",
]

# In the order formats are tried when sniffing bytes; the last one (text) takes the rest.
READERS: tuple[Reader, ...] = (
    pdf.READER,
    docx.READER,
    html.READER,
    tabular.JSON_READER,
    tabular.JSONL_READER,
    tabular.CSV_READER,
    text.READER,
)
BY_FORMAT = {reader.format: reader for reader in READERS}
FORMATS = tuple(BY_FORMAT)
EXTENSIONS = {ext: reader.format for reader in READERS for ext in reader.extensions}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How to read: `format` overrides detection; the `*_field` names pick tabular columns."""

    format: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    title_field: str | None = None
    text_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    # HTML: keep the lead a page gives as its description, as a `standfirst` passage.
    standfirst: bool = True


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


def detect_format(path: Path, data: bytes) -> str:
    """By extension first, then by a look at the content; plain text when nothing fits."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    if by_ext:
        return by_ext
    return sniff_format(data)


def sniff_format(data: bytes) -> str:
    for reader in READERS:
        if any(data.startswith(m) for m in reader.magic) and (
            reader.confirm is None or reader.confirm(data)
        ):
            return reader.format
    head = data[:4096]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(codec, errors="ignore").encode("utf-8")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for reader in READERS:
        if reader.sniff is not None and reader.sniff(head):
            return reader.format
    return READERS[-1].format


def read_file(path: Path, options: ReadOptions | None = None) -> Iterator[Article | ReaderError]:
    """Read one file: an `Article` or a `ReaderError` per document it holds."""
    options = options or ReadOptions()
    source = str(path)
    try:
        if path.is_dir():
            raise ReaderError(source, "is a directory, not a file")
        reader = _streaming_reader(path, options)
        if reader is not None and reader.stream is not None:
            yield from reader.stream(path, source, options)
            return
        size = path.stat().st_size
        if size > options.max_bytes:
            raise ReaderError(
                source,
                f"file is {size:,} bytes, over the --max-bytes limit of {options.max_bytes:,}",
            )
        data = path.read_bytes()
    except ReaderError as exc:
        yield exc
        return
    except FileNotFoundError:
        yield ReaderError(source, "no such file")
        return
    except IsADirectoryError:
        yield ReaderError(source, "is a directory, not a file")
        return
    except PermissionError:
        yield ReaderError(source, "permission denied")
        return
    except OSError as exc:
        yield ReaderError(source, f"cannot be read ({exc.strerror or exc})")
        return
    yield from read_bytes(data, source, options, path=path)


def streams(path: Path, options: ReadOptions) -> bool:
    """True when `path` is read a document at a time (a CSV or JSON Lines file)."""
    try:
        return _streaming_reader(path, options) is not None
    except OSError:
        return False


def _streaming_reader(path: Path, options: ReadOptions) -> Reader | None:
    """The reader of `path` when it reads files incrementally (tabular formats)."""
    fmt = options.format or EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        with path.open("rb") as f:
            fmt = sniff_format(f.read(4096))
    reader = BY_FORMAT.get(fmt.lower())
    return reader if reader is not None and reader.stream is not None else None


def read_bytes(
    data: bytes, source: str, options: ReadOptions | None = None, path: Path | None = None
) -> Iterator[Article | ReaderError]:
    """Read documents from bytes already in memory; `source` names them in errors."""
    options = options or ReadOptions()
    if len(data) > options.max_bytes:
        yield ReaderError(
            source,
            f"file is {len(data):,} bytes, over the --max-bytes limit of {options.max_bytes:,}",
        )
        return
    fmt = (options.format or detect_format(path or Path(source), data)).lower()
    reader = BY_FORMAT.get(fmt)
    if reader is None:
        yield ReaderError(source, f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        return
    if not data:
        yield ReaderError(source, "empty file")
        return
    try:
        yield from reader.read(data, source, options)
    except ReaderError as exc:
        yield exc
