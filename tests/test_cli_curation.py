"""The curation commands as people type them: names resolved or refused in one line,
`entity NAME` still shows an entity, destructive commands confirm, upgrades keep data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import query_db

from docstore import migrate
from docstore.cli import cli
from docstore.db import make_engine, resolve_url

ARTICLES = Path(__file__).resolve().parent / "corpus" / "articles"
UNION = "02_kremlin_union_state_council_minsk_statements.txt"


@pytest.fixture
def db(tmp_path: Path, runner: CliRunner) -> str:
    path = str(tmp_path / "c.db")
    shutil.copy(ARTICLES / UNION, tmp_path / UNION)
    result = runner.invoke(cli, ["ingest", str(tmp_path / UNION), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def test_entity_show_beside_subcommands(db: str, runner: CliRunner) -> None:
    shown = runner.invoke(cli, ["entity", "Union State", "--db", db])
    assert shown.exit_code == 0 and "org:union-state" in shown.output
    same = runner.invoke(cli, ["entity", "show", "Union State", "--db", db])
    assert same.output == shown.output
    as_json = runner.invoke(cli, ["entity", "--json", "Union State", "--db", db])
    assert as_json.exit_code == 0 and '"key": "org:union-state"' in as_json.output
    renamed = runner.invoke(
        cli, ["entity", "rename", "Union State", "Union State of Russia and Belarus", "--db", db]
    )
    assert renamed.exit_code == 0 and renamed.output.startswith("judgement 1:")
    shown = runner.invoke(cli, ["entity", "org:union-state", "--db", db])
    assert "Union State of Russia and Belarus" in shown.output


def test_unknown_entity_and_bad_type_are_one_line_errors(db: str, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["entity", "reject", "Atlantis", "--db", db])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: no entity matches 'Atlantis' (by key, id, name or alias)"
    ]
    result = runner.invoke(cli, ["entity", "retype", "Union State", "planet", "--db", db])
    assert result.exit_code == 2 and "planet" in result.output
    result = runner.invoke(cli, ["statement", "reject", "99999", "--db", db])
    assert result.exit_code == 1 and "no statement with id 99999" in result.output


def test_author_defaults_to_os_user_and_can_be_given(
    db: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "carol")
    monkeypatch.setenv("LOGNAME", "carol")
    runner.invoke(cli, ["entity", "link", "Union State", "--wikidata", "Q1344", "--db", db])
    runner.invoke(
        cli,
        ["alias", "add", "Union State", "Soyuznoye gosudarstvo", "--author", "dave", "--db", db],
    )
    assert query_db(db, "SELECT author FROM judgements ORDER BY id") == [("carol",), ("dave",)]
    listed = runner.invoke(cli, ["judgements", "list", "--author", "dave", "--db", db])
    assert "alias_add" in listed.output and "entity_link" not in listed.output


def test_document_delete_asks_or_needs_yes(db: str, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["document", "delete", "1", "--db", db])
    assert result.exit_code == 1 and "--yes" in result.output
    assert query_db(db, "SELECT COUNT(*) FROM documents") == [(1,)]
    result = runner.invoke(cli, ["document", "delete", "1", "--yes", "--db", db])
    assert result.exit_code == 0, result.output
    assert query_db(db, "SELECT COUNT(*) FROM documents") == [(0,)]
    assert query_db(db, "SELECT COUNT(*) FROM passages") == [(0,)]
    assert query_db(db, "SELECT COUNT(*) FROM ingest_runs") == [(1,)]


def test_import_rejects_a_bad_file_with_its_line(
    db: str, runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"uid": "x", "kind": "entity_reject"}\n')
    result = runner.invoke(cli, ["judgements", "import", str(bad), "--db", db])
    assert result.exit_code == 1
    assert f"{bad}, line 1: not a judgement" in result.output
    assert query_db(db, "SELECT COUNT(*) FROM judgements") == [(0,)]


def test_judgements_apply_to_data_from_before_the_upgrade(
    db: str, runner: CliRunner, tmp_path: Path
) -> None:
    """Documents stored before revision 0005 (here: the schema taken back to 0004 under
    them) are judged like any others once the database is upgraded."""
    engine = make_engine(resolve_url(db))
    migrate.downgrade(engine, "0004")
    engine.dispose()
    assert query_db(db, "SELECT version_num FROM alembic_version") == [("0004",)]
    result = runner.invoke(cli, ["db", "upgrade", "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["alias", "add", "org:union-state", "Union", "--db", db])
    assert result.exit_code == 0, result.output
    runner.invoke(cli, ["reextract", "--all", "--db", db])
    assert query_db(
        db,
        "SELECT DISTINCT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id"
        " WHERE m.text = 'Union'",
    ) == [("org:union-state",)]
