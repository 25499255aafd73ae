"""HTML pages through trafilatura: main text as passages, metadata from the page itself."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from docstore.article import Article, layout
from docstore.readers import ReaderError, ReadOptions, read_bytes, read_file

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "tests" / "corpus" / "raw"
ARTICLES = ROOT / "tests" / "corpus" / "articles"
DATA = ROOT / "tests" / "data" / "readers"


def norm(text: str) -> str:
    return " ".join(text.split())


def read_html(path: Path) -> Article:
    results = list(read_file(path))
    assert len(results) == 1
    article = results[0]
    assert isinstance(article, Article), article
    return article


def article_lines(prefix: str) -> list[str]:
    path = next(ARTICLES.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize(
    ("page", "prefix", "iso", "url"),
    [
        (
            "kremlin_62752.html",
            "12",
            "2020-02-07T15:30",
            "http://en.kremlin.ru/events/president/news/62752",
        ),
        (
            "kremlin_63893.html",
            "14",
            "2020-08-15T14:30",
            "http://en.kremlin.ru/events/president/news/63893",
        ),
    ],
)
def test_kremlin_pages_match_text_articles(page: str, prefix: str, iso: str, url: str) -> None:
    article = read_html(RAW / page)
    lines = article_lines(prefix)
    assert article.title == lines[0]
    assert article.published_at == iso
    assert [norm(b.text) for b in article.blocks] == [norm(line) for line in lines[2:]]
    assert article.url == url
    assert article.publisher == "President of Russia"
    assert article.language == "en"
    assert article.source == str(RAW / page)


def test_kremlin_dateline_is_the_pages_own() -> None:
    article = read_html(RAW / "kremlin_62752.html")
    assert article.dateline == "February 7, 2020, 15:30"
    laid = layout(article)
    assert [p.kind for p in laid.passages[:2]] == ["title", "dateline"]
    assert laid.passages[1].text == article.dateline


def test_kremlin_boilerplate_is_left_out() -> None:
    body = layout(read_html(RAW / "kremlin_62752.html")).body
    for boilerplate in (
        "President of Russia",  # site name, title suffix
        "Official Internet Resources",  # sidebar
        "Send by email",  # sharing widget
        "Publication status",  # footer
        "Krasnaya Polyana",  # place line in the header
        "With President of the Republic of Belarus Alexander Lukashenko.",  # photo caption
    ):
        assert boilerplate not in body.replace("President of Russia Vladimir Putin", "")


def test_structured_page() -> None:
    article = read_html(DATA / "structured.html")
    assert article.title == "Ministers agree on grain corridor"
    assert article.published_at == "2021-03-04T09:15:00+01:00"
    assert article.dateline == "4 March 2021, 09:15"
    assert article.url == "https://news.example.org/2021/03/grain-corridor"
    assert article.publisher == "Example Courier"
    assert article.author == "Jane Doe"
    assert article.language == "en"
    kinds = [(b.kind, b.text.split()[0]) for b in article.blocks]
    assert kinds == [
        ("paragraph", "Foreign"),
        ("paragraph", "The"),
        ("heading", "What"),
        ("list_item", "Safe"),
        ("list_item", "Inspections"),
        ("list_item", "A"),
        ("quote", "This"),
        ("paragraph", "Critics"),
    ]
    body = layout(article).body
    for boilerplate in ("World news", "Most read", "Celebrity chef", "Copyright", "Cargo ships"):
        assert boilerplate not in body


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


PARAGRAPHS = "".join(
    f"<p>Paragraph number {i} of the report says something substantial about the talks "
    f"held in the capital this week, with several more words to make it count.</p>"
    for i in range(1, 5)
)


def test_site_suffix_is_stripped_from_title() -> None:
    head = (
        "<title>Talks in Minsk • President of Russia</title>"
        '<meta property="og:site_name" content="President of Russia">'
    )
    [article] = list(read_bytes(page(f"<article>{PARAGRAPHS}</article>", head), "a.html"))
    assert isinstance(article, Article)
    assert article.title == "Talks in Minsk"


def test_relative_canonical_falls_back_to_og_url() -> None:
    head = (
        '<title>Talks</title><link rel="canonical" href="62752.html">'
        '<meta property="og:url" content="https://example.org/news/1">'
    )
    [article] = list(read_bytes(page(f"<article>{PARAGRAPHS}</article>", head), "a.html"))
    assert isinstance(article, Article)
    assert article.url == "https://example.org/news/1"


def test_line_breaks_inside_a_paragraph_split_blocks() -> None:
    body = f"<article><h1>Poem</h1>{PARAGRAPHS}<p>First line<br>second line<br/>third</p></article>"
    [article] = list(read_bytes(page(body), "a.html"))
    assert isinstance(article, Article)
    assert [b.text for b in article.blocks[-3:]] == ["First line", "second line", "third"]


def test_declared_legacy_charset() -> None:
    text = "Президент Беларуси Александр Лукашенко провёл переговоры с Владимиром Путиным в Сочи."
    html = (
        "<!DOCTYPE html><html><head><meta charset='windows-1251'><title>Переговоры</title>"
        f"</head><body><article><p>{text}</p><p>{text} Ещё раз.</p></article></body></html>"
    )
    [article] = list(read_bytes(html.encode("cp1251"), "ru.html"))
    assert isinstance(article, Article)
    assert article.title == "Переговоры"
    assert article.blocks[0].text == text


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (b"<html><body></body></html>", "no article text"),
        (b"<html><head><title>Only a title</title></head><body></body></html>", "no article text"),
        (b"   \n  ", "whitespace"),
        (b"", "empty file"),
        (b"<html>\x00\x01\x02</html>", "binary"),
    ],
)
def test_bad_pages(html: bytes, reason: str) -> None:
    [result] = list(read_bytes(html, "bad.html"))
    assert isinstance(result, ReaderError)
    assert reason in str(result) and str(result).startswith("bad.html: ")


def test_title_without_body() -> None:
    html = page(
        "<article><p>A single paragraph that will have to serve as the title.</p></article>"
    )
    [result] = list(read_bytes(html, "t.html"))
    assert isinstance(result, ReaderError)
    assert "title but no article text" in result.reason


def test_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    for path in sorted(RAW.glob("*.html")):
        read_html(path)
    head = '<base href="http://example.org/"><link rel="canonical" href="http://example.org/a">'
    list(
        read_bytes(
            page(f"<article>{PARAGRAPHS}<img src='http://example.org/x.jpg'></article>", head),
            "n.html",
        )
    )


def test_format_option_reads_html_from_any_name() -> None:
    data = (RAW / "kremlin_63893.html").read_bytes()
    [article] = list(read_bytes(data, "page.bin", ReadOptions(format="html")))
    assert isinstance(article, Article)
    assert article.title.startswith("Telephone conversation")
