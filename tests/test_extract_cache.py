"""The start-up cache: built once, read back by later processes, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from docstore.extract import cache
from docstore.extract.gazetteer import build_gazetteer


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOCSTORE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_built_object_is_read_back_instead_of_rebuilt(folder: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, list[int]]:
        calls.append(1)
        return {"names": [1, 2, 3]}

    assert cache.cached("thing", build) == {"names": [1, 2, 3]}
    assert cache.cached("thing", build) == {"names": [1, 2, 3]}
    assert len(calls) == 1
    assert [p.name for p in folder.iterdir()] == [f"thing-{cache.data_digest()}.pickle"]


def test_a_corrupt_cache_file_is_rebuilt_and_replaced(folder: Path) -> None:
    folder.mkdir()
    path = folder / f"thing-{cache.data_digest()}.pickle"
    path.write_bytes(b"not a pickle")
    assert cache.cached("thing", lambda: [7]) == [7]
    assert cache.cached("thing", lambda: [8]) == [7]  # the rebuilt value was stored


def test_another_data_version_is_dropped_but_other_objects_stay(folder: Path) -> None:
    folder.mkdir()
    stale = folder / ("thing-" + "0" * len(cache.data_digest()) + ".pickle")
    stale.write_bytes(b"old")
    other = folder / ("thing-matcher-" + "0" * len(cache.data_digest()) + ".pickle")
    other.write_bytes(b"other")
    cache.cached("thing", lambda: 1)
    assert not stale.exists() and other.exists()


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCSTORE_CACHE_DIR", "off")
    calls: list[int] = []
    cache.cached("thing", lambda: calls.append(1))
    cache.cached("thing", lambda: calls.append(1))
    assert len(calls) == 2


def test_an_unwritable_cache_still_builds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("DOCSTORE_CACHE_DIR", str(blocker / "cache"))
    assert cache.cached("thing", lambda: 5) == 5


def test_the_cached_gazetteer_is_the_built_one(folder: Path) -> None:
    built = build_gazetteer()
    first = cache.cached("gazetteer", build_gazetteer)
    again = cache.cached("gazetteer", lambda: pytest.fail("rebuilt"))
    for gaz in (first, again):
        assert gaz.entities == built.entities
        assert gaz.patterns == built.patterns
        assert dict(gaz.by_alias) == dict(built.by_alias)
