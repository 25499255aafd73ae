"""Curation: analysts' judgements about entities, statements and documents, recorded in
the `judgements` table and applied on every write (see DESIGN.md).

records: the judgement as data and its rows; apply: a judgement applied to one document's
extraction; actions: making and undoing judgements against stored rows; exchange:
export and import between databases.
"""
