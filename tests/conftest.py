"""Shared fixtures: paths to the test corpus, and databases on every configured backend.

Every test that takes `db_url` runs on SQLite, and also on PostgreSQL when
$DOCSTORE_TEST_POSTGRES_URL names a server (a fresh database is created per test).
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
# Support shared with the quality scripts (gold files, statement fixtures) lives in
# benchmarks/, outside the installed package.
sys.path.insert(0, str(ROOT / "benchmarks"))
SEED = ROOT / "seeds" / "000_96980ad8853fa758.txt"
CORPUS = Path(__file__).resolve().parent / "corpus"
ARTICLES = CORPUS / "articles"
PG_ENV = "DOCSTORE_TEST_POSTGRES_URL"

# the start-up cache of built gazetteer objects: one per test session, never the user's
os.environ.setdefault(
    "DOCSTORE_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"docstore-test-cache-{os.getpid()}")
)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL (or SQLite path) on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    yield from _postgres_database()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


def _postgres_database() -> Iterator[str]:
    base = make_url(os.environ[PG_ENV])
    name = f"docstore_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
