"""From judgements to the learned gazetteer: the names analysts confirmed, for extraction.

The active entity judgements are replayed in the order they were made, so that a name
follows its entity through later decisions: an alias added to A and A then merged into B
names B; a retype after an alias types the alias's mentions; a rejected entity's names are
learned for nothing, and its own name is learned as no entity at all. Only what analysts
stated becomes a name: an added alias, a new name, the names of merged-away entities, the
name of a retyped entity, the alias split off.

Learned names are not part of the extractor version: they are judgements, applied on every
write like the others, and a judgement re-extracts the stored documents whose text holds its
names when it is made or undone. So a change of names never marks documents outdated.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from docstore.curation.records import ENTITY_KINDS, JudgementData, load
from docstore.extract.learned import LearnedEntity, LearnedNames
from docstore.extract.normalize import normalize


def load_learned(conn: Connection) -> LearnedNames:
    """The learned names of the database's judgements."""
    return learned_from(load(conn, kinds=ENTITY_KINDS))


def learned_from(judgements: list[JudgementData]) -> LearnedNames:
    """The names the active judgements give, each with the entity (key, name, type) it
    stands for once every judgement is applied. Undone renames only say which names an
    entity no longer has: a later judgement's snapshot may still hold one."""
    replay = _Replay()
    for j in judgements:
        if j.active:
            replay.apply(j)
        elif j.kind == "entity_rename" and j.arguments.get("before"):
            replay.undone[(j.target, j.arguments["name"])] = j.arguments["before"]
    return replay.result()


class _Replay:
    def __init__(self) -> None:
        self.forms: dict[str, tuple[str, str]] = {}  # normalized name -> (name, key)
        self.rejected: dict[str, str] = {}  # normalized name -> name
        self.entities: dict[str, dict[str, Any]] = {}
        # (key, name an undone rename gave) -> the name before it
        self.undone: dict[tuple[str, str], str] = {}

    def entity(self, snap: dict[str, Any]) -> str:
        key = str(snap["key"])
        if key not in self.entities:
            fields = ("type", "country", "wikidata_id")
            self.entities[key] = {
                "key": key,
                "name": self.unrenamed(key, str(snap["name"])),
                **{f: snap.get(f) for f in fields},
            }
        return key

    def unrenamed(self, key: str, name: str) -> str:
        """The name as it is without the renames since undone."""
        seen = {name}
        while (key, name) in self.undone:
            name = self.undone[(key, name)]
            if name in seen:
                break
            seen.add(name)
        return name

    def learn(self, name: str, key: str) -> None:
        if normalize(name):
            self.forms[normalize(name)] = (name, key)
            self.rejected.pop(normalize(name), None)

    def forget(self, key: str) -> None:
        self.forms = {n: (text, k) for n, (text, k) in self.forms.items() if k != key}

    def apply(self, j: JudgementData) -> None:
        args = j.arguments
        snap: dict[str, Any] = args.get("entity") or {}
        if j.kind == "alias_add":
            self.learn(args["alias"], self.entity(snap))
        elif j.kind == "entity_rename":
            key = self.entity(snap)
            self.entities[key]["name"] = args["name"]
            self.learn(args["name"], key)
        elif j.kind == "entity_retype":
            key = self.entity(snap)
            self.entities[key]["type"] = args["type"]
            self.learn(self.entities[key]["name"], key)
        elif j.kind == "entity_link":
            if j.target in self.entities:
                self.entities[j.target]["wikidata_id"] = args["wikidata"]
        elif j.kind == "entity_merge":
            keep = self.entity(snap)
            for other in args.get("others", []):
                self.forms = {
                    n: (text, keep if k == other["key"] else k)
                    for n, (text, k) in self.forms.items()
                }
                self.learn(other["name"], keep)
        elif j.kind == "entity_split":
            self.learn(args["alias"], self.entity(args["new"]))
        elif j.kind == "alias_remove":
            found = self.forms.get(normalize(args["alias"]))
            if found is not None and found[1] == j.target:
                del self.forms[normalize(args["alias"])]
        elif j.kind == "entity_reject":
            self.forget(j.target)
            name = self.entities[j.target]["name"] if j.target in self.entities else None
            name = name or (self.unrenamed(j.target, snap["name"]) if snap else None)
            if name and normalize(name) and normalize(name) not in self.forms:
                self.rejected[normalize(name)] = name

    def result(self) -> LearnedNames:
        used = {key for _, key in self.forms.values()}
        return LearnedNames(
            forms=tuple(sorted(self.forms.values())),
            entities=tuple(
                LearnedEntity(
                    key=e["key"],
                    name=e["name"],
                    type=e["type"],
                    country=e["country"],
                    wikidata_id=e["wikidata_id"],
                )
                for key, e in sorted(self.entities.items())
                if key in used
            ),
            rejected=tuple(sorted(self.rejected.values())),
        )
