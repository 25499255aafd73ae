"""The single-sentence event scorer counts what it says it counts (sentences written here)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import quality_events  # noqa: E402


def test_normalize_names() -> None:
    assert quality_events.normalize("the  United States") == "united states"
    assert quality_events.normalize("Tsikhanóuskaya, ") == "tsikhanouskaya"


def test_scores_type_pair_and_precision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        {
            "id": "t1",
            "text": "Russia accused Ukraine of shelling Donetsk.",
            "events": [
                {"predicate": "accuse", "source": "country:ru", "source_text": "Russia",
                 "target": "country:ua", "target_text": "Ukraine", "object_text": None,
                 "polarity": "positive"},
            ],
        },
        {
            "id": "t2",
            "text": "Belarus criticized Poland.",
            "events": [
                {"predicate": "threaten", "source": "country:by", "source_text": "Belarus",
                 "target": "country:pl", "target_text": "Poland", "object_text": None,
                 "polarity": "positive"},
            ],
        },
        {"id": "t3", "text": "It rained in Minsk.", "events": []},
    ]  # fmt: skip
    gold = tmp_path / "sentences.jsonl"
    gold.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    total = quality_events.run(gold, by="predicate")
    assert total.gold == 2 and total.type_exact == 1
    # criticize and threaten: different PLOVER categories (ACCUSE, THREATEN)
    assert total.type_plover == 1
    assert total.pairs == 2 and total.pairs_found == 2  # the pair is right in both
    assert total.correct == 1 and total.predicted >= 2
    assert "overall" in capsys.readouterr().out
