"""docstore serve on every backend: on PostgreSQL, which Datasette cannot serve, docstore's
pages and its read-only SQL page answer; Datasette's scratch database stays hidden."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from conftest import SEED
from helpers import query_db

from docstore.db import resolve_url
from docstore.store import Store
from docstore.web.app import make_datasette


def test_pages_and_sql_on_each_backend(db_url: str) -> None:
    with Store(db_url) as store:
        assert store.ingest([SEED]).added == 1
    belarus = query_db(db_url, "SELECT id FROM entities WHERE key = 'country:by'")[0][0]
    doc = query_db(db_url, "SELECT id FROM documents")[0][0]
    ds = make_datasette(resolve_url(db_url))
    paths = [
        f"/-/docstore/entity/{belarus}",
        f"/-/docstore/document/{doc}",
        "/-/docstore/search?q=military+attach%C3%A9s",
        "/-/docstore/statements?predicate=visit",
        "/-/docstore/sql?" + urlencode({"sql": "SELECT key FROM entities WHERE name = 'Belarus'"}),
        "/-/docstore/sql?" + urlencode({"sql": "DROP TABLE documents"}),
        "/",
        "/_memory",
    ]

    async def run() -> list:
        return [await ds.client.get(p) for p in paths]

    entity, document, search, statements, sql, drop, home, memory = asyncio.run(run())
    assert entity.status_code == 200 and "United States" in entity.text
    assert 'class="ds-chart ds-timeline"' in entity.text
    assert document.status_code == 200 and document.text.count('class="ds-mention') > 20
    assert search.status_code == 200 and "<mark>" in search.text
    assert statements.status_code == 200 and "Michael Carpenter" in statements.text
    assert sql.status_code == 200 and "<td>country:by</td>" in sql.text
    assert drop.status_code == 400 and "query refused" in drop.text
    assert query_db(db_url, "SELECT COUNT(*) FROM documents") == [(1,)]
    assert 'href="/-/docstore/sql"' in home.text
    if db_url.startswith("postgresql"):
        assert "_memory" not in home.text and memory.status_code == 403
