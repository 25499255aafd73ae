"""Build the one spaCy `Language` used for extraction.

Components, in order: a sentence splitter that never crosses a line (passage) boundary, two
entity rulers fed from the gazetteer (multi-word names matched case-insensitively, single words
matched exactly so that "US" never matches "us"), and, when a statistical pipeline is named, its
``ner`` after the rulers: spaCy's NER keeps entities already set, so the gazetteer wins.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from docstore.extract.gazetteer import load_gazetteer, load_word_lists

_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n")
_LAST_WORD = re.compile(r"(\S+?)\.*[\"”’)\]]*$")


def sentence_starts(text: str, abbreviations: frozenset[str]) -> list[int]:
    """Character offsets where sentences start: after each newline and each sentence-final
    punctuation followed by a capital, unless the period ends an abbreviation or an initial."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.group() != "\n":
            word = _LAST_WORD.search(text, max(0, m.start() - 20), m.start() + 1)
            stem = word.group(1) if word else ""
            stem = stem.rsplit(None, 1)[-1] if stem else stem
            if text[m.start()] == "." and (
                stem in abbreviations or (len(stem) == 1 and stem.isupper())
            ):
                continue
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def doc_text(doc: Doc) -> str:
    """The Doc's text; ``Doc.text`` joins every token, so `run` leaves the input string here."""
    text = doc.user_data.get("docstore_text")
    return text if isinstance(text, str) else doc.text


def run(nlp: Language, text: str) -> Doc:
    """`nlp(text)` that keeps the input string for the components (avoids rebuilding it)."""
    doc = nlp.make_doc(text)
    doc.user_data["docstore_text"] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


@Language.component("docstore_sentences")
def set_sentences(doc: Doc) -> Doc:
    """Mark sentence starts from the text; per-sentence work only, no per-token Python loop."""
    abbreviations = load_word_lists().abbreviations
    idx = doc.to_array("IDX").tolist()
    for i in {bisect_left(idx, s) for s in sentence_starts(doc_text(doc), abbreviations)}:
        if i < len(doc):
            doc[i].is_sent_start = True
    return doc


def _ruler_patterns(multiword: bool) -> list[dict[str, str]]:
    out = []
    nlp = spacy.blank("en")
    for p in load_gazetteer().unambiguous_patterns():
        is_multi = len(nlp.make_doc(p.text)) > 1
        if is_multi == multiword:
            out.append({"label": p.label, "pattern": p.text, "id": p.key})
    return out


def build_pipeline(model: str | None = None) -> Language:
    """The extraction pipeline; ``model`` is an installed package name or a path."""
    nlp = spacy.blank("en")
    nlp.add_pipe("docstore_sentences")
    phrases = nlp.add_pipe(
        "entity_ruler", name="gazetteer_phrases", config={"phrase_matcher_attr": "LOWER"}
    )
    phrases.add_patterns(_ruler_patterns(multiword=True))  # type: ignore[attr-defined]
    words = nlp.add_pipe(
        "entity_ruler", name="gazetteer_words", config={"phrase_matcher_attr": "ORTH"}
    )
    words.add_patterns(_ruler_patterns(multiword=False))  # type: ignore[attr-defined]
    if model:
        _add_model_ner(nlp, model)
    return nlp


def _add_model_ner(nlp: Language, model: str) -> None:
    """Copy the statistical ``ner`` (with its own tok2vec) from an installed pipeline."""
    source = spacy.load(model)
    if "ner" not in source.pipe_names:
        raise ValueError(f"the pipeline {model!r} has no 'ner' component")
    tok2vec = next((n for n in ("tok2vec", "transformer") if n in source.pipe_names), None)
    if tok2vec is not None:
        listeners = getattr(source.get_pipe(tok2vec), "listening_components", [])
        if "ner" in listeners:
            source.replace_listeners(tok2vec, "ner", ["model.tok2vec"])
    nlp.add_pipe("ner", source=source)
