"""Statement rules on hand-built documents: one test per trigger family and cue kind."""

from __future__ import annotations

from typing import Any

import pytest
from statement_fixtures import build_analysis

from docstore.article import Article, Block, layout
from docstore.extract.statements import find_statements
from docstore.extract.statements.data import inflect, triggers
from docstore.extract.types import StatementRecord

TABLE: list[dict[str, Any]] = [
    {
        "key": "country:by",
        "name": "Belarus",
        "type": "country",
        "country": "BY",
        "label": "GPE",
        "norp": ["Belarusian"],
    },
    {
        "key": "country:us",
        "name": "United States",
        "type": "country",
        "country": "US",
        "label": "GPE",
        "aliases": ["US"],
        "norp": ["American"],
    },
    {
        "key": "country:ru",
        "name": "Russia",
        "type": "country",
        "country": "RU",
        "label": "GPE",
        "norp": ["Russian"],
    },
    {"key": "country:ua", "name": "Ukraine", "type": "country", "country": "UA", "label": "GPE"},
    {"key": "place:minsk", "name": "Minsk", "type": "place", "country": "BY", "label": "GPE"},
    {"key": "org:nato", "name": "NATO", "type": "organization", "label": "ORG"},
    {"key": "org:csto", "name": "CSTO", "type": "organization", "label": "ORG"},
    {
        "key": "person:alexander-lukashenko",
        "name": "Alexander Lukashenko",
        "type": "person",
        "country": "BY",
        "description": "President of Belarus (1994–)",
        "aliases": ["Lukashenko", "Lukashenka"],
    },
    {
        "key": "person:vladimir-putin",
        "name": "Vladimir Putin",
        "type": "person",
        "country": "RU",
        "description": "President of Russia (2000–)",
        "aliases": ["Putin"],
    },
    {
        "key": "person:michael-carpenter",
        "name": "Michael Carpenter",
        "type": "person",
        "country": "US",
        "aliases": ["Carpenter"],
    },
]
L, P, C = "person:alexander-lukashenko", "person:vladimir-putin", "person:michael-carpenter"


def run(*lines: str, published: str | None = "2020-08-15") -> list[StatementRecord]:
    article = Article(
        title="Title", blocks=[Block(x) for x in lines], source="t", published_at=published
    )
    laid = layout(article)
    analysis = build_analysis(laid.body, laid.passages, published, TABLE)
    found = find_statements(analysis)
    for st in found:
        assert st.quote == laid.body[st.char_start : st.char_end]
        assert st.object_key or st.object_text
    return found


def only(found: list[StatementRecord], predicate: str) -> list[StatementRecord]:
    return [s for s in found if s.predicate == predicate]


def one(found: list[StatementRecord], predicate: str) -> StatementRecord:
    hits = only(found, predicate)
    assert len(hits) == 1, [(s.predicate, s.subject_key, s.object_key) for s in found]
    return hits[0]


def test_inflections_are_generated_and_irregulars_listed() -> None:
    assert inflect("visit") == ["visit", "visits", "visited", "visiting"]
    assert inflect("propose") == ["propose", "proposes", "proposed", "proposing"]
    assert inflect("deny") == ["deny", "denies", "denied", "denying"]
    table = triggers()
    assert any(t.predicate == "meet" for t in table["met"])
    assert any(t.predicate == "visit" for t in table["visited"])


@pytest.mark.parametrize(
    ("sentence", "predicate", "subject", "obj"),
    [
        ("Putin visited Minsk on Monday.", "visit", P, "place:minsk"),
        ("Lukashenko paid a visit to Russia.", "visit", L, "country:ru"),
        ("Lukashenko hosted Putin in Minsk.", "host", L, P),
        ("Lukashenko met with Putin.", "meet", L, P),
        ("Lukashenko held a meeting with Putin.", "meet", L, P),
        ("Putin had a telephone conversation with Lukashenko.", "phone", P, L),
        ("Putin held talks with Lukashenko.", "negotiate", P, L),
        ("Putin criticized NATO.", "criticize", P, "org:nato"),
        ("Lukashenko accused NATO of provocations.", "accuse", L, "org:nato"),
        ("Lukashenko rejected NATO.", "reject", L, "org:nato"),
        ("Putin threatened Ukraine.", "threaten", P, "country:ua"),
        ("The United States sanctioned Belarus.", "impose_sanctions", "country:us", "country:by"),
        ("Russia invaded Ukraine.", "use_force", "country:ru", "country:ua"),
        ("Putin supported Lukashenko.", "support", P, L),
        ("Lukashenko demanded NATO withdraw.", "demand", L, "org:nato"),
    ],
)
def test_entity_object_triggers(sentence: str, predicate: str, subject: str, obj: str) -> None:
    st = one(run(sentence), predicate)
    assert (st.subject_key, st.object_key, st.polarity) == (subject, obj, "positive")
    assert st.method == f"trigger:{predicate}"


@pytest.mark.parametrize(
    ("sentence", "predicate", "subject", "text"),
    [
        (
            "Lukashenko proposed to exchange military attachés.",
            "propose",
            L,
            "to exchange military attachés",
        ),
        ("Putin offered to mediate.", "offer", P, "to mediate"),
        ("Putin intends to sign the treaty.", "intend", P, "sign the treaty"),
        ("Russia agreed to lower gas prices.", "agree", "country:ru", "to lower gas prices"),
        (
            "Lukashenko signed an agreement on oil supplies.",
            "sign_agreement",
            L,
            "an agreement on oil supplies",
        ),
        ("Lukashenko refused to recognize the election.", "reject", L, "recognize the election"),
    ],
)
def test_clause_object_triggers(sentence: str, predicate: str, subject: str, text: str) -> None:
    st = one(run(sentence), predicate)
    assert (st.subject_key, st.object_text, st.polarity) == (subject, text, "positive")


def test_nouns_and_participles_are_not_verbs() -> None:
    found = run("The US visit was widely covered.", "Belarus needs support in the region.")
    assert not only(found, "visit") and not only(found, "support")


def test_coordinated_objects_and_descriptions() -> None:
    found = run(
        "Lukashenko was in Minsk.",
        "During his visit to Minsk, Carpenter met with the Belarusian ministers,"
        " as well as with the president himself.",
    )
    visit = one(found, "visit")
    assert (visit.subject_key, visit.object_key) == (C, "place:minsk")
    meets = only(found, "meet")
    assert {(s.subject_key, s.object_key) for s in meets} == {(C, "country:by"), (C, L)}
    assert any(s.object_text == "the Belarusian ministers" for s in meets)


def test_definite_descriptions_resolve() -> None:
    found = run(
        "Lukashenko spoke.",
        "The Belarusian president promoted a broad agenda of dialogue, which went far.",
        "The American delegation proposed to exchange attachés.",
    )
    support = one(found, "support")
    assert (support.subject_key, support.object_text) == (L, "a broad agenda of dialogue")
    assert one(found, "propose").subject_key == "country:us"


def test_pronoun_subject_is_the_last_person() -> None:
    found = run("Putin arrived.", "He met with Lukashenko.")
    st = one(found, "meet")
    assert (st.subject_key, st.object_key) == (P, L)
    assert st.confidence < 0.8


@pytest.mark.parametrize(
    "sentence",
    [
        "Putin did not meet with Lukashenko.",
        "Putin never met with Lukashenko.",
        "Putin didn't meet with Lukashenko.",
        "Putin refused to meet with Lukashenko.",
        "Putin failed to meet with Lukashenko.",
        "Putin came to talk, rather than meet with Lukashenko.",
    ],
)
def test_negation_is_never_dropped(sentence: str) -> None:
    meets = only(run(sentence), "meet")
    assert meets, sentence
    assert all(s.polarity == "negative" for s in meets)


def test_negation_elsewhere_in_the_sentence_does_not_flip_the_statement() -> None:
    found = run(
        "The American delegation proposed to exchange attachés, which should not be"
        " regarded as a sign of interest."
    )
    st = one(found, "propose")
    assert st.polarity == "positive"
    assert st.confidence < 0.8


def test_would_not_is_a_negative_intention() -> None:
    st = one(run("Belarus would not send troops anywhere."), "intend")
    assert (st.subject_key, st.polarity, st.object_text) == (
        "country:by",
        "negative",
        "send troops anywhere",
    )


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Putin will visit Minsk.", "future"),
        ("Putin would visit Minsk.", "intended"),
        ("Putin plans to visit Minsk.", "intended"),
        ("Putin may visit Minsk.", "hypothetical"),
        ("Putin might visit Minsk.", "hypothetical"),
        ("Putin could visit Minsk.", "hypothetical"),
        ("Putin visited Minsk.", "asserted"),
    ],
)
def test_modality(sentence: str, modality: str) -> None:
    st = one(run(sentence), "visit")
    assert (st.subject_key, st.object_key, st.modality) == (P, "place:minsk", modality)


def test_reported_speech_sets_speaker() -> None:
    found = run("Lukashenko said that Russia would not attack Ukraine.")
    say = one(found, "say")
    assert (say.subject_key, say.object_text) == (L, "Russia would not attack Ukraine")
    attack = one(found, "use_force")
    assert (attack.subject_key, attack.object_key) == ("country:ru", "country:ua")
    assert (attack.polarity, attack.modality, attack.speaker_key) == ("negative", "reported", L)


def test_possessive_statement_and_according_to() -> None:
    found = run(
        "Lukashenka's statement about the CSTO, i.e. that Belarus would not send troops,"
        " was noted.",
        "According to Putin, Lukashenko visited Russia.",
    )
    say = one(found, "say")
    assert (say.subject_key, say.object_key, say.object_text) == (
        L,
        "org:csto",
        "Belarus would not send troops",
    )
    intend = one(found, "intend")
    assert (intend.polarity, intend.speaker_key) == ("negative", L)
    visit = one(found, "visit")
    assert (visit.subject_key, visit.modality, visit.speaker_key) == (L, "reported", P)


def test_transcript_speaker_labels() -> None:
    found = run(
        "President of Russia Vladimir Putin: Good evening.",
        "We have agreed to cut prices. I will visit Minsk.",
        "Thank you.",
        "Alexander Lukashenko: Thank you.",
        "I met with NATO.",
    )
    agree = one(found, "agree")
    assert (agree.subject_key, agree.modality, agree.speaker_key) == ("country:ru", "reported", P)
    visit = one(found, "visit")
    assert (visit.subject_key, visit.object_key, visit.speaker_key) == (P, "place:minsk", P)
    meet = one(found, "meet")
    assert (meet.subject_key, meet.speaker_key) == (L, L)
    title = [s for s in found if s.predicate == "holds_position" and s.subject_key == P]
    assert title and title[0].object_text == "President of Russia"


def test_first_person_outside_transcripts_is_not_resolved() -> None:
    assert not only(run("I met with Putin."), "meet")


def test_titles_give_holds_position() -> None:
    found = run(
        "US Deputy Assistant Secretary of Defence Dr. Michael Carpenter visited Belarus.",
        "President of Belarus Alexander Lukashenko spoke.",
        "Vladimir Putin, the president of Russia, spoke.",
        "The former president Alexander Lukashenko spoke.",
    )
    titles = {
        (s.subject_key, s.object_text, s.object_key, s.method)
        for s in only(found, "holds_position")
    }
    assert titles == {
        (C, "US Deputy Assistant Secretary of Defence", "country:us", "title:prefix"),
        (L, "President of Belarus", "country:by", "title:prefix"),
        (P, "president of Russia", "country:ru", "apposition:title"),
    }


def test_event_dates() -> None:
    found = run(
        "Putin visited Minsk on December 20, 2019.",
        "Putin met with Lukashenko on Monday.",
        "Putin held talks with NATO on 3 August.",
        "Putin visited Ukraine in May 2018.",
        published="2020-08-15",
    )
    dates = {(s.predicate, s.object_key): s.event_date for s in found}
    assert dates[("visit", "place:minsk")] == "2019-12-20"
    assert dates[("meet", L)] == "2020-08-10"
    assert dates[("negotiate", "org:nato")] == "2020-08-03"
    assert dates[("visit", "country:ua")] == "2018-05"


def test_passive_with_agent() -> None:
    st = one(run("Minsk was visited by Putin."), "visit")
    assert (st.subject_key, st.object_key) == (P, "place:minsk")


def test_coordinated_subjects_each_get_the_statement() -> None:
    found = only(run("Russia and Belarus agreed to hold joint exercises."), "agree")
    assert {s.subject_key for s in found} == {"country:ru", "country:by"}
    # an apposition is not a list of subjects
    found = run("In Minsk, Putin said the talks went well.")
    assert {s.subject_key for s in only(found, "say")} == {P}


def test_reciprocal_meetings_and_calls() -> None:
    met = only(run("Putin and Lukashenko met in Sochi."), "meet")
    assert {(s.subject_key, s.object_key) for s in met} == {(P, L), (L, P)}
    calls = only(run("Putin and Lukashenko spoke by phone on Friday."), "phone")
    assert {(s.subject_key, s.object_key) for s in calls} == {(P, L), (L, P)}


def test_directives_are_demands() -> None:
    st = one(run("Putin told Lukashenko to wait for the results."), "demand")
    assert st.subject_key == P and st.object_key == L
    st = one(run("Lukashenko asked NATO to withdraw its troops."), "request")
    assert st.object_key == "org:nato" and "withdraw" in (st.object_text or "")
    assert not only(run("Lukashenko asked about the weather."), "request")


def test_reported_content_forms() -> None:
    st = one(run("Lukashenko met Putin. The border stays open, he added."), "say")
    assert st.subject_key == L and st.object_text == "The border stays open"
    st = one(run('Putin said, "We are ready — and we will wait."'), "say")
    assert st.object_text == "We are ready"
    st = one(run('The border is the "main problem" for Belarus, Lukashenko added.'), "say")
    assert st.object_text == 'The border is the "main problem" for Belarus'
    st = one(run("Lukashenko reported Russia had closed the border."), "say")
    assert st.object_text and st.object_text.startswith("Russia had closed")


def test_titles_with_for_and_set_off_by_a_comma() -> None:
    found = only(run("US Special Envoy for Belarus Michael Carpenter arrived."), "holds_position")
    assert any(s.object_text == "US Special Envoy for Belarus" for s in found)
    found = only(run("The Belarusian president, Alexander Lukashenko, spoke."), "holds_position")
    assert any(s.subject_key == L and s.object_text == "Belarusian president" for s in found)


def test_first_person_in_a_colon_quotation_is_its_speaker() -> None:
    found = run('Lukashenko wrote on Twitter: "I offered to resign and Putin said no."')
    st = one(found, "offer")
    assert st.subject_key == L and st.speaker_key == L
    assert st.object_text == "to resign"


def _extract(text: str) -> tuple[list[StatementRecord], set[str]]:
    """Statements of a one-paragraph article through the docstore extractor, and the keys
    of its entities."""
    from docstore.extract import get_extractor
    from docstore.extract.types import DocumentInput

    laid = layout(Article(title="News", blocks=[Block(text)], source="t"))
    result = get_extractor().extract(DocumentInput(laid.body, laid.passages))
    return result.statements, set(result.entities)


def test_minister_offices_resolve_to_their_ministries() -> None:
    found, entities = _extract("The French Foreign Minister met with the German Defence Minister.")
    st = one(found, "meet")
    assert st.subject_key == "org:fr-ministry-of-foreign-affairs"
    assert st.object_key == "org:de-ministry-of-defence"
    assert {st.subject_key, st.object_key} <= entities
    found, _ = _extract("Ukraine's Foreign Minister said on Monday that the talks had failed.")
    st = one(found, "say")
    assert st.subject_key == "org:ua-ministry-of-foreign-affairs"
    found, _ = _extract(
        "Sergei Lavrov spoke by phone with the Minister of Foreign Affairs of Belarus."
    )
    assert one(found, "phone").object_key == "org:by-ministry-of-foreign-affairs"


def test_coordinated_offices_give_one_statement_each() -> None:
    found, entities = _extract(
        "Mr. Blinken met the Polish Interior and Justice Ministers in Warsaw."
    )
    objects = {s.object_key for s in only(found, "meet")}
    assert objects == {"org:pl-ministry-of-internal-affairs", "org:pl-ministry-of-justice"}
    assert objects <= entities


def test_other_minister_titles_are_not_ministries() -> None:
    found, _ = _extract("The Belarusian Prime Minister met the Deputy Foreign Minister of Russia.")
    keys = {k for s in found for k in (s.subject_key, s.object_key)}
    assert not any(k and "ministry" in k for k in keys)


def test_a_named_minister_is_the_person_not_the_ministry() -> None:
    text = "Sergei Lavrov arrived in Minsk. The Russian Foreign Minister met Lukashenko."
    st = one(_extract(text)[0], "meet")
    assert st.subject_key == "person:sergey-lavrov"


@pytest.mark.parametrize(
    ("sentence", "predicate", "subject", "obj"),
    [
        ("Russia arrested Carpenter in Moscow.", "arrest", "country:ru", C),
        ("Belarus expelled American diplomats.", "sanction", "country:by", None),
        ("Russia imposed sanctions on Belarus.", "impose_sanctions", "country:ru", "country:by"),
        ("The United States lifted sanctions on Belarus.", "lift_sanctions", "country:us",
         "country:by"),
        ("Putin appointed Carpenter.", "appoint", P, C),
        ("Russia withdrew its troops from Belarus.", "retreat", "country:ru", "country:by"),
        ("Belarus cracked down on Carpenter.", "coerce", "country:by", C),
        ("Russia sent aid to Belarus.", "aid", "country:ru", "country:by"),
        ("Lukashenko threatened to expel Carpenter.", "threaten", L, None),
        ("Russia warned Belarus.", "threaten", "country:ru", "country:by"),
        ("Belarus shelled Russia.", "use_force", "country:by", "country:ru"),
    ],
)  # fmt: skip
def test_new_vocabulary(sentence: str, predicate: str, subject: str, obj: str | None) -> None:
    st = one(run(sentence), predicate)
    assert st.subject_key == subject
    if obj is not None:
        assert st.object_key == obj


def test_events_without_object_keep_their_words() -> None:
    st = one(run("Lukashenko resigned."), "resign")
    assert (st.subject_key, st.object_text) == (L, "resigned")
    st = one(run("Putin won the election in March."), "win_election")
    assert (st.subject_key, st.object_text) == (P, "won the election")
    assert one(run("Lukashenko was elected president."), "be_elected").subject_key == L


def test_apposition_is_not_the_subject() -> None:
    st = one(run("Belarus, a close Russian partner, has declined to meet Carpenter."), "reject")
    assert st.subject_key == "country:by"


def test_relative_clause_object_and_passive_patient() -> None:
    found = run("The plan, which the United States has condemned, was proposed by Russia.")
    crit = one(found, "criticize")
    assert (crit.subject_key, crit.object_text) == ("country:us", "The plan")
    prop = one(found, "propose")
    assert (prop.subject_key, prop.object_text) == ("country:ru", "The plan")
    signed = only(run("The deal was signed by Russia and Belarus."), "sign_agreement")
    assert {s.subject_key for s in signed} == {"country:ru", "country:by"}
    assert not run("The deal was signed on Monday.")  # nobody known to have signed


def test_possessor_names_the_group() -> None:
    st = one(run("Russia's army attacked Belarus."), "use_force")
    assert (st.subject_key, st.object_key) == ("country:ru", "country:by")


def test_say_gives_way_to_the_speech_act_it_reports() -> None:
    found = run("Putin said Russia rejects the American plan.")
    assert not only(found, "say")
    rej = one(found, "reject")
    assert (rej.subject_key, rej.speaker_key, rej.modality) == ("country:ru", P, "reported")
    # content that reports an event, not a speech act: the say stays
    assert only(run("Putin said Russia met Belarus."), "say")


def test_bare_time_word_is_never_the_content() -> None:
    found = run("“We will meet the Americans,” Lukashenko said Friday.")
    say = one(found, "say")
    assert say.object_text == "We will meet the Americans"
    found = run("Belarus will not meet the Americans, the Kremlin said on Friday.")
    assert all(s.object_text not in ("Friday", "on Friday") for s in found)


def test_question_label_resets_the_speaker() -> None:
    found = run(
        "Putin: We agreed to meet Lukashenko.",
        "Question: Did Lukashenko threaten the United States?",
        "Lukashenko: We never threatened the United States.",
    )
    assert one(found, "agree").speaker_key == P
    threats = only(found, "threaten")
    assert len(threats) == 1 and threats[0].speaker_key == L
    assert threats[0].polarity == "negative"
