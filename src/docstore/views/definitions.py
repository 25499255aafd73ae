"""Saved views as data: one SQL file per view, applied by name from migrations.

Layout, under `docstore/views/sql/`:

- `<name>.sql` is the view as the newest migration that touches it creates it;
- `frozen/<name>.<revision>.sql` are the earlier versions, which older migrations apply.

Each file starts with a comment holding YAML: `revision` (the migration that applies this
version), `question` and `description` (its `view_catalog` row), and optionally `example`,
a query that `docstore views NAME` shows. The rest is the view's `SELECT`. Where the
dialects differ, `{% sqlite %}...{% postgresql %}...{% end %}` picks the text for the
database at hand (a dialect left out gets nothing).

Why frozen copies: a migration must build the same schema whenever it is replayed, years
later too. Migrations therefore name the version they apply (`entity_overview` at
"0004"), and a version's file never changes once a migration applies it. To change a view:
copy `<name>.sql` to `frozen/<name>.<its revision>.sql`, edit `<name>.sql` and set its
`revision` to the new migration's, and write a migration of three lines:

    def upgrade() -> None:
        replace_views(entity_overview="0008")

    def downgrade() -> None:
        replace_views(entity_overview="0004")

A new view is a new `<name>.sql` and `create_views(...)` / `drop_views(...)` likewise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SQL_DIR = Path(__file__).with_name("sql")
FROZEN_DIR = SQL_DIR / "frozen"
DIALECTS = ("sqlite", "postgresql")

_HEADER = re.compile(r"\A/\*(.*?)\*/\s*", re.DOTALL)
_BLOCK = re.compile(r"\{%\s*(\w+)\s*%\}(.*?)(?=\{%\s*\w+\s*%\})", re.DOTALL)
_SWITCH = re.compile(r"\{%\s*(?!end\b)\w+\s*%\}.*?\{%\s*end\s*%\}", re.DOTALL)
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_REQUIRED = {"revision", "question", "description"}


class ViewFileError(ValueError):
    """A view file that cannot be used: named with its path and the reason."""


@dataclass(frozen=True)
class ViewDefinition:
    name: str
    revision: str
    question: str
    description: str
    template: str  # the SELECT, dialect blocks not yet resolved
    path: Path
    example: str | None = None

    def sql(self, dialect: str) -> str:
        """The SELECT for one dialect."""
        if dialect not in DIALECTS:
            raise ViewFileError(f"{self.path}: no SQL for dialect {dialect!r}")
        return _SWITCH.sub(lambda m: _pick(m.group(0), dialect, self.path), self.template)


def _pick(switch: str, dialect: str, path: Path) -> str:
    """The text of `dialect` in one `{% a %}...{% b %}...{% end %}` switch."""
    parts = {name: body for name, body in _BLOCK.findall(switch)}
    unknown = set(parts) - set(DIALECTS)
    if unknown:
        raise ViewFileError(f"{path}: unknown dialect block(s) {', '.join(sorted(unknown))}")
    return parts.get(dialect, "")


def parse(path: Path, name: str) -> ViewDefinition:
    """One view file, checked: a header with revision, question and description, a body."""
    text = path.read_text(encoding="utf-8")
    match = _HEADER.match(text)
    if not match:
        raise ViewFileError(f"{path}: must start with a /* ... */ header (revision, question)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ViewFileError(f"{path}: header is not YAML ({exc})") from None
    if not isinstance(meta, dict) or not _REQUIRED <= set(meta) <= _REQUIRED | {"example"}:
        raise ViewFileError(
            f"{path}: header needs revision, question and description (and maybe example)"
        )
    if not all(isinstance(v, str) and v.strip() for v in meta.values()):
        raise ViewFileError(f"{path}: header values must be non-empty text (quote the revision)")
    body = text[match.end() :].strip()
    if not body.upper().startswith(("SELECT", "WITH")):
        raise ViewFileError(f"{path}: the view's SQL must be one SELECT after the header")
    if body.count("{%") != len(re.findall(r"\{%\s*\w+\s*%\}", body)):
        raise ViewFileError(f"{path}: malformed {{% ... %}} block")
    leftover = _SWITCH.sub("", body)
    if "{%" in leftover:
        raise ViewFileError(f"{path}: a dialect block without its {{% end %}}")
    view = ViewDefinition(
        name,
        meta["revision"],
        meta["question"],
        meta["description"],
        body,
        path,
        meta.get("example"),
    )
    for dialect in DIALECTS:
        view.sql(dialect)  # unknown dialect names fail here, at load time
    return view


@cache
def load(name: str, revision: str) -> ViewDefinition:
    """View `name` as revision `revision` created it (current file, else a frozen one)."""
    if not _NAME.fullmatch(name):
        raise ViewFileError(f"{name!r} is not a view name (lower case, digits, underscores)")
    current = SQL_DIR / f"{name}.sql"
    frozen = FROZEN_DIR / f"{name}.{revision}.sql"
    for path in (frozen, current):
        if path.exists():
            view = parse(path, name)
            if view.revision == revision:
                return view
            if path == frozen:
                raise ViewFileError(f"{path}: its header says revision {view.revision}")
    if not current.exists():
        raise ViewFileError(f"no view file {current}")
    raise ViewFileError(
        f"no version of view {name!r} for revision {revision}: neither {current.name} nor "
        f"frozen/{frozen.name} is that revision"
    )


def current_views() -> list[ViewDefinition]:
    """Every view as the newest migrations leave it, sorted by name."""
    return [
        load(path.stem, parse(path, path.stem).revision) for path in sorted(SQL_DIR.glob("*.sql"))
    ]
