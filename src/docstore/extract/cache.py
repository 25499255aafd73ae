"""A per-user cache of what extraction builds from its data files at start-up.

Reading the gazetteer (tens of thousands of names from YAML and CSV) and indexing its names
costs a few tenths of a second in every process; a one-file `docstore extract` would spend
more time there than extracting. The built objects are pickled under the user's cache
directory, keyed by a digest of docstore's version, the Python version and every data
file's bytes, so an edited data file or an upgrade is never served stale. The cache is only
an accelerator: an unreadable, unwritable or corrupt cache falls back to building.

``DOCSTORE_CACHE_DIR`` chooses the directory (default ``$XDG_CACHE_HOME/docstore``, else
``~/.cache/docstore``); ``DOCSTORE_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_OFF = "off"


def cache_dir() -> Path | None:
    """Where built objects are kept, or None when the cache is off."""
    chosen = os.environ.get("DOCSTORE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in (_OFF, "") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docstore"


@lru_cache(maxsize=1)
def data_digest() -> str:
    """A digest of docstore's version, Python's and every extraction data file."""
    from docstore import __version__

    digest = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    data = resources.files("docstore.extract").joinpath("data")
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.is_file():
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()[:20]


def cached(name: str, build: Callable[[], T]) -> T:
    """`build()`, or its result from an earlier process with the same data files."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{data_digest()}.pickle"
    try:
        with path.open("rb") as f:
            value: T = pickle.load(f)
            return value
    except Exception:  # absent, unreadable or from another build: build it again
        pass
    built = build()
    _store(folder, name, path, built)
    return built


def _store(folder: Path, name: str, path: Path, value: object) -> None:
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.pickle"):  # other data versions of this object
            if len(old.stem) == len(name) + 1 + len(data_digest()):
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as f:
            tmp = f.name
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or absent, also with concurrent writers
    except (OSError, pickle.PicklingError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
