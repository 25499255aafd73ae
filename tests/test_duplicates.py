"""The same article arriving in two formats (a text file and its CSV export row, an HTML
page and its text copy) is recognized, by URL or by title and day, and reported as a
duplicate instead of being stored twice; `--allow-duplicates` stores it anyway."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import query_db as query

from docstore.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
BOLTON_TXT = CORPUS / "articles" / "05_wikinews_trump_ousts_bolton.txt"
WIKINEWS_2019 = CORPUS / "wikinews" / "wikinews_2019.csv"
BOLTON_ROW = 104  # of wikinews_2019.csv
KREMLIN_HTML = CORPUS / "raw" / "kremlin_62752.html"
KREMLIN_TXT = CORPUS / "articles" / "12_kremlin_talks_with_lukashenko_oil_integration.txt"


def ingest(db: str, *paths: Path | str, extra: tuple[str, ...] = ()) -> Result:
    return CliRunner().invoke(cli, ["ingest", *map(str, paths), *extra, "--db", db])


def duplicate_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("duplicate: ")]


def bolton_csv(folder: Path, **changes: str) -> Path:
    """The Bolton row of the Wikinews CSV, alone in a file (optionally altered)."""
    with WIKINEWS_2019.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if "Bolton" in r["title"] and "ousts" in r["title"])
    row.update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    path = folder / "bolton.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_text_file_then_its_csv_row(db_url: str) -> None:
    first = ingest(db_url, BOLTON_TXT)
    assert first.exit_code == 0, first.output
    result = ingest(db_url, WIKINEWS_2019)
    assert result.exit_code == 0, result.output
    [line] = duplicate_lines(result)
    assert f"{WIKINEWS_2019}#{BOLTON_ROW}:" in line and str(BOLTON_TXT) in line
    assert "170 added, 1 skipped, 0 failed" in result.stdout
    assert query(db_url, "SELECT count(*) FROM documents") == [(171,)]
    assert query(
        db_url, "SELECT documents_added, documents_skipped FROM ingest_runs ORDER BY id"
    ) == [(1, 0), (170, 1)]


def test_csv_row_then_text_file(tmp_path: Path, db_url: str) -> None:
    """The other way round: the text file has no URL, so title and day decide."""
    assert ingest(db_url, bolton_csv(tmp_path)).exit_code == 0
    result = ingest(db_url, BOLTON_TXT)
    assert result.exit_code == 0
    [line] = duplicate_lines(result)
    assert line.startswith(f"duplicate: {BOLTON_TXT}:") and "bolton.csv#1" in line
    assert query(db_url, "SELECT count(*) FROM documents") == [(1,)]


@pytest.mark.parametrize("order", ["html-first", "text-first"])
def test_html_page_and_its_text_copy(db_url: str, order: str) -> None:
    paths = [KREMLIN_HTML, KREMLIN_TXT] if order == "html-first" else [KREMLIN_TXT, KREMLIN_HTML]
    result = ingest(db_url, *paths)
    assert result.exit_code == 0, result.output
    [line] = duplicate_lines(result)
    assert line.startswith(f"duplicate: {paths[1]}:") and str(paths[0]) in line
    assert "1 added, 1 skipped, 0 failed" in result.stdout
    assert query(db_url, "SELECT source FROM documents") == [(str(paths[0]),)]


def test_allow_duplicates_stores_both(db_url: str) -> None:
    result = ingest(db_url, KREMLIN_HTML, KREMLIN_TXT, extra=("--allow-duplicates",))
    assert result.exit_code == 0
    assert duplicate_lines(result) == []
    assert query(db_url, "SELECT count(*) FROM documents") == [(2,)]
    # Identical content stays one document even so: that is idempotence, not a choice.
    again = ingest(db_url, KREMLIN_TXT, extra=("--allow-duplicates",))
    assert "0 added, 1 skipped" in again.stdout
    assert query(db_url, "SELECT count(*) FROM documents") == [(2,)]


def test_same_url_spelled_differently(tmp_path: Path, sqlite_path: str) -> None:
    """https for http, a trailing slash: the same page, whatever the title says."""
    row = tmp_path / "kremlin.csv"
    body = "\n".join(KREMLIN_TXT.read_text().splitlines()[2:])
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["url", "date", "title", "text"],
            ["https://en.kremlin.ru/events/president/news/62752/", "2020-02-08", "Talks", body],
        ]
    )
    row.write_text(out.getvalue())
    assert ingest(sqlite_path, KREMLIN_HTML).exit_code == 0
    result = ingest(sqlite_path, row)
    [line] = duplicate_lines(result)
    assert "kremlin.csv#1" in line
    assert query(sqlite_path, "SELECT count(*) FROM documents") == [(1,)]


def test_title_compared_loosely(tmp_path: Path, sqlite_path: str) -> None:
    """Case, punctuation and apostrophes differ between exports of one article."""
    lines = BOLTON_TXT.read_text().splitlines()
    variant = tmp_path / "bolton_variant.txt"
    variant.write_text(
        "\n".join(["US President Trump ousts national-security advisor Bolton.", *lines[1:]])
    )
    assert ingest(sqlite_path, BOLTON_TXT).exit_code == 0
    result = ingest(sqlite_path, variant)
    assert result.exit_code == 0 and len(duplicate_lines(result)) == 1
    assert query(sqlite_path, "SELECT count(*) FROM documents") == [(1,)]


def test_same_title_and_day_but_another_article(tmp_path: Path, sqlite_path: str) -> None:
    """A generic title shared by two different articles on one day is not a duplicate."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(
        "Telephone conversation with President of Belarus Alexander Lukashenko\n"
        "15 August 2020, 14:30\n"
        "The presidents discussed the situation in Belarus after the election.\n"
        "They agreed to stay in contact."
    )
    b.write_text(
        "Telephone conversation with President of Belarus Alexander Lukashenko\n"
        "15 August 2020, 21:10\n"
        "Vladimir Putin and Alexander Lukashenko talked about gas supplies and oil prices.\n"
        "The conversation concerned deliveries for next year."
    )
    result = ingest(sqlite_path, a, b)
    assert result.exit_code == 0 and duplicate_lines(result) == []
    assert query(sqlite_path, "SELECT count(*) FROM documents") == [(2,)]
