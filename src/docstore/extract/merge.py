"""Combine ruler and rule candidates into one non-overlapping list.

Rules may extend a name over a ruler span ("Syrian Army", "Gulf of Oman"): the ruler span
inside is then dropped. A demonym right before a gazetteer body of another country
("Libyan House of Representatives") names a body of the demonym's country, not the known one.
An untyped name takes the type of the names it is listed with ("Nikos Dendias and Jean-Yves
Le Drian", "between Crete and Cyprus") or of a place preposition ("at Ain Issa"), and every
other mention of the same name in the document follows it.

Names analysts confirmed (the learned names) are kept as they are: a rule span over or
across one is dropped.
"""

from __future__ import annotations

from docstore.extract.entities import Candidate
from docstore.extract.gazetteer import Gazetteer
from docstore.extract.learned import LEARNED_METHOD


def merge_candidates(
    ruler: list[Candidate], rules: list[Candidate], gazetteer: Gazetteer, body: str
) -> list[Candidate]:
    learned = [c for c in ruler if c.method == LEARNED_METHOD]
    if learned:
        ruler = [c for c in ruler if c.method != LEARNED_METHOD]
        rules = [r for r in rules if not any(_overlap(r, c) for c in learned)]
    model = [c for c in ruler if c.method == "model"]
    pending: dict[int, Candidate] = {}
    if model:
        ruler = [c for c in ruler if c.method != "model"]
        rules = _with_model(rules, model, pending)
    spans = sorted((c.char_start, c.char_end) for c in rules)
    kept = [c for c in ruler if not _covered(c, spans)]
    out = sorted(
        _foreign_bodies(kept, gazetteer, body) + rules + learned, key=lambda c: c.char_start
    )
    _type_by_context(out, body)
    # the model types what the text around a name did not
    for c in out:
        m = pending.get(id(c))
        if m is not None and _untyped(c):
            c.label, c.type, c.method, c.weak = m.label, m.type, "model", False
    return out


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.char_start < b.char_end and b.char_start < a.char_end


def _with_model(
    rules: list[Candidate], model: list[Candidate], pending: dict[int, Candidate]
) -> list[Candidate]:
    """Rule and model names in one list. A rule that types its name (a title, a head word,
    a given name) wins over the model; the model types a name the rules found but could not
    type, and wins where its span holds the rule's; a rule span that holds the model's (the
    model saw part of a longer name) is kept."""
    dropped: set[int] = set()
    out: list[Candidate] = []
    for r in rules:
        over = [n for n, m in enumerate(model) if _overlap(r, m)]
        if not over:
            out.append(r)
            continue
        if not _untyped(r):
            dropped.update(over)
            out.append(r)
            continue
        same = [
            n
            for n in over
            if (model[n].char_start, model[n].char_end) == (r.char_start, r.char_end)
        ]
        if same:
            pending[id(r)] = model[same[0]]  # typed after the context rules
            dropped.update(over)
            out.append(r)
        elif all(
            r.char_start <= model[n].char_start and model[n].char_end <= r.char_end for n in over
        ):
            dropped.update(over)
            out.append(r)
        # else the model's span holds or crosses the rule's: the model's is kept
    return out + [m for n, m in enumerate(model) if n not in dropped]


_LISTED = (", ", " and ", ", and ", " or ")
_PLACE_PREPOSITIONS = (" in ", " at ", " near ")
# label of a typed neighbour -> (label, type, method) an untyped name listed with it takes
_ADOPT = {
    "PERSON": ("PERSON", "person", "given_name"),
    "GPE": ("GPE", "place", "capitalized_span"),
    "LOC": ("LOC", "place", "capitalized_span"),
}


def _untyped(c: Candidate) -> bool:
    return c.label == "MISC" and c.method == "capitalized_span"


def _type_by_context(cands: list[Candidate], body: str) -> None:
    """Type untyped names from their list neighbours and place prepositions, in place;
    repeated so that types spread along a list ("A, B and Jean-Yves Le Drian")."""
    for _ in range(3):
        if not _type_pass(cands, body):
            return


def _type_pass(cands: list[Candidate], body: str) -> bool:
    found: dict[str, tuple[str, str, str]] = {}
    for n, c in enumerate(cands):
        if not _untyped(c):
            continue
        typed = None
        for m in (n - 1, n + 1):
            if 0 <= m < len(cands) and cands[m].label in _ADOPT:
                a, b = sorted((c, cands[m]), key=lambda x: x.char_start)
                if body[a.char_end : b.char_start] in _LISTED:
                    typed = _ADOPT[cands[m].label]
                    break
        if typed is None and body[max(0, c.char_start - 6) : c.char_start].endswith(
            _PLACE_PREPOSITIONS
        ):
            typed = _ADOPT["GPE"]
        if typed is not None:
            found[c.text] = typed
    for c in cands:
        if _untyped(c) and c.text in found:
            c.label, c.type, c.method = found[c.text]
            c.weak = False
    return bool(found)


def _covered(c: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(a <= c.char_start and c.char_end <= b for a, b in spans if a < c.char_end)


def _foreign_bodies(cands: list[Candidate], gazetteer: Gazetteer, body: str) -> list[Candidate]:
    out: list[Candidate] = []
    ordered = sorted(cands, key=lambda c: c.char_start)
    skip = -1
    for n, c in enumerate(ordered):
        if n == skip:
            continue
        nxt = ordered[n + 1] if n + 1 < len(ordered) else None
        if (
            nxt is not None
            and c.label == "NORP"
            and nxt.label == "ORG"
            and nxt.key is not None
            and body[c.char_end : nxt.char_start] == " "
            and _country(gazetteer, nxt.key) not in (None, _country(gazetteer, c.key))
        ):
            text = body[c.char_start : nxt.char_end]
            span = (c.start, nxt.end, c.char_start, nxt.char_end)
            out.append(Candidate(*span, text, "ORG", "organization", "org_headword"))
            skip = n + 1
            continue
        out.append(c)
    return out


def _country(gazetteer: Gazetteer, key: str | None) -> str | None:
    entity = gazetteer.entities.get(key) if key else None
    return entity.country if entity is not None else None
