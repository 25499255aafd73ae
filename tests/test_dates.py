"""Datelines and date fields become ISO 8601 with exactly the precision they state."""

from __future__ import annotations

import pytest

from docstore.dates import parse_date, parse_dateline


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("7 April 2016, 20:47", "2016-04-07T20:47"),
        ("3 August 2020", "2020-08-03"),
        ("February 14, 2016, 12:05", "2016-02-14T12:05"),
        ("Friday, January 4, 2019", "2019-01-04"),
        ("Thursday, September 12, 2019", "2019-09-12"),
        ("7 Feb. 2020", "2020-02-07"),
        ("2020-02-07", "2020-02-07"),
        ("2020-02-07 15:30:05", "2020-02-07T15:30:05"),
        ("1st March 2021 at 9:05", "2021-03-01T09:05"),
    ],
)
def test_dateline(line: str, iso: str) -> None:
    assert parse_dateline(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "Vladimir Putin held talks in Sochi.",
        "31 February 2020",
        "7 April 2016, 25:00",
        "Smarch 3, 2020",
        "",
        "3 August 2020 " + "x" * 80,
    ],
)
def test_not_a_dateline(line: str) -> None:
    assert parse_dateline(line) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2019-01-04", "2019-01-04"),
        ("2020-02-07T15:30", "2020-02-07T15:30"),
        ("2020-02-07 15:30:00", "2020-02-07T15:30:00"),
        ("2020-02-07T15:30:00Z", "2020-02-07T15:30:00Z"),
        ("2020-02-07T15:30:00+0300", "2020-02-07T15:30:00+03:00"),
        ("2020-02-07T15:30:00.250+03:00", "2020-02-07T15:30:00.250+03:00"),
        ("Fri, 07 Feb 2020 15:30:00 +0300", "2020-02-07T15:30:00+03:00"),
        ("7 February 2020, 15:30", "2020-02-07T15:30"),
        ("  Friday, January 4, 2019 ", "2019-01-04"),
    ],
)
def test_parse_date(value: str, iso: str) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["", "yesterday", "2020-13-01", "2020-02-07T24:10", "12345"])
def test_parse_date_rejects(value: str) -> None:
    assert parse_date(value) is None
