"""CSV, JSON and JSON Lines corpora: one article per row, errors per row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from docstore.article import Article, layout
from docstore.readers import ReaderError, ReadOptions, read_bytes, read_file

ROOT = Path(__file__).resolve().parent.parent
WIKINEWS = ROOT / "tests" / "corpus" / "wikinews"
ARTICLES = ROOT / "tests" / "corpus" / "articles"

BODY = "First paragraph of the story.\n\nSecond paragraph, with more detail."


def read(data: bytes | str, name: str, **opts: object) -> list[Article | ReaderError]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(read_bytes(raw, name, ReadOptions(**opts)))  # type: ignore[arg-type]


def articles(results: list[Article | ReaderError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def errors(results: list[Article | ReaderError]) -> list[ReaderError]:
    return [r for r in results if isinstance(r, ReaderError)]


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


# --- the Wikinews corpus -------------------------------------------------------------------


def test_wikinews_2019() -> None:
    results = list(read_file(WIKINEWS / "wikinews_2019.csv"))
    assert len(results) == 171
    docs = articles(results)
    assert len(docs) == 171
    assert all(d.published_at and len(d.published_at) == 10 for d in docs)
    assert all(d.url and d.url.startswith("https://en.wikinews.org/") for d in docs)
    first = docs[0]
    assert first.dateline == "Friday, January 4, 2019"
    assert first.published_at == "2019-01-04"
    assert first.extra["row"] == "1"
    assert first.source == str(WIKINEWS / "wikinews_2019.csv")
    assert not first.blocks[0].text.startswith("Friday")
    assert sum(1 for d in docs if d.dateline) > 150


def test_wikinews_2020() -> None:
    results = list(read_file(WIKINEWS / "wikinews_2020.csv"))
    assert len(results) == 124
    [bad] = errors(results)
    # a test page whose text is only a dateline
    assert bad.row == 104 and "no body text" in bad.reason
    assert all(d.published_at for d in articles(results))


@pytest.mark.parametrize(
    ("csv_name", "row", "prefix"),
    [
        ("wikinews_2019.csv", 104, "05"),
        ("wikinews_2019.csv", 123, "06"),
        ("wikinews_2020.csv", 12, "11"),
        ("wikinews_2020.csv", 80, "13"),
        ("wikinews_2020.csv", 85, "15"),
        ("wikinews_2020.csv", 91, "16"),
    ],
)
def test_rows_match_text_articles(csv_name: str, row: int, prefix: str) -> None:
    doc = list(read_file(WIKINEWS / csv_name))[row - 1]
    assert isinstance(doc, Article)
    assert doc.extra["row"] == str(row)
    lines = next(ARTICLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").split("\n")
    assert doc.title == lines[0]
    assert [b.text for b in doc.blocks] == lines[2:]
    assert doc.published_at is not None and doc.published_at[:4] == csv_name[9:13]


# --- CSV -----------------------------------------------------------------------------------


def test_csv_fields_case_insensitive_with_extras() -> None:
    data = to_csv(
        [
            ["Headline", "Body", "Published_At", "Link", "Byline", "Source", "Lang"],
            ["A title", BODY, "2021-05-06 10:00", "https://e.org/1", "Jo Roe", "Courier", "EN"],
        ]
    )
    [doc] = read(data, "x.csv")
    assert isinstance(doc, Article)
    assert doc.title == "A title"
    assert [b.text for b in doc.blocks] == BODY.replace("\n\n", "\n").split("\n")
    assert (doc.published_at, doc.url, doc.author, doc.publisher, doc.language) == (
        "2021-05-06T10:00",
        "https://e.org/1",
        "Jo Roe",
        "Courier",
        "en",
    )


def test_field_options() -> None:
    data = to_csv([["h", "story", "when", "where"], ["T", BODY, "3 August 2020", "http://x/y"]])
    opts = {"title_field": "H", "text_field": "story", "date_field": "when", "url_field": "where"}
    [doc] = read(data, "x.csv", **opts)
    assert isinstance(doc, Article)
    assert (doc.title, doc.published_at, doc.url) == ("T", "2020-08-03", "http://x/y")


def test_missing_text_field_option() -> None:
    [err] = read(to_csv([["title", "text"], ["T", BODY]]), "x.csv", text_field="story")
    assert isinstance(err, ReaderError) and "no field 'story'" in err.reason


def test_no_text_column() -> None:
    [err] = read(to_csv([["title", "summary"], ["T", BODY]]), "x.csv")
    assert isinstance(err, ReaderError) and "no text field" in err.reason and err.row is None


def test_row_without_text_and_others_still_read() -> None:
    data = to_csv([["title", "text"], ["One", BODY], ["Two", "  "], ["Three", BODY]])
    results = read(data, "x.csv")
    assert [type(r).__name__ for r in results] == ["Article", "ReaderError", "Article"]
    err = results[1]
    assert isinstance(err, ReaderError)
    assert str(err) == "x.csv, row 2: no text (field 'text' is empty)"
    assert [a.extra["row"] for a in articles(results)] == ["1", "3"]


def test_row_numbers_count_records_not_lines() -> None:
    data = to_csv([["title", "text"], ["One", "a\nb\nc\nd"], ["Two", ""]])
    [_, err] = read(data, "x.csv")
    assert isinstance(err, ReaderError) and err.row == 2


def test_dateline_gives_date_when_no_date_column() -> None:
    data = to_csv([["title", "text"], ["T", "Monday, August 3, 2020\n\n" + BODY]])
    [doc] = read(data, "x.csv")
    assert isinstance(doc, Article)
    assert (doc.dateline, doc.published_at) == ("Monday, August 3, 2020", "2020-08-03")
    assert [p.kind for p in layout(doc).passages[:3]] == ["title", "dateline", "paragraph"]


def test_unparseable_date_is_kept_in_extra() -> None:
    [doc] = read(to_csv([["title", "text", "date"], ["T", BODY, "sometime"]]), "x.csv")
    assert isinstance(doc, Article)
    assert doc.published_at is None and doc.extra["date"] == "sometime"


def test_no_title_column_uses_first_line() -> None:
    [doc] = read(to_csv([["text"], ["The title\nThe body."]]), "x.csv")
    assert isinstance(doc, Article) and (doc.title, doc.blocks[0].text) == (
        "The title",
        "The body.",
    )
    [err] = read(to_csv([["text"], ["Only one line"]]), "x.csv")
    assert isinstance(err, ReaderError) and "no body" in err.reason and err.row == 1


def test_unclosed_quote() -> None:
    data = f'title,text\nOne,"{BODY}"\nTwo,"never closed\n'
    results = read(data, "x.csv")
    assert isinstance(results[0], Article)
    err = results[-1]
    assert isinstance(err, ReaderError)
    assert "malformed CSV" in err.reason and str(err).startswith("x.csv: ")


def test_stray_quote() -> None:
    [err] = read('title,text\nOne,"quoted"text\n', "x.csv")
    assert isinstance(err, ReaderError) and "malformed CSV at line 2" in err.reason


def test_nul_byte_in_csv() -> None:
    [err] = read(b"title,text\nOne,Body\x00text\n", "x.csv")
    assert isinstance(err, ReaderError) and "binary" in err.reason


def test_too_many_fields() -> None:
    [err, doc] = read(f'title,text\nA,B,C\nOne,"{BODY}"\n', "x.csv")
    assert isinstance(err, ReaderError) and err.row == 1 and "3 fields" in err.reason
    assert isinstance(doc, Article)


def test_header_only() -> None:
    [err] = read("title,text\n", "x.csv")
    assert isinstance(err, ReaderError) and err.reason == "no data rows"


def test_big_field() -> None:
    body = ("word " * 60_000 + "\n") * 3
    [doc] = read(to_csv([["title", "text"], ["Big", body]]), "x.csv")
    assert isinstance(doc, Article) and len(doc.blocks) == 3


@pytest.mark.parametrize(("name", "sep"), [("x.tsv", "\t"), ("x.csv", ";"), ("x.csv", "|")])
def test_delimiters(name: str, sep: str) -> None:
    data = f"title{sep}text{sep}date\nT{sep}Body text here.{sep}2020-01-02\n"
    [doc] = read(data, name)
    assert isinstance(doc, Article) and doc.published_at == "2020-01-02"


def test_csv_with_bom_and_crlf() -> None:
    data = b'\xef\xbb\xbftitle,text\r\nOne,"Line one.\r\nLine two."\r\n'
    [doc] = read(data, "x.csv")
    assert isinstance(doc, Article) and [b.text for b in doc.blocks] == ["Line one.", "Line two."]


def test_csv_rows_stream() -> None:
    results = read_bytes(to_csv([["title", "text"], ["A", BODY], ["B", BODY]]).encode(), "x.csv")
    assert isinstance(results, Iterator)
    first = next(results)
    assert isinstance(first, Article) and first.title == "A"


# --- JSON and JSON Lines -------------------------------------------------------------------


def record(i: int, **extra: object) -> dict[str, object]:
    return {"title": f"Story {i}", "text": BODY, "date": "2020-01-0" + str(i), **extra}


def test_json_array() -> None:
    data = json.dumps([record(1), record(2, author=["A. One", "B. Two"])])
    docs = read(data, "x.json")
    assert [d.title for d in articles(docs)] == ["Story 1", "Story 2"]
    assert articles(docs)[1].author == "A. One, B. Two"
    assert articles(docs)[1].extra["row"] == "2"


def test_json_object_with_one_array() -> None:
    data = json.dumps({"meta": {"n": 2}, "articles": [record(1), record(2)]})
    assert len(articles(read(data, "x.json"))) == 2


def test_json_single_article_object() -> None:
    [doc] = read(json.dumps(record(1)), "x.json")
    assert isinstance(doc, Article) and doc.title == "Story 1"


def test_json_ambiguous_arrays() -> None:
    [err] = read(json.dumps({"a": [record(1)], "b": [record(2)]}), "x.json")
    assert isinstance(err, ReaderError) and "several arrays" in err.reason


def test_json_bad_rows() -> None:
    data = json.dumps([record(1), "just a string", {"title": "No text"}, {"text": 5}, record(5)])
    results = read(data, "x.json")
    assert [(type(r).__name__, getattr(r, "row", None)) for r in results] == [
        ("Article", None),
        ("ReaderError", 2),
        ("ReaderError", 3),
        ("ReaderError", 4),
        ("Article", None),
    ]


def test_malformed_json_names_line_and_column() -> None:
    [err] = read('[\n  {"title": "A", "text": "B"},\n  {"title": }\n]', "x.json")
    assert isinstance(err, ReaderError)
    assert "malformed JSON at line 3, column 13" in str(err) and str(err).startswith("x.json: ")


def test_json_wrong_shape() -> None:
    [err] = read("42", "x.json")
    assert isinstance(err, ReaderError) and "array of objects" in err.reason


def test_jsonl() -> None:
    lines = [json.dumps(record(1)), "", json.dumps(record(2)), "{broken", json.dumps(record(4))]
    results = read("\n".join(lines) + "\n", "x.jsonl")
    assert [type(r).__name__ for r in results] == ["Article", "Article", "ReaderError", "Article"]
    err = results[2]
    assert isinstance(err, ReaderError)
    assert err.row == 3 and "line 4, column 2" in err.reason
    assert [a.extra["row"] for a in articles(results)] == ["1", "2", "4"]


def test_jsonl_keeps_unicode_line_separators_inside_strings() -> None:
    line = json.dumps({"title": "T", "text": "One\u2028two\nthree"}, ensure_ascii=False)
    [doc] = read(line, "x.jsonl")
    assert isinstance(doc, Article) and [b.text for b in doc.blocks] == ["One", "two", "three"]


def test_json_file_holding_json_lines() -> None:
    data = json.dumps(record(1)) + "\n" + json.dumps(record(2)) + "\n"
    assert len(articles(read(data, "x.json"))) == 2


def test_wikinews_as_jsonl_round_trip(tmp_path: Path) -> None:
    with (WIKINEWS / "wikinews_2019.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:20]
    path = tmp_path / "wn.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    from_jsonl = articles(list(read_file(path)))
    from_csv = articles(list(read_file(WIKINEWS / "wikinews_2019.csv")))[:20]
    assert [layout(a).body for a in from_jsonl] == [layout(a).body for a in from_csv]
