"""The extractor's version, stored with every document so that `reextract --outdated`
knows which documents an improved extractor should revisit. Bump it when output changes."""

EXTRACTOR_VERSION = "1.4"
