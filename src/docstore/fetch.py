"""Fetching one web page for `docstore ingest https://...`.

httpx with a time limit, a size limit (the same `--max-bytes` as files), a User-Agent
that names docstore, redirects followed; anything but an HTML page is refused, since
the HTML reader is the only one that knows what a page's article is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

HTML_TYPES = ("text/html", "application/xhtml+xml")
TIMEOUT = 30.0
MAX_REDIRECTS = 10
_URL = re.compile(r"^https?://", re.I)


def is_url(name: str) -> bool:
    return bool(_URL.match(name))


def user_agent() -> str:
    try:
        own = version("docstore")
    except PackageNotFoundError:
        own = "dev"
    return f"docstore/{own} (article ingest; +https://pypi.org/project/docstore/)"


class FetchError(Exception):
    """A page that could not be fetched: one line naming the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    data: bytes
    charset: str | None


def fetch_page(url: str, *, max_bytes: int, timeout: float = TIMEOUT) -> Page:
    """The bytes of the HTML page at `url`, or a `FetchError` saying why not."""
    import httpx

    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=timeout,
                headers={"User-Agent": user_agent(), "Accept": "text/html,*/*;q=0.1"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in HTML_TYPES:
                raise FetchError(url, f"not an HTML page (Content-Type: {kind or 'none given'})")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(url, _too_big(max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(url, _too_big(max_bytes))
                chunks.append(chunk)
            return Page(str(response.url), b"".join(chunks), response.charset_encoding)
    except httpx.TimeoutException:
        raise FetchError(url, f"no answer within {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"not a valid URL ({exc})") from None
    except httpx.HTTPError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise FetchError(url, f"could not be fetched ({reason})") from None


def _too_big(limit: int) -> str:
    return f"page is larger than the --max-bytes limit of {limit:,} bytes"
