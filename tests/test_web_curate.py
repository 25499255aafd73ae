"""Curation in the browser: off without --curate; with it, a login token, Datasette's actor
cookie, CSRF-checked POSTs, and judgements recorded under the logged-in name."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from helpers import read_sqlite

from docstore.db import resolve_url
from docstore.store import Store
from docstore.web import plugin
from docstore.web.app import ServeOptions, make_datasette


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "curate.db"
    with Store(str(path)) as store:
        assert store.ingest([SEED]).added == 1
    return path


def _csrf(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def test_curation_with_login_csrf_and_author(db_path: Path) -> None:
    ds = make_datasette(resolve_url(str(db_path)), ServeOptions(curate=True))
    state = plugin.state_of(ds)
    assert state is not None and state.curate is not None
    token = state.curate.token
    statement, doc, start, end = read_sqlite(
        db_path,
        "SELECT id, document_id, char_start, char_end FROM statements WHERE predicate = 'visit'",
    )[0]
    carpenter = read_sqlite(db_path, "SELECT id FROM entities WHERE key LIKE '%carpenter%'")[0][0]
    belarus = read_sqlite(db_path, "SELECT id FROM entities WHERE key = 'country:by'")[0][0]
    minsk = read_sqlite(db_path, "SELECT id FROM entities WHERE name = 'Minsk'")[0][0]

    async def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        c = ds.client
        out["bad_token"] = await c.get("/-/docstore/login?token=nope")
        out["form"] = await c.get(f"/-/docstore/login?token={token}")
        login = await c.get(f"/-/docstore/login?token={token}&name=alice")
        out["login"] = login
        actor = login.cookies["ds_actor"]
        out["anonymous_page"] = await c.get(f"/-/docstore/entity/{belarus}")
        page = await c.get(f"/-/docstore/entity/{belarus}", cookies={"ds_actor": actor})
        out["page"] = page
        csrf_cookie = page.cookies.get("ds_csrftoken")
        cookies = {"ds_actor": actor, "ds_csrftoken": csrf_cookie}
        form = {"csrftoken": _csrf(page.text), "next": f"/-/docstore/entity/{belarus}"}
        out["no_csrf"] = await c.post(
            f"/-/docstore/curate/statement/{statement}/reject", data={}, cookies=cookies
        )
        out["no_actor"] = await c.post(
            f"/-/docstore/curate/statement/{statement}/reject", data={"csrftoken": "x"}
        )
        out["reject"] = await c.post(
            f"/-/docstore/curate/statement/{statement}/reject", data=form, cookies=cookies
        )
        out["retype"] = await c.post(
            f"/-/docstore/curate/entity/{carpenter}/retype",
            data={**form, "type": "organization"},
            cookies=cookies,
        )
        out["bad_type"] = await c.post(
            f"/-/docstore/curate/entity/{carpenter}/retype",
            data={**form, "type": "planet"},
            cookies=cookies,
        )
        out["merge"] = await c.post(
            f"/-/docstore/curate/entity/{belarus}/merge",
            data={**form, "other": "Baltic states"},
            cookies=cookies,
        )
        out["merge_self"] = await c.post(
            f"/-/docstore/curate/entity/{belarus}/merge",
            data={**form, "other": "country:by"},
            cookies=cookies,
        )
        out["reject_entity"] = await c.post(
            f"/-/docstore/curate/entity/{minsk}/reject",
            data={**form, "next": "/-/docstore/", "note": "testing"},
            cookies=cookies,
        )
        out["get_post_route"] = await c.get(f"/-/docstore/curate/entity/{minsk}/reject")
        messages = out["retype"].cookies.get("ds_messages")
        out["after"] = await c.get(
            f"/-/docstore/entity/{carpenter}", cookies={**cookies, "ds_messages": messages}
        )
        return out

    r = asyncio.run(run())
    assert r["bad_token"].status_code == 403
    assert r["form"].status_code == 200 and 'name="name"' in r["form"].text
    assert r["login"].status_code == 302 and r["login"].headers["location"] == "/-/docstore"
    assert "Log in with the link" in r["anonymous_page"].text
    assert "/curate/entity/" not in r["anonymous_page"].text
    assert f"/-/docstore/curate/entity/{belarus}/merge" in r["page"].text
    assert f"/-/docstore/curate/statement/{statement}/reject" in r["page"].text
    assert r["no_csrf"].status_code == 403  # Datasette's CSRF check
    assert r["no_actor"].status_code == 403 and "log in first" in r["no_actor"].text
    assert r["reject"].status_code == 302
    assert r["reject"].headers["location"] == f"/-/docstore/entity/{belarus}"
    assert r["retype"].status_code == 302
    assert r["bad_type"].status_code == 400 and "is not one of" in r["bad_type"].text
    # by its identity: the retype re-extracted the document, which renumbers its statements
    assert read_sqlite(
        db_path,
        "SELECT status FROM statements WHERE predicate = 'visit'"
        f" AND document_id = {doc} AND char_start = {start} AND char_end = {end}",
    ) == [("rejected",)]
    assert read_sqlite(db_path, f"SELECT type FROM entities WHERE id = {carpenter}") == [
        ("organization",)
    ]
    judged = read_sqlite(db_path, "SELECT kind, author FROM judgements ORDER BY id")
    assert judged == [
        ("statement_reject", "alice"),
        ("entity_retype", "alice"),
        ("entity_merge", "alice"),
        ("entity_reject", "alice"),
    ]
    assert r["merge"].status_code == 302
    assert r["merge_self"].status_code == 400 and "into itself" in r["merge_self"].text
    assert r["reject_entity"].status_code == 302
    assert r["reject_entity"].headers["location"] == "/-/docstore/"
    assert read_sqlite(db_path, f"SELECT COUNT(*) FROM mentions WHERE entity_id = {minsk}") == [
        (0,)
    ]
    assert r["get_post_route"].status_code == 405
    assert "by alice: type set to organization" in r["after"].text  # the message shown once


def test_no_writes_without_curate(db_path: Path) -> None:
    ds = make_datasette(resolve_url(str(db_path)))
    statement = read_sqlite(db_path, "SELECT id FROM statements LIMIT 1")[0][0]

    async def run() -> list[Any]:
        return [
            await ds.client.get("/-/docstore/login?token=anything"),
            await ds.client.post(f"/-/docstore/curate/statement/{statement}/reject", data={}),
            await ds.client.get("/-/docstore/entity/1"),
        ]

    login, post, page = asyncio.run(run())
    assert login.status_code == 404 and "curation is off" in login.text
    assert post.status_code == 403 and "writes are off" in post.text
    assert "Curate" not in page.text and "csrftoken" not in page.text.split("<section")[1]
    assert read_sqlite(db_path, "SELECT COUNT(*) FROM judgements") == [(0,)]
    assert read_sqlite(db_path, "SELECT COUNT(*) FROM statements WHERE status = 'rejected'") == [
        (0,)
    ]
