"""An analyst's session from the command line: judgements made on a corpus survive
`reextract --all`, reach articles ingested later, and carried to a fresh database by
export/import give the same entities and statements."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from helpers import query_db

from docstore.cli import cli

ROOT = Path(__file__).resolve().parent
CORPUS = [
    ROOT / "corpus" / "articles" / name
    for name in (
        "02_kremlin_union_state_council_minsk_statements.txt",
        "05_wikinews_trump_ousts_bolton.txt",
        "06_wikinews_house_subpoena_pompeo_volker_resigns.txt",
    )
]
LATER = sorted((ROOT / "data" / "curation").glob("*.txt"))

OVERVIEW = (
    "SELECT key, name, type, country, wikidata_id, mentions, documents, statements_as_subject,"
    " statements_as_object, first_seen, last_seen, aliases FROM entity_overview"
)
FACTS = (
    "SELECT subject, predicate, object, polarity, modality, speaker, date, document_title,"
    " quote, char_start, char_end, status FROM statement_facts"
)


KEYS_READING = (
    "SELECT DISTINCT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id"
    " WHERE m.text = '{text}'"
)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def copy(paths: list[Path], folder: Path) -> list[str]:
    folder.mkdir(exist_ok=True)
    for path in paths:
        shutil.copy(path, folder / path.name)
    return [str(folder / p.name) for p in paths]


def rows(db: str, sql: str) -> list[tuple]:
    return sorted(query_db(db, sql), key=repr)


def unique_statements(db: str) -> list[str]:
    """Statements no other shares an identity with (document, offsets, predicate)."""
    found = query_db(
        db,
        "SELECT MIN(id) FROM statements GROUP BY document_id, char_start, char_end, predicate"
        " HAVING COUNT(*) = 1 ORDER BY MIN(id)",
    )
    return [str(r[0]) for r in found]


def test_scripted_session(db_url: str, tmp_path: Path) -> None:
    db = db_url
    run("ingest", *copy(CORPUS, tmp_path / "corpus"), "--db", db)
    [(holdings,)] = query_db(db, KEYS_READING.format(text="Burisma Holdings"))
    [(full,)] = query_db(db, KEYS_READING.format(text="United States House of Representatives"))
    others = sorted({k for (k,) in query_db(db, KEYS_READING.format(text="House"))} - {full})
    assert others, "extraction now links House by itself: pick another pair to merge"
    run("entity", "merge", full, *others, "--db", db, "--author", "alice")
    run("entity", "split", "person:rudy-giuliani", "--alias", "Giuliani", "--db", db)
    run("entity", "retype", holdings, "organization", "--db", db)
    run("entity", "reject", "person:republican", "--db", db, "--note", "a party member")
    first, second = unique_statements(db)[:2]
    run("statement", "reject", first, "--db", db)
    run("statement", "verify", second, "--db", db)
    run("alias", "add", "org:union-state", "Union", "--db", db)
    run("reextract", "--all", "--db", db)
    run("ingest", *copy(LATER, tmp_path / "later"), "--db", db)

    # The later articles follow the judgements: the merged name resolves to what it was
    # merged into, the rejected name is no entity, the judged alias names its entity.
    by_text = dict(
        query_db(
            db,
            "SELECT m.text, MIN(e.key) FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " JOIN documents d ON d.id = m.document_id WHERE d.source LIKE '%/later/%'"
            " GROUP BY m.text",
        )
    )
    assert not {k for (k,) in query_db(db, KEYS_READING.format(text="House"))} & set(others)
    assert by_text["Union"] == "org:union-state"
    assert "Republican" not in by_text
    [(kind, *_)] = query_db(db, f"SELECT type FROM entities WHERE key = '{holdings}'")
    assert kind == "organization"
    statuses = dict(query_db(db, "SELECT status, COUNT(*) FROM statements GROUP BY status"))
    assert statuses["rejected"] == 1 and statuses["verified"] == 1
    log = query_db(db, "SELECT kind, target_name, author, state FROM judgement_log")
    assert ("entity_merge", "United States House of Representatives", "alice", "active") in log
    assert len(log) == 7

    exported = tmp_path / "judgements.jsonl"
    run("judgements", "export", str(exported), "--db", db)
    fresh = str(tmp_path / "fresh.db")
    run("ingest", *copy(CORPUS + LATER, tmp_path / "all"), "--db", fresh)
    assert "7 added" in run("judgements", "import", str(exported), "--db", fresh)
    assert rows(fresh, OVERVIEW) == rows(db, OVERVIEW)
    assert rows(fresh, FACTS) == rows(db, FACTS)
    assert "0 added" in run("judgements", "import", str(exported), "--db", fresh)
