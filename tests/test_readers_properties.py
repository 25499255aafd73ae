"""For any input, every reader yields Articles whose passages slice the body, or errors."""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docstore.article import PASSAGE_KINDS, Article, layout
from docstore.readers import ReaderError, ReadOptions, read_bytes
from docstore.readers.encoding import decode_bytes

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HTML = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that likes the awkward places: line and paragraph separators, no-break spaces,
# combining marks, quotes, delimiters, dateline-looking words.
words = st.sampled_from(
    [
        "Minsk",
        "Lukashenko’s",
        "talks.",
        "7 April 2016, 20:47",
        "Friday, January 4, 2019",
        '"quoted"',
        "a,b;c|d",
        "\t",
        " ",
        "\n",
        "\r\n",
        "\u2028",
        "\u00a0",
        "e\u0301",
        "- ",
        "1. ",
        "",
    ]
)
printable = st.characters(blacklist_categories=("Cc", "Cs"))
# Text without control characters (a few of which make a whole file "binary").
clean_text = st.one_of(
    st.text(printable, max_size=300),
    st.lists(st.one_of(words, words, st.text(printable, max_size=8)), max_size=40).map("".join),
)
messy_text = st.one_of(st.text(max_size=300), clean_text)


def check(results: list[Article | ReaderError]) -> None:
    for result in results:
        if isinstance(result, ReaderError):
            assert str(result)
            assert result.source
            continue
        assert isinstance(result, Article), result
        laid = layout(result)
        for passage in laid.passages:
            assert passage.kind in PASSAGE_KINDS
            assert passage.text, passage
            assert laid.body[passage.char_start : passage.char_end] == passage.text
            assert "\n" not in passage.text
            assert len(passage.text.splitlines()) == 1, passage
            assert not any(unicodedata.category(ch) == "Cc" for ch in passage.text), passage
        assert laid.body == unicodedata.normalize("NFC", laid.body)


def run(data: bytes, name: str, fmt: str | None = None) -> None:
    check(list(read_bytes(data, name, ReadOptions(format=fmt))))


# --- encoding layer --------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=400))
def test_decode_any_bytes(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x")
    except ReaderError as exc:
        assert str(exc).startswith("x: ")
    else:
        assert "\x00" not in text
        assert text == unicodedata.normalize("NFC", text)


@FAST
@given(
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff"),
        max_size=200,
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]),
)
def test_unicode_round_trip(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    assert decode_bytes(data, "x") == unicodedata.normalize("NFC", text)


# --- text ------------------------------------------------------------------------------------


@FAST
@given(messy_text)
def test_text_reader_any_text(text: str) -> None:
    run(text.encode("utf-8"), "a.txt")


@FAST
@given(st.binary(max_size=300))
def test_every_format_any_bytes(data: bytes) -> None:
    for fmt in ("text", "csv", "json", "jsonl"):
        run(data, "blob", fmt)


# --- HTML ------------------------------------------------------------------------------------

inline = st.lists(
    st.one_of(
        clean_text.map(lambda t: t.replace("<", "&lt;")),
        st.sampled_from(["<br>", "<b>", "</b>", "<i>x</i>", "<a href='/x'>link</a>", "&amp;"]),
    ),
    max_size=8,
).map("".join)
block = st.one_of(
    inline.map(lambda t: f"<p>{t}</p>"),
    inline.map(lambda t: f"<h2>{t}</h2>"),
    st.lists(inline, max_size=4).map(
        lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    ),
    inline.map(lambda t: f"<blockquote><p>{t}</p></blockquote>"),
    inline.map(lambda t: f"<nav>{t}</nav>"),
    inline.map(lambda t: f"<time datetime='2020-02-07'>{t}</time>"),
    inline.map(lambda t: f"<div class='content'>{t}</div>"),
    inline.map(
        lambda t: (
            "<p>The talks lasted for several hours and covered oil and gas deliveries "
            f"to Belarus, {t} the officials said after the meeting had ended.</p>"
        )
    ),
)


@HTML
@given(inline, st.lists(block, max_size=12))
def test_html_reader_any_page(title: str, blocks: list[str]) -> None:
    page = (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><article>{''.join(blocks)}</article></body></html>"
    )
    run(page.encode("utf-8"), "a.html")


@HTML
@given(messy_text)
def test_html_reader_any_text(text: str) -> None:
    run(text.encode("utf-8"), "a.html")


# --- CSV, JSON, JSON Lines -------------------------------------------------------------------

keys = st.sampled_from(["title", "Text", "body", "date", "url", "author", "source", "other"])
cell = st.one_of(
    clean_text,
    st.sampled_from(["2020-02-07", "3 August 2020", "Minsk talks", "One.\n\nTwo.\nThree."]),
)
headers = st.one_of(
    st.just(["title", "text"]),
    st.just(["url", "date", "title", "text"]),
    st.lists(keys, min_size=1, max_size=5, unique=True),
)


@FAST
@given(headers, st.lists(st.lists(cell, max_size=6), max_size=6))
def test_csv_reader_any_table(header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    run(out.getvalue().encode("utf-8"), "a.csv")


@FAST
@given(messy_text)
def test_csv_reader_any_text(text: str) -> None:
    run(("title,text\n" + text).encode("utf-8"), "a.csv")


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), messy_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(keys, st.text(max_size=5)), children, max_size=5),
    ),
    max_leaves=20,
)
json_records = st.lists(st.dictionaries(keys, st.one_of(cell, json_values), max_size=6), max_size=6)


@FAST
@given(st.one_of(json_values, json_records, json_records.map(lambda r: {"items": r})))
def test_json_reader_any_value(value: Any) -> None:
    run(json.dumps(value).encode("utf-8"), "a.json")


@FAST
@given(
    st.lists(
        st.one_of(json_values, json_records.map(lambda r: r[0] if r else {}), messy_text),
        max_size=8,
    )
)
def test_jsonl_reader_any_lines(lines: list[Any]) -> None:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    run(text.encode("utf-8"), "a.jsonl")
