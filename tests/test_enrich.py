"""A stored article that arrives again in a richer format gains the metadata it lacked
(url, publisher, author, published_at), keeping its content and id."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner, Result
from helpers import query_db as query

from docstore.cli import cli

CORPUS = Path(__file__).resolve().parent / "corpus"
KREMLIN_HTML = CORPUS / "raw" / "kremlin_62752.html"
KREMLIN_TXT = CORPUS / "articles" / "12_kremlin_talks_with_lukashenko_oil_integration.txt"
FIELDS = "id, uid, body, url, publisher, author, published_at"


def ingest(db: str, *paths: Path) -> Result:
    return CliRunner().invoke(cli, ["ingest", *map(str, paths), "--db", db])


def test_text_file_gains_url_and_publisher_from_its_page(db_url: str) -> None:
    assert ingest(db_url, KREMLIN_TXT).exit_code == 0
    [before] = query(db_url, f"SELECT {FIELDS} FROM documents")
    assert before[3] is None and before[4] is None  # a text file has no URL or publisher

    result = ingest(db_url, KREMLIN_HTML)

    assert result.exit_code == 0, result.output
    assert "added url" in result.stderr and "publisher" in result.stderr
    [after] = query(db_url, f"SELECT {FIELDS} FROM documents")
    assert after[:3] == before[:3]  # same id, content hash and body
    assert after[3].startswith("http") and "kremlin.ru" in after[3]
    assert after[4]
    assert after[6] == before[6]  # a stored value is never overwritten
    passages = query(db_url, f"SELECT count(*) FROM passages WHERE document_id = {before[0]}")
    assert passages == [(len(before[2].split("\n")),)]


def test_same_content_gains_every_missing_field(tmp_path: Path, db_url: str) -> None:
    """Identical text (same content hash) from a CSV row with metadata: no date, URL,
    author or publisher before; all four after; the row is reported as already stored."""
    (tmp_path / "talks.txt").write_text(
        "Talks in Minsk\nThe president of Belarus met the delegation in Minsk.\n"
    )
    with (tmp_path / "talks.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "text", "date", "url", "author", "publisher"])
        writer.writerow(
            [
                "Talks in Minsk",
                "The president of Belarus met the delegation in Minsk.",
                "2020-02-07",
                "https://news.example.org/talks",
                "A. Reporter",
                "Example News",
            ]
        )
    assert ingest(db_url, tmp_path / "talks.txt").exit_code == 0
    [before] = query(db_url, f"SELECT {FIELDS} FROM documents")
    assert before[3:] == (None, None, None, None)

    result = ingest(db_url, tmp_path / "talks.csv")

    assert result.exit_code == 0, result.output
    assert "0 added, 1 skipped" in result.stdout
    [after] = query(db_url, f"SELECT {FIELDS} FROM documents")
    assert after[:3] == before[:3]
    assert after[3:] == (
        "https://news.example.org/talks",
        "Example News",
        "A. Reporter",
        "2020-02-07",
    )
    # Its entities are now seen on that date.
    dates = query(db_url, "SELECT DISTINCT first_seen, last_seen FROM entity_dates")
    assert dates == [("2020-02-07", "2020-02-07")]
    # A third copy changes nothing more.
    again = ingest(db_url, tmp_path / "talks.csv")
    assert "added" not in again.stderr
    assert query(db_url, f"SELECT {FIELDS} FROM documents") == [after]
