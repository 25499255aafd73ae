"""Dates stated in sentences, resolved against the document date."""

from __future__ import annotations

import pytest

from docstore.extract.statements.eventdates import event_date, find_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met on December 20, 2019.", "2019-12-20"),
        ("They met on 20 December 2019.", "2019-12-20"),
        ("They met on 3 August.", "2020-08-03"),
        ("They met in May 2018.", "2018-05"),
        ("They met on Monday.", "2020-08-10"),
        ("They met on Saturday.", "2020-08-15"),
        ("They met yesterday.", "2020-08-14"),
        ("They met on 2019-02-03.", "2019-02-03"),
        ("They met.", None),
    ],
)
def test_event_date(text: str, expected: str | None) -> None:
    assert event_date(text, "2020-08-15T14:30") == expected


def test_relative_days_need_a_document_date() -> None:
    assert event_date("They met on Monday.", None) is None
    assert event_date("They met on 3 August.", None) is None


def test_invalid_dates_are_ignored_and_nearest_wins() -> None:
    assert find_dates("On 31 February 2020 nothing happened.", None) == []
    text = "On 1 May 2020 they agreed; on 9 May 2020 they met."
    assert event_date(text, None, near=text.index("met")) == "2020-05-09"
