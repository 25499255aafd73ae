"""Judgements between databases: export as JSON Lines, import idempotently.

Each judgement carries its own uid, so importing a file twice changes nothing. A judgement
known on both sides but undone on one is undone on the other when the file says so; a file
that revives what this database undid is reported as a conflict and left undone. Judgements
that set the same fact of an entity to different values are reported too: the newest wins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import Connection

from docstore.curation.actions import CurationError, Reextract, judge, undo
from docstore.curation.records import JudgementData, by_uid, insert_judgement, load


@dataclass
class ImportReport:
    added: int = 0
    undone: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def write_jsonl(judgements: Iterable[JudgementData], out: IO[str]) -> int:
    count = 0
    for j in judgements:
        out.write(json.dumps(j.as_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def read_jsonl(path: Path) -> list[JudgementData]:
    """Every judgement of a file, or CurationError naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{path}: cannot be read ({exc})") from None
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(JudgementData.from_dict(json.loads(line)))
        except (ValueError, TypeError) as exc:
            raise CurationError(f"{path}, line {number}: not a judgement ({exc})") from None
    return sorted(out, key=lambda j: (j.created_at, j.uid))


def import_judgements(
    conn: Connection, incoming: list[JudgementData], reextract: Reextract
) -> ImportReport:
    report = ImportReport()
    known = by_uid(conn, [j.uid for j in incoming])
    for j in incoming:
        mine = known.get(j.uid)
        if mine is not None:
            if mine.active and not j.active:
                assert mine.id is not None
                undo(conn, mine.id, j.undone_by or j.author, reextract)
                report.undone += 1
            elif not mine.active and j.active:
                report.conflicts.append(
                    f"judgement {mine.id} ({j.kind} {j.target}) is undone here but not in the"
                    " file; left undone"
                )
                report.unchanged += 1
            else:
                report.unchanged += 1
            continue
        report.conflicts.extend(_contradictions(conn, j))
        if j.active:
            judge(conn, j, reextract)
        else:
            insert_judgement(conn, j)
        report.added += 1
    return report


def _contradictions(conn: Connection, j: JudgementData) -> Iterator[str]:
    facts = {"entity_rename": "name", "entity_retype": "type", "entity_link": "wikidata"}
    argument = facts.get(j.kind)
    if argument is None or not j.active:
        return
    for mine in load(conn, active_only=True, kinds=(j.kind,)):
        if mine.target == j.target and mine.arguments.get(argument) != j.arguments[argument]:
            newest = j if j.created_at > mine.created_at else mine
            yield (
                f"{j.kind} of {j.target}: {mine.arguments.get(argument)!r} here (judgement"
                f" {mine.id}, {mine.author}) and {j.arguments[argument]!r} in the file"
                f" ({j.author}); the newest, {newest.arguments[argument]!r}, applies"
            )
