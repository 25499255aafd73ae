"""The extractor's version, stored with every document so that `reextract --outdated`
knows which documents an improved extractor should revisit. Bump the rules version when
the code's output changes; the vocabulary part follows the statement data files by itself
(a new trigger or predicate marks every document outdated)."""

from docstore.vocabulary import statement_vocabulary_version

RULES_VERSION = "1.5"
EXTRACTOR_VERSION = f"{RULES_VERSION}.vocab-{statement_vocabulary_version()}"
