"""The Python API: `from docstore import Store`, plain results, an in-memory database, one
pooled engine per store, reads that never take the write lock, and the README's example."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from known_rows import populate

import docstore
import docstore.db
from docstore import QueryError, Rows, Store

ROOT = Path(__file__).resolve().parent.parent


def table_like(records: list[Any]) -> bool:
    """What pandas.DataFrame(records) takes as rows: dicts with the same keys, or
    dataclass instances of one type."""
    if all(isinstance(r, dict) for r in records):
        return len({tuple(r) for r in records}) <= 1
    return all(dataclasses.is_dataclass(r) and type(r) is type(records[0]) for r in records)


def test_every_public_name_imports() -> None:
    for name in docstore.__all__:
        assert getattr(docstore, name) is not None, name
    with pytest.raises(AttributeError):
        docstore.NoSuchThing  # noqa: B018


def test_memory_store_answers_every_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store(":memory:") as store:
        known = populate(store.engine)
        entities = store.entities()
        assert isinstance(entities, Rows) and table_like(entities)
        assert entities[0]["name"] == "Belarus" and entities.columns[:3] == [
            "entity_id",
            "key",
            "name",
        ]
        rows = store.query(
            "SELECT name, mentions FROM entity_overview WHERE entity_id = :id",
            {"id": known.entity["putin"]},
        )
        assert rows == [{"name": "Vladimir Putin", "mentions": rows[0]["mentions"]}]
        assert rows.tuples() == [("Vladimir Putin", rows[0]["mentions"])]
        assert store.entity("Lukashenka")["entity_id"] == known.entity["lukashenko"]
        hits = store.search("attachés")
        assert hits and table_like(hits)
        assert table_like(store.views()) and len(store.views()) >= 8
        assert table_like(store.history()) and store.current() == store.head()
        out = io.StringIO()
        assert store.export("entities", to=out) == len(known.entity)
        assert out.getvalue().startswith("id,key,name")
        assert store.rebuild_dates() == len(
            store.query("SELECT entity_id FROM entity_dates")
        )  # still writable after the read-only queries
        missing = store.ingest(str(tmp_path / "missing.txt"))  # one path, not its letters
        assert missing.failed == 1 and missing.outcomes[0].source.endswith("missing.txt")
        assert table_like(missing.outcomes)
    assert not (tmp_path / ":memory:").exists()


def test_memory_store_refuses_writes_and_stays_writable() -> None:
    with Store(":memory:") as store:
        populate(store.engine)
        with pytest.raises(QueryError, match="read-only"):
            store.query("DELETE FROM documents")
        with pytest.raises(QueryError, match="cancelled"):
            store.query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
                " SELECT COUNT(*) FROM n",
                timeout=0.2,
            )
        assert store.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == 3
        assert store.rebuild_fts().startswith("rebuilt passages_fts")


def test_one_pooled_engine_per_store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = docstore.db.create_engine

    def counting(*args: Any, **kwargs: Any) -> Any:
        engine = real(*args, **kwargs)
        made.append(engine)
        return engine

    monkeypatch.setattr(docstore.db, "create_engine", counting)
    with Store(db_url) as store:
        populate(store.engine)
        for _ in range(5):
            store.query("SELECT COUNT(*) FROM entities")
            store.export("entity_overview", to=io.StringIO())
            store.entities()
    assert len(made) == 2  # the store's pool, and its read-only pool for queries


def test_reads_never_take_the_write_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "busy.db"
    with Store(str(path)) as store:
        populate(store.engine)
    # Waiting for a lock would now fail within 0.1 s instead of waiting a minute.
    monkeypatch.setattr(docstore.db, "BUSY_TIMEOUT_MS", 100)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of an ingest
    writer.execute("UPDATE entities SET name = name")
    try:
        with Store(str(path)) as store:
            assert store.query("SELECT COUNT(*) AS n FROM entities")[0]["n"] == 5
            assert len(store.entities()) == 5
            assert store.entity("Belarus")["name"] == "Belarus"
            assert store.search("Minsk")
            assert store.views() and store.current() == store.head()
            store.export("document_overview", to=io.StringIO())
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT COUNT(*) FROM documents").scalar() == 3
            with pytest.raises(Exception, match="locked"):  # the lock is really held
                store.rebuild_dates()
            with pytest.raises(Exception, match="locked"), store.transaction() as conn:
                conn.exec_driver_sql("SELECT 1")  # a write transaction waits from its BEGIN
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "no python block in the README's Python API section"
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(compile(blocks[0], "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] == "1 added, 0 skipped, 0 failed"
    assert lines[2].startswith("Belarus ")
    assert "[military] [attachés]" in printed.getvalue()
    assert lines[-1] == f"{Store.head()} {Store.head()}"
