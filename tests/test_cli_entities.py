"""`docstore entities` and `docstore entity NAME`: listing and one entity's profile."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from known_rows import populate

from docstore.cli import cli
from docstore.store import Store


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_entities_lists_by_mentions(db_url: str, runner: CliRunner) -> None:
    store = Store(db_url)
    known = populate(store.engine)
    store.close()
    code, out = invoke(runner, "entities", "--json", "--db", db_url)
    assert code == 0, out
    listed = json.loads(out)
    assert [(e["name"], e["mentions"], e["documents"]) for e in listed] == [
        ("Belarus", 4, 3),
        ("Alexander Lukashenko", 3, 2),
        ("Michael Carpenter", 2, 1),
        ("Vladimir Putin", 2, 1),
        ("Minsk", 1, 1),
    ]
    assert listed[0]["entity_id"] == known.entity["belarus"]
    code, out = invoke(
        runner, "entities", "--type", "person", "--limit", "2", "--json", "--db", db_url
    )
    assert [e["name"] for e in json.loads(out)] == ["Alexander Lukashenko", "Michael Carpenter"]
    code, out = invoke(runner, "entities", "--db", db_url)
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["entity_id", "name", "type"]
    assert "Belarus" in lines[2] and lines[-1] == "(5 rows)"


def test_entity_profile_by_name_key_or_alias(db_url: str, runner: CliRunner) -> None:
    store = Store(db_url)
    known = populate(store.engine)
    store.close()
    for name in (
        "Lukashenka",
        "LUKASHENKA’s",
        "alexander lukashenko",
        "person:alexander-lukashenko",
    ):
        code, out = invoke(runner, "entity", name, "--json", "--db", db_url)
        assert code == 0, (name, out)
        assert json.loads(out)["entity_id"] == known.entity["lukashenko"], name
    profile = json.loads(out)
    assert profile["aliases"] == ["Alexander Lukashenko", "Lukashenka", "Lukashenko"]
    assert (profile["mentions"], profile["documents"]) == (3, 2)
    assert [d["title"] for d in profile["top_documents"]] == [
        "Lukashenko meets Putin",
        "Carpenter visits Minsk",
    ]
    assert [(o["name"], o["passages"]) for o in profile["mentioned_with"]] == [
        ("Belarus", 2),
        ("Vladimir Putin", 2),
        ("Michael Carpenter", 1),
    ]
    code, out = invoke(runner, "entity", "Belarusian", "--db", db_url)
    assert code == 0, out
    assert out.startswith("Belarus  (country, BY; country:by; id ")
    assert "aliases: Belarus, Belarusian" in out
    assert "4 mention(s) in 3 document(s)" in out
    assert "Alexander Lukashenko (person)" in out
    code, out = invoke(runner, "entity", "Atlantis", "--db", db_url)
    assert code == 1 and "no entity matches 'Atlantis'" in out


def test_seed_entities_rank_belarus_first(
    tmp_path: Path, seed_path: Path, runner: CliRunner
) -> None:
    db = str(tmp_path / "seed.db")
    Store(db).ingest([seed_path])
    code, out = invoke(runner, "entities", "--limit", "3", "--json", "--db", db)
    assert code == 0, out
    assert json.loads(out)[0]["name"] == "Belarus"
    code, out = invoke(runner, "entity", "Carpenter", "--json", "--db", db)
    assert code == 0, out
    assert json.loads(out)["name"] == "Michael Carpenter"
