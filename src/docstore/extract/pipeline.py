"""Build the one spaCy `Language` used for extraction.

Components, in order: a sentence splitter that never crosses a line (passage) boundary, the
gazetteer matcher (multi-word names matched case-insensitively, single words matched exactly
so that "US" never matches "us"), the learned names (analysts' judged names, empty until an
extraction passes them; see docstore.extract.learned), and, when a statistical pipeline is
named, its ``ner`` after them, run only around capitalized words no name claimed: the
gazetteer and the analysts win.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from docstore.extract.gazetteer import Pattern, load_gazetteer, load_word_lists
from docstore.extract.gazetteer_matcher import GazetteerMatcher
from docstore.extract.learned import (
    LABEL_BY_TYPE,
    NO_NAMES,
    NOT_A_NAME,
    SPANS_KEY,
    LearnedNames,
)

# the NER trained by scripts/train_ner.py, shipped inside the package
SHIPPED_NER = Path(__file__).resolve().parent / "models" / "ner"

_OPENERS = frozenset({",", ";", ":", "(", "“", '"', "‘", "-", "–", "—"})
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
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
    """Mark sentence starts from the text; per-sentence work only, no per-token Python loop.

    Written as one array: ``Token.is_sent_start = True`` scans the whole Doc on every call."""
    abbreviations = load_word_lists().abbreviations
    idx = doc.to_array("IDX")
    # -1 (as spaCy stores it, wrapped to uint64) marks "not a start" explicitly: with 0
    # ("unknown") a one-sentence Doc would count as having no sentence boundaries at all
    starts = numpy.full((len(doc), 1), numpy.iinfo("uint64").max, dtype="uint64")
    found = numpy.searchsorted(idx, sentence_starts(doc_text(doc), abbreviations))
    starts[found[found < len(doc)], 0] = 1
    if len(doc):
        doc.from_array(["SENT_START"], cast(Any, starts))
    if len(doc) > 1 and len(found) == 1:
        # one sentence: spaCy reads "no start after the first token" as unset boundaries
        doc[1].is_sent_start = False
    return doc


@Language.factory("docstore_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerComponent:
    return GazetteerComponent()


class GazetteerComponent:
    """The gazetteer's names as entities with their keys (see `GazetteerMatcher`)."""

    def __init__(self) -> None:
        self.matcher = gazetteer_matcher()

    def __call__(self, doc: Doc) -> Doc:
        return self.matcher(doc, doc_text(doc))


@lru_cache(maxsize=1)
def gazetteer_matcher() -> GazetteerMatcher:
    """The matcher over every unambiguous gazetteer name, built once per process (or the
    cached one of an earlier process with the same data files)."""
    from docstore.extract.cache import cached

    def build() -> GazetteerMatcher:
        names = load_gazetteer().unambiguous_patterns()
        return GazetteerMatcher(names)

    return cached("gazetteer-matcher", build)


@lru_cache(maxsize=1)
def english_tokenizer() -> Any:
    """spaCy's English tokenizer, built once per process (its rules take a few tenths of a
    second to compile) and shared by every pipeline here, with its vocabulary."""
    return spacy.blank("en").tokenizer


def english(**overrides: Any) -> Language:
    """A blank English `Language` on the shared tokenizer and vocabulary."""
    from spacy.lang.en import English

    tokenizer = english_tokenizer()
    return English(vocab=tokenizer.vocab, create_tokenizer=lambda _nlp: tokenizer, **overrides)


def load_on_shared_tokenizer(path: str | Path) -> Language:
    """A saved pipeline loaded without building a tokenizer of its own: it tokenizes with
    the shared one, into the shared vocabulary (its label strings are added to it)."""
    tokenizer = english_tokenizer()
    nlp = spacy.load(path, vocab=tokenizer.vocab, config=_NO_TOKENIZER, exclude=["tokenizer"])
    nlp.tokenizer = tokenizer
    return nlp


LEARNED_PIPE = "learned_names"


def learned_ruler(nlp: Language) -> LearnedRuler:
    """The pipeline's learned-names component, whose names each extraction sets."""
    return cast(LearnedRuler, nlp.get_pipe(LEARNED_PIPE))


def build_pipeline(model: str | None = None) -> Language:
    """The extraction pipeline; ``model`` is an installed package name or a path."""
    nlp = english()
    nlp.add_pipe("docstore_sentences")
    nlp.add_pipe("docstore_gazetteer", name="gazetteer")
    nlp.add_pipe("docstore_learned_names", name=LEARNED_PIPE)
    if model:
        _add_model_ner(nlp, model)
    return nlp


class _NoTokenizer:
    """The tokenizer of a pipeline whose components only ever get ready-made Docs."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        raise RuntimeError("this pipeline is used on ready-made Docs only")


@spacy.registry.tokenizers("docstore.no_tokenizer.v1")
def _make_no_tokenizer() -> Any:
    return _NoTokenizer


_NO_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "docstore.no_tokenizer.v1"}}}


def _add_model_ner(nlp: Language, model: str) -> None:
    """Add the statistical ``ner`` (with its own tok2vec) of a pipeline, run on windows."""
    try:
        # only its ner runs, on Docs built here: no tokenizer (building one costs ~0.3 s),
        # and the shared vocabulary, so a window's words reuse the lexemes the tokenizer made
        vocab = english_tokenizer().vocab
        source = spacy.load(model, vocab=vocab, config=_NO_TOKENIZER, exclude=["tokenizer"])
    except OSError as exc:
        raise ValueError(f"cannot load the spaCy pipeline {model!r}: {exc}") from exc
    if "ner" not in source.pipe_names:
        raise ValueError(f"the pipeline {model!r} has no 'ner' component")
    tok2vec = next((n for n in ("tok2vec", "transformer") if n in source.pipe_names), None)
    if tok2vec is not None:
        listeners = getattr(source.get_pipe(tok2vec), "listening_components", [])
        if "ner" in listeners:
            source.replace_listeners(tok2vec, "ner", ["model.tok2vec"])
    WINDOWED_MODELS[id(nlp)] = source.get_pipe("ner")
    nlp.add_pipe("docstore_windowed_ner", name="ner")


# the statistical ner of each pipeline, by id(nlp): components hold no non-config state
WINDOWED_MODELS: dict[int, Any] = {}
# tokens of context kept on each side of a free capitalized word: the shipped model's CNN
# sees three tokens each way (dev and held-out scores are the same at 4 and 6)
WINDOW_MARGIN = 4


@Language.factory("docstore_windowed_ner")
def make_windowed_ner(nlp: Language, name: str) -> WindowedNER:
    return WindowedNER(nlp)


class WindowedNER:
    """Run the statistical ``ner`` only around capitalized words that no ruler claimed.

    A name is capitalized, and the model looks only a few tokens around each word, so the
    windows give it almost what the whole text would, at a fraction of the tokens. Entities
    the rulers set are kept; a prediction overlapping one is dropped (the gazetteer wins)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp_id = id(nlp)
        w = load_word_lists()
        self.common = w.common_words
        self.given = w.given_names
        self.titles = w.titles | w.role_words | w.title_modifiers
        self.honorifics = frozenset(h.rstrip(".") for h in w.honorifics) | {"mr", "mrs", "ms", "dr"}
        # words that are never a name on their own: titles, roles, months, common words
        self.not_names = (
            w.titles | w.title_modifiers | w.role_words | w.place_modifiers | w.common_words
        )

    @property
    def ner(self) -> Any:
        return WINDOWED_MODELS[self.nlp_id]

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges around free capitalized words, merged where they touch."""
        out: list[tuple[int, int]] = []
        n = len(doc)
        common = self.common
        for tok in doc:
            text = tok.text
            if not text[:1].isupper() or tok.ent_iob_ in ("B", "I") or text.lower() in common:
                continue
            a, b = max(0, tok.i - WINDOW_MARGIN), min(n, tok.i + 1 + WINDOW_MARGIN)
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
        return out

    def __call__(self, doc: Doc) -> Doc:
        ranges = self.windows(doc)
        if not ranges:
            return doc
        words: list[str] = []
        spaces: list[bool] = []
        offsets: list[int] = []  # window doc token -> doc token
        for a, b in ranges:
            for tok in doc[a:b]:
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))
                offsets.append(tok.i)
            spaces[-1] = True
        # the model's own vocabulary: its lexeme features and label names
        window_doc = self.ner(Doc(self.ner.vocab, words=words, spaces=spaces))
        taken = [t.ent_iob_ in ("B", "I") for t in doc]
        ents: list[Span] = []
        lower_words: set[str] | None = None
        for ent in window_doc.ents:
            start, end = offsets[ent.start], offsets[ent.end - 1] + 1
            if end - start != len(ent) or any(taken[start:end]):
                continue  # across a window join, or over a ruler entity
            label = ent.label_
            # "Dr. Carpenter": a person without the title; "Mr President": no name at all
            while start < end and doc[start].lower_.rstrip(".") in self.honorifics:
                start, label = start + 1, "PERSON"
            # "President Rouhani": the title stays outside the name
            while label == "PERSON" and end - start > 1 and doc[start].lower_ in self.titles:
                start += 1
            while start < end and doc[start].text in (".", "-"):
                start += 1
            # "Later Smith said": a common word opening the sentence is not part of the name
            while (
                end - start > 1
                and doc[start].lower_ in self.common
                and doc[start].lower_ not in self.given
                and (doc[start].is_sent_start or doc[start - 1].text in _OPENERS)
            ):
                start += 1
            words = [t.lower_ for t in doc[start:end] if t.is_alpha]
            if not words or all(word in self.not_names for word in words):
                continue
            if end - start == 1:
                if lower_words is None:
                    lower_words = set(_LOWER_WORD.findall(doc_text(doc)))
                lower = doc[start].lower_
                if lower in lower_words:
                    continue  # "Governments", "May": used in lower case in the text
                clause_start = doc[start].is_sent_start or doc[start - 1].text in _OPENERS
                if clause_start and lower.endswith(("ly", "ing", "ed")):
                    continue  # "Curiously, ...": an adverb or verb opening a clause
            ents.append(Span(doc, start, end, label=label))
        doc.set_ents(ents, default="unmodified")
        return doc


@Language.factory("docstore_learned_names")
def make_learned_ruler(nlp: Language, name: str) -> LearnedRuler:
    return LearnedRuler(nlp)


@lru_cache(maxsize=1)
def _not_name_parts() -> frozenset[str]:
    """Capitalized words that never extend a name: titles, roles, common words ("Minister
    Some New Name", "Yesterday Some New Name" keep the learned name whole)."""
    w = load_word_lists()
    honorifics = frozenset(h.rstrip(".") for h in w.honorifics)
    return w.titles | w.title_modifiers | w.role_words | w.common_words | honorifics


def _part_of_longer_name(doc: Doc, start: int, end: int) -> bool:
    """Is the span next to another capitalized word that is no entity of its own, no
    function word ("The"), title or common word? Then it is a piece of a longer name
    ("Giuliani" of "Rudy Giuliani") that the rules and the model should read whole."""
    for i in (start - 1, end):
        if not 0 <= i < len(doc):
            continue
        tok = doc[i]
        adjacent = doc[i].whitespace_ if i < start else doc[end - 1].whitespace_
        if (
            adjacent
            and tok.is_alpha
            and tok.text[:1].isupper()
            and not tok.is_stop
            and tok.ent_iob_ not in ("B", "I")
            and tok.lower_ not in _not_name_parts()
        ):
            return True
    return False


class LearnedRuler:
    """Marks learned names as entities (label by judged type, entity id = key) and rejected
    names as no entity (`NOT_A_NAME`); a name glued to another capitalized word is left
    to the other rules. Names are found like the gazetteer's (`GazetteerMatcher`)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.fingerprint = NO_NAMES.fingerprint
        self.matcher: GazetteerMatcher | None = None

    def set_names(self, names: LearnedNames) -> None:
        """Replace the patterns when the names changed; a no-op otherwise."""
        if names.fingerprint == self.fingerprint:
            return
        patterns = []
        for text, key in names.forms:
            entity = names.entity(key)
            assert entity is not None  # checked when LearnedNames was made
            patterns.append(Pattern(text, key, LABEL_BY_TYPE.get(entity.type, "MISC")))
        patterns += [Pattern(text, NOT_A_NAME, NOT_A_NAME) for text in names.rejected]
        self.matcher = GazetteerMatcher(patterns) if patterns else None
        self.fingerprint = names.fingerprint

    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is None:
            return doc
        matches = self.matcher.matches(doc, doc_text(doc))
        if not matches:
            return doc
        # longest first, then leftmost: overlapping learned names keep the longer one
        matches.sort(key=lambda m: (m[0] - m[1], m[0]))
        ents = list(doc.ents)
        chosen: list[Span] = []
        for start, end, label, key in matches:
            if any(s.start < end and start < s.end for s in chosen):
                continue
            if _part_of_longer_name(doc, start, end):
                continue  # "Giuliani" learned never cuts "Rudy Giuliani" in two
            over = [e for e in ents if e.start < end and start < e.end]
            if any(e.start < start or end < e.end for e in over):
                continue  # a longer or crossing entity (the gazetteer's) keeps its span
            chosen.append(Span(doc, start, end, label=label, span_id=key))
            ents = [e for e in ents if e not in over]
        if chosen:
            doc.set_ents(sorted(ents + chosen, key=lambda s: s.start))
            doc.user_data[SPANS_KEY] = {(s.start, s.end) for s in chosen if s.label_ != NOT_A_NAME}
        return doc
