"""docstore serve as a person uses it: the real command, headless Chromium, the entity,
document and search pages, no console errors and no request leaving the server.

Needs Debian's `chromium` (`.ci/run` installs it when absent; elsewhere `apt-get install
chromium`, or set DOCSTORE_CHROMIUM to another Chromium binary). Playwright drives it; no
browser is downloaded. Screenshots go to test-output/browser/ (not committed).
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED
from helpers import DOCSTORE, read_sqlite

from docstore.store import Store

CHROMIUM = os.environ.get("DOCSTORE_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "test-output" / "browser"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`docstore serve` on a database holding the seed, started as a user would."""
    db = tmp_path_factory.mktemp("browser") / "docstore.db"
    with Store(str(db)) as store:
        assert store.ingest([SEED]).added == 1
    port = _free_port()
    proc = subprocess.Popen(
        [DOCSTORE, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/docstore", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"docstore serve did not start: {proc.communicate()[0]}")
                time.sleep(0.2)
        yield base, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_entity_document_and_search_pages_in_chromium(server: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, db = server
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM}: no Chromium (apt-get install chromium, or set DOCSTORE_CHROMIUM)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    outside: list[str] = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1200, "height": 900},
        )
        page = browser.new_page()
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))

        # The start page's entity box leads to the entity page of Belarus.
        page.goto(base + "/-/docstore")
        page.fill('input[name="name"]', "Belarus")
        page.click("text=Open entity")
        page.wait_for_url("**/-/docstore/entity/*")
        assert page.inner_text("h1").startswith("Belarus")
        assert "country:by" in page.inner_text(".ds-facts")
        _assert_drawn(page, "svg.ds-timeline rect.ds-bar", 1)
        _assert_drawn(page, "svg.ds-ranked rect.ds-bar", 5)
        assert "United States" in page.inner_text("#mentioned-with")
        assert "visited Belarus" in page.inner_text("#statements")
        page.screenshot(path=str(SHOTS / "entity-page.png"), full_page=True)

        # Its document, with every mention highlighted and linked.
        page.click("#documents a")
        page.wait_for_url("**/-/docstore/document/*")
        mentions = read_sqlite(db, "SELECT COUNT(*) FROM mentions")[0][0]
        assert page.locator("article a.ds-mention").count() == mentions
        assert page.locator("article mark.ds-evidence").count() > 0
        assert page.locator(".ds-kind-dateline").count() == 1
        page.screenshot(path=str(SHOTS / "document-page.png"), full_page=True)
        page.click("article a.ds-mention >> text=Lukashenka")
        page.wait_for_url("**/-/docstore/entity/*")
        assert "Lukashenko" in page.inner_text("h1")

        # Search from the form, with highlighted snippets.
        page.goto(base + "/-/docstore/search")
        page.fill('input[name="q"]', "military attachés")
        page.click("button:has-text('Search')")
        page.wait_for_url("**/-/docstore/search?q=*")
        marks = page.locator(".ds-hit mark")
        assert marks.count() >= 1 and "military" in marks.first.inner_text().lower()
        page.screenshot(path=str(SHOTS / "search-page.png"), full_page=True)
        browser.close()
    assert problems == []
    assert outside == []


def _assert_drawn(page: Any, selector: str, at_least: int) -> None:
    bars = page.locator(selector)
    assert bars.count() >= at_least, selector
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, selector
