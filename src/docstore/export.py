"""Streaming export of tables, views and queries to CSV, TSV and JSON Lines.

Rows go from a server-side cursor (PostgreSQL) or SQLite's lazy stepping straight to the
writer, in batches, so memory stays flat whatever the row count. Exports read through the
same read-only connection as `docstore query`.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, inspect

from docstore.db import DatabaseError
from docstore.migrate import UNMODELLED_COLUMNS

FORMATS = ("csv", "tsv", "jsonl", "json")
EXTENSIONS = {"csv": "csv", "tsv": "tsv", "jsonl": "jsonl", "json": "json"}
# What a file's extension asks for.
SUFFIX_FORMATS = {
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "json": "json",
}
# Tables that are machinery rather than data: Alembic's bookkeeping, SQLite's FTS index.
HIDDEN_PREFIXES = ("alembic_version", "passages_fts", "sqlite_")
# A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportOptions:
    format: str = "csv"
    header: bool = True
    bom: bool = False
    excel_safe: bool = False


def format_for(path: str | Path | None, given: str | None = None) -> str:
    """The format of an export: `given` (--format), else the one FILE's extension names,
    else CSV for stdout. A file whose extension says one format is never silently written
    in another: a mismatch, or an extension that names no format, is refused."""
    if not path:
        return given or "csv"
    suffix = Path(path).suffix.lower().lstrip(".")
    wanted = SUFFIX_FORMATS.get(suffix)
    if given is None:
        if wanted is None:
            known = ", ".join(f".{s}" for s in SUFFIX_FORMATS)
            raise DatabaseError(
                f"{path}: cannot tell the format from the extension "
                f"{'.' + suffix if suffix else '(none)'}: use one of {known} or give --format"
            )
        return wanted
    if wanted is not None and wanted != given:
        raise DatabaseError(f"{path}: the extension .{suffix} does not match --format {given}")
    return given


def exportable(engine: Engine) -> dict[str, list[str]]:
    """Views and tables by name, each with its primary key columns (empty for views)."""
    inspector = inspect(engine)
    names: dict[str, list[str]] = {}
    for view in sorted(inspector.get_view_names()):
        names[view] = []
    for table in sorted(inspector.get_table_names()):
        if not table.startswith(HIDDEN_PREFIXES):
            names[table] = list(inspector.get_pk_constraint(table)["constrained_columns"])
    return names


def relation_sql(engine: Engine, name: str) -> str:
    """`SELECT *` from a known table or view (in primary key order), or a clear error."""
    names = exportable(engine)
    if name not in names:
        raise DatabaseError(
            f"no table or view named {name!r}; choose one of: {', '.join(sorted(names))}"
        )
    quote = engine.dialect.identifier_preparer.quote
    hidden = {column for table, column in UNMODELLED_COLUMNS if table == name}
    if hidden:  # machinery beside the data (PostgreSQL's search column): not exported
        columns = [c["name"] for c in inspect(engine).get_columns(name)]
        listed = ", ".join(quote(c) for c in columns if c not in hidden)
        sql = f"SELECT {listed} FROM {quote(name)}"
    else:
        sql = f"SELECT * FROM {quote(name)}"
    if names[name]:
        sql += " ORDER BY " + ", ".join(quote(c) for c in names[name])
    return sql


def write_rows(
    out: TextIO, columns: list[str], rows: Iterable[tuple[Any, ...]], options: ExportOptions
) -> int:
    """Write rows in `options.format`; `out` must be opened with newline="" for CSV/TSV."""
    if options.bom:
        out.write("\ufeff")
    if options.format == "jsonl":
        return _write_jsonl(out, columns, rows)
    if options.format == "json":
        return write_json_array(out, columns, rows)
    if options.format not in FORMATS:
        raise DatabaseError(f"unknown export format {options.format!r}: {', '.join(FORMATS)}")
    writer = csv.writer(
        out,
        delimiter="\t" if options.format == "tsv" else ",",
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    if options.header:
        writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(_cells(row, options.excel_safe))
        count += 1
    return count


def _cells(row: tuple[Any, ...], excel_safe: bool) -> Iterator[str]:
    for value in row:
        cell = cell_text(value)
        if excel_safe and cell.startswith(FORMULA_STARTS) and isinstance(value, str):
            cell = "'" + cell
        yield cell


def cell_text(value: Any) -> str:
    """A value as CSV text: NULL empty, booleans lower case, bytes as hex."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _write_jsonl(out: TextIO, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(dict(zip(columns, row, strict=True)), **JSON_STYLE) + "\n")
        count += 1
    return count


def write_json_array(out: TextIO, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """A JSON array of objects, written row by row (streams like the other formats)."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n " if count else "\n ")
        out.write(json.dumps(dict(zip(columns, row, strict=True)), **JSON_STYLE))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


@contextmanager
def replacing(path: str | Path) -> Iterator[TextIO]:
    """A text file that replaces `path` only when the block succeeds.

    Rows go to a temporary file beside it, renamed over `path` at the end: a failed or
    interrupted export leaves an existing file as it was and no partial file behind.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise DatabaseError(f"{path}: folder {folder} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def json_value(value: Any) -> Any:
    """JSON for what the database returns beyond JSON's own types."""
    if isinstance(value, Decimal):
        return float(value) if value % 1 else int(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


JSON_STYLE: dict[str, Any] = {"ensure_ascii": False, "default": json_value}
