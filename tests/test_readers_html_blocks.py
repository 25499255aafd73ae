"""HTML blocks trafilatura returns outside paragraphs: text after an element (its tail),
`<div>` blocks, tables (one `table` passage per row), and the standfirst kept apart."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from helpers import query_db as query

from docstore.cli import cli
from docstore.readers import Article, ReadOptions, read_file
from docstore.readers.html import _blocks

PAGE = Path(__file__).resolve().parent / "data" / "readers" / "budget_table_tail_div.html"
LEAD = "Ministers agreed a budget framework after two days of talks in the capital on Monday."


def read(options: ReadOptions | None = None) -> Article:
    [article] = list(read_file(PAGE, options))
    assert isinstance(article, Article), article
    return article


def test_tails_tables_divs_and_standfirst() -> None:
    article = read()
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("standfirst", LEAD),
        ("heading", "Figures"),
        ("paragraph", "Text after the heading element, as a tail, about the numbers agreed."),
        (
            "paragraph",
            "The finance minister said the deficit would narrow next year, and that "
            "spending on roads and schools would rise.",
        ),
        ("table", "Item | 2020 | 2021"),
        ("table", "Roads | 1.2 | 1.5"),
        ("table", "Schools | 2.0 | 2.4"),
        (
            "paragraph",
            "A closing paragraph written in a div, with enough words to count as article "
            "text for the extractor.",
        ),
    ]


def test_no_standfirst() -> None:
    article = read(ReadOptions(standfirst=False))
    assert article.blocks[0].kind == "heading"
    assert all(LEAD not in b.text for b in article.blocks)


def test_div_as_trafilatura_fallback_returns_it() -> None:
    """The fallback's one `<div>` of text (with line breaks and inline markup) is read."""
    from lxml import etree

    body = etree.fromstring(
        "<body><div>First line of the fallback text.<lb/>Second line, <hi>marked</hi> "
        "up.<p>A paragraph inside.</p>Its tail.</div></body>"
    )
    flat = etree.fromstring("<body><div>Only text here.<lb/>And a second line.</div></body>")
    assert [(b.kind, b.text) for b in _blocks(body)] == [
        ("paragraph", "First line of the fallback text."),
        ("paragraph", "Second line, marked up."),
        ("paragraph", "A paragraph inside."),
        ("paragraph", "Its tail."),
    ]
    assert [b.text for b in _blocks(flat)] == ["Only text here.", "And a second line."]


def test_table_and_standfirst_passages_are_stored(db_url: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(PAGE), "--db", db_url])
    assert result.exit_code == 0, result.output
    kinds = dict(query(db_url, "SELECT kind, count(*) FROM passages GROUP BY kind"))
    assert kinds["table"] == 3 and kinds["standfirst"] == 1
    rows = query(
        db_url,
        "SELECT p.text, substr(d.body, p.char_start + 1, p.char_end - p.char_start) "
        "FROM passages p JOIN documents d ON d.id = p.document_id "
        "WHERE p.kind = 'table' ORDER BY p.seq",
    )
    assert [a for a, b in rows if a == b] == [
        "Item | 2020 | 2021",
        "Roads | 1.2 | 1.5",
        "Schools | 2.0 | 2.4",
    ]
