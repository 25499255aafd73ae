"""Saved views live in one SQL file each (docstore/views/sql); migrations apply them by
name and version. These tests hold the files to their format and the migration chain to
the files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from docstore import migrate
from docstore.db import make_engine, resolve_url
from docstore.views.definitions import (
    FROZEN_DIR,
    SQL_DIR,
    ViewFileError,
    current_views,
    load,
    parse,
)

MIGRATIONS = Path(migrate.script_location()) / "versions"


def test_every_view_file_parses_and_names_a_known_revision() -> None:
    known = {revision for revision, _, _ in migrate.history()}
    views = current_views()
    assert len(views) >= 8
    for view in views:
        assert view.revision in known, view.path
        for dialect in ("sqlite", "postgresql"):
            sql = view.sql(dialect)
            assert "{%" not in sql and sql.lstrip().upper().startswith(("SELECT", "WITH"))
    for path in FROZEN_DIR.glob("*.sql"):
        name, revision = path.stem.rsplit(".", 1)
        assert (SQL_DIR / f"{name}.sql").exists(), f"{path}: no current version of {name}"
        assert load(name, revision).path == path
        assert revision in known, path


def test_migrations_apply_views_by_version_and_never_import_each_other() -> None:
    for path in MIGRATIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "importlib" not in source and "spec_from_file_location" not in source, path
        for name, revision in re.findall(r"(\w+)=\"(\d{4})\"", source):
            assert load(name, revision).revision == revision, (path, name)


def test_head_builds_the_current_files(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "head")
    dialect = engine.dialect.name
    with engine.connect() as conn:
        catalog = {
            row[0]: (row[1], row[2])
            for row in conn.execute(text("SELECT name, question, description FROM view_catalog"))
        }
        for view in current_views():
            assert catalog[view.name] == (view.question, view.description)
            if dialect == "sqlite":
                stored = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = :n"),
                    {"n": view.name},
                ).scalar_one()
                assert stored == f"CREATE VIEW {view.name} AS\n{view.sql(dialect)}"
            else:  # PostgreSQL keeps its own rendering: compare with the file's, made here
                conn.execute(text(f"CREATE TEMP VIEW probe AS {view.sql(dialect)}"))
                defs = conn.execute(
                    text(
                        "SELECT pg_get_viewdef(CAST(:a AS regclass)),"
                        " pg_get_viewdef(CAST('probe' AS regclass))"
                    ),
                    {"a": view.name},
                ).one()
                assert defs[0] == defs[1], view.name
                conn.execute(text("DROP VIEW probe"))
    assert set(catalog) == {view.name for view in current_views()}
    engine.dispose()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("SELECT 1\n", "must start with a /* ... */ header"),
        ("/*\nrevision: '0009'\nquestion: q\n*/\nSELECT 1\n", "header needs revision"),
        ("/*\nrevision: 9\nquestion: q\ndescription: d\n*/\nSELECT 1\n", "non-empty text"),
        ("/*\nrevision: '9'\nquestion: q\ndescription: d\n*/\nDROP TABLE x\n", "one SELECT"),
        (
            "/*\nrevision: '9'\nquestion: q\ndescription: d\n*/\n"
            "SELECT {% oracle %}1{% sqlite %}2{% end %}\n",
            "unknown dialect block(s) oracle",
        ),
        (
            "/*\nrevision: '9'\nquestion: q\ndescription: d\n*/\nSELECT {% sqlite %}1\n",
            "without its {% end %}",
        ),
        ("/*\nrevision: [\n*/\nSELECT 1\n", "header is not YAML"),
    ],
)
def test_a_bad_view_file_is_named_with_the_reason(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "broken.sql"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ViewFileError) as error:
        parse(path, "broken")
    assert str(path) in str(error.value) and reason in str(error.value)


def test_dialect_blocks_pick_one_text(tmp_path: Path) -> None:
    path = tmp_path / "v.sql"
    path.write_text(
        "/*\nrevision: '9'\nquestion: q\ndescription: d\n*/\n"
        "SELECT {% sqlite %}group_concat(x){% postgresql %}string_agg(x, ','){% end %}"
        " FROM t{% sqlite %} INDEXED BY ix{% end %}\n",
        encoding="utf-8",
    )
    view = parse(path, "v")
    assert view.sql("sqlite") == "SELECT group_concat(x) FROM t INDEXED BY ix"
    assert view.sql("postgresql") == "SELECT string_agg(x, ',') FROM t"


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ViewFileError, match="no version of view 'entity_overview'"):
        load("entity_overview", "0003")
    with pytest.raises(ViewFileError, match="no view file"):
        load("no_such_view", "0001")
