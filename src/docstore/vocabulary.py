"""The statement vocabulary: data files loaded strictly, and the `predicates` table kept in
step with ``predicates.yaml``.

A predicate is one entry in ``predicates.yaml`` plus its triggers in ``triggers.yaml``; no
migration is needed. Every command that writes opens the database through
`ensure_predicates`, which compares the vocabulary version recorded in the database (table
`vocabulary_versions`, revision 0006) with the file's and, when they differ, inserts or
updates the rows. The version is a digest of the file, so any change counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # SQLAlchemy is imported where the table is synchronized, not to read files
    from sqlalchemy import Connection, Engine

_DATA_PACKAGE = "docstore.extract"
# The data files whose content decides what statements are extracted: a change to any of
# them changes the extractor version, so `reextract --outdated` revisits every document.
STATEMENT_FILES = ("predicates.yaml", "triggers.yaml", "cues.yaml")
_PG_LOCK = 7_325_006
_RECORD_INSERT = (
    "INSERT INTO vocabulary_versions (name, version, applied_at) VALUES ('predicates', :v, :at)"
)
_RECORD_UPDATE = (
    "UPDATE vocabulary_versions SET version = :v, applied_at = :at WHERE name = 'predicates'"
)


class DataFileError(ValueError):
    """A data file that cannot be used; the message names the file and the entry."""


# libyaml's parser when PyYAML was built with it (several times faster); the constructor,
# and so the duplicate-key check below, is the same Python code either way
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BASE_LOADER):
    """YAML's safe loader, refusing a mapping that repeats a key (the last would win)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise DataFileError(f"duplicate key {key!r} (line {line})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def data_text(name: str) -> str:
    return resources.files(_DATA_PACKAGE).joinpath("data").joinpath(name).read_text("utf-8")


def load_yaml(name: str, content: str | None = None) -> dict[str, Any]:
    """A data file as a mapping; a duplicate key or a malformed file names the file."""
    try:
        data = yaml.load(data_text(name) if content is None else content, Loader=_StrictLoader)
    except DataFileError as exc:
        raise DataFileError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{name}: expected a mapping at the top level")
    return data


@dataclass(frozen=True)
class PredicateSpec:
    name: str
    description: str
    cameo_code: str | None
    plover_event: str | None


def parse_predicates(data: dict[str, Any], name: str = "predicates.yaml") -> list[PredicateSpec]:
    """Validated predicate entries: unique names, a description, known PLOVER categories,
    and every PLOVER category used at least once."""
    plover = data.get("plover_events")
    entries = data.get("predicates")
    if not isinstance(plover, list) or not isinstance(entries, list):
        raise DataFileError(f"{name}: needs the lists 'plover_events' and 'predicates'")
    out: list[PredicateSpec] = []
    seen: set[str] = set()
    for k, entry in enumerate(entries):
        label = entry.get("name") if isinstance(entry, dict) else None
        where = f"{name}: predicate {label or f'#{k + 1}'}"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("description"):
            raise DataFileError(f"{where}: needs a name and a description")
        unknown = set(entry) - {"name", "description", "cameo_code", "plover_event"}
        if unknown:
            raise DataFileError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        if entry["name"] in seen:
            raise DataFileError(f"{where}: listed twice")
        if entry.get("plover_event") is not None and entry["plover_event"] not in plover:
            raise DataFileError(f"{where}: unknown PLOVER category {entry['plover_event']!r}")
        code = entry.get("cameo_code")
        if code is not None and not (isinstance(code, str) and code.isdigit()):
            raise DataFileError(f"{where}: cameo_code must be a quoted string of digits")
        seen.add(entry["name"])
        out.append(
            PredicateSpec(entry["name"], entry["description"], code, entry.get("plover_event"))
        )
    unused = [p for p in plover if p not in {s.plover_event for s in out}]
    if unused:
        raise DataFileError(f"{name}: no predicate for the PLOVER category {unused[0]}")
    return out


@cache
def predicate_specs() -> tuple[PredicateSpec, ...]:
    return tuple(parse_predicates(load_yaml("predicates.yaml")))


def predicates() -> list[dict[str, Any]]:
    """The predicate entries as plain mappings (name, description, cameo_code, plover_event)."""
    return [vars(p).copy() for p in predicate_specs()]


def predicate_names() -> frozenset[str]:
    return frozenset(p.name for p in predicate_specs())


def plover_of(predicate: str) -> str | None:
    """The PLOVER category of a predicate (None when it has none or is unknown)."""
    return next((p.plover_event for p in predicate_specs() if p.name == predicate), None)


@cache
def predicates_version() -> str:
    """Digest of predicates.yaml: what the database records to know it is in step."""
    return hashlib.sha256(data_text("predicates.yaml").encode("utf-8")).hexdigest()[:16]


@cache
def statement_vocabulary_version() -> str:
    """Digest of every statement data file, part of the extractor version."""
    digest = hashlib.sha256()
    for name in STATEMENT_FILES:
        digest.update(data_text(name).encode("utf-8"))
    return digest.hexdigest()[:8]


def sync_predicates(conn: Connection) -> None:
    """Insert or update every predicate of the vocabulary file (never deletes: statements
    may refer to a predicate that a newer vocabulary dropped)."""
    from sqlalchemy import text

    existing = {row[0] for row in conn.execute(text("SELECT name FROM predicates"))}
    for p in predicate_specs():
        params = vars(p)
        if p.name in existing:
            sql = (
                "UPDATE predicates SET description = :description, cameo_code = :cameo_code,"
                " plover_event = :plover_event WHERE name = :name"
            )
        else:
            sql = (
                "INSERT INTO predicates (name, description, cameo_code, plover_event)"
                " VALUES (:name, :description, :cameo_code, :plover_event)"
            )
        conn.execute(text(sql), params)


def recorded_version(conn: Connection) -> str | None:
    from sqlalchemy import text

    row = conn.execute(
        text("SELECT version FROM vocabulary_versions WHERE name = 'predicates'")
    ).first()
    return None if row is None else str(row[0])


def ensure_predicates(engine: Engine) -> bool:
    """Bring the `predicates` table in step with predicates.yaml when the recorded version
    differs; returns whether it changed anything. One read when nothing changed."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from docstore.db import READ_ONLY_OPTION

    version = predicates_version()
    try:  # the check only reads: it must not wait for (or block) a writer
        with engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
            if recorded_version(conn) == version:
                return False
    except DBAPIError:  # a database older than revision 0006: the upgrade comes first
        return False
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        current = recorded_version(conn)
        if current == version:
            return False
        sync_predicates(conn)
        params = {"v": version, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        conn.execute(text(_RECORD_UPDATE if current is not None else _RECORD_INSERT), params)
    return True
