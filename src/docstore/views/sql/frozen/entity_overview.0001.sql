/*
revision: "0001"
question: >-
  Which entities appear, how often, in how many documents, first and last seen, under
  which names?
description: >-
  One row per entity with its mention and document counts, first and last document dates
  and its known aliases.
*/
SELECT e.id AS entity_id, e.key, e.name, e.type, e.country,
       (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions,
       (SELECT COUNT(DISTINCT m.document_id) FROM mentions m
         WHERE m.entity_id = e.id) AS documents,
       (SELECT MIN(d.published_at) FROM mentions m
         JOIN documents d ON d.id = m.document_id
         WHERE m.entity_id = e.id) AS first_seen,
       (SELECT MAX(d.published_at) FROM mentions m
         JOIN documents d ON d.id = m.document_id
         WHERE m.entity_id = e.id) AS last_seen,
       (SELECT {% sqlite %}group_concat(DISTINCT a.alias){% postgresql %}string_agg(DISTINCT a.alias, ', '){% end %} FROM entity_aliases a
         WHERE a.entity_id = e.id) AS aliases
FROM entities e
