"""Load the gazetteer data files into entity records and ruler patterns.

All facts (countries, places, organizations, people, word lists) live in ``data/``; this module
only reads and combines them, once per process.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from docstore.extract.normalize import normalize, slug
from docstore.extract.types import EntityRecord

LABEL_BY_TYPE = {"person": "PERSON", "organization": "ORG", "country": "GPE", "place": "GPE"}


@dataclass(frozen=True)
class Pattern:
    """One surface form the entity ruler matches, with its entity and OntoNotes label."""

    text: str
    key: str
    label: str


@dataclass
class WordLists:
    """The rule vocabulary from rules.yaml, common_words.txt and the name lists (lower case,
    except given names, which are matched as written)."""

    titles: frozenset[str]
    title_modifiers: frozenset[str]
    honorifics: frozenset[str]
    reporting_verbs: frozenset[str]
    org_heads: frozenset[str]
    event_heads: frozenset[str]
    fac_heads: frozenset[str]
    loc_heads: frozenset[str]
    connectors: frozenset[str]
    event_prefixes: frozenset[str]
    org_cues: frozenset[str]
    name_possessives: frozenset[str]
    abbreviations: frozenset[str]
    common_words: frozenset[str]
    given_names: frozenset[str]
    # from entity_rules.yaml
    role_words: frozenset[str] = frozenset()
    non_person_subjects: frozenset[str] = frozenset()
    place_modifiers: frozenset[str] = frozenset()
    generic_body_words: frozenset[str] = frozenset()
    # given_names_open.txt as written; surnames.txt and name_words.txt (names that are
    # English words) in lower case
    open_given_names: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()
    name_words: frozenset[str] = frozenset()


@dataclass
class Gazetteer:
    entities: dict[str, EntityRecord] = field(default_factory=dict)
    patterns: list[Pattern] = field(default_factory=list)
    # normalized alias -> entity keys, for linking model output and cross-checks
    by_alias: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, record: EntityRecord, label: str, forms: list[str] | None = None) -> None:
        """Register an entity and all its gazetteer name forms under one label."""
        if record.key not in self.entities:
            self.entities[record.key] = record
        names = [record.name, *(forms or [])]
        self.add_forms(record.key, label, names)

    def add_forms(self, key: str, label: str, forms: list[str]) -> None:
        record = self.entities[key]
        known = {a for a, _ in record.aliases}
        for form in dict.fromkeys(forms):
            if form not in known:
                record.aliases.append((form, "gazetteer"))
                known.add(form)
            text = form[4:] if form.lower().startswith("the ") else form
            self.patterns.append(Pattern(text, key, label))
            self.by_alias[normalize(text)].add(key)

    def unambiguous_patterns(self) -> list[Pattern]:
        """Patterns whose surface form names exactly one entity ("Congo" names two: dropped)."""
        seen: set[tuple[str, str]] = set()
        out = []
        for p in self.patterns:
            if len(self.by_alias[normalize(p.text)]) == 1 and (p.text, p.key) not in seen:
                seen.add((p.text, p.key))
                out.append(p)
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as plain tuples: several times faster to load than its dataclasses."""
        entities = [
            (r.key, r.name, r.type, r.country, r.wikidata_id, r.description, r.aliases)
            for r in self.entities.values()
        ]
        patterns = [(p.text, p.key, p.label) for p in self.patterns]
        by_alias = {alias: tuple(keys) for alias, keys in self.by_alias.items()}
        return (_gazetteer_from_state, (entities, patterns, by_alias))

    def key_for(self, name: str) -> str | None:
        keys = self.by_alias.get(normalize(name))
        return next(iter(keys)) if keys and len(keys) == 1 else None


def _gazetteer_from_state(
    entities: list[tuple[Any, ...]],
    patterns: list[tuple[str, str, str]],
    by_alias: dict[str, tuple[str, ...]],
) -> Gazetteer:
    gaz = Gazetteer()
    gaz.entities = {e[0]: EntityRecord(*e) for e in entities}
    gaz.patterns = [Pattern(*p) for p in patterns]
    for alias, keys in by_alias.items():
        gaz.by_alias[alias] = set(keys)
    return gaz


def _data_text(name: str) -> str:
    return (
        resources.files("docstore.extract")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )


# libyaml's parser when PyYAML was built with it: several times faster on the large files
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(name: str) -> Any:
    return yaml.load(_data_text(name), Loader=_LOADER)


def _words(name: str) -> frozenset[str]:
    lines = (line for line in _data_text(name).splitlines() if not line.startswith("#"))
    return frozenset(w for line in lines for w in line.split())


def _adjectives(demonyms: list[str]) -> list[str]:
    """Adjectival demonyms: drop plural nouns whose singular is also listed ("Russians")."""
    forms = set(demonyms)
    return [d for d in demonyms if not (d.endswith("s") and d[:-1] in forms)]


def _add_countries(gaz: Gazetteer) -> dict[str, tuple[list[str], list[str]]]:
    """Countries with names (GPE) and demonyms (NORP); returns code -> (names, adjectives)."""
    forms = _yaml("country_forms.yaml")
    lines = [line for line in _data_text("countries.csv").splitlines() if not line.startswith("#")]
    out: dict[str, tuple[list[str], list[str]]] = {}
    for row in csv.DictReader(lines):
        code = row["alpha2"]
        extra = forms.get(code, {})
        name = extra.get("name", row["name"])
        names = [
            name,
            row["name"],
            *filter(None, row["aliases"].split("|")),
            *extra.get("forms", []),
        ]
        names = [n for n in dict.fromkeys(names) if "," not in n and "(" not in n]
        record = EntityRecord(
            key=f"country:{code.lower()}", name=name, type="country", country=code
        )
        gaz.add(record, "GPE", names)
        demonyms = extra.get("demonyms", [])
        if demonyms:
            gaz.add_forms(record.key, "NORP", demonyms)
        if extra:
            out[code] = (names, _adjectives(demonyms))
    return out


def _add_government_bodies(
    gaz: Gazetteer, countries: dict[str, tuple[list[str], list[str]]]
) -> None:
    bodies = _yaml("government_bodies.yaml")["bodies"]
    for code, (names, adjectives) in countries.items():
        country_name = gaz.entities[f"country:{code.lower()}"].name
        of_names = [n for n in names if not n.lower().startswith("the ")]
        for body in bodies:
            heads: list[str] = body["heads"]
            forms = [f"{adj} {head}" for adj in adjectives for head in heads]
            forms += [f"{head} of {n}" for head in heads for n in of_names]
            forms += [f"{head} of the {n}" for head in heads for n in of_names if "Federation" in n]
            record = EntityRecord(
                key=f"org:{code.lower()}-{body['key']}",
                name=f"{body['name']} of {country_name}",
                type="organization",
                country=code,
            )
            gaz.add(record, "ORG", forms)


def _add_listed(gaz: Gazetteer, file: str, type_: str, default_label: str) -> None:
    for item in _yaml(file):
        key = item.get("key") or f"person:{slug(item['name'])}"
        record = EntityRecord(
            key=key,
            name=item["name"],
            type=type_,
            country=item.get("country"),
            wikidata_id=item.get("wikidata_id"),
            description=item.get("description"),
        )
        forms = [*item.get("aliases", []), *item.get("short", [])]
        gaz.add(record, item.get("label", default_label), forms)
        if item.get("norp"):  # adjectives naming it ("Soviet" for the Soviet Union)
            gaz.add_forms(key, "NORP", item["norp"])


def _add_subdivisions(gaz: Gazetteer) -> None:
    """First-level subdivisions (subdivisions.csv); a row whose key is already a listed place
    (Moscow, Crimea) adds its forms to that place."""
    text = _data_text("subdivisions.csv")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines):
        record = EntityRecord(
            key=row["key"], name=row["name"], type="place", country=row["country"]
        )
        gaz.add(record, "GPE", list(filter(None, row["aliases"].split("|"))))


CITY_COLUMNS = ["key", "country", "name", "aliases"]


def read_cities(text: str) -> list[dict[str, str]]:
    """Rows of cities.csv (generated by scripts/build_gazetteer.py), validated."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.DictReader(lines)
    if reader.fieldnames != CITY_COLUMNS:
        raise ValueError(f"cities.csv: expected columns {CITY_COLUMNS}, got {reader.fieldnames}")
    rows = []
    for n, row in enumerate(reader, start=2):
        if not row["key"].startswith("place:") or len(row["country"] or "") != 2 or not row["name"]:
            raise ValueError(f"cities.csv: bad data row {n}: {dict(row)}")
        rows.append(row)
    return rows


def _add_cities(gaz: Gazetteer) -> None:
    """GeoNames cities: a name or alias another entry already holds (a country, a listed
    place or subdivision) stays with that entry."""
    for row in read_cities(_data_text("cities.csv")):
        key, name = row["key"], row["name"]
        if key in gaz.entities or normalize(name) in gaz.by_alias:
            continue
        forms = [f for f in row["aliases"].split("|") if f and normalize(f) not in gaz.by_alias]
        record = EntityRecord(key=key, name=name, type="place", country=row["country"])
        gaz.add(record, "GPE", forms)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read every data file once (or the cached result of an earlier process, see
    `docstore.extract.cache`); the result is shared and must not be mutated."""
    from docstore.extract.cache import cached

    return cached("gazetteer", build_gazetteer)


def build_gazetteer() -> Gazetteer:
    """The gazetteer from the data files."""
    gaz = Gazetteer()
    countries = _add_countries(gaz)
    _add_listed(gaz, "places.yaml", "place", "GPE")
    _add_subdivisions(gaz)
    _add_listed(gaz, "organizations.yaml", "organization", "ORG")
    _add_listed(gaz, "companies.yaml", "organization", "ORG")
    _add_listed(gaz, "people.yaml", "person", "PERSON")
    _add_government_bodies(gaz, countries)
    _add_cities(gaz)
    return gaz


@dataclass(frozen=True)
class Offices:
    """Minister offices from government_bodies.yaml, lower case: holder nouns ("minister"),
    and office phrases by first word, longest first, each with its body key."""

    heads: frozenset[str]
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]


@lru_cache(maxsize=1)
def load_offices() -> Offices:
    data = _yaml("government_bodies.yaml")
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for body in data["bodies"]:
        for office in body.get("offices", []):
            words = tuple(str(office).lower().split())
            phrases[words[0]].append((words, body["key"]))
    for found in phrases.values():
        found.sort(key=lambda item: -len(item[0]))
    heads = frozenset(str(h).lower() for h in data["office_heads"])
    return Offices(heads, dict(phrases))


def _letters(name: str) -> bool:
    """Letters, apostrophes allowed ("O'Neil"): str methods, not a per-character loop."""
    return name.replace("'", "").replace("’", "").isalpha()


def read_names(file: str, text: str) -> list[str]:
    """The names of a generated name list (given_names_open.txt, surnames.txt,
    name_words.txt), validated: one capitalized name per line, letters and apostrophes only,
    no repeats; lines starting with "#" are comments. Checked on the whole list at once (the
    lists are long), line by line only to name the bad line."""
    names = [line for line in text.splitlines() if not line.startswith("#")]
    initials = "".join([name[:1] for name in names])
    if (
        names
        and min(map(len, names)) >= 2
        and _letters("".join(names))
        and initials.isalpha()
        and initials.isupper()
        and len(set(names)) == len(names)
    ):
        return names
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            continue
        if len(line) < 2 or not line[0].isupper() or not _letters(line):
            raise ValueError(f"{file}: line {n}: {line!r} is not one capitalized name")
        if line in seen:
            raise ValueError(f"{file}: line {n}: {line!r} is listed twice")
        seen.add(line)
    raise ValueError(f"{file}: no names")


def _names(file: str) -> list[str]:
    return read_names(file, _data_text(file))


ENTITY_RULE_LISTS = (
    "role_words",
    "non_person_subjects",
    "place_modifiers",
    "generic_body_words",
)


def read_entity_rules(data: Any) -> dict[str, frozenset[str]]:
    """The word lists of entity_rules.yaml, validated: each a list of lower-case words."""
    if not isinstance(data, dict):
        raise ValueError("entity_rules.yaml: expected a mapping of word lists")
    out = {}
    for name in ENTITY_RULE_LISTS:
        words = data.get(name)
        if not isinstance(words, list) or not all(
            isinstance(w, str) and w == w.lower() for w in words
        ):
            raise ValueError(f"entity_rules.yaml: {name!r} must be a list of lower-case words")
        out[name] = frozenset(words)
    return out


@lru_cache(maxsize=1)
def load_word_lists() -> WordLists:
    """The rule vocabulary, read once per process (or the cached result of an earlier one:
    the name lists hold tens of thousands of names to validate)."""
    from docstore.extract.cache import cached

    return cached("word-lists", build_word_lists)


def build_word_lists() -> WordLists:
    rules = _yaml("rules.yaml")
    entity_rules = read_entity_rules(_yaml("entity_rules.yaml"))

    def lower(name: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in rules[name])

    return WordLists(
        titles=lower("titles"),
        title_modifiers=lower("title_modifiers"),
        honorifics=lower("honorifics"),
        reporting_verbs=lower("reporting_verbs"),
        org_heads=lower("org_heads"),
        event_heads=lower("event_heads"),
        fac_heads=lower("fac_heads"),
        loc_heads=lower("loc_heads"),
        connectors=lower("connectors"),
        event_prefixes=lower("event_prefixes"),
        org_cues=lower("org_cues"),
        name_possessives=lower("name_possessives"),
        abbreviations=frozenset(str(w) for w in rules["abbreviations"]),
        common_words=_words("common_words.txt"),
        given_names=_words("given_names.txt"),
        open_given_names=frozenset(_names("given_names_open.txt")),
        surnames=frozenset(n.lower() for n in _names("surnames.txt")),
        name_words=frozenset(n.lower() for n in _names("name_words.txt")),
        **entity_rules,
    )
