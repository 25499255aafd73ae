/*
revision: "0002"
question: >-
  Which entities appear, how often, in how many documents, first and last seen, under
  which names?
description: >-
  One row per entity: key, name, type, country, counts of mentions, documents and
  statements (as subject, as object), the dates of the first and last documents that
  mention it, and its aliases. Filter by entity_id, name, type or country.
*/
SELECT e.id AS entity_id, e.key, e.name, e.type, e.country, e.wikidata_id,
       (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions,
       (SELECT COUNT(DISTINCT m.document_id) FROM mentions m
         WHERE m.entity_id = e.id) AS documents,
       (SELECT COUNT(*) FROM statements s
         WHERE s.subject_id = e.id AND s.status <> 'rejected') AS statements_as_subject,
       (SELECT COUNT(*) FROM statements s
         WHERE s.object_id = e.id AND s.status <> 'rejected') AS statements_as_object,
       (SELECT MIN(d.published_at) FROM documents d{% sqlite %} INDEXED BY ix_documents_id_published_at{% end %} WHERE d.id IN
         (SELECT m.document_id FROM mentions m WHERE m.entity_id = e.id))
         AS first_seen,
       (SELECT MAX(d.published_at) FROM documents d{% sqlite %} INDEXED BY ix_documents_id_published_at{% end %} WHERE d.id IN
         (SELECT m.document_id FROM mentions m WHERE m.entity_id = e.id))
         AS last_seen,
       {% sqlite %}
       (SELECT group_concat(x.alias, '; ')
          FROM (SELECT a.alias FROM entity_aliases a WHERE a.entity_id = e.id ORDER BY a.alias) x)
       {% postgresql %}
       (SELECT string_agg(a.alias, '; ' ORDER BY a.alias) FROM entity_aliases a
         WHERE a.entity_id = e.id)
       {% end %} AS aliases
FROM entities e
