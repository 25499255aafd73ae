"""docstore serve's pages through Datasette's test client: what each page shows, the links
between them and from Datasette's rows, exports, error pages, and that nothing writes."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from click.testing import CliRunner
from conftest import SEED
from helpers import CONTRACT_VIEWS, read_sqlite
from markupsafe import escape

from docstore.cli import cli
from docstore.db import DatabaseError, resolve_url
from docstore.store import Store
from docstore.web.app import INSTALL_HINT, ServeOptions, check_datasette, make_datasette


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "news.db"
    with Store(str(path)) as store:
        assert store.ingest([SEED]).added == 1
    return path


def fetch(db: Path, *paths: str, options: ServeOptions | None = None, **kw: Any) -> list[Any]:
    """GET each path from a fresh server on `db` (one event loop per server)."""
    ds = make_datasette(resolve_url(str(db)), options)

    async def run() -> list[Any]:
        return [await ds.client.get(p, **kw) for p in paths]

    return asyncio.run(run())


def one(db: Path, path: str, **kw: Any) -> Any:
    return fetch(db, path, **kw)[0]


def entity_id(db: Path, key: str) -> int:
    return int(read_sqlite(db, f"SELECT id FROM entities WHERE key = '{key}'")[0][0])


def test_home_and_entity_lookup(db_path: Path) -> None:
    home, found, missing = fetch(
        db_path, "/-/docstore", "/-/docstore/entity?name=belarusian", "/-/docstore/entity?name=zz"
    )
    assert home.status_code == 200
    belarus = entity_id(db_path, "country:by")
    assert f'href="/-/docstore/entity/{belarus}"' in home.text
    assert '<svg class="ds-chart ds-ranked"' in home.text
    assert found.status_code == 302 and found.headers["location"] == f"/-/docstore/entity/{belarus}"
    assert missing.status_code == 404 and "no entity matches &#39;zz&#39;" in missing.text


def test_entity_page(db_path: Path) -> None:
    belarus = entity_id(db_path, "country:by")
    page = one(db_path, f"/-/docstore/entity/{belarus}")
    assert page.status_code == 200
    html = page.text
    assert '<h1 class="ds-entity-name">Belarus' in html and "country:by" in html
    assert "Belarusian" in html and "2016-04-07" in html
    # The timeline is drawn (one bar for the seed's week) and the co-mentions link onwards.
    timeline = re.search(r'<svg class="ds-chart ds-timeline".*?</svg>', html, re.S)
    assert timeline and timeline.group(0).count('class="ds-bar"') == 1
    us = entity_id(db_path, "country:us")
    ranked = re.search(r'<svg class="ds-chart ds-ranked".*?</svg>', html, re.S)
    assert ranked and f'href="/-/docstore/entity/{us}"' in ranked.group(0)
    assert "United States" in ranked.group(0)
    assert "visited Belarus to talk about security" in html  # a statement's quote
    assert 'href="/-/docstore/document/1"' in html
    assert "/news/entity_mentions_in_context?entity_id=" in html


def test_document_page_highlights_every_mention(db_path: Path) -> None:
    page = one(db_path, "/-/docstore/document/1")
    assert page.status_code == 200
    article = page.text.split('<article class="ds-article">')[1].split("</article>")[0]
    mentions = read_sqlite(db_path, "SELECT COUNT(*) FROM mentions WHERE document_id = 1")[0][0]
    assert article.count('class="ds-mention') == mentions
    belarus = entity_id(db_path, "country:by")
    assert f'<a class="ds-mention ds-type-country" href="/-/docstore/entity/{belarus}"' in article
    for kind in ("title", "dateline", "paragraph", "list_item"):
        assert f"ds-kind-{kind}" in article
    statements = read_sqlite(db_path, "SELECT id FROM statements WHERE document_id = 1")
    assert statements and 'class="ds-evidence"' in article
    for (sid,) in statements:
        assert f'id="statement-{sid}"' in page.text


def test_search_page(db_path: Path) -> None:
    empty, hits, filtered, bad, nothing = fetch(
        db_path,
        "/-/docstore/search",
        "/-/docstore/search?q=military+attach%C3%A9s",
        "/-/docstore/search?q=Belarus&type=person&since=2016-01-01&until=2016-12-31",
        "/-/docstore/search?q=Belarus&page=two",
        "/-/docstore/search?q=%28+%29",
    )
    assert empty.status_code == 200 and 'name="q"' in empty.text and "ds-hit" not in empty.text
    assert hits.status_code == 200
    assert "<mark>military</mark>" in hits.text or "<mark>military attachés</mark>" in hits.text
    assert 'href="/-/docstore/document/1#passage-' in hits.text
    assert filtered.status_code == 200 and filtered.text.count('class="ds-hit"') >= 1
    assert bad.status_code == 400 and "page must be a whole number" in bad.text
    assert nothing.status_code == 200 and "nothing to search for" in nothing.text


def test_search_pages_link_forward(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docstore.web import reads

    monkeypatch.setattr(reads, "PAGE_SIZE", 2)
    first, second = fetch(
        db_path, "/-/docstore/search?q=Belarus", "/-/docstore/search?q=Belarus&page=2"
    )
    assert 'href="/-/docstore/search?q=Belarus&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' in second.text and "page 2" in second.text


def test_statement_explorer_and_exports(db_path: Path) -> None:
    carpenter = entity_id(db_path, "person:michael-carpenter")
    query = f"subject_id={carpenter}&predicate=visit"
    page, as_csv, as_json, everything = fetch(
        db_path,
        f"/-/docstore/statements?{query}",
        f"/-/docstore/statements.csv?{query}",
        f"/-/docstore/statements.json?{query}",
        "/-/docstore/statements.json",
    )
    assert page.status_code == 200 and "Michael Carpenter" in page.text
    assert f'href="/-/docstore/statements.csv?{query.replace("&", "&amp;")}"' in page.text
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert rows and {r["predicate"] for r in rows} == {"visit"}
    assert {r["subject"] for r in rows} == {"Michael Carpenter"}
    data = json.loads(as_json.text)
    assert [d["statement_id"] for d in data] == [int(r["statement_id"]) for r in rows]
    stored = read_sqlite(db_path, "SELECT COUNT(*) FROM statements WHERE status <> 'rejected'")
    assert len(json.loads(everything.text)) == stored[0][0]


def test_error_pages_are_pages(db_path: Path) -> None:
    entity, document, bad = fetch(
        db_path,
        "/-/docstore/entity/999999",
        "/-/docstore/document/999999",
        "/-/docstore/statements?subject_id=x",
    )
    assert entity.status_code == 404 and "no entity with id 999999" in entity.text
    assert document.status_code == 404 and "no document with id 999999" in document.text
    assert bad.status_code == 400 and "subject_id must be a whole number" in bad.text
    for response in (entity, document, bad):
        assert "<html" in response.text and "Traceback" not in response.text


def test_datasette_shows_view_questions_and_links_rows(db_path: Path) -> None:
    catalog = read_sqlite(db_path, "SELECT name, question, description FROM view_catalog")
    assert {name for name, _, _ in catalog} >= set(CONTRACT_VIEWS)
    database, overview, canned, *views = fetch(
        db_path,
        "/news",
        "/news/entity_overview?_sort_desc=mentions",
        "/news/who_met_whom?since=2016&until=2016-12-31",
        *[f"/news/{name}" for name, _, _ in catalog],
    )
    assert database.status_code == 200
    assert "who_met_whom" in database.text and "entity_documents_by_name" in database.text
    for (name, question, description), page in zip(catalog, views, strict=True):
        assert page.status_code == 200
        assert str(escape(f"{name}: {question}")) in page.text
        assert str(escape(description)) in page.text
    assert overview.status_code == 200 and 'href="/-/docstore/entity/' in overview.text
    assert canned.status_code == 200 and "Michael Carpenter" in canned.text
    assert 'href="/-/docstore/document/1"' in canned.text


def test_canned_entity_queries_take_an_alias(db_path: Path) -> None:
    docs, statements = fetch(
        db_path,
        "/news/entity_documents_by_name.json?entity=Lukashenka&_shape=array",
        "/news/entity_statements_by_name.json?entity=country:by&_shape=array",
    )
    assert [d["document_id"] for d in docs.json()] == [1]
    assert statements.json() and all("quote" in s for s in statements.json())


def test_sql_box_is_read_only_with_a_time_limit(db_path: Path) -> None:
    before = read_sqlite(db_path, "SELECT COUNT(*) FROM documents")
    slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"
    write, long = fetch(
        db_path,
        "/news.json?sql=DELETE+FROM+documents",
        "/news.json?sql=" + quote(slow),
        options=ServeOptions(sql_time_limit_ms=200),
    )
    assert (
        write.status_code == 400
        and read_sqlite(db_path, "SELECT COUNT(*) FROM documents") == before
    )
    assert long.status_code == 400 and "time limit" in long.text.lower()


def test_no_page_writes(db_path: Path) -> None:
    ds = make_datasette(resolve_url(str(db_path)))

    async def run() -> list[Any]:
        return [
            await ds.client.post("/-/docstore/entity/1", data={"name": "x"}),
            await ds.client.post("/news/-/query", data={"sql": "DELETE FROM documents"}),
        ]

    before = read_sqlite(db_path, "SELECT COUNT(*) FROM documents")
    page, query = asyncio.run(run())
    assert page.status_code == 405 and "this page only reads" in page.text
    assert query.status_code in (400, 403, 404, 405)
    assert read_sqlite(db_path, "SELECT COUNT(*) FROM documents") == before


def test_serve_refuses_a_missing_file(tmp_path: Path, runner: CliRunner) -> None:
    missing = tmp_path / "none.db"
    result = runner.invoke(cli, ["serve", "--db", str(missing)])
    assert result.exit_code == 1 and f"{missing}: no such database file" in result.output
    assert not missing.exists()


def test_sql_page_reads_through_docstore_query(db_path: Path) -> None:
    ok, refused, empty = fetch(
        db_path,
        "/-/docstore/sql?" + urlencode({"sql": "SELECT name, type FROM entities ORDER BY id"}),
        "/-/docstore/sql?" + urlencode({"sql": "DELETE FROM documents"}),
        "/-/docstore/sql",
    )
    assert ok.status_code == 200 and "<th>name</th>" in ok.text and "<td>Belarus</td>" in ok.text
    assert (
        refused.status_code == 400 and "query refused: docstore query is read-only" in refused.text
    )
    assert empty.status_code == 200 and "<textarea" in empty.text
    assert read_sqlite(db_path, "SELECT COUNT(*) FROM documents") == [(1,)]


def test_serve_says_how_to_install_datasette(
    db_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)
    with pytest.raises(DatabaseError, match=re.escape(INSTALL_HINT)):
        check_datasette()
    result = runner.invoke(cli, ["serve", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {INSTALL_HINT}"


def test_serve_binds_to_localhost_by_default(runner: CliRunner) -> None:
    assert ServeOptions().host == "127.0.0.1"
    result = runner.invoke(cli, ["serve", "--help"])
    assert "[default: 127.0.0.1]" in result.output


def test_bench_web_runs(db_path: Path) -> None:
    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_web.py"
    proc = subprocess.run(
        [sys.executable, str(bench), "--db", str(db_path), "--repeat", "1", "--markdown"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "entity page, most frequent (Belarus)" in proc.stdout
    assert "plain sqlite3 (baseline)" in proc.stdout and "| what |" in proc.stdout
