"""Statements: who did or said what to whom, found in sentences that hold a trigger.

`find_statements` is the one entry point. Vocabulary and cue words come from data files
(``data.py``), tokens and noun phrases from ``text.py``, references (names, pronouns,
descriptions) from ``refs.py``, titles from ``titles.py``, dates from ``eventdates.py``;
``rules.py`` puts them together sentence by sentence.
"""

from __future__ import annotations

from docstore.extract.statements.rules import find_statements

__all__ = ["find_statements"]
