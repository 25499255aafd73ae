"""The extractor's version, stored with every document so that `reextract --outdated`
knows which documents an improved extractor should revisit. Bump the rules version when
the code's output changes (extraction rules, gazetteer, linking or the shipped model); the
vocabulary part follows the statement data files by itself (a new trigger or predicate marks
every document outdated)."""

from docstore.vocabulary import statement_vocabulary_version

RULES_VERSION = "2.3"
EXTRACTOR_VERSION = f"{RULES_VERSION}.vocab-{statement_vocabulary_version()}"

# model names understood everywhere a model is chosen (CLI --model, Store, get_extractor):
# the NER shipped inside the package (models/ner/), behind the gazetteer; the default
DEFAULT_MODEL = "default"
# the rules-only path: gazetteer and name rules, no statistical NER (CLI --no-model)
NO_MODEL = "none"
