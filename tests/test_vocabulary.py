"""The statement vocabulary: strict data files, and a predicates table that follows
predicates.yaml on SQLite and PostgreSQL without a migration per change."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from docstore import migrate, vocabulary
from docstore.db import make_engine, resolve_url
from docstore.extract.statements.data import check_cues, check_triggers, cues, triggers
from docstore.extract.version import EXTRACTOR_VERSION
from docstore.store import Store
from docstore.vocabulary import DataFileError, PredicateSpec, load_yaml, parse_predicates

# The PLOVER categories the vocabulary must cover (the PLOVER specification, 2021).
PLOVER = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip
# Predicate names fixed with the statement gold.
NAMES = [
    "visit",
    "host",
    "meet",
    "phone",
    "negotiate",
    "say",
    "propose",
    "offer",
    "intend",
    "agree",
    "sign_agreement",
    "support",
    "criticize",
    "accuse",
    "reject",
    "demand",
    "threaten",
    "sanction",
    "use_force",
    "holds_position",
    "member_of",
    "concede",
    "cooperate",
    "aid",
    "retreat",
    "request",
    "protest",
    "mobilize",
    "coerce",
    "assault",
    "investigate",
    "arrest",
    "sentence",
    "rule",
    "kill",
    "wound",
    "evacuate",
    "win_election",
    "lose_election",
    "be_elected",
    "resign",
    "appoint",
    "dismiss",
    "impose_sanctions",
    "lift_sanctions",
]


def test_vocabulary_names_and_every_plover_category() -> None:
    specs = vocabulary.predicate_specs()
    assert sorted(p.name for p in specs) == sorted(NAMES)
    assert {p.plover_event for p in specs} - {None} == PLOVER
    assert vocabulary.plover_of("arrest") == "COERCE"
    assert vocabulary.plover_of("impose_sanctions") == "SANCTION"


def test_every_predicate_but_relations_has_triggers() -> None:
    triggered = {t.predicate for entries in triggers().values() for t in entries}
    assert set(NAMES) - triggered == {"holds_position"}  # titles come from name rules


def test_triggers_cover_inflections_and_nominalizations() -> None:
    def predicates_of(phrase: str) -> set[str]:
        words = tuple(phrase.split())
        return {t.predicate for t in triggers().get(words[0], []) if t.tokens == words}

    assert "arrest" in predicates_of("arrested")
    assert "arrest" in predicates_of("arrest of")
    assert "resign" in predicates_of("resignation")
    assert "retreat" in predicates_of("withdrew from")
    assert "win_election" in predicates_of("won the election")
    assert "be_elected" in predicates_of("was elected")


def test_duplicate_key_names_file_and_key() -> None:
    with pytest.raises(DataFileError, match=r"predicates.yaml: duplicate key 'visit' \(line 3\)"):
        load_yaml("predicates.yaml", "predicates:\n  visit: 1\n  visit: 2\n")


def test_predicate_file_errors_name_the_entry() -> None:
    base = {"plover_events": ["AGREE"], "predicates": [{"name": "agree", "description": "d"}]}
    with pytest.raises(DataFileError, match="no predicate for the PLOVER category AGREE"):
        parse_predicates(base)
    twice = {"name": "agree", "description": "d", "plover_event": "AGREE"}
    with pytest.raises(DataFileError, match="predicates.yaml: predicate agree: listed twice"):
        parse_predicates({"plover_events": ["AGREE"], "predicates": [twice, twice]})
    odd = {"name": "agree", "description": "d", "plover_event": "AGRE"}
    with pytest.raises(DataFileError, match="predicate agree: unknown PLOVER category 'AGRE'"):
        parse_predicates({"plover_events": ["AGREE"], "predicates": [odd]})


def test_trigger_file_errors_name_the_entry() -> None:
    known = frozenset({"meet", "visit"})
    with pytest.raises(DataFileError, match="triggers.yaml: greet: not a predicate"):
        check_triggers({"predicates": {"greet": [{"pattern": "{greet}"}]}}, known)
    with pytest.raises(DataFileError, match=r"visit: pattern 'met with': already listed for meet"):
        check_triggers(
            {"predicates": {"meet": [{"pattern": "met with"}], "visit": [{"pattern": "met with"}]}},
            known,
        )
    with pytest.raises(DataFileError, match="pattern '{meet}': unknown field 'objcet'"):
        check_triggers({"predicates": {"meet": [{"pattern": "{meet}", "objcet": "x"}]}}, known)
    with pytest.raises(DataFileError, match="a verb slot must be a whole word"):
        check_triggers({"predicates": {"meet": [{"pattern": "{meet}ing with"}]}}, known)


def test_cue_lists_must_not_overlap() -> None:
    data = load_yaml("cues.yaml")
    check_cues(data)  # the shipped file is consistent
    data["modality"]["intended"] = [*data["modality"]["intended"], "refused to"]
    with pytest.raises(DataFileError, match="cues.yaml: 'refused to' is in both negation and"):
        check_cues(data)
    assert cues().time_words  # loaded through the same checks


def test_extractor_version_follows_the_vocabulary(monkeypatch: pytest.MonkeyPatch) -> None:
    assert EXTRACTOR_VERSION.endswith(vocabulary.statement_vocabulary_version())
    original = vocabulary.data_text
    before = vocabulary.statement_vocabulary_version()
    vocabulary.statement_vocabulary_version.cache_clear()
    monkeypatch.setattr(vocabulary, "data_text", lambda name: original(name) + "\n# changed\n")
    try:
        assert vocabulary.statement_vocabulary_version() != before
    finally:
        vocabulary.statement_vocabulary_version.cache_clear()


def _names(url: str) -> set[str]:
    engine = make_engine(resolve_url(url))
    with engine.connect() as conn:
        names = set(conn.execute(text("SELECT name FROM predicates")).scalars())
    engine.dispose()
    return names


def test_revision_0001_rows_are_frozen(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate.upgrade(engine, "0001")
    engine.dispose()
    names = _names(db_url)
    assert len(names) == 21 and "use_force" in names and "arrest" not in names


def test_predicates_follow_the_file(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(db_url) as store:
        assert _names(db_url) == set(NAMES)
        with store.engine.connect() as conn:
            assert vocabulary.recorded_version(conn) == vocabulary.predicates_version()
        assert vocabulary.ensure_predicates(store.engine) is False  # in step: nothing to do

        # a new vocabulary: one predicate added, one described anew
        specs = list(vocabulary.predicate_specs())
        specs[0] = PredicateSpec(specs[0].name, "changed", specs[0].cameo_code, None)
        specs.append(PredicateSpec("ceasefire", "Subject agreed to a ceasefire.", "0871", None))
        monkeypatch.setattr(vocabulary, "predicate_specs", lambda: tuple(specs))
        monkeypatch.setattr(vocabulary, "predicates_version", lambda: "next")
        assert vocabulary.ensure_predicates(store.engine) is True
        with store.engine.connect() as conn:
            row = conn.execute(
                text("SELECT description, plover_event FROM predicates WHERE name = :n"),
                {"n": specs[0].name},
            ).one()
            assert tuple(row) == ("changed", None)
            assert vocabulary.recorded_version(conn) == "next"
    assert "ceasefire" in _names(db_url)
    with Store(db_url):  # the next writer sees the same version: one read, no write
        pass
    assert len(_names(db_url)) == len(NAMES) + 1
