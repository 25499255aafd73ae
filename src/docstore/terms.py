"""The closed vocabularies of the contract tables, which their check constraints enforce.

They belong to the schema, not to extraction: the models (and so the migrations) read them
here, and extraction's records use the same words.
"""

from __future__ import annotations

ENTITY_TYPES = ("person", "organization", "country", "place", "event", "other")
POLARITIES = ("positive", "negative")
MODALITIES = ("asserted", "future", "intended", "hypothetical", "reported")
ALIAS_SOURCES = ("gazetteer", "document", "manual")
