"""Tabular corpora: CSV, JSON and JSON Lines, one article per row.

Rows are numbered from 1 in data order, so the header line of a CSV is not counted and a
CSV row keeps its number however many line breaks its quoted fields hold; in JSON the
row is the position in the array, in JSON Lines the position among non-blank lines.
A bad row gives a `ReaderError` with its number and the other rows still come through;
a file that cannot be parsed past some point gives one error naming the place.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from docstore.article import Article
from docstore.dates import parse_date
from docstore.readers.encoding import decode_text
from docstore.readers.errors import ReaderError
from docstore.readers.registry import Reader
from docstore.readers.text import clean_line, split_dateline, split_lines, text_blocks

if TYPE_CHECKING:
    from docstore.readers import ReadOptions

# Column names recognized without options, compared case-insensitively, first match wins.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article"),
    "date": ("date", "published", "published_at", "pubdate", "datetime"),
    "url": ("url", "link", "href"),
    "author": ("author", "byline"),
    "publisher": ("publisher", "source", "site"),
    "language": ("language", "lang"),
}
_DELIMITERS = (",", "\t", ";", "|")


@dataclass(frozen=True)
class _Columns:
    """Which key of a row holds which article field (None: no such key)."""

    title: str | None
    text: str
    date: str | None
    url: str | None
    author: str | None
    publisher: str | None
    language: str | None


def parse_tabular(
    text: str | Iterator[str], source: str, fmt: str, options: ReadOptions
) -> Iterator[Article | ReaderError]:
    """Yield one `Article` or `ReaderError` per row of a CSV, JSON or JSON Lines text
    (a string, or for CSV and JSON Lines a text stream read a row at a time)."""
    parse = {"csv": _parse_csv, "json": _parse_json}.get(fmt, _parse_jsonl)
    empty = True
    for item in parse(text, source, options):
        empty = False
        yield item
    if empty:
        yield ReaderError(source, "no data rows")


def _reader(fmt: str) -> Callable[[bytes, str, ReadOptions], Iterator[Article | ReaderError]]:
    def read(data: bytes, source: str, options: ReadOptions) -> Iterator[Article | ReaderError]:
        yield from parse_tabular(decode_text(data, source), source, fmt, options)

    return read


def _stream(fmt: str) -> Callable[[Path, str, ReadOptions], Iterator[Article | ReaderError]]:
    def stream(path: Path, source: str, options: ReadOptions) -> Iterator[Article | ReaderError]:
        """Rows a batch of bytes at a time, so that memory does not grow with the file.
        A file in a legacy encoding is read whole (within --max-bytes) to detect it."""
        with path.open("rb") as raw:
            head = raw.read(65536)
            encoding = _stream_encoding(head)
            if encoding is None:
                if path.stat().st_size > options.max_bytes:
                    raise ReaderError(
                        source,
                        "not UTF-8 and larger than the --max-bytes limit of "
                        f"{options.max_bytes:,}; convert it to UTF-8 to read it as it streams",
                    )
                data = head + raw.read()
                if not data:
                    raise ReaderError(source, "empty file")
                yield from parse_tabular(decode_text(data, source), source, fmt, options)
                return
            raw.seek(0)
            try:
                yield from parse_tabular(_decoded_lines(raw, encoding), source, fmt, options)
            except _BadBytes as exc:
                name = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
                yield ReaderError(
                    source, f"not valid {name} further on, at line {exc.line} ({exc.reason})"
                )

    return stream


class _BadBytes(Exception):
    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason


def _decoded_lines(raw: BinaryIO, encoding: str) -> Iterator[str]:
    """Lines (split on "\\n") decoded one at a time, so that every row before a bad byte
    is read; UTF-16 through a text wrapper, whose lines the bytes cannot split."""
    if encoding == "utf-16":
        yield from io.TextIOWrapper(raw, encoding=encoding, newline="")
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    for number, line in enumerate(raw, start=1):
        try:
            yield decoder.decode(line)
        except UnicodeDecodeError as exc:
            raise _BadBytes(number, exc.reason) from None


def _stream_encoding(head: bytes) -> str | None:
    """UTF-8 or UTF-16 as the start shows it; None for anything that needs a closer look."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if not head or b"\x00" in head:
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _first_line(head: bytes) -> bytes:
    return head.split(b"\n", 1)[0].rstrip()


CSV_READER = Reader("csv", (".csv", ".tsv"), _reader("csv"), stream=_stream("csv"))
# One object per line is JSON Lines; an object spread over lines, or an array, is JSON.
JSON_READER = Reader(
    "json",
    (".json",),
    _reader("json"),
    sniff=lambda head: (
        head.startswith(b"[") or (head.startswith(b"{") and not _first_line(head).endswith(b"}"))
    ),
)
JSONL_READER = Reader(
    "jsonl",
    (".jsonl", ".ndjson"),
    _reader("jsonl"),
    sniff=lambda head: head.startswith(b"{") and _first_line(head).endswith(b"}"),
    stream=_stream("jsonl"),
)


# --- CSV -------------------------------------------------------------------------------


def _parse_csv(
    text: str | Iterator[str], source: str, options: ReadOptions
) -> Iterator[Article | ReaderError]:
    # A field can be as long as the file (or a streamed document), never longer.
    limit = len(text) + 1 if isinstance(text, str) else options.max_bytes + 1
    if limit > csv.field_size_limit():
        csv.field_size_limit(min(limit, sys.maxsize))
    lines: Iterator[str]
    if isinstance(text, str):
        head = text[:65536]
        lines = io.StringIO(text, newline="")
    else:
        first: list[str] = []
        for line in text:
            first.append(line)
            if sum(map(len, first)) >= 65536:
                break
        head = "".join(first)
        lines = itertools.chain(first, text)
    delimiter = "\t" if source.lower().endswith(".tsv") else _sniff_delimiter(head)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    row = 0
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ReaderError(source, "the CSV has no header line")
        keys = [h.strip().lstrip("\ufeff") for h in header]
        columns = _columns(keys, source, options)
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row += 1
            if len(values) > len(keys):
                yield ReaderError(
                    source, f"{len(values)} fields where the header has {len(keys)}", row
                )
                continue
            yield _row_article(dict(zip(keys, values, strict=False)), columns, source, row)
    except csv.Error as exc:
        yield ReaderError(source, f"malformed CSV at line {reader.line_num}: {exc}")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line most often; comma when none does."""
    header = text[: text.find("\n")] if "\n" in text[:65536] else text[:65536]
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# --- JSON and JSON Lines ---------------------------------------------------------------


_TOO_DEEP = "nested too deeply to read (JSON deeper than Python can parse)"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _parse_json(
    text: str | Iterator[str], source: str, options: ReadOptions
) -> Iterator[Article | ReaderError]:
    if not isinstance(text, str):
        text = "".join(text)
    try:
        data = json.loads(text)
    except RecursionError:
        yield ReaderError(source, _TOO_DEEP)
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _looks_like_jsonl(text):
            yield from _parse_jsonl(text, source, options)
            return
        yield ReaderError(
            source, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        )
        return
    try:
        records = _records(data, source, options)
    except ReaderError as exc:
        yield exc
        return
    yield from _objects(enumerate(records, start=1), source, options)


def _records(data: Any, source: str, options: ReadOptions) -> list[Any]:
    """The list of row objects: the array itself, or the one array of objects inside."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        arrays = [
            key
            for key, value in data.items()
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ]
        if len(arrays) == 1:
            return list(data[arrays[0]])
        if not arrays and _find(list(data), options.text_field, DEFAULT_FIELDS["text"]):
            return [data]  # a single article object
        if len(arrays) > 1:
            raise ReaderError(
                source, f"the JSON object holds several arrays of objects ({', '.join(arrays)})"
            )
    raise ReaderError(
        source, "JSON must be an array of objects or an object with one array of objects"
    )


def _looks_like_jsonl(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def _parse_jsonl(
    text: str | Iterator[str], source: str, options: ReadOptions
) -> Iterator[Article | ReaderError]:
    def records() -> Iterator[tuple[int, Any]]:
        row = 0
        # Split on "\n" only (newline=""), so a U+2028 inside a JSON string stays put.
        lines = io.StringIO(text, newline="") if isinstance(text, str) else text
        for lineno, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row += 1
            try:
                yield row, json.loads(line)
            except RecursionError:
                yield row, ReaderError(source, _TOO_DEEP, row)
            except json.JSONDecodeError as exc:
                yield (
                    row,
                    ReaderError(
                        source,
                        f"malformed JSON at line {lineno}, column {exc.colno}: {exc.msg}",
                        row,
                    ),
                )

    yield from _objects(records(), source, options)


def _objects(
    records: Iterable[tuple[int, Any]], source: str, options: ReadOptions
) -> Iterator[Article | ReaderError]:
    # JSON objects need not share keys; the mapping is worked out once per key set.
    cache: dict[tuple[str, ...], _Columns] = {}
    for row, record in records:
        if isinstance(record, ReaderError):
            yield record
            continue
        if not isinstance(record, dict):
            yield ReaderError(source, f"expected an object, found {type(record).__name__}", row)
            continue
        keys = tuple(record)
        columns = cache.get(keys)
        if columns is None:
            try:
                columns = _columns(list(keys), source, options, row)
            except ReaderError as exc:
                yield exc
                continue
            if len(cache) < 256:
                cache[keys] = columns
        yield _row_article(record, columns, source, row)


# --- rows to articles ------------------------------------------------------------------


def _find(keys: list[str], wanted: str | None, defaults: tuple[str, ...]) -> str | None:
    by_lower: dict[str, str] = {}
    for key in keys:
        by_lower.setdefault(key.lower(), key)
    for name in (wanted,) if wanted else defaults:
        if name.lower() in by_lower:
            return by_lower[name.lower()]
    return None


def _columns(
    keys: list[str], source: str, options: ReadOptions, row: int | None = None
) -> _Columns:
    chosen: dict[str, str | None] = {}
    for field, wanted in (
        ("title", options.title_field),
        ("text", options.text_field),
        ("date", options.date_field),
        ("url", options.url_field),
    ):
        chosen[field] = _find(keys, wanted, DEFAULT_FIELDS[field])
        if wanted and chosen[field] is None and (field == "text" or row is None):
            raise ReaderError(source, f"no field {wanted!r} (fields: {_listing(keys)})", row)
    text = chosen["text"]
    if text is None:
        names = "/".join(DEFAULT_FIELDS["text"])
        raise ReaderError(source, f"no text field ({names}) among: {_listing(keys)}", row)
    return _Columns(
        title=chosen["title"],
        text=text,
        date=chosen["date"],
        url=chosen["url"],
        author=_find(keys, None, DEFAULT_FIELDS["author"]),
        publisher=_find(keys, None, DEFAULT_FIELDS["publisher"]),
        language=_find(keys, None, DEFAULT_FIELDS["language"]),
    )


def _listing(keys: list[str]) -> str:
    shown = ", ".join(repr(k) for k in keys[:12])
    return shown + (", ..." if len(keys) > 12 else "") if keys else "none"


def _value(record: Mapping[str, Any], key: str | None) -> str | None:
    """A field as one clean line of text; lists (of authors, say) joined with commas."""
    if key is None:
        return None
    value = record.get(key)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, (str, int, float)))
    if value is None or isinstance(value, (dict, bool)):
        return None
    return clean_line(str(value)) or None


def _row_article(
    record: Mapping[str, Any], columns: _Columns, source: str, row: int
) -> Article | ReaderError:
    raw_text = record.get(columns.text)
    if raw_text is not None and not isinstance(raw_text, str):
        return ReaderError(source, f"field {columns.text!r} is not text", row)
    if any(isinstance(v, str) and _SURROGATE.search(v) for v in record.values()):
        return ReaderError(
            source, "a lone surrogate escape (such as \\ud800) is not a character", row
        )
    lines = split_lines(raw_text or "")
    if not lines:
        return ReaderError(source, f"no text (field {columns.text!r} is empty)", row)
    title = _value(record, columns.title)
    if not title:  # no title field: the first line is the title, as in a text file
        title, lines = lines[0], lines[1:]
    dateline, dateline_iso, lines = split_dateline(lines)
    if not lines:
        return ReaderError(source, "a title but no body text", row)
    extra = {"row": str(row)}
    date_value = _value(record, columns.date)
    published_at = parse_date(date_value) if date_value else None
    if date_value and published_at is None:
        extra["date"] = date_value  # kept as given when it does not read as a date
    return Article(
        title=title,
        blocks=text_blocks(lines),
        source=source,
        dateline=dateline,
        published_at=published_at or dateline_iso,
        url=_value(record, columns.url),
        author=_value(record, columns.author),
        publisher=_value(record, columns.publisher),
        language=(_value(record, columns.language) or "en").lower(),
        extra=extra,
    )
