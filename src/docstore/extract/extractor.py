"""The extractor: one spaCy pipeline per process, from text to entities, mentions and
statements."""

from __future__ import annotations

import hashlib
import os
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from docstore.extract.entities import NameRules, ruler_candidates
from docstore.extract.gazetteer import load_gazetteer, load_word_lists
from docstore.extract.learned import NO_NAMES, LearnedNames
from docstore.extract.linking import AliasLookup, link
from docstore.extract.merge import merge_candidates
from docstore.extract.pipeline import SHIPPED_NER, build_pipeline, learned_ruler, run
from docstore.extract.types import Analysis, DocumentInput, Extraction, Sentence
from docstore.extract.version import DEFAULT_MODEL, EXTRACTOR_VERSION, NO_MODEL

__all__ = [
    "DEFAULT_MODEL",
    "EXTRACTOR_VERSION",
    "NO_MODEL",
    "AliasLookup",
    "Extractor",
    "get_extractor",
    "resolve_model",
]


def resolve_model(model: str | None) -> str:
    """The NER to add: the argument, else ``DOCSTORE_MODEL``, else the shipped one.

    ``NO_MODEL`` ("none") means rules only; any other name is an installed spaCy pipeline
    or a path to one."""
    return model or os.environ.get("DOCSTORE_MODEL") or DEFAULT_MODEL


# documents.extractor_version is a VARCHAR(32)
VERSION_LENGTH = 32


def version_for(model: str) -> str:
    """The version stored with documents: the shipped model's output is the plain version."""
    if model == DEFAULT_MODEL:
        return EXTRACTOR_VERSION
    if model == NO_MODEL:
        return f"{EXTRACTOR_VERSION}+rules"
    named = f"{EXTRACTOR_VERSION}+{model}"
    if len(named) <= VERSION_LENGTH:
        return named
    # a long name or path: a short digest of it, within the stored column's width
    return f"{EXTRACTOR_VERSION}+m{hashlib.sha1(model.encode()).hexdigest()[:8]}"


class Extractor:
    """Sentences, entity mentions, linked entities and statements of one document at a time.

    Building one loads the gazetteer and the spaCy pipeline (about two seconds); reuse it,
    for example through `get_extractor`.
    """

    version = EXTRACTOR_VERSION

    def __init__(self, model: str | None = None) -> None:
        self.model = resolve_model(model)
        self.version = version_for(self.model)
        self.nlp: Language = build_pipeline(_pipeline_model(self.model))
        self.gazetteer = load_gazetteer()
        self.rules = NameRules(load_word_lists(), self.gazetteer.key_for)

    def analyse(
        self,
        doc: DocumentInput,
        lookup: AliasLookup | None = None,
        learned: LearnedNames | None = None,
    ) -> Analysis:
        """Everything but statements: the input the statement rules work on.

        `learned` are the names analysts confirmed (docstore.extract.learned), found as
        their entities; each call says which, so a cached extractor never carries one
        database's names into another's extraction."""
        learned = learned or NO_NAMES
        learned_ruler(self.nlp).set_names(learned)
        spacy_doc = run(self.nlp, doc.body)
        cands = merge_candidates(
            ruler_candidates(spacy_doc), self.rules.find(spacy_doc), self.gazetteer, doc.body
        )
        self.rules.retype_other(spacy_doc, cands)
        mentions, entities = link(cands, self.gazetteer, doc.passages, lookup, learned)
        return Analysis(doc, sentences(spacy_doc, doc), mentions, entities)

    def extract(
        self,
        doc: DocumentInput,
        lookup: AliasLookup | None = None,
        learned: LearnedNames | None = None,
    ) -> Extraction:
        from docstore.extract.statements import find_statements

        analysis = self.analyse(doc, lookup, learned)
        # statement rules may add entities that descriptions resolve to ("the Belarusian
        # Foreign Minister" -> the ministry), so entities are read after them
        statements = find_statements(analysis)
        return Extraction(
            entities=analysis.entities,
            mentions=analysis.mentions,
            statements=statements,
            sentences=analysis.sentences,
        )


def sentences(spacy_doc: Doc, doc: DocumentInput) -> list[Sentence]:
    """Sentence offsets without surrounding whitespace, each inside one passage."""
    starts = [p.char_start for p in doc.passages]
    body = doc.body
    out = []
    for sent in spacy_doc.sents:
        s, e = sent.start_char, sent.end_char
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        if s < e:
            seq = doc.passages[bisect_right(starts, s) - 1].seq if doc.passages else 0
            out.append(Sentence(s, e, seq))
    return out


def _pipeline_model(model: str) -> str | None:
    """What `build_pipeline` adds: the shipped model's folder, a named pipeline, or none."""
    if model == NO_MODEL:
        return None
    if model == DEFAULT_MODEL:
        return str(SHIPPED_NER)
    return model


_cache: dict[str, Extractor] = {}


def get_extractor(model: str | None = None) -> Extractor:
    """One extractor (and so one spaCy pipeline) per process and model."""
    model = resolve_model(model)
    if model not in _cache:
        _cache[model] = Extractor(model)
    return _cache[model]
