"""Duplicate detection: the same article arriving in another format or from another export.

Content hashes catch byte-identical bodies; this catches the rest (a page and its CSV
export row): the same URL in any of its common spellings, or the same title on the same
day with a body that says mostly the same thing.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Connection, select

from docstore.article import LaidOut
from docstore.models import Document

# Share of the shorter body's word triples that must recur in the other for two articles
# with the same title and day to count as one (format conversions keep nearly all).
DUPLICATE_OVERLAP = 0.6


def find_duplicate(conn: Connection, laid: LaidOut) -> tuple[int, str] | None:
    """The same article from another format (a page and its CSV export row, say): the
    same URL, or the same title (compared loosely) on the same day with a body that says
    mostly the same thing. The body check keeps two different articles that happen to
    share a generic title ("Telephone conversation with ...") on one day apart."""
    a = laid.article
    if a.url:
        row = conn.execute(
            select(Document.id, Document.source)
            .where(Document.url.in_(url_variants(a.url)))
            .order_by(Document.id)
            .limit(1)
        ).first()
        if row is not None:
            return int(row[0]), str(row[1])
    day = (a.published_at or "")[:10]
    if len(day) < 10:
        return None
    wanted = normalize_title(a.title)
    # Titles first; a body is read only for a matching title (a busy day has many articles).
    candidates = conn.execute(
        select(Document.id, Document.source, Document.title)
        .where(Document.published_at >= day, Document.published_at < day + "~")
        .order_by(Document.id)
    ).all()
    shingles = None
    for doc_id, source, title in candidates:
        if normalize_title(title) != wanted:
            continue
        body = conn.execute(select(Document.body).where(Document.id == doc_id)).scalar_one()
        shingles = shingles if shingles is not None else _shingles(laid.body)
        if _resemble(shingles, _shingles(body)):
            return int(doc_id), str(source)
    return None


_APOSTROPHES = re.compile(r"['’ʼ`]")
_TITLE_PUNCT = re.compile(r"[^\w\s]+|_")


def normalize_title(title: str) -> str:
    """Case, punctuation and whitespace do not tell two titles apart: apostrophes vanish
    ("Russia’s" == "Russias"), other punctuation separates words ("national-security" ==
    "national security")."""
    folded = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", title).casefold())
    return " ".join(_TITLE_PUNCT.sub(" ", folded).split())


def url_variants(url: str) -> list[str]:
    """The spellings of one URL that sources mix up: http/https, a doubled slash in the
    path (Wikinews exports have `org//wiki/`), a trailing slash."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return [url]
    cut = rest.find("/")
    host, path = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    paths = {path, re.sub("/{2,}", "/", path)}
    paths |= {p.rstrip("/") for p in paths} | {p.rstrip("/") + "/" for p in paths}
    return sorted(
        {url}
        | {
            f"{sch}://{h}{p}"
            for sch in ("http", "https")
            for h in {host, host.lower()}
            for p in paths
        }
    )


_WORD = re.compile(r"\w+")


def _shingles(body: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(unicodedata.normalize("NFKC", body).casefold())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def _resemble(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> bool:
    """Most word triples of the shorter text recur in the longer one."""
    if not a or not b:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) >= DUPLICATE_OVERLAP * len(small)
