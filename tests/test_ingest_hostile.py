"""Hostile input is contained: deep nesting, lone surrogates, odd file names and pages
without an article each give one error line for that file or row, and the run goes on."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from helpers import query_db as query

from docstore.cli import cli

GOOD = "Good article about Minsk\nThe president of Belarus met officials in Minsk today.\n"
NAVIGATION = """<!doctype html><html><head><title>Example News - Home</title></head><body>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li></ul></nav>
<div class="headlines"><ul>
<li><a href="/a1">Minister meets counterpart in Minsk to discuss trade and energy</a></li>
<li><a href="/a2">Parliament passes budget after a long night of debate in the capital</a></li>
<li><a href="/a3">Talks on the border dispute resume next week, officials say</a></li>
</ul></div><footer><a href="/about">About us</a></footer></body></html>"""
ARTICLE_PAGE = """<!doctype html><html><head><title>Talks in Minsk</title></head><body>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li></ul></nav>
<article><h1>Talks in Minsk</h1>
<p>The president of Belarus met the visiting delegation in Minsk on Monday to discuss
trade, energy supplies and the reopening of border crossings closed since the spring.</p>
<p>Officials from both sides said that a further round of talks, on transport, would
follow in <a href="/vilnius">Vilnius</a> next month.</p></article></body></html>"""


def test_hostile_files_fail_alone_and_the_run_goes_on(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_nested.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "b_nested.jsonl").write_text(
        '{"title": "Row one", "text": "The first row has a body."}\n'
        + '{"a": ' * 100_000
        + "1"
        + "}" * 100_000
        + '\n{"title": "Row three", "text": "The third row has a body."}\n'
    )
    (folder / "c_surrogate.jsonl").write_text(
        '{"title": "Broken", "text": "A lone \\ud800 surrogate."}\n'
        '{"title": "Whole", "text": "This row is fine."}\n'
    )
    (folder / "d_navigation.html").write_text(NAVIGATION)
    (folder / "e_article.html").write_text(ARTICLE_PAGE)
    (folder / os.fsdecode(b"f_bad\xffname.txt")).write_text(GOOD)
    (folder / "g_new\nline.txt").write_text("")
    (folder / "z_good.txt").write_text(GOOD)

    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", db_url])

    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    expected = [
        "a_nested.json: nested too deeply",
        "b_nested.jsonl, row 2: nested too deeply",
        "c_surrogate.jsonl, row 1: a lone surrogate",
        "d_navigation.html: no article text found",
        "f_bad\\xffname.txt: the file name is not valid UTF-8",
        "g_new\\nline.txt: empty file",
    ]
    assert len(errors) == len(expected), errors
    for line, wanted in zip(errors, expected, strict=True):
        assert wanted in line, (wanted, line)
    titles = {t for (t,) in query(db_url, "SELECT title FROM documents")}
    assert titles == {"Row one", "Row three", "Whole", "Talks in Minsk", "Good article about Minsk"}
    (status,) = query(db_url, "SELECT status FROM ingest_runs")[0]
    assert status == "failed"
    logged = [e for (e,) in query(db_url, "SELECT error FROM ingest_errors ORDER BY id")]
    assert len(logged) == len(expected)
    assert all("\n" not in e for e in logged)
