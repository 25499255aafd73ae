"""Rows on the console: an aligned table for people, CSV/TSV/JSON/NDJSON for programs.

Everything but the table streams (the table needs every row to size its columns).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from docstore.export import ExportOptions, cell_text, write_json_array, write_rows

OUTPUT_FORMATS = ("table", "csv", "tsv", "json", "nl")
MAX_CELL = 60


def emit(
    fmt: str,
    columns: list[str],
    rows: Iterable[tuple[Any, ...]],
    out: TextIO,
    max_width: int = MAX_CELL,
) -> int:
    """Write rows in one of OUTPUT_FORMATS; returns the number of rows."""
    if fmt == "table":
        return write_table(out, columns, rows, max_width)
    if fmt == "json":
        return write_json_array(out, columns, rows)
    return write_rows(out, columns, rows, ExportOptions(format="jsonl" if fmt == "nl" else fmt))


def write_table(
    out: TextIO, columns: list[str], rows: Iterable[tuple[Any, ...]], max_width: int = MAX_CELL
) -> int:
    """Columns aligned, cells cut at `max_width` characters (0: never), line breaks as ⏎."""
    cells = [[_short(cell_text(v), max_width) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join("-" * w for w in widths)
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    out.write(line + "\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(cells)} row{'s' if len(cells) != 1 else ''})\n")
    return len(cells)


def _short(text: str, max_width: int) -> str:
    text = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\t", " ")
    if max_width <= 0 or len(text) <= max_width:
        return text
    return text[: max(max_width - 1, 0)] + "…"
