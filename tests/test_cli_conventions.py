"""CLI conventions people know: validated choices, the same output formats on every
listing command, table cells shown whole on request, progress only on a terminal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from known_rows import populate

from docstore.cli import cli
from docstore.store import Store


@pytest.fixture
def known(sqlite_path: str) -> str:
    store = Store(sqlite_path)
    populate(store.engine)
    store.close()
    return sqlite_path


def test_entity_type_is_validated(known: str, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["entities", "--type", "people", "--db", known])
    assert result.exit_code == 2
    assert "'people' is not one of" in result.output and "person" in result.output
    result = runner.invoke(cli, ["entities", "--type", "person", "--csv", "--db", known])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["type"] for r in rows} == {"person"}


@pytest.mark.parametrize(
    "args",
    [["entities"], ["views"], ["search", "Belarus"]],
    ids=["entities", "views", "search"],
)
def test_listing_commands_take_the_query_formats(
    known: str, runner: CliRunner, args: list[str]
) -> None:
    outputs = {}
    for flag in ("--csv", "--tsv", "--json", "--nl", "--table"):
        result = runner.invoke(cli, [*args, flag, "--db", known])
        assert result.exit_code == 0, (flag, result.output)
        outputs[flag] = result.stdout
    as_json = json.loads(outputs["--json"])
    assert as_json, outputs["--json"]
    lines = [json.loads(line) for line in outputs["--nl"].splitlines()]
    assert lines == as_json
    header = next(csv.reader(io.StringIO(outputs["--csv"])))
    assert header == list(as_json[0])
    assert outputs["--tsv"].splitlines()[0].split("\t") == header
    assert outputs["--table"].rstrip().endswith("row)" if len(as_json) == 1 else "rows)")


def test_max_width_shows_cells_whole(known: str, runner: CliRunner) -> None:
    long = "x" * 150
    sql = f"SELECT '{long}' AS v"
    cut = runner.invoke(cli, ["query", sql, "--table", "--db", known]).stdout
    assert long not in cut and ("x" * 59 + "…") in cut
    whole = runner.invoke(cli, ["query", sql, "--table", "--max-width", "0", "--db", known])
    assert long in whole.stdout
    narrow = runner.invoke(cli, ["query", sql, "--table", "--max-width", "10", "--db", known])
    assert "x" * 9 + "…" in narrow.stdout and "x" * 10 not in narrow.stdout


def test_progress_is_silent_when_piped(tmp_path: Path, runner: CliRunner) -> None:
    from helpers import make_articles

    folder = tmp_path / "in"
    make_articles(folder, 21)
    result = runner.invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert "docs/s" not in result.output and "ingesting" not in result.output
