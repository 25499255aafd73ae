"""`docstore ingest -` reads one document from standard input; `docstore ingest URL`
fetches a web page from a local HTTP server (never the network) and stores its URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import query_db as query

from docstore.cli import cli

PAGE = b"""<!doctype html><html lang="en"><head><title>Talks in Minsk</title>
<meta property="og:site_name" content="Example News"></head><body>
<article><h1>Talks in Minsk</h1>
<p>The president of Belarus met the visiting delegation in Minsk on Monday to discuss
trade, energy supplies and the reopening of border crossings closed since the spring.</p>
<p>Officials from both sides said a further round of talks would follow in Vilnius.</p>
</article></body></html>"""
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/news/talks")
            self.end_headers()
            return
        if self.path == "/news/talks":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/big":
            self._send(200, "text/html", PAGE + b"<!--" + b"x" * 200_000 + b"-->")
        elif self.path == "/data.json":
            self._send(200, "application/json", b'[{"title": "a", "text": "b"}]')
        else:
            self._send(404, "text/html", b"<html><body>not here</body></html>")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_url_is_fetched_following_redirects(server: str, db_url: str) -> None:
    SEEN_AGENTS.clear()
    result = CliRunner().invoke(cli, ["ingest", f"{server}/old", "--db", db_url])
    assert result.exit_code == 0, result.output
    rows = query(db_url, "SELECT source, url, title, publisher FROM documents")
    assert rows == [(f"{server}/old", f"{server}/news/talks", "Talks in Minsk", "Example News")]
    assert SEEN_AGENTS and all(agent.startswith("docstore/") for agent in SEEN_AGENTS)
    # Fetching it again is the same content: skipped.
    again = CliRunner().invoke(cli, ["ingest", f"{server}/news/talks", "--db", db_url])
    assert again.exit_code == 0 and "0 added, 1 skipped" in again.stdout


def test_bad_urls_fail_alone(server: str, tmp_path: Path, sqlite_path: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good article\nThe president of Belarus met officials in Minsk.\n")
    result = CliRunner().invoke(
        cli,
        [
            "ingest",
            f"{server}/missing",
            f"{server}/data.json",
            f"{server}/big",
            "http://127.0.0.1:9/closed",
            str(good),
            "--max-bytes",
            "100000",
            "--db",
            sqlite_path,
        ],
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {server}/missing: HTTP 404 Not Found",
        f"error: {server}/data.json: not an HTML page (Content-Type: application/json)",
        f"error: {server}/big: page is larger than the --max-bytes limit of 100,000 bytes",
        errors[3],
    ]
    assert errors[3].startswith("error: http://127.0.0.1:9/closed: could not be fetched")
    assert "1 added, 0 skipped, 4 failed" in result.stdout


def test_stdin(db_url: str) -> None:
    text = "From standard input\nThe president of Belarus met officials in Minsk.\n"
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", db_url], input=text)
    assert result.exit_code == 0, result.output
    assert query(db_url, "SELECT source, title FROM documents") == [
        ("<stdin>", "From standard input")
    ]
    html = CliRunner().invoke(
        cli, ["ingest", "-", "--format", "html", "--db", db_url], input=PAGE.decode()
    )
    assert html.exit_code == 0, html.output
    assert ("Talks in Minsk",) in query(db_url, "SELECT title FROM documents")
    empty = CliRunner().invoke(cli, ["ingest", "-", "--db", db_url], input="")
    assert empty.exit_code == 1 and "error: <stdin>: empty file" in empty.stderr
