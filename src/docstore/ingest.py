"""From paths to prepared documents: file discovery, reading, layout and extraction.

Everything here is free of the database so that it can run in worker processes; the
store writes what it yields, one transaction per document, in input order.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from docstore import extract
from docstore.article import Article, LaidOut, layout
from docstore.extract.learned import LearnedNames
from docstore.extract.types import DocumentInput, Extraction
from docstore.fetch import FetchError, fetch_page, is_url
from docstore.pieces import extract_document
from docstore.readers import ReadOptions, is_supported, read_bytes, read_file, streams
from docstore.readers.errors import ReaderError, printable


@dataclass
class Prepared:
    """One document ready to store, or the reason it cannot be."""

    source: str
    laid: LaidOut | None = None
    extraction: Extraction | None = None
    error: str | None = None
    # True when the content hash was already stored when preparation ran: extraction skipped.
    known: bool = False
    # Version of the extractor that produced `extraction`, so the writer needs none of its own.
    extractor_version: str | None = None


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    errors: list[ReaderError] = field(default_factory=list)
    # "-" (standard input) and http(s) URLs, read by the main process in this order.
    remote: list[str] = field(default_factory=list)


STDIN = "-"
STDIN_SOURCE = "<stdin>"


def discover(paths: Iterable[str | Path], options: ReadOptions) -> Discovery:
    """Expand files and folders (recursively, supported files only), in a stable order."""
    found = Discovery()
    seen: set[Path] = set()
    for raw in paths:
        if isinstance(raw, str) and (raw == STDIN or is_url(raw)):
            if raw not in found.remote:
                found.remote.append(raw)
            continue
        path = Path(raw)
        if not path.exists():
            found.errors.append(ReaderError(str(raw), "no such file or directory"))
        elif path.is_dir():
            files = sorted(
                p
                for p in _walk(path)
                if (options.format is not None or is_supported(p)) and not p.name.startswith(".")
            )
            if not files:
                found.errors.append(ReaderError(str(raw), "folder holds no supported files"))
            for p in files:
                if p not in seen:
                    seen.add(p)
                    found.files.append(p)
        elif path not in seen:
            seen.add(path)
            found.files.append(path)
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            yield Path(root) / name


def _not_a_regular_file(path: Path) -> ReaderError | None:
    """Refuse FIFOs, sockets and devices before opening them: reading a FIFO would block
    the run forever, and a device has no end. Missing files and folders are left to the
    reader, which names them."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    return ReaderError(str(path), f"cannot be read: {kind}, not a regular file")


def source_name(path: Path, row: str | None) -> str:
    """How a document is named in the database and in messages: one printable line."""
    name = printable(str(path))
    return f"{name}#{row}" if row else name


def _bad_file_name(path: Path) -> ReaderError | None:
    """A name that is not valid UTF-8 cannot be stored as the document's source."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return ReaderError(str(path), "the file name is not valid UTF-8; rename the file")
    return None


def prepare_file(
    path: Path,
    options: ReadOptions,
    model: str | None = None,
    known_uids: Container[str] = frozenset(),
    learned: LearnedNames | None = None,
) -> list[Prepared]:
    """Read one file into laid-out documents and extract each (unless already stored),
    finding the `learned` names (analysts' judged names) as their entities."""
    return list(iter_prepared(path, options, model, known_uids, learned))


def iter_prepared(
    path: Path,
    options: ReadOptions,
    model: str | None = None,
    known_uids: Container[str] = frozenset(),
    learned: LearnedNames | None = None,
) -> Iterator[Prepared]:
    """`prepare_file` a document at a time: a million-row CSV is never held whole."""
    if (refusal := _bad_file_name(path) or _not_a_regular_file(path)) is not None:
        yield Prepared(source=source_name(path, None), error=str(refusal))
        return
    try:
        yield from _prepared(
            read_file(path, options), source_name(path, None), model, known_uids, learned=learned
        )
    except RecursionError:
        yield _failed(path, "nested too deeply to read")
    except Exception as exc:  # a reader bug must not stop the run: report the file
        yield _failed(path, f"could not be read ({one_line_error(exc)})")


def streamable(path: Path, options: ReadOptions) -> bool:
    """A regular file, with a usable name, that its reader reads a document at a time:
    worker processes then get it in batches of rows rather than whole."""
    return (
        _bad_file_name(path) is None
        and _not_a_regular_file(path) is None
        and path.is_file()
        and streams(path, options)
    )


def read_batches(
    path: Path, options: ReadOptions, size: int
) -> Iterator[list[Article | ReaderError]]:
    """The documents of a streamed file, `size` at a time; a reader failure ends the file
    with one error."""
    batch: list[Article | ReaderError] = []
    try:
        for item in read_file(path, options):
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    except RecursionError:
        batch.append(ReaderError(str(path), "nested too deeply to read"))
    except Exception as exc:
        batch.append(ReaderError(str(path), f"could not be read ({one_line_error(exc)})"))
    yield batch


def prepare_articles(
    items: Iterable[Article | ReaderError],
    path: Path,
    model: str | None = None,
    known_uids: Container[str] = frozenset(),
    learned: LearnedNames | None = None,
) -> list[Prepared]:
    """Lay out and extract documents already read from `path` (a batch of its rows)."""
    return list(_prepared(items, source_name(path, None), model, known_uids, learned=learned))


def _failed(path: Path, reason: str) -> Prepared:
    return Prepared(source=source_name(path, None), error=str(ReaderError(str(path), reason)))


def one_line_error(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def prepare_remote(
    name: str,
    options: ReadOptions,
    model: str | None = None,
    known_uids: Container[str] = frozenset(),
    learned: LearnedNames | None = None,
) -> list[Prepared]:
    """One document from standard input ("-") or a web page (an http(s) URL)."""
    if name == STDIN:
        data = sys.stdin.buffer.read(options.max_bytes + 1)
        items = read_bytes(data, STDIN_SOURCE, options)
        source, url = STDIN_SOURCE, None
    else:
        try:
            page = fetch_page(name, max_bytes=options.max_bytes)
        except FetchError as exc:
            return [Prepared(source=name, error=str(exc))]
        items = read_bytes(page.data, name, replace(options, format="html"))
        source, url = name, page.url
    out: list[Prepared] = []
    try:
        out.extend(_prepared(items, source, model, known_uids, url=url, learned=learned))
    except RecursionError:
        out.append(Prepared(source=source, error=f"{source}: nested too deeply to read"))
    except Exception as exc:
        out.append(
            Prepared(source=source, error=f"{source}: could not be read ({one_line_error(exc)})")
        )
    return out


def _prepared(
    items: Iterable[Article | ReaderError],
    name: str,
    model: str | None,
    known_uids: Container[str],
    url: str | None = None,
    learned: LearnedNames | None = None,
) -> Iterator[Prepared]:
    extractor = None
    for item in items:
        if isinstance(item, ReaderError):
            where = f"#{item.row}" if item.row is not None else ""
            yield Prepared(source=item.source + where, error=str(item))
            continue
        row = item.extra.get("row")
        source = f"{name}#{row}" if row else name
        item.url = item.url or url
        item.source = source
        laid = layout(item)
        if laid.uid in known_uids:
            yield Prepared(source=source, laid=laid, known=True)
            continue
        extractor = extractor or extract.get_extractor(model)
        try:
            extraction = extract_document(
                extractor,
                DocumentInput(laid.body, laid.passages, item.published_at),
                learned=learned,
            )
        except Exception as exc:  # an extraction bug must not stop the run: report the file
            yield Prepared(source=source, error=f"{source}: extraction failed ({exc!r})")
            continue
        yield Prepared(
            source=source,
            laid=laid,
            extraction=extraction,
            extractor_version=extractor.version,
        )
