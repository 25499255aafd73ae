"""The plain-text layout, format detection and every bad-input path of `read_file`."""

from __future__ import annotations

from pathlib import Path

import pytest

from docstore.article import Article, layout
from docstore.readers import (
    EXTENSIONS,
    FORMATS,
    ReaderError,
    ReadOptions,
    detect_format,
    is_supported,
    read_bytes,
    read_file,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))
ARTICLES = sorted((ROOT / "tests" / "corpus" / "articles").glob("*.txt"))


def only(items: list[Article | ReaderError]) -> Article | ReaderError:
    assert len(items) == 1
    return items[0]


def read_one(path: Path, options: ReadOptions | None = None) -> Article | ReaderError:
    return only(list(read_file(path, options)))


def error_for(data: bytes, name: str = "doc.txt", **opts: object) -> str:
    result = only(list(read_bytes(data, name, ReadOptions(**opts))))  # type: ignore[arg-type]
    assert isinstance(result, ReaderError), result
    assert "\n" not in str(result)
    assert str(result).startswith(f"{name}: ")
    return result.reason


def test_seed_gives_fourteen_passages() -> None:
    article = read_one(SEED)
    assert isinstance(article, Article)
    laid = layout(article)
    kinds = [p.kind for p in laid.passages]
    assert len(kinds) == 14
    assert kinds[:2] == ["title", "dateline"]
    assert kinds.count("paragraph") == 9
    assert kinds.count("list_item") == 3
    assert article.published_at == "2016-04-07T20:47"


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name[:2])
def test_corpus_articles(path: Path) -> None:
    article = read_one(path)
    assert isinstance(article, Article)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert article.title == lines[0]
    assert article.dateline == lines[1]
    assert article.published_at is not None
    assert [b.text for b in article.blocks] == lines[2:]
    laid = layout(article)
    assert laid.body == "\n".join(lines)
    for p in laid.passages:
        assert laid.body[p.char_start : p.char_end] == p.text


def test_kremlin_dateline_with_time() -> None:
    article = read_one(ARTICLES[[p.name[:2] for p in ARTICLES].index("12")])
    assert isinstance(article, Article)
    assert (article.dateline, article.published_at) == (
        "7 February 2020, 15:30",
        "2020-02-07T15:30",
    )
    kinds = {b.text: b.kind for b in article.blocks}
    assert kinds["Beginning of Russian-Belarusian talks"] == "heading"


def test_whitespace_inside_lines_is_collapsed() -> None:
    article = only(list(read_bytes(b"Title\tline\n\n  A  body\xc2\xa0line.  \r\n", "a.txt")))
    assert isinstance(article, Article)
    assert article.title == "Title line"
    assert [b.text for b in article.blocks] == ["A body line."]


def test_no_dateline_when_line_two_is_text() -> None:
    article = only(list(read_bytes(b"Title\nFirst paragraph.\nSecond.", "a.txt")))
    assert isinstance(article, Article)
    assert article.dateline is None and article.published_at is None
    assert len(article.blocks) == 2


# --- bad input ---------------------------------------------------------------------------


def test_empty_file() -> None:
    assert error_for(b"") == "empty file"


def test_whitespace_only() -> None:
    assert "only whitespace" in error_for(b" \n\t\r\n ")
    assert "only whitespace" in error_for("\u00a0\n".encode())


def test_title_without_body() -> None:
    assert "title but no body" in error_for(b"Just a title\n")
    assert "title but no body" in error_for(b"Just a title\n7 April 2016, 20:47\n")


def test_binary_content() -> None:
    assert "binary" in error_for(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Title\n" + "word " * 100, encoding="utf-8")
    result = read_one(path, ReadOptions(max_bytes=100))
    assert isinstance(result, ReaderError)
    assert "over the --max-bytes limit" in str(result) and str(path) in str(result)
    assert "max-bytes" in error_for(b"x" * 101, max_bytes=100)


def test_missing_path(tmp_path: Path) -> None:
    result = read_one(tmp_path / "nope.txt")
    assert isinstance(result, ReaderError)
    assert str(result) == f"{tmp_path / 'nope.txt'}: no such file"


def test_directory(tmp_path: Path) -> None:
    result = read_one(tmp_path)
    assert isinstance(result, ReaderError)
    assert "is a directory" in result.reason


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\nBody.", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = read_one(path)
    assert isinstance(result, ReaderError)
    assert str(result) == f"{path}: permission denied"


def test_unknown_format_option() -> None:
    assert "unknown format" in error_for(b"Title\nBody.", format="rtf")


# --- format detection ----------------------------------------------------------------------


def test_extensions_and_formats() -> None:
    assert set(EXTENSIONS.values()) == set(FORMATS)
    assert is_supported(Path("a.HTML")) and is_supported(Path("a.pdf"))
    assert not is_supported(Path("a.rtf"))


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("a.txt", b"<html><body>x</body></html>", "text"),
        ("a.csv", b"[1]", "csv"),
        ("noext", b"<!DOCTYPE html><html></html>", "html"),
        ("noext", b"\xef\xbb\xbf  <html lang=en>", "html"),
        ("noext", b"<div><p>Hello</p></div>", "html"),
        ("noext", "<!doctype html><p>x</p>".encode("utf-16"), "html"),
        ("noext", b'[{"text": "x"}]', "json"),
        ("noext", b'{"text": "x"}\n{"text": "y"}\n', "jsonl"),
        ("noext", b'{\n  "articles": []\n}', "json"),
        ("noext", b"Title\nSome text.", "text"),
        ("feed.NDJSON", b"", "jsonl"),
        ("noext", b"%PDF-1.4\n%\xe2\xe3", "pdf"),
        ("noext", b"PK\x03\x04....[Content_Types].xml....word/document.xml", "docx"),
        ("noext", b"PK\x03\x04....data.csv", "text"),
    ],
)
def test_detect_format(name: str, data: bytes, fmt: str) -> None:
    assert detect_format(Path(name), data) == fmt


def test_format_option_overrides_extension() -> None:
    data = b"title,text\nHello,Body one.\n"
    as_text = only(list(read_bytes(data, "a.txt")))
    assert isinstance(as_text, Article) and as_text.title == "title,text"
    as_csv = only(list(read_bytes(data, "a.txt", ReadOptions(format="csv"))))
    assert isinstance(as_csv, Article) and as_csv.title == "Hello"
