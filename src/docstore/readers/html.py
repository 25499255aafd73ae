"""HTML articles: trafilatura finds the main text; the page's own markup gives metadata.

trafilatura drops menus, sidebars, footers and captions and returns the main text as
XML (`<p>`, `<head>`, `<list>/<item>`, `<quote>`), which maps onto block kinds. Metadata
the page states itself (`<time datetime>`, og:url, og:site_name) is preferred over
trafilatura's guesses. Nothing is fetched: the input is always a string, never a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from docstore.article import Article, Block
from docstore.dates import parse_date, parse_dateline
from docstore.readers.encoding import decode_text
from docstore.readers.errors import ReaderError
from docstore.readers.registry import Reader
from docstore.readers.text import clean_line

if TYPE_CHECKING:
    from lxml.etree import _Element

    from docstore.readers import ReadOptions

_KINDS = {"p": "paragraph", "head": "heading", "quote": "quote", "item": "list_item"}
_TITLE_SEPARATORS = (" • ", " | ", " - ", " – ", " — ", " :: ", " · ", " » ")
_HEADING_MAX_WORDS = 12
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date.issued",
    "dcterms.issued",
    "parsely-pub-date",
    "sailthru.date",
)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page names in `<meta charset>`, used when it is not UTF-8."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def read(data: bytes, source: str, options: ReadOptions) -> Iterator[Article | ReaderError]:
    text = decode_text(data, source, declared_charset(data))
    yield parse_html(text, source, standfirst=options.standfirst)


def looks_like_html(head: bytes) -> bool:
    return head.startswith((b"<!doctype html", b"<html", b"<head")) or (
        head.startswith(b"<") and any(tag in head for tag in (b"<body", b"<article", b"<p>"))
    )


READER = Reader("html", (".html", ".htm", ".xhtml"), read, sniff=looks_like_html)


def parse_html(text: str, source: str, standfirst: bool = True) -> Article:
    """The article of a page; `standfirst=False` leaves out the lead the page also gives as
    its description (kept otherwise as a passage of kind `standfirst`)."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        raise ReaderError(source, "not a parseable HTML document")
    page = _PageMeta(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=None,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=True,
        deduplicate=False,
    )
    body = getattr(doc, "body", None)
    blocks = list(_blocks(body)) if body is not None else []
    if page.lead:
        blocks = _with_standfirst(blocks, page.lead)
        if not standfirst:
            blocks = [b for b in blocks if b.kind != "standfirst"]

    sitename = clean_line(page.sitename or getattr(doc, "sitename", None) or "") or None
    title = _strip_site_suffix(
        page.title or clean_line(getattr(doc, "title", None) or ""), sitename
    )
    if not title and blocks:
        title, blocks = blocks[0].text, blocks[1:]
    while blocks and blocks[0].kind == "heading" and blocks[0].text.lower() == title.lower():
        blocks = blocks[1:]  # the page's <h1> repeats the title
    if not blocks:
        reason = "the page has a title but no article text" if title else "no article text found"
        raise ReaderError(source, reason)
    if _mostly_links(blocks, page.links):
        raise ReaderError(source, "no article text found (the page holds only links and menus)")

    published_at, dateline = page.published()
    if published_at is None and (guess := getattr(doc, "date", None)):
        published_at = parse_date(str(guess))
    author = clean_line(getattr(doc, "author", None) or "") or None
    return Article(
        title=title,
        blocks=blocks,
        source=source,
        dateline=dateline,
        published_at=published_at,
        url=page.url or _absolute(getattr(doc, "url", None)),
        author=author,
        publisher=sitename,
        language=page.language or "en",
    )


class _PageMeta:
    """What the page says about itself, read before trafilatura prunes the tree."""

    def __init__(self, tree: _Element) -> None:
        self.meta: dict[str, str] = {}
        for el in tree.iterfind(".//head//meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            content = el.get("content")
            if key and content and key not in self.meta:
                self.meta[key] = content.strip()
        self.times = [el for el in tree.iter("time") if el.get("datetime")]
        self.url = _absolute(_link(tree, "canonical")) or _absolute(self.meta.get("og:url"))
        self.sitename = self.meta.get("og:site_name") or self.meta.get("application-name")
        self.title = self._title(tree)
        self.lead = self._lead(tree)
        self.links = _link_texts(tree)
        lang = (tree.get("lang") or self.meta.get("og:locale") or "").strip()
        self.language = re.split(r"[-_]", lang)[0].lower() if lang else None

    def _title(self, tree: _Element) -> str | None:
        for value in (self.meta.get("og:title"), self.meta.get("twitter:title")):
            if value and clean_line(value):
                return clean_line(value)
        for path in (".//h1", ".//title"):
            el = tree.find(path)
            if el is not None and (text := clean_line(el.text_content())):
                return text
        return None

    def _lead(self, tree: _Element) -> str | None:
        # A standfirst that the page also gives as its description: trafilatura often
        # counts it as header matter and drops it, though it is the article's first line.
        description = clean_line(
            self.meta.get("og:description") or self.meta.get("description") or ""
        )
        if len(description) < 40:
            return None
        for p in tree.iter("p"):
            if clean_line(p.text_content()) == description:
                return description
        return None

    def published(self) -> tuple[str | None, str | None]:
        """(ISO date as precise as the page states it, visible dateline text or None)."""
        primary = next(
            (
                el
                for el in self.times
                if (el.get("itemprop") or "").lower() == "datepublished"
                or el.get("pubdate") is not None
                or "publish" in (el.get("class") or "").lower()
            ),
            None,
        )
        iso = parse_date(primary.get("datetime") or "") if primary is not None else None
        if iso is None:
            iso = next(
                (d for key in _PUBLISHED_META if (d := parse_date(self.meta.get(key, "")))), None
            )
        if iso is None:
            return None, None
        dateline = None
        # The same date shown with a time ("February 7, 2020, 15:30") adds precision.
        for el in self.times:
            shown = clean_line(el.text_content())
            shown_iso = parse_dateline(shown)
            if (
                shown_iso
                and shown_iso[:10] == iso[:10]
                and (dateline is None or len(shown_iso) > len(iso))
            ):
                dateline = shown
                if len(shown_iso) > len(iso):
                    iso = shown_iso
        return iso, dateline


# A page whose extracted text is at least this share link text is a navigation page
# (a home page, a section index), not an article.
_NAVIGATION_LINK_SHARE = 0.8


def _link_texts(tree: _Element) -> list[str]:
    """The text of every link on the page, longest first (so that it is removed first)."""
    texts = {t for a in tree.iter("a") if len(t := clean_line(a.text_content())) > 1}
    return sorted(texts, key=len, reverse=True)


def _mostly_links(blocks: list[Block], links: list[str]) -> bool:
    """True when nearly all the extracted text is the text of links on the page."""
    if not links:
        return False
    total = linked = 0
    for block in blocks:
        rest = block.text
        for link in links:
            if link in rest:
                rest = rest.replace(link, " ")
        size = sum(1 for ch in block.text if not ch.isspace())
        total += size
        linked += size - sum(1 for ch in rest if not ch.isspace())
    return total > 0 and linked >= _NAVIGATION_LINK_SHARE * total


def _link(tree: _Element, rel: str) -> str | None:
    for el in tree.iterfind(".//link"):
        if (el.get("rel") or "").lower() == rel:
            return el.get("href")
    return None


def _absolute(url: str | None) -> str | None:
    url = (url or "").strip()
    return url if re.match(r"^https?://\S+$", url) else None


def _strip_site_suffix(title: str, sitename: str | None) -> str:
    if not title or not sitename:
        return title
    for sep in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and head.strip() and tail.strip().lower() == sitename.lower():
            return head.strip()
    return title


def _with_standfirst(blocks: list[Block], lead: str) -> list[Block]:
    """The lead as a `standfirst` passage: the block that is the lead, among the first
    few, else a new first block."""
    for i, block in enumerate(blocks[:4]):
        if block.text == lead:
            return [*blocks[:i], Block(lead, "standfirst"), *blocks[i + 1 :]]
    if any(lead in b.text for b in blocks):
        return blocks  # part of a longer paragraph: the page's own text wins
    return [Block(lead, "standfirst"), *blocks]


_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "item", "table", "div"})


def _blocks(body: _Element) -> Iterator[Block]:
    """Blocks of a container (the body, a `<div>`): block elements in order, and the text
    between them (an element's tail, as after a heading; inline markup; line breaks)
    as paragraphs of their own."""
    parts: list[str] = [body.text or ""]

    def flush() -> Iterator[Block]:
        line = clean_line("".join(parts))
        parts.clear()
        if line:
            yield Block(line, "paragraph")

    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            yield from flush()
        elif tag in _BLOCK_TAGS:
            yield from flush()
            yield from _element_blocks(child)
        elif tag:
            parts.append(child.xpath("string()"))
        parts.append(child.tail or "")
    yield from flush()


def _table_blocks(table: _Element) -> Iterator[Block]:
    """One `table` passage per row, cells separated by " | "."""
    for row in table.iter("row"):
        cells = [clean_line(cell.xpath("string()")) for cell in row if cell.tag == "cell"]
        if any(cells):
            yield Block(" | ".join(cells), "table")


def _element_blocks(el: _Element) -> Iterator[Block]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "table":
        yield from _table_blocks(el)
        return
    if tag == "div":  # a container (trafilatura's fallback returns one): read inside it
        yield from _blocks(el)
        return
    if tag == "list":
        for item in el:
            if item.tag == "item":
                yield from _element_blocks(item)
        return
    if tag == "quote" and any(child.tag in ("p", "list") for child in el):
        for child in el:
            for block in _element_blocks(child):
                quoted = "quote" if block.kind == "paragraph" else block.kind
                yield Block(block.text, quoted)
        return
    base = _KINDS.get(tag)
    if base is None:
        return
    for line in _lines(el):
        yield Block(line, _refine_kind(el, line, base))
    if tag == "item":  # nested lists inside an item
        for child in el:
            if child.tag == "list":
                yield from _element_blocks(child)


def _lines(el: _Element) -> list[str]:
    """The element's text, split at `<lb/>` and nowhere else, nested lists left out."""
    lines: list[list[str]] = [[]]

    def walk(node: _Element) -> None:
        if node.text:
            lines[-1].append(node.text)
        for child in node:
            if child.tag == "lb":
                lines.append([])
            elif child.tag != "list":
                walk(child)
            if child.tail:
                lines[-1].append(child.tail)

    walk(el)
    return [line for line in (clean_line("".join(parts)) for parts in lines) if line]


def _refine_kind(el: _Element, line: str, kind: str) -> str:
    # A short paragraph that is bold throughout, without closing punctuation, is how many
    # pages mark a section heading ("Beginning of Russian-Belarusian talks").
    if kind != "paragraph" or len(el) != 1 or (el.text or "").strip():
        return kind
    only = el[0]
    if only.tag != "hi" or (only.tail or "").strip() or "b" not in (only.get("rend") or ""):
        return kind
    words = line.split()
    if (
        len(words) <= _HEADING_MAX_WORDS
        and any(ch.isalpha() for ch in line)
        and not line.endswith((".", ":", "?", "!", ",", ";", "”", '"'))
    ):
        return "heading"
    return kind
