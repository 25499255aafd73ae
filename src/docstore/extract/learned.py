"""The learned gazetteer: names analysts confirmed, matched in the pipeline as their entities.

Analysts' judgements (an alias added, entities merged, an entity renamed, retyped or split)
say which entity a name stands for and what type it is. The store turns the active ones into
`LearnedNames` and hands them to every extraction; the `docstore_learned_names` component
(docstore.extract.pipeline) then marks those names as entities with their judged key and
label, after the gazetteer rulers and before the statistical NER, so that name rules, the
model and the statement rules all see them as the entities analysts said they are.

The component is built once with the pipeline and only its matchers are replaced when the
names change (a fingerprint tells), so a new judgement costs a few milliseconds, not a new
pipeline. Matching follows the gazetteer: names of several tokens ignore case ("The gas
company" at a sentence start), single words match as written.

A rejected entity's name is claimed too, as no entity: neither the rules nor the model then
make another entity of it.

Where a learned name overlaps a gazetteer entity, the longer span wins and the learned name
wins a tie: "Union" learned for the Union State never cuts "European Union", while a learned
"Minsk Group" takes the place of the city inside it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

from docstore.extract.types import EntityRecord

# mention label of a learned name by the judged type of its entity
LABEL_BY_TYPE = {
    "person": "PERSON",
    "organization": "ORG",
    "country": "GPE",
    "place": "LOC",
    "event": "EVENT",
    "other": "MISC",
}
# the mention method (and candidate method) of a span the learned names set
LEARNED_METHOD = "judgement"
# the label (and entity id) of a rejected name's span: it keeps the rules and the model off
# those words, and `ruler_candidates` drops it, so the name yields no entity at all
NOT_A_NAME = "NOT_A_NAME"
# where the component leaves the token spans it set, for `ruler_candidates`
# (this module imports no spaCy: the store builds LearnedNames without loading a pipeline)
SPANS_KEY = "docstore_learned"


@dataclass(frozen=True)
class LearnedEntity:
    """An entity as judgements leave it: the key, name and type learned names resolve to."""

    key: str
    name: str
    type: str
    country: str | None = None
    wikidata_id: str | None = None

    def record(self) -> EntityRecord:
        return EntityRecord(
            key=self.key,
            name=self.name,
            type=self.type,
            country=self.country,
            wikidata_id=self.wikidata_id,
        )


@dataclass(frozen=True)
class LearnedNames:
    """Names (as analysts wrote them) and the entity key each stands for, with those
    entities, and the names of rejected entities, which name nothing. Plain and picklable:
    worker processes receive it when they start."""

    forms: tuple[tuple[str, str], ...] = ()
    entities: tuple[LearnedEntity, ...] = ()
    rejected: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        missing = {key for _, key in self.forms} - {e.key for e in self.entities}
        if missing:
            raise ValueError(f"learned names refer to unknown entities: {sorted(missing)}")

    @cached_property
    def by_key(self) -> dict[str, LearnedEntity]:
        return {e.key: e for e in self.entities}

    def entity(self, key: str) -> LearnedEntity | None:
        return self.by_key.get(key)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever what the component matches or resolves to changes."""
        data = [sorted(self.forms), sorted(map(repr, self.entities)), sorted(self.rejected)]
        return hashlib.sha1(json.dumps(data).encode()).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.forms or self.rejected)


NO_NAMES = LearnedNames()
