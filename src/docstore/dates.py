"""Recognize datelines and turn them into ISO 8601 with the precision the source gives."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
_PATTERNS = [
    re.compile(rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME}$", re.I),
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}$", re.I),
    re.compile(
        r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
    ),
]


def parse_dateline(line: str) -> str | None:
    """Return ISO 8601 text for a line that is only a date (and maybe a time), else None.

    "7 April 2016, 20:47" gives "2016-04-07T20:47"; "3 August 2020" gives "2020-08-03".
    No time or zone is invented.
    """
    text = line.strip().rstrip(".")
    if len(text) > 60:
        return None
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        month_text = m.group("month")
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
        if month is None:
            continue
        try:
            day = date(int(m.group("year")), month, int(m.group("day")))
        except ValueError:
            return None
        iso = day.isoformat()
        if m.group("hour") is not None:
            hour, minute = int(m.group("hour")), int(m.group("minute"))
            if hour > 23 or minute > 59:
                return None
            iso += f"T{hour:02d}:{minute:02d}"
            if m.group("second") is not None:
                second = int(m.group("second"))
                if second > 59:
                    return None
                iso += f":{second:02d}"
        return iso
    return None


_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$",
    re.I,
)


def parse_date(value: str) -> str | None:
    """Normalize a date field (ISO 8601, a dateline, or RFC 2822) to ISO 8601, else None.

    Used for metadata such as a CSV date column or an HTML `<time datetime>`, where the
    value may carry seconds and a zone; whatever precision is given is kept, none invented.
    """
    text = " ".join(value.split())
    if not text or len(text) > 60:
        return None
    m = _ISO.match(text)
    if m:
        try:
            date.fromisoformat(m.group("date"))
            if m.group("time"):
                datetime.fromisoformat(f"{m.group('date')}T{m.group('time').replace(',', '.')}")
        except ValueError:
            return None
        iso = m.group("date")
        if m.group("time"):
            iso += "T" + m.group("time").replace(",", ".")
            zone = m.group("zone")
            if zone:
                zone = zone.upper()
                if zone != "Z" and ":" not in zone:
                    zone = f"{zone[:3]}:{zone[3:]}"
                iso += zone
        return iso
    if (iso_line := parse_dateline(text)) is not None:
        return iso_line
    return _parse_rfc2822(text)


def _parse_rfc2822(text: str) -> str | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat()
