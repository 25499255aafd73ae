"""Dates stated in a sentence, as ISO 8601 text with the precision the text gives.

A statement's ``event_date`` is when the event happened, not when the article was
published: "on December 20, 2019" gives ``2019-12-20``, "in May 2020" gives ``2020-05``,
and relative days ("on Monday", "yesterday") are resolved against the document date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from docstore.dates import MONTHS

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_M = rf"(?P<month>{_MONTH_NAMES})\.?"
_D = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<year>\d{4})"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_PATTERNS = [
    re.compile(rf"\b{_D}\s+(?:of\s+)?{_M}(?:,?\s+{_Y})?\b", re.I),
    re.compile(rf"\b{_M}\s+{_D}(?:,?\s+{_Y})?\b(?!:)", re.I),
    re.compile(rf"\b(?:in\s+|since\s+|by\s+)?{_M}\s+{_Y}\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
]
_RELATIVE = re.compile(
    r"\b(?:(?:on|last|this)\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"|\b(?P<rel>yesterday|today)\b",
    re.I,
)


def _doc_date(published_at: str | None) -> date | None:
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10])
    except ValueError:
        return None


def _month(text: str) -> int | None:
    return int(text) if text.isdigit() else MONTHS.get(text.lower().rstrip("."))


def _absolute(m: re.Match[str], doc: date | None) -> str | None:
    groups = m.groupdict()
    month = _month(groups["month"])
    if month is None or not 1 <= month <= 12:
        return None
    year_text = groups.get("year")
    year = int(year_text) if year_text else (doc.year if doc else None)
    if year is None:
        return None
    day_text = groups.get("day")
    if day_text is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, int(day_text)).isoformat()
    except ValueError:
        return None


def _relative(m: re.Match[str], doc: date | None) -> str | None:
    if doc is None:
        return None
    rel = m.group("rel")
    if rel:
        return (doc - timedelta(days=1 if rel.lower() == "yesterday" else 0)).isoformat()
    target = _WEEKDAYS.index(m.group("weekday").lower())
    return (doc - timedelta(days=(doc.weekday() - target) % 7)).isoformat()


def find_dates(text: str, published_at: str | None) -> list[tuple[int, str]]:
    """(offset in text, ISO date) for each date stated in ``text``, in text order."""
    doc = _doc_date(published_at)
    found: list[tuple[int, int, str]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in found):
                continue
            # an impossible date ("31 February") still hides the parts inside it
            found.append((m.start(), m.end(), _absolute(m, doc) or ""))
    for m in _RELATIVE.finditer(text):
        if any(s <= m.start() < e for s, e, _ in found):
            continue
        iso = _relative(m, doc)
        if iso:
            found.append((m.start(), m.end(), iso))
    return sorted((s, iso) for s, _, iso in found if iso)


def event_date(text: str, published_at: str | None, near: int = 0) -> str | None:
    """The stated date nearest to offset ``near`` in ``text`` (a sentence), else None."""
    dates = find_dates(text, published_at)
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d[0] - near))[1]
