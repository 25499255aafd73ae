"""`docstore export`: RFC 4180 CSV that round-trips, the options, and constant memory."""

from __future__ import annotations

import csv
import io
import json
import os
import tracemalloc
from pathlib import Path

from click.testing import CliRunner
from known_rows import populate
from sqlalchemy import insert, select, text

from docstore.cli import cli
from docstore.export import ExportOptions
from docstore.models import Document, Passage
from docstore.store import Store

TRICKY = [
    'He said "no", then left',
    "commas, everywhere, ,",
    "two\nlines\r\nand CRLF",
    "Лукашенко · Kwaśniewski · 東京 · 😀",
    '=HYPERLINK("http://x")',
    "-5 and +1 and @home",
    "  padded  ",
    "",
]


def add_tricky(store: Store) -> int:
    with store.engine.begin() as conn:
        doc = conn.execute(
            insert(Document).returning(Document.id),
            {
                "uid": "tricky",
                "source": "s",
                "title": "Tricky",
                "body": "\n".join(TRICKY),
                "ingested_at": "x",
            },
        ).scalar_one()
        start = 0
        for seq, value in enumerate(TRICKY):
            conn.execute(
                insert(Passage),
                {
                    "document_id": doc,
                    "seq": seq,
                    "kind": "paragraph",
                    "text": value,
                    "char_start": start,
                    "char_end": start + len(value),
                },
            )
            start += len(value) + 1
    return int(doc)


def test_csv_round_trips_cell_for_cell(db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    store = Store(db_url)
    add_tricky(store)
    out = tmp_path / "passages.csv"
    result = runner.invoke(cli, ["export", "passages", "-o", str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert f"{len(TRICKY)} row(s) written to {out}" in result.output
    raw = out.read_bytes()
    assert raw.startswith(b"id,document_id,seq,kind,text,char_start,char_end\r\n")
    with out.open(encoding="utf-8", newline="") as fh:
        parsed = list(csv.reader(fh))
    with store.engine.connect() as conn:
        expected = conn.execute(select(Passage.__table__).order_by(Passage.id)).all()
    assert parsed[0] == [c.name for c in Passage.__table__.columns]
    assert parsed[1:] == [[str(v) for v in row] for row in expected]
    assert [r[4] for r in parsed[1:]] == TRICKY

    tsv = runner.invoke(cli, ["export", "passages", "--format", "tsv", "--db", db_url])
    rows = list(
        csv.reader(io.StringIO(tsv.stdout_bytes.decode("utf-8"), newline=""), delimiter="\t")
    )
    assert [r[4] for r in rows[1:]] == TRICKY

    jsonl = tmp_path / "p.jsonl"  # the format follows the extension
    runner.invoke(cli, ["export", "passages", "-o", str(jsonl), "--db", db_url])
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == TRICKY
    store.close()


def test_export_options(db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    store = Store(db_url)
    add_tricky(store)
    plain = runner.invoke(
        cli,
        [
            "export",
            "--sql",
            "SELECT text FROM passages ORDER BY id",
            "--no-header",
            "--bom",
            "--excel-safe",
            "--db",
            db_url,
        ],
    )
    assert plain.exit_code == 0, plain.output
    body = plain.stdout_bytes
    assert body.startswith(b"\xef\xbb\xbf")
    cells = [r[0] for r in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))]
    assert cells[0] == TRICKY[0]  # no header
    assert cells[4] == "'" + TRICKY[4] and cells[5] == "'" + TRICKY[5]
    assert cells[3] == TRICKY[3] and cells[6] == TRICKY[6]

    numbers = runner.invoke(
        cli,
        [
            "export",
            "--sql",
            "SELECT -5 AS n, :w AS w",
            "-p",
            "w",
            "@x",
            "--excel-safe",
            "--db",
            db_url,
        ],
    )
    assert numbers.stdout_bytes == b"n,w\r\n-5,'@x\r\n"  # numbers stay numbers

    unknown = runner.invoke(cli, ["export", "nope", "--db", db_url])
    assert unknown.exit_code == 1
    assert "no table or view named 'nope'" in unknown.output
    assert "entity_overview" in unknown.output and "passages" in unknown.output
    assert "alembic_version" not in unknown.output

    refused = runner.invoke(cli, ["export", "--sql", "DELETE FROM passages", "--db", db_url])
    assert refused.exit_code == 1
    assert "read-only" in refused.output or "one SELECT statement" in refused.output
    both = runner.invoke(cli, ["export", "passages", "--sql", "SELECT 1", "--db", db_url])
    assert both.exit_code == 2
    store.close()


def test_export_all(db_url: str, tmp_path: Path, runner: CliRunner) -> None:
    store = Store(db_url)
    populate(store.engine)
    folder = tmp_path / "out"
    result = runner.invoke(cli, ["export", "--all", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.output
    names = {p.stem for p in folder.iterdir()}
    assert {
        "documents",
        "passages",
        "entities",
        "mentions",
        "statements",
        "view_catalog",
        "entity_overview",
        "statement_facts",
        "entity_timeline",
    } <= names
    assert not {n for n in names if n.startswith(("passages_fts", "alembic", "sqlite"))}
    with (folder / "entity_overview.csv").open(encoding="utf-8", newline="") as fh:
        overview = list(csv.DictReader(fh))
    assert {r["name"] for r in overview} >= {"Belarus", "Michael Carpenter"}
    assert "written to" in result.output and "entity_overview.csv" in result.output
    store.close()


def test_export_streams_in_constant_memory(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.begin() as conn:
        doc = conn.execute(
            insert(Document).returning(Document.id),
            {"uid": "big", "source": "s", "title": "Big", "body": "x", "ingested_at": "x"},
        ).scalar_one()
        conn.execute(
            insert(Passage),
            [
                {
                    "document_id": doc,
                    "seq": i,
                    "kind": "paragraph",
                    "text": f"passage {i} " * 20,
                    "char_start": 0,
                    "char_end": 1,
                }
                for i in range(25_000)
            ],
        )

    def peak(limit: int) -> int:
        sql = f"SELECT * FROM passages ORDER BY id LIMIT {limit}"
        with open(os.devnull, "w", encoding="utf-8", newline="") as sink:
            tracemalloc.start()
            try:
                count = store.export(sql=sql, to=sink, options=ExportOptions())
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
                assert count == limit

    peak(100)  # warm up: imports, dialect setup, compiled caches
    small, large = peak(2_500), peak(25_000)
    # 25,000 rows hold ~6 MB of text; streaming keeps the peak near the small export's.
    assert large < small * 1.5 + 256_000, (small, large)
    assert large < 3_000_000, large
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM passages")).scalar_one() == 25_000
    store.close()
