"""Who does what to whom in a trigger's clause, from docstore's own dependency parser.

The parser (a spaCy tagger and parser trained on UD English-EWT by
``scripts/train_parser.py``) ships in ``extract/models/parser`` and is loaded from there,
nothing downloaded. It runs only on sentences that hold a trigger and an entity mention.
The rules keep finding noun phrases and resolving names; the parse decides which phrase is
the subject and which the object: the head of an apposition rather than the apposition,
the agent of a passive, the subject of the verb that controls an infinitive ("threatened
to impose"), the noun a relative clause hangs on, and coordinated subjects.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

PARSER_PATH = Path(__file__).resolve().parent.parent / "models" / "parser"
_SUBJECT = ("nsubj", "csubj")
_PASSIVE_SUBJECT = ("nsubj:pass", "csubj:pass")
_OBJECT = ("obj", "iobj")
_RELATIVE = frozenset({"which", "that", "who", "whom"})
_NEGATION = frozenset({"not", "n't", "n’t", "never"})
# heads whose infinitive complement shares their subject ("refused to meet")
_CLIMB = ("xcomp",)


@cache
def parser() -> Language | None:
    """The shipped parser, or None when the package was built without one."""
    if not (PARSER_PATH / "config.cfg").is_file():
        return None
    from docstore.extract.pipeline import load_on_shared_tokenizer

    return load_on_shared_tokenizer(PARSER_PATH)


@dataclass
class Roles:
    """Character offsets (into the document body) of the heads of a trigger's arguments."""

    subjects: list[int] = field(default_factory=list)
    objects: list[int] = field(default_factory=list)
    passive: bool = False
    negated: bool = False


class Parse:
    """One parsed sentence, addressed by character offsets of the document body."""

    def __init__(self, doc: Doc, offset: int) -> None:
        self.doc = doc
        self.offset = offset
        self._starts = [t.idx + offset for t in doc]

    def token_at(self, char: int) -> Token | None:
        k = bisect.bisect_right(self._starts, char) - 1
        if k < 0:
            return None
        tok = self.doc[k]
        return tok if char < tok.idx + self.offset + len(tok.text) else None

    def at(self, tok: Token) -> int:
        return tok.idx + self.offset

    def roles(self, char: int) -> Roles | None:
        """The arguments of the verb whose first token starts at ``char``."""
        verb = self.token_at(char)
        if verb is None or not _predicative(verb):
            return None
        out = Roles(negated=_negated(verb))
        passive = _children(verb, _PASSIVE_SUBJECT)
        if passive:
            out.passive = True
            out.objects = [self.at(t) for t in _with_conjuncts(passive)]
            out.subjects = [self.at(t) for t in _with_conjuncts(_agents(verb))]
            return out
        out.subjects = [self.at(t) for t in _with_conjuncts(_subjects(verb))]
        objects = _children(verb, _OBJECT)
        if verb.dep_ == "acl:relcl" and any(t.lower_ in _RELATIVE for t in objects):
            objects = [verb.head]  # "the plan which Russia rejected": the plan
        if verb.dep_ == "acl:relcl" and not out.subjects:
            out.subjects = [self.at(verb.head)]  # "Iran, which threatened ...": Iran
        out.objects = [self.at(t) for t in _with_conjuncts(objects) if t.lower_ not in _RELATIVE]
        return out


def _predicative(tok: Token) -> bool:
    """A verb, noun or adjective: by universal tag, or by the treebank's own (the shipped
    tagger predicts Penn Treebank tags)."""
    if tok.pos_:
        return tok.pos_ in ("VERB", "AUX", "NOUN", "ADJ")
    return tok.tag_.startswith(("VB", "NN", "JJ", "MD"))


def _children(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _subjects(verb: Token) -> list[Token]:
    """The verb's subject; for an infinitive or a second conjunct, the governing one's."""
    tok = verb
    for _ in range(4):
        found = _children(tok, _SUBJECT)
        if found:
            return found
        if tok.dep_ in _CLIMB or (tok.dep_ == "conj" and _verbal(tok.head)):
            tok = tok.head
            continue
        break
    return []


def _verbal(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") if tok.pos_ else tok.tag_.startswith(("VB", "MD"))


def _agents(verb: Token) -> list[Token]:
    """The "by" phrase of a passive verb."""
    return [
        c
        for c in verb.children
        if c.dep_ in ("obl", "obl:agent") and any(g.lower_ == "by" for g in c.children)
    ]


def _with_conjuncts(heads: list[Token]) -> list[Token]:
    out: list[Token] = []
    for head in heads:
        out.append(head)
        out.extend(t for t in head.children if t.dep_ == "conj")
    return out


def _negated(verb: Token) -> bool:
    """A negation on the verb or on a verb it is the infinitive of ("did not agree to")."""
    tok = verb
    for _ in range(3):
        if any(c.lower_ in _NEGATION for c in tok.children if c.dep_ == "advmod"):
            return True
        if tok.dep_ not in _CLIMB:
            return False
        tok = tok.head
    return False


def parse_sentence(text: str, offset: int) -> Parse | None:
    """Parse one sentence (``offset`` is where it starts in the body)."""
    found = parse_sentences([(text, offset)])
    return found.get(offset)


def parse_sentences(items: list[tuple[str, int]]) -> dict[int, Parse]:
    """Parse sentences in one batch (several times faster than one by one), keyed by
    where each starts in the body."""
    nlp = parser()
    if nlp is None or not items:
        return {}
    docs = nlp.pipe([text for text, _ in items], batch_size=64)
    return {offset: Parse(doc, offset) for doc, (_, offset) in zip(docs, items, strict=True)}
