"""The extractor's version, stored with every document so that `reextract --outdated`
knows which documents an improved extractor should revisit. Bump it when output changes
(extraction rules, gazetteer, linking or the shipped model)."""

EXTRACTOR_VERSION = "2.0"

# model names understood everywhere a model is chosen (CLI --model, Store, get_extractor):
# the NER shipped inside the package (models/ner/), behind the gazetteer; the default
DEFAULT_MODEL = "default"
# the rules-only path: gazetteer and name rules, no statistical NER (CLI --no-model)
NO_MODEL = "none"
